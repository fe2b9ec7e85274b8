import Foundation
import XCTest

/// A test with its own folder and its own store (`PHR_DB` points at it; it does not exist until a
/// test runs `phr init` or `setUpStore`).
class PHRTestCase: XCTestCase {
    private(set) var folder: URL!
    var storePath: String { folder.appendingPathComponent("phr.sqlite").path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("phr-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: PHRRunner.binary.path),
                      "the phr binary is built next to the tests: \(PHRRunner.binary.path)")
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
        try super.tearDownWithError()
    }

    // MARK: Running phr

    /// Runs `phr` on this test's store.
    @discardableResult
    func phr(_ arguments: String..., environment: [String: String] = [:], stdin: String? = nil) throws -> PHRResult {
        try phr(arguments, environment: environment, stdin: stdin)
    }

    @discardableResult
    func phr(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> PHRResult {
        var environment = environment
        if environment["PHR_DB"] == nil { environment["PHR_DB"] = storePath }
        return try PHRRunner.run(arguments, environment: environment, home: folder, stdin: stdin)
    }

    /// Runs `phr` and fails the test unless it exits 0 with nothing on stderr.
    @discardableResult
    func succeed(_ arguments: String..., environment: [String: String] = [:],
                 file: StaticString = #filePath, line: UInt = #line) throws -> PHRResult {
        try succeed(arguments, environment: environment, file: file, line: line)
    }

    @discardableResult
    func succeed(_ arguments: [String], environment: [String: String] = [:],
                 file: StaticString = #filePath, line: UInt = #line) throws -> PHRResult {
        let result = try phr(arguments, environment: environment)
        XCTAssertEqual(result.status, 0, "phr \(arguments.joined(separator: " ")) failed: \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr, "", "phr \(arguments.joined(separator: " ")) wrote to stderr", file: file, line: line)
        return result
    }

    /// Runs a command that must be refused: exit `code`, one line on stderr naming `mentions`,
    /// nothing on stdout, no crash, and the store byte-for-byte the same (compared by
    /// `sqlite3 .dump`, or by the file's bytes when it is not an SQLite database).
    @discardableResult
    func assertRefused(_ arguments: [String], code: Int32, mentions: [String] = [],
                       environment: [String: String] = [:],
                       file: StaticString = #filePath, line: UInt = #line) throws -> PHRResult {
        let before = try storeDump()
        let result = try phr(arguments, environment: environment)
        let command = "phr " + arguments.joined(separator: " ")
        XCTAssertEqual(result.status, code, "\(command): exit status (stderr: \(result.stderr))", file: file, line: line)
        XCTAssertEqual(result.stdout, "", "\(command): nothing on stdout", file: file, line: line)
        let errorLines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(errorLines.count, 2, "\(command): exactly one line on stderr: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("phr: "), "\(command): stderr starts with 'phr: ': \(result.stderr)", file: file, line: line)
        for word in ["Fatal error", "Stack dump", "Backtrace", "Swift runtime failure"] {
            XCTAssertFalse(result.stderr.contains(word), "\(command): crashed: \(result.stderr)", file: file, line: line)
        }
        for mention in mentions {
            XCTAssertTrue(result.stderr.localizedCaseInsensitiveContains(mention),
                          "\(command): stderr mentions '\(mention)': \(result.stderr)", file: file, line: line)
        }
        let after = try storeDump()
        XCTAssertEqual(before, after, "\(command): the store is unchanged", file: file, line: line)
        return result
    }

    // MARK: Dates

    /// The calendar day `offset` days from the day of `now` in `timeZone` (by default the runner's
    /// pinned clock), as `YYYY-MM-DD`. Computed with Foundation's calendar, independently of phr.
    func day(_ offset: Int, now: String = PHRRunner.now, timeZone: String = PHRRunner.timeZone,
             file: StaticString = #filePath, line: UInt = #line) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .current
        let formatter = ISO8601DateFormatter()
        guard let instant = formatter.date(from: now),
              let shifted = calendar.date(byAdding: .day, value: offset, to: instant) else {
            XCTFail("not an instant: \(now)", file: file, line: line)
            return ""
        }
        let parts = calendar.dateComponents([.year, .month, .day], from: shifted)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    // MARK: The store

    /// The whole store as SQL text (`sqlite3 STORE .dump`); the raw bytes, hex-encoded, when the
    /// file is not an SQLite database; a marker when there is no store.
    func storeDump(at path: String? = nil) throws -> String {
        let path = path ?? storePath
        guard FileManager.default.fileExists(atPath: path) else { return "<no store>" }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        guard bytes.starts(with: Data("SQLite format 3\u{0}".utf8)) else {
            return "<not sqlite> " + bytes.map { String(format: "%02x", $0) }.joined()
        }
        let dump = try sqlite(path, ".dump")
        XCTAssertFalse(dump.isEmpty, "sqlite3 dumps the store")
        return dump
    }

    /// Runs `sqlite3 PATH SQL` and returns its output; fails the test when sqlite3 fails.
    @discardableResult
    func sqlite(_ path: String, _ sql: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try PHRRunner.tool("/usr/bin/sqlite3", [path, sql], home: folder)
        XCTAssertEqual(result.status, 0, "sqlite3 \(sql): \(result.stderr)", file: file, line: line)
        return result.stdout
    }

    /// Writes a small file into the test's folder and returns its path.
    @discardableResult
    func writeFile(_ name: String, _ contents: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    // MARK: A typical case

    /// A store with one patient (Maria Rossi) and three providers (Dr. Anna Weber, Dr. Anton Berg,
    /// Dr. Paul Chen), used by the tests of the commands that refer to them.
    func setUpPatientAndProviders() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi", "--born", "1968-04-02", "--sex", "female")
        try succeed("provider", "add", "Dr. Anna Weber", "--specialty", "medical oncology", "--organization", "City Hospital")
        try succeed("provider", "add", "Dr. Anton Berg", "--specialty", "breast surgery", "--organization", "City Hospital")
        try succeed("provider", "add", "Dr. Paul Chen", "--specialty", "breast medical oncology",
                    "--organization", "Lakeside Comprehensive Cancer Center")
    }
}
