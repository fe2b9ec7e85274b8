import Foundation
import XCTest

/// `phr guide` prints docs/GUIDE.md, and every command in it runs as written, in order, on a new
/// default store (the first one creates it).
final class GuideTests: PHRTestCase {
    static let guideFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/GUIDE.md")

    func testGuideIsTheGuideFile() throws {
        let file = try String(contentsOf: Self.guideFile, encoding: .utf8)
        XCTAssertEqual(try succeed("guide").stdout, file)
        XCTAssertEqual(try succeed("help", "guide").stdout, file)
    }

    func testEveryCommandInTheGuideRuns() throws {
        let guide = try succeed("guide").stdout
        let commands = Self.commands(inCodeBlocksOf: guide)
        XCTAssertGreaterThanOrEqual(commands.count, 20, "the guide walks through the whole second opinion")
        try writeFile("pathology-report.txt", "Pathology report\nInvasive ductal carcinoma, grade 2\n")
        let defaultStore = folder.appendingPathComponent(".local/share/phr/phr.sqlite").path
        for (index, command) in commands.enumerated() {
            let words = try XCTUnwrap(Self.shellWords(command), command)
            XCTAssertEqual(words.first, "phr", command)
            let result = try phr(Array(words.dropFirst()), environment: ["PHR_DB": ""])
            let allowed: Set<Int32> = words.dropFirst().first == "status" && words.count == 2 ? [0, 1] : [0]
            XCTAssertTrue(allowed.contains(result.status), "\(command): exit \(result.status): \(result.stderr)")
            if index == 0 {
                XCTAssertEqual(result.stderr, "phr: created your store at \(defaultStore) (first use; a backup is one copy of it)\n")
            } else {
                XCTAssertEqual(result.stderr, "", command)
            }
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("packet-for-dr-chen.zip").path))
        let compare = try phr(["opinion", "compare", "--format", "json"], environment: ["PHR_DB": ""]).jsonObject()
        XCTAssertEqual(compare["verdict"] as? String, "differ")
        // The facts a new doctor reads first are in the store, in the categories they belong to.
        let results = try phr(["result", "list", "--format", "json"], environment: ["PHR_DB": ""]).jsonArray()
        XCTAssertEqual(results.map { $0["category"] as? String }, ["biomarker", "tumour-marker"])
        let allergies = try phr(["allergy", "list", "--format", "json"], environment: ["PHR_DB": ""]).jsonArray()
        XCTAssertEqual(allergies.map { $0["substance"] as? String }, ["penicillin"])
    }

    /// The lines of ```sh blocks that start with `phr`, with `\` continuations joined.
    static func commands(inCodeBlocksOf text: String) -> [String] {
        var commands: [String] = []
        var inBlock = false
        var pending = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") { inBlock = line.hasPrefix("```sh"); continue }
            guard inBlock else { continue }
            let joined = pending.isEmpty ? line : pending + " " + line.trimmingCharacters(in: .whitespaces)
            if joined.hasSuffix("\\") {
                pending = String(joined.dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            pending = ""
            if joined.hasPrefix("phr ") || joined == "phr" { commands.append(joined) }
        }
        return commands
    }

    /// Words as a POSIX shell splits them, for the quoting the guide uses ("…" and '…').
    static func shellWords(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil else { return nil }
        if inWord { words.append(current) }
        return words
    }
}
