import ArgumentParser
import Foundation
import PHRStore

/// `phr result`: lab values, tumour markers, biomarkers, staging, performance status and other
/// observations, one value each, and their trend over time.
struct ResultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "result",
        abstract: "Keep results: labs, tumour markers, receptor status and biomarkers, staging, vital signs.",
        discussion: """
            Example:
              phr result add "CA 15-3" 42 U/mL --range 0-30 --date 2026-11-20
              phr result add "Estrogen receptor" positive --category biomarker --detail \\
                  "95%"
              phr result trend "CA 15-3"
            """,
        subcommands: [Add.self, List.self, Show.self, Edit.self, Remove.self, ResultTrendCommand.self]
    )

    static func listing(_ results: [ClinicalResult], store: HealthStore) throws -> Listing {
        let providers = try DiagnosisCommand.providersByID(store)
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "observed_at", header: "Date"),
            .init(key: "category", header: "Category"),
            .init(key: "name", header: "Result", wraps: true),
            .init(key: "value", header: "Value", wraps: true),
            .init(key: "value_type", header: "Value type", inTable: false),
            .init(key: "value_number", header: "Number", inTable: false),
            .init(key: "value_comparator", header: "Comparator", inTable: false),
            .init(key: "value_unit", header: "Unit", inTable: false),
            .init(key: "value_code", header: "Value code", inTable: false),
            .init(key: "value_code_system", header: "Value code system", inTable: false),
            .init(key: "value_text", header: "Value text", inTable: false),
            .init(key: "detail", header: "Detail", wraps: true),
            .init(key: "range", header: "Range"),
            .init(key: "reference_low", header: "Range low", inTable: false),
            .init(key: "reference_high", header: "Range high", inTable: false),
            .init(key: "reference_text", header: "Range text", inTable: false),
            .init(key: "flag", header: "Flag"),
            .init(key: "interpretation", header: "Interpretation", inTable: false),
            .init(key: "abnormal", header: "Abnormal", inTable: false),
            .init(key: "code", header: "Code", inTable: false),
            .init(key: "code_system", header: "System", inTable: false),
            .init(key: "status", header: "Status", inTable: false),
            .init(key: "provider_id", header: "Provider ID", inTable: false),
            .init(key: "provider", header: "Provider", inTable: false),
            .init(key: "diagnosis_id", header: "Diagnosis ID", inTable: false),
            .init(key: "record_id", header: "Record ID", inTable: false),
            .init(key: "parent_id", header: "Part of", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: "No results yet. Add one: phr result add \"CA 15-3\" 42 U/mL --range 0-30 --date 2026-11-20")
        for r in results {
            var number: Double?, comparator: String?, unit: String?, code: String?, system: String?, text: String?
            switch r.value {
            case .quantity(let n, let u, let c)?: (number, unit, comparator) = (n, u, c?.rawValue)
            case .coded(let c, let s, let d)?: (code, system, text) = (c, s?.rawValue, d)
            case .text(let t)?: text = t
            case nil: break
            }
            let valueType: String? = switch r.value {
            case .quantity?: "quantity"
            case .coded?: "coded"
            case .text?: "text"
            case nil: nil
            }
            let assessed = r.assessedInterpretation
            listing.append([
                .integer(r.id), .text(r.uuid), .integer(r.patientID), Cell(describing: r.observedAt), Cell(r.category),
                .text(r.name), Cell(r.value?.displayText), Cell(valueType), Cell(number), Cell(comparator), Cell(unit),
                Cell(code), Cell(system), Cell(text), Cell(r.detail), Cell(r.range?.displayText), Cell(r.range?.low),
                Cell(r.range?.high), Cell(r.range?.text), .text(flag(assessed)), Cell(assessed),
                .bool(assessed?.isAbnormal ?? false), Cell(r.code), Cell(r.codeSystem), Cell(r.status),
                Cell(r.providerID), Cell(r.providerID.flatMap { providers[$0]?.name }), Cell(r.diagnosisID),
                Cell(r.recordID), Cell(r.parentID), Cell(r.notes), Cell(r.sourceNotes), .text(r.createdAt), .text(r.updatedAt),
            ])
        }
        return listing
    }

    /// How a table marks an interpretation: `H` high, `L` low, `A` abnormal, `!!` critical.
    static func flag(_ interpretation: ClinicalResult.Interpretation?) -> String {
        switch interpretation {
        case .high?: return "H"
        case .low?: return "L"
        case .abnormal?: return "A"
        case .critical?: return "!!"
        case .normal?, nil: return ""
        }
    }

    /// The fields `add` and `edit` share.
    struct Fields: ParsableArguments {
        @Option(help: "laboratory, vital-signs, tumour-marker, biomarker, staging, performance-status, imaging, social-history or other (guessed from well-known names).")
        var category: ClinicalResult.Category?
        @Option(help: "The code, e.g. 6875-9 (LOINC) or 416053008 (SNOMED CT).") var code: String?
        @Option(help: "The code's system: loinc, snomed or other (guessed from the code when clear).") var system: ClinicalResult.CodeSystem?
        @Option(help: "The reference range: 0-30, <35, >5, or words such as negative.") var range: String?
        @Option(help: "As reported: normal, high, low, abnormal or critical (else judged from the range).")
        var interpretation: ClinicalResult.Interpretation?
        @Option(help: ArgumentHelp("When it was measured: \(DateInput.acceptedDatesOrTimes). With edit, \"\" clears it.", valueName: "date")) var date: String?
        @Option(help: "What qualifies the value, e.g. 95% for a receptor or \"Allred 8/8\".") var detail: String?
        @Option(help: "registered, preliminary, final, amended, corrected, cancelled, entered-in-error or unknown.")
        var status: ClinicalResult.Status?
        @Option(help: ArgumentHelp("Who performed or reported it, by id or name prefix.", valueName: "provider")) var provider: String?
        @Option(help: ArgumentHelp("The diagnosis it concerns, by id or description prefix.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: ArgumentHelp("The record (report) it comes from, by id.", valueName: "record")) var record: String?
        @Option(name: .customLong("part-of"), help: ArgumentHelp("The result it is a part of (a panel, a blood pressure), by id.", valueName: "result"))
        var partOf: String?
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to result: inout ClinicalResult, patient: Patient, store: HealthStore) throws {
            if let category { result.category = category }
            if let code {
                let trimmed = code.trimmingCharacters(in: .whitespaces)
                result.code = trimmed.isEmpty ? nil : trimmed
                if trimmed.isEmpty { result.codeSystem = nil }
                if !trimmed.isEmpty, system == nil {
                    guard let guessed = ClinicalResult.CodeSystem.guess(fromCode: trimmed) else {
                        throw CommandFailure("--code: cannot tell the system of '\(trimmed)'; add --system loinc, snomed or other",
                                             code: ExitStatus.usage)
                    }
                    result.codeSystem = guessed
                }
            }
            if let system { result.codeSystem = system }
            if let range { result.range = range.isEmpty ? nil : try ReferenceRange(parsing: range) }
            if let interpretation { result.interpretation = interpretation }
            if let date { result.observedAt = date.isEmpty ? nil : try DateInput.dateOrTime(date, option: "--date") }
            if let detail { result.detail = detail }
            if let status { result.status = status }
            if let provider { result.providerID = provider.isEmpty ? nil : try Lookup.provider(provider, in: store).id }
            if let diagnosis {
                result.diagnosisID = diagnosis.isEmpty ? nil : try Lookup.diagnosis(diagnosis, patient: patient, in: store).id
            }
            if let record { result.recordID = record.isEmpty ? nil : try Lookup.id(record, kind: "record", option: "--record") }
            if let partOf { result.parentID = partOf.isEmpty ? nil : try Lookup.id(partOf, kind: "result", option: "--part-of") }
            if let notes { result.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a result: a name, a value and its unit.",
            discussion: """
                A number with a unit is a measurement (the unit is kept as written); other values \
                (positive, 1+, 1:160) are kept as text. A panel or a blood pressure is a result \
                without a value whose parts are added with --part-of.
                Example:
                  phr result add "CA 15-3" 42 U/mL --range 0-30 --date 2026-11-20
                  phr result add "Estrogen receptor" positive --category biomarker --detail \\
                      "95%"
                  phr result add "ECOG performance status" 1
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "What was measured, as on the report.") var name: String
        @Argument(help: "The value: a number (42, 0.8, <0.01) or text (positive).") var value: String?
        @Argument(help: "The number's unit, as on the report (U/mL, ng/mL, %).") var unit: String?
        @OptionGroup var fields: Fields

        func run() throws {
            try DateInput.refuseEmpty(fields.date, option: "--date")
            let health = try store.open()
            let added = try health.write("result add") { () throws -> ClinicalResult in
                let owner = try patient.resolve(in: health)
                var result = ClinicalResult(patientID: owner.id, name: name,
                                            category: ClinicalResult.Category.guess(fromName: name))
                result.value = try value.map { try ResultValue(parsing: $0, unit: unit) }
                if value == nil, unit != nil {
                    throw CommandFailure("a unit needs its value: phr result add NAME VALUE UNIT", code: ExitStatus.usage)
                }
                try fields.apply(to: &result, patient: owner, store: health)
                return try health.addResult(result)
            }
            print("Added result \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.name)\(added.value.map { " " + $0.displayText } ?? "")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the patient's results, oldest first.",
            discussion: """
                Example:
                  phr result list --category tumour-marker
                  phr result list --since 2026-10 --abnormal
                  phr result list --record 14        (a lab or pathology report's results)
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only these categories (repeat for several).") var category: [ClinicalResult.Category] = []
        @Option(help: "Only results of this name or code.") var name: String?
        @Option(help: ArgumentHelp("Only from this date on: \(DateInput.acceptedDates).", valueName: "date")) var since: String?
        @Option(help: ArgumentHelp("Only up to this date.", valueName: "date")) var until: String?
        @Option(help: ArgumentHelp("Only those about this diagnosis.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: ArgumentHelp("Only those of this record (a report), by id.", valueName: "record")) var record: String?
        @Flag(help: "Only values outside their range or reported abnormal.") var abnormal = false

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let owner = try patient.resolve(in: health)
                let filter = ResultFilter(
                    categories: category.isEmpty ? nil : category, nameOrCode: name,
                    since: try since.map { try DateInput.date($0, option: "--since") },
                    until: try until.map { try DateInput.date($0, option: "--until") },
                    diagnosisID: try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: health).id },
                    recordID: try record.map { try Lookup.ownedRecord($0, patient: owner, in: health, option: "--record").id })
                let results = try health.results(patientID: owner.id, filter)
                    .filter { !abnormal || $0.assessedInterpretation?.isAbnormal == true }
                var listing = try ResultCommand.listing(results, store: health)
                listing.sayNoneMatch(filters, plural: "results", listCommand: "phr result list")
                return listing
            }
            try output.emit(listing)
        }

        private var filters: GivenFilters {
            var filters = GivenFilters()
            filters.add("--category", category)
            filters.add("--name", name)
            filters.add("--since", since)
            filters.add("--until", until)
            filters.add("--diagnosis", diagnosis)
            filters.add("--record", record)
            filters.add("--abnormal", when: abnormal)
            return filters
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one result (by name: the newest of that name).", discussion: "Example:\n  phr result show 3")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The result, by id or name.") var result: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let found = try Lookup.result(result, patient: try patient.resolve(in: health), in: health)
                return try ResultCommand.listing([found], store: health)
            }
            try output.emitItem(listing)
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a result (an empty value clears a field).",
            discussion: "Example:\n  phr result edit 3 --value 38 --range 0-32\n  phr result edit 3 --diagnosis invasive")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The result, by id or name (the newest of that name).") var result: String
        @Option(help: "New name.") var name: String?
        @Option(help: "New value: a number or text.") var value: String?
        @Option(help: "New unit for the number (kept as written).") var unit: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("result edit") { () throws -> ClinicalResult in
                let owner = try patient.resolve(in: health)
                var found = try Lookup.result(result, patient: owner, in: health)
                if let name { found.name = name }
                if let value {
                    found.value = value.isEmpty ? nil : try ResultValue(parsing: value, unit: unit ?? found.value?.unit)
                } else if let unit {
                    guard case .quantity(let number, _, let comparator)? = found.value else {
                        throw CommandFailure("--unit: result \(found.id) has no number to give a unit to; give --value too",
                                             code: ExitStatus.dataError)
                    }
                    found.value = .quantity(number, unit: unit.trimmingCharacters(in: .whitespaces).isEmpty ? nil : unit,
                                            comparator: comparator)
                }
                try fields.apply(to: &found, patient: owner, store: health)
                return try health.updateResult(found)
            }
            print("Updated result \(updated.id): \(updated.name)\(updated.value.map { " " + $0.displayText } ?? "")")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a result and its parts (undo with `phr undo`).", discussion: "Example:\n  phr result remove 3")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The result, by id.") var result: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("result remove") { () throws -> ClinicalResult in
                let owner = try patient.resolve(in: health)
                let id = try Lookup.id(result, kind: "result", option: "RESULT")
                let found = try health.requireResult(id)
                guard found.patientID == owner.id else { throw StoreError.notFound(entity: "result", id: id) }
                try health.removeResult(id: found.id)
                return found
            }
            print("Removed result \(removed.id): \(removed.name) (phr undo brings it back)")
        }
    }
}

extension ClinicalResult.Category {
    /// The category a well-known name gives away (tumour markers, receptors and other biomarkers,
    /// TNM and stage, ECOG and Karnofsky); laboratory otherwise.
    static func guess(fromName name: String) -> ClinicalResult.Category {
        let lowered = name.lowercased().trimmingCharacters(in: .whitespaces)
        let words = Set(lowered.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "." && $0 != "-" }).map(String.init))
        let tumourMarkers = ["ca 15-3", "ca 27.29", "ca 27-29", "ca 125", "ca-125", "ca 19-9", "ca 15.3", "cea", "psa", "afp",
                             "alpha-fetoprotein", "carcinoembryonic", "beta-hcg", "ctdna"]
        if tumourMarkers.contains(where: { lowered.hasPrefix($0) || words.contains($0) }) { return .tumourMarker }
        let biomarkers = ["receptor", "her2", "her-2", "ki-67", "ki67", "pd-l1", "brca1", "brca2", "kras",
                          "braf", "msi", "oncotype", "mammaprint", "tmb", "pik3ca", "er", "pr"]
        if biomarkers.contains(where: { words.contains($0) }) { return .biomarker }
        if words.contains("ecog") || words.contains("karnofsky") { return .performanceStatus }
        // "pT", "cN", "ypT", "M" (as written: "PT" is the prothrombin time), or a stage group.
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if words.contains("stage") || words.contains("tnm")
            || trimmed.range(of: "^(y?[cp])?[TNM]( category)?$", options: .regularExpression) != nil {
            return .staging
        }
        return .laboratory
    }
}

extension ClinicalResult.CodeSystem {
    /// The system a code's shape gives away: `6875-9` (digits, a dash, a check digit) is LOINC;
    /// six or more digits SNOMED CT.
    static func guess(fromCode code: String) -> ClinicalResult.CodeSystem? {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, parts[1].count == 1, (1...7).contains(parts[0].count),
           parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            return .loinc
        }
        if code.count >= 6, code.allSatisfy(\.isNumber) { return .snomedCT }
        return nil
    }
}

extension ClinicalResult.Category: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "lab", "labs", "laboratory": self = .laboratory
        case "vitals", "vital", "vital-signs", "vital-sign": self = .vitalSigns
        case "tumour-marker", "tumor-marker", "marker", "tumour-markers", "tumor-markers": self = .tumourMarker
        case "stage", "staging", "tnm": self = .staging
        case "performance", "performance-status", "ecog": self = .performanceStatus
        case "social", "social-history": self = .socialHistory
        default: self.init(rawValue: argument.lowercased())
        }
    }
}

extension ClinicalResult.CodeSystem: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument.lowercased() {
        case "snomed", "snomed-ct", "snomedct", "sct": self = .snomedCT
        default: self.init(rawValue: argument.lowercased())
        }
    }

    public static var allValueStrings: [String] { ["loinc", "snomed", "other"] }
}

extension ClinicalResult.Interpretation: ExpressibleByArgument {}
extension ClinicalResult.Status: ExpressibleByArgument {}
