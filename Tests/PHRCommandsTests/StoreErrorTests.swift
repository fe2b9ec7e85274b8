import Foundation
import PHRTestSupport
import XCTest

/// Stores phr must not use, and arguments it must refuse, whatever the command: each gives one
/// line, a sysexits code, and leaves the store as it was.
final class StoreErrorTests: PHRTestCase {
    func testStoreThatIsNotSQLiteIsRefusedUntouched() throws {
        try Data("name,born\nMaria,1968\n".utf8).write(to: URL(fileURLWithPath: storePath))
        for arguments in [["info"], ["init"], ["patient", "list"], ["patient", "add", "Maria Rossi"]] {
            try assertRefused(arguments, code: 65, mentions: [storePath, "not a phr store"])
        }
        XCTAssertEqual(try String(contentsOfFile: storePath, encoding: .utf8), "name,born\nMaria,1968\n")
    }

    func testSQLiteDatabaseOfAnotherProgramIsRefused() throws {
        try sqlite(storePath, "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        try assertRefused(["patient", "add", "Maria Rossi"], code: 65, mentions: ["not"])
    }

    func testStoreFromANewerPhrIsRefusedUntouched() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi")
        try sqlite(storePath, "INSERT INTO schema_migrations (identifier, sha256, applied_at) "
                   + "VALUES ('9999_future', '\(String(repeating: "0", count: 64))', '2099-01-01T00:00:00.000Z')")
        for arguments in [["info"], ["init"], ["patient", "list"], ["patient", "add", "Giulia Rossi"], ["undo"]] {
            try assertRefused(arguments, code: 65, mentions: ["newer"])
        }
    }

    func testFolderGivenAsTheStoreIsRefused() throws {
        try assertRefused(["init", "--db", folder.path], code: 65, mentions: ["folder"])
    }

    func testStoreInAFolderThatCannotBeCreatedIsRefused() throws {
        let blocker = try writeFile("blocker", "a file where a folder should be")
        let result = try phr("init", "--db", blocker + "/sub/phr.sqlite")
        XCTAssertEqual(result.status, 73, result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }

    func testUnknownFormatIsAUsageError() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi")
        for command in [["patient", "list"], ["provider", "list"], ["diagnosis", "list"], ["appointment", "list"],
                        ["opinion", "history"], ["record", "list"], ["history"]] {
            try assertRefused(command + ["--format", "xml"], code: 64, mentions: ["xml", "--format"])
        }
    }

    func testUnknownCommandOrOptionIsAUsageError() throws {
        try succeed("init")
        try assertRefused(["patients", "list"], code: 64, mentions: ["patients"])
        try assertRefused(["patient", "list", "--colour"], code: 64, mentions: ["--colour"])
    }

    /// Another process holding the write lock: phr waits (here half a second, `PHR_BUSY_WAIT`),
    /// then says so (75).
    func testBusyStoreIsReportedAndUnchanged() throws {
        try succeed("init")
        try succeed("patient", "add", "Maria Rossi")
        // sqlite3 takes the write lock, then sleeps inside its transaction until it is stopped.
        // It waits for the lock (`.timeout`): a probe below may hold it for a moment, and on a busy
        // machine the holder can start only then.
        let holder = try ChildProcess.start("/usr/bin/sqlite3", [storePath, ".timeout 10000", "BEGIN IMMEDIATE;",
                                                                 ".shell sleep 60"],
                                            environment: ["PATH": "/usr/bin:/bin"])
        defer { _ = try? holder.terminate() }
        // Wait until the lock is really held: a write from here must fail at once.
        var held = false
        for _ in 0..<50 {
            let probe = try PHRRunner.tool("/usr/bin/sqlite3", ["-cmd", ".timeout 0", storePath, "BEGIN IMMEDIATE; ROLLBACK;"], home: folder)
            if probe.status != 0 { held = true; break }
            usleep(100_000)
        }
        XCTAssertTrue(held, "sqlite3 holds the write lock")
        try assertRefused(["patient", "add", "Giulia Rossi"], code: 75, mentions: ["busy"], environment: ["PHR_BUSY_WAIT": "0.5"])
    }
}
