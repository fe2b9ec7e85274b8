import ArgumentParser
import PHRStore

/// `phr immunization`: vaccinations.
struct ImmunizationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "immunization",
        abstract: "Keep vaccinations.",
        discussion: """
            Example:
              phr immunization add "Influenza, seasonal" --date 2025-10-02 --code 141
              phr immunization list
            """,
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self]
    )

    static func listing(_ immunizations: [Immunization]) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "given_on", header: "Date"),
            .init(key: "vaccine", header: "Vaccine", wraps: true),
            .init(key: "status", header: "Status"),
            .init(key: "code", header: "Code"),
            .init(key: "code_system", header: "System"),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No immunizations yet. Add one: phr immunization add \"Influenza, seasonal\" --date 2025-10-02")
        for i in immunizations {
            listing.append([
                .integer(i.id), .text(i.uuid), .integer(i.patientID), Cell(describing: i.givenOn), .text(i.vaccine),
                Cell(i.status), Cell(i.code), Cell(i.codeSystem), Cell(i.notes), Cell(i.sourceNotes), .text(i.createdAt), .text(i.updatedAt),
            ])
        }
        return listing
    }

    /// The fields `add` and `edit` share.
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp("When it was given: \(DateInput.acceptedDatesOrTimes). With edit, \"\" clears it.", valueName: "date")) var date: String?
        @Option(help: "completed, not-done or entered-in-error.") var status: Immunization.Status?
        @Option(help: "The vaccine's code, e.g. 141 (CVX).") var code: String?
        @Option(help: "The code's system: cvx, snomed or other (default cvx for up to three digits).") var system: Immunization.CodeSystem?
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to immunization: inout Immunization) throws {
            if let date { immunization.givenOn = date.isEmpty ? nil : try DateInput.dateOrTime(date, option: "--date") }
            if let status { immunization.status = status }
            if let code {
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                immunization.code = trimmed.isEmpty ? nil : trimmed
                if trimmed.isEmpty { immunization.codeSystem = nil }
                if !trimmed.isEmpty, system == nil {
                    if trimmed.count <= 3, trimmed.allSatisfy(\.isNumber) {
                        immunization.codeSystem = .cvx
                    } else if trimmed.count >= 6, trimmed.allSatisfy(\.isNumber) {
                        immunization.codeSystem = .snomedCT
                    } else {
                        throw CommandFailure("--code: cannot tell the system of '\(trimmed)'; add --system cvx, snomed or other",
                                             code: ExitStatus.usage)
                    }
                }
            }
            if let system { immunization.codeSystem = system }
            if let notes { immunization.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a vaccination.",
            discussion: "Example:\n  phr immunization add \"Influenza, seasonal\" --date 2025-10-02 --code 141")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The vaccine, as written.") var vaccine: String
        @OptionGroup var fields: Fields

        func run() throws {
            try DateInput.refuseEmpty(fields.date, option: "--date")
            let health = try store.open()
            let added = try health.write("immunization add") { () throws -> Immunization in
                var immunization = Immunization(patientID: try patient.resolve(in: health).id, vaccine: vaccine)
                try fields.apply(to: &immunization)
                return try health.addImmunization(immunization)
            }
            print("Added immunization \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.vaccine)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the patient's vaccinations, oldest first.", discussion: "Example:\n  phr immunization list --format csv")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                ImmunizationCommand.listing(try health.immunizations(patientID: try patient.resolve(in: health).id))
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one vaccination.", discussion: "Example:\n  phr immunization show influenza")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The vaccination, by id or vaccine prefix.") var immunization: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                ImmunizationCommand.listing([try Lookup.immunization(immunization, patient: try patient.resolve(in: health), in: health)])
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a vaccination (an empty value clears a field).",
            discussion: "Example:\n  phr immunization edit influenza --date 2025-10-03")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The vaccination, by id or vaccine prefix.") var immunization: String
        @Option(help: "New vaccine name.") var vaccine: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("immunization edit") { () throws -> Immunization in
                var found = try Lookup.immunization(immunization, patient: try patient.resolve(in: health), in: health)
                if let vaccine { found.vaccine = vaccine }
                try fields.apply(to: &found)
                return try health.updateImmunization(found)
            }
            print("Updated immunization \(updated.id): \(updated.vaccine)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a vaccination (undo with `phr undo`).", discussion: "Example:\n  phr immunization remove 2")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The vaccination, by id or vaccine prefix.") var immunization: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("immunization remove") { () throws -> Immunization in
                let found = try Lookup.immunization(immunization, patient: try patient.resolve(in: health), in: health)
                try health.removeImmunization(id: found.id)
                return found
            }
            print("Removed immunization \(removed.id): \(removed.vaccine) (phr undo brings it back)")
        }
    }
}

extension Immunization.Status: ExpressibleByArgument {}
extension Immunization.CodeSystem: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "snomed", "snomed-ct", "snomedct", "sct": self = .snomedCT
        default: self.init(rawValue: argument.lowercased())
        }
    }

    public static var allValueStrings: [String] { ["cvx", "snomed", "other"] }
}
