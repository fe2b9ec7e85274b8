import Foundation
import PHRStore
import XCTest
import PHRExchange

/// `JSONValue` is phr's one JSON writer: FHIR files and every command's `--format json` escape text
/// the same way (`JSONOutputTests` in PHRCommandsTests checks the commands against these strings).
final class JSONValueTests: PacketTestCase {
    /// Quotes, a backslash, every kind of control character, U+2028, DEL and non-BMP text.
    static let awkward = "Rossi \"Mia\" \\ tab\t nl\n cr\r bell\u{07} bs\u{08} ff\u{0C} us\u{1F} del\u{7F} ls\u{2028} 😀 𝄞 end"
    /// How it is written, quotes included.
    static let literal = #""Rossi \"Mia\" \\ tab\t nl\n cr\r bell\u0007 bs\b ff\f us\u001f del"# + "\u{7F}"
        + #" ls\u2028 😀 𝄞 end""#

    func testStringsEscapeQuotesBackslashesAndControlCharactersAndKeepNonBMPTextAsUTF8() {
        XCTAssertEqual(JSONValue.quoted(Self.awkward), Self.literal)
        XCTAssertEqual(JSONValue.string(Self.awkward).rendered(), Self.literal + "\n")
        XCTAssertEqual(JSONValue.quoted("\u{0}"), #""\u0000""#)
    }

    /// Text without anything to escape is written whole; every Unicode scalar, alone and between
    /// letters, is written as the scalar-by-scalar escaping writes it.
    func testEveryScalarIsWrittenAsScalarByScalarEscapingWritesIt() {
        func escapedScalarByScalar(_ text: String) -> String {
            var output = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case "\u{08}": output += "\\b"
                case "\u{0C}": output += "\\f"
                default:
                    if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                        let hex = String(scalar.value, radix: 16)
                        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            }
            return output + "\""
        }
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for text in [String(scalar), "a" + String(scalar) + "b"] {
                XCTAssertEqual(JSONValue.quoted(text), escapedScalarByScalar(text), "U+\(String(value, radix: 16))")
            }
        }
        for text in [Self.awkward, "", "plain ASCII", "Crème brûlée 日本語 👨‍👩‍👧", "e\u{301}\"", "\u{2027}\u{202A}\u{2028}"] {
            XCTAssertEqual(JSONValue.quoted(text), escapedScalarByScalar(text))
        }
    }

    func testWhatIsWrittenReadsBackAsTheSameText() throws {
        let text = JSONValue.object([("name", .string(Self.awkward)), ("none", .null)]).rendered()
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["name"] as? String, Self.awkward)
        XCTAssertTrue(parsed["none"] is NSNull)
    }

    func testFHIRFilesEscapeTextTheSameWay() throws {
        let patient = try store.write("patient add") { try store.addPatient(Patient(name: Self.awkward)) }
        try export("packet", scope: ExportScope(patientID: patient.id))
        let text = try String(contentsOfFile: path("packet") + "/fhir.json", encoding: .utf8)
        XCTAssertTrue(text.contains(Self.literal), "fhir.json holds the name escaped as every JSON output does")
    }
}
