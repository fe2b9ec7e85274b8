import Foundation
import XCTest

/// Every `--format json` output escapes text one way, the way phr's FHIR files do
/// (`JSONValueTests` in PHRExchangeTests holds the same strings).
final class JSONOutputTests: PHRTestCase {
    /// Quotes, a backslash, every kind of control character, U+2028, DEL and non-BMP text.
    static let awkward = "Rossi \"Mia\" \\ tab\t nl\n cr\r bell\u{07} bs\u{08} ff\u{0C} us\u{1F} del\u{7F} ls\u{2028} 😀 𝄞 end"
    /// How it is written, without its quotes.
    static let escaped = #"Rossi \"Mia\" \\ tab\t nl\n cr\r bell\u0007 bs\b ff\f us\u001f del"# + "\u{7F}"
        + #" ls\u2028 😀 𝄞 end"#

    func testListingsStatusAndComparisonsEscapeTextTheSameWay() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi")
        try succeed("provider", "add", Self.awkward)
        try succeed("diagnosis", "add", Self.awkward)
        try succeed("opinion", "add", "--diagnosis", "1", "--provider", "1", "--date", "2026-01-05",
                    "--conclusion", "Carcinoma")

        let listing = try succeed("provider", "list", "--format", "json").stdout
        XCTAssertTrue(listing.contains("\"\(Self.escaped)\""), listing)
        XCTAssertEqual(try succeed("provider", "list", "--format", "json").jsonArray().first?["name"] as? String,
                       Self.awkward)

        let status = try phr("status", "--format", "json").stdout
        XCTAssertTrue(status.contains("\"Diagnosis 1: \(Self.escaped)\""), status)

        let comparison = try succeed("opinion", "compare", "--diagnosis", "1", "--format", "json").stdout
        XCTAssertTrue(comparison.contains("\"\(Self.escaped)\""), comparison)
    }
}
