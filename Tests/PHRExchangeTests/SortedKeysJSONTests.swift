import Foundation
@testable import PHRExchange
import PHRTestSupport
import XCTest

/// `SortedKeysJSON` writes exactly what Foundation's `JSONSerialization` writes with sorted keys
/// (the content hashes of every resource ever imported from JSON depend on it), or declines.
final class SortedKeysJSONTests: XCTestCase {
    /// What Foundation writes for `object` with sorted keys.
    private func foundation(_ object: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// `text` parsed as the importer parses it (the values are the parser's types).
    private func parsed(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testAFHIRResourceIsWrittenAsFoundationWritesIt() throws {
        let object = try parsed(#"""
            {"resourceType":"Observation","id":"obs-1","status":"final",
             "meta":{"profile":["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"]},
             "code":{"coding":[{"system":"http://loinc.org","code":"2039-6","display":"Carcinoembryonic Ag"}],"text":"CEA"},
             "subject":{"reference":"Patient/pat-1"},"effectiveDateTime":"2026-11-20T09:30:00+01:00",
             "valueQuantity":{"value":4.2,"unit":"ng/mL","system":"http://unitsofmeasure.org","code":"ng/mL"},
             "referenceRange":[{"low":{"value":0},"high":{"value":3.0}}],"_status":{"extension":[{"url":"x","valueBoolean":true}]},
             "note":[{"text":"Quoted \"value\", a back\\slash, a tab\t, é, 😀, \u0001 and \u001f"}],
             "component":[],"extension":[{"url":"http://example.org/a","valueInteger":-12},{"url":"b","valueDecimal":1e-7}],
             "issued":null,"interpretation":[{"coding":[{"code":"H"}]}],"Zebra":1,"alpha":2,"_alpha":3,"alpha_beta":4}
            """#)
        let bytes = try XCTUnwrap(SortedKeysJSON.bytes(of: object))
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), String(decoding: try foundation(object), as: UTF8.self))
    }

    /// Thousands of random objects, with keys of letters and `_` in both cases and every kind of
    /// value (escapes, control characters, non-ASCII text, integers large and small, floating-point
    /// numbers from random bits, Bools, nulls, nesting): whenever the writer answers, it answers
    /// Foundation's bytes; and it answers for most of them.
    func testRandomObjectsAreWrittenAsFoundationWritesThem() throws {
        var random = SeededGenerator(seed: 20261202)
        var answered = 0
        let trials = 3_000
        for trial in 0..<trials {
            let text = String(decoding: try JSONSerialization.data(withJSONObject: randomObject(depth: 0, &random)), as: UTF8.self)
            let object = try parsed(text)
            guard let bytes = SortedKeysJSON.bytes(of: object) else { continue }
            answered += 1
            let expected = try foundation(object)
            if bytes != expected {
                XCTFail("trial \(trial): \(text)\nwrote:     \(String(decoding: bytes, as: UTF8.self))\nFoundation: \(String(decoding: expected, as: UTF8.self))")
                return
            }
        }
        XCTAssertGreaterThan(answered, trials / 2, "the writer declined too often to be of use")
    }

    func testItDeclinesWhatItCannotBeSureToWriteAsFoundationDoes() throws {
        for text in [#"{"a1":1}"#, #"{"é":1}"#, #"{"a-b":1}"#, #"{"key":"v","KEY":"w"}"#,
                     #"{"a":{"b":123456789012345678901234567890}}"#, #"{"a":[{"b c":1}]}"#] {
            XCTAssertNil(SortedKeysJSON.bytes(of: try parsed(text)), text)
        }
        XCTAssertNil(SortedKeysJSON.bytes(of: ["a": Date()]))
    }

    /// The content hash of a parsed resource is the SHA-256 of Foundation's bytes, as it always was.
    func testTheContentHashIsUnchanged() throws {
        let object = try parsed(#"{"resourceType":"Patient","id":"p","name":[{"family":"Example","given":["Ada"]}],"birthDate":"1970-01-01"}"#)
        let place = ImportPlace(file: "test.json", position: .wholeFile)
        XCTAssertEqual(try ContentHash.sha256(canonical: object, place: place),
                       try foundation(object).withUnsafeBytes { ContentHash.sha256($0) })
    }

    // MARK: Random JSON

    private func randomKey(_ random: inout SeededGenerator) -> String {
        let letters = Array("abzABZ_")
        let length = Int.random(in: 1...4, using: &random)
        return String((0..<length).map { _ in letters[Int.random(in: 0..<letters.count, using: &random)] })
    }

    private func randomString(_ random: inout SeededGenerator) -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{1}", "\u{1f}", "\u{7f}",
                      "é", "中", "😀", "\u{2028}", "0", "-", "{", "}", ":"]
        let length = Int.random(in: 0...8, using: &random)
        return (0..<length).map { _ in pieces[Int.random(in: 0..<pieces.count, using: &random)] }.joined()
    }

    private func randomScalar(_ random: inout SeededGenerator) -> Any {
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return randomString(&random)
        case 1: return Bool.random(using: &random)
        case 2: return NSNull()
        case 3: return Int.random(in: -1_000...1_000, using: &random)
        case 4: return Int.random(in: Int.min...Int.max, using: &random)
        case 5: return Double(Int.random(in: -100_000...100_000, using: &random)) / 100
        case 6: return [0.1, 1e21, 1e-7, -0.0, 100.0, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 123456.789][Int.random(in: 0..<8, using: &random)]
        default:
            let bits = UInt64.random(in: 0...UInt64.max, using: &random)
            let value = Double(bitPattern: bits)
            return value.isFinite ? value : 1.5
        }
    }

    private func randomObject(depth: Int, _ random: inout SeededGenerator) -> [String: Any] {
        var object: [String: Any] = [:]
        for _ in 0..<Int.random(in: 0...6, using: &random) {
            object[randomKey(&random)] = randomValue(depth: depth + 1, &random)
        }
        return object
    }

    private func randomValue(depth: Int, _ random: inout SeededGenerator) -> Any {
        guard depth < 4 else { return randomScalar(&random) }
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return randomObject(depth: depth, &random)
        case 1: return (0..<Int.random(in: 0...3, using: &random)).map { _ in randomValue(depth: depth + 1, &random) }
        default: return randomScalar(&random)
        }
    }
}
