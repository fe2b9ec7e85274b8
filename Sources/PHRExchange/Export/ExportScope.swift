import PHRStore

/// What goes into a packet: whose record, which diagnoses, which dates, for whom, and whether the
/// record files themselves travel with it.
///
/// How each kind is scoped (`PacketContents.gather` applies it):
/// - by diagnosis: opinions, appointments, records, results and procedures linked to a diagnosis
///   left out are left out, and so are unlinked ones (as records always were), except a result
///   that belongs to a report in the packet. Medications linked to a diagnosis left out are left
///   out; unlinked ones stay, since a new doctor must know every drug the patient takes.
///   Allergies, immunizations and family history concern no diagnosis and are not limited by it;
/// - by date: opinions (given), appointments (start), records (recorded), results (observed),
///   procedures (performed: the period, when it lasted), medications (taken: from the start to
///   the end, or to now while current) and immunizations (given) in the period; allergies,
///   diagnoses and family history are context and not limited by date (a relative's cancer
///   matters to a new doctor whenever it was written down).
public struct ExportScope: Sendable, Hashable {
    public var patientID: Int64
    /// Only these diagnoses and what is linked to them; all when empty.
    public var diagnosisIDs: [Int64]
    /// Only what is dated in this period (a date whose period overlaps it counts: a record dated
    /// `2026` is in `--since 2026-05`). Undated things are left out when a limit is set.
    public var since: PartialDate?
    public var until: PartialDate?
    /// The receiving provider: named on the cover and in the sharing log.
    public var recipientID: Int64?
    /// Whether the record files are copied into the packet (`--no-files` turns this off).
    public var includeFiles: Bool
    /// Whether the patient's own notes go into summary.html (`--include-notes`); private by default.
    public var includeNotes: Bool

    public init(patientID: Int64, diagnosisIDs: [Int64] = [], since: PartialDate? = nil, until: PartialDate? = nil,
                recipientID: Int64? = nil, includeFiles: Bool = true, includeNotes: Bool = false) {
        self.patientID = patientID
        self.diagnosisIDs = diagnosisIDs
        self.since = since
        self.until = until
        self.recipientID = recipientID
        self.includeFiles = includeFiles
        self.includeNotes = includeNotes
    }

    /// Whether something dated `date` is in the period. Undated things are in it only when no
    /// limit is set.
    public func includes(_ date: PartialDate?) -> Bool {
        guard since != nil || until != nil else { return true }
        guard let date else { return false }
        if let since, Self.lastDay(of: date) < Self.firstDay(of: since) { return false }
        if let until, Self.firstDay(of: date) > Self.lastDay(of: until) { return false }
        return true
    }

    /// Whether something that lasted from `start` to `end` overlaps the period. With no end, it
    /// lasted to now when `ongoing` (a medication still taken), else it was one date. Undated
    /// things are in only when no limit is set.
    public func includes(from start: PartialDate?, until end: PartialDate?, ongoing: Bool) -> Bool {
        guard since != nil || until != nil else { return true }
        guard let start else { return false }
        if let until, Self.firstDay(of: start) > Self.lastDay(of: until) { return false }
        if let since {
            if let end { return Self.lastDay(of: end) >= Self.firstDay(of: since) }
            return ongoing || Self.lastDay(of: start) >= Self.firstDay(of: since)
        }
        return true
    }

    /// Whether the packet leaves anything out: some diagnoses, or a date limit.
    public var isLimited: Bool { !diagnosisIDs.isEmpty || since != nil || until != nil }

    /// True when `since` comes after `until`, so no date can be in the period.
    public var periodIsEmpty: Bool {
        guard let since, let until else { return false }
        return Self.firstDay(of: since) > Self.lastDay(of: until)
    }

    /// The scope in a few words, for the sharing log and the cover.
    public var summary: String {
        var parts: [String] = []
        parts.append(diagnosisIDs.isEmpty ? "all diagnoses" :
                        (diagnosisIDs.count == 1 ? "diagnosis " : "diagnoses ") + diagnosisIDs.map(String.init).joined(separator: ", "))
        if let since { parts.append("since \(since)") }
        if let until { parts.append("until \(until)") }
        if !includeFiles { parts.append("without files") }
        if includeNotes { parts.append("with notes") }
        return parts.joined(separator: "; ")
    }

    private static func firstDay(of date: PartialDate) -> (Int, Int, Int) {
        (date.year, date.month ?? 1, date.day ?? 1)
    }

    // 31 for every month is enough to compare: no real day lies between a month's end and the 31st.
    private static func lastDay(of date: PartialDate) -> (Int, Int, Int) {
        (date.year, date.month ?? 12, date.day ?? 31)
    }
}
