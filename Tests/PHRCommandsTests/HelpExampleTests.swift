import Foundation
import XCTest

/// The examples in every command's help run as printed: on an 80-column terminal no example line
/// is wrapped (a long one is split with `\` by hand), and `phr completion bash` prints a script.
final class HelpExampleTests: PHRTestCase {
    /// Every command path: the groups listed by `phr --help`, then their subcommands.
    private func commandPaths() throws -> [[String]] {
        func subcommands(_ path: [String]) throws -> [String] {
            let help = try succeed(path + ["--help"], environment: ["COLUMNS": "200"]).stdout
            guard let start = help.range(of: "SUBCOMMANDS:\n") else { return [] }
            return help[start.upperBound...].split(separator: "\n").compactMap { line in
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
                return line.split(separator: " ").first.map(String.init)
            }.filter { $0 != "help" }
        }
        var paths: [[String]] = []
        for group in try subcommands([]) {
            paths.append([group])
            paths += try subcommands([group]).map { [group, $0] }
        }
        return paths
    }

    func testHelpExamplesAreNeverWrapped() throws {
        let paths = try commandPaths()
        XCTAssertGreaterThan(paths.count, 60)
        for path in paths {
            let wide = try succeed(path + ["--help"], environment: ["COLUMNS": "400"]).lines
            let narrow = Set(try succeed(path + ["--help"], environment: ["COLUMNS": "80"]).lines)
            var continued = false
            for line in wide {
                let isExample = continued || line.trimmingCharacters(in: .whitespaces).hasPrefix("phr ")
                continued = isExample && line.hasSuffix("\\")
                guard isExample else { continue }
                XCTAssertTrue(narrow.contains(line), "phr \(path.joined(separator: " ")) --help: the example is wrapped at 80 columns: \(line)")
            }
        }
    }

    func testCompletionScriptsForEachShell() throws {
        XCTAssertTrue(try succeed("completion", "bash").stdout.contains("complete -o filenames -F _phr phr"), "a bash completion script")
        XCTAssertFalse(try succeed("completion", "zsh").stdout.isEmpty)
        XCTAssertFalse(try succeed("completion", "fish").stdout.isEmpty)
        let bash = try succeed("completion", "bash").stdout
        XCTAssertTrue(bash.contains("third-opinion") && bash.contains("email"), "values and aliases complete")
        try assertRefused(["completion", "tcsh"], code: 64, mentions: ["bash", "zsh", "fish"])
    }
}
