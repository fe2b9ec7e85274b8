import ArgumentParser
import Foundation
import PHRStore

/// `phr decision`: the treatment decided on for a diagnosis, and the opinions it rests on.
struct DecisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decision",
        abstract: "Record the treatment you decided on, and the opinions it rests on.",
        discussion: """
            A decision closes the review of its diagnosis: `phr status` stops asking about it, and \
            `phr opinion history` and `phr opinion compare` show it.
            Example:
              phr decision add --diagnosis invasive --treatment \\
                  "Neoadjuvant chemotherapy, then surgery" --based-on 2 3
              phr decision list
            """,
        subcommands: [Add.self, List.self, Show.self, Remove.self]
    )

    static func listing(_ decisions: [Decision], diagnoses: [Int64: Diagnosis], opinions: [Int64: Opinion],
                        providers: [Int64: Provider]) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "decided_on", header: "Date"),
            .init(key: "diagnosis_id", header: "Diagnosis ID", inTable: false),
            .init(key: "diagnosis", header: "Diagnosis", wraps: true),
            .init(key: "treatment", header: "Treatment", wraps: true),
            .init(key: "opinion_ids", header: "Opinion IDs", inTable: false),
            .init(key: "based_on", header: "Based on", wraps: true),
            .init(key: "notes", header: "Notes", wraps: true),
            .init(key: "created_at", header: "Created", inTable: false),
        ], emptyMessage: "No decisions yet. Record one: phr decision add --diagnosis D --treatment TEXT --based-on OPINION")
        for d in decisions {
            let basis = d.opinionIDs.map { id -> Cell in
                guard let opinion = opinions[id] else { return .text("opinion \(id)") }
                return .text("\(providers[opinion.providerID]?.name ?? "provider \(opinion.providerID)") (\(opinion.givenOn), opinion \(id))")
            }
            listing.append([.integer(d.id), .text(d.uuid), .text(d.decidedOn.description), .integer(d.diagnosisID),
                            Cell(diagnoses[d.diagnosisID]?.description), .text(d.treatment), .list(d.opinionIDs.map(Cell.integer)),
                            .list(basis), Cell(d.notes), .text(d.createdAt)])
        }
        return listing
    }

    /// Loads what `listing` needs to name a patient's diagnoses, opinions and providers.
    static func context(_ store: HealthStore, patient: Patient) throws
        -> (diagnoses: [Int64: Diagnosis], opinions: [Int64: Opinion], providers: [Int64: Provider])
    {
        let diagnoses = try store.diagnoses(patientID: patient.id)
        let opinions = try diagnoses.flatMap { try store.opinions(diagnosisID: $0.id) }
        return (Dictionary(uniqueKeysWithValues: diagnoses.map { ($0.id, $0) }),
                Dictionary(uniqueKeysWithValues: opinions.map { ($0.id, $0) }),
                try RecordCommand.providersByID(store))
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record a treatment decision for a diagnosis.",
            discussion: """
                Example:
                  phr decision add --diagnosis invasive --based-on 1 3 \\
                      --treatment "Lumpectomy, then radiation" --notes "tumour board"
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Option(help: ArgumentHelp("The diagnosis, by id or prefix.", valueName: "diagnosis")) var diagnosis: String
        @Option(help: "The treatment decided on.") var treatment: String
        @Option(name: .customLong("based-on"), parsing: .upToNextOption,
                help: ArgumentHelp("The opinions it follows (their ids).", valueName: "opinion"))
        var basedOn: [String] = []
        @Option(help: ArgumentHelp("When: \(DateInput.acceptedDates) (default: today).", valueName: "date")) var date: String?
        @Option(help: "Free-text notes.") var notes: String?
        @OptionGroup var again: AgainOption

        func run() throws {
            let health = try store.open()
            let (added, basedOnOpinions) = try health.write("decision add") { () throws -> (Decision, [Opinion]) in
                let owner = try patient.resolve(in: health)
                let diagnosisID = try Lookup.diagnosis(diagnosis, patient: owner, in: health).id
                let opinionIDs = try basedOn.map { try Lookup.id($0, kind: "opinion", option: "--based-on") }
                let added = try health.addDecision(Decision(
                    diagnosisID: diagnosisID, treatment: treatment,
                    decidedOn: try date.map { try DateInput.date($0, option: "--date") } ?? ReferenceTime().today,
                    opinionIDs: opinionIDs, notes: notes))
                try DuplicateCheck.refuse(added, among: try health.decisions(diagnosisID: diagnosisID), kind: "decision", again: again)
                return (added, try opinionIDs.compactMap { try health.opinion(id: $0) })
            }
            print("Added decision \(added.id) for diagnosis \(added.diagnosisID)")
            for opinion in basedOnOpinions where opinion.givenOn > added.decidedOn {
                Warning.say("decision \(added.id) (\(added.decidedOn)) is dated before opinion \(opinion.id) (\(opinion.givenOn)), which it is based on")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List treatment decisions, oldest first.", discussion: "Example:\n  phr decision list --diagnosis invasive")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Option(help: ArgumentHelp("Only this diagnosis.", valueName: "diagnosis")) var diagnosis: String?

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let owner = try patient.resolve(in: health)
                let decisions = try diagnosis.map { try health.decisions(diagnosisID: Lookup.diagnosis($0, patient: owner, in: health).id) }
                    ?? health.decisions(patientID: owner.id)
                let context = try DecisionCommand.context(health, patient: owner)
                var listing = DecisionCommand.listing(decisions, diagnoses: context.diagnoses, opinions: context.opinions,
                                                      providers: context.providers)
                var filters = GivenFilters()
                filters.add("--diagnosis", diagnosis)
                listing.sayNoneMatch(filters, plural: "decisions", listCommand: "phr decision list")
                return listing
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one decision.", discussion: "Example:\n  phr decision show 1")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The decision id.") var decision: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let found = try health.requireDecision(try Lookup.id(decision, kind: "decision", option: "DECISION"))
                let diagnosis = try health.requireDiagnosis(found.diagnosisID)
                let context = try DecisionCommand.context(health, patient: try health.requirePatient(diagnosis.patientID))
                return DecisionCommand.listing([found], diagnoses: context.diagnoses, opinions: context.opinions,
                                               providers: context.providers)
            }
            try output.emitItem(listing)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a decision (undo with `phr undo`).", discussion: "Example:\n  phr decision remove 1")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The decision id.") var decision: String

        func run() throws {
            let health = try store.open()
            let id = try Lookup.id(decision, kind: "decision", option: "DECISION")
            try health.write("decision remove") { try health.removeDecision(id: id) }
            print("Removed decision \(id) (phr undo brings it back)")
        }
    }
}
