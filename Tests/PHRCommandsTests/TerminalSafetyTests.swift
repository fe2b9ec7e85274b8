import Foundation
import XCTest

/// Text from the store or an imported file never drives the terminal: every place phr prints it
/// for people shows control characters as visible escapes, JSON keeps the exact text, and CSV
/// cells that a spreadsheet would run as formulas are neutralised unless `--raw`.
final class TerminalSafetyTests: WorkflowCommandTestCase {
    /// Retitles the terminal, clears the screen, a C1 CSI, a bidi override.
    private let hostile = "Dr. Evil \u{1B}]0;OWNED\u{07}\u{1B}[2J\u{9B}31m\u{202E}reversed"
    private let shownAs = "Dr. Evil \\x1B]0;OWNED\\x07\\x1B[2J\\x9B31m\\u202Ereversed"

    private func assertNoControls(_ result: PHRResult, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for (stream, text) in [("stdout", result.stdout), ("stderr", result.stderr)] {
            let controls = text.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
            }
            XCTAssertTrue(controls.isEmpty, "\(what): \(stream) holds control characters \(controls.map { String($0.value, radix: 16) })",
                          file: file, line: line)
        }
    }

    func testStoredTextShowsItsControlCharactersAsVisibleEscapesInEveryReport() throws {
        try setUpCase()
        try succeed("provider", "add", hostile, "--specialty", "oncology")
        try succeed("diagnosis", "add", "Carcinoma \u{1B}[2J", "--provider", "5", "--stage", "I\u{202E}IA")
        try addOpinion("Weber", daysAgo: 5, recommendation: "Surgery first")
        try addOpinion("5", daysAgo: 2, recommendation: "Chemotherapy \u{1B}[2J first", stage: "IIB")

        let list = try succeed("provider", "list")
        assertNoControls(list, "provider list")
        XCTAssertTrue(list.stdout.contains("\\x1B]0;OWNED"), list.stdout)

        let show = try succeed("provider", "show", "5")
        assertNoControls(show, "provider show")
        XCTAssertTrue(show.stdout.contains(shownAs), show.stdout)

        let status = try phr("status", "--diagnosis", "2")
        assertNoControls(status, "status")
        XCTAssertTrue(status.stdout.contains("Carcinoma \\x1B[2J"), status.stdout)

        let compare = try succeed("opinion", "compare", "--diagnosis", "1")
        assertNoControls(compare, "opinion compare")
        XCTAssertTrue(compare.stdout.contains("\\x1B]0;OWNED"), compare.stdout)

        let added = try succeed("provider", "add", "Dr. Second \u{9B}2J")
        assertNoControls(added, "the confirmation line")
        XCTAssertTrue(added.stdout.contains("Dr. Second \\x9B2J"), added.stdout)

        let ambiguous = try phr("diagnosis", "add", "X", "--provider", "Dr")
        XCTAssertNotEqual(ambiguous.status, 0)
        assertNoControls(ambiguous, "an ambiguous-name error")

        let missing = try phr("diagnosis", "add", "X", "--provider", "nobody \u{1B}[2J")
        XCTAssertEqual(missing.status, 65)
        assertNoControls(missing, "a no-match error")
        XCTAssertTrue(missing.stderr.contains("nobody \\x1B[2J"), missing.stderr)

        // JSON keeps the exact text for programs.
        let json = try succeed("provider", "show", "5", "--format", "json").jsonObject()
        XCTAssertEqual(json["name"] as? String, hostile)
    }

    func testAnImportSummaryShowsUnresolvedReferencesWithVisibleEscapes() throws {
        try succeed("init")
        let input = try writeFile("portal.ndjson", """
            {"resourceType":"Patient","id":"p1","name":[{"family":"Rossi","given":["Maria"]}],"birthDate":"1968-04-02"}
            {"resourceType":"Encounter","id":"e1","status":"planned","subject":{"reference":"Patient/p1"},"participant":[{"individual":{"reference":"Practitioner/\\u001b]0;OWNED\\u0007\\u001b[2J"}}],"period":{"start":"2026-12-03T09:30:00-05:00"}}

            """)
        let result = try succeed("import", input)
        assertNoControls(result, "import summary")
        XCTAssertTrue(result.stdout.contains("Practitioner/\\x1B]0;OWNED\\x07\\x1B[2J"), result.stdout)
    }

    func testCSVNeutralisesCellsASpreadsheetWouldRunUnlessRaw() throws {
        try setUpPatientAndProviders()
        for name in ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "Dr. Plain"] {
            try succeed("provider", "add", "--", name)
        }
        try succeed("result", "add", "--date", day(-1), "Tumour size change", "--", "-5", "mm")

        let names = try CSVParser.parse(try succeed("provider", "list", "--format", "csv").stdout).dropFirst().map { $0[3] }
        XCTAssertTrue(names.contains("'=HYPERLINK(\"http://x\",\"y\")"), "\(names)")
        XCTAssertTrue(names.contains("'+1+1"), "\(names)")
        XCTAssertTrue(names.contains("'-2+3"), "\(names)")
        XCTAssertTrue(names.contains("'@SUM(A1)"), "\(names)")
        XCTAssertTrue(names.contains("Dr. Plain"), "\(names)")

        let raw = try CSVParser.parse(try succeed("provider", "list", "--format", "csv", "--raw").stdout).dropFirst().map { $0[3] }
        XCTAssertTrue(raw.contains("=HYPERLINK(\"http://x\",\"y\")"), "\(raw)")

        // A negative number is a number, not a formula; text that starts with a minus is neutralised.
        let table = try CSVParser.parse(try succeed("result", "list", "--format", "csv").stdout)
        let header = try XCTUnwrap(table.first)
        let row = try XCTUnwrap(table.dropFirst().first)
        let cell = { (key: String) in header.firstIndex(of: key).map { row[$0] } }
        XCTAssertEqual(cell("value_number"), "-5")
        XCTAssertEqual(cell("value"), "'-5 mm")
    }
}
