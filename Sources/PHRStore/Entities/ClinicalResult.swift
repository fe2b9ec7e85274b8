import Foundation

/// One observation about the patient: a lab value, a vital sign, a tumour marker, a biomarker
/// (receptor status, HER2, Ki-67, a genomic variant), a staging category (TNM T, N, M, stage
/// group), a performance status (ECOG, Karnofsky), an imaging finding, a social-history fact.
///
/// Guarantees (checked by the store, refused with `StoreError` and nothing written otherwise):
/// a name; a value that is what its kind says (a finite number, a code, non-empty text) or none;
/// a unit kept exactly as written, UCUM or not; a range whose low is not above its high; a linked
/// diagnosis, record, provider and parent that exist and belong to the same patient; parts one
/// level deep (a part has no parts of its own). Named `ClinicalResult`, not `Result`, so as not to
/// hide Swift's `Result`.
public struct ClinicalResult: Sendable, Hashable, Codable, Identifiable {
    public enum Category: String, Sendable, Codable, CaseIterable {
        case laboratory
        case vitalSigns = "vital-signs"
        case tumourMarker = "tumour-marker"
        case biomarker, staging
        case performanceStatus = "performance-status"
        case imaging
        case socialHistory = "social-history"
        case other
    }

    public enum CodeSystem: String, Sendable, Codable, CaseIterable {
        case loinc
        case snomedCT = "snomed-ct"
        case other
    }

    public enum Interpretation: String, Sendable, Codable, CaseIterable {
        case normal, high, low, abnormal, critical

        /// Whether a reader should have it pointed out.
        public var isAbnormal: Bool { self != .normal }
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case registered, preliminary, final, amended, corrected, cancelled
        case enteredInError = "entered-in-error"
        case unknown
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var category: Category
    /// What was measured, as reported: `CA 15-3`, `Estrogen receptor`, `pT`.
    public var name: String
    public var code: String?
    public var codeSystem: CodeSystem?
    /// `nil`: no value of its own (a panel whose parts hold the values).
    public var value: ResultValue?
    /// What qualifies the value, as written: `95%` of cells for a receptor, `Allred 8/8`.
    public var detail: String?
    public var range: ReferenceRange?
    /// As reported; `nil` when not reported (see `assessedInterpretation`).
    public var interpretation: Interpretation?
    public var observedAt: DateOrTime?
    public var status: Status
    /// The provider who performed or reported it.
    public var providerID: Int64?
    public var diagnosisID: Int64?
    /// The record (report) it belongs to.
    public var recordID: Int64?
    /// The result it is a part of (a blood pressure, a panel).
    public var parentID: Int64?
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (a date in words, why it was not
    /// done, the source's own note annotations), written by import; never the patient's (`notes`).
    /// Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, name: String, category: Category = .laboratory, code: String? = nil,
                codeSystem: CodeSystem? = nil, value: ResultValue? = nil, detail: String? = nil,
                range: ReferenceRange? = nil, interpretation: Interpretation? = nil, observedAt: DateOrTime? = nil,
                status: Status = .final, providerID: Int64? = nil, diagnosisID: Int64? = nil, recordID: Int64? = nil,
                parentID: Int64? = nil, notes: String? = nil, sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.category = category
        self.name = name
        self.code = code
        self.codeSystem = codeSystem
        self.value = value
        self.detail = detail
        self.range = range
        self.interpretation = interpretation
        self.observedAt = observedAt
        self.status = status
        self.providerID = providerID
        self.diagnosisID = diagnosisID
        self.recordID = recordID
        self.parentID = parentID
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }

    /// The interpretation as reported, else, for a number outside its numeric range, `high` or
    /// `low`; `nil` when neither says anything.
    public var assessedInterpretation: Interpretation? {
        if let interpretation { return interpretation }
        guard case .quantity(let number, _, _)? = value, let range else { return nil }
        if let high = range.high, number > high { return .high }
        if let low = range.low, number < low { return .low }
        return nil
    }
}

/// A result's value: a number with its unit, a coded value, or text as written.
public enum ResultValue: Sendable, Hashable, Codable {
    public enum Comparator: String, Sendable, Codable, CaseIterable {
        case lessThan = "<"
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case greaterThan = ">"
    }

    /// A finite number; its unit as written (UCUM or not, never altered); a comparator when the
    /// number is a bound (`<0.01`).
    case quantity(Double, unit: String?, comparator: Comparator?)
    /// A code and its system, with its display text.
    case coded(code: String, system: ClinicalResult.CodeSystem?, display: String?)
    /// Text as written: `positive`, `1+`, `1:160`, `3-5 per HPF`.
    case text(String)

    /// What the patient typed: a number (optionally after `<`, `<=`, `>=`, `>`) is a quantity; with
    /// a unit it must be one, else `invalidField(field: "value")` saying so. Other text is kept
    /// as text. An empty unit is no unit.
    public init(parsing text: String, unit: String? = nil) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let unit = Field.optional(unit)
        guard !trimmed.isEmpty else {
            throw StoreError.invalidField(field: "value", reason: "must not be empty; give a number such as 42 or text such as positive")
        }
        if let parsed = Self.number(in: trimmed) {
            self = .quantity(parsed.0, unit: unit, comparator: parsed.1)
        } else if let unit {
            throw StoreError.invalidField(field: "value", reason:
                "'\(trimmed)' is not a number, and a value with a unit (\(unit)) must be one, such as 42, 0.8 or <0.01")
        } else {
            self = .text(trimmed)
        }
    }

    /// A unit as people read it; the stored unit (a UCUM code from a portal) is unchanged:
    /// UCUM's codes for units people write otherwise (`Cel` °C, `[degF]` °F, `mm[Hg]` mmHg,
    /// `[lb_av]` lb, `[in_i]` in), an annotation alone without its braces (`{pack-years}`), nothing
    /// for UCUM's unity `1` (a T-score, a ratio), and in the terms of a compound unit powers of
    /// ten, the micro prefix and international units as printed (`10*3/uL` 10^3/µL, `u[IU]/mL`
    /// µIU/mL); any other unit as written.
    public static func readable(unit: String) -> String? {
        isReadAsWritten(unit) ? unit : readableTermByTerm(unit: unit)
    }

    /// `readable(unit:)`, worked out from the unit's terms, for every unit.
    static func readableTermByTerm(unit: String) -> String? {
        if unit == "1" { return nil }
        if let spoken = spokenUnits[unit] { return spoken }
        if unit.count > 2, unit.hasPrefix("{"), unit.hasSuffix("}"), unit.dropFirst().firstIndex(of: "{") == nil {
            return String(unit.dropFirst().dropLast())
        }
        // Over the bytes: `contains` of a String goes through Foundation's `range(of:)`, a few
        // thousand instructions for every value a long list shows.
        guard !unit.utf8.contains(UInt8(ascii: " ")) else { return unit }
        // Terms between `/` and `.`, each read alone: `uL` is a microlitre, `U/mL` units per millilitre.
        var readable = ""
        var term = ""
        func flush() {
            if term.hasPrefix("10*") { term = "10^" + term.dropFirst(3) }
            if term.hasPrefix("u"), microUnits.contains(String(term.dropFirst())) { term = "µ" + term.dropFirst() }
            if term.hasSuffix("[IU]") { term = term.dropLast(4) + "IU" }
            readable += term
            term = ""
        }
        for character in unit {
            if character == "/" || character == "." {
                flush()
                readable.append(character)
            } else {
                term.append(character)
            }
        }
        flush()
        return readable
    }

    /// Whether `readable(unit:)` leaves `unit` as written, told from its bytes (most units: `g/dL`,
    /// `mmol/L`, `%`): ASCII without the `{`, `[` and `*` that annotations, UCUM's bracketed units
    /// and powers of ten are written with, no term that starts with `u`, and neither `1` nor
    /// `Cel`. A list of thousands of values reads each unit here, not term by term.
    static func isReadAsWritten(_ unit: String) -> Bool {
        guard unit != "1", unit != "Cel" else { return false }
        var termStart = true
        for byte in unit.utf8 {
            switch byte {
            case 0x80..., UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "*"):
                return false
            case UInt8(ascii: "u") where termStart:
                return false
            default:
                termStart = byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".")
            }
        }
        return true
    }

    private static let spokenUnits = ["Cel": "°C", "[degF]": "°F", "mm[Hg]": "mmHg", "[lb_av]": "lb", "[in_i]": "in"]
    /// The units UCUM's `u` (micro) prefixes in results: `uL`, `ug`, `umol`, `um`, `u[IU]`.
    private static let microUnits: Set<String> = ["L", "g", "mol", "m", "[IU]", "eq", "kat"]

    /// A number as people write it (`42`, `0.8`, `-1.5`, `1e3`, `< 0.01`), else `nil`.
    static func number(in text: String) -> (Double, Comparator?)? {
        var rest = Substring(text)
        var comparator: Comparator?
        for candidate in [Comparator.lessOrEqual, .greaterOrEqual, .lessThan, .greaterThan] where rest.hasPrefix(candidate.rawValue) {
            comparator = candidate
            rest = rest.dropFirst(candidate.rawValue.count)
            break
        }
        let digits = rest.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCIIDigit || ".-+eE".contains($0) }),
              let number = Double(digits), number.isFinite else { return nil }
        return (number, comparator)
    }

    /// The number, for a quantity.
    public var number: Double? {
        if case .quantity(let number, _, _) = self { return number }
        return nil
    }

    /// The unit, for a quantity.
    public var unit: String? {
        if case .quantity(_, let unit, _) = self { return unit }
        return nil
    }

    /// How people read it: `42 U/mL`, `<0.01 ng/mL`, `36.6 °C`, `positive`, a code's display (else
    /// its code).
    public var displayText: String {
        switch self {
        case .quantity(let number, let unit, let comparator):
            var text = comparator?.rawValue ?? ""
            text += ResultValue.format(number)
            if let readable = unit.flatMap(ResultValue.readable(unit:)) {
                text += " "
                text += readable
            }
            return text
        case .coded(let code, _, let display):
            return display ?? code
        case .text(let text):
            return text
        }
    }

    /// A number without a needless `.0`: `42`, `0.8`, `1.25`.
    public static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }
}

/// A reference range: numeric bounds, text as written, or both.
public struct ReferenceRange: Sendable, Hashable, Codable {
    public var low: Double?
    public var high: Double?
    /// As written when it is not just two numbers (`negative`, `<35 U/mL`).
    public var text: String?

    public init(low: Double? = nil, high: Double? = nil, text: String? = nil) {
        self.low = low
        self.high = high
        self.text = text
    }

    /// What the patient typed: `0-30`, `0 – 30`, `0 to 30` give low and high; `<35`, `<=35` a
    /// high; `>5`, `>=5` a low (the text is kept for these); anything else is kept as text.
    /// A low above its high is refused.
    public init(parsing input: String) throws {
        let text = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw StoreError.invalidField(field: "range", reason: "must not be empty; use LOW-HIGH such as 0-30, <35, >5, or words")
        }
        for separator in [" to ", "–", "—", "-"] {
            // The first "-" may be a negative low's sign: split after it.
            let searchStart = text.hasPrefix("-") ? text.index(after: text.startIndex) : text.startIndex
            guard let found = text.range(of: separator, range: searchStart..<text.endIndex) else { continue }
            let lowText = text[..<found.lowerBound].trimmingCharacters(in: .whitespaces)
            let highText = text[found.upperBound...].trimmingCharacters(in: .whitespaces)
            if let lowBound = ResultValue.number(in: lowText), lowBound.1 == nil,
               let highBound = ResultValue.number(in: highText), highBound.1 == nil {
                let (low, high) = (lowBound.0, highBound.0)
                guard low <= high else {
                    throw StoreError.invalidField(field: "range", reason: "'\(text)': the low end is above the high end; use LOW-HIGH such as 0-30")
                }
                self.init(low: low, high: high)
                return
            }
        }
        if let bound = ResultValue.number(in: text), let comparator = bound.1 {
            let number = bound.0
            switch comparator {
            case .lessThan, .lessOrEqual: self.init(high: number, text: text)
            case .greaterThan, .greaterOrEqual: self.init(low: number, text: text)
            }
            return
        }
        self.init(text: text)
    }

    /// How people read it: `0–30`, `<35`, `≥ 5`, or the text.
    public var displayText: String {
        if let text { return text }
        switch (low, high) {
        case let (low?, high?): return ResultValue.format(low) + "–" + ResultValue.format(high)
        case let (low?, nil): return "≥ " + ResultValue.format(low)
        case let (nil, high?): return "≤ " + ResultValue.format(high)
        case (nil, nil): return ""
        }
    }
}

/// Which results to list. Every criterion that is set must hold.
public struct ResultFilter: Sendable {
    public var categories: [ClinicalResult.Category]?
    /// The name, case-insensitively, or the code, exactly.
    public var nameOrCode: String?
    /// Observed on or after this day, or in a month or year that reaches it (`DayRange`); results
    /// without a date are left out when set.
    public var since: PartialDate?
    /// Observed on or before this day.
    public var until: PartialDate?
    public var diagnosisID: Int64?
    public var recordID: Int64?
    /// Only results that are not parts of another (parts are listed with their parent).
    public var topLevelOnly: Bool

    public init(categories: [ClinicalResult.Category]? = nil, nameOrCode: String? = nil, since: PartialDate? = nil,
                until: PartialDate? = nil, diagnosisID: Int64? = nil, recordID: Int64? = nil, topLevelOnly: Bool = false) {
        self.categories = categories
        self.nameOrCode = nameOrCode
        self.since = since
        self.until = until
        self.diagnosisID = diagnosisID
        self.recordID = recordID
        self.topLevelOnly = topLevelOnly
    }
}

extension ClinicalResult: StoredItem {
    static let table = "results"
    static let entityName = "result"
    static let columns = [
        "id", "uuid", "patient_id", "category", "name", "code", "code_system", "value_type", "value_number",
        "value_comparator", "value_unit", "value_code", "value_code_system", "value_text", "detail", "reference_low",
        "reference_high", "reference_text", "interpretation", "observed_at", "status", "provider_id", "diagnosis_id",
        "record_id", "parent_id", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        category = try Field.enumeration(row.get("category"), column: "results.category")
        name = try row.get("name")
        code = try row.get("code")
        codeSystem = try row.get("code_system", as: String?.self).map { try Field.enumeration($0, column: "results.code_system") }
        switch try row.get("value_type", as: String?.self) {
        case nil:
            value = nil
        case "quantity":
            // Read in the order of `columns`, which the row's column lookup guesses first.
            let number: Double = try row.get("value_number")
            let comparator: ResultValue.Comparator? = try row.get("value_comparator", as: String?.self)
                .map { try Field.enumeration($0, column: "results.value_comparator") }
            value = .quantity(number, unit: try row.get("value_unit"), comparator: comparator)
        case "coded":
            let system: CodeSystem? = try row.get("value_code_system", as: String?.self)
                .map { try Field.enumeration($0, column: "results.value_code_system") }
            value = .coded(code: try row.get("value_code"), system: system, display: try row.get("value_text"))
        case "text":
            value = .text(try row.get("value_text"))
        default:
            throw StoreError.invalidField(field: "results.value_type", reason: "the stored value is not one phr knows")
        }
        detail = try row.get("detail")
        let low: Double? = try row.get("reference_low")
        let high: Double? = try row.get("reference_high")
        let rangeText: String? = try row.get("reference_text")
        range = low == nil && high == nil && rangeText == nil ? nil : ReferenceRange(low: low, high: high, text: rangeText)
        interpretation = try row.get("interpretation", as: String?.self).map { try Field.enumeration($0, column: "results.interpretation") }
        observedAt = try Field.dateOrTime(row.get("observed_at", as: String?.self), column: "results.observed_at")
        status = try Field.enumeration(row.get("status"), column: "results.status")
        providerID = try row.get("provider_id")
        diagnosisID = try row.get("diagnosis_id")
        recordID = try row.get("record_id")
        parentID = try row.get("parent_id")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        try store.requireRow("providers", "provider", id: providerID)
        try store.requireDiagnosis(diagnosisID, of: patientID)
        if let recordID {
            let owner: Int64? = try store.database.scalar("SELECT patient_id FROM records WHERE id = ?", [recordID])
            guard let owner else { throw StoreError.notFound(entity: "record", id: recordID) }
            guard owner == patientID else { throw StoreError.invalidField(field: "record", reason: "record \(recordID) is another patient's") }
        }
        if let parentID {
            guard parentID != id else { throw StoreError.invalidField(field: "parent", reason: "a result cannot be a part of itself") }
            guard let parent = try store.result(id: parentID) else { throw StoreError.notFound(entity: "result", id: parentID) }
            guard parent.patientID == patientID else {
                throw StoreError.invalidField(field: "parent", reason: "result \(parentID) is another patient's")
            }
            guard parent.parentID == nil else {
                throw StoreError.invalidField(field: "parent", reason: "result \(parentID) is itself a part; parts are one level deep")
            }
            if id != 0, try !store.results(parentID: id).isEmpty {
                throw StoreError.invalidField(field: "parent", reason: "result \(id) has parts of its own, so it cannot become a part")
            }
        }
        let code = Field.optional(code)
        if code != nil, codeSystem == nil {
            throw StoreError.invalidField(field: "code", reason: "a code needs its system (loinc, snomed-ct or other)")
        }
        // The value's columns: (type, number, comparator, unit, code, code system, text).
        var valueType: String?, number: Double?, comparator: String?, unit: String?
        var valueCode: String?, valueCodeSystem: String?, valueText: String?
        switch value {
        case nil:
            break
        case .quantity(let quantity, let quantityUnit, let quantityComparator)?:
            guard quantity.isFinite else {
                throw StoreError.invalidField(field: "value", reason: "must be a finite number such as 42 or 0.8")
            }
            (valueType, number, comparator, unit) = ("quantity", quantity, quantityComparator?.rawValue, Field.optional(quantityUnit))
        case .coded(let code, let system, let display)?:
            (valueType, valueCode, valueCodeSystem, valueText) =
                ("coded", try Field.required(code, "value code"), system?.rawValue, Field.optional(display))
        case .text(let text)?:
            (valueType, valueText) = ("text", try Field.required(text, "value"))
        }
        if let low = range?.low, let high = range?.high, low > high {
            throw StoreError.invalidField(field: "range", reason: "the low end (\(low)) is above the high end (\(high))")
        }
        if let bound = range?.low ?? range?.high, !bound.isFinite {
            throw StoreError.invalidField(field: "range", reason: "bounds must be finite numbers")
        }
        return [
            .column("patient_id", patientID), .column("category", category.rawValue),
            .column("name", try Field.required(name, "name")), .column("code", code),
            .column("code_system", code == nil ? nil : codeSystem?.rawValue), .column("value_type", valueType),
            .column("value_number", number), .column("value_comparator", comparator), .column("value_unit", unit),
            .column("value_code", valueCode), .column("value_code_system", valueCodeSystem),
            .column("value_text", valueText), .column("detail", Field.optional(detail)),
            .column("reference_low", range?.low), .column("reference_high", range?.high),
            .column("reference_text", Field.optional(range?.text)), .column("interpretation", interpretation?.rawValue),
            .column("observed_at", observedAt?.description), .column("status", status.rawValue),
            .column("provider_id", providerID), .column("diagnosis_id", diagnosisID), .column("record_id", recordID),
            .column("parent_id", parentID), .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }
}

extension HealthStore {
    /// Adds a result after checking it (see `ClinicalResult`); returns it as stored.
    @discardableResult
    public func addResult(_ result: ClinicalResult) throws -> ClinicalResult {
        try requireResult(try insertResult(result))
    }

    /// Adds a result as `addResult` does and returns only its row id: for writers that need nothing
    /// else back (an import stores thousands of rows and reads none of them back).
    @discardableResult
    public func insertResult(_ result: ClinicalResult) throws -> Int64 {
        try insertItem(result)
    }

    /// Replaces every field of result `result.id` a caller sets, after the same checks as `addResult`.
    @discardableResult
    public func updateResult(_ result: ClinicalResult) throws -> ClinicalResult {
        try updateItem(result)
    }

    /// Removes a result and its parts (which come back with it on undo or restore).
    public func removeResult(id: Int64) throws {
        try deleteRow(ClinicalResult.table, id: id)
    }

    public func result(id: Int64) throws -> ClinicalResult? {
        try item(ClinicalResult.self, id: id)
    }

    public func requireResult(_ id: Int64) throws -> ClinicalResult {
        try requireItem(ClinicalResult.self, id: id)
    }

    public func result(uuid: String) throws -> ClinicalResult? {
        try item(ClinicalResult.self, uuid: uuid)
    }

    /// The parts of result `parentID`, in the order they were added.
    public func results(parentID: Int64) throws -> [ClinicalResult] {
        try database.query("SELECT \(ClinicalResult.selectList) FROM results WHERE parent_id = ? ORDER BY id",
                           [parentID], ClinicalResult.init)
    }

    /// A patient's results matching `filter`, oldest first by day (undated ones first), then in
    /// the order they were added. A trend is `results(patientID:, ResultFilter(nameOrCode: …))`.
    /// With `limit`, only the first `limit` of them.
    public func results(patientID: Int64, _ filter: ResultFilter = ResultFilter(), limit: Int? = nil) throws -> [ClinicalResult] {
        let matching = Self.resultsMatching(patientID: patientID, filter)
        var sql = "SELECT \(ClinicalResult.selectList) FROM results WHERE \(matching.condition)" + Self.resultOrder
        var bindings = matching.bindings
        if let limit {
            sql += " LIMIT ?"
            bindings.append(limit)
        }
        return try database.query(sql, bindings, ClinicalResult.init)
    }

    /// The results of `results(patientID:_:)`, in its order, each passed to `body` as it is read
    /// instead of all of them collected: for lists too long to hold as values.
    func forEachResult(patientID: Int64, _ filter: ResultFilter, _ body: (ClinicalResult) throws -> Void) throws {
        let matching = Self.resultsMatching(patientID: patientID, filter)
        try database.forEach("SELECT \(ClinicalResult.selectList) FROM results WHERE \(matching.condition)" + Self.resultOrder,
                             matching.bindings) { row in try body(ClinicalResult(row: row)) }
    }

    /// The parts of the results `parentIDs`, in the order of `results(patientID:_:)`.
    public func results(partsOf parentIDs: [Int64]) throws -> [ClinicalResult] {
        guard !parentIDs.isEmpty else { return [] }
        return try database.query("""
            SELECT \(ClinicalResult.selectList) FROM results WHERE parent_id IN (SELECT value FROM json_each(?))
            """ + Self.resultOrder, [IDList(parentIDs)], ClinicalResult.init)
    }

    /// The condition on `results` (with its bindings) that a patient's results matching `filter`
    /// meet, written so that SQLite reads them through an index that starts with the patient and
    /// the dates.
    private static func resultsMatching(patientID: Int64, _ filter: ResultFilter) -> (condition: String, bindings: [any SQLiteBindable]) {
        // The patient and the dates, which every index of results starts with.
        var dates = "patient_id = ?"
        var dateBindings: [any SQLiteBindable] = [patientID]
        // Any day of a result dated by its month reaches a since-date in it (`DayRange`); an index
        // starts at the since-date's year.
        let days = DayRange(since: filter.since, until: filter.until).condition(on: "observed_at")
        dates += days.sql
        dateBindings += days.bindings
        var sql: String
        var bindings: [any SQLiteBindable]
        if let nameOrCode = Field.optional(filter.nameOrCode) {
            // The patient and dates are written in each alternative, so that SQLite looks each up
            // in its own index (patient, name or code, date) instead of reading all the patient's
            // results, or all of them since the date.
            sql = "((\(dates) AND name = ? COLLATE NOCASE) OR (\(dates) AND code = ?))"
            bindings = dateBindings + [nameOrCode] + dateBindings + [nameOrCode]
        } else {
            sql = dates
            bindings = dateBindings
        }
        if let categories = filter.categories {
            sql += " AND category IN (\(categories.map { _ in "?" }.joined(separator: ", ")))"
            bindings += categories.map(\.rawValue)
        }
        if let diagnosisID = filter.diagnosisID {
            sql += " AND diagnosis_id = ?"
            bindings.append(diagnosisID)
        }
        if let recordID = filter.recordID {
            sql += " AND record_id = ?"
            bindings.append(recordID)
        }
        if filter.topLevelOnly { sql += " AND parent_id IS NULL" }
        return (sql, bindings)
    }

    /// Undated ones first (NULL sorts first), then oldest first as the dates are written (a day, a
    /// month or a year before the times within it), then in the order they were added. The order
    /// of the patient-and-date index (`results_by_patient`), so that SQLite reads a patient's
    /// results in it instead of sorting them. (It was written `substr(observed_at, 1, 10) IS NOT
    /// NULL, substr(observed_at, 1, 10), observed_at, id`: the same order, since comparing the
    /// first ten characters first decides nothing that comparing the whole text does not, but
    /// an order SQLite could only get by sorting every row it read.)
    private static let resultOrder = " ORDER BY observed_at, id"
}
