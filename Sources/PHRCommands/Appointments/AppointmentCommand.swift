import ArgumentParser
import Foundation
import PHRStore

struct AppointmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointment",
        abstract: "Log appointments: when, with whom, why, and the insurer's pre-approval.",
        discussion: "Example:\n  phr appointment add --provider Weber --at \"2026-12-03 09:30\" --duration 60\n  phr appointment list --upcoming",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Complete.self, Cancel.self, Remove.self]
    )

    static func listing(_ appointments: [Appointment], providers: [Int64: Provider], diagnoses: [Int64: Diagnosis],
                        emptyMessage: String = "No appointments. Add one: phr appointment add --provider P --at \"2026-12-03 09:30\"")
        -> Listing
    {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "starts_at", header: "Starts at", inTable: false),
            .init(key: "when", header: "When"),
            .init(key: "duration_minutes", header: "Min"),
            .init(key: "provider_id", header: "Provider ID", inTable: false),
            .init(key: "provider", header: "With", wraps: true),
            .init(key: "specialty", header: "Specialty", inTable: false),
            .init(key: "purpose", header: "Purpose"),
            .init(key: "reason", header: "Reason", wraps: true),
            .init(key: "location", header: "Location", wraps: true),
            .init(key: "diagnosis_id", header: "Diagnosis ID", inTable: false),
            .init(key: "diagnosis", header: "Diagnosis", inTable: false),
            .init(key: "status", header: "Status"),
            .init(key: "insurance", header: "Insurance"),
            .init(key: "insurance_reference", header: "Insurance ref", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: emptyMessage)
        for a in appointments {
            let provider = providers[a.providerID]
            listing.append([.integer(a.id), .text(a.uuid), .integer(a.patientID), Cell(a.startsAt?.description),
                            .text(a.whenText), Cell(a.durationMinutes), .integer(a.providerID),
                            Cell(provider?.name), Cell(provider?.specialty), Cell(a.purpose), Cell(a.reason), Cell(a.location),
                            Cell(a.diagnosisID), Cell(a.diagnosisID.flatMap { diagnoses[$0]?.description }), Cell(a.status),
                            Cell(a.insurance), Cell(a.insuranceReference), Cell(a.notes), Cell(a.sourceNotes), .text(a.createdAt), .text(a.updatedAt)])
        }
        return listing
    }

    /// The listing of `appointments` with their providers' and diagnoses' names looked up.
    static func listing(_ appointments: [Appointment], store: HealthStore, emptyMessage: String? = nil) throws -> Listing {
        // Only the providers and diagnoses the appointments name: a store may have thousands.
        let providers = try store.providers(ids: Set(appointments.map(\.providerID)))
        let diagnoses = try store.diagnoses(ids: Set(appointments.compactMap(\.diagnosisID)))
        if let emptyMessage { return listing(appointments, providers: providers, diagnoses: diagnoses, emptyMessage: emptyMessage) }
        return listing(appointments, providers: providers, diagnoses: diagnoses)
    }

    /// The editable fields, shared by `add` and `edit`.
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp("How long: \(DurationInput.accepted).", valueName: "duration")) var duration: String?
        @Option(help: ArgumentHelp("When it ends (instead of --duration), same forms as --at.", valueName: "time")) var ends: String?
        @Option(help: "Where: the clinic, building, room.") var location: String?
        @Option(help: "What it is for (a third, tie-breaking opinion is a second-opinion; surgery is a treatment).") var purpose: Appointment.Purpose?
        @Option(help: "Why, in your words.") var reason: String?
        @Option(help: ArgumentHelp("The diagnosis it is about, by id or prefix.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: ArgumentHelp("Insurance pre-approval (none = not-needed; an empty value clears it).",
                                   valueName: "pending|approved|denied|not-needed"),
                completion: .list(Appointment.Insurance.allValueStrings))
        var insurance: String?
        @Option(name: .customLong("insurance-ref"), help: "The insurer's reference or authorization number.") var insuranceReference: String?
        @Option(help: "Free-text notes.") var notes: String?

        func validate() throws {
            if let duration {
                do { _ = try DurationInput.minutes(duration, option: "--duration") } catch let failure as CommandFailure {
                    throw ValidationError(failure.message)
                }
            }
            if let insurance, !insurance.isEmpty, Appointment.Insurance(argument: insurance) == nil {
                throw ValidationError("--insurance: '\(insurance)' is not one of "
                                      + Appointment.Insurance.allValueStrings.joined(separator: ", ") + " (or '' to clear it)")
            }
            if duration != nil, ends != nil { throw ValidationError("give --duration or --ends, not both") }
        }

        func apply(to appointment: inout Appointment, patient: Patient, store: HealthStore) throws {
            if let duration { appointment.durationMinutes = try DurationInput.minutes(duration, option: "--duration") }
            if let ends {
                // "--ends 11:00" is on the appointment's day.
                let end = try DateInput.dateTime(ends, option: "--ends", defaultDay: appointment.startsAt?.date)
                guard let start = appointment.startsAt else {
                    throw CommandFailure("--ends: the appointment's time is unknown; give --at with it", code: ExitStatus.usage)
                }
                let minutes = (end.epochSeconds - start.epochSeconds) / 60
                guard minutes > 0 else {
                    throw CommandFailure("--ends: \(ends) is not after the start (\(start.wallClockText)); an appointment cannot end before it starts",
                                         code: ExitStatus.dataError)
                }
                appointment.durationMinutes = Int(minutes)
            }
            if let location { appointment.location = location }
            if let purpose { appointment.purpose = purpose }
            if let reason { appointment.reason = reason }
            if let diagnosis {
                appointment.diagnosisID = diagnosis.isEmpty ? nil : try Lookup.diagnosis(diagnosis, patient: patient, in: store).id
            }
            if let insurance { appointment.insurance = insurance.isEmpty ? nil : Appointment.Insurance(argument: insurance) }
            if let insuranceReference { appointment.insuranceReference = insuranceReference }
            if let notes { appointment.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Log an appointment.",
            discussion: """
                Times are local ("2026-12-03 09:30") or ISO 8601 with an offset ("2026-12-03T09:30-05:00").
                Example:
                  phr appointment add --provider "Cancer Center" --at "2026-12-03 09:30" \\
                      --duration 1h --purpose second-opinion --diagnosis invasive \\
                      --insurance approved --insurance-ref PA-2291
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Option(help: ArgumentHelp("With whom, by id or name prefix.", valueName: "provider")) var provider: String
        @Option(help: ArgumentHelp("When it starts: \(DateInput.acceptedDateTimes).", valueName: "time")) var at: String
        @OptionGroup var fields: Fields
        @OptionGroup var again: AgainOption

        func run() throws {
            let health = try store.open()
            let startsAt = try DateInput.dateTime(at, option: "--at")
            let added = try health.write("appointment add") { () throws -> Appointment in
                let owner = try patient.resolve(in: health)
                var appointment = Appointment(patientID: owner.id, providerID: try Lookup.provider(provider, in: health).id,
                                              startsAt: startsAt)
                try fields.apply(to: &appointment, patient: owner, store: health)
                let added = try health.addAppointment(appointment)
                try DuplicateCheck.refuse(added, among: try health.appointments(patientID: owner.id), kind: "appointment", again: again)
                return added
            }
            print("Added appointment \(added.id)\(try PatientOptions.whose(added.patientID, in: health)) on \(added.whenText)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List appointments (all, upcoming or past), in time order.",
            discussion: "Example:\n  phr appointment list --upcoming\n  phr appointment list --from 2026-11 --to 2026-12 --provider Weber")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Only scheduled appointments from now on.") var upcoming = false
        @Flag(help: "Only appointments that have started, latest first.") var past = false
        @Option(help: ArgumentHelp("From this date on: \(DateInput.acceptedDates).", valueName: "date")) var from: String?
        @Option(help: ArgumentHelp("Up to and including this date.", valueName: "date")) var to: String?
        @Option(help: ArgumentHelp("Only with this provider.", valueName: "provider")) var provider: String?
        @Option(help: ArgumentHelp("Only about this diagnosis.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: "Only these statuses.") var status: [Appointment.Status] = []

        func validate() throws {
            if upcoming && past { throw ValidationError("give --upcoming or --past, not both") }
        }

        func run() throws {
            let health = try store.open()
            let now = Clock.now()
            var filter = AppointmentFilter()
            if let from { filter.from = DateInput.interval(of: try DateInput.date(from, option: "--from")).start }
            if let to { filter.before = DateInput.interval(of: try DateInput.date(to, option: "--to")).end }
            if upcoming {
                filter.from = max(filter.from ?? now, now)
                filter.statuses = [.scheduled]
            }
            if past {
                filter.before = min(filter.before ?? now, now)
                filter.newestFirst = true
            }
            if !status.isEmpty { filter.statuses = status }
            let listing = try health.read { () throws -> Listing in
                let owner = try patient.resolve(in: health)
                if let provider { filter.providerID = try Lookup.provider(provider, in: health).id }
                if let diagnosis { filter.diagnosisID = try Lookup.diagnosis(diagnosis, patient: owner, in: health).id }
                let appointments = try health.appointments(patientID: owner.id, filter)
                return try AppointmentCommand.listing(appointments, store: health,
                                                      emptyMessage: upcoming ? "No upcoming appointments." : "No appointments found.")
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one appointment.", discussion: "Example:\n  phr appointment show 3")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The appointment id.") var appointment: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let found = try health.requireAppointment(try Lookup.id(appointment, kind: "appointment", option: "APPOINTMENT"))
                return try AppointmentCommand.listing([found], store: health)
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change an appointment (an empty value clears a field).",
            discussion: "Example:\n  phr appointment edit 3 --at \"2026-12-04 10:00\" --insurance approved")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The appointment id.") var appointment: String
        @Option(help: ArgumentHelp("With whom, by id or name prefix.", valueName: "provider")) var provider: String?
        @Option(help: ArgumentHelp("When it starts: \(DateInput.acceptedDateTimes).", valueName: "time")) var at: String?
        @Option(help: "scheduled, completed, cancelled or missed.") var status: Appointment.Status?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let startsAt = try at.map { try DateInput.dateTime($0, option: "--at") }
            let updated = try health.write("appointment edit") { () throws -> Appointment in
                var found = try health.requireAppointment(try Lookup.id(appointment, kind: "appointment", option: "APPOINTMENT"))
                let owner = try health.requirePatient(found.patientID)
                if let provider { found.providerID = try Lookup.provider(provider, in: health).id }
                if let startsAt { found.startsAt = startsAt }
                if let status { found.status = status }
                try fields.apply(to: &found, patient: owner, store: health)
                return try health.updateAppointment(found)
            }
            print("Updated appointment \(updated.id) on \(updated.whenText)")
        }
    }

    /// `complete` and `cancel`: set the status of one appointment.
    struct StatusChange {
        static func run(_ store: StoreOptions, _ text: String, to status: Appointment.Status, verb: String) throws {
            let health = try store.open()
            let updated = try health.write("appointment \(verb)") { () throws -> Appointment in
                let id = try Lookup.id(text, kind: "appointment", option: "APPOINTMENT")
                return try health.setAppointmentStatus(id: id, status)
            }
            print("Appointment \(updated.id) on \(updated.whenText) is now \(updated.status.rawValue)")
            if status == .completed, let start = updated.startsAt, start.instant > ReferenceTime().instant {
                Warning.say("appointment \(updated.id) (\(updated.whenText)) has not happened yet; marked completed anyway (phr undo takes it back)")
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "complete",
            abstract: "Mark an appointment as completed.", discussion: "Example:\n  phr appointment complete 3")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The appointment id.") var appointment: String

        func run() throws { try StatusChange.run(store, appointment, to: .completed, verb: "complete") }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel",
            abstract: "Mark an appointment as cancelled.", discussion: "Example:\n  phr appointment cancel 3")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The appointment id.") var appointment: String

        func run() throws { try StatusChange.run(store, appointment, to: .cancelled, verb: "cancel") }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove an appointment (undo with `phr undo`).", discussion: "Example:\n  phr appointment remove 3")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The appointment id.") var appointment: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("appointment remove") { () throws -> Appointment in
                let found = try health.requireAppointment(try Lookup.id(appointment, kind: "appointment", option: "APPOINTMENT"))
                try health.removeAppointment(id: found.id)
                return found
            }
            print("Removed appointment \(removed.id) on \(removed.whenText) (phr undo brings it back)")
        }
    }
}
