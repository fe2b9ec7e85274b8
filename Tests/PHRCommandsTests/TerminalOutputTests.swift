import Foundation
import PHRTestSupport
import XCTest

/// Colour only on a terminal, never with NO_COLOR. The terminal is a pseudo-terminal made by
/// util-linux `script`; a missing `script` fails the test.
final class TerminalOutputTests: PHRTestCase {
    func testColourOnlyOnATerminalAndNeverWithNoColor() throws {
        let script = try RequiredTool.find(["/usr/bin/script"], install: "install util-linux")
        try setUpPatientAndProviders()
        let command = "\(PHRRunner.binary.path) provider list"
        let onTerminal = try PHRRunner.run(["-qc", command, "/dev/null"], environment: ["PHR_DB": storePath, "TERM": "xterm", "NO_COLOR": ""],
                                           home: folder, executable: URL(fileURLWithPath: script))
        XCTAssertEqual(onTerminal.status, 0, onTerminal.stderr)
        XCTAssertTrue(onTerminal.stdout.contains("\u{1B}[1mID"), "bold headers on a terminal: \(onTerminal.stdout)")

        let noColor = try PHRRunner.run(["-qc", command, "/dev/null"], environment: ["PHR_DB": storePath, "TERM": "xterm", "NO_COLOR": "1"],
                                        home: folder, executable: URL(fileURLWithPath: script))
        XCTAssertEqual(noColor.status, 0, noColor.stderr)
        XCTAssertTrue(noColor.stdout.contains("Dr. Anna Weber"))
        XCTAssertFalse(noColor.stdout.contains("\u{1B}"), "no escape codes with NO_COLOR")

        let piped = try phr("provider", "list", environment: ["NO_COLOR": "", "TERM": "xterm"])
        XCTAssertFalse(piped.stdout.contains("\u{1B}"), "no escape codes when stdout is not a terminal")
    }
}
