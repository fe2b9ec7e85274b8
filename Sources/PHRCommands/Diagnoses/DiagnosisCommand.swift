import ArgumentParser
import PHRStore

struct DiagnosisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnosis",
        abstract: "Keep the diagnoses: code, stage, who diagnosed it, status.",
        discussion: "Example:\n  phr diagnosis add \"Invasive ductal carcinoma\" --code C50.412 --stage IIA\n  phr diagnosis list",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self]
    )

    static func listing(_ diagnoses: [Diagnosis], providers: [Int64: Provider]) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "description", header: "Diagnosis", wraps: true),
            .init(key: "code", header: "Code"),
            .init(key: "code_system", header: "System"),
            .init(key: "diagnosed_on", header: "Date"),
            .init(key: "status", header: "Status"),
            .init(key: "stage", header: "Stage", wraps: true),
            .init(key: "provider_id", header: "Provider ID", inTable: false),
            .init(key: "provider", header: "Diagnosed by", wraps: true),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "kind", header: "Kind", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No diagnoses yet. Add one: phr diagnosis add DESCRIPTION --code C50.912")
        for d in diagnoses {
            listing.append([.integer(d.id), .text(d.uuid), .integer(d.patientID), .text(d.description), Cell(d.code),
                            Cell(d.codeSystem), Cell(describing: d.diagnosedOn), Cell(d.status), Cell(d.stage),
                            Cell(d.providerID), Cell(d.providerID.flatMap { providers[$0]?.name }), Cell(d.notes), Cell(d.sourceNotes),
                            Cell(d.kind), .text(d.createdAt), .text(d.updatedAt)])
        }
        return listing
    }

    static func providersByID(_ store: HealthStore) throws -> [Int64: Provider] {
        Dictionary(uniqueKeysWithValues: try store.providers().map { ($0.id, $0) })
    }

    /// The editable fields, shared by `add` and `edit`.
    struct Fields: ParsableArguments {
        @Option(help: "The code, e.g. C50.912 (ICD-10-CM), 8500/3 (ICD-O-3) or 254837009 (SNOMED CT).") var code: String?
        @Option(help: "The code's system: icd10, icd-o-3 or snomed (guessed from the code when clear).") var system: Diagnosis.CodeSystem?
        @Option(help: ArgumentHelp("When it was diagnosed: \(DateInput.acceptedDates). With edit, \"\" clears it.", valueName: "date")) var date: String?
        @Option(help: ArgumentHelp("Who diagnosed it, by id or name prefix.", valueName: "provider")) var provider: String?
        @Option(help: "suspected, confirmed, refuted or resolved.") var status: Diagnosis.Status?
        @Option(help: "The stage, e.g. IIA or \"pT2 N1a M0\".") var stage: String?
        @Option(help: "Free-text notes.") var notes: String?
        @Option(help: "problem (the default), encounter-diagnosis, health-concern or social-finding.") var kind: Diagnosis.Kind?

        func apply(to diagnosis: inout Diagnosis, store: HealthStore) throws {
            if let kind { diagnosis.kind = kind }
            if let code {
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                diagnosis.code = trimmed.isEmpty ? nil : trimmed
                if !trimmed.isEmpty, system == nil {
                    guard let guessed = Diagnosis.CodeSystem.guess(fromCode: trimmed) else {
                        throw CommandFailure("--code: cannot tell the system of '\(trimmed)'; add --system icd10, icd-o-3 or snomed",
                                             code: ExitStatus.usage)
                    }
                    diagnosis.codeSystem = guessed
                }
                if trimmed.isEmpty { diagnosis.codeSystem = nil }
            }
            if let system { diagnosis.codeSystem = system }
            // ICD-10 codes are written in capitals (c18.7 is C18.7).
            if diagnosis.codeSystem == .icd10cm, let code = diagnosis.code { diagnosis.code = code.uppercased() }
            if let date { diagnosis.diagnosedOn = date.isEmpty ? nil : try DateInput.date(date, option: "--date") }
            if let provider {
                diagnosis.providerID = provider.isEmpty ? nil : try Lookup.provider(provider, in: store).id
            }
            if let status { diagnosis.status = status }
            if let stage { diagnosis.stage = stage }
            if let notes { diagnosis.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a diagnosis.",
            discussion: """
                Example:
                  phr diagnosis add "Invasive ductal carcinoma, left breast" --code C50.412 \\
                      --date 2026-10-02 --provider Weber --stage IIA
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "What was diagnosed, in words.") var description: String
        @OptionGroup var fields: Fields
        @OptionGroup var again: AgainOption

        func run() throws {
            try DateInput.refuseEmpty(fields.date, option: "--date")
            let health = try store.open()
            let added = try health.write("diagnosis add") { () throws -> Diagnosis in
                var diagnosis = Diagnosis(patientID: try patient.resolve(in: health).id, description: description)
                try fields.apply(to: &diagnosis, store: health)
                let added = try health.addDiagnosis(diagnosis)
                try DuplicateCheck.refuse(added, among: try health.diagnoses(patientID: added.patientID), kind: "diagnosis", again: again)
                return added
            }
            print("Added diagnosis \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.description)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the patient's diagnoses.", discussion: "Example:\n  phr diagnosis list --format json")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only these statuses.") var status: [Diagnosis.Status] = []
        @Flag(help: "Social findings (employment, housing, …) instead of medical diagnoses.") var social = false
        @Flag(help: "Every kind: medical diagnoses and social findings.") var all = false

        func validate() throws {
            if social && all { throw ValidationError("--social and --all exclude each other; choose one") }
        }

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let owner = try patient.resolve(in: health)
                let kinds = all ? Diagnosis.Kind.allCases : Diagnosis.Kind.allCases.filter { $0.isMedical != social }
                let diagnoses = try health.diagnoses(patientID: owner.id, kinds: kinds)
                    .filter { status.isEmpty || status.contains($0.status) }
                var listing = DiagnosisCommand.listing(diagnoses, providers: try DiagnosisCommand.providersByID(health))
                if social { listing.emptyMessage = "No social findings recorded." }
                var filters = GivenFilters()
                filters.add("--status", status)
                listing.sayNoneMatch(filters, plural: social ? "social findings" : all ? "diagnoses or social findings" : "diagnoses",
                                     listCommand: "phr diagnosis list" + (social ? " --social" : all ? " --all" : ""))
                return listing
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one diagnosis.", discussion: "Example:\n  phr diagnosis show invasive")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The diagnosis, by id or a prefix of its description or code.") var diagnosis: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let found = try Lookup.diagnosis(diagnosis, patient: try patient.resolve(in: health), in: health, option: "DIAGNOSIS")
                return DiagnosisCommand.listing([found], providers: try DiagnosisCommand.providersByID(health))
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a diagnosis (an empty value clears a field).",
            discussion: "Example:\n  phr diagnosis edit invasive --stage \"pT2 N1a M0\" --status confirmed")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The diagnosis, by id or a prefix of its description or code.") var diagnosis: String
        @Option(help: "New description.") var description: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("diagnosis edit") { () throws -> Diagnosis in
                var found = try Lookup.diagnosis(diagnosis, patient: try patient.resolve(in: health), in: health, option: "DIAGNOSIS")
                if let description { found.description = description }
                try fields.apply(to: &found, store: health)
                return try health.updateDiagnosis(found)
            }
            print("Updated diagnosis \(updated.id): \(updated.description)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a diagnosis that has no opinions (undo with `phr undo`).",
            discussion: "Example:\n  phr diagnosis remove 2")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The diagnosis, by id or a prefix of its description or code.") var diagnosis: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("diagnosis remove") { () throws -> Diagnosis in
                let found = try Lookup.diagnosis(diagnosis, patient: try patient.resolve(in: health), in: health, option: "DIAGNOSIS")
                try health.removeDiagnosis(id: found.id)
                return found
            }
            print("Removed diagnosis \(removed.id): \(removed.description) (phr undo brings it back)")
        }
    }
}
