import ArgumentParser
import PHRStore

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the store's path, schema version, SQLite version and row counts.",
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
            print("schema:  \(try health.schemaVersion())")
            print("sqlite:  \(HealthStore.sqliteVersion)")
            for (table, count) in try health.rowCounts() {
                let label = (table + ":").padding(toLength: 18, withPad: " ", startingAt: 0)
                print("\(label)\(count)")
            }
        }
    }
}
