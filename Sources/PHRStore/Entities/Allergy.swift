import Foundation

/// An allergy or intolerance, or the patient's statement that they have no known allergies.
///
/// "No known allergies" (`entry == .noneKnown`, with the date it was recorded) is a fact of its own,
/// distinct from nothing recorded at all: see `HealthStore.allergyStatus(patientID:)`.
///
/// Guarantees (checked by the store, refused with `StoreError` and nothing written otherwise): an
/// allergy names its substance; a "none known" statement names none and carries no reaction;
/// a severity only with a reaction; a substance code only with its system. Adding an active
/// allergy makes the patient's active "none known" statements inactive (they are no longer true),
/// in the same transaction, so undo brings them back.
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
    public var notes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, substance: String?, substanceCode: String? = nil, substanceCodeSystem: CodeSystem? = nil,
                kind: Kind? = nil, category: Category? = nil, criticality: Criticality? = nil, reaction: String? = nil,
                severity: Severity? = nil, status: Status = .active, recordedOn: PartialDate? = nil, notes: String? = nil,
                uuid: String? = nil) {
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
        self.createdAt = ""
        self.updatedAt = ""
    }

    /// The statement "no known allergies", recorded on `recordedOn`.
    public static func noneKnown(patientID: Int64, recordedOn: PartialDate?, notes: String? = nil, uuid: String? = nil) -> Allergy {
        var statement = Allergy(patientID: patientID, substance: nil, recordedOn: recordedOn, notes: notes, uuid: uuid)
        statement.entry = .noneKnown
        return statement
    }

    /// The substance, or "No known allergies" for that statement.
    public var displayName: String { substance ?? "No known allergies" }
}

/// What is known about a patient's allergies: nothing recorded, none known (as of a date), or
/// the active allergies.
public enum AllergyStatus: Sendable, Hashable {
    case notRecorded
    case noneKnown(recordedOn: PartialDate?)
    case allergies([Allergy])
}

extension Allergy {
    static let columns = [
        "id", "uuid", "patient_id", "entry", "substance", "substance_code", "substance_code_system", "type", "category",
        "criticality", "reaction", "severity", "status", "recorded_on", "notes", "created_at", "updated_at",
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
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    fileprivate func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
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
            guard substance == nil, code == nil, reaction == nil, severity == nil, kind == nil, category == nil,
                  criticality == nil else {
                throw StoreError.invalidField(field: "substance", reason: "\"no known allergies\" names no substance or reaction")
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
        ]
    }
}

extension HealthStore {
    /// Adds an allergy or a "none known" statement after checking it (see `Allergy`); an active
    /// allergy makes active "none known" statements inactive. Returns it as stored.
    @discardableResult
    public func addAllergy(_ allergy: Allergy) throws -> Allergy {
        let id = try insertRow("allergies", try allergy.validatedValues(in: self), uuid: allergy.uuid)
        let added = try requireAllergy(id)
        try retireNoneKnown(after: added)
        return added
    }

    /// Replaces every field of allergy `allergy.id` a caller sets, after the same checks.
    @discardableResult
    public func updateAllergy(_ allergy: Allergy) throws -> Allergy {
        try requireRow("allergies", "allergy", id: allergy.id)
        try updateRow("allergies", try allergy.validatedValues(in: self), id: allergy.id)
        let updated = try requireAllergy(allergy.id)
        try retireNoneKnown(after: updated)
        return updated
    }

    private func retireNoneKnown(after allergy: Allergy) throws {
        guard allergy.entry == .allergy, allergy.status == .active else { return }
        try database.run("""
            UPDATE allergies SET status = 'inactive', updated_at = ?
            WHERE patient_id = ? AND entry = 'none-known' AND status = 'active'
            """, [Timestamp.now(), allergy.patientID])
    }

    public func removeAllergy(id: Int64) throws {
        try deleteRow("allergies", id: id)
    }

    public func allergy(id: Int64) throws -> Allergy? {
        try database.query("SELECT \(Allergy.selectList) FROM allergies WHERE id = ?", [id], Allergy.init).first
    }

    public func requireAllergy(_ id: Int64) throws -> Allergy {
        guard let allergy = try allergy(id: id) else { throw StoreError.notFound(entity: "allergy", id: id) }
        return allergy
    }

    public func allergy(uuid: String) throws -> Allergy? {
        try database.query("SELECT \(Allergy.selectList) FROM allergies WHERE uuid = ?", [uuid], Allergy.init).first
    }

    /// A patient's allergies and "none known" statements, as added; `activeOnly` keeps the active ones.
    public func allergies(patientID: Int64, activeOnly: Bool = false) throws -> [Allergy] {
        try database.query("""
            SELECT \(Allergy.selectList) FROM allergies WHERE patient_id = ? AND (? = 0 OR status = 'active') ORDER BY id
            """, [patientID, activeOnly], Allergy.init)
    }

    /// What to tell a doctor: the active allergies; else "no known allergies" with the date of the
    /// latest active statement; else not recorded.
    public func allergyStatus(patientID: Int64) throws -> AllergyStatus {
        let active = try allergies(patientID: patientID, activeOnly: true)
        let allergies = active.filter { $0.entry == .allergy }
        if !allergies.isEmpty { return .allergies(allergies) }
        if let statement = active.last(where: { $0.entry == .noneKnown }) { return .noneKnown(recordedOn: statement.recordedOn) }
        return .notRecorded
    }
}
