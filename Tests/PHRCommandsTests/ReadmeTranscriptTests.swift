import Foundation
import PHRTestSupport
import XCTest

/// The README's demo session is what phr prints: `scripts/demo-transcript` runs its commands again
/// (120-column pseudo-terminal, the README's clock) and its output must be the README's block,
/// the demo's folder and the UUIDs aside (both random). After a change of output, run the script
/// and paste what it prints into the README.
final class ReadmeTranscriptTests: PHRTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The README's session: its indented block from `$ phr demo` to its first unindented line,
    /// less the indentation and the blank lines at its end.
    static func readmeSession() throws -> String {
        let readme = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
        var lines: [String] = []
        for line in readme.components(separatedBy: "\n") {
            if lines.isEmpty {
                if line == "    $ phr demo" { lines.append("$ phr demo") }
            } else if line.isEmpty || line.hasPrefix("    ") {
                lines.append(String(line.dropFirst(min(4, line.count))))
            } else {
                break
            }
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    func testTheReadmesDemoSessionIsWhatPhrPrints() throws {
        _ = try RequiredTool.find(["/usr/bin/script"], install: "install util-linux")
        let session = try Self.readmeSession()
        XCTAssertTrue(session.contains("$ phr provider list") && session.contains("$ phr undo"), "the README shows a session")
        let script = Self.repository.appendingPathComponent("scripts/demo-transcript")
        let result = try PHRRunner.run([PHRRunner.binary.path], environment: [:], home: folder, executable: script,
                                       currentDirectory: Self.repository)
        XCTAssertEqual(result.status, 0, result.stderr)
        var printed = result.stdout
        while printed.hasSuffix("\n") { printed.removeLast() }
        let expected = session.components(separatedBy: "\n"), actual = printed.components(separatedBy: "\n")
        for (index, (want, got)) in zip(expected, actual).enumerated() where want != got {
            XCTFail("README line \(index + 1) of the session: README has\n\(want)\nphr prints\n\(got)\n(run scripts/demo-transcript to see it all)")
            break
        }
        XCTAssertEqual(expected.count, actual.count, "lines of the session: run scripts/demo-transcript to see what phr prints")
    }
}
