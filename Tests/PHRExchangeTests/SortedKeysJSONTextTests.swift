import Foundation
@testable import PHRExchange
import PHRTestSupport
import XCTest

/// `SortedKeysJSONText` writes, from JSON text, exactly what Foundation's `JSONSerialization` writes
/// with sorted keys for the value that text parses to (a bundle entry's content hash depends on it),
/// or declines.
final class SortedKeysJSONTextTests: XCTestCase {
    /// What Foundation writes, with sorted keys, for what it parses `text` to.
    private func foundation(_ text: String) throws -> String {
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return String(decoding: try JSONSerialization.data(withJSONObject: parsed, options: [.sortedKeys, .fragmentsAllowed]),
                      as: UTF8.self)
    }

    private func written(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBytes { SortedKeysJSONText.bytes(of: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    private func member(_ name: StaticString, of text: String) -> String? {
        Array(text.utf8).withUnsafeBytes { SortedKeysJSONText.bytes(ofMember: name, in: $0) }
            .map { String(decoding: $0, as: UTF8.self) }
    }

    func testAResourceAsPortalsWriteItIsWrittenAsFoundationWritesIt() throws {
        let text = #"""
            {
              "resourceType" : "Observation", "id": "obs-1", "status": "final",
              "meta": {"profile": ["http:\/\/hl7.org\/fhir\/us\/core\/StructureDefinition\/us-core-observation-lab"]},
              "code": {"coding": [{"system": "http://loinc.org", "code": "2039-6", "display": "Carcinoembryonic Ag"}], "text": "CEA"},
              "subject": {"reference": "Patient/pat-1"}, "effectiveDateTime": "2026-11-20T09:30:00+01:00",
              "valueQuantity": {"value": 4.20, "unit": "ng/mL", "system": "http://unitsofmeasure.org", "code": "ng/mL"},
              "referenceRange": [{"low": {"value": 0}, "high": {"value": 3.0}}, {"low": {"value": -0}, "high": {"value": 1E+2}}],
              "note": [{"text": "Quoted \"value\", a back\\slash, a tab\t, \u00e9 and é, \ud83d\ude00 and 😀, \u0001, \u001F, \b\f\r\n"}],
              "component": [ ], "extension": [{"url": "b", "valueDecimal": 1e-7}, {"url": "c", "valueInteger": -12}],
              "issued": null, "_status": {"extension": [{"url": "x", "valueBoolean": true}]}, "Zebra": false,
              "alpha": 2, "_alpha": 3, "alpha_beta": {}
            }
            """#
        XCTAssertEqual(written(text), try foundation(text))
    }

    /// Thousands of random texts: keys of letters and `_` in both cases (now and then one the writer
    /// must decline), strings with every escape JSON has and raw UTF-8, numbers in every form JSON
    /// allows, literals, nesting and white space: whenever the writer answers, it answers
    /// Foundation's bytes; and it answers for most of them.
    func testRandomTextsAreWrittenAsFoundationWritesThem() throws {
        var random = RandomJSONText(seed: 20261202)
        var answered = 0
        let trials = 4_000
        for trial in 0..<trials {
            let text = random.object()
            let expected: String
            do { expected = try foundation(text) } catch {
                XCTFail("trial \(trial): Foundation did not parse \(text)")
                return
            }
            guard let bytes = written(text) else { continue }
            answered += 1
            if bytes != expected {
                XCTFail("trial \(trial): \(text)\nwrote:      \(bytes)\nFoundation: \(expected)")
                return
            }
        }
        XCTAssertGreaterThan(answered, trials / 2, "the writer declined too often to be of use")
    }

    /// Strings are passed over eight bytes at a time (`JSONPlainText`): a character written another
    /// way than it was read (`/`, an escape, a quote) or beginning with the byte EF is found wherever
    /// it falls among the eight, and a byte order mark anywhere is declined.
    func testEveryPlaceInAStringIsLookedAt() throws {
        for special in ["/", "http://x/y", #"\/"#, #"/\//"#, #"\""#, #"\n"#, #"\u00e9"#, "\u{FF45}", "é"] {
            for length in 0..<20 {
                for position in 0...length {
                    let string = String(repeating: "a", count: position) + special + String(repeating: "b", count: length - position)
                    let text = #"{"k":"\#(string)","z":1}"#
                    XCTAssertEqual(written(text), try foundation(text), text)
                }
            }
        }
        for position in 0..<20 {
            let text = "{\"k\":\"" + String(repeating: "a", count: position) + "\u{FEFF}b\"}"
            XCTAssertNil(written(text), text)
        }
    }

    /// A number Foundation writes as it was written is copied (`isWrittenAsIs`), any other is read
    /// and written again: either way the bytes are Foundation's.
    func testNumbersAreWrittenAsFoundationWritesThem() throws {
        var tokens = ["0", "-0", "7", "-7", "10", "123456789012345678", "-123456789012345678", "1234567890123456789",
                      "0.5", "-0.5", "0.05", "0.50", "13.5", "-13.5", "13.50", "999999999.5", "1000000000.5",
                      "123456789.123456", "123456789.1234567", "1.00000000000001", "0.123456789012345", "1.0", "100.25"]
        var generator = SeededGenerator(seed: 20261203)
        for _ in 0..<3_000 {
            let integer = String(Int.random(in: 0...999_999_999, using: &generator) >> Int.random(in: 0...30, using: &generator))
            let fraction = String(Int.random(in: 1...99_999_999, using: &generator))
            let zeros = String(repeating: "0", count: Int.random(in: 0...2, using: &generator))
            tokens.append((Bool.random(using: &generator) ? "-" : "") + integer + "." + zeros + fraction)
        }
        var copied = 0
        for token in tokens {
            let text = #"{"value":\#(token)}"#
            guard let bytes = written(text) else { continue }
            XCTAssertEqual(bytes, try foundation(text), token)
            if bytes == #"{"value":\#(token)}"# { copied += 1 }
        }
        XCTAssertGreaterThan(copied, tokens.count / 2)
        for token in ["13.5", "-0.5", "123456789012345678", "0"] {
            XCTAssertTrue(Array(token.utf8).withUnsafeBytes(SortedKeysJSONText.isWrittenAsIs), token)
        }
        for token in ["-0", "13.50", "0.05", "1000000000.5", "1234567890123456789", "1e2", "1.0"] {
            XCTAssertFalse(Array(token.utf8).withUnsafeBytes(SortedKeysJSONText.isWrittenAsIs), token)
        }
    }

    func testItDeclinesWhatItCannotBeSureToWriteAsFoundationDoes() {
        for text in [#"{"a1":1}"#, #"{"é":1}"#, #"{"a-b":1}"#, #"{"key":"v","KEY":"w"}"#, #"{"a":1,"a":2}"#,
                     #"{"a":{"b":123456789012345678901234567890}}"#, #"{"a":0.30000000000000004}"#,
                     #"{"a":9223372036854775808}"#, #"{"a":1e400}"#, #"{"a":[{"b c":1}]}"#, #"{"\u0061":1}"#,
                     #"{"a":"\ud83d"}"#, #"{"a":"\ude00x"}"#, "{\"a\":\"\u{FEFF}x\"}", "{\"a\":\"x\\n\u{FEFF}\"}",
                     #"{"a":"\uFEFFx"}"#, #"{"a":1"#, #"{"a":"b}"#, #"{"a":1} x"#] {
            XCTAssertNil(written(text), text)
        }
    }

    /// A bundle entry's resource is found among the entry's members, whatever else the entry has.
    func testAnEntrysResourceIsWrittenAlone() throws {
        let resource = #"{ "resourceType": "Patient", "id": "p1", "name": [{"family": "O\u0027Brien", "given": ["Ann"]}] }"#
        let entry = #"{"fullUrl": "urn:uuid:1", "search": {"mode": "match", "score": 1.0, "x": [1, {"y": "}]\""}]},"#
            + #" "resource": \#(resource), "request": {"method": "PUT", "url": "Patient/p1"}}"#
        XCTAssertEqual(member("resource", of: entry), try foundation(resource))
        XCTAssertNil(member("resource", of: #"{"fullUrl":"urn:uuid:1"}"#), "no resource")
        XCTAssertNil(member("resource", of: #"{"resource":{"id":"a"},"resource":{"id":"b"}}"#), "two resources")
        XCTAssertNil(member("resource", of: #"{"resourc\u0065":{"id":"a"}}"#), "a key written with escapes")
        XCTAssertNil(member("resource", of: "{\"resource\":{\"id\":\"a\"},\"\u{FEFF}resource\":{\"id\":\"b\"}}"),
                     "a key Foundation reads as resource once its byte order mark is dropped")
        XCTAssertNil(member("resource", of: #"[{"resource":{"id":"a"}}]"#), "not an object")
    }
}
