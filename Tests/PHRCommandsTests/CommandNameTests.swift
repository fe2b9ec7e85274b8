import Foundation
import XCTest

/// Every command names itself in its `CommandConfiguration`. Without a `commandName`,
/// swift-argument-parser derives the name from the type with `String(describing:)`, whose first
/// use on each type scans the runtime's protocol conformances: for phr's hundred-odd commands that
/// was about a quarter of every command's start-up, whichever command ran.
final class CommandNameTests: XCTestCase {
    func testEveryCommandConfigurationNamesItsCommand() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PHRCommands")
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var configurations = 0
        var unnamed: [String] = []
        for case let file as URL in files where file.pathExtension == "swift" {
            let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            for (index, line) in lines.enumerated() where line.contains("CommandConfiguration(") {
                configurations += 1
                let call = lines[index...].prefix(2).joined(separator: "\n")
                if !call.contains("commandName:") { unnamed.append("\(file.lastPathComponent):\(index + 1)") }
            }
        }
        XCTAssertGreaterThan(configurations, 100, "the command sources were not found under \(sources.path)")
        XCTAssertEqual(unnamed, [], "give these commands a commandName")
    }
}
