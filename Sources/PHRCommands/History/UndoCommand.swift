import ArgumentParser
import PHRStore

/// `phr undo`: takes back the last change, whole, and says what it was.
struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo the last change (an add, edit or removal) and say what was undone.",
        discussion: """
            The undo is itself a change: `phr history` shows it, and running `phr undo` again takes \
            back the change before. A change that later changes depend on is not undone.
            Example:
              phr undo
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let health = try store.open()
        let (undone, entries) = try health.write("undo") { () throws -> (Change, [HistoryEntry]) in
            let undone = try health.undoLastChange()
            return (undone, try health.history(changeID: undone.id, limit: 10_000))
        }
        let effects = entries.map(Self.reversal)
        let detail = effects.isEmpty ? "" : ": " + effects.joined(separator: ", ")
        print("Undid change \(undone.id) (\(undone.summary), \(undone.changedAt))\(detail)")
    }

    /// What undoing one history entry did: an added item was removed, an edited one got its
    /// earlier values back, a removed one came back.
    static func reversal(_ entry: HistoryEntry) -> String {
        let label = HistoryKind.label(ofSnapshot: entry.snapshot, table: entry.table)
        if entry.table == "record_diagnoses" {
            return "\(entry.operation == .insert ? "unlinked" : "linked again") \(label ?? "record \(entry.rowID)")"
        }
        if entry.table == "settings" { return "set \(label ?? "a setting") back" }
        let item = "\(HistoryKind.name(ofTable: entry.table)) \(entry.rowID)" + (label.map { " (\($0))" } ?? "")
        switch entry.operation {
        case .insert: return "removed \(item)"
        case .update: return "gave \(item) its earlier values back"
        case .delete: return "brought back \(item)"
        }
    }
}
