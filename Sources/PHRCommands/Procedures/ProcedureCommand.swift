import ArgumentParser
import PHRStore

/// `phr procedure`: surgeries, biopsies, radiation and systemic therapy, other procedures.
struct ProcedureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "procedure",
        abstract: "Keep procedures: surgery, biopsies, radiation and systemic therapy.",
        discussion: """
            Example:
              phr procedure add "Core needle biopsy, left breast" --category biopsy \\
                  --date 2026-09-28
              phr procedure add "Whole-breast radiation" --category radiation --date \\
                  2027-01-10 --until 2027-02-14
              phr procedure list --category surgery
            """,
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self]
    )

    static func listing(_ procedures: [Procedure], store: HealthStore) throws -> Listing {
        let providers = try DiagnosisCommand.providersByID(store)
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "performed_on", header: "Date"),
            .init(key: "performed_until", header: "Until"),
            .init(key: "name", header: "Procedure", wraps: true),
            .init(key: "category", header: "Category"),
            .init(key: "status", header: "Status"),
            .init(key: "body_site", header: "Body site", inTable: false),
            .init(key: "outcome", header: "Outcome", wraps: true),
            .init(key: "code", header: "Code", inTable: false),
            .init(key: "code_system", header: "System", inTable: false),
            .init(key: "provider_id", header: "Provider ID", inTable: false),
            .init(key: "provider", header: "Performed by", wraps: true),
            .init(key: "diagnosis_id", header: "Diagnosis ID", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No procedures yet. Add one: phr procedure add \"Core needle biopsy\" --category biopsy --date 2026-09-28")
        for p in procedures {
            listing.append([
                .integer(p.id), .text(p.uuid), .integer(p.patientID), Cell(describing: p.performedOn),
                Cell(describing: p.performedUntil), .text(p.name), Cell(p.category), Cell(p.status), Cell(p.bodySite),
                Cell(p.outcome), Cell(p.code), Cell(p.codeSystem), Cell(p.providerID),
                Cell(p.providerID.flatMap { providers[$0]?.name }), Cell(p.diagnosisID), Cell(p.notes), Cell(p.sourceNotes),
                .text(p.createdAt), .text(p.updatedAt),
            ])
        }
        return listing
    }

    /// The fields `add` and `edit` share.
    struct Fields: ParsableArguments {
        @Option(help: "surgery, biopsy, radiation-therapy, systemic-therapy or other (guessed from words such as biopsy, radiotherapy, chemotherapy, -ectomy, resection).")
        var category: Procedure.Category?
        @Option(help: ArgumentHelp("When it was done (or began): \(DateInput.acceptedDatesOrTimes). With edit, \"\" clears it.", valueName: "date")) var date: String?
        @Option(help: ArgumentHelp("When a course of treatment ended. With edit, \"\" clears it.", valueName: "date")) var until: String?
        @Option(help: ArgumentHelp("Who performed it, by id or name prefix.", valueName: "provider")) var provider: String?
        @Option(help: "Where on the body, as written: \"left breast\".") var site: String?
        @Option(help: ArgumentHelp("The diagnosis it treats or investigates, by id or description prefix.", valueName: "diagnosis"))
        var diagnosis: String?
        @Option(help: "How it went, as written: \"clear margins\".") var outcome: String?
        @Option(help: "preparation, in-progress, not-done, on-hold, stopped, completed, entered-in-error or unknown.")
        var status: Procedure.Status?
        @Option(help: "The code, e.g. 392021009 (SNOMED CT) or 19301 (CPT).") var code: String?
        @Option(help: "The code's system: snomed, cpt, icd-10-pcs or other (SNOMED CT for six or more digits).") var system: Procedure.CodeSystem?
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to procedure: inout Procedure, patient: Patient, store: HealthStore) throws {
            if let category { procedure.category = category }
            if let date { procedure.performedOn = date.isEmpty ? nil : try DateInput.dateOrTime(date, option: "--date") }
            if let until { procedure.performedUntil = until.isEmpty ? nil : try DateInput.dateOrTime(until, option: "--until") }
            if let provider { procedure.providerID = provider.isEmpty ? nil : try Lookup.provider(provider, in: store).id }
            if let site { procedure.bodySite = site }
            if let diagnosis {
                procedure.diagnosisID = diagnosis.isEmpty ? nil : try Lookup.diagnosis(diagnosis, patient: patient, in: store).id
            }
            if let outcome { procedure.outcome = outcome }
            if let status { procedure.status = status }
            if let code {
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                procedure.code = trimmed.isEmpty ? nil : trimmed
                if trimmed.isEmpty { procedure.codeSystem = nil }
                if !trimmed.isEmpty, system == nil {
                    guard trimmed.count >= 6, trimmed.allSatisfy(\.isNumber) else {
                        throw CommandFailure("--code: cannot tell the system of '\(trimmed)'; add --system snomed, cpt, icd-10-pcs or other",
                                             code: ExitStatus.usage)
                    }
                    procedure.codeSystem = .snomedCT
                }
            }
            if let system { procedure.codeSystem = system }
            if let notes { procedure.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a procedure (completed unless --status says otherwise).",
            discussion: """
                Example:
                  phr procedure add Lumpectomy --category surgery --date 2026-12-01 \\
                      --provider Weber --site "left breast"
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "What was done, in words.") var name: String
        @OptionGroup var fields: Fields

        func run() throws {
            try DateInput.refuseEmpty(fields.date, option: "--date")
            try DateInput.refuseEmpty(fields.until, option: "--until")
            let health = try store.open()
            let added = try health.write("procedure add") { () throws -> Procedure in
                let owner = try patient.resolve(in: health)
                var procedure = Procedure(patientID: owner.id, name: name)
                procedure.category = Procedure.Category.guess(fromName: name) ?? .other
                try fields.apply(to: &procedure, patient: owner, store: health)
                return try health.addProcedure(procedure)
            }
            print("Added procedure \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the patient's procedures, oldest first.", discussion: "Example:\n  phr procedure list --category surgery")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only these categories (repeat for several).") var category: [Procedure.Category] = []

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let owner = try patient.resolve(in: health)
                let procedures = try health.procedures(patientID: owner.id, ProcedureFilter(categories: category.isEmpty ? nil : category))
                var listing = try ProcedureCommand.listing(procedures, store: health)
                var filters = GivenFilters()
                filters.add("--category", category)
                listing.sayNoneMatch(filters, plural: "procedures", listCommand: "phr procedure list")
                return listing
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one procedure.", discussion: "Example:\n  phr procedure show lumpectomy")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The procedure, by id or name prefix.") var procedure: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let found = try Lookup.procedure(procedure, patient: try patient.resolve(in: health), in: health)
                return try ProcedureCommand.listing([found], store: health)
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a procedure (an empty value clears a field).",
            discussion: "Example:\n  phr procedure edit lumpectomy --outcome \"clear margins\"")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The procedure, by id or name prefix.") var procedure: String
        @Option(help: "New name.") var name: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("procedure edit") { () throws -> Procedure in
                let owner = try patient.resolve(in: health)
                var found = try Lookup.procedure(procedure, patient: owner, in: health)
                if let name { found.name = name }
                try fields.apply(to: &found, patient: owner, store: health)
                return try health.updateProcedure(found)
            }
            print("Updated procedure \(updated.id): \(updated.name)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a procedure (undo with `phr undo`).", discussion: "Example:\n  phr procedure remove 2")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The procedure, by id or name prefix.") var procedure: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("procedure remove") { () throws -> Procedure in
                let found = try Lookup.procedure(procedure, patient: try patient.resolve(in: health), in: health)
                try health.removeProcedure(id: found.id)
                return found
            }
            print("Removed procedure \(removed.id): \(removed.name) (phr undo brings it back)")
        }
    }
}

extension Procedure.Category: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "radiation", "radiotherapy", "radiation-therapy": self = .radiationTherapy
        case "systemic", "chemotherapy", "chemo", "systemic-therapy": self = .systemicTherapy
        case "operation": self = .surgery
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + ["radiation", "systemic", "chemotherapy"] }
}

extension Procedure.Status: ExpressibleByArgument {}
extension Procedure.CodeSystem: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "snomed", "snomed-ct", "snomedct", "sct": self = .snomedCT
        case "icd10pcs", "icd-10-pcs", "pcs": self = .icd10pcs
        default: self.init(rawValue: argument.lowercased())
        }
    }

    public static var allValueStrings: [String] { ["snomed", "cpt", "icd-10-pcs", "other"] }
}
