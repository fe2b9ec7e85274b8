import Foundation

/// An allergy or intolerance, or the patient's statement that they have no known allergies (of
/// every kind, or of one: "no known drug allergies").
///
/// "No known allergies" (`entry == .noneKnown`, with the date it was recorded) is a fact of its own,
/// distinct from nothing recorded at all: see `HealthStore.allergyStatus(patientID:)`. Its
/// `category`, when set (medication, food or environment), narrows it to that kind.
///
/// Guarantees (checked by the store, refused with `StoreError` and nothing written otherwise): an
/// allergy names its substance; a "none known" statement names none, carries no reaction, and is
/// about every kind or one of medication, food and environment; a severity only with a reaction;
/// a substance code only with its system. Adding an active allergy makes the patient's active
/// "none known" statements it contradicts inactive (the general one, and the one of its category;
/// every one when its category is not known), in the same transaction, so undo brings them back.
public struct Allergy: Sendable, Hashable, Codable, Identifiable {
    public enum Entry: String, Sendable, Codable, CaseIterable {
        case allergy
        case noneKnown = "none-known"
    }

    public enum CodeSystem: String, Sendable, Codable, CaseIterable {
        case rxnorm
        case snomedCT = "snomed-ct"
        case unii, other
    }

    public enum Kind: String, Sendable, Codable, CaseIterable {
        case allergy, intolerance
    }

    public enum Category: String, Sendable, Codable, CaseIterable {
        case food, medication, environment, biologic
    }

    public enum Criticality: String, Sendable, Codable, CaseIterable {
        case low, high
        case unableToAssess = "unable-to-assess"
    }

    public enum Severity: String, Sendable, Codable, CaseIterable {
        case mild, moderate, severe
    }

    public enum Status: String, Sendable, Codable, CaseIterable {
        case active, inactive, resolved
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    public var entry: Entry
    /// What the patient reacts to, as written; `nil` only for a "none known" statement.
    public var substance: String?
    public var substanceCode: String?
    public var substanceCodeSystem: CodeSystem?
    /// Allergy or intolerance (FHIR's `type`), when known.
    public var kind: Kind?
    public var category: Category?
    public var criticality: Criticality?
    /// The manifestations as written: `hives`, `hives; wheezing`.
    public var reaction: String?
    /// Of the worst reaction.
    public var severity: Severity?
    public var status: Status
    public var recordedOn: PartialDate?
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (a date in words, why it was not
    /// done, the source's own note annotations), written by import; never the patient's (`notes`).
    /// Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, substance: String?, substanceCode: String? = nil, substanceCodeSystem: CodeSystem? = nil,
                kind: Kind? = nil, category: Category? = nil, criticality: Criticality? = nil, reaction: String? = nil,
                severity: Severity? = nil, status: Status = .active, recordedOn: PartialDate? = nil, notes: String? = nil,
                sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.entry = .allergy
        self.substance = substance
        self.substanceCode = substanceCode
        self.substanceCodeSystem = substanceCodeSystem
        self.kind = kind
        self.category = category
        self.criticality = criticality
        self.reaction = reaction
        self.severity = severity
        self.status = status
        self.recordedOn = recordedOn
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }

    /// The statement "no known allergies" (with `category`: of that kind only, "no known drug
    /// allergies"), recorded on `recordedOn`.
    public static func noneKnown(patientID: Int64, category: Category? = nil, recordedOn: PartialDate?, notes: String? = nil,
                                 sourceNotes: String? = nil, uuid: String? = nil) -> Allergy {
        var statement = Allergy(patientID: patientID, substance: nil, category: category, recordedOn: recordedOn, notes: notes,
                                sourceNotes: sourceNotes, uuid: uuid)
        statement.entry = .noneKnown
        return statement
    }

    /// The kinds a "none known" statement may be about besides every kind.
    public static let noneKnownCategories: [Category] = [.medication, .food, .environment]

    /// The substance, or the statement in words: "No known allergies", "No known drug allergies".
    public var displayName: String { substance ?? Self.noneKnownText(category) }

    /// "No known allergies", or of one kind: "No known drug allergies".
    public static func noneKnownText(_ category: Category?) -> String {
        switch category {
        case nil: "No known allergies"
        case .medication?: "No known drug allergies"
        case .food?: "No known food allergies"
        case .environment?: "No known environmental allergies"
        case .biologic?: "No known biologic allergies"
        }
    }

    /// Whether this active allergy makes the statement "none known" of `category` (every kind
    /// when nil) untrue: an allergy of unknown kind may be of any.
    public func contradicts(noneKnownOf category: Category?) -> Bool {
        entry == .allergy && status == .active && (category == nil || self.category == nil || self.category == category)
    }
}

/// What is known about a patient's allergies: nothing recorded, none known (as of a date), or
/// the active allergies with the statements about one kind ("no known drug allergies").
public enum AllergyStatus: Sendable, Hashable {
    case notRecorded
    /// No known allergies of any kind, as the latest active statement says.
    case noneKnown(recordedOn: PartialDate?)
    /// The active allergies, then the latest active statement of each kind that none is known
    /// (`entry == .noneKnown`, with its category), each in the order they were added.
    case allergies([Allergy])
}

extension Allergy: StoredItem {
    static let table = "allergies"
    static let entityName = "allergy"
    static let columns = [
        "id", "uuid", "patient_id", "entry", "substance", "substance_code", "substance_code_system", "type", "category",
        "criticality", "reaction", "severity", "status", "recorded_on", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        entry = try Field.enumeration(row.get("entry"), column: "allergies.entry")
        substance = try row.get("substance")
        substanceCode = try row.get("substance_code")
        substanceCodeSystem = try row.get("substance_code_system", as: String?.self)
            .map { try Field.enumeration($0, column: "allergies.substance_code_system") }
        kind = try row.get("type", as: String?.self).map { try Field.enumeration($0, column: "allergies.type") }
        category = try row.get("category", as: String?.self).map { try Field.enumeration($0, column: "allergies.category") }
        criticality = try row.get("criticality", as: String?.self).map { try Field.enumeration($0, column: "allergies.criticality") }
        reaction = try row.get("reaction")
        severity = try row.get("severity", as: String?.self).map { try Field.enumeration($0, column: "allergies.severity") }
        status = try Field.enumeration(row.get("status"), column: "allergies.status")
        recordedOn = try Field.date(row.get("recorded_on", as: String?.self), column: "allergies.recorded_on")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        let code = Field.optional(substanceCode)
        let reaction = Field.optional(reaction)
        var substance = Field.optional(substance)
        switch entry {
        case .allergy:
            guard substance != nil else {
                throw StoreError.invalidField(field: "substance", reason: "an allergy names what causes it, e.g. penicillin or peanuts (for none, use \"no known allergies\")")
            }
        case .noneKnown:
            guard substance == nil, code == nil, reaction == nil, severity == nil, kind == nil, criticality == nil else {
                throw StoreError.invalidField(field: "substance", reason: "\"no known allergies\" names no substance or reaction")
            }
            if let category, !Self.noneKnownCategories.contains(category) {
                throw StoreError.invalidField(
                    field: "category",
                    reason: "\"no known allergies\" is about every kind or about one of "
                        + Self.noneKnownCategories.map(\.rawValue).joined(separator: ", ") + ", not \(category.rawValue)")
            }
            substance = nil
        }
        if code != nil, substanceCodeSystem == nil {
            throw StoreError.invalidField(field: "code", reason: "a code needs its system (rxnorm, snomed-ct, unii or other)")
        }
        if severity != nil, reaction == nil {
            throw StoreError.invalidField(field: "severity", reason: "a severity describes a reaction; give the reaction too, e.g. hives")
        }
        return [
            .column("patient_id", patientID), .column("entry", entry.rawValue), .column("substance", substance),
            .column("substance_code", code),
            .column("substance_code_system", code == nil ? nil : substanceCodeSystem?.rawValue),
            .column("type", kind?.rawValue), .column("category", category?.rawValue),
            .column("criticality", criticality?.rawValue), .column("reaction", reaction),
            .column("severity", severity?.rawValue), .column("status", status.rawValue),
            .column("recorded_on", recordedOn?.description), .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }
}

extension HealthStore {
    /// Adds an allergy or a "none known" statement after checking it (see `Allergy`); an active
    /// allergy makes active "none known" statements inactive. Returns it as stored.
    @discardableResult
    public func addAllergy(_ allergy: Allergy) throws -> Allergy {
        let added = try requireAllergy(try insertItem(allergy))
        try retireNoneKnown(after: added)
        return added
    }

    /// Replaces every field of allergy `allergy.id` a caller sets, after the same checks.
    @discardableResult
    public func updateAllergy(_ allergy: Allergy) throws -> Allergy {
        let updated = try updateItem(allergy)
        try retireNoneKnown(after: updated)
        return updated
    }

    /// Makes inactive the patient's active "none known" statements `allergy` contradicts (see
    /// `Allergy.contradicts(noneKnownOf:)`).
    private func retireNoneKnown(after allergy: Allergy) throws {
        guard allergy.entry == .allergy, allergy.status == .active else { return }
        try database.run("""
            UPDATE allergies SET status = 'inactive', updated_at = ?
            WHERE patient_id = ? AND entry = 'none-known' AND status = 'active'
                AND (category IS NULL OR ?3 IS NULL OR category = ?3)
            """, [Timestamp.now(), allergy.patientID, allergy.category?.rawValue])
    }

    public func removeAllergy(id: Int64) throws {
        try deleteRow(Allergy.table, id: id)
    }

    public func allergy(id: Int64) throws -> Allergy? {
        try item(Allergy.self, id: id)
    }

    public func requireAllergy(_ id: Int64) throws -> Allergy {
        try requireItem(Allergy.self, id: id)
    }

    public func allergy(uuid: String) throws -> Allergy? {
        try item(Allergy.self, uuid: uuid)
    }

    /// A patient's allergies and "none known" statements, as added; `activeOnly` keeps the active ones.
    public func allergies(patientID: Int64, activeOnly: Bool = false) throws -> [Allergy] {
        try database.query("""
            SELECT \(Allergy.selectList) FROM allergies WHERE patient_id = ? AND (? = 0 OR status = 'active') ORDER BY id
            """, [patientID, activeOnly], Allergy.init)
    }

    /// What to tell a doctor: without active allergies, "no known allergies" with the date of the
    /// latest active general statement; else the active allergies with the latest active statement
    /// of each kind no allergy contradicts ("no known drug allergies" beside a peanut allergy);
    /// else not recorded.
    public func allergyStatus(patientID: Int64) throws -> AllergyStatus {
        let active = try allergies(patientID: patientID, activeOnly: true)
        let allergies = active.filter { $0.entry == .allergy }
        let statements = active.filter { $0.entry == .noneKnown }
        if allergies.isEmpty, let general = statements.last(where: { $0.category == nil }) {
            return .noneKnown(recordedOn: general.recordedOn)
        }
        var latestOfKind: [Allergy.Category: Allergy] = [:]
        for statement in statements {
            guard let category = statement.category, !allergies.contains(where: { $0.contradicts(noneKnownOf: category) }) else { continue }
            latestOfKind[category] = statement
        }
        let known = allergies + latestOfKind.values.sorted { $0.id < $1.id }
        return known.isEmpty ? .notRecorded : .allergies(known)
    }
}
