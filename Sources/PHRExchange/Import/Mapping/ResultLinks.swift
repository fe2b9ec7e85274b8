import PHRStore

/// Links a result receives from a resource on the other side: a DiagnosticReport's `result` (the
/// report's record), a panel's `hasMember` (the panel as its parent), a Condition's
/// `stage.assessment` (the diagnosis it stages). Whichever of the two is stored first, the link is
/// made: a result already stored (earlier in this import, or by an earlier one) is updated at once;
/// otherwise the link waits here under the key its reference names, and the result takes it when
/// it is stored (`take`). Costs nothing for results no one links to beyond two dictionary lookups.
///
/// Guarantees: a link never joins rows of two patients; a part is never given parts, nor a result
/// with parts a parent (parts are one level deep); a link waiting for a result that never comes
/// is dropped at the end of the import.
final class ResultLinks {
    enum Kind {
        case record, diagnosis, parent
    }

    /// The links waiting for one result.
    struct Pending {
        var recordID: Int64?
        var diagnosisID: Int64?
        var parentID: Int64?
    }

    private var waiting: [String: Pending] = [:]

    /// Links the results `references` name to row `rowID` (a record, a diagnosis or a panel
    /// result) of patient `patientID`.
    func link(_ references: [FHIRReference], as kind: Kind, to rowID: Int64, patientID: Int64, base: String?,
              session: ImportSession) throws {
        for reference in references {
            let target = session.resolver.target(of: reference, base: base, accepting: [.results])
            if let row = try session.resolver.resolve(target, accepting: [.results]) {
                try linkStored(row.id, as: kind, to: rowID, patientID: patientID, store: session.store)
            } else if let key = target.keys.first {
                var pending = waiting[key] ?? Pending()
                switch kind {
                case .record: pending.recordID = rowID
                case .diagnosis: pending.diagnosisID = rowID
                case .parent: pending.parentID = rowID
                }
                waiting[key] = pending
            }
        }
    }

    /// The links waiting for the result of the resource with `keys`, which are then forgotten.
    func take(_ keys: SourceKeys) -> Pending? {
        guard !waiting.isEmpty else { return nil }
        for key in [keys.primary, keys.fullUrlKey].compactMap({ $0 }) {
            if let pending = waiting.removeValue(forKey: key) { return pending }
        }
        return nil
    }

    private func linkStored(_ resultID: Int64, as kind: Kind, to rowID: Int64, patientID: Int64, store: HealthStore) throws {
        guard resultID != rowID || kind != .parent, var result = try store.result(id: resultID),
              result.patientID == patientID else { return }
        let before = result
        switch kind {
        case .record: result.recordID = rowID
        case .diagnosis: result.diagnosisID = rowID
        case .parent:
            guard result.parentID == nil || result.parentID == rowID, try store.results(parentID: resultID).isEmpty else { return }
            result.parentID = rowID
        }
        if result != before { try store.updateResult(result) }
    }
}
