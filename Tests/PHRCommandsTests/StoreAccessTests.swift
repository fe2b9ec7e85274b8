import Foundation
@testable import PHRStore
import PHRTestSupport
import XCTest

/// What `--db` may name and how phr shares the store with other phr processes: a FIFO or an empty
/// file is refused at once with the reason; a store on read-only media can be read but not
/// changed; a writer that finds the store busy waits (saying so after a second) and gives up with
/// exit 75 only after `PHR_BUSY_WAIT` seconds.
final class StoreAccessTests: PHRTestCase {
    /// A store of an earlier phr is upgraded by the first command that opens it, which says so on
    /// stderr (an upgrade may copy every record file); the commands after it say nothing.
    func testAStoreOfAnEarlierPhrIsUpgradedOnceAndSaysSo() throws {
        do {
            let earlier = try Connection(path: storePath)
            try Migrator(migrations: HealthStore.migrator.migrations.dropLast()).migrate(earlier)
        }
        let first = try phr("provider", "list")
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stderr, "phr: upgrading the store for this version of phr (once; this may take a moment)…\n")
        let applied = try sqlite(storePath, "SELECT identifier FROM schema_migrations ORDER BY identifier DESC LIMIT 1")
        XCTAssertEqual(applied, (HealthStore.migrator.migrations.last?.identifier ?? "") + "\n")
        let second = try phr("provider", "list")
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.stderr, "")
        let new = try phr("init", "--db", folder.appendingPathComponent("new.sqlite").path)
        XCTAssertEqual(new.status, 0, new.stderr)
        XCTAssertFalse(new.stderr.contains("upgrading"), "a new store is made, not upgraded: \(new.stderr)")
    }

    func testAFIFOAsTheStoreIsRefusedInsteadOfHanging() throws {
        let fifo = folder.appendingPathComponent("pipe.sqlite").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let result = try phr("diagnosis", "list", "--db", fifo)
        XCTAssertEqual(result.status, 65, result.stderr)
        XCTAssertTrue(result.stderr.contains("FIFO"), result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
    }

    func testAnEmptyFileBecomesAStoreOnlyByInit() throws {
        let empty = try writeFile("empty.sqlite", "")
        let refused = try phr("diagnosis", "list", "--db", empty)
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is an empty file, not a store yet; `phr init --db \(empty)` makes it one"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: empty)).count, 0, "the file is left as it was")
        try succeed("init", "--db", empty)
        try succeed("provider", "list", "--db", empty)
    }

    func testAStoreOnReadOnlyMediaCanBeReadButNotChanged() throws {
        let unshare = try RequiredTool.find(["/usr/bin/unshare"], install: "install util-linux")
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412")
        let before = try storeDump()
        // A private mount namespace in which the test's folder is mounted read-only.
        let phrPath = PHRRunner.binary.path
        let script = """
            mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 90
            touch "$1/probe" 2>/dev/null && exit 91
            "$2" diagnosis list --format csv || echo "list failed: $?"
            "$2" status >/dev/null; echo "status: $?"
            "$2" provider add "Dr. New" 2>&1; echo "add: $?"
            "$2" check --compact 2>&1; echo "compact: $?"
            """
        let result = try PHRRunner.run(["-rm", "sh", "-c", script, "sh", folder.path, phrPath],
                                       environment: ["PHR_DB": storePath], home: folder, executable: URL(fileURLWithPath: unshare))
        XCTAssertNotEqual(result.status, 90, "could not mount read-only: \(result.stderr)")
        XCTAssertNotEqual(result.status, 91, "the folder is still writable")
        XCTAssertTrue(result.stdout.contains("Invasive ductal carcinoma"), "list reads the read-only store: \(result.stdout) \(result.stderr)")
        XCTAssertFalse(result.stdout.contains("list failed"), result.stdout + result.stderr)
        XCTAssertFalse(result.stdout.contains("status: 7"), "status reads it too: \(result.stdout) \(result.stderr)")
        XCTAssertTrue(result.stdout.contains("can only be read"), result.stdout)
        XCTAssertTrue(result.stdout.contains("add: 73"), result.stdout)
        XCTAssertTrue(result.stdout.contains("compact: 73"), result.stdout)
        XCTAssertEqual(try storeDump(), before)
    }

    /// Runs `script` (with `$1` this test's folder, `$2` phr, `$3` `argument`) in a private mount
    /// namespace whose `$1/small` is a file system of `size` of its own; exit 90 means the mount
    /// failed, 91 that setting up the store did.
    private func onASmallDisk(_ size: String, _ script: String, argument: String) throws -> PHRResult {
        let unshare = try RequiredTool.find(["/usr/bin/unshare"], install: "install util-linux")
        let mount = "mkdir -p \"$1/small\" && mount -t tmpfs -o size=\(size) tmpfs \"$1/small\" || exit 90\n"
        let result = try PHRRunner.run(["-rm", "sh", "-c", mount + script, "sh", folder.path, PHRRunner.binary.path, argument],
                                       environment: [:], home: folder, executable: URL(fileURLWithPath: unshare))
        XCTAssertNotEqual(result.status, 90, "could not mount a small file system: \(result.stderr)")
        XCTAssertNotEqual(result.status, 91, result.stdout + result.stderr)
        return result
    }

    /// A file the disk cannot take twice over (the write-ahead log, then the store) is refused
    /// before anything is written, saying what it needs and what is free.
    func testAFileTheDiskHasNoRoomForIsRefusedWithTheStoreUnchanged() throws {
        let big = folder.appendingPathComponent("scan.bin")
        try Data(repeating: 7, count: 16 << 20).write(to: big)
        // 12 MiB: room to make a store (its migrations pass up to 8 MiB of 16 KiB pages through
        // the write-ahead log), not for the scan.
        let result = try onASmallDisk("12m", """
            export PHR_DB="$1/small/phr.sqlite"
            "$2" init >/dev/null && "$2" patient add "Alex Testperson" >/dev/null || exit 91
            "$2" record add "$3" --title Scan 2>&1; echo "add: $?"
            "$2" record list --format csv | wc -l
            ls -a "$1/small"
            """, argument: big.path)
        XCTAssertTrue(result.stdout.contains("not enough free space to store \(big.path): it needs about 51 MB"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("add: 74"), result.stdout)
        XCTAssertTrue(result.stdout.contains("\n1\n"), "no record was added: \(result.stdout)")
        XCTAssertFalse(result.stdout.contains("phr.sqlite-wal"), "no log left: \(result.stdout)")
    }

    /// Compacting needs room for twice the store's data (the rebuilt copy, and the log it goes
    /// through): without it, the store is left as it was, and phr says what is needed and free.
    func testCompactingWithoutRoomOnTheDiskIsRefusedWithTheStoreUnchanged() throws {
        // 24 MiB: room for a store with 6 MiB unused, not for the 16 MiB margin besides its data.
        let result = try onASmallDisk("24m", """
            export PHR_DB="$1/small/phr.sqlite"
            "$2" init >/dev/null || exit 91
            sqlite3 "$PHR_DB" "CREATE TABLE junk (x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6)
                INSERT INTO junk SELECT zeroblob(1048576) FROM n; DROP TABLE junk;" || exit 91
            before=$(stat -c %s "$PHR_DB")
            "$2" check --compact 2>&1; echo "compact: $?"
            echo "sizes: $before $(stat -c %s "$PHR_DB")"
            """, argument: "")
        XCTAssertTrue(result.stdout.contains("phr: not enough free space to compact \(folder.path)/small/phr.sqlite: it needs about "),
                      result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("nothing was changed"), result.stdout)
        XCTAssertTrue(result.stdout.contains("compact: 74"), result.stdout)
        let sizes = try XCTUnwrap(result.lines.first { $0.hasPrefix("sizes: ") }).split(separator: " ")
        XCTAssertEqual(sizes.count, 3, result.stdout)
        XCTAssertEqual(sizes[1], sizes[2], "the store file is as it was")
    }

    /// A disk that fills up while a change is written: SQLite's full-disk error, and nothing
    /// changed (an import's attachments under 1 MiB are stored from memory, without the check
    /// made for a file).
    func testADiskThatFillsUpDuringAChangeIsReportedWithTheStoreUnchanged() throws {
        let input = try writeFile("docs.ndjson", Self.documents(count: 20, bytesEach: 700_000))
        let result = try onASmallDisk("12m", """
            export PHR_DB="$1/small/phr.sqlite"
            "$2" init >/dev/null || exit 91
            "$2" import "$3" 2>&1; echo "import: $?"
            "$2" record list --format csv 2>&1 | wc -l
            """, argument: input)
        XCTAssertTrue(result.stdout.contains("the disk is full: nothing was changed"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("import: 74"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("1\n"), "no record was added: \(result.stdout)")
    }

    /// A change that fits in the write-ahead log while its copy into the store does not: it is
    /// saved, phr says where, and it is read back; once there is room, the next command copies it
    /// in and the log is gone.
    func testAChangeLeftInTheLogForLackOfRoomIsSaidAndKept() throws {
        let input = try writeFile("docs.ndjson", Self.documents(count: 14, bytesEach: 700_000))
        let result = try onASmallDisk("20m", """
            export PHR_DB="$1/small/phr.sqlite"
            "$2" init >/dev/null || exit 91
            "$2" import "$3" >/dev/null 2>"$1/import.err"; echo "import: $?"; cat "$1/import.err"
            echo "records: $("$2" record list --format csv | wc -l)"
            test -s "$1/small/phr.sqlite-wal" && echo "log kept"
            mount -o remount,size=40m "$1/small" || exit 92
            "$2" info >/dev/null
            test -e "$1/small/phr.sqlite-wal" || echo "log copied in"
            echo "after: $("$2" record list --format csv | wc -l)"
            """, argument: input)
        XCTAssertTrue(result.stdout.contains("import: 0"), result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("phr: the disk is full: the change is saved, in \(folder.path)/small/phr.sqlite-wal beside the store"),
                      result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("records: 15"), result.stdout)
        XCTAssertTrue(result.stdout.contains("log kept"), result.stdout)
        XCTAssertNotEqual(result.status, 92, "could not grow the file system: \(result.stderr)")
        XCTAssertTrue(result.stdout.contains("log copied in"), result.stdout)
        XCTAssertTrue(result.stdout.contains("after: 15"), result.stdout)
    }

    /// `phr check` reports changes waiting in the log for room as a problem (a copy of the store
    /// file alone would lack them), with `--fix` too, and copies them in once there is room.
    func testCheckReportsChangesWaitingInTheLogForRoom() throws {
        let input = try writeFile("docs.ndjson", Self.documents(count: 14, bytesEach: 700_000))
        let result = try onASmallDisk("20m", """
            export PHR_DB="$1/small/phr.sqlite"
            "$2" init >/dev/null && "$2" import "$3" >/dev/null 2>&1 || exit 91
            "$2" check 2>&1; echo "check: $?"
            "$2" check --fix 2>&1; echo "fix: $?"
            mount -o remount,size=40m "$1/small" || exit 92
            "$2" check 2>&1; echo "after: $?"
            test -e "$1/small/phr.sqlite-wal" || echo "log copied in"
            echo "records: $("$2" record list --format csv | wc -l)"
            """, argument: input)
        let waiting = "problem: changes are waiting in \(folder.path)/small/phr.sqlite-wal ("
        let parts = result.stdout.components(separatedBy: waiting)
        XCTAssertEqual(parts.count, 3, "said by check and by check --fix: \(result.stdout)\(result.stderr)")
        XCTAssertTrue(result.stdout.contains(" MB) beside the store, for lack of room to copy them into it: 0 MB are free on its disk; "
                                             + "a copy of the store file alone lacks them"), result.stdout)
        XCTAssertTrue(result.stdout.contains("check: 1"), result.stdout)
        XCTAssertTrue(result.stdout.contains("fix: 1"), result.stdout)
        XCTAssertFalse(result.stdout.contains("another phr"), "no reader is blamed: \(result.stdout)")
        XCTAssertNotEqual(result.status, 92, "could not grow the file system: \(result.stderr)")
        XCTAssertTrue(result.stdout.contains("The store is sound"), result.stdout)
        XCTAssertTrue(result.stdout.contains("after: 0"), result.stdout)
        XCTAssertTrue(result.stdout.contains("log copied in"), result.stdout)
        XCTAssertTrue(result.stdout.contains("records: 15"), result.stdout)
    }

    /// A backup to a disk without room for it names that disk's file, and leaves nothing there.
    func testABackupToAFullDiskSaysWhereThereIsNoRoom() throws {
        try succeed("demo", "--db", storePath)
        let result = try onASmallDisk("1m", """
            "$2" backup "$1/small/phr-backup.sqlite" --db "$3" 2>&1; echo "backup: $?"
            ls -A "$1/small" | wc -l
            """, argument: storePath)
        XCTAssertTrue(result.stdout.contains("phr: the disk is full: there is no room for the backup at \(folder.path)/small/phr-backup.sqlite; no backup was written, and the store is unchanged"),
                      result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("backup: 74"), result.stdout)
        XCTAssertTrue(result.stdout.hasSuffix("\n0\n"), "nothing left on the disk: \(result.stdout)")
    }

    /// One patient and `count` DocumentReferences, each with `bytesEach` random-looking bytes inline
    /// (base64, kept in memory by the import below 1 MiB), as NDJSON.
    private static func documents(count: Int, bytesEach: Int) -> String {
        var lines = [#"{"resourceType":"Patient","id":"p1","name":[{"family":"Testperson","given":["Alex"]}]}"#]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for index in 0 ..< count {
            let bytes = (0 ..< bytesEach).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            lines.append(#"{"resourceType":"DocumentReference","id":"d\#(index)","status":"current","subject":{"reference":"Patient/p1"},"#
                + #""content":[{"attachment":{"contentType":"application/octet-stream","title":"scan \#(index)","data":""#
                + Data(bytes).base64EncodedString() + #""}}]}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func testAWriterWaitsForAnotherAndSaysSo() throws {
        try setUpPatientAndProviders()
        let holder = try lockStore()
        DispatchQueue.global().asyncAfter(deadline: .now() + 2.5) { holder.release() }
        let waited = try phr("provider", "add", "Dr. Waited")
        XCTAssertEqual(waited.status, 0, waited.stderr)
        XCTAssertTrue(waited.stderr.contains("waiting for another phr"), "says why nothing happens: \(waited.stderr)")
        holder.wait()
        XCTAssertTrue(try succeed("provider", "list").stdout.contains("Dr. Waited"))
    }

    func testAWriterGivesUpWithExit75AfterItsWait() throws {
        try setUpPatientAndProviders()
        let before = try storeDump()
        let holder = try lockStore()
        defer { holder.release(); holder.wait() }
        let start = Date()
        let result = try phr("provider", "add", "Dr. Impatient", environment: ["PHR_BUSY_WAIT": "1.5"])
        XCTAssertEqual(result.status, 75, result.stderr)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 1.4, "it waited before giving up")
        XCTAssertTrue(result.stderr.contains("PHR_BUSY_WAIT"), result.stderr)
        holder.release()
        holder.wait()
        XCTAssertEqual(try storeDump(), before)
    }

    /// Another process (the sqlite3 shell) holding the store's write lock until released.
    private final class LockHolder: @unchecked Sendable {
        let process: Process
        let input: Pipe
        private let lock = NSLock()
        private var released = false

        init(process: Process, input: Pipe) {
            self.process = process
            self.input = input
        }

        func release() {
            lock.lock()
            defer { lock.unlock() }
            guard !released else { return }
            released = true
            input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
            try? input.fileHandleForWriting.close()
        }

        func wait() { process.waitUntilExit() }
    }

    private func lockStore() throws -> LockHolder {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [storePath]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // `.timeout`: a probe below may hold the lock for a moment just as the shell asks for it.
        input.fileHandleForWriting.write(Data(".timeout 10000\nBEGIN IMMEDIATE;\n".utf8))
        // Wait until the lock is held: another writer that does not wait finds the store busy.
        for _ in 0..<400 {
            let probe = try PHRRunner.tool("/usr/bin/sqlite3", ["-cmd", ".timeout 0", storePath, "BEGIN IMMEDIATE; ROLLBACK;"], home: folder)
            if probe.status != 0 { return LockHolder(process: process, input: input) }
            usleep(50_000)
        }
        XCTFail("the sqlite3 shell did not take the write lock")
        return LockHolder(process: process, input: input)
    }
}
