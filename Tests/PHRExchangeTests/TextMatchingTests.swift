import Foundation
@testable import PHRExchange
import XCTest

/// The mappers' byte-level text tests answer as the Foundation calls they replace.
final class TextMatchingTests: XCTestCase {
    func testContainsAnswersAsFoundationForASCIIText() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("ab/-c")
        func text(_ length: Int) -> String { String((0..<length).map { _ in alphabet.randomElement(using: &random)! }) }
        for _ in 0..<3_000 {
            let haystack = text(Int.random(in: 0...12, using: &random))
            let needle = text(Int.random(in: 1...4, using: &random))
            XCTAssertEqual(haystack.contains(utf8: needle), haystack.range(of: needle) != nil, "\(needle) in \(haystack)")
        }
        let profile = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-tnm-pathological-primary-tumor-category"
        XCTAssertTrue(profile.contains(utf8: "/mcode"))
        XCTAssertTrue(profile.split(separator: "/").last!.contains(utf8: "pathologic"))
        XCTAssertFalse(profile.contains(utf8: "clinical"))
        XCTAssertFalse("".contains(utf8: "a"))
    }

    func testAnInstantHasFHIRsShape() {
        for accepted in ["2026-11-25T14:42:19Z", "2026-11-25T14:42:19.049Z", "2026-11-25T09:42:19-05:00",
                         "2026-11-25T09:42:19.123456789+14:00", "0001-01-01T00:00:00.1Z"] {
            XCTAssertTrue(isFHIRInstant(accepted), accepted)
        }
        for refused in ["", "2026-11-25", "2026-11-25T14:42Z", "2026-11-25T14:42:19", "2026-11-25T14:42:19.Z",
                        "2026-11-25T14:42:19.1234567890Z", "2026-11-25 14:42:19Z", "2026-11-25T14:42:19+0500",
                        "2026-11-25T14:42:19ZZ", "2026-11-25T14:42:19-05:00 ", "٢٠٢٦-11-25T14:42:19Z", "26-11-25T14:42:19Z"] {
            XCTAssertFalse(isFHIRInstant(refused), refused)
        }
    }

    /// The regular expression `DocumentReferenceMapper` used, against the byte test, on damaged instants.
    func testAnInstantIsWhatTheRegularExpressionAccepted() throws {
        let pattern = try NSRegularExpression(pattern: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"#)
        var random = SystemRandomNumberGenerator()
        let pieces = Array("0123456789-T:.Z+ ")
        let seeds = ["2026-11-25T14:42:19.049Z", "2026-11-25T09:42:19-05:00", "2026-11-25T14:42:19Z"]
        for _ in 0..<5_000 {
            var text = Array(seeds.randomElement(using: &random)!)
            for _ in 0..<Int.random(in: 0...2, using: &random) {
                let index = Int.random(in: 0..<text.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: text[index] = pieces.randomElement(using: &random)!
                case 1: text.remove(at: index)
                default: text.insert(pieces.randomElement(using: &random)!, at: index)
                }
            }
            let candidate = String(text)
            let matched = pattern.firstMatch(in: candidate, range: NSRange(candidate.startIndex..., in: candidate)) != nil
            XCTAssertEqual(isFHIRInstant(candidate), matched, candidate)
        }
    }
}
