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
        var random = SeededGenerator(seed: 20261202)
        var answered = 0
        let trials = 4_000
        for trial in 0..<trials {
            let text = randomObject(depth: 0, &random)
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

    // MARK: Random JSON text

    private func pick<T>(_ items: [T], _ random: inout SeededGenerator) -> T {
        items[Int.random(in: 0..<items.count, using: &random)]
    }

    private func space(_ random: inout SeededGenerator) -> String {
        pick(["", "", "", " ", "\n  ", "\t", "\r\n"], &random)
    }

    private func randomKey(_ random: inout SeededGenerator) -> String {
        // Now and then a key the writer must decline (a digit, a hyphen, written with an escape).
        if Int.random(in: 0..<60, using: &random) == 0 { return pick(["a1", "a-b", #"\u0061"#, "é"], &random) }
        let letters = Array("abzABZ_")
        return String((0..<Int.random(in: 1...4, using: &random)).map { _ in pick(letters, &random) })
    }

    /// A string as JSON text, each character written raw or escaped in one of the ways JSON allows.
    private func randomString(_ random: inout SeededGenerator) -> String {
        let pieces: [[String]] = [
            ["a"], ["Z"], [" "], [#"\""#], [#"\\"#], ["/", #"\/"#], [#"\n"#, #"\u000a"#], [#"\r"#], [#"\t"#, #"\u0009"#],
            [#"\b"#], [#"\f"#], [#"\u0001"#], [#"\u001F"#, #"\u001f"#], ["\u{7f}", #"\u007F"#], ["é", #"\u00e9"#, #"\u00E9"#],
            ["中", #"\u4e2d"#], ["😀", #"\ud83d\ude00"#, #"\uD83D\uDE00"#], ["\u{2028}", #"\u2028"#], ["0"], ["-"], ["{"], ["}"], [":"],
        ]
        let length = Int.random(in: 0...8, using: &random)
        var characters = (0..<length).map { _ in pick(pick(pieces, &random), &random) }
        // Now and then a byte order mark, which Foundation's parser drops where a run of plain text
        // begins (the writer must decline those strings).
        if Int.random(in: 0..<40, using: &random) == 0 {
            characters.insert(pick(["\u{FEFF}", #"\ufeff"#], &random), at: Int.random(in: 0...characters.count, using: &random))
        }
        return "\"" + characters.joined() + "\""
    }

    /// A number in one of the forms JSON allows, with and without fractions and exponents.
    private func randomNumber(_ random: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return String(Int.random(in: -1_000...1_000, using: &random))
        case 1: return String(Int.random(in: Int.min...Int.max, using: &random))
        case 2: return String(format: "%.2f", Double(Int.random(in: -100_000...100_000, using: &random)) / 100)
        case 3:
            return pick(["0", "-0", "0.0", "-0.0", "1.0", "100.0", "2.50", "1e2", "1E+2", "1e-7", "1.5e300", "5E-324",
                         "0.1", "1e21", "123456.789", "1.7976931348623157e308", "12345678901234", "0.000001"], &random)
        case 4: return String(Double(Int.random(in: 1...999_999, using: &random)) / 1_000) + pick(["", "e3", "E-2", "e+1"], &random)
        case 5: return pick(["123456789012345678901", "0.30000000000000004", "3.141592653589793238"], &random)
        case 6:
            // Most doubles from random bits need 16 or 17 digits, which Foundation keeps as decimals.
            let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &random))
            return value.isFinite ? "\(value)" : "1.5"
        default:
            return String(format: "%.\(Int.random(in: 0...14, using: &random))g", Double.random(in: -1e6...1e6, using: &random))
        }
    }

    private func randomScalar(_ random: inout SeededGenerator) -> String {
        switch Int.random(in: 0..<6, using: &random) {
        case 0, 1: return randomString(&random)
        case 2: return pick(["true", "false", "null"], &random)
        default: return randomNumber(&random)
        }
    }

    private func randomObject(depth: Int, _ random: inout SeededGenerator) -> String {
        var keys: [String] = []
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            let key = randomKey(&random)
            // Foundation's parser keeps one of two equal keys; the generator writes each once.
            if !keys.contains(key) { keys.append(key) }
        }
        let members = keys.map { "\(space(&random))\"\($0)\"\(space(&random)):\(space(&random))\(randomValue(depth: depth + 1, &random))" }
        return "{" + members.joined(separator: space(&random) + ",") + space(&random) + "}"
    }

    private func randomValue(depth: Int, _ random: inout SeededGenerator) -> String {
        guard depth < 4 else { return randomScalar(&random) }
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return randomObject(depth: depth, &random)
        case 1:
            let items = (0..<Int.random(in: 0...3, using: &random)).map { _ in space(&random) + randomValue(depth: depth + 1, &random) }
            return "[" + items.joined(separator: ",") + space(&random) + "]"
        default: return randomScalar(&random)
        }
    }
}
