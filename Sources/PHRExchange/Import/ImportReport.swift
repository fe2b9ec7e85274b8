/// What one import did (or, in a dry run, would do): per resource type, how many resources were
/// added, updated, unchanged and skipped, and the references that pointed to nothing.
///
/// Memory stays bounded: counts are per type, and at most `unresolvedListLimit` unresolved
/// references are listed (all are counted).
public struct ImportReport: Sendable {
    /// Counts for one resource type.
    public struct Counts: Sendable, Hashable {
        public var added = 0
        public var updated = 0
        /// Read before and unchanged since, or matching an existing row field for field.
        public var unchanged = 0
        /// Not imported: a type phr does not keep, or a resource missing what phr needs.
        public var skipped = 0

        public var total: Int { added + updated + unchanged + skipped }

        public init() {}
    }

    /// A reference that resolved to nothing in the input or the store: kept as text with the row
    /// (`import_sources.unresolved`).
    public struct UnresolvedReference: Sendable, Hashable {
        /// Where the resource was read, e.g. `Condition.ndjson:12 (Condition/c1)`.
        public let place: String
        /// `asserter: Practitioner/999`.
        public let reference: String
    }

    public static let unresolvedListLimit = 1_000

    public internal(set) var byType: [String: Counts] = [:]
    /// Why resources were skipped, with how many: `Observation: not a type phr imports`.
    public internal(set) var skipReasons: [String: Int] = [:]
    public internal(set) var unresolved: [UnresolvedReference] = []
    public internal(set) var unresolvedCount = 0
    /// Files read.
    public internal(set) var files = 0
    /// True when nothing was written (`--dry-run`).
    public internal(set) var dryRun = false
    /// True when a provider "Unknown provider" stands in for appointments or opinions whose
    /// provider was not given or not found.
    public internal(set) var usedPlaceholderProvider = false

    public init() {}

    public var totals: Counts {
        byType.values.reduce(into: Counts()) { sum, counts in
            sum.added += counts.added
            sum.updated += counts.updated
            sum.unchanged += counts.unchanged
            sum.skipped += counts.skipped
        }
    }

    /// Resource types in a stable order: imported ones first, in import order, then the others.
    public var types: [String] {
        byType.keys.sorted { (ResourceOrder.rank(of: $0), $0) < (ResourceOrder.rank(of: $1), $1) }
    }

    mutating func count(_ type: String, _ outcome: ImportOutcome, times: Int = 1) {
        switch outcome {
        case .added: byType[type, default: Counts()].added += times
        case .updated: byType[type, default: Counts()].updated += times
        case .unchanged: byType[type, default: Counts()].unchanged += times
        case .skipped(let reason):
            byType[type, default: Counts()].skipped += times
            skipReasons["\(type): \(reason)", default: 0] += times
        }
    }

    mutating func noteUnresolved(_ place: ImportPlace, _ references: [String]) {
        for reference in references {
            unresolvedCount += 1
            if unresolved.count < Self.unresolvedListLimit {
                unresolved.append(UnresolvedReference(place: place.description, reference: reference))
            }
        }
    }
}

/// What became of one resource.
enum ImportOutcome: Equatable {
    case added, updated, unchanged
    case skipped(String)
}
