import Foundation
import PHRTestSupport
import XCTest

/// `phr backup FILE` and `phr backup restore FILE`: consistent, private, atomic copies; the age
/// format read and written both ways with Debian's `age`.
final class BackupCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try succeed("demo", "--db", storePath)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func age() throws -> (age: String, keygen: String) {
        (try RequiredTool.find(["/usr/bin/age"], install: "apt-get install age"),
         try RequiredTool.find(["/usr/bin/age-keygen"], install: "apt-get install age"))
    }

    /// Makes an age identity file; returns its path and recipient.
    private func keyPair() throws -> (identity: String, recipient: String) {
        let identity = path("key.txt")
        let made = try PHRRunner.tool(try age().keygen, ["-o", identity], home: folder)
        XCTAssertEqual(made.status, 0, made.stderr)
        let recipient = try PHRRunner.tool(try age().keygen, ["-y", identity], home: folder)
        return (identity, recipient.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs `age` with a passphrase typed at a pseudo-terminal (age reads it from /dev/tty only).
    private func ageWithPassphrase(_ arguments: [String], typing: String) throws -> PHRResult {
        let script = try RequiredTool.find(["/usr/bin/script"], install: "install util-linux")
        let command = ([try age().age] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try PHRRunner.run(["-qec", command, "/dev/null"], environment: [:], home: folder,
                                 executable: URL(fileURLWithPath: script), stdin: typing)
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? Int)
    }

    private func recordCount(_ store: String) throws -> String {
        try sqlite(store, "SELECT count(*) FROM records")
    }

    func testPlainBackupIsAPrivateSoundStoreAndRestores() throws {
        let backup = path("backup.sqlite")
        try succeed("backup", backup)
        XCTAssertEqual(try mode(backup), 0o600)
        XCTAssertEqual(try sqlite(backup, "PRAGMA integrity_check"), "ok\n")
        try assertRefused(["backup", backup], code: 73, mentions: ["exists", "--force"])
        try succeed("backup", backup, "--force")
        let restored = path("restored/phr.sqlite")
        try succeed("backup", "restore", backup, "--db", restored)
        XCTAssertEqual(try recordCount(restored), try recordCount(storePath))
        XCTAssertEqual(try phr("record", "get", "1", "--db", restored).stdout, try phr("record", "get", "1").stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".phr-") }, [])
    }

    func testRestoreNeverReplacesAStoreWithoutForceAndRefusesWhatIsNotAStore() throws {
        let backup = path("backup.sqlite")
        try succeed("backup", backup)
        try assertRefused(["backup", "restore", backup], code: 73, mentions: ["--force"])
        let notAStore = try writeFile("notes.txt", "not a store")
        try assertRefused(["backup", "restore", notAStore, "--force"], code: 65, mentions: ["not a phr backup"])
        try sqlite(path("other.sqlite"), "CREATE TABLE t (x)")
        try assertRefused(["backup", "restore", path("other.sqlite"), "--force"], code: 65, mentions: ["not a phr store"])
        try succeed("provider", "add", "Dr. Added After")
        try succeed("backup", "restore", backup, "--force")
        XCTAssertFalse(try succeed("provider", "list").stdout.contains("Dr. Added After"), "the backup replaced the store")
    }

    func testRecipientBackupDecryptsWithAgeAndAgeFilesRestore() throws {
        let (identity, recipient) = try keyPair()
        let backup = path("backup.age")
        try succeed("backup", backup, "--to", recipient)
        XCTAssertEqual(try mode(backup), 0o600)
        let plain = path("plain.sqlite")
        let decrypted = try PHRRunner.tool(try age().age, ["--decrypt", "-i", identity, "-o", plain, backup], home: folder)
        XCTAssertEqual(decrypted.status, 0, decrypted.stderr)
        XCTAssertEqual(try recordCount(plain), try recordCount(storePath))
        // And the other way: a file age encrypted, restored by phr.
        let byAge = path("by-age.age")
        let encrypted = try PHRRunner.tool(try age().age, ["--encrypt", "-r", recipient, "-o", byAge, plain], home: folder)
        XCTAssertEqual(encrypted.status, 0, encrypted.stderr)
        try succeed("backup", "restore", byAge, "--identity", identity, "--db", path("r1.sqlite"))
        try succeed("backup", "restore", backup, "--identity", identity, "--db", path("r2.sqlite"))
        XCTAssertEqual(try recordCount(path("r2.sqlite")), try recordCount(storePath))
        // Another key opens nothing.
        let other = path("other-key.txt")
        _ = try PHRRunner.tool(try age().keygen, ["-o", other], home: folder)
        try assertRefused(["backup", "restore", backup, "--identity", other, "--db", path("r3.sqlite")], code: 65,
                          mentions: ["cannot decrypt", "none of the given identities"])
        try assertRefused(["backup", path("x.age"), "--to", "age1notarecipient"], code: 64, mentions: ["--to"])
    }

    func testPassphraseBackupDecryptsWithAgeAndAgePassphraseFilesRestore() throws {
        let passphrase = try writeFile("passphrase.txt", "correct horse battery staple\n")
        let backup = path("backup.age")
        // Test-only work factor: phr uses age's 2^18 otherwise.
        try succeed(["backup", backup, "--passphrase", "--passphrase-file", passphrase], environment: ["PHR_TEST_SCRYPT_LOG2N": "10"])
        XCTAssertTrue(try String(contentsOfFile: backup, encoding: .isoLatin1).contains("-> scrypt "))
        let plain = path("plain.sqlite")
        let decrypted = try ageWithPassphrase(["--decrypt", "-o", plain, backup], typing: "correct horse battery staple\n")
        XCTAssertEqual(decrypted.status, 0, decrypted.stdout + decrypted.stderr)
        XCTAssertEqual(try recordCount(plain), try recordCount(storePath))
        let byAge = path("by-age.age")
        let encrypted = try ageWithPassphrase(["--passphrase", "-o", byAge, plain],
                                              typing: "correct horse battery staple\ncorrect horse battery staple\n")
        XCTAssertEqual(encrypted.status, 0, encrypted.stdout + encrypted.stderr)
        try succeed("backup", "restore", byAge, "--passphrase-file", passphrase, "--db", path("r1.sqlite"))
        XCTAssertEqual(try recordCount(path("r1.sqlite")), try recordCount(storePath))
        try succeed(["backup", "restore", backup, "--db", path("r2.sqlite")],
                    environment: ["PHR_BACKUP_PASSPHRASE": "correct horse battery staple"])
        let wrong = try writeFile("wrong.txt", "wrong")
        try assertRefused(["backup", "restore", backup, "--passphrase-file", wrong, "--db", path("r3.sqlite")], code: 65,
                          mentions: ["passphrase does not decrypt"])
    }

    func testPassphraseIsAskedAtTheTerminalTwice() throws {
        // Typed ahead into a pseudo-terminal, which echoes it before phr turns echo off: only the
        // asking (twice, from /dev/tty) is checked here, not the echo.
        let script = try RequiredTool.find(["/usr/bin/script"], install: "install util-linux")
        let backup = path("typed.age")
        let command = "'\(PHRRunner.binary.path)' backup '\(backup)' --passphrase"
        let typed = try PHRRunner.run(["-qec", command, "/dev/null"], environment: ["PHR_DB": storePath, "PHR_TEST_SCRYPT_LOG2N": "10"],
                                      home: folder, executable: URL(fileURLWithPath: script), stdin: "typed secret\ntyped secret\n")
        XCTAssertEqual(typed.status, 0, typed.stdout + typed.stderr)
        try succeed(["backup", "restore", backup, "--db", path("r.sqlite")], environment: ["PHR_BACKUP_PASSPHRASE": "typed secret"])
        let mismatch = try PHRRunner.run(["-qec", command + " --force", "/dev/null"], environment: ["PHR_DB": storePath],
                                         home: folder, executable: URL(fileURLWithPath: script), stdin: "one\ntwo\n")
        XCTAssertNotEqual(mismatch.status, 0)
        XCTAssertTrue(mismatch.stdout.contains("differ"), mismatch.stdout)
        try assertRefused(["backup", path("none.age"), "--passphrase"], code: 64, mentions: ["--passphrase-file"])
    }

    func testBackupIsConsistentWhileAnotherPhrWrites() throws {
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "for i in $(seq 1 30); do '\(PHRRunner.binary.path)' provider add \"Dr. Writer $i\" --db '\(storePath)' >/dev/null; done"]
        writer.environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "PHR_NOW": PHRRunner.now, "TZ": PHRRunner.timeZone]
        try writer.run()
        for n in 0..<5 {
            let backup = path("during-\(n).sqlite")
            try succeed("backup", backup)
            XCTAssertEqual(try sqlite(backup, "PRAGMA integrity_check"), "ok\n")
            XCTAssertEqual(try sqlite(backup, "PRAGMA foreign_key_check"), "")
        }
        writer.waitUntilExit()
    }
}
