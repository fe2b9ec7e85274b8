import ArgumentParser
import PHRStore

extension Provider.Kind: ExpressibleByArgument {}

struct ProviderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provider",
        abstract: "Keep the doctors and institutions involved: add, list, show, edit, remove.",
        discussion: "Example:\n  phr provider add \"Dr. Anna Weber\" --specialty \"medical oncology\"\n  phr provider list",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self]
    )

    static func listing(_ providers: [Provider]) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "kind", header: "Kind", inTable: false),
            .init(key: "name", header: "Name", wraps: true),
            .init(key: "specialty", header: "Specialty", wraps: true),
            .init(key: "organization", header: "Organization", wraps: true),
            .init(key: "phone", header: "Phone"),
            .init(key: "email", header: "Email", inTable: false),
            .init(key: "address", header: "Address", inTable: false),
            .init(key: "identifier", header: "Identifier", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No providers yet. Add one: phr provider add NAME --specialty ...")
        for p in providers {
            listing.append([.integer(p.id), .text(p.uuid), Cell(p.kind), .text(p.name), Cell(p.specialty),
                            Cell(p.organization), Cell(p.phone), Cell(p.email), Cell(p.address), Cell(p.identifier),
                            Cell(p.notes), .text(p.createdAt), .text(p.updatedAt)])
        }
        return listing
    }

    /// The editable fields, shared by `add` and `edit`.
    struct Fields: ParsableArguments {
        @Option(help: "person (a doctor) or organization (a hospital, a lab).") var kind: Provider.Kind?
        @Option(help: "Specialty, e.g. \"breast surgical oncology\".") var specialty: String?
        @Option(help: "The institution the doctor works at.") var organization: String?
        @Option(help: "Phone number.") var phone: String?
        @Option(help: "Email address.") var email: String?
        @Option(help: "Postal address.") var address: String?
        @Option(help: "An identifier such as an NPI.") var identifier: String?
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to provider: inout Provider) {
            if let kind { provider.kind = kind }
            if let specialty { provider.specialty = specialty }
            if let organization { provider.organization = organization }
            if let phone { provider.phone = phone }
            if let email { provider.email = email }
            if let address { provider.address = address }
            if let identifier { provider.identifier = identifier }
            if let notes { provider.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a doctor or an institution.",
            discussion: """
                Example:
                  phr provider add "Dr. Anna Weber" --specialty "medical oncology" \\
                      --organization "City Hospital"
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The provider's name.") var name: String
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            var provider = Provider(name: name)
            fields.apply(to: &provider)
            let added = try health.write("provider add") { try health.addProvider(provider) }
            print("Added provider \(added.id): \(added.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the providers.", discussion: "Example:\n  phr provider list --format csv -o providers.csv")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let health = try store.open()
            try output.emit(ProviderCommand.listing(try health.providers()))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one provider.", discussion: "Example:\n  phr provider show Weber")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The provider, by id or name prefix.") var provider: String

        func run() throws {
            let health = try store.open()
            try output.emitItem(ProviderCommand.listing([try Lookup.provider(provider, in: health, option: "PROVIDER")]))
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a provider's details (an empty value clears a field).",
            discussion: "Example:\n  phr provider edit Weber --phone \"+49 30 1234 5678\"")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The provider, by id or name prefix.") var provider: String
        @Option(help: "New name.") var name: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("provider edit") { () throws -> Provider in
                var found = try Lookup.provider(provider, in: health, option: "PROVIDER")
                if let name { found.name = name }
                fields.apply(to: &found)
                return try health.updateProvider(found)
            }
            print("Updated provider \(updated.id): \(updated.name)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a provider nothing refers to (undo with `phr undo`).",
            discussion: "Example:\n  phr provider remove 3")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The provider, by id or name prefix.") var provider: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("provider remove") { () throws -> Provider in
                let found = try Lookup.provider(provider, in: health, option: "PROVIDER")
                try health.removeProvider(id: found.id)
                return found
            }
            print("Removed provider \(removed.id): \(removed.name) (phr undo brings it back)")
        }
    }
}
