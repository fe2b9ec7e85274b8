import ArgumentParser
import PHRStore

/// `phr restore KIND ID`: brings back an item that was removed, even after later changes.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Bring back a removed \(HistoryKind.choices).",
        discussion: """
            The item comes back as it was when removed, with its id; a record comes back with its \
            file and its links to diagnoses. `phr history KIND` lists removed items.
            Example:
              phr restore provider 3
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp(HistoryKind.choices + ".")) var kind: HistoryKind
    @Argument(help: "The id it had.") var id: Int64

    func validate() throws {
        if id <= 0 { throw ValidationError("ID must be a positive number; got \(id)") }
    }

    func run() throws {
        let health = try store.open()
        let label = try health.write("\(kind.name) restore") { () throws -> String in
            try health.restoreRemoved(table: kind.table.name, rowID: id)
            return try kind.label(of: id, in: health)
        }
        print("Restored \(kind.name) \(id): \(label)")
    }
}
