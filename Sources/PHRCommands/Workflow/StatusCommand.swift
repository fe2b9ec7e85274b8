import ArgumentParser
import Foundation
import PHRExchange
import PHRStore

/// `phr status`: the readiness checklist, and the facts it needs that no other command records.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What is done and what is not before each second opinion (exit 0: nothing missing, 1: something is).",
        discussion: """
            For each diagnosis under review (suspected or confirmed, no treatment decided yet) and \
            each upcoming second-opinion appointment: original doctor told, insurance pre-approval, \
            referral, the records the new provider has not received yet (pathology report and \
            slides, imaging reports and images, recent labs, consult notes), questions prepared, \
            days until the appointment, days since the diagnosis, planned treatment start, and \
            warnings in plain words. `phr status set` records the facts only you know.
            Example:
              phr status
              phr status --diagnosis invasive --format json
              phr status set --diagnosis invasive --told-doctor today \\
                  --treatment-planned 2026-12-15
              phr status set --appointment 4 --referral received
            """,
        subcommands: [Show.self, SetFacts.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the readiness checklist (the default); exit 1 when something is missing or pending.",
            discussion: "Example:\n  phr status show --appointment 4\n  phr status && echo ready")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var thresholds: ThresholdOptions
        @Option(help: ArgumentHelp("Only this diagnosis (even when already decided) and its upcoming appointments.", valueName: "diagnosis"))
        var diagnosis: String?
        @Option(help: ArgumentHelp("Only this appointment (its id).", valueName: "id")) var appointment: String?

        func validate() throws {
            if diagnosis != nil, appointment != nil {
                throw ValidationError("give --diagnosis or --appointment, not both")
            }
        }

        func run() throws {
            let health = try store.open()
            let (checklist, hasDiagnoses, whose) = try health.read { () throws -> (ReadinessChecklist, Bool, String) in
                let owner = try patient.resolve(in: health)
                let scope = ReadinessScope(
                    diagnosisID: try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: health).id },
                    appointmentID: try appointment.map { try Lookup.id($0, kind: "appointment", option: "--appointment") })
                let checklist = try health.readinessChecklist(patientID: owner.id, scope: scope,
                                                              settings: try thresholds.settings(from: health))
                // Asked only when nothing is under review, to say where to begin.
                let hasDiagnoses = try !checklist.isEmpty || !health.diagnoses(patientID: owner.id).isEmpty
                // With several patients, whose checklist this is.
                let count = try health.patients().count
                let whose = count > 1 ? "Patient: \(owner.name) (one of \(count) in this store; --patient chooses)\n\n" : ""
                return (checklist, hasDiagnoses, whose)
            }
            switch output.resolvedFormat {
            case .table:
                try output.emit(text: whose + StatusReport.table(checklist, hasDiagnoses: hasDiagnoses, style: output.tableStyle))
            case .json: try output.emit(text: StatusReport.json(checklist))
            case .csv: try output.emit(StatusReport.csvListing(checklist))
            }
            if !checklist.isComplete { throw QuietExit(code: 1) }
        }
    }

    struct SetFacts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Record checklist facts: original doctor told, planned treatment start, referral.",
            discussion: """
                With --diagnosis: --told-doctor DATE (or no), --treatment-planned DATE (or none), \
                --treatment-started DATE (or none). With --appointment: --referral and \
                --referral-ref. Insurance pre-approval is the appointment's: \
                `phr appointment edit A --insurance approved`.
                Example:
                  phr status set --diagnosis invasive --told-doctor 2026-11-20 \\
                      --treatment-planned 2026-12-15
                  phr status set --appointment 4 --referral requested --referral-ref R-2231
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Option(help: ArgumentHelp("The diagnosis under review.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: ArgumentHelp("The appointment (its id).", valueName: "id")) var appointment: String?
        @Option(name: .customLong("told-doctor"), help: ArgumentHelp("When you told the original doctor about the second opinion ('yes' = today), or 'no'.", valueName: "date|yes|no"))
        var toldDoctor: String?
        @Option(name: .customLong("treatment-planned"), help: ArgumentHelp("When treatment is planned to start, or 'none'.", valueName: "date|none"))
        var treatmentPlanned: String?
        @Option(name: .customLong("treatment-started"), help: ArgumentHelp("When treatment started, or 'none'.", valueName: "date|none"))
        var treatmentStarted: String?
        @Option(help: "The referral: unknown, not-needed, needed, requested or received.") var referral: AppointmentPreparation.Referral?
        @Option(name: .customLong("referral-ref"), help: "The referral's number or reference.") var referralRef: String?
        @Option(help: "Free-text notes (on the diagnosis review or the appointment's preparation).") var notes: String?

        func validate() throws {
            switch (diagnosis, appointment) {
            case (nil, nil): throw ValidationError("say what the facts are about: --diagnosis D or --appointment A")
            case (.some, .some): throw ValidationError("give --diagnosis or --appointment, not both")
            case (.some, nil):
                if referral != nil || referralRef != nil {
                    throw ValidationError("--referral belongs to an appointment: use --appointment A")
                }
                if toldDoctor == nil, treatmentPlanned == nil, treatmentStarted == nil, notes == nil {
                    throw ValidationError("nothing to set: give --told-doctor, --treatment-planned, --treatment-started or --notes")
                }
            case (nil, .some):
                if toldDoctor != nil || treatmentPlanned != nil || treatmentStarted != nil {
                    throw ValidationError("--told-doctor and --treatment-* belong to a diagnosis: use --diagnosis D")
                }
                if referral == nil, referralRef == nil, notes == nil {
                    throw ValidationError("nothing to set: give --referral, --referral-ref or --notes")
                }
            }
        }

        func run() throws {
            let health = try store.open()
            let message = try health.write("status set") { () throws -> String in
                let owner = try patient.resolve(in: health)
                if let diagnosis {
                    let found = try Lookup.diagnosis(diagnosis, patient: owner, in: health)
                    var review = try health.diagnosisReview(diagnosisID: found.id)
                    if let toldDoctor {
                        review.originalDoctorToldOn = toldDoctor.lowercased() == "yes" ? ReferenceTime().today
                            : try Self.date(toldDoctor, option: "--told-doctor", none: "no")
                    }
                    if let treatmentPlanned { review.treatmentPlannedOn = try Self.date(treatmentPlanned, option: "--treatment-planned", none: "none") }
                    if let treatmentStarted {
                        review.treatmentStartedOn = treatmentStarted.lowercased() == "yes" ? ReferenceTime().today
                            : try Self.date(treatmentStarted, option: "--treatment-started", none: "none")
                    }
                    if let notes { review.notes = notes }
                    try health.setDiagnosisReview(review)
                    return "Updated the checklist facts of diagnosis \(found.id)"
                }
                let id = try Lookup.id(appointment ?? "", kind: "appointment", option: "--appointment")
                let found = try health.requireAppointment(id)
                guard found.patientID == owner.id else {
                    throw CommandFailure("--appointment: appointment \(id) belongs to another patient; choose them with --patient")
                }
                var preparation = try health.appointmentPreparation(appointmentID: id)
                if let referral { preparation.referral = referral }
                if let referralRef { preparation.referralReference = referralRef }
                if let notes { preparation.notes = notes }
                try health.setAppointmentPreparation(preparation)
                return "Updated the checklist facts of appointment \(id)"
            }
            print(message)
        }

        /// A date, or `nil` for the word that clears it ('no', 'none').
        static func date(_ text: String, option: String, none: String) throws -> PartialDate? {
            let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
            if lowered == none || lowered == "no" || lowered == "none" || lowered.isEmpty { return nil }
            do {
                return try DateInput.date(text, option: option)
            } catch let failure as CommandFailure {
                throw CommandFailure(failure.message + ", or '\(none)'", code: failure.code)
            }
        }
    }
}

extension AppointmentPreparation.Referral: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "not-needed", "none", "not-required", "no": self = .notNeeded
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + ["none", "no"] }
}

/// How `phr status` prints a checklist.
enum StatusReport {
    /// The state as a fixed-width word, so the column lines up.
    static func word(_ state: ChecklistItem.State) -> String {
        switch state {
        case .done: return "done"
        case .pending: return "pending"
        case .missing: return "MISSING"
        case .info: return "info"
        }
    }

    /// `hasDiagnoses`: whether the patient has any diagnosis; with none and nothing under review,
    /// the table says where to begin.
    static func table(_ checklist: ReadinessChecklist, hasDiagnoses: Bool, style: TableStyle) -> String {
        guard !checklist.isEmpty else {
            guard hasDiagnoses else {
                return "Nothing under review yet: no diagnosis is recorded. Begin with it, as your report gives it:\n"
                    + "  phr diagnosis add \"Invasive ductal carcinoma, left breast\" --code C50.412 --stage IIA --provider NAME\n"
                    + "or follow the whole second opinion step by step: phr guide\n"
            }
            return "Nothing under review: no diagnosis awaits a treatment decision and no second-opinion appointment is coming up.\n"
        }
        var parts: [String] = []
        for section in checklist.sections {
            var listing = Listing(columns: [
                .init(key: "state", header: "State"), .init(key: "item", header: "Item"),
                .init(key: "detail", header: "Where it stands", wraps: true), .init(key: "hint", header: "Next step"),  // a command, printed whole
            ], title: section.title)
            for item in section.items {
                listing.append([.text(word(item.state)), .text(item.label), .text(item.detail), Cell(item.next?.command)])
            }
            parts.append(TableRenderer.render(listing, style: style))
        }
        var out = parts.joined(separator: "\n")
        let warnings = checklist.warnings
        if !warnings.isEmpty {
            out += "\nWarnings:\n"
            for warning in warnings {
                out += OpinionCommand.Compare.bullet(warning.prefix(1).uppercased() + warning.dropFirst(), width: style.width)
            }
        }
        let items = checklist.sections.flatMap(\.items)
        let missing = items.filter { $0.state == .missing }.count
        let pending = items.filter { $0.state == .pending }.count
        out += "\n" + (checklist.isComplete ? "Ready: nothing is missing.\n" : "Not ready: \(missing) missing, \(pending) pending.\n")
        return out
    }

    static func subject(_ section: ChecklistSection) -> (kind: String, id: Int64) {
        switch section.subject {
        case .diagnosis(let diagnosis): return ("diagnosis", diagnosis.id)
        case .appointment(let appointment): return ("appointment", appointment.id)
        }
    }

    /// Keys in alphabetical order, as scripts have always seen them.
    static func json(_ checklist: ReadinessChecklist) -> String {
        let sections: [JSONValue] = checklist.sections.map { section in
            let (kind, id) = subject(section)
            return .object([
                ("complete", .bool(section.isComplete)),
                ("id", .integer(id)),
                ("items", .array(section.items.map { item in
                    .object([("detail", .string(item.detail)), ("hint", JSONValue(item.next?.command)),
                             ("key", .string(item.key)), ("label", .string(item.label)),
                             ("state", .string(item.state.rawValue))])
                })),
                ("kind", .string(kind)),
                ("title", .string(section.title)),
                ("warnings", JSONValue(section.warnings)),
            ])
        }
        return JSONValue.object([
            ("complete", .bool(checklist.isComplete)), ("general_warnings", JSONValue(checklist.generalWarnings)),
            ("sections", .array(sections)), ("warnings", JSONValue(checklist.warnings)),
        ]).rendered()
    }

    static func csvListing(_ checklist: ReadinessChecklist) -> Listing {
        var listing = Listing(columns: [
            .init(key: "section_kind", header: "Section kind"), .init(key: "section_id", header: "Section id"),
            .init(key: "section", header: "Section"), .init(key: "key", header: "Key"), .init(key: "label", header: "Item"),
            .init(key: "state", header: "State"), .init(key: "detail", header: "Detail"), .init(key: "hint", header: "Next step"),
        ])
        for section in checklist.sections {
            let (kind, id) = subject(section)
            for item in section.items {
                listing.append([.text(kind), .integer(id), .text(section.title), .text(item.key), .text(item.label),
                                .text(item.state.rawValue), .text(item.detail), Cell(item.next?.command)])
            }
        }
        return listing
    }
}
