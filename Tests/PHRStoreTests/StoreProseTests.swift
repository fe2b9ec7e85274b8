import Foundation
import XCTest

/// Issue 10, item 6 (command side): PHRStore says what to do as data (`NextStep`, typed errors);
/// only the command line spells `phr …` commands. A message or hint of the store's that named one
/// would go stale the day a command is renamed, and would be wrong for any other front end.
final class StoreProseTests: XCTestCase {
    private static let commandWords = [
        "init", "info", "demo", "patient", "provider", "diagnosis", "appointment", "opinion", "record", "transfer",
        "question", "decision", "status", "config", "export", "import", "search", "timeline", "undo", "history",
        "restore", "result", "medication", "allergy", "procedure", "immunization",
        "family-history",
    ]

    func testStoreSourcesSpellNoPHRCommandOutsideComments() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/PHRStore")
        let files = try XCTUnwrap(FileManager.default.enumerator(atPath: sources.path)?.allObjects as? [String])
            .filter { $0.hasSuffix(".swift") }
        XCTAssertGreaterThan(files.count, 10)
        let command = try NSRegularExpression(pattern: "phr (\(Self.commandWords.joined(separator: "|")))\\b")
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//") else { continue }
                let range = NSRange(code.startIndex..., in: code)
                if command.firstMatch(in: code, range: range) != nil { found.append("\(file):\(number + 1): \(code)") }
            }
        }
        XCTAssertEqual(found, [], "PHRStore spells phr commands")
    }
}
