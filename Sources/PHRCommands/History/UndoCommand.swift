import ArgumentParser
import PHRStore

/// `phr undo`: takes back the last change, whole, and says what it was.
struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "Undo the last change (an add, edit or removal) and say what was undone.",
        discussion: """
            The undo is itself a change: `phr history` shows it, and running `phr undo` again takes \
            back the change before. A change that later changes depend on is not undone. \
            `phr redo` puts back what the last undo took back.
            Example:
              phr undo
            """)

    @OptionGroup var store: StoreOptions

    /// Rows a change may have touched for the undo to list each one; a larger change (an import)
    /// is told as counts per kind.
    static let itemsListed = 20

    func run() throws {
        let health = try store.open()
        let (undone, effects) = try health.write("undo") { () throws -> (Change, [String]) in
            let undone = try health.undoLastChange()
            let counts = try health.historyCounts(changeID: undone.id)
            if counts.reduce(0, { $0 + $1.count }) > Self.itemsListed { return (undone, counts.map(Self.reversal)) }
            return (undone, try health.history(changeID: undone.id, limit: Self.itemsListed).map(Self.reversal))
        }
        let detail = effects.isEmpty ? "" : ": " + effects.joined(separator: ", ")
        print("Undid change \(undone.id) (\(undone.summary), \(undone.changedAt))\(detail)")
    }

    /// What undoing `count` history entries of one table and operation did: "removed 1,200 appointments".
    static func reversal(_ group: (table: String, operation: HistoryEntry.Operation, count: Int)) -> String {
        let name = HistoryKind.name(ofTable: group.table)
        let items = "\(ImportSummary.number(group.count)) \(group.count == 1 ? name : HistoryKind.plural(ofName: name))"
        switch group.operation {
        case .insert: return "removed \(items)"
        case .update: return "gave \(items) their earlier values back"
        case .delete: return "brought back \(items)"
        }
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
