import Foundation
@testable import PHRExchange
import XCTest

final class JSONBundleScannerTests: XCTestCase {
    private let bundle = """
        \u{FEFF}{ "resourceType" : "Bundle", "type": "collection",
          "meta": {"tag": [{"code": "a]}\\"[{"}], "n": -1.5e+3, "ok": true, "no": false},
          "entry": [
            {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "p1",
                "name": [{"text": "Ann \\"Nan\\" O'Brien }]"}], "contained": [{"resourceType": "Organization"}]}},
            null,
            {"resource": {"id": "x", "resourceType": "Observation", "valueQuantity": {"value": 0.25}},
             "search": {"mode": "match"}},
            {"request": {"method": "DELETE", "url": "Patient/p9"}},
            {"resource": {"resourceType": "Pati\\u0065nt"}},
            {"resource": {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Condition"}}]}}
          ],
          "signature": {"data": "xyz"}
        }
        """

    private var bytes: [UInt8] { Array(bundle.utf8) }

    func testEachEntryIsFoundWithItsPlaceAndType() throws {
        let layout = try JSONBundleScanner.scan(bytes)
        XCTAssertEqual(layout.rootType, "Bundle")
        XCTAssertEqual(layout.entries.map(\.resourceType), ["Patient", nil, "Observation", nil, nil, "Bundle"])
        XCTAssertEqual(layout.entries.map(\.isNull), [false, true, false, false, false, false])
        // Each entry read back from its place is the parser's entry, whole.
        let whole = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(bytes.dropFirst(3))) as? [String: Any])
        let entries = try XCTUnwrap(whole["entry"] as? [Any])
        XCTAssertEqual(entries.count, layout.entries.count)
        for (entry, place) in zip(entries, layout.entries) {
            let slice = Data(bytes[Int(place.offset)..<(Int(place.offset) + place.length)])
            let alone = try JSONSerialization.jsonObject(with: slice, options: [.fragmentsAllowed])
            XCTAssertEqual(try canonical(alone), try canonical(entry))
        }
    }

    func testAnyReadSizeFindsTheSame() throws {
        let whole = try JSONBundleScanner.scan(bytes)
        for chunk in 1...9 {
            XCTAssertEqual(try JSONBundleScanner.scan(bytes, chunk: chunk), whole, "read \(chunk) bytes at a time")
        }
    }

    func testAFileIsScannedInReads() throws {
        // Larger than one read, with an entry across the boundary.
        let filler = String(repeating: "x", count: JSONBundleScanner.chunkSize - 40)
        let text = #"{"resourceType":"Bundle","meta":{"f":"\#(filler)"},"entry":[{"resource":{"resourceType":"Condition","id":"c1"}}]}"#
        let path = NSTemporaryDirectory() + "scanner-\(UUID().uuidString).json"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let layout = try JSONBundleScanner.scan(path: path)
        XCTAssertEqual(layout.entries.map(\.resourceType), ["Condition"])
        XCTAssertEqual(layout.entries.first.map { $0.offset + Int64($0.length) }, Int64(text.utf8.count - 2))
    }

    func testARootThatIsNotABundleOrHasNoEntriesIsSaidSo() throws {
        XCTAssertEqual(try JSONBundleScanner.scan(Array(#"{"resourceType":"Patient","id":"p"}"#.utf8)),
                       JSONBundleScanner.Layout(rootType: "Patient", entries: []))
        XCTAssertEqual(try JSONBundleScanner.scan(Array(#"{"resourceType":"Bundle","entry":[]}"#.utf8)),
                       JSONBundleScanner.Layout(rootType: "Bundle", entries: [], hasEntryArray: true))
        XCTAssertEqual(try JSONBundleScanner.scan(Array(#"{"resourceType":"Bundle","entry":{"resource":{}}}"#.utf8)),
                       JSONBundleScanner.Layout(rootType: "Bundle", entries: [], hasEntryArray: false))
        XCTAssertEqual(try JSONBundleScanner.scan(Array("[1, 2]".utf8)).rootType, nil)
        // An `entry` or `resourceType` deeper down is not the root's.
        let nested = #"{"a":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}}]}}"#
        XCTAssertEqual(try JSONBundleScanner.scan(Array(nested.utf8)), JSONBundleScanner.Layout(rootType: nil, entries: []))
    }

    func testWhatIsNotJSONIsRefusedWithWhereItWentWrong() {
        let cases: [(String, Int64)] = [
            (#"{"resourceType":"Bundle","entry":[{"a":1}"#, 41),   // ends inside the array (at its end)
            (#"{"a":1} x"#, 8),                                      // something after the value
            (#"{"a":tru}"#, 5),                                      // a literal cut short
            (#"{"a":01}"#, 5),                                       // a number JSON does not allow
            (#"{"a":"b}"#, 8),                                       // a string never closed
            (#"{"a":[1}"#, 7),                                       // brackets that do not match
            (#"{"a" 1}"#, 5),                                        // a key without its colon
            (#"{"a":1,}"#, 7),                                       // a comma before a close
            ("{\"a\":\"b\nc\"}", 7),                                 // a raw line break in a string
            ("", 0),
            ("\u{FEFF}", 3),                                       // a byte order mark and nothing
        ]
        // Read whole, and a few bytes at a time (a literal or number across reads).
        for chunk in [JSONBundleScanner.chunkSize, 1, 2, 3] {
            for (text, offset) in cases {
                XCTAssertThrowsError(try JSONBundleScanner.scan(Array(text.utf8), chunk: chunk), text) {
                    XCTAssertEqual($0 as? JSONBundleScanner.Failure, .malformed(offset: offset), "\(text), read \(chunk) at a time")
                }
            }
        }
    }

    /// Keys and types are kept only up to `captureLimit` bytes: a longer type is unknown, a longer
    /// key is none of those looked for, however the reads divide them.
    func testAKeyOrTypeLongerThanTheScannerKeepsIsNotMistaken() throws {
        let long = String(repeating: "x", count: 65)
        let text = #"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"\#(long)"}},"#
            + #"{"\#(long)resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"\#(long.dropLast())"}}]}"#
        for chunk in [JSONBundleScanner.chunkSize, 1, 7, 30] {
            let layout = try JSONBundleScanner.scan(Array(text.utf8), chunk: chunk)
            XCTAssertEqual(layout.entries.map(\.resourceType), [nil, nil, String(long.dropLast())], "read \(chunk) at a time")
        }
    }

    /// A root `link` with `relation` `next` is found before or after `entry`, however the reads
    /// divide it, with the root's `total`; an entry's own links, another relation, or a `next`
    /// written with escapes are not the bundle's next page.
    func testARootLinkToTheNextPageIsFoundBeforeOrAfterTheEntries() throws {
        let entry = #""entry":[{"resource":{"resourceType":"Condition","id":"c1"},"link":[{"relation":"next","url":"x"}]}]"#
        let next = #""link":[{"relation":"self","url":"https://fhir.example/Condition?patient=1"},"#
            + #"{"url":"https://fhir.example/Condition?page=2","relation":"next"}]"#
        let cases: [(text: String, paged: Bool, total: Int?)] = [
            (#"{"resourceType":"Bundle","type":"searchset",\#(next),"total":1234,\#(entry)}"#, true, 1234),
            (#"{"resourceType":"Bundle","type":"searchset",\#(entry),\#(next)}"#, true, nil),
            (#"{"resourceType":"Bundle","type":"searchset","link":[{"relation":"self","url":"u"}],"total":1,\#(entry)}"#, false, 1),
            (#"{"resourceType":"Bundle","type":"collection",\#(entry)}"#, false, nil),
            (#"{"resourceType":"Bundle","link":[{"relation":"ne\u0078t"}],"meta":{"link":[{"relation":"next"}]},\#(entry)}"#, false, nil),
            (#"{"resourceType":"Bundle","link":{"relation":"next"},"total":-1,\#(entry)}"#, false, nil),
        ]
        for (text, paged, total) in cases {
            for chunk in [JSONBundleScanner.chunkSize, 1, 5, 13] {
                let layout = try JSONBundleScanner.scan(Array(text.utf8), chunk: chunk)
                XCTAssertEqual(layout.hasNextPage, paged, "\(text), read \(chunk) at a time")
                XCTAssertEqual(layout.total, total, "\(text), read \(chunk) at a time")
                XCTAssertEqual(layout.entries.map(\.resourceType), ["Condition"])
            }
        }
    }

    private func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
    }
}
