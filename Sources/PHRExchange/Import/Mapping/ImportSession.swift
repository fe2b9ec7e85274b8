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

/// How a stored row was found for a resource.
enum MatchKind {
    /// The row was made from this very resource (same source key) by an earlier import.
    case sameSource
    /// The row is the same entity from elsewhere: same identifier, phr UUID, or (patients) name
    /// and birth date, or the patient named by `--patient`.
    case sameEntity
}

/// Assigns a resource's values to a stored row. A row made from this resource takes every value
/// (an absent value clears the field: the source removed it); a row from elsewhere keeps what it
/// has and only gains what it lacks, so that importing never overwrites what the patient typed.
struct FieldMerge {
    let kind: MatchKind

    func required<T>(_ field: inout T, _ value: T) {
        if kind == .sameSource { field = value }
    }

    func optional<T>(_ field: inout T?, _ value: T?) {
        switch kind {
        case .sameSource: field = value
        case .sameEntity: if field == nil { field = value }
        }
    }
}

/// The state of one import: the store, the index of sources, what was deferred, the report.
///
/// One session runs inside one `store.write` transaction; nothing it does is visible (or kept) if
/// the import fails.
final class ImportSession {
    let store: HealthStore
    let index: SourceIndex
    let resolver: ReferenceResolver
    let attachments: AttachmentReader
    /// `--patient`: every patient reference of the input means this patient.
    let forcedPatientID: Int64?
    var isFirstPass = true
    var report = ImportReport()
    /// The first Patient resource read under `--patient`, to refuse an input with several.
    var forcedPatientSource: (place: ImportPlace, keys: Set<String>, nameAndBirth: String?)?
    private var placeholderProviderID: Int64?

    init(store: HealthStore, forcedPatientID: Int64?, scratchFolder: String) {
        self.store = store
        let now = Timestamp.now()
        self.index = SourceIndex(database: store.database, now: now)
        self.resolver = ReferenceResolver(index: index, database: store.database)
        self.attachments = AttachmentReader(folder: scratchFolder)
        self.forcedPatientID = forcedPatientID
    }

    /// Finds the stored row for `resource` (`forced`, else by its source, its aliases, its UUID,
    /// then `match`), merges the resource's values into it (saving it when they, or `differs`,
    /// say it changed) or creates it, records its source keys, and counts the outcome.
    @discardableResult
    func upsert<E: ImportedEntity>(
        _ resource: IncomingResource, keys: SourceKeys, prior: IndexHit?, table: EntityTable,
        references: ResourceReferences,
        forced: Int64? = nil,
        load: (Int64) throws -> E?,
        match: () throws -> Int64? = { nil },
        create: (_ uuid: String) throws -> E,
        merge: (inout E, FieldMerge) throws -> Void,
        differs: (E, MatchKind) throws -> Bool = { _, _ in false },
        save: (E) throws -> E
    ) throws -> E {
        var found: (entity: E, kind: MatchKind)?
        if let forced {
            guard let entity = try load(forced) else {
                throw ImportError.badData(resource.place, "belongs to a row that is no longer in the store")
            }
            found = (entity, .sameEntity)
        } else if let prior, prior.table == table, let entity = try load(prior.rowID) {
            found = (entity, .sameSource)
        }
        if found == nil {
            for alias in keys.aliases {
                if let hit = try index.hit(alias), hit.table == table, let entity = try load(hit.rowID) {
                    found = (entity, .sameEntity)
                    break
                }
            }
        }
        if found == nil, let uuid = keys.uuid, let id = try index.rowID(table, uuid: uuid), let entity = try load(id) {
            found = (entity, .sameEntity)
        }
        if found == nil, let id = try match(), let entity = try load(id) {
            found = (entity, .sameEntity)
        }
        let result: E
        let outcome: ImportOutcome
        if let found {
            var changed = found.entity
            try merge(&changed, FieldMerge(kind: found.kind))
            if try changed != found.entity || differs(found.entity, found.kind) {
                result = try save(changed)
                outcome = .updated
            } else {
                result = found.entity
                outcome = .unchanged
            }
        } else {
            result = try create(keys.uuid ?? RandomUUID.make())
            outcome = .added
        }
        try record(resource, keys: keys, table: table, rowID: result.id, references: references)
        report.count(resource.type, outcome)
        return result
    }

    /// Records the resource's source keys for row `rowID` and its unresolved references.
    func record(_ resource: IncomingResource, keys: SourceKeys, table: EntityTable, rowID: Int64,
                references: ResourceReferences) throws {
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
        if let hit = try index.hit(key), hit.table == .providers {
            id = hit.rowID
        } else {
            let provider = try store.addProvider(Provider(name: "Unknown provider",
                                                          notes: "Stands in where imported data named no provider phr could find.",
                                                          uuid: RandomUUID.make()))
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
    let resource: IncomingResource
    let keys: SourceKeys
    unowned let session: ImportSession
    private(set) var unresolved: [String] = []

    init(_ resource: IncomingResource, keys: SourceKeys, session: ImportSession) {
        self.resource = resource
        self.keys = keys
        self.session = session
    }

    var unresolvedText: String? { unresolved.isEmpty ? nil : unresolved.joined(separator: "\n") }

    /// The row `reference` names among `accepting`, or `nil` (noted as unresolved).
    func row(_ reference: FHIRReference?, field: String, accepting: Set<EntityTable>) throws -> ResolvedRow? {
        guard let reference else { return nil }
        let resolver = session.resolver
        if let literal = reference.reference, let row = resolver.cachedRow(literal: literal, base: keys.base),
           accepting.contains(row.table) {
            return row
        }
        let target = resolver.target(of: reference, base: keys.base, accepting: accepting)
        if !target.keys.isEmpty || target.uuid != nil || target.providerIdentifier != nil,
           let row = try resolver.resolve(target, accepting: accepting) {
            if let literal = reference.reference { resolver.remember(row, literal: literal, base: keys.base) }
            return row
        }
        if session.isFirstPass, !target.keys.isEmpty, Self.mayArriveLater(target.type, accepting: accepting) {
            throw ImportDeferral()
        }
        unresolved.append("\(field): \(reference.text)")
        return nil
    }

    /// The first of `references` that resolves.
    func firstRow(_ references: [FHIRReference], field: String, accepting: Set<EntityTable>) throws -> ResolvedRow? {
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
            throw ImportError.badData(resource.place, "has no \(field); pass --patient NAME|ID to import it for a patient of the store")
        }
        if let row = try row(reference, field: field, accepting: [.patients]) { return row.id }
        unresolved.removeLast()
        throw ImportError.badData(resource.place, "\(field) refers to a patient that is neither in the input nor in the store; import the Patient too, or pass --patient NAME|ID")
    }

    /// Could a resource of `type` still come, so that waiting for the second pass helps?
    private static func mayArriveLater(_ type: String?, accepting: Set<EntityTable>) -> Bool {
        guard let type else { return true }
        guard let table = EntityTable.of(resourceType: type) else { return false }
        return accepting.contains(table)
    }
}

/// New version-4 UUIDs, lowercase, from the system's random source.
///
/// Foundation's `UUID()` opens, reads and closes /dev/urandom for every UUID on Linux, which cost
/// more than storing the row it names; these take 256 random bytes at a time (`getentropy`).
enum RandomUUID {
    private nonisolated(unsafe) static var pool = [UInt8](repeating: 0, count: 256)
    private nonisolated(unsafe) static var used = 256
    private static let lock = NSLock()

    static func make() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        lock.lock()
        if used == pool.count {
            let filled = pool.withUnsafeMutableBytes { getentropy($0.baseAddress, $0.count) }
            if filled != 0 {
                // getentropy cannot fail for 256 bytes on a working system; fall back regardless.
                var generator = SystemRandomNumberGenerator()
                for index in pool.indices { pool[index] = generator.next() }
            }
            used = 0
        }
        for index in 0..<16 { bytes[index] = pool[used + index] }
        used += 16
        lock.unlock()
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let digits = Array(ContentHash.hex(bytes).utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, digit) in digits.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append(UInt8(ascii: "-")) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }
}
