import Foundation
import PHRStore

/// Thrown by a reference that names a resource not read yet: the resource waits for the second
/// pass, when everything else has been read.
struct ImportDeferral: Error {}

/// An entity import can make or match: each has a row id and a stable UUID.
protocol ImportedEntity: Hashable {
    var id: Int64 { get }
    var uuid: String { get }
}

extension Patient: ImportedEntity {}
extension Provider: ImportedEntity {}
extension Diagnosis: ImportedEntity {}
extension Appointment: ImportedEntity {}
extension Opinion: ImportedEntity {}
extension Record: ImportedEntity {}
extension ClinicalResult: ImportedEntity {}
extension Medication: ImportedEntity {}
extension Allergy: ImportedEntity {}
extension Procedure: ImportedEntity {}
extension Immunization: ImportedEntity {}

/// How a stored row was found for a resource.
enum MatchKind {
    /// The row was made from this very resource: same place (source key) or same `urn:` fullUrl.
    case sameSource
    /// The row is the same entity from elsewhere: the patient named by `--patient`, the provider a
    /// PractitionerRole names, or a row matched on evidence (identifier, phr UUID, bare `Type/id`,
    /// name and birth date) whose content agrees.
    case sameEntity
}

/// Assigns a resource's values to a stored row. A row made from this resource takes every value
/// (an absent value clears the field: the source removed it); a row from elsewhere keeps what it
/// has and only gains what it lacks, so that importing never overwrites what the patient typed.
///
/// For a row from elsewhere it also notes every named field on which the two disagree (both have
/// a value, and the values differ): a match on evidence whose content disagrees is a conflict,
/// never a merge.
final class FieldMerge {
    let kind: MatchKind
    private(set) var differences: [ImportReport.FieldDifference] = []

    init(kind: MatchKind) {
        self.kind = kind
    }

    func required<T: Equatable>(_ field: inout T, _ value: T, _ name: String? = nil,
                                same: (T, T) -> Bool = { $0 == $1 }) {
        switch kind {
        case .sameSource: field = value
        case .sameEntity: if let name, !same(field, value) { note(name, field, value) }
        }
    }

    func optional<T: Equatable>(_ field: inout T?, _ value: T?, _ name: String? = nil) {
        switch kind {
        case .sameSource:
            field = value
        case .sameEntity:
            if let current = field {
                if let name, let value, current != value { note(name, current, value) }
            } else {
                field = value
            }
        }
    }

    /// A code and its system, which go together: a row made from this resource takes both; a row
    /// from elsewhere takes both only when it has no code, and otherwise keeps its own and notes a
    /// different incoming code.
    func code<System>(_ code: inout String?, _ system: inout System?, _ incoming: String?, _ incomingSystem: System?) {
        if kind == .sameSource || code == nil {
            code = incoming
            system = incomingSystem
        } else {
            compare("code", stored: code, incoming: incoming)
        }
    }

    /// Notes a difference found outside the row's fields (a file's hash).
    func compare<T: Equatable>(_ name: String, stored: T?, incoming: T?) {
        guard kind == .sameEntity, let stored, let incoming, stored != incoming else { return }
        note(name, stored, incoming)
    }

    private func note(_ name: String, _ stored: Any, _ incoming: Any) {
        differences.append(ImportReport.FieldDifference(field: name, stored: Self.text(stored), incoming: Self.text(incoming)))
    }

    /// A value as the summary shows it: its text, cut at 60 characters.
    static func text(_ value: Any) -> String {
        let text: String
        if let value = value as? any RawRepresentable, let raw = value.rawValue as? String {
            text = raw
        } else {
            text = String(describing: value)
        }
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }
}

/// A stored row that evidence (not identity) says may be the same thing as a resource.
struct EvidenceMatch {
    let rowID: Int64
    /// What matched, for the summary: `identifier system|value`, `NPI …`, `name and birth date`.
    let matchedBy: String
    /// The content hash stored for the resource the row was made from, when the match was on that
    /// resource's own key (an earlier import's `Type/id`).
    var contentHash: String? = nil
}

/// The state of one import: the store, the index of sources, what was deferred, the report.
///
/// One session runs inside one `store.write` transaction; nothing it does is visible (or kept) if
/// the import fails.
final class ImportSession {
    let store: HealthStore
    let index: ImportProvenance
    let resolver: ReferenceResolver
    let attachments: AttachmentReader
    /// `--patient`: every patient reference of the input means this patient.
    let forcedPatientID: Int64?
    var isFirstPass = true
    var report = ImportReport()
    /// Links between results and the rows that name them from the other side (a report's
    /// results, a panel's members, a condition's staging), waiting for the result to be stored.
    let links = ResultLinks()
    /// The Medication resources read so far, for the medication resources that name them.
    let medicationDefinitions = MedicationDefinitions()
    /// The first Patient resource read under `--patient`, to refuse an input with several.
    var forcedPatientSource: (place: ImportPlace, keys: Set<String>, nameAndBirth: String?)?
    private var placeholderProviderID: Int64?
    /// Rows a resource of this input was recorded for: two resources of one input are never merged
    /// on evidence (they are two things, whatever identifiers they share).
    private var touched: [ImportedTable: RowIDSet] = [:]

    init(store: HealthStore, forcedPatientID: Int64?, scratchFolder: String) throws {
        self.store = store
        self.index = try store.importProvenance()
        self.resolver = ReferenceResolver(index: index, store: store)
        self.attachments = AttachmentReader(folder: scratchFolder)
        self.forcedPatientID = forcedPatientID
    }

    /// Finds the stored row for `resource` and makes it say what the resource says, or keeps the
    /// resource as a row of its own; records its source keys and counts the outcome.
    ///
    /// 1. **Identity**: `forced`, else the row made from the same place (`prior`) or the same
    ///    `urn:` fullUrl. That row takes the resource's values (`MatchKind.sameSource`): updated,
    ///    or unchanged when it already holds every one of them.
    /// 2. **phr UUID**: the row with the resource's UUID (a packet phr exported) only gains what it
    ///    lacks, unless their content disagrees: then both are kept (a conflict).
    /// 3. **Evidence**: the rows its identifiers or bare `Type/id` name, then `match` (name and
    ///    birth date, an NPI), leaving out rows this input has made or matched already (two
    ///    resources of one input are never merged on evidence). A match whose stored content hash
    ///    is the resource's is unchanged; one whose content agrees field for field is merged (the
    ///    row gains what it lacked); if every match disagrees, the resource is a **conflict**: it
    ///    becomes a row of its own and the report lists both sides and what differs.
    /// 4. Otherwise the row is created.
    ///
    /// `differs` says whether something outside the row's fields (a file) needs saving, and notes
    /// disagreements on it with `FieldMerge.compare`. `create` stores a new row and returns its id;
    /// the id of the row the resource went to is returned.
    @discardableResult
    func upsert<E: ImportedEntity>(
        _ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, table: ImportedTable,
        references: ResourceReferences,
        forced: Int64? = nil,
        load: (Int64) throws -> E?,
        match: () throws -> EvidenceMatch? = { nil },
        create: (_ uuid: String) throws -> Int64,
        merge: (inout E, FieldMerge) throws -> Void,
        differs: (E, FieldMerge) throws -> Bool = { _, _ in false },
        save: (E) throws -> E
    ) throws -> Int64 {
        var identity: (entity: E, kind: MatchKind)?
        if let forced {
            guard let entity = try load(forced) else {
                throw ImportError.badData(resource.place, "belongs to a row that is no longer in the store")
            }
            identity = (entity, .sameEntity)
        } else if let prior, prior.table == table, let entity = try load(prior.rowID) {
            identity = (entity, .sameSource)
        } else if let key = keys.fullUrlKey, let hit = try index.source(key), hit.table == table,
                  let entity = try load(hit.rowID) {
            identity = (entity, .sameSource)
        }
        if let identity {
            let merger = FieldMerge(kind: identity.kind)
            var changed = identity.entity
            try merge(&changed, merger)
            // Asked first, always: `differs` also says what `save` must do besides the row.
            let otherChange = try differs(identity.entity, merger)
            let result: E
            let outcome: ImportOutcome
            if changed != identity.entity || otherChange {
                result = try save(changed)
                outcome = .updated
            } else {
                // The same resource, and its row already holds every value it has.
                result = identity.entity
                outcome = .unchanged
            }
            try record(resource, keys: keys, table: table, rowID: result.id, references: references)
            report.count(resource.type, outcome)
            return result.id
        }

        var uuidTaken = false
        if let uuid = keys.uuid, let id = try index.rowID(table, uuid: uuid) {
            uuidTaken = true
            // A UUID is unique by construction: the row with it is the same thing (a packet phr
            // exported), kept from elsewhere, so it only gains; if its content disagrees, both are kept.
            if touched[table]?.contains(id) != true, let entity = try load(id) {
                let merger = FieldMerge(kind: .sameEntity)
                var changed = entity
                try merge(&changed, merger)
                let otherChange = try differs(entity, merger)
                if merger.differences.isEmpty {
                    let rowChanged = changed != entity || otherChange
                    let result = rowChanged ? try save(changed) : entity
                    try record(resource, keys: keys, table: table, rowID: result.id, references: references)
                    report.count(resource.type, rowChanged ? .updated : .unchanged)
                    return result.id
                }
                return try keepApart(resource, keys: keys, table: table, references: references, uuid: HealthStore.newUUID(),
                                     create: create, matched: EvidenceMatch(rowID: id, matchedBy: "phr UUID \(uuid)"),
                                     differences: merger.differences)
            }
        }

        var disagreeing: (match: EvidenceMatch, differences: [ImportReport.FieldDifference])?
        for candidate in try evidence(for: keys, table: table, match: match) {
            guard let entity = try load(candidate.rowID) else { continue }
            if candidate.contentHash == resource.contentHash {
                try record(resource, keys: keys, table: table, rowID: entity.id, references: references)
                report.count(resource.type, .unchanged)
                return entity.id
            }
            let merger = FieldMerge(kind: .sameEntity)
            var changed = entity
            try merge(&changed, merger)
            let fileChanged = try differs(entity, merger)
            if merger.differences.isEmpty {
                let result = changed != entity || fileChanged ? try save(changed) : entity
                try record(resource, keys: keys, table: table, rowID: result.id, references: references)
                report.count(resource.type, .merged)
                return result.id
            }
            if disagreeing == nil { disagreeing = (candidate, merger.differences) }
        }

        let uuid = keys.uuid.flatMap { uuidTaken ? nil : $0 } ?? HealthStore.newUUID()
        if let disagreeing {
            return try keepApart(resource, keys: keys, table: table, references: references, uuid: uuid, create: create,
                                 matched: disagreeing.match, differences: disagreeing.differences)
        }
        let rowID = try create(uuid)
        try record(resource, keys: keys, table: table, rowID: rowID, references: references)
        report.count(resource.type, .added)
        return rowID
    }

    /// Makes the row of a resource in conflict with the row it matched, and lists the conflict.
    private func keepApart(
        _ resource: IncomingResource, keys: SourceKeys, table: ImportedTable, references: ResourceReferences,
        uuid: String, create: (_ uuid: String) throws -> Int64, matched: EvidenceMatch,
        differences: [ImportReport.FieldDifference]
    ) throws -> Int64 {
        let rowID = try create(uuid)
        try record(resource, keys: keys, table: table, rowID: rowID, references: references)
        report.conflict(ImportReport.Conflict(
            type: resource.type, place: resource.place.description, matchedBy: matched.matchedBy,
            stored: "\(table.rowName) \(matched.rowID)", kept: "\(table.rowName) \(rowID)", differences: differences))
        return rowID
    }

    /// The rows of `table` that evidence names for a resource, most telling first, without rows
    /// this input has already made or matched.
    private func evidence(for keys: SourceKeys, table: ImportedTable, match: () throws -> EvidenceMatch?) throws -> [EvidenceMatch] {
        var found: [EvidenceMatch] = []
        func add(_ candidate: EvidenceMatch) {
            guard touched[table]?.contains(candidate.rowID) != true,
                  !found.contains(where: { $0.rowID == candidate.rowID }) else { return }
            found.append(candidate)
        }
        for key in keys.evidence {
            guard let hit = try index.source(key), hit.table == table else { continue }
            add(EvidenceMatch(rowID: hit.rowID, matchedBy: SourceKeys.evidenceDescription(key),
                              contentHash: hit.isResource ? hit.contentHash : nil))
        }
        if let candidate = try match() { add(candidate) }
        return found
    }

    /// Notes that a resource of this input stands for row `rowID`: no other resource of the
    /// input is merged into it on evidence.
    func touch(_ table: ImportedTable, _ rowID: Int64) {
        touched[table, default: RowIDSet()].insert(rowID)
    }

    /// Records the resource's source keys for row `rowID` and its unresolved references.
    func record(_ resource: IncomingResource, keys: SourceKeys, table: ImportedTable, rowID: Int64,
                references: ResourceReferences) throws {
        touch(table, rowID)
        resolver.forget(keys.primary)
        try index.recordResource(keys.primary, type: resource.type, table: table, rowID: rowID,
                                 contentHash: resource.contentHash, unresolved: references.unresolvedText)
        for alias in keys.aliases {
            resolver.forget(alias)
            try index.recordAlias(alias, type: resource.type, table: table, rowID: rowID)
        }
        report.noteUnresolved(resource.place, references.unresolved)
    }

    /// The provider that stands in when an appointment or opinion names none that phr has: one
    /// "Unknown provider" row, made once and found again by later imports.
    func placeholderProvider() throws -> Int64 {
        if let placeholderProviderID { return placeholderProviderID }
        let key = "urn:phr:import:unknown-provider"
        let id: Int64
        if let hit = try index.source(key), hit.table == .providers {
            id = hit.rowID
        } else {
            let provider = try store.addProvider(Provider(name: "Unknown provider",
                                                          notes: "Stands in where imported data named no provider phr could find.",
                                                          uuid: HealthStore.newUUID()))
            try index.recordResource(key, type: "Practitioner", table: .providers, rowID: provider.id,
                                     contentHash: String(repeating: "0", count: 64), unresolved: nil)
            id = provider.id
        }
        placeholderProviderID = id
        report.usedPlaceholderProvider = true
        return id
    }
}

/// The references of one resource, resolved one by one; those that name nothing phr has are kept
/// as `field: reference` text.
///
/// In the first pass, a reference to a type phr imports that is not (yet) in the store throws
/// `ImportDeferral`, so the resource is read again after everything else.
final class ResourceReferences {
    /// Where the resource was read, for errors.
    let place: ImportPlace
    /// What its relative references are read against (`SourceKeys.base`).
    let base: String?
    unowned let session: ImportSession
    private(set) var unresolved: [String] = []

    /// Keeps only the two values it needs of `resource` and `keys`: a copy of a resource (or of
    /// its keys) retains each of their fields, which the parsing thread made, and releases them
    /// again; for every resource, on the thread that stores.
    init(_ resource: borrowing IncomingResource, keys: borrowing SourceKeys, session: ImportSession) {
        place = resource.place
        base = keys.base
        self.session = session
    }

    var unresolvedText: String? { unresolved.isEmpty ? nil : unresolved.joined(separator: "\n") }

    /// The row `reference` names among `accepting`, or `nil` (noted as unresolved).
    func row(_ reference: FHIRReference?, field: String, accepting: Set<ImportedTable>) throws -> ResolvedRow? {
        guard let reference else { return nil }
        let resolver = session.resolver
        if let literal = reference.reference, let row = resolver.cachedRow(literal: literal, base: base),
           accepting.contains(row.table) {
            return row
        }
        let target = resolver.target(of: reference, base: base, accepting: accepting)
        if !target.keys.isEmpty || target.uuid != nil || target.providerIdentifier != nil,
           let row = try resolver.resolve(target, accepting: accepting) {
            if let literal = reference.reference { resolver.remember(row, literal: literal, base: base) }
            return row
        }
        if session.isFirstPass, !target.keys.isEmpty, Self.mayArriveLater(target.type, accepting: accepting) {
            throw ImportDeferral()
        }
        // A patient where a provider is asked for (the patient who answered a questionnaire or
        // reported their own medicine) names someone phr has, just not a provider: not unresolved.
        if !accepting.contains(.patients), target.type == "Patient", !target.keys.isEmpty || target.uuid != nil,
           try resolver.resolve(target, accepting: [.patients]) != nil {
            return nil
        }
        unresolved.append("\(field): \(reference.text)")
        return nil
    }

    /// Keeps `reference` as one that named nothing phr has (one resolved outside the store, such
    /// as a Medication).
    func noteUnresolved(_ reference: FHIRReference, field: String) {
        unresolved.append("\(field): \(reference.text)")
    }

    /// The first of `references` that resolves.
    func firstRow(_ references: [FHIRReference], field: String, accepting: Set<ImportedTable>) throws -> ResolvedRow? {
        var found: ResolvedRow?
        for reference in references where found == nil {
            found = try row(reference, field: field, accepting: accepting)
        }
        return found
    }

    /// The patient a resource is about: `--patient` when given, else the patient `reference` names.
    /// A resource about no patient phr can find cannot be imported.
    func patient(_ reference: FHIRReference?, field: String) throws -> Int64 {
        if let forced = session.forcedPatientID { return forced }
        guard let reference else {
            throw ImportError.badData(place, "has no \(field); pass --patient NAME|ID to import it for a patient of the store")
        }
        if let row = try row(reference, field: field, accepting: [.patients]) { return row.id }
        unresolved.removeLast()
        throw ImportError.badData(place, "\(field) refers to a patient that is neither in the input nor in the store; import the Patient too, or pass --patient NAME|ID")
    }

    /// Could a resource of `type` still come, so that waiting for the second pass helps?
    private static func mayArriveLater(_ type: String?, accepting: Set<ImportedTable>) -> Bool {
        guard let type else { return true }
        guard let table = ImportedTypes.type(named: type)?.table else { return false }
        return accepting.contains(table)
    }
}
