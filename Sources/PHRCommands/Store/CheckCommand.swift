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
            --compact then gives the store's unused space back to the disk (the space of deleted data, \
            which later additions reuse): SQLite rebuilds the file, which takes about as long as copying \
            it and needs free space for twice its data; a full disk or a stop leaves the store as it was.
            Example:
              phr check
              phr check --fix
              phr check --compact
            """)

    @OptionGroup var store: StoreOptions
    @Flag(help: "Remove scratch files left by a phr that was stopped.") var fix = false
    @Flag(help: "Then give the store's unused space back to the disk (rebuilds the store file).") var compact = false

    func run() throws {
        let health = try store.open()
        let report = try health.check(fix: fix)
        for note in report.notes { print("note: \(note)") }
        if !compact, let space = report.space, let advice = FileSize.compactionAdvice(space) { print("note: \(advice)") }
        for problem in report.problems { print("problem: \(problem)") }
        let files = "\(report.filesChecked) file\(report.filesChecked == 1 ? "" : "s") (\(FileSize.text(report.bytesChecked))) match their SHA-256"
        guard report.isHealthy else {
            print("\(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") found in \(health.path).")
            if compact { print("Not compacted: put the problems right first.") }
            throw QuietExit(code: 1)
        }
        print("The store is sound: SQLite integrity and foreign keys ok, \(files), history consistent.")
        guard compact else { return }
        guard let space = report.space, space.unusedBytes > 0 else {
            print("Nothing to compact: the store has no unused space.")
            return
        }
        let (before, after) = try health.compact()
        print("Compacted the store: \(FileSize.text(before.fileBytes)) → \(FileSize.text(after.fileBytes)) "
              + "(\(FileSize.text(before.fileBytes - after.fileBytes)) given back to the disk).")
    }
}
