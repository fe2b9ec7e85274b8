import Foundation
import XCTest

/// A program a test needs (a FHIR validator, `script` for a pseudo-terminal, `sha256sum`).
///
/// A missing tool fails the test: a suite that skips what it cannot check would pass without
/// checking it. Only `PHR_TEST_SKIP_MISSING_TOOLS=1`, set on purpose, turns that into a skip.
public enum RequiredTool {
    public static let skipVariable = "PHR_TEST_SKIP_MISSING_TOOLS"

    /// The tool is not installed; the message says how to install it.
    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    /// The first of `candidates` that is an executable file.
    public static func find(_ candidates: [String], install: String) throws -> String {
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        let message = "none of \(candidates.joined(separator: ", ")) is installed; \(install) "
            + "(or set \(skipVariable)=1 to skip the tests that need it)"
        if ProcessInfo.processInfo.environment[skipVariable] == "1" { throw XCTSkip(message) }
        throw Missing(description: message)
    }
}
