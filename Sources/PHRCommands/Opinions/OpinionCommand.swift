import ArgumentParser
import Foundation
import PHRStore

struct OpinionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opinion",
        abstract: "Record what each provider concluded and recommended, and query the opinion history.",
        discussion: "Example:\n  phr opinion add --diagnosis invasive --provider Chen --conclusion \"Agrees\"\n  phr opinion history",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, History.self, Compare.self]
    )

    static func listing(_ entries: [OpinionHistoryEntry], title: String? = nil,
                        emptyMessage: String = "No opinions yet. Add one: phr opinion add --diagnosis D --provider P --conclusion TEXT")
        -> Listing
    {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "diagnosis_id", header: "Diagnosis ID", inTable: false),
            .init(key: "diagnosis", header: "Diagnosis", inTable: false),
            .init(key: "given_on", header: "Date"),
            .init(key: "provider_id", header: "Provider ID", inTable: false),
            .init(key: "provider", header: "Provider", wraps: true),
            .init(key: "specialty", header: "Specialty", wraps: true),
            .init(key: "conclusion", header: "Conclusion", wraps: true),
            .init(key: "recommendation", header: "Recommendation", wraps: true),
            .init(key: "stage", header: "Stage"),
            .init(key: "agreement", header: "Agreement"),
            .init(key: "appointment_id", header: "Appointment", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], title: title, emptyMessage: emptyMessage)
        for entry in entries {
            let o = entry.opinion
            listing.append([.integer(o.id), .text(o.uuid), .integer(o.diagnosisID), .text(entry.diagnosis.description),
                            .text(o.givenOn.description), .integer(o.providerID), .text(entry.provider.name),
                            Cell(entry.provider.specialty), .text(o.conclusion), Cell(o.recommendation),
                            Cell(o.stage(on: entry.diagnosis)),
                            .text(agreementText(o.agreement)), Cell(o.appointmentID), Cell(o.notes), Cell(o.sourceNotes), .text(o.createdAt),
                            .text(o.updatedAt)])
        }
        return listing
    }

    /// An opinion is given on a day that has come: a later date is most likely a typo.
    static func warnIfFuture(_ opinion: Opinion) {
        let today = ReferenceTime().today
        if opinion.givenOn > today, !opinion.givenOn.description.hasPrefix(today.description) {
            Warning.say("opinion \(opinion.id) is dated \(opinion.givenOn), after today (\(today)); fix it with phr opinion edit \(opinion.id) --date DATE")
        }
    }

    /// How the agreement reads in tables and JSON: `first opinion`, `agrees`, `partly agrees`,
    /// `differs`, `not stated`.
    static func agreementText(_ agreement: Opinion.Agreement?) -> String {
        switch agreement {
        case .first: return "first opinion"
        case .agrees: return "agrees"
        case .partly: return "partly agrees"
        case .differs: return "differs"
        case nil: return "not stated"
        }
    }

    /// The opinion history as one listing per diagnosis, each titled with the diagnosis.
    static func historySections(_ entries: [OpinionHistoryEntry]) -> [Listing] {
        var sections: [Listing] = []
        var order: [Int64] = []
        var byDiagnosis: [Int64: [OpinionHistoryEntry]] = [:]
        for entry in entries {
            if byDiagnosis[entry.diagnosis.id] == nil { order.append(entry.diagnosis.id) }
            byDiagnosis[entry.diagnosis.id, default: []].append(entry)
        }
        for id in order {
            guard let group = byDiagnosis[id], let diagnosis = group.first?.diagnosis else { continue }
            var title = "\(diagnosis.description)"
            if let code = diagnosis.code { title += " (\(code))" }
            if let stage = diagnosis.stage { title += ", stage \(stage)" }
            if let date = diagnosis.diagnosedOn { title += ", diagnosed \(date)" }
            sections.append(listing(group, title: title))
        }
        return sections
    }

    /// The editable fields, shared by `add` and `edit`.
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp("The appointment it was given at (its id).", valueName: "id")) var appointment: String?
        @Option(help: ArgumentHelp("When it was given: \(DateInput.acceptedDates) (default: the appointment's day, else today).", valueName: "date")) var date: String?
        @Option(help: "What the provider recommends doing.") var recommendation: String?
        @Option(help: "The stage this provider gave (default for the doctor who made the diagnosis: the diagnosis's stage).") var stage: String?
        @Option(help: "How it compares with the earlier opinions: agrees, partly or differs.") var agreement: Opinion.Agreement?
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to opinion: inout Opinion, store: HealthStore) throws {
            if let appointment {
                if appointment.isEmpty {
                    opinion.appointmentID = nil
                } else {
                    let found = try store.requireAppointment(try Lookup.id(appointment, kind: "appointment", option: "--appointment"))
                    opinion.appointmentID = found.id
                    if date == nil, let startsAt = found.startsAt { opinion.givenOn = startsAt.date }
                }
            }
            if let date { opinion.givenOn = try DateInput.date(date, option: "--date") }
            if let recommendation { opinion.recommendation = recommendation }
            if let stage { opinion.stage = stage }
            if let agreement { opinion.agreement = agreement }
            if let notes { opinion.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a provider's opinion on a diagnosis (the first one is marked first opinion).",
            discussion: """
                Example:
                  phr opinion add --diagnosis invasive --provider Chen --date 2026-11-20 \\
                      --conclusion "Agrees with diagnosis; tumour 2.1 cm" \\
                      --recommendation "Neoadjuvant chemotherapy, then surgery" \\
                      --agreement partly
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Option(help: ArgumentHelp("The diagnosis, by id or prefix (default: the patient's only diagnosis).", valueName: "diagnosis"))
        var diagnosis: String?
        @Option(help: ArgumentHelp("Who gave it, by id or name prefix.", valueName: "provider")) var provider: String
        @Option(help: "What the provider concluded.") var conclusion: String
        @OptionGroup var fields: Fields
        @OptionGroup var again: AgainOption

        func run() throws {
            let health = try store.open()
            let added = try health.write("opinion add") { () throws -> Opinion in
                let owner = try patient.resolve(in: health)
                var opinion = Opinion(diagnosisID: try Self.diagnosisID(diagnosis, patient: owner, in: health),
                                      providerID: try Lookup.provider(provider, in: health).id,
                                      givenOn: ReferenceTime().today, conclusion: conclusion)
                try fields.apply(to: &opinion, store: health)
                let added = try health.addOpinion(opinion)
                // The store marks the earliest opinion "first": the agreement does not tell copies apart.
                try DuplicateCheck.refuse(added, among: try health.opinions(diagnosisID: added.diagnosisID), kind: "opinion",
                                          ignoring: ["agreement"], again: again)
                return added
            }
            print("Added opinion \(added.id) (\(OpinionCommand.agreementText(added.agreement)))")
            OpinionCommand.warnIfFuture(added)
        }

        /// `--diagnosis`, else the patient's only diagnosis.
        static func diagnosisID(_ text: String?, patient: Patient, in store: HealthStore) throws -> Int64 {
            if let text { return try Lookup.diagnosis(text, patient: patient, in: store).id }
            let all = try store.diagnoses(patientID: patient.id)
            guard all.count == 1 else {
                let which = all.isEmpty ? "there is none yet; add it first: phr diagnosis add DESCRIPTION"
                    : "there are several: " + Lookup.describe(all.map { ($0.id, $0.description) })
                throw CommandFailure("--diagnosis: say which diagnosis the opinion is on (\(which))", code: ExitStatus.usage)
            }
            return all[0].id
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List opinions, in date order.", discussion: "Example:\n  phr opinion list --provider Chen --format csv")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("Only on this diagnosis.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: ArgumentHelp("Only from this provider.", valueName: "provider")) var provider: String?

        func run() throws {
            let health = try store.open()
            let query = HistoryQuery(diagnosis: diagnosis, provider: provider)
            var listing = OpinionCommand.listing(try query.entries(store: health, patient: patient))
            listing.sayNoneMatch(query.filters, plural: "opinions", listCommand: "phr opinion list")
            try output.emit(listing)
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "The opinions on each diagnosis in date order, with who said what and whether they agree.",
            discussion: "Example:\n  phr opinion history\n  phr opinion history --diagnosis invasive --format json")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("Only this diagnosis.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: ArgumentHelp("Only this provider's opinions.", valueName: "provider")) var provider: String?

        func run() throws {
            let health = try store.open()
            let query = HistoryQuery(diagnosis: diagnosis, provider: provider)
            let entries = try query.entries(store: health, patient: patient)
            let decisions = try health.read {
                try Set(entries.map(\.diagnosis.id)).sorted().flatMap { try health.decisions(diagnosisID: $0) }
            }
            try output.emit(sections: OpinionCommand.addingDecisions(decisions, to: OpinionCommand.historySections(entries)),
                            emptyMessage: query.filters.noneMatch(plural: "opinions", listCommand: "phr opinion history")
                                ?? "No opinions yet. Add one: phr opinion add --diagnosis D --provider P --conclusion TEXT")
        }
    }

    /// The `--diagnosis`/`--provider` filter shared by `list` and `history`.
    struct HistoryQuery {
        let diagnosis: String?
        let provider: String?

        var filters: GivenFilters {
            var filters = GivenFilters()
            filters.add("--diagnosis", diagnosis)
            filters.add("--provider", provider)
            return filters
        }

        func entries(store: HealthStore, patient: PatientOptions) throws -> [OpinionHistoryEntry] {
            try store.read {
                let owner = try patient.resolve(in: store)
                let diagnosisID = try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: store).id }
                let providerID = try provider.map { try Lookup.provider($0, in: store).id }
                return try store.opinionHistory(patientID: owner.id, diagnosisID: diagnosisID, providerID: providerID)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one opinion.", discussion: "Example:\n  phr opinion show 2")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The opinion id.") var opinion: String

        func run() throws {
            let health = try store.open()
            let entry = try health.read { () throws -> OpinionHistoryEntry in
                let found = try health.requireOpinion(try Lookup.id(opinion, kind: "opinion", option: "OPINION"))
                return OpinionHistoryEntry(opinion: found, diagnosis: try health.requireDiagnosis(found.diagnosisID),
                                           provider: try health.requireProvider(found.providerID))
            }
            try output.emitItem(OpinionCommand.listing([entry]))
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change an opinion (an empty value clears a field).",
            discussion: "Example:\n  phr opinion edit 2 --agreement differs")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The opinion id.") var opinion: String
        @Option(help: ArgumentHelp("Who gave it.", valueName: "provider")) var provider: String?
        @Option(help: "What the provider concluded.") var conclusion: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("opinion edit") { () throws -> Opinion in
                var found = try health.requireOpinion(try Lookup.id(opinion, kind: "opinion", option: "OPINION"))
                if let provider { found.providerID = try Lookup.provider(provider, in: health).id }
                if let conclusion { found.conclusion = conclusion }
                try fields.apply(to: &found, store: health)
                return try health.updateOpinion(found)
            }
            print("Updated opinion \(updated.id) (\(OpinionCommand.agreementText(updated.agreement)))")
            OpinionCommand.warnIfFuture(updated)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an opinion (undo with `phr undo`).", discussion: "Example:\n  phr opinion remove 2")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The opinion id.") var opinion: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("opinion remove") { () throws -> Opinion in
                let found = try health.requireOpinion(try Lookup.id(opinion, kind: "opinion", option: "OPINION"))
                try health.removeOpinion(id: found.id)
                return found
            }
            print("Removed opinion \(removed.id) (phr undo brings it back)")
        }
    }
}
