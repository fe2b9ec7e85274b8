import Foundation
import XCTest

/// `phr init`, `phr info`, the store's file, completion scripts and help.
final class StoreCommandTests: PHRTestCase {
    func testInitCreatesTheStoreAndSaysWhereItIs() throws {
        let result = try succeed("init")
        XCTAssertEqual(result.stdout, "Store ready at \(storePath) (schema \(try currentSchema())).\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: storePath))
    }

    func testInitTwiceKeepsTheData() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi")
        let before = try storeDump()
        try succeed("init")
        XCTAssertEqual(try storeDump(), before)
    }

    func testDbOptionWinsOverTheEnvironment() throws {
        let other = folder.appendingPathComponent("other.sqlite").path
        try succeed("init", "--db", other)
        XCTAssertTrue(FileManager.default.fileExists(atPath: other))
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath), "PHR_DB is not used when --db is given")
    }

    func testWithoutDbOrPHRDBTheStoreIsUnderXDGDataHome() throws {
        let dataHome = folder.appendingPathComponent("data")
        let result = try PHRRunner.run(["init"], environment: ["XDG_DATA_HOME": dataHome.path], home: folder)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dataHome.appendingPathComponent("phr/phr.sqlite").path))
    }

    func testInfoShowsPathSchemaAndCounts() throws {
        try setUpPatientAndProviders()
        let lines = try succeed("info").lines
        XCTAssertEqual(lines.first, "store:   \(storePath)")
        XCTAssertTrue(lines.contains("schema:  \(try currentSchema())"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("sqlite:  3.") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.range(of: #"^patients:\s+1$"#, options: .regularExpression) != nil }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.range(of: #"^providers:\s+3$"#, options: .regularExpression) != nil }, "\(lines)")
    }

    func testCommandsOtherThanInitDoNotCreateAStore() throws {
        try assertRefused(["patient", "list"], code: 66, mentions: ["no store", "phr init"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath))
    }

    /// A copy of the binary alone (no resources next to it) creates a sound, private WAL store.
    func testBinaryCopiedAloneCreatesAPrivateSoundStore() throws {
        let lonely = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: lonely, withIntermediateDirectories: true)
        let copy = lonely.appendingPathComponent("phr")
        try FileManager.default.copyItem(at: PHRRunner.binary, to: copy)
        let store = folder.appendingPathComponent("new-folder/health.sqlite")
        let result = try PHRRunner.run(["init", "--db", store.path], environment: [:], home: folder, executable: copy,
                                       currentDirectory: lonely)
        XCTAssertEqual(result.status, 0, result.stderr)
        let added = try PHRRunner.run(["patient", "add", "Maria Rossi", "--db", store.path], environment: [:], home: folder,
                                      executable: copy, currentDirectory: lonely)
        XCTAssertEqual(added.status, 0, added.stderr)

        XCTAssertEqual(try sqlite(store.path, "PRAGMA integrity_check"), "ok\n")
        XCTAssertEqual(try sqlite(store.path, "PRAGMA journal_mode"), "wal\n")
        XCTAssertEqual(try posixMode(store.path), 0o600)
        XCTAssertEqual(try posixMode(store.deletingLastPathComponent().path), 0o700)
    }

    func testCompletionScriptsAreGeneratedForBashZshAndFish() throws {
        for (shell, marker) in [("bash", "-F _phr phr"), ("zsh", "#compdef phr"), ("fish", "complete -c 'phr'")] {
            let result = try succeed("--generate-completion-script", shell)
            XCTAssertTrue(result.stdout.contains(marker), "\(shell) completion contains \(marker)")
            XCTAssertTrue(result.stdout.contains("appointment"), "\(shell) completion knows the subcommands")
        }
    }

    func testVersionIsPrinted() throws {
        let result = try succeed("--version")
        XCTAssertTrue(result.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, result.stdout)
    }

    /// Every command and subcommand, found by walking `--help`, has a one-line abstract and an example.
    func testEveryCommandsHelpHasAnAbstractAndAnExample() throws {
        var pending: [[String]] = [[]]
        var seen = 0
        while let path = pending.popLast() {
            let help = try succeed(path + ["--help"]).stdout
            seen += 1
            let name = (["phr"] + path).joined(separator: " ")
            let overview = help.split(separator: "\n").first.map(String.init) ?? ""
            XCTAssertTrue(overview.hasPrefix("OVERVIEW: ") && overview.count > 20, "\(name): an abstract: \(overview)")
            XCTAssertTrue(help.contains("Example"), "\(name) --help has an example")
            pending += Self.subcommands(in: help).map { path + [$0] }
        }
        XCTAssertGreaterThan(seen, 40, "the walk reached every command")
    }

    /// The names listed under SUBCOMMANDS in a help text.
    static func subcommands(in help: String) -> [String] {
        guard let section = help.range(of: "SUBCOMMANDS:\n") else { return [] }
        return help[section.upperBound...].split(separator: "\n").compactMap { line in
            guard let match = line.range(of: #"^  [a-z][a-z-]*( |$)"#, options: .regularExpression) else { return nil }
            return line[match].trimmingCharacters(in: .whitespaces)
        }.filter { $0 != "help" }
    }

    private func currentSchema() throws -> String {
        try sqlite(storePath, "SELECT identifier FROM schema_migrations ORDER BY identifier DESC LIMIT 1")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func posixMode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try XCTUnwrap(attributes[.posixPermissions] as? Int) & 0o777
    }
}
