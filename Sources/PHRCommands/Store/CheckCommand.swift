import ArgumentParser
import Foundation
import PHRStore

/// `phr check [--fix]`: is the store sound? Exit 0 when all is well, 1 with a report otherwise.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store: SQLite's integrity and foreign keys, every file's SHA-256, the history, the export log, leftovers, changes waiting in the write-ahead log.",
        discussion: """
            Reads every record file in full, so it takes as long as reading the store once. Exits 0 when all is \
            well, 1 with a report otherwise. --fix does only what is safe: it removes scratch files left by a phr \
            that was stopped (copies of records being written, packets being built, zips being unpacked). An \
            export left unconfirmed by a stopped phr is settled by every phr run, by looking at its OUT.
            Example:
              phr check
              phr check --fix
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Remove scratch files left by a phr that was stopped.") var fix = false

    func run() throws {
        let health = try store.open()
        let report = try health.check(fix: fix)
        for note in report.notes { print("note: \(note)") }
        for problem in report.problems { print("problem: \(problem)") }
        let size = ByteCountFormatter.string(fromByteCount: report.bytesChecked, countStyle: .file)
        let files = "\(report.filesChecked) file\(report.filesChecked == 1 ? "" : "s") (\(size)) match their SHA-256"
        if report.isHealthy {
            print("The store is sound: SQLite integrity and foreign keys ok, \(files), history consistent.")
        } else {
            print("\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") found in \(health.path).")
            throw QuietExit(code: 1)
        }
    }
}
