import ArgumentParser
import PHRStore

/// `phr allergy`: allergies and intolerances, and the dated statement "no known allergies".
struct AllergyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allergy",
        abstract: "Keep allergies and intolerances, or record that there are none known.",
        discussion: """
            "No known allergies" (phr allergy none) is recorded with its date; it is not the same \
            as nothing recorded.
            Example:
              phr allergy add penicillin --reaction hives --severity moderate
              phr allergy none
              phr allergy list
            """,
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, None.self]
    )

    static func listing(_ allergies: [Allergy]) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "entry", header: "Entry", inTable: false),
            .init(key: "substance", header: "Substance", wraps: true),
            .init(key: "reaction", header: "Reaction", wraps: true),
            .init(key: "severity", header: "Severity"),
            .init(key: "type", header: "Type"),
            .init(key: "category", header: "Category"),
            .init(key: "criticality", header: "Criticality", inTable: false),
            .init(key: "status", header: "Status"),
            .init(key: "recorded_on", header: "Recorded"),
            .init(key: "substance_code", header: "Code", inTable: false),
            .init(key: "substance_code_system", header: "System", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "Allergies not recorded. Add one (phr allergy add penicillin --reaction hives) or record that there are none: phr allergy none")
        for a in allergies {
            listing.append([
                .integer(a.id), .text(a.uuid), .integer(a.patientID), Cell(a.entry),
                a.entry == .noneKnown ? .text(a.displayName) : Cell(a.substance), Cell(a.reaction), Cell(a.severity),
                Cell(a.kind), Cell(a.category), Cell(a.criticality), Cell(a.status), Cell(describing: a.recordedOn),
                Cell(a.substanceCode), Cell(a.substanceCodeSystem), Cell(a.notes), Cell(a.sourceNotes), .text(a.createdAt), .text(a.updatedAt),
            ])
        }
        return listing
    }

    /// The fields `add` and `edit` share.
    struct Fields: ParsableArguments {
        @Option(help: "What happens, as written: hives, \"swelling of the lips\".") var reaction: String?
        @Option(help: "mild, moderate or severe.") var severity: Allergy.Severity?
        @Option(help: "allergy or intolerance.") var type: Allergy.Kind?
        @Option(help: "food, medication, environment or biologic.") var category: Allergy.Category?
        @Option(help: "low, high or unable-to-assess.") var criticality: Allergy.Criticality?
        @Option(help: "active, inactive or resolved.") var status: Allergy.Status?
        @Option(help: ArgumentHelp("When it was recorded: \(DateInput.acceptedDates) (default today). With edit, \"\" clears it.", valueName: "date")) var date: String?
        @Option(help: "The substance's code, e.g. 7980 (RxNorm).") var code: String?
        @Option(help: "The code's system: rxnorm, snomed, unii or other (default rxnorm for a number).") var system: Allergy.CodeSystem?
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to allergy: inout Allergy) throws {
            if let reaction { allergy.reaction = reaction }
            if let severity { allergy.severity = severity }
            if let type { allergy.kind = type }
            if let category { allergy.category = category }
            if let criticality { allergy.criticality = criticality }
            if let status { allergy.status = status }
            if let date { allergy.recordedOn = date.isEmpty ? nil : try DateInput.date(date, option: "--date") }
            if let code {
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                allergy.substanceCode = trimmed.isEmpty ? nil : trimmed
                if trimmed.isEmpty { allergy.substanceCodeSystem = nil }
                if !trimmed.isEmpty, system == nil {
                    guard trimmed.allSatisfy(\.isNumber) else {
                        throw CommandFailure("--code: cannot tell the system of '\(trimmed)'; add --system rxnorm, snomed, unii or other",
                                             code: ExitStatus.usage)
                    }
                    allergy.substanceCodeSystem = .rxnorm
                }
            }
            if let system { allergy.substanceCodeSystem = system }
            if let notes { allergy.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an allergy or intolerance.",
            discussion: """
                Example:
                  phr allergy add penicillin --reaction hives --severity moderate
                  phr allergy add lactose --type intolerance --category food
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "What causes it: penicillin, peanuts, latex.") var substance: String
        @OptionGroup var fields: Fields

        func run() throws {
            try DateInput.refuseEmpty(fields.date, option: "--date")
            let health = try store.open()
            let added = try health.write("allergy add") { () throws -> Allergy in
                var allergy = Allergy(patientID: try patient.resolve(in: health).id, substance: substance,
                                      recordedOn: try DateInput.date("today", option: "--date"))
                try fields.apply(to: &allergy)
                return try health.addAllergy(allergy)
            }
            print("Added allergy \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.displayName)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the patient's allergies (and any \"no known allergies\" statement).",
            discussion: "Example:\n  phr allergy list --active")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Only active entries.") var active = false

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                var listing = AllergyCommand.listing(try health.allergies(patientID: try patient.resolve(in: health).id, activeOnly: active))
                var filters = GivenFilters()
                filters.add("--active", when: active)
                listing.sayNoneMatch(filters, plural: "allergy entries", listCommand: "phr allergy list")
                return listing
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one allergy.", discussion: "Example:\n  phr allergy show penicillin")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The allergy, by id or substance prefix.") var allergy: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                AllergyCommand.listing([try Lookup.allergy(allergy, patient: try patient.resolve(in: health), in: health)])
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change an allergy (an empty value clears a field).",
            discussion: "Example:\n  phr allergy edit penicillin --severity severe --reaction \"hives; wheezing\"")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The allergy, by id or substance prefix.") var allergy: String
        @Option(help: "New substance.") var substance: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("allergy edit") { () throws -> Allergy in
                var found = try Lookup.allergy(allergy, patient: try patient.resolve(in: health), in: health)
                if let substance { found.substance = substance }
                try fields.apply(to: &found)
                return try health.updateAllergy(found)
            }
            print("Updated allergy \(updated.id): \(updated.displayName)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an allergy entered by mistake (undo with `phr undo`).", discussion: "Example:\n  phr allergy remove 2")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The allergy, by id or substance prefix.") var allergy: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("allergy remove") { () throws -> Allergy in
                let found = try Lookup.allergy(allergy, patient: try patient.resolve(in: health), in: health)
                try health.removeAllergy(id: found.id)
                return found
            }
            print("Removed allergy \(removed.id): \(removed.displayName) (phr undo brings it back)")
        }
    }

    struct None: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "none",
            abstract: "Record that the patient has no known allergies, or none of one kind (dated; today unless --date says when).",
            discussion: "Example:\n  phr allergy none\n  phr allergy none --category drug --date 2026-11-02")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Option(help: ArgumentHelp("Only this kind: no known drug (medication), food or environmental allergies.",
                                   valueName: "category"))
        var category: Allergy.Category?
        @Option(help: ArgumentHelp("When this was established: \(DateInput.acceptedDates) (default today).", valueName: "date"))
        var date: String = "today"
        @Option(help: "Free-text notes.") var notes: String?

        func validate() throws {
            if let category, !Allergy.noneKnownCategories.contains(category) {
                throw ValidationError("--category: a statement of no known allergies is about drugs (medication), food or environment, not \(category.rawValue)")
            }
        }

        func run() throws {
            let health = try store.open()
            let added = try health.write("allergy none") { () throws -> Allergy in
                let owner = try patient.resolve(in: health)
                let contradicting = try health.allergies(patientID: owner.id, activeOnly: true)
                    .filter { $0.contradicts(noneKnownOf: category) }
                if !contradicting.isEmpty {
                    let names = Lookup.describe(contradicting.map { ($0.id, $0.displayName) })
                    let kind = category.map { " that may be \(Allergy.noneKnownText($0).dropFirst("No known ".count))" } ?? ""
                    throw CommandFailure("active allergies are recorded\(kind) (\(names)); mark them inactive (phr allergy edit ID --status inactive)"
                                         + (category == nil ? "" : ", give their --category,") + " or remove them first",
                                         code: ExitStatus.dataError)
                }
                return try health.addAllergy(.noneKnown(patientID: owner.id, category: category,
                                                        recordedOn: try DateInput.date(date, option: "--date"), notes: notes))
            }
            print("Recorded\(try PatientOptions.whose(added.patientID, in: health)): \(added.displayName.lowercased()) (\(added.recordedOn?.description ?? date), entry \(added.id))")
        }
    }
}

extension Allergy.Severity: ExpressibleByArgument {}
extension Allergy.Kind: ExpressibleByArgument {}
extension Allergy.Status: ExpressibleByArgument {}
extension Allergy.Category: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "drug", "medicine", "medication": self = .medication
        case "environmental", "environment": self = .environment
        default: self.init(rawValue: argument.lowercased())
        }
    }
}
extension Allergy.Criticality: ExpressibleByArgument {}
extension Allergy.CodeSystem: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "snomed", "snomed-ct", "snomedct", "sct": self = .snomedCT
        default: self.init(rawValue: argument.lowercased())
        }
    }

    public static var allValueStrings: [String] { ["rxnorm", "snomed", "unii", "other"] }
}
