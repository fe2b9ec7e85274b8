import ArgumentParser
import PHRStore

/// `phr family-history`: the conditions of the patient's relatives, one relative's condition a row.
struct FamilyHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "family-history",
        abstract: "Keep the family history: which relative had which condition, and how young.",
        discussion: """
            One relative's condition is one entry; a relative with two conditions has two. A \
            relationship phr knows (mother, father, sister, brother, maternal aunt, paternal \
            grandmother, …) gets its FHIR code; any other is kept as written.
            Example:
              phr family-history add "breast cancer" --relative mother --onset-age 45
              phr family-history add "ovarian cancer" --relative aunt --deceased-age 58
              phr family-history list
            """,
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self]
    )

    static func listing(_ entries: [FamilyHistory]) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "relationship", header: "Relative", wraps: true),
            .init(key: "relationship_code", header: "Relationship code", inTable: false),
            .init(key: "relative_sex", header: "Sex", inTable: false),
            .init(key: "condition", header: "Condition", wraps: true),
            .init(key: "onset_age", header: "Onset age"),
            .init(key: "deceased", header: "Deceased"),
            .init(key: "deceased_age", header: "Age at death", inTable: false),
            .init(key: "status", header: "Status"),
            .init(key: "code", header: "Code", inTable: false),
            .init(key: "code_system", header: "System", inTable: false),
            .init(key: "recorded_on", header: "Recorded", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No family history yet. Add one: phr family-history add \"breast cancer\" --relative mother --onset-age 45")
        for f in entries {
            listing.append([
                .integer(f.id), .text(f.uuid), .integer(f.patientID), .text(f.relationship), Cell(f.relationshipCode),
                Cell(f.relativeSex), .text(f.condition), Cell(f.onsetAge), Cell(f.deceased), Cell(f.deceasedAge), Cell(f.status),
                Cell(f.code), Cell(f.codeSystem), Cell(describing: f.recordedOn), Cell(f.notes), Cell(f.sourceNotes),
                .text(f.createdAt), .text(f.updatedAt),
            ])
        }
        return listing
    }

    /// The fields `add` and `edit` share.
    struct Fields: ParsableArguments {
        @Option(help: "The relative's sex: female, male, other or unknown.") var sex: FamilyHistory.Sex?
        @Option(help: ArgumentHelp("The relative's age when it began: years (45), a range (40-49) or words. With edit, \"\" clears it.",
                                   valueName: "age")) var onsetAge: String?
        @Flag(help: "The relative has died.") var deceased = false
        @Option(help: ArgumentHelp("The relative's age at death (implies --deceased). With edit, \"\" clears it.", valueName: "age"))
        var deceasedAge: String?
        @Flag(help: "The relative is alive.") var living = false
        @Option(help: "partial, completed, entered-in-error or health-unknown.") var status: FamilyHistory.Status?
        @Option(help: "The condition's code, e.g. 254837009 (SNOMED CT) or Z80.3 (ICD-10).") var code: String?
        @Option(help: "The code's system: snomed, icd-10 or other (default snomed for six digits or more, icd-10 for a letter and digits).")
        var system: FamilyHistory.CodeSystem?
        @Option(help: ArgumentHelp("When it was recorded: \(DateInput.acceptedDates) (default today). With edit, \"\" clears it.", valueName: "date"))
        var date: String?
        @Option(help: "Free-text notes.") var notes: String?

        func validate() throws {
            if living, deceased || deceasedAge.map({ !$0.isEmpty }) == true {
                throw ValidationError("--living and --deceased/--deceased-age contradict each other; give one")
            }
        }

        func apply(to entry: inout FamilyHistory) throws {
            if let date { entry.recordedOn = date.isEmpty ? nil : try DateInput.date(date, option: "--date") }
            if let sex { entry.relativeSex = sex }
            if let onsetAge { entry.onsetAge = try FamilyHistoryCommand.age(onsetAge, option: "--onset-age") }
            if deceased { entry.deceased = .yes }
            if living {
                entry.deceased = .no
                entry.deceasedAge = nil
            }
            if let deceasedAge {
                entry.deceasedAge = try FamilyHistoryCommand.age(deceasedAge, option: "--deceased-age")
                if !deceasedAge.trimmingCharacters(in: .whitespaces).isEmpty { entry.deceased = .yes }
            }
            if let status { entry.status = status }
            if let code {
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                entry.code = trimmed.isEmpty ? nil : trimmed
                if trimmed.isEmpty { entry.codeSystem = nil }
                if !trimmed.isEmpty, system == nil {
                    if trimmed.count >= 6, trimmed.allSatisfy(\.isNumber) {
                        entry.codeSystem = .snomedCT
                    } else if let first = trimmed.first, first.isLetter, trimmed.count >= 3,
                              trimmed.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) {
                        entry.codeSystem = .icd10
                    } else {
                        throw CommandFailure("--code: cannot tell the system of '\(trimmed)'; add --system snomed, icd-10 or other",
                                             code: ExitStatus.usage)
                    }
                }
            }
            if let system { entry.codeSystem = system }
            if let notes { entry.notes = notes }
        }
    }

    /// An age as typed, checked where it is written as a number: whole years up to 150 ("45") or a
    /// range of them ("40-49"); anything with words in it ("in her forties", "6 months") is kept as
    /// written, and "" (which clears it in `edit`) as it is. "-3", "45.5" or "300" are refused.
    static func age(_ text: String, option: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isLetter) else { return text }
        func years(_ part: Substring) -> Int? {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(part),
                  value <= 150 else { return nil }
            return value
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let valid = parts.count == 1 ? years(parts[0]) != nil
            : parts.count == 2 && years(parts[0]).flatMap { low in years(parts[1]).map { low <= $0 } } == true
        guard valid else {
            throw CommandFailure("\(option): '\(text)' is not an age; use whole years (45), a range (40-49) or words (in her forties)",
                                 code: ExitStatus.usage)
        }
        return trimmed
    }

    /// The relationship as typed and its code, when phr knows it.
    static func relationship(_ text: String, into entry: inout FamilyHistory) {
        entry.relationship = text
        entry.relationshipCode = FamilyRelationship.code(for: text)
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a relative's condition.",
            discussion: "Example:\n  phr family-history add \"breast cancer\" --relative mother --onset-age 45")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The condition, as written.") var condition: String
        @Option(help: ArgumentHelp("The relative: mother, father, sister, maternal aunt, … (any other is kept as written).",
                                   valueName: "relative")) var relative: String
        @OptionGroup var fields: Fields

        func run() throws {
            try DateInput.refuseEmpty(fields.date, option: "--date")
            let health = try store.open()
            let added = try health.write("family-history add") { () throws -> FamilyHistory in
                var entry = FamilyHistory(patientID: try patient.resolve(in: health).id, relationship: relative, condition: condition,
                                          recordedOn: try DateInput.date("today", option: "--date"))
                FamilyHistoryCommand.relationship(relative, into: &entry)
                try fields.apply(to: &entry)
                return try health.addFamilyHistory(entry)
            }
            print("Added family-history \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.summary)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the patient's family history, oldest first.", discussion: "Example:\n  phr family-history list --format csv")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                FamilyHistoryCommand.listing(try health.familyHistory(patientID: try patient.resolve(in: health).id))
            }
            try output.emit(listing)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one relative's condition.", discussion: "Example:\n  phr family-history show \"breast cancer\"")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The entry, by id, condition or relative prefix.") var entry: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                FamilyHistoryCommand.listing([try Lookup.familyHistory(entry, patient: try patient.resolve(in: health), in: health)])
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a relative's condition (an empty value clears a field).",
            discussion: "Example:\n  phr family-history edit \"breast cancer\" --onset-age 44")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The entry, by id, condition or relative prefix.") var entry: String
        @Option(help: "New condition name.") var condition: String?
        @Option(help: ArgumentHelp("New relative (any not known is kept as written).", valueName: "relative")) var relative: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("family-history edit") { () throws -> FamilyHistory in
                var found = try Lookup.familyHistory(entry, patient: try patient.resolve(in: health), in: health)
                if let condition { found.condition = condition }
                if let relative { FamilyHistoryCommand.relationship(relative, into: &found) }
                try fields.apply(to: &found)
                return try health.updateFamilyHistory(found)
            }
            print("Updated family-history \(updated.id): \(updated.summary)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a relative's condition (undo with `phr undo`).", discussion: "Example:\n  phr family-history remove 2")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The entry, by id, condition or relative prefix.") var entry: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("family-history remove") { () throws -> FamilyHistory in
                let found = try Lookup.familyHistory(entry, patient: try patient.resolve(in: health), in: health)
                try health.removeFamilyHistory(id: found.id)
                return found
            }
            print("Removed family-history \(removed.id): \(removed.summary) (phr undo brings it back)")
        }
    }
}

extension FamilyHistory.Status: ExpressibleByArgument {}
extension FamilyHistory.Sex: ExpressibleByArgument {}
extension FamilyHistory.CodeSystem: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "snomed", "snomed-ct", "snomedct", "sct": self = .snomedCT
        case "icd-10", "icd10", "icd-10-cm", "icd10cm": self = .icd10
        default: self.init(rawValue: argument.lowercased())
        }
    }

    public static var allValueStrings: [String] { ["snomed", "icd-10", "other"] }
}
