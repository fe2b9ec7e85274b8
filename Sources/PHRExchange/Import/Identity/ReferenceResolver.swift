import Foundation
import PHRStore

/// A row a reference resolved to.
struct ResolvedRow {
    let table: ImportedTable
    let id: Int64
}

/// Resolves FHIR references to rows of the store, through the keys of `import_sources` (this
/// import's resources and earlier imports' alike) and the rows' own UUIDs.
///
/// Understands: relative (`Patient/123`, against the resource's server base when it has one, then
/// as written), absolute (`https://host/fhir/Patient/123`), versioned (`…/_history/2`),
/// `urn:uuid:` (also a phr UUID of a row already in the store), conditional
/// (`Practitioner?identifier=system|value`, `?identifier=value`; for providers also a provider
/// whose identifier is that value), and logical references (`Reference.identifier`). A reference
/// to a contained resource (`#id`), one with other search parameters, or a display alone resolves
/// to nothing.
///
/// Keys resolved once are remembered (at most `cacheLimit` of them), since thousands of resources
/// refer to the same patient and practitioners; a key is forgotten when it is recorded again.
final class ReferenceResolver {
    let index: ImportProvenance
    let store: HealthStore
    private var cache: [String: ResolvedRow] = [:]
    /// Rows found for a literal reference as written (with the base it was read against), so that
    /// the thousandth `Patient/123` costs one dictionary lookup.
    private var literalCache: [Literal: ResolvedRow] = [:]
    /// A literal reference and the base it was read against: the two strings as they are (joining
    /// them cost more than the lookup).
    private struct Literal: Hashable {
        let base: String?
        let reference: String
    }
    static let cacheLimit = 100_000

    init(index: ImportProvenance, store: HealthStore) {
        self.index = index
        self.store = store
    }

    func forget(_ key: String) {
        if !cache.isEmpty, cache.removeValue(forKey: key) != nil { literalCache.removeAll() }
    }

    /// The row a literal reference resolved to before, read against `base`.
    func cachedRow(literal: String, base: String?) -> ResolvedRow? {
        literalCache[Literal(base: base, reference: literal)]
    }

    func remember(_ row: ResolvedRow, literal: String, base: String?) {
        if literalCache.count >= Self.cacheLimit { literalCache.removeAll(keepingCapacity: true) }
        literalCache[Literal(base: base, reference: literal)] = row
    }

    /// What a reference names before it is looked up.
    struct Target {
        /// Keys to look up, in order.
        var keys: [String] = []
        /// A UUID to look for in the rows' own `uuid` column.
        var uuid: String?
        /// A provider identifier value to look for in `providers.identifier`.
        var providerIdentifier: String?
        /// The resource type named, when the reference says it.
        var type: String?
    }

    func target(of reference: FHIRReference, base: String?, accepting: Set<ImportedTable>) -> Target {
        var target = Target()
        if let literal = reference.reference.map(SourceKeys.withoutHistory) {
            if literal.hasPrefix("#") { return target }
            if literal.hasPrefix("urn:") {
                target.keys = [literal]
                target.uuid = SourceKeys.uuid(in: literal)
                target.type = reference.type
            } else if let question = literal.firstIndex(of: "?") {
                let type = String(literal[..<question])
                target.type = type
                guard let value = Self.identifierParameter(String(literal[literal.index(after: question)...])) else {
                    return target
                }
                let identifier: FHIRIdentifier
                if let bar = value.firstIndex(of: "|") {
                    let system = String(value[..<bar])
                    identifier = FHIRIdentifier(system: system.isEmpty ? nil : system, value: String(value[value.index(after: bar)...]))
                } else {
                    identifier = FHIRIdentifier(system: nil, value: value)
                }
                target.keys = [SourceKeys.identifierKey(type: type, identifier)]
                target.providerIdentifier = identifier.value
            } else if SourceKeys.isAbsoluteURL(literal) {
                target.keys = [literal]
                let parts = literal.split(separator: "/")
                if parts.count >= 2 {
                    target.type = String(parts[parts.count - 2])
                    target.uuid = SourceKeys.uuid(in: String(parts[parts.count - 1]))
                }
            } else {
                let parts = literal.split(separator: "/")
                if parts.count == 2 {
                    target.type = String(parts[0])
                    target.uuid = SourceKeys.uuid(in: String(parts[1]))
                }
                if let base { target.keys.append("\(base)/\(literal)") }
                target.keys.append(literal)
            }
        } else if let identifier = reference.identifier {
            let types = reference.type.map { [$0] } ?? Self.resourceTypes(for: accepting)
            target.keys = types.map { SourceKeys.identifierKey(type: $0, identifier) }
            target.type = reference.type
            target.providerIdentifier = identifier.value
        }
        return target
    }

    /// The row `target` names among `accepting` tables, if any.
    func resolve(_ target: Target, accepting: Set<ImportedTable>) throws -> ResolvedRow? {
        for key in target.keys {
            if let row = cache[key] {
                if accepting.contains(row.table) { return row }
                continue
            }
            if let hit = try index.source(key) {
                let row = ResolvedRow(table: hit.table, id: hit.rowID)
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[key] = row
                if accepting.contains(hit.table) { return row }
            }
        }
        if let uuid = target.uuid {
            for table in ImportedTable.allCases where accepting.contains(table) {
                if let id = try index.rowID(table, uuid: uuid) { return ResolvedRow(table: table, id: id) }
            }
        }
        if let value = target.providerIdentifier, accepting.contains(.providers) {
            let ids = try store.providerIDs(identifier: value)
            if ids.count == 1 { return ResolvedRow(table: .providers, id: ids[0]) }
        }
        return nil
    }

    /// The value of the only search parameter, `identifier`, percent-decoded; `nil` for other
    /// searches.
    static func identifierParameter(_ query: String) -> String? {
        let parameters = query.split(separator: "&")
        guard parameters.count == 1, parameters[0].hasPrefix("identifier=") else { return nil }
        let raw = String(parameters[0].dropFirst("identifier=".count))
        let value = raw.removingPercentEncoding ?? raw
        return value.isEmpty ? nil : value
    }

    static func resourceTypes(for tables: Set<ImportedTable>) -> [String] {
        ImportedTypes.all.filter { tables.contains($0.table) }.map(\.name)
    }
}
