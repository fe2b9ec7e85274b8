import ArgumentParser
import PHRStore

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the store, or upgrade it to this phr's schema, and say where it is.",
        discussion: """
            Example:
              phr init --db ~/health/phr.sqlite
            """
    )

    @OptionGroup var store: StoreOptions

    func run() throws {
        let health = try store.open(create: true)
        print("Store ready at \(health.path) (schema \(try health.schemaVersion())).")
    }
}
