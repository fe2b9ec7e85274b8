import Foundation
import ArgumentParser
import PHRStore

extension Patient.Sex: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "f", "woman": self = .female
        case "m", "man": self = .male
        case "x", "diverse", "non-binary": self = .other
        default: self.init(rawValue: argument.lowercased())
        }
    }

    /// The values, then the aliases (listed so that help, errors and completions show them).
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + ["F", "M", "X"] }
}

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
            .init(key: "phone", header: "Phone", inTable: false),
            .init(key: "email", header: "Email", inTable: false),
            .init(key: "address", header: "Address", inTable: false),
            .init(key: "record_numbers", header: "Record numbers", wraps: true),
            .init(key: "default", header: "Default"),
            .init(key: "notes", header: "Notes", wraps: true),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No patients yet. Add one: phr patient add NAME")
        for p in patients {
            listing.append([.integer(p.id), .text(p.uuid), .text(p.name), Cell(describing: p.birthDate), Cell(p.sex),
                            Cell(p.phone), Cell(p.email), Cell(p.address),
                            .list(p.recordNumbers.map { .text("\($0.organization)=\($0.value)") }),
                            .bool(p.id == defaultID), Cell(p.notes), .text(p.createdAt), .text(p.updatedAt)])
        }
        return listing
    }

    /// `--mrn "ORGANIZATION=NUMBER"` values applied to `numbers`: each sets that organization's
    /// number; an empty number (`"ORGANIZATION="`) removes it.
    static func applying(_ values: [String], to numbers: [RecordNumber]) throws -> [RecordNumber] {
        var numbers = numbers
        for value in values {
            guard let equals = value.firstIndex(of: "=") else {
                throw CommandFailure("--mrn: '\(value)' is not ORGANIZATION=NUMBER (e.g. \"Riverside Community Hospital=12345\")",
                                     code: ExitStatus.usage)
            }
            let organization = value[..<equals].trimmingCharacters(in: .whitespaces)
            let number = value[value.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !organization.isEmpty else {
                throw CommandFailure("--mrn: '\(value)' names no organization; use ORGANIZATION=NUMBER", code: ExitStatus.usage)
            }
            let index = numbers.firstIndex { $0.organization.caseInsensitiveCompare(organization) == .orderedSame }
            switch (index, number.isEmpty) {
            case (let index?, true): numbers.remove(at: index)
            case (let index?, false): numbers[index] = RecordNumber(organization: organization, value: number)
            case (nil, false): numbers.append(RecordNumber(organization: organization, value: number))
            case (nil, true):
                throw CommandFailure("--mrn: the patient has no record number at \(organization) to remove", code: ExitStatus.dataError)
            }
        }
        return numbers
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a patient (the first one added becomes the default).",
            discussion: """
                Example:
                  phr patient add "Maria Rossi" --born 1968-04-02 --sex female
                  phr patient add "Maria Rossi" --phone "+1 555 0100" \\
                      --mrn "Riverside Community Hospital=12345"
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The patient's name.") var name: String
        @Option(help: ArgumentHelp("Birth date: \(DateInput.acceptedDates).", valueName: "date")) var born: String?
        @Option(help: "Sex: female, male, other or unknown.") var sex: Patient.Sex?
        @OptionGroup var contact: PatientContactOptions
        @Option(help: "Free-text notes.") var notes: String?

        func run() throws {
            let health = try store.open()
            let born = try self.born.map { try DateInput.date($0, option: "--born") }
            let numbers = try PatientCommand.applying(contact.mrn, to: [])
            let patient = try health.write("patient add") {
                try health.addPatient(Patient(name: name, birthDate: born, sex: sex, phone: contact.phone, email: contact.email,
                                              address: contact.address, recordNumbers: numbers, notes: notes))
            }
            print("Added patient \(patient.id): \(patient.name)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
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
            commandName: "show",
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
            commandName: "edit",
            abstract: "Change a patient's details (an empty value clears a field).",
            discussion: """
                Example:
                  phr patient edit Maria --born 1968-04-12
                  phr patient edit Maria --mrn "Riverside Community Hospital=12345" \\
                      --email maria@example.org
                Removing that number again:
                  phr patient edit Maria --mrn "Riverside Community Hospital="
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The patient, by id or name prefix.") var patient: String
        @Option(help: "New name.") var name: String?
        @Option(help: ArgumentHelp("Birth date: \(DateInput.acceptedDates).", valueName: "date")) var born: String?
        @Option(help: "Sex: female, male, other or unknown.") var sex: Patient.Sex?
        @OptionGroup var contact: PatientContactOptions
        @Option(help: "Free-text notes.") var notes: String?

        func run() throws {
            let health = try store.open()
            let born = try self.born.flatMap { $0.isEmpty ? nil : try DateInput.date($0, option: "--born") }
            let updated = try health.write("patient edit") { () throws -> Patient in
                var found = try Lookup.patient(patient, in: health)
                if let name { found.name = name }
                if self.born != nil { found.birthDate = born }
                if let sex { found.sex = sex }
                if let phone = contact.phone { found.phone = phone }
                if let email = contact.email { found.email = email }
                if let address = contact.address { found.address = address }
                found.recordNumbers = try PatientCommand.applying(contact.mrn, to: found.recordNumbers)
                if let notes { found.notes = notes }
                return try health.updatePatient(found)
            }
            print("Updated patient \(updated.id): \(updated.name)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
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
            commandName: "use",
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

/// How to reach a patient and their record numbers: options of `patient add` and `patient edit`.
struct PatientContactOptions: ParsableArguments {
    @Option(help: "Phone number.") var phone: String?
    @Option(help: "Email address.") var email: String?
    @Option(help: "Postal address, on one line.") var address: String?
    @Option(help: ArgumentHelp("A record number (MRN) at an organization, as ORGANIZATION=NUMBER; repeat for several; "
                               + "ORGANIZATION= removes one.", valueName: "org=number"))
    var mrn: [String] = []
}
