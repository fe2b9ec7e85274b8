import ArgumentParser
import PHRStore

/// `phr redo`: takes back the last undo, when nothing has changed since.
struct RedoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redo",
        abstract: "Redo what the last `phr undo` took back (only while nothing else has changed).",
        discussion: """
            The redo is itself a change: `phr undo` takes it back again.
            Example:
              phr undo
              phr redo
            """)

    @OptionGroup var store: StoreOptions

    func run() throws {
        let health = try store.open()
        let (undo, effects) = try health.write("redo") { () throws -> (Change, [String]) in
            let undo = try health.redoLastUndo()
            let counts = try health.historyCounts(changeID: undo.id)
            if counts.reduce(0, { $0 + $1.count }) > UndoCommand.itemsListed { return (undo, counts.map(UndoCommand.reversal)) }
            return (undo, try health.history(changeID: undo.id, limit: UndoCommand.itemsListed).map(UndoCommand.reversal))
        }
        let detail = effects.isEmpty ? "" : ": " + effects.joined(separator: ", ")
        let summary = undo.summary.hasPrefix("undo: ") ? String(undo.summary.dropFirst("undo: ".count)) : undo.summary
        print("Redid \(summary) (took back change \(undo.id), \(undo.changedAt))\(detail)")
    }
}
