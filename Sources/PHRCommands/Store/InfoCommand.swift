import ArgumentParser
import Foundation
import PHRStore

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the store's path, size, schema version, SQLite version, row counts and a quick integrity check.",
        discussion: """
            Example:
              phr info --db ~/health/phr.sqlite
            """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let health = try store.open()
        try health.read {
            print("store:   \(health.path)")
            let space = try health.space()
            print("size:    \(FileSize.text(space.fileBytes))")
            if let advice = FileSize.compactionAdvice(space) { print("note:    \(advice)") }
            print("schema:  \(try health.schemaVersion())")
            print("sqlite:  \(HealthStore.sqliteVersion)")
            for (table, count) in try health.rowCounts() {
                let label = (table + ":").padding(toLength: 18, withPad: " ", startingAt: 0)
                print("\(label)\(count)")
            }
        }
        // A damaged store is never reported as fine: SQLite's quick check of every b-tree.
        if let findings = try health.quickCheck() {
            print("check:   DAMAGED (\(findings.count) finding\(findings.count == 1 ? "" : "s") by SQLite's quick check)")
            throw CommandFailure("the store is damaged: \(findings[0]); run `phr check` for a report and restore a backup",
                                 code: ExitStatus.dataError)
        }
        print("check:   ok (SQLite quick check; `phr check` also reads every file)")
    }
}
