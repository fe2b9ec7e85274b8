import ArgumentParser
import Foundation
import PHRStore

/// `phr question`: the questions to ask, and each provider's answer.
struct QuestionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "question",
        abstract: "Write down questions for your doctors, and each one's answer.",
        discussion: """
            Example:
              phr question add "Can surgery wait until after chemotherapy?" \\
                  --appointment 3 --diagnosis invasive
              phr question answer 1 --provider Ortiz \\
                  "Yes; the response to chemotherapy guides surgery"
              phr question list --open
            """,
        subcommands: [Add.self, Answer.self, List.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Write down a question, for an appointment and/or about a diagnosis.",
            discussion: "Example:\n  phr question add \"Do I need genetic testing?\" --appointment 3")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The question.") var text: [String]
        @Option(help: ArgumentHelp("The appointment to ask it at (its id).", valueName: "id")) var appointment: String?
        @Option(help: ArgumentHelp("The diagnosis it is about, by id or prefix.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: "Free-text notes.") var notes: String?

        func validate() throws {
            if text.joined(separator: " ").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("give the question's text")
            }
        }

        func run() throws {
            let health = try store.open()
            let added = try health.write("question add") { () throws -> Question in
                let owner = try patient.resolve(in: health)
                var appointmentID: Int64?
                var diagnosisID = try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: health).id }
                if let appointment {
                    let found = try health.requireAppointment(try Lookup.id(appointment, kind: "appointment", option: "--appointment"))
                    appointmentID = found.id
                    if diagnosisID == nil { diagnosisID = found.diagnosisID }
                }
                return try health.addQuestion(Question(patientID: owner.id, text: text.joined(separator: " "),
                                                       appointmentID: appointmentID, diagnosisID: diagnosisID, notes: notes))
            }
            print("Added question \(added.id)")
        }
    }

    struct Answer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "answer",
            abstract: "Record a provider's answer to a question.",
            discussion: "Example:\n  phr question answer 1 --provider Ortiz \"Not needed at this stage\"")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The question id.") var question: String
        @Option(help: ArgumentHelp("Who answered, by id or name prefix.", valueName: "provider")) var provider: String
        @Option(help: ArgumentHelp("When: \(DateInput.acceptedDates) (default: today).", valueName: "date")) var date: String?
        @Argument(help: "The answer.") var text: [String]

        func validate() throws {
            if text.joined(separator: " ").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("give the answer's text")
            }
        }

        func run() throws {
            let health = try store.open()
            let answer = try health.write("question answer") { () throws -> PHRStore.Answer in
                let questionID = try Lookup.id(question, kind: "question", option: "QUESTION")
                return try health.addAnswer(PHRStore.Answer(
                    questionID: questionID, providerID: try Lookup.provider(provider, in: health).id,
                    text: text.joined(separator: " "),
                    answeredOn: try date.map { try DateInput.date($0, option: "--date") } ?? ReferenceTime().today))
            }
            print("Recorded answer \(answer.id) to question \(answer.questionID)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List questions with their answers; --open shows the unanswered ones.",
            discussion: "Example:\n  phr question list --open --appointment 3")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Only questions nobody has answered yet.") var open = false
        @Option(help: ArgumentHelp("Only questions for this appointment (its id).", valueName: "id")) var appointment: String?
        @Option(help: ArgumentHelp("Only questions about this diagnosis.", valueName: "diagnosis")) var diagnosis: String?

        func run() throws {
            let health = try store.open()
            let (questions, providers) = try health.read { () throws -> ([Question], [Int64: Provider]) in
                let owner = try patient.resolve(in: health)
                let filter = QuestionFilter(
                    appointmentID: try appointment.map { try Lookup.id($0, kind: "appointment", option: "--appointment") },
                    diagnosisID: try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: health).id },
                    openOnly: open)
                return (try health.questions(patientID: owner.id, filter), try RecordCommand.providersByID(health))
            }
            var listing = Listing(columns: [
                .init(key: "id", header: "ID"),
                .init(key: "uuid", header: "UUID", inTable: false),
                .init(key: "question", header: "Question", wraps: true),
                .init(key: "appointment_id", header: "Appointment"),
                .init(key: "diagnosis_id", header: "Diagnosis"),
                .init(key: "status", header: "Status"),
                .init(key: "answers", header: "Answers", wraps: true),
                .init(key: "notes", header: "Notes", inTable: false),
                .init(key: "created_at", header: "Created", inTable: false),
            ], emptyMessage: open ? "No open questions." : "No questions yet. Add one: phr question add \"…\" --appointment A")
            for q in questions {
                let answers = q.answers.map { a in
                    Cell.text("\(providers[a.providerID]?.name ?? "provider \(a.providerID)") (\(a.answeredOn)): \(a.text)")
                }
                listing.append([.integer(q.id), .text(q.uuid), .text(q.text), Cell(q.appointmentID), Cell(q.diagnosisID),
                                .text(q.isOpen ? "open" : "answered"), .list(answers), Cell(q.notes), .text(q.createdAt)])
            }
            try output.emit(listing)
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a question and its answers (undo with `phr undo`).", discussion: "Example:\n  phr question remove 2")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The question id.") var question: String

        func run() throws {
            let health = try store.open()
            let id = try Lookup.id(question, kind: "question", option: "QUESTION")
            try health.write("question remove") { try health.removeQuestion(id: id) }
            print("Removed question \(id) (phr undo brings it back)")
        }
    }
}
