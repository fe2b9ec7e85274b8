import ArgumentParser
import PHRStore

/// `phr medication`: what the patient takes, took, or is to take.
struct MedicationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "medication",
        abstract: "Keep the medications: dose, how often, since when, who prescribed them.",
        discussion: """
            Example:
              phr medication add "Letrozole 2.5 mg tablet" --frequency "once daily" \\
                  --start 2026-11-01
              phr medication list --active
              phr medication stop letrozole --date 2026-12-01
            """,
        subcommands: [Add.self, List.self, Show.self, Edit.self, Stop.self, Remove.self]
    )

    static func listing(_ medications: [Medication], store: HealthStore) throws -> Listing {
        let providers = try DiagnosisCommand.providersByID(store)
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "name", header: "Medication", wraps: true),
            .init(key: "dosage", header: "Dose and frequency", wraps: true),
            .init(key: "dose", header: "Dose", inTable: false),
            .init(key: "route", header: "Route", inTable: false),
            .init(key: "frequency", header: "Frequency", inTable: false),
            .init(key: "instructions", header: "Instructions", inTable: false),
            .init(key: "started_on", header: "Start"),
            .init(key: "ended_on", header: "End"),
            .init(key: "status", header: "Status"),
            .init(key: "code", header: "Code", inTable: false),
            .init(key: "code_system", header: "System", inTable: false),
            .init(key: "provider_id", header: "Prescriber ID", inTable: false),
            .init(key: "provider", header: "Prescribed by", wraps: true),
            .init(key: "diagnosis_id", header: "Diagnosis ID", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No medications yet. Add one: phr medication add \"Letrozole 2.5 mg tablet\" --frequency \"once daily\"")
        for m in medications {
            listing.append([
                .integer(m.id), .text(m.uuid), .integer(m.patientID), .text(m.name), Cell(m.dosageText), Cell(m.dose),
                Cell(m.route), Cell(m.frequency), Cell(m.instructions), Cell(describing: m.startedOn),
                Cell(describing: m.endedOn), Cell(m.status), Cell(m.code), Cell(m.codeSystem), Cell(m.providerID),
                Cell(m.providerID.flatMap { providers[$0]?.name }), Cell(m.diagnosisID), Cell(m.notes), Cell(m.sourceNotes),
                .text(m.createdAt), .text(m.updatedAt),
            ])
        }
        return listing
    }

    /// The fields `add` and `edit` share.
    struct Fields: ParsableArguments {
        @Option(help: "The dose, as written: \"2.5 mg\", \"1 tablet\".") var dose: String?
        @Option(help: "How it is taken, as written: \"by mouth\", IV.") var route: String?
        @Option(help: "How often, as written: \"once daily\", \"every 3 weeks\".") var frequency: String?
        @Option(help: "The whole instructions as written, when not split into dose, route and frequency.") var instructions: String?
        @Option(help: ArgumentHelp("When it started: \(DateInput.acceptedDates). With edit, \"\" clears it.", valueName: "date")) var start: String?
        @Option(help: ArgumentHelp("When it ended. With edit, \"\" clears it.", valueName: "date")) var end: String?
        @Option(help: "active, stopped, completed, planned, on-hold or entered-in-error.") var status: Medication.Status?
        @Option(help: ArgumentHelp("Who prescribed it, by id or name prefix.", valueName: "provider")) var prescriber: String?
        @Option(help: ArgumentHelp("The diagnosis it is for, by id or description prefix.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: "The code, e.g. 72965 (RxNorm).") var code: String?
        @Option(help: "The code's system: rxnorm, snomed, atc or other (default rxnorm for a number).") var system: Medication.CodeSystem?
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to medication: inout Medication, patient: Patient, store: HealthStore) throws {
            if let dose { medication.dose = dose }
            if let route { medication.route = route }
            if let frequency { medication.frequency = frequency }
            if let instructions { medication.instructions = instructions }
            if let start { medication.startedOn = start.isEmpty ? nil : try DateInput.date(start, option: "--start") }
            if let end { medication.endedOn = end.isEmpty ? nil : try DateInput.date(end, option: "--end") }
            if let status { medication.status = status }
            if let prescriber {
                medication.providerID = prescriber.isEmpty ? nil : try Lookup.provider(prescriber, in: store, option: "--prescriber").id
            }
            if let diagnosis {
                medication.diagnosisID = diagnosis.isEmpty ? nil : try Lookup.diagnosis(diagnosis, patient: patient, in: store).id
            }
            if let code {
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                medication.code = trimmed.isEmpty ? nil : trimmed
                if trimmed.isEmpty { medication.codeSystem = nil }
                if !trimmed.isEmpty, system == nil {
                    guard trimmed.allSatisfy(\.isNumber) else {
                        throw CommandFailure("--code: cannot tell the system of '\(trimmed)'; add --system rxnorm, snomed, atc or other",
                                             code: ExitStatus.usage)
                    }
                    medication.codeSystem = .rxnorm
                }
            }
            if let system { medication.codeSystem = system }
            if let notes { medication.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a medication (active unless --status says otherwise).",
            discussion: """
                Example:
                  phr medication add "Letrozole 2.5 mg tablet" --frequency "once daily" \\
                      --start 2026-11-01
                  phr medication add Tamoxifen --dose "20 mg" --route "by mouth" \\
                      --frequency "once daily" --status planned
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The medication, as on the box or prescription.") var name: String
        @OptionGroup var fields: Fields

        func run() throws {
            try DateInput.refuseEmpty(fields.start, option: "--start")
            try DateInput.refuseEmpty(fields.end, option: "--end")
            let health = try store.open()
            let added = try health.write("medication add") { () throws -> Medication in
                let owner = try patient.resolve(in: health)
                var medication = Medication(patientID: owner.id, name: name)
                try fields.apply(to: &medication, patient: owner, store: health)
                return try health.addMedication(medication)
            }
            print("Added medication \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the patient's medications.", discussion: "Example:\n  phr medication list --active")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Only those taken now (active or on hold).") var active = false
        @Option(help: "Only these statuses.") var status: [Medication.Status] = []

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let owner = try patient.resolve(in: health)
                let medications = try health.medications(patientID: owner.id, MedicationFilter(
                    currentOnly: active, statuses: status.isEmpty ? nil : status))
                var listing = try MedicationCommand.listing(medications, store: health)
                var filters = GivenFilters()
                filters.add("--active", when: active)
                filters.add("--status", status)
                listing.sayNoneMatch(filters, plural: "medications", listCommand: "phr medication list")
                return listing
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one medication.", discussion: "Example:\n  phr medication show letrozole")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The medication, by id or name prefix.") var medication: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let found = try Lookup.medication(medication, patient: try patient.resolve(in: health), in: health)
                return try MedicationCommand.listing([found], store: health)
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a medication (an empty value clears a field).",
            discussion: "Example:\n  phr medication edit letrozole --dose \"2.5 mg\" --prescriber Weber")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The medication, by id or name prefix.") var medication: String
        @Option(help: "New name.") var name: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("medication edit") { () throws -> Medication in
                let owner = try patient.resolve(in: health)
                var found = try Lookup.medication(medication, patient: owner, in: health)
                if let name { found.name = name }
                try fields.apply(to: &found, patient: owner, store: health)
                return try health.updateMedication(found)
            }
            print("Updated medication \(updated.id): \(updated.name)")
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Record that a medication was stopped (today unless --date says when).",
            discussion: "Example:\n  phr medication stop ibuprofen --date 2026-11-28")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The medication, by id or name prefix.") var medication: String
        @Option(help: ArgumentHelp("When it was stopped: \(DateInput.acceptedDates) (default today).", valueName: "date"))
        var date: String = "today"

        func run() throws {
            let health = try store.open()
            let stopped = try health.write("medication stop") { () throws -> Medication in
                let found = try Lookup.medication(medication, patient: try patient.resolve(in: health), in: health)
                return try health.stopMedication(id: found.id, on: try DateInput.date(date, option: "--date"))
            }
            print("Stopped medication \(stopped.id): \(stopped.name) on \(stopped.endedOn?.description ?? date)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a medication entered by mistake (undo with `phr undo`); to record that it ended, use `stop`.",
            discussion: "Example:\n  phr medication remove 2")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The medication, by id or name prefix.") var medication: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("medication remove") { () throws -> Medication in
                let found = try Lookup.medication(medication, patient: try patient.resolve(in: health), in: health)
                try health.removeMedication(id: found.id)
                return found
            }
            print("Removed medication \(removed.id): \(removed.name) (phr undo brings it back)")
        }
    }
}

extension Medication.Status: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "on-hold", "onhold", "on hold", "paused", "held": self = .onHold
        case "current", "taking": self = .active
        default: self.init(rawValue: argument.lowercased())
        }
    }
}

extension Medication.CodeSystem: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "snomed", "snomed-ct", "snomedct", "sct": self = .snomedCT
        case "rxnorm", "rxcui": self = .rxnorm
        default: self.init(rawValue: argument.lowercased())
        }
    }

    public static var allValueStrings: [String] { ["rxnorm", "snomed", "atc", "other"] }
}
