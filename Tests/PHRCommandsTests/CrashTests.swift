import Foundation
import PHRTestSupport
import XCTest

/// `kill -9` at random moments of import (a zip), export (new and --force), record add, record
/// get and undo; after each kill the store must pass SQLite's integrity and foreign-key checks,
/// an import must be all or nothing, the export log must list exactly the packets in place, and
/// the next phr run must leave no scratch behind (`phr check` exits 0).
///
/// `PHR_CRASH_TRIALS` sets the number of trials (default 30; `scripts/crash-trials.sh` runs
/// 1,000) and `PHR_CRASH_SEED` the random seed, printed with the result so a failure can be
/// replayed.
final class CrashTests: PHRTestCase {
    private enum Operation: String, CaseIterable {
        case importZip = "import", export, exportForce = "export --force", recordAdd = "record add", recordGet = "record get", undo
    }

    private var template: URL { folder.appendingPathComponent("template") }
    private var packetZip: String { folder.appendingPathComponent("packet.zip").path }
    private var bigFile: String { folder.appendingPathComponent("scan.bin").path }

    private func environment(_ store: String) -> [String: String] {
        ["PATH": "/usr/bin:/bin", "HOME": folder.path, "TMPDIR": folder.path, "NO_COLOR": "1", "PHR_NOW": PHRRunner.now,
         "TZ": PHRRunner.timeZone, "COLUMNS": "160", "LANG": "C.UTF-8", "PHR_DB": store]
    }

    private func arguments(_ operation: Operation, in trial: URL) -> [String] {
        let out = trial.appendingPathComponent("packet").path
        switch operation {
        case .importZip: return ["import", packetZip]
        case .export: return ["export", out]
        case .exportForce: return ["export", out, "--force"]
        case .recordAdd: return ["record", "add", bigFile, "--title", "Scan"]
        case .recordGet: return ["record", "get", "1", "-o", trial.appendingPathComponent("copy.bin").path]
        case .undo: return ["undo"]
        }
    }

    /// Starts phr, kills it with SIGKILL after `delay` seconds (if still running), and waits.
    /// Returns whether it was killed (false when it finished first).
    private func runAndKill(_ arguments: [String], store: String, after delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = PHRRunner.binary
        process.arguments = arguments
        process.environment = environment(store)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { usleep(500) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed && process.terminationReason == .uncaughtSignal
    }

    private func count(_ store: String, _ table: String) throws -> Int {
        Int(try sqlite(store, "SELECT count(*) FROM \(table)").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    private func copyTemplate(to trial: URL) throws {
        try FileManager.default.createDirectory(at: trial, withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            let source = template.appendingPathComponent("phr.sqlite" + suffix).path
            if FileManager.default.fileExists(atPath: source) {
                try FileManager.default.copyItem(atPath: source, toPath: trial.appendingPathComponent("phr.sqlite" + suffix).path)
            }
        }
    }

    /// Every trigger of a store, with its SQL, one line each.
    private static let triggersSQL = "SELECT name || ': ' || sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name"

    func testKillsAtRandomMomentsLoseNothingAndLeaveNothing() throws {
        let trials = Int(ProcessInfo.processInfo.environment["PHR_CRASH_TRIALS"] ?? "") ?? 30
        let seed = UInt64(ProcessInfo.processInfo.environment["PHR_CRASH_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
        var random = SeededGenerator(seed: seed)

        // The template: the demo case with a 6 MiB record, and a packet of it as a zip to import
        // into a new store.
        try FileManager.default.createDirectory(at: template, withIntermediateDirectories: true)
        let templateStore = template.appendingPathComponent("phr.sqlite").path
        try succeed("demo", "--db", templateStore)
        var bytes = [UInt8](repeating: 0, count: 6 << 20)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        try Data(bytes).write(to: URL(fileURLWithPath: bigFile))
        try succeed(["record", "add", bigFile, "--title", "Big scan"], environment: ["PHR_DB": templateStore])
        try succeed(["export", packetZip], environment: ["PHR_DB": templateStore])
        let emptyStore = folder.appendingPathComponent("empty/phr.sqlite").path
        try succeed(["init"], environment: ["PHR_DB": emptyStore])
        try succeed(["import", packetZip], environment: ["PHR_DB": emptyStore])
        let importedResults = try count(emptyStore, "results")
        let importedRecords = try count(emptyStore, "records")
        XCTAssertGreaterThan(importedResults, 0)

        // How long each operation takes when left alone: kills fall in [0, 1.3 x that].
        var durations: [Operation: Double] = [:]
        for operation in Operation.allCases {
            let trial = folder.appendingPathComponent("timing-\(operation.hashValue)")
            try copyTemplate(to: trial)
            let store = trial.appendingPathComponent("phr.sqlite").path
            if operation == .exportForce { _ = try runAndKill(arguments(.export, in: trial), store: store, after: 600) }
            let start = Date()
            XCTAssertFalse(try runAndKill(arguments(operation, in: trial), store: store, after: 600))
            durations[operation] = Date().timeIntervalSince(start)
            try? FileManager.default.removeItem(at: trial)
        }

        var killed = 0
        var failures: [String] = []
        for number in 0..<trials {
            let operation = Operation.allCases[Int(random.next() % UInt64(Operation.allCases.count))]
            let trial = folder.appendingPathComponent("trial-\(number)")
            try copyTemplate(to: trial)
            let store = trial.appendingPathComponent("phr.sqlite").path
            let out = trial.appendingPathComponent("packet").path
            if operation == .exportForce { _ = try runAndKill(arguments(.export, in: trial), store: store, after: 600) }
            let before = (records: try count(store, "records"), exports: try count(store, "exports"))
            if operation == .importZip {
                // Import into a new store: all or nothing is countable.
                try FileManager.default.removeItem(atPath: store)
                try succeed(["init"], environment: ["PHR_DB": store])
            }
            let delay = Double(random.next() % 10_000) / 10_000 * 1.3 * (durations[operation] ?? 0.5)
            let triggers = try sqlite(store, Self.triggersSQL)
            if try runAndKill(arguments(operation, in: trial), store: store, after: delay) { killed += 1 }
            func fail(_ what: String) { failures.append("trial \(number) (\(operation.rawValue), kill at \(Int(delay * 1000)) ms): \(what)") }
            // An import sets the insert triggers aside while it writes: a kill must leave them as
            // they were (read before phr opens the store again, which would put missing ones back).
            if try sqlite(store, Self.triggersSQL) != triggers { fail("the triggers are not those of before the kill") }

            // The next run settles and sweeps; the store must then be sound and tidy.
            let check = try PHRRunner.run(["check"], environment: ["PHR_DB": store], home: trial)
            if check.status != 0 { fail("phr check: \(check.stdout)\(check.stderr)") }
            if try sqlite(store, "PRAGMA integrity_check") != "ok\n" { fail("integrity_check") }
            if try sqlite(store, "PRAGMA foreign_key_check") != "" { fail("foreign_key_check") }
            switch operation {
            case .importZip:
                let results = try count(store, "results"), records = try count(store, "records")
                if !((results == 0 && records == 0) || (results == importedResults && records == importedRecords)) {
                    fail("import is not all or nothing: \(results) results, \(records) records")
                }
            case .recordAdd:
                if ![before.records, before.records + 1].contains(try count(store, "records")) { fail("records") }
            case .export, .exportForce:
                if try count(store, "exports WHERE pending_owner IS NOT NULL") != 0 { fail("an export is still unconfirmed") }
                let logged = try count(store, "exports")
                let placed = FileManager.default.fileExists(atPath: out)
                if operation == .export, placed != (logged == before.exports + 1) {
                    fail("packet at OUT: \(placed), exports logged: \(logged - before.exports)")
                }
                if operation == .exportForce {
                    if !placed { fail("--force lost the packet at OUT") }
                    if ![before.exports, before.exports + 1].contains(logged) { fail("exports logged: \(logged - before.exports)") }
                }
            case .recordGet, .undo:
                break
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: trial.path).filter { $0.hasPrefix(".") }
            if !leftovers.isEmpty { fail("left behind: \(leftovers)") }
            try? FileManager.default.removeItem(at: trial)
        }
        print("crash trials: \(trials) trials (seed \(seed)), \(killed) killed mid-way, \(failures.count) failed")
        XCTAssertEqual(failures, [], "seed \(seed)")
        XCTAssertGreaterThan(killed, trials / 3, "most trials kill phr mid-way")
    }
}
