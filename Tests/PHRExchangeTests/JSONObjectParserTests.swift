import Foundation
@testable import PHRExchange
import XCTest

/// `JSONObjectParser` parses JSON text into exactly the values Foundation's `JSONSerialization`
/// gives (same types, same numbers, same strings), or declines and lets Foundation parse it.
final class JSONObjectParserTests: XCTestCase {
    private func foundation(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    private func parsed(_ text: String) -> [String: Any]? {
        Array(text.utf8).withUnsafeBytes { JSONObjectParser.object(in: $0) }
    }

    /// Whether `a` and `b` are the same JSON value with the same Swift and Foundation types: the
    /// same kind of number (`NSNumber`'s type code, decimal or not), equal strings, members, items.
    private func same(_ a: Any, _ b: Any) -> Bool {
        guard "\(type(of: a))" == "\(type(of: b))" else { return false }
        switch (a, b) {
        case let (a as [String: Any], b as [String: Any]):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { same(value, $0) } ?? false }
        case let (a as [Any], b as [Any]):
            return a.count == b.count && zip(a, b).allSatisfy(same)
        case let (a as String, b as String):
            return a == b
        case let (a as NSNumber, b as NSNumber):
            return String(cString: a.objCType) == String(cString: b.objCType) && a == b
                && (a is NSDecimalNumber) == (b is NSDecimalNumber) && a.description == b.description
        default:
            return JSONKind.isNull(a) && JSONKind.isNull(b)
        }
    }

    func testAResourceAsPortalsWriteItIsParsedAsFoundationParsesIt() throws {
        let text = #"""
            {
              "resourceType" : "Observation", "id": "obs-1", "status": "final",
              "meta": {"profile": ["http:\/\/hl7.org\/fhir\/us\/core\/StructureDefinition\/us-core-observation-lab"]},
              "code": {"coding": [{"system": "http://loinc.org", "code": "2039-6", "display": "Carcinoembryonic Ag"}], "text": "CEA"},
              "subject": {"reference": "Patient/pat-1"}, "effectiveDateTime": "2026-11-20T09:30:00+01:00",
              "valueQuantity": {"value": 4.20, "unit": "ng/mL", "system": "http://unitsofmeasure.org", "code": "ng/mL"},
              "referenceRange": [{"low": {"value": 0}, "high": {"value": 3.0}}, {"low": {"value": -0}, "high": {"value": 1E+2}}],
              "note": [{"text": "Quoted \"value\", a back\\slash, a tab\t, \u00e9 and é, \ud83d\ude00 and 😀, \u0001, \u001F, \b\f\r\n"}],
              "component": [ ], "extension": [{"url": "b", "valueDecimal": 1e-7}, {"url": "c", "valueInteger": -12},
                                              {"url": "d", "valueDecimal": 3.141592653589793238}],
              "issued": null, "_status": {"extension": [{"url": "x", "valueBoolean": true}]}, "Zebra": false
            }
            """#
        let object = try XCTUnwrap(parsed(text), "the parser declined an ordinary resource")
        XCTAssertTrue(same(object, try foundation(text)), "\(object)")
        XCTAssertEqual(object["id"] as? String, "obs-1")
        XCTAssertEqual(((object["note"] as? [Any])?.first as? [String: Any])?["text"] as? String,
                       "Quoted \"value\", a back\\slash, a tab\t, é and é, 😀 and 😀, \u{1}, \u{1F}, \u{8}\u{C}\r\n")
    }

    /// Thousands of random texts with every escape, number form, literal and nesting JSON has:
    /// whenever the parser answers, Foundation parses the text to the same values; and it answers
    /// for most of them.
    func testRandomTextsAreParsedAsFoundationParsesThem() throws {
        var random = RandomJSONText(seed: 20261203)
        var answered = 0
        let trials = 4_000
        for trial in 0..<trials {
            let text = random.object()
            let expected: Any
            do { expected = try foundation(text) } catch {
                XCTFail("trial \(trial): Foundation did not parse \(text)")
                return
            }
            guard let object = parsed(text) else { continue }
            answered += 1
            if !same(object, expected) {
                XCTFail("trial \(trial): \(text)\nparsed:     \(object)\nFoundation: \(expected)")
                return
            }
        }
        XCTAssertGreaterThan(answered, trials * 3 / 4, "the parser declined too often to be of use")
    }

    func testItDeclinesWhatFoundationMightReadOtherwise() {
        let declined: [(String, String)] = [
            ("\u{FEFF}{\"a\":1}", "a byte order mark before the object"),
            ("{\"a\":\"\u{FEFF}x\"}", "a byte order mark in a string"),
            (#"{"a":"\uFEFFx"}"#, "an escaped byte order mark"),
            (#"{"a":1,"a":2}"#, "two members with one key"),
            (#"{"a":"\ud83d"}"#, "a lone high surrogate"),
            (#"{"a":"\ude00x"}"#, "a lone low surrogate"),
            (#"{"a":"\ud83dx\ude00"}"#, "a high surrogate not followed by its low one"),
            (#"{"a":"x\u0000"}"#, "an escaped NUL"),
            (#"[{"a":1}]"#, "an array at the top"),
            (#""a""#, "a string at the top"),
            (String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600), "nesting too deep"),
        ]
        for (text, why) in declined {
            XCTAssertNil(parsed(text), why)
        }
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        XCTAssertNil(bytes.withUnsafeBytes { JSONObjectParser.object(in: $0) }, "bytes that are not UTF-8")
    }

    func testTextThatIsNotJSONIsDeclinedAndRefusedByFoundation() {
        for text in [#"{"a":1"#, #"{"a":"b}"#, #"{"a":1} x"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":tru}"#, #"{"a" 1}"#,
                     "{\"a\":\"line\nbreak\"}", #"{"a":"\x"}"#, #"{a:1}"#, "", "   "] {
            XCTAssertNil(parsed(text), text)
            XCTAssertThrowsError(try Array(text.utf8).withUnsafeBytes { try JSONObjectParser.parse($0) }, text)
        }
    }

    /// `parse` gives Foundation's answer for what the parser declines: a byte order mark, and the
    /// trailing commas Foundation accepts.
    func testParseFallsBackToFoundation() throws {
        for text in [#"{"a":[1,]}"#, #"{"a":1,}"#] {
            XCTAssertNil(parsed(text), text)
            let fromParse = try Array(text.utf8).withUnsafeBytes { try JSONObjectParser.parse($0) }
            XCTAssertTrue(same(fromParse, try foundation(text)), text)
        }
        let text = "\u{FEFF}{\"a\":[1,\"\u{FEFF}b\"],\"c\":{\"d\":null}}"
        let fromParse = try Array(text.utf8).withUnsafeBytes { try JSONObjectParser.parse($0) }
        XCTAssertTrue(same(fromParse, try foundation(text)))
        let fragment = try Array("12.5".utf8).withUnsafeBytes { try JSONObjectParser.parse($0, fragmentsAllowed: true) }
        XCTAssertEqual(fragment as? NSNumber, 12.5)
    }
}
