import Foundation

/// One condition of one relative: who (the relationship as written, with its FHIR v3-RoleCode code
/// when known, and the relative's sex if given), what (the condition as written, with its SNOMED CT,
/// ICD-10 or other code), how young (`onsetAge`), whether and at what age the relative died.
///
/// A relative with several conditions has a row for each (FHIR's FamilyMemberHistory lists them in
/// one resource; phr lists, searches, edits and exports each on its own).
///
/// Guarantees (checked by the store, refused with `StoreError` and nothing written otherwise): a
/// relationship and a condition; a code only with its system; an age at death only for a relative
/// who died.
public struct FamilyHistory: Sendable, Hashable, Codable, Identifiable {
    public enum CodeSystem: String, Sendable, Codable, CaseIterable {
        case snomedCT = "snomed-ct"
        case icd10 = "icd-10"
        case other
    }

    /// FHIR's FamilyMemberHistory status.
    public enum Status: String, Sendable, Codable, CaseIterable {
        case partial
        case completed
        case enteredInError = "entered-in-error"
        case healthUnknown = "health-unknown"
    }

    /// The relative's sex (FHIR's administrative gender).
    public enum Sex: String, Sendable, Codable, CaseIterable {
        case female, male, other, unknown
    }

    /// Whether the relative has died.
    public enum Deceased: String, Sendable, Codable, CaseIterable {
        case yes, no, unknown
    }

    public var id: Int64
    public var uuid: String
    public var patientID: Int64
    /// The relative, as written: "mother", "maternal aunt".
    public var relationship: String
    /// The relationship's FHIR v3-RoleCode code (MTH, FTH, SIS, MAUNT, …) when known.
    public var relationshipCode: String?
    public var relativeSex: Sex?
    /// The condition, as written: "breast cancer".
    public var condition: String
    public var code: String?
    public var codeSystem: CodeSystem?
    /// The relative's age when it began, as written: years ("45"), a range of years ("40-49"), or
    /// words ("in her forties", "6 months").
    public var onsetAge: String?
    public var deceased: Deceased?
    /// The relative's age at death, as written (as `onsetAge`); set only when `deceased` is yes.
    public var deceasedAge: String?
    public var status: Status
    public var recordedOn: PartialDate?
    /// The patient's own notes: private, exported only into summary.html and only when asked.
    public var notes: String?
    /// What the source said of it that has no field of its own (the condition's outcome, a date
    /// of death, the source's own notes), written by import; never the patient's (`notes`).
    /// Exported with it (fhir.json's `note`, summary.html), unlike `notes`.
    public var sourceNotes: String?
    public var createdAt: String
    public var updatedAt: String

    public init(patientID: Int64, relationship: String, condition: String, relationshipCode: String? = nil,
                relativeSex: Sex? = nil, code: String? = nil, codeSystem: CodeSystem? = nil, onsetAge: String? = nil,
                deceased: Deceased? = nil, deceasedAge: String? = nil, status: Status = .completed,
                recordedOn: PartialDate? = nil, notes: String? = nil, sourceNotes: String? = nil, uuid: String? = nil) {
        self.id = 0
        self.uuid = uuid ?? HealthStore.newUUID()
        self.patientID = patientID
        self.relationship = relationship
        self.relationshipCode = relationshipCode
        self.relativeSex = relativeSex
        self.condition = condition
        self.code = code
        self.codeSystem = codeSystem
        self.onsetAge = onsetAge
        self.deceased = deceased
        self.deceasedAge = deceasedAge
        self.status = status
        self.recordedOn = recordedOn
        self.notes = notes
        self.sourceNotes = sourceNotes
        self.createdAt = ""
        self.updatedAt = ""
    }

    /// "Mother: breast cancer, onset at 45, died at 62".
    public var summary: String {
        var text = "\(relationship.prefix(1).uppercased())\(relationship.dropFirst()): \(condition)"
        if let onsetAge { text += ", onset " + Self.age(onsetAge) }
        switch deceased {
        case .yes?: text += deceasedAge.map { ", died " + Self.age($0) } ?? ", deceased"
        case .no?, .unknown?, nil: break
        }
        return text
    }

    /// "at 45", "at 40-49", or "(in her forties)" for an age given in words.
    private static func age(_ text: String) -> String {
        text.first?.isNumber == true ? "at \(text)" : "(\(text))"
    }
}

/// The relationships phr knows the FHIR v3-RoleCode code of (the family members of the value set
/// FHIR's FamilyMemberHistory.relationship uses), by the words people write for them.
public enum FamilyRelationship {
    /// Each code with the word that names it first, then other words for it.
    public static let known: [(code: String, words: [String])] = [
        ("MTH", ["mother", "mom", "mum"]), ("FTH", ["father", "dad"]),
        ("PRN", ["parent"]),
        ("SIS", ["sister"]), ("BRO", ["brother"]), ("SIB", ["sibling"]),
        ("HSIS", ["half-sister", "half sister"]), ("HBRO", ["half-brother", "half brother"]),
        ("TWINSIS", ["twin sister"]), ("TWINBRO", ["twin brother"]),
        ("DAU", ["daughter"]), ("SON", ["son"]), ("CHILD", ["child"]),
        ("MGRMTH", ["maternal grandmother"]), ("MGRFTH", ["maternal grandfather"]),
        ("PGRMTH", ["paternal grandmother"]), ("PGRFTH", ["paternal grandfather"]),
        ("GRMTH", ["grandmother"]), ("GRFTH", ["grandfather"]), ("GRPRN", ["grandparent"]),
        ("MAUNT", ["maternal aunt"]), ("PAUNT", ["paternal aunt"]), ("AUNT", ["aunt"]),
        ("MUNCLE", ["maternal uncle"]), ("PUNCLE", ["paternal uncle"]), ("UNCLE", ["uncle"]),
        ("MCOUSN", ["maternal cousin"]), ("PCOUSN", ["paternal cousin"]), ("COUSN", ["cousin"]),
        ("NIECE", ["niece"]), ("NEPHEW", ["nephew"]),
        ("GRNDDAU", ["granddaughter"]), ("GRNDSON", ["grandson"]),
    ]

    private static let codesByWord: [String: String] = Dictionary(
        known.flatMap { entry in (entry.words + [entry.code.lowercased()]).map { ($0, entry.code) } },
        uniquingKeysWith: { first, _ in first })

    private static let wordsByCode: [String: String] = Dictionary(
        known.map { ($0.code, $0.words[0]) }, uniquingKeysWith: { first, _ in first })

    /// The code of the relationship `text` names ("Mother", "maternal aunt", "MTH"), if phr knows it.
    public static func code(for text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return codesByWord[words]
    }

    /// The word for `code` ("mother" for MTH), if phr knows it.
    public static func word(for code: String) -> String? {
        wordsByCode[code.uppercased()]
    }
}

extension FamilyHistory: StoredItem {
    static let table = "family_history"
    static let entityName = "family-history entry"
    static let columns = [
        "id", "uuid", "patient_id", "relationship", "relationship_code", "relative_sex", "condition", "code", "code_system",
        "onset_age", "deceased", "deceased_age", "status", "recorded_on", "notes", "source_notes", "created_at", "updated_at",
    ]
    static let selectList = SelectList.columns(columns)

    init(row: Row) throws {
        id = try row.get("id")
        uuid = try row.get("uuid")
        patientID = try row.get("patient_id")
        relationship = try row.get("relationship")
        relationshipCode = try row.get("relationship_code")
        relativeSex = try row.get("relative_sex", as: String?.self).map { try Field.enumeration($0, column: "family_history.relative_sex") }
        condition = try row.get("condition")
        code = try row.get("code")
        codeSystem = try row.get("code_system", as: String?.self).map { try Field.enumeration($0, column: "family_history.code_system") }
        onsetAge = try row.get("onset_age")
        deceased = try row.get("deceased", as: String?.self).map { try Field.enumeration($0, column: "family_history.deceased") }
        deceasedAge = try row.get("deceased_age")
        status = try Field.enumeration(row.get("status"), column: "family_history.status")
        recordedOn = try Field.date(row.get("recorded_on", as: String?.self), column: "family_history.recorded_on")
        notes = try row.get("notes")
        sourceNotes = try row.get("source_notes")
        createdAt = try row.get("created_at")
        updatedAt = try row.get("updated_at")
    }

    /// The columns a caller sets, checked.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue] {
        try store.requireRow("patients", "patient", id: patientID)
        let code = Field.optional(code)
        if code != nil, codeSystem == nil {
            throw StoreError.invalidField(field: "code", reason: "a code needs its system (snomed-ct, icd-10 or other)")
        }
        let deceasedAge = Field.optional(deceasedAge)
        if deceasedAge != nil, deceased != .yes {
            throw StoreError.invalidField(field: "deceased age", reason: "an age at death needs a relative who died")
        }
        return [
            .column("patient_id", patientID), .column("relationship", try Field.required(relationship, "relationship")),
            .column("relationship_code", Field.optional(relationshipCode)), .column("relative_sex", relativeSex?.rawValue),
            .column("condition", try Field.required(condition, "condition")),
            .column("code", code), .column("code_system", code == nil ? nil : codeSystem?.rawValue),
            .column("onset_age", Field.optional(onsetAge)), .column("deceased", deceased?.rawValue),
            .column("deceased_age", deceasedAge), .column("status", status.rawValue),
            .column("recorded_on", recordedOn?.description),
            .column("notes", Field.optional(notes)),
            .column("source_notes", Field.optional(sourceNotes)),
        ]
    }
}

extension HealthStore {
    /// Adds a relative's condition after checking it (see `FamilyHistory`); returns it as stored.
    @discardableResult
    public func addFamilyHistory(_ entry: FamilyHistory) throws -> FamilyHistory {
        try requireFamilyHistory(try insertFamilyHistory(entry))
    }

    /// Adds a relative's condition as `addFamilyHistory` does and returns only its row id: for
    /// writers that need nothing else back (an import).
    @discardableResult
    public func insertFamilyHistory(_ entry: FamilyHistory) throws -> Int64 {
        try insertItem(entry)
    }

    /// Replaces every field of family-history entry `entry.id` a caller sets, after the same checks.
    @discardableResult
    public func updateFamilyHistory(_ entry: FamilyHistory) throws -> FamilyHistory {
        try updateItem(entry)
    }

    public func removeFamilyHistory(id: Int64) throws {
        try deleteRow(FamilyHistory.table, id: id)
    }

    public func familyHistory(id: Int64) throws -> FamilyHistory? {
        try item(FamilyHistory.self, id: id)
    }

    public func requireFamilyHistory(_ id: Int64) throws -> FamilyHistory {
        try requireItem(FamilyHistory.self, id: id)
    }

    public func familyHistory(uuid: String) throws -> FamilyHistory? {
        try item(FamilyHistory.self, uuid: uuid)
    }

    /// A patient's family history, by recorded date (undated first), then as added; `since`/`until`
    /// keep those recorded within the days (undated ones left out when either is set).
    public func familyHistory(patientID: Int64, since: PartialDate? = nil, until: PartialDate? = nil) throws -> [FamilyHistory] {
        let days = DayRange(since: since, until: until).condition(on: "recorded_on")
        return try database.query("""
            SELECT \(FamilyHistory.selectList) FROM family_history WHERE patient_id = ?\(days.sql)
            ORDER BY recorded_on IS NOT NULL, recorded_on, id
            """, [patientID] + days.bindings, FamilyHistory.init)
    }
}
