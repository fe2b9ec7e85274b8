import ArgumentParser
import PHRStore

extension Patient.Sex: ExpressibleByArgument {}

struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient",
        abstract: "Add, list, show, edit or remove the people whose records the store keeps.",
        discussion: "Example:\n  phr patient add \"Maria Rossi\" --born 1968-04-02\n  phr patient list",
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, Use.self]
    )

    static func listing(_ patients: [Patient], defaultID: Int64?) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "name", header: "Name", wraps: true),
            .init(key: "birth_date", header: "Born"),
            .init(key: "sex", header: "Sex"),
            .init(key: "default", header: "Default"),
            .init(key: "notes", header: "Notes", wraps: true),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No patients yet. Add one: phr patient add NAME")
        for p in patients {
            listing.append([.integer(p.id), .text(p.uuid), .text(p.name), Cell(describing: p.birthDate), Cell(p.sex),
                            .bool(p.id == defaultID), Cell(p.notes), .text(p.createdAt), .text(p.updatedAt)])
        }
        return listing
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a patient (the first one added becomes the default).",
            discussion: "Example:\n  phr patient add \"Maria Rossi\" --born 1968-04-02 --sex female")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The patient's name.") var name: String
        @Option(help: ArgumentHelp("Birth date: \(DateInput.acceptedDates).", valueName: "date")) var born: String?
        @Option(help: "Sex: female, male, other or unknown.") var sex: Patient.Sex?
        @Option(help: "Free-text notes.") var notes: String?

        func run() throws {
            let health = try store.open()
            let born = try self.born.map { try DateInput.date($0, option: "--born") }
            let patient = try health.write("patient add") {
                try health.addPatient(Patient(name: name, birthDate: born, sex: sex, notes: notes))
            }
            print("Added patient \(patient.id): \(patient.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the patients.", discussion: "Example:\n  phr patient list --format json")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let health = try store.open()
            let (patients, defaultID) = try health.read { (try health.patients(), try health.defaultPatientID()) }
            try output.emit(PatientCommand.listing(patients, defaultID: defaultID))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one patient.", discussion: "Example:\n  phr patient show Maria")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The patient, by id or name prefix.") var patient: String

        func run() throws {
            let health = try store.open()
            let (found, defaultID) = try health.read { (try Lookup.patient(patient, in: health), try health.defaultPatientID()) }
            try output.emitItem(PatientCommand.listing([found], defaultID: defaultID))
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a patient's details (an empty value clears a field).",
            discussion: "Example:\n  phr patient edit Maria --born 1968-04-12")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The patient, by id or name prefix.") var patient: String
        @Option(help: "New name.") var name: String?
        @Option(help: ArgumentHelp("Birth date: \(DateInput.acceptedDates).", valueName: "date")) var born: String?
        @Option(help: "Sex: female, male, other or unknown.") var sex: Patient.Sex?
        @Option(help: "Free-text notes.") var notes: String?

        func run() throws {
            let health = try store.open()
            let born = try self.born.flatMap { $0.isEmpty ? nil : try DateInput.date($0, option: "--born") }
            let updated = try health.write("patient edit") { () throws -> Patient in
                var found = try Lookup.patient(patient, in: health)
                if let name { found.name = name }
                if self.born != nil { found.birthDate = born }
                if let sex { found.sex = sex }
                if let notes { found.notes = notes }
                return try health.updatePatient(found)
            }
            print("Updated patient \(updated.id): \(updated.name)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a patient with nothing recorded for them (undo with `phr undo`).",
            discussion: "Example:\n  phr patient remove 2")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The patient, by id or name prefix.") var patient: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("patient remove") { () throws -> Patient in
                let found = try Lookup.patient(patient, in: health)
                try health.removePatient(id: found.id)
                return found
            }
            print("Removed patient \(removed.id): \(removed.name) (phr undo brings it back)")
        }
    }

    struct Use: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a patient the default for commands without --patient.",
            discussion: "Example:\n  phr patient use \"Giulia Rossi\"")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The patient, by id or name prefix.") var patient: String

        func run() throws {
            let health = try store.open()
            let chosen = try health.write("patient use") { () throws -> Patient in
                let found = try Lookup.patient(patient, in: health)
                try health.setDefaultPatient(found.id)
                return found
            }
            print("Default patient is now \(chosen.id): \(chosen.name)")
        }
    }
}
