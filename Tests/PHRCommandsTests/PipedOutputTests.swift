import Foundation
import PHRTestSupport
import XCTest

/// Tables piped or written to a file keep one line per row, so that grep and copying see whole
/// rows; suggested commands are printed whole.
final class PipedOutputTests: WorkflowCommandTestCase {
    func testPipedTablesNeverWrapWhateverColumnsSays() throws {
        try setUpCase()
        let name = "pathology_report_from_the_city_hospital_laboratory_2026.txt"
        let file = try writeFile(name, "Invasive ductal carcinoma, grade 2.\n")
        try succeed("record", "add", file, "--kind", "pathology", "--title",
                    "Core biopsy pathology report with immunohistochemistry and the full microscopic description")
        let list = try succeed(["record", "list"], environment: ["COLUMNS": "60"])
        XCTAssertEqual(list.lines.count, 2, "a header and one row: \(list.stdout)")
        XCTAssertTrue(list.lines[1].contains(name), list.stdout)
        XCTAssertTrue(list.lines[1].contains("full microscopic description"), list.stdout)
    }

    func testStatusPrintsItsNextStepsWhole() throws {
        try setUpCase()
        try addOpinion("Weber", daysAgo: 9, recommendation: "Mastectomy")
        try addSecondOpinionAppointment(daysAhead: 7)
        let status = try phr(["status"], environment: ["COLUMNS": "80"])
        XCTAssertTrue(status.stdout.contains("phr appointment edit 1 --insurance approved|pending|denied|not-needed"), status.stdout)
    }

    func testOnANarrowTerminalWordsAndFileNamesStayWhole() throws {
        let script = try RequiredTool.find(["/usr/bin/script"], install: "install util-linux")
        try setUpCase()
        let name = "pathology_report_from_the_city_hospital_laboratory_2026.txt"
        let file = try writeFile(name, "Invasive ductal carcinoma, grade 2.\n")
        try succeed("record", "add", file, "--kind", "pathology", "--title",
                    "Core biopsy pathology report with immunohistochemistry and the full microscopic description")
        let onTerminal = try PHRRunner.run(["-qc", "\(PHRRunner.binary.path) record list", "/dev/null"],
                                           environment: ["PHR_DB": storePath, "TERM": "dumb", "COLUMNS": "70"],
                                           home: folder, executable: URL(fileURLWithPath: script))
        XCTAssertEqual(onTerminal.status, 0, onTerminal.stderr)
        XCTAssertTrue(onTerminal.stdout.contains(name), "the file name is not split: \(onTerminal.stdout)")
        XCTAssertTrue(onTerminal.stdout.contains("immunohistochemistry"), onTerminal.stdout)
        // (A terminal ends lines with "\r\n", one Character in Swift: count the scalars.)
        XCTAssertGreaterThan(onTerminal.stdout.unicodeScalars.filter { $0 == "\n" }.count, 2,
                             "the title wraps between words: \(onTerminal.stdout)")
    }
}
