import PHRStore

extension FamilyHistory: ImportedEntity {}

/// FamilyMemberHistory → family_history, one row per `condition[]`: the relationship (its text,
/// else its display, else phr's word for its v3-RoleCode code) with that code (or the code phr
/// knows for the words), the relative's sex, the condition (text, else the display of its SNOMED
/// CT, ICD-10 or other code) with that code, its onset (`onsetAge`, `onsetRange`, `onsetString` as
/// `FamilyHistoryAge` reads them), whether and at what age the relative died (`deceased[x]`), the
/// status, the recorded date, and as source notes the resource's and the condition's `note`s, the
/// condition's outcome, that it contributed to death, and a date of death.
///
/// The first condition's row is the resource's own (its source keys); each later one has keys of
/// its own made from them (`#condition-N`), so that importing the resource again finds every row
/// it made. The report counts the resource once. A resource without a condition is skipped. One entered in error is skipped, or, when an
/// earlier import made rows of it, those rows become entered in error.
struct FamilyMemberHistoryMapper: ResourceMapper {
    struct Condition {
        let name: String
        let code: (code: String, system: FamilyHistory.CodeSystem)?
        let onsetAge: String?
        let sourceNotes: String?
    }

    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let relationship: String
        let relationshipCode: String?
        let sex: FamilyHistory.Sex?
        let deceased: FamilyHistory.Deceased?
        let deceasedAge: String?
        let status: FamilyHistory.Status
        let recordedOn: PartialDate?
        let conditions: [Condition]

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "patient")
            let store = session.store
            let before = session.report.byType[resource.type] ?? ImportReport.Counts()
            var afterFirst = before
            for (index, condition) in conditions.enumerated() {
                if index == 1 { afterFirst = session.report.byType[resource.type] ?? before }
                let conditionKeys = keys.condition(index)
                let conditionPrior = index == 0 ? prior : try session.index.source(conditionKeys.primary).flatMap { $0.isResource ? $0 : nil }
                func fill(_ entry: inout FamilyHistory, _ merge: FieldMerge) {
                    merge.required(&entry.patientID, patientID, "patient")
                    merge.required(&entry.relationship, relationship, "relationship")
                    merge.optional(&entry.relationshipCode, relationshipCode, "relationship code")
                    merge.optional(&entry.relativeSex, sex, "sex")
                    merge.required(&entry.condition, condition.name, "condition")
                    merge.code(&entry.code, &entry.codeSystem, condition.code?.code, condition.code?.system)
                    merge.optional(&entry.onsetAge, condition.onsetAge, "onset age")
                    merge.optional(&entry.deceased, deceased, "deceased")
                    merge.optional(&entry.deceasedAge, deceasedAge, "age at death")
                    merge.required(&entry.status, status, "status")
                    merge.optional(&entry.recordedOn, recordedOn, "date")
                    merge.optional(&entry.sourceNotes, condition.sourceNotes, "source notes")
                }
                try session.upsert(
                    resource, keys: conditionKeys, prior: conditionPrior, table: .familyHistory, references: references,
                    load: { try store.familyHistory(id: $0) },
                    create: { uuid in
                        var entry = FamilyHistory(patientID: patientID, relationship: relationship, condition: condition.name, uuid: uuid)
                        fill(&entry, FieldMerge(kind: .sameSource))
                        return try store.insertFamilyHistory(entry)
                    },
                    merge: { fill(&$0, $1) },
                    save: { try store.updateFamilyHistory($0) })
            }
            // Conditions an earlier version listed and this one does not: their rows no longer
            // stand, and are marked entered in error (the history keeps them; undo brings them back).
            let withdrew = try Self.withdrawParts(of: keys, from: conditions.count, store: store, session: session) > 0
            // The report counts resources, one outcome each: the first condition's (only it can
            // be merged or in conflict: the others have no evidence), or updated when it was
            // unchanged and a later condition's row was added, changed or withdrawn.
            let after = session.report.byType[resource.type] ?? before
            if conditions.count > 1 || withdrew {
                var outcome = Self.outcome(from: before, to: afterFirst)
                if outcome == .unchanged, withdrew || after.added + after.updated > afterFirst.added + afterFirst.updated {
                    outcome = .updated
                }
                session.report.byType[resource.type] = before
                session.report.count(resource.type, outcome)
            }
        }

        /// Marks entered in error the rows made of conditions `first` and later of the resource
        /// with `keys` (by their `#condition-N` keys) that are not already; returns how many it
        /// marked. Each row stays recorded under its key, so a later version listing the
        /// condition again finds it.
        static func withdrawParts(of keys: SourceKeys, from first: Int, store: HealthStore,
                                  session: ImportSession) throws -> Int {
            var withdrawn = 0
            for part in try session.index.numberedParts(of: keys.primary, marker: SourceKeys.conditionMarker)
            where part.number >= max(first, 1) && part.source.table == .familyHistory {
                guard var entry = try store.familyHistory(id: part.source.rowID), entry.status != .enteredInError else { continue }
                entry.status = .enteredInError
                try store.updateFamilyHistory(entry)
                withdrawn += 1
            }
            return withdrawn
        }

        private static func outcome(from before: ImportReport.Counts, to after: ImportReport.Counts) -> ImportOutcome {
            if after.conflicts > before.conflicts { return .conflict }
            if after.added > before.added { return .added }
            if after.merged > before.merged { return .merged }
            if after.updated > before.updated { return .updated }
            return .unchanged
        }
    }

    /// An entered-in-error resource: the rows earlier imports made of its conditions (all of them,
    /// however many this version lists) become entered in error; without any, it is skipped.
    struct Retraction: PreparedResource {
        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            var found = false, changed = false
            let parts = try session.index.numberedParts(of: keys.primary, marker: SourceKeys.conditionMarker)
                .filter { $0.number > 0 }.sorted { $0.number < $1.number }
            for (index, source) in [(0, prior)] + parts.map({ ($0.number, Optional($0.source)) }) {
                let conditionKeys = keys.condition(index)
                guard let source, source.isResource, source.table == .familyHistory,
                      var entry = try session.store.familyHistory(id: source.rowID) else { continue }
                found = true
                if entry.status != .enteredInError {
                    entry.status = .enteredInError
                    try session.store.updateFamilyHistory(entry)
                    changed = true
                }
                try session.record(resource, keys: conditionKeys, table: .familyHistory, rowID: entry.id,
                                   references: ResourceReferences(resource, keys: conditionKeys, session: session))
            }
            guard found else {
                session.report.notStored(resource.type, resource.place, reason: "entered in error")
                return
            }
            session.report.count(resource.type, changed ? .updated : .unchanged)
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        let conditions = try body.objects("condition")
        if try Self.isEnteredInError(resource) { return Retraction() }
        guard !conditions.isEmpty else { return SkippedResource(reason: "names no condition of the relative") }

        let relation = try body.object("relationship")
        let codings = try relation?.codings() ?? []
        let roleCode = codings.first { $0.system.map(Self.roleCodeSystems.contains) == true }?.code
        let relationship = try relation?.text("text") ?? codings.lazy.compactMap(\.display).first
            ?? roleCode.flatMap(FamilyRelationship.word(for:)) ?? roleCode ?? "relative"
        let sex = try body.object("sex")?.codings().lazy.compactMap { $0.code.flatMap(FamilyHistory.Sex.init(rawValue:)) }.first

        var deceased: FamilyHistory.Deceased?
        var deceasedAge: String?
        var deathNote: String?
        if try body.text("deceasedString")?.lowercased() == FHIRVocabulary.unknownDeceased {
            deceased = .unknown
        } else if let age = try FamilyHistoryAge.read(body, "deceased") {
            (deceased, deceasedAge) = (.yes, age)
        } else if let died = try body.text("deceasedDate") {
            (deceased, deathNote) = (.yes, "Died: \(died)")
        } else if let flag = body.fields["deceasedBoolean"] as? Bool {
            deceased = flag ? .yes : .no
        } else if conditions.contains(where: { $0.fields["contributedToDeath"] as? Bool == true }) {
            // A condition that contributed to the death says the relative died, as C-CDA's does.
            deceased = .yes
        }
        let resourceNotes = FHIRObject.notes(try body.notes(), adding: deathNote)

        return Prepared(
            subject: try body.reference("patient"),
            relationship: relationship,
            relationshipCode: roleCode ?? FamilyRelationship.code(for: relationship),
            sex: sex, deceased: deceased, deceasedAge: deceasedAge,
            status: try body.text("status").flatMap(FamilyHistory.Status.init(rawValue:)) ?? .completed,
            recordedOn: try body.date("date"),
            conditions: try conditions.map { try Self.condition($0, resourceNotes: resourceNotes) })
    }

    private static func condition(_ element: FHIRObject, resourceNotes: String?) throws -> Condition {
        let concept = try element.object("code")
        let coded = ClinicalCodes.code(try concept?.codings() ?? [], other: FamilyHistory.CodeSystem.other, codeSystem)
        var notes = FHIRObject.notes(resourceNotes, adding: try element.notes())
        if let outcome = try element.object("outcome")?.conceptText() { notes = FHIRObject.notes(notes, adding: "Outcome: \(outcome)") }
        if element.fields["contributedToDeath"] as? Bool == true { notes = FHIRObject.notes(notes, adding: "Contributed to death") }
        return Condition(name: try ClinicalCodes.readableText(concept) ?? "Condition", code: coded.map { ($0.code, $0.system) },
                         onsetAge: try FamilyHistoryAge.read(element, "onset"), sourceNotes: notes)
    }

    /// The code system of a condition's coding: phr's own URIs, and ICD-10-CM as ICD-10.
    private static func codeSystem(_ uri: String) -> FamilyHistory.CodeSystem? {
        if uri == "http://hl7.org/fhir/sid/icd-10-cm" { return .icd10 }
        return FHIRVocabulary.codeSystem(forURI: uri) { FHIRVocabulary.uri(for: $0) }
    }

    private static let roleCodeSystems: Set<String> = [FHIRVocabulary.roleCodeSystem, "urn:oid:2.16.840.1.113883.5.111"]
}

extension SourceKeys {
    /// What a later condition's key adds to its resource's: `#condition-` and its index.
    static let conditionMarker = "#condition-"

    /// The keys of condition `index` of a resource: the resource's own for the first; for a later
    /// one, its primary and `urn:` keys with `#condition-N` added, no evidence (identifiers name the
    /// resource, not one of its conditions) and no UUID of its own.
    func condition(_ index: Int) -> SourceKeys {
        guard index > 0 else { return self }
        let suffix = Self.conditionMarker + String(index)
        let urn = fullUrlKey.map { $0 + suffix }
        return SourceKeys(primary: primary + suffix, fullUrlKey: urn, evidence: [], aliases: urn.map { [$0] } ?? [], uuid: nil, base: base)
    }

    private init(primary: String, fullUrlKey: String?, evidence: [String], aliases: [String], uuid: String?, base: String?) {
        self.primary = primary
        self.fullUrlKey = fullUrlKey
        self.evidence = evidence
        self.aliases = aliases
        self.uuid = uuid
        self.base = base
    }
}
