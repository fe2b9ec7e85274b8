import ArgumentParser
import Foundation
import PHRStore

/// `phr erase KIND ID`: removes a thing and every trace of it, for good.
struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a thing and every trace of it: history, file, search entries. Cannot be undone.",
        discussion: """
            Unlike remove (which undo takes back), erase leaves nothing: the item's rows and history, its \
            file and extracted text when no other record uses them, its search entries and import provenance, \
            and the export log's mention of it (the log keeps only that each packet was sent). Freed space is \
            zeroed (SQLite's secure_delete), the store rebuilt (VACUUM) and its -wal file emptied. Packets and \
            backups already written elsewhere are not touched. Asks for confirmation; --yes skips it (needed \
            when not run from a terminal).
            Example:
              phr erase record 4
              phr erase diagnosis 2 --yes
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("What to erase: \(HistoryKind.choices).", valueName: "kind")) var kind: HistoryKind
    @Argument(help: "Its id.") var id: String
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() throws {
        let itemID = try Lookup.id(id, kind: kind.name, option: "ID")
        if !yes {
            guard isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 else {
                throw CommandFailure("erase cannot be undone: confirm with --yes when not run from a terminal", code: ExitStatus.usage)
            }
        }
        let health = try store.open()
        if !yes {
            FileHandle.standardError.write(Data(
                "Erase \(kind.name) \(itemID) and every trace of it (history, file, search entries)? This cannot be undone. Type yes: ".utf8))
            guard readLine()?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else {
                throw CommandFailure("nothing erased", code: ExitStatus.usage)
            }
        }
        let erased = try health.erase(table: kind.table, id: itemID)
        var parts = ["\(erased.historyRows) history row\(erased.historyRows == 1 ? "" : "s")"]
        if erased.fileErased { parts.append("its file") }
        if erased.logRows > 0 { parts.append("its mention in \(erased.logRows) export\(erased.logRows == 1 ? "" : "s")") }
        print("Erased \(kind.name) \(itemID) with \(Wording.list(parts)). This cannot be undone.")
        if !erased.walTruncated {
            throw CommandFailure("another phr is using the store, so a copy may remain in its -wal file; run `phr check --fix` once it is done",
                                 code: ExitStatus.busy)
        }
    }
}
