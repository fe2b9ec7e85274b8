/// What one import did (or, in a dry run, would do): per resource type, how many resources were
/// read, added, updated, unchanged, skipped and in conflict; the conflicts, the resources phr maps
/// but could not store, and the references that pointed to nothing.
///
/// The counts add up: for every type, `read` = added + updated + unchanged + skipped + conflicts
/// (`Counts.addsUp`). Memory stays bounded: counts are per type, and at most `listLimit` items of
/// each list are kept (all are counted).
public struct ImportReport: Sendable {
    /// Counts for one resource type.
    public struct Counts: Sendable, Hashable {
        /// Resources of the type in the input, each counted once (however often it was read).
        public var read = 0
        public var added = 0
        /// A row changed: its source's content changed, or a resource from elsewhere with the same
        /// identifier and agreeing content was merged into it (`merged`).
        public var updated = 0
        /// The same resource as before (same place, `urn:` fullUrl or phr UUID): its content hash
        /// is the one stored for it, or its row already holds every value it has. Nothing to do.
        /// A resource matched only on evidence (an identifier) is never unchanged unless its
        /// content hash is the one stored.
        public var unchanged = 0
        /// Not stored: a type phr does not keep, or a resource phr maps but cannot store (each one
        /// listed in `notStored`). An OperationOutcome is read for its issues (`serverIssues`) and
        /// counted here: it is the server's message, never a row.
        public var skipped = 0
        /// Matched a row by identifier (or other evidence) but its content disagrees: kept as a row
        /// of its own, beside the one it matched (each one listed in `conflicts`).
        public var conflicts = 0
        /// Of `updated`: resources from elsewhere merged into a row they agree with.
        public var merged = 0

        /// What became of the resources read, counted by outcome.
        public var accounted: Int { added + updated + unchanged + skipped + conflicts }

        /// True when every resource read has exactly one outcome.
        public var addsUp: Bool { read == accounted }

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

    /// One field on which a resource and the row it matched disagree.
    public struct FieldDifference: Sendable, Hashable {
        public let field: String
        /// The row's value, as text.
        public let stored: String
        /// The resource's value, as text.
        public let incoming: String
    }

    /// A resource that matched a stored row by evidence (an identifier, an NPI, its bare
    /// `Type/id`, a phr UUID, or a patient's name and birth date) whose content disagrees: both
    /// are kept.
    public struct Conflict: Sendable, Hashable {
        public let type: String
        /// Where the resource was read.
        public let place: String
        /// What matched, e.g. `identifier urn:ietf:rfc:3986|urn:oid:1.2.3`.
        public let matchedBy: String
        /// The row it matched, e.g. `record 12`.
        public let stored: String
        /// The row the resource was kept as, e.g. `record 13` (in a dry run, the row it would be).
        public let kept: String
        public let differences: [FieldDifference]
    }

    /// A resource of a type phr imports that it could not store, and why.
    public struct NotStored: Sendable, Hashable {
        public let place: String
        public let reason: String
    }

    public static let listLimit = 1_000

    public internal(set) var byType: [String: Counts] = [:]
    /// Why resources were skipped, with how many: `Observation: not a type phr imports`.
    public internal(set) var skipReasons: [String: Int] = [:]
    public internal(set) var unresolved: [UnresolvedReference] = []
    public internal(set) var unresolvedCount = 0
    public internal(set) var conflicts: [Conflict] = []
    public internal(set) var conflictCount = 0
    public internal(set) var notStored: [NotStored] = []
    public internal(set) var notStoredCount = 0
    /// Files read.
    public internal(set) var files = 0
    /// True when nothing was written (`--dry-run`).
    public internal(set) var dryRun = false
    /// True when a provider "Unknown provider" stands in for appointments or opinions whose
    /// provider was not given or not found.
    public internal(set) var usedPlaceholderProvider = false
    /// Appointments kept with their time unknown (an Encounter or Appointment without a start).
    public internal(set) var appointmentsWithoutTime = 0
    /// C-CDA documents read.
    public internal(set) var documents = 0
    /// What the C-CDA documents held, by section phr maps (`Problems`, …): sections, entries read,
    /// resources made from them (each then counted by type above).
    public internal(set) var documentSections: [String: CCDASectionCounts] = [:]
    /// Entries of the sections phr maps that made nothing, with where and why, in the order read
    /// (at most `listLimit`); `entriesNotReadCount` counts them all.
    public internal(set) var entriesNotRead: [CCDAEntryNotRead] = []
    public internal(set) var entriesNotReadCount = 0
    /// Sections phr does not map, as `title (LOINC code)`, with how many: skipped.
    public internal(set) var unmappedSections: [String: Int] = [:]
    /// Files found in folders and zips that phr does not read, with why.
    public internal(set) var unreadFiles: [UnreadFile] = []
    /// Bundles that are one page of a search: the server has more results, which the input does
    /// not hold (at most `listLimit`, in the order of their places).
    public internal(set) var pagedBundles: [PagedBundle] = []
    /// All such bundles, listed or not.
    public internal(set) var pagedBundleCount = 0

    /// What servers said in the input's OperationOutcomes, each distinct issue (severity and
    /// words) once, in the order first read (at most `listLimit`).
    public internal(set) var serverIssues: [ServerIssue] = []
    /// Every issue read, repeats included.
    public internal(set) var serverIssueCount = 0
    private var serverIssueIndex: [String: Int] = [:]

    /// One issue of an OperationOutcome: the server's words about its export ("Some results were
    /// filtered for privacy"), one line, at most `OutcomeIssues.textLimit` characters.
    public struct ServerIssue: Sendable, Hashable {
        /// FHIR's issue severities, most severe first.
        public enum Severity: String, Sendable, CaseIterable {
            case fatal, error, warning, information
        }

        public let severity: Severity
        public let text: String
        /// Where it was first read.
        public let place: String
        /// How often it was read (a server repeats it on every page).
        public internal(set) var times: Int
    }

    /// `serverIssues`, most severe first (else in the order read).
    public var serverIssuesBySeverity: [ServerIssue] {
        let rank = Dictionary(uniqueKeysWithValues: ServerIssue.Severity.allCases.enumerated().map { ($1, $0) })
        return serverIssues.enumerated()
            .sorted { (rank[$0.element.severity] ?? 0, $0.offset) < (rank[$1.element.severity] ?? 0, $1.offset) }
            .map(\.element)
    }

    mutating func noteServerIssues(_ issues: [(severity: ServerIssue.Severity, text: String)], at place: ImportPlace) {
        for issue in issues {
            serverIssueCount += 1
            let key = "\(issue.severity.rawValue)\n\(issue.text)"
            if let index = serverIssueIndex[key] {
                serverIssues[index].times += 1
            } else if serverIssues.count < Self.listLimit {
                serverIssueIndex[key] = serverIssues.count
                serverIssues.append(ServerIssue(severity: issue.severity, text: issue.text, place: place.description, times: 1))
            }
        }
    }

    /// A bundle whose `link` names a `next` page: one page of a search, whose other pages were not
    /// downloaded. The next page's URL is not kept: a search URL's query may name the patient
    /// (`patient=`, `name=`, `birthdate=`, an MRN), and the summary is shown and pasted freely.
    public struct PagedBundle: Sendable, Hashable {
        /// Where it was read: the file as given, or the entry or line holding it.
        public let place: String
        /// The matches the server said the search found (`Bundle.total`), when it said.
        public let total: Int?
    }

    /// A file of a folder or zip that phr did not read.
    public struct UnreadFile: Sendable, Hashable {
        public let path: String
        public let reason: String
    }

    /// The sections of `documentSections` in the order of phr's registry of sections.
    public var sectionNames: [String] {
        CCDASection.allCases.map(\.rawValue).filter { documentSections[$0] != nil }
    }

    mutating func add(_ conversion: CCDAConversion) {
        documents += 1
        for (name, counts) in conversion.sections {
            var total = documentSections[name] ?? CCDASectionCounts()
            total.sections += counts.sections
            total.entries += counts.entries
            total.resources += counts.resources
            total.entriesNotRead += counts.entriesNotRead
            entriesNotReadCount += counts.entriesNotRead
            documentSections[name] = total
        }
        entriesNotRead += conversion.entriesNotRead.prefix(Self.listLimit - entriesNotRead.count)
        for (name, count) in conversion.unmapped { unmappedSections[name, default: 0] += count }
    }

    public init() {}

    public var totals: Counts {
        byType.values.reduce(into: Counts()) { sum, counts in
            sum.read += counts.read
            sum.added += counts.added
            sum.updated += counts.updated
            sum.unchanged += counts.unchanged
            sum.skipped += counts.skipped
            sum.conflicts += counts.conflicts
            sum.merged += counts.merged
        }
    }

    /// The types whose counts do not add up (a fault of phr's, never of the input).
    public var typesNotAddingUp: [String] {
        types.filter { byType[$0]?.addsUp == false }
    }

    /// Resource types in a stable order: imported ones first, in import order, then the others.
    public var types: [String] {
        byType.keys.sorted { (ResourceOrder.rank(of: $0), $0) < (ResourceOrder.rank(of: $1), $1) }
    }

    mutating func read(_ type: String, times: Int = 1) {
        byType[type, default: Counts()].read += times
    }

    mutating func count(_ type: String, _ outcome: ImportOutcome, times: Int = 1) {
        switch outcome {
        case .added: byType[type, default: Counts()].added += times
        case .updated: byType[type, default: Counts()].updated += times
        case .merged:
            byType[type, default: Counts()].updated += times
            byType[type, default: Counts()].merged += times
        case .unchanged: byType[type, default: Counts()].unchanged += times
        case .skipped(let reason):
            byType[type, default: Counts()].skipped += times
            skipReasons["\(type): \(reason)", default: 0] += times
        case .conflict: byType[type, default: Counts()].conflicts += times
        }
    }

    /// Counts a resource phr maps but cannot store as skipped, and lists it with the reason.
    mutating func notStored(_ type: String, _ place: ImportPlace, reason: String) {
        count(type, .skipped(reason))
        notStoredCount += 1
        if notStored.count < Self.listLimit { notStored.append(NotStored(place: place.description, reason: reason)) }
    }

    mutating func conflict(_ conflict: Conflict) {
        count(conflict.type, .conflict)
        conflictCount += 1
        if conflicts.count < Self.listLimit { conflicts.append(conflict) }
    }

    mutating func noteUnresolved(_ place: ImportPlace, _ references: [String]) {
        for reference in references {
            unresolvedCount += 1
            if unresolved.count < Self.listLimit {
                unresolved.append(UnresolvedReference(place: place.description, reference: reference))
            }
        }
    }
}

/// What became of one resource.
enum ImportOutcome: Equatable {
    case added, updated, unchanged, conflict
    /// Merged into a row from elsewhere whose content agrees (counted as updated).
    case merged
    case skipped(String)
}
