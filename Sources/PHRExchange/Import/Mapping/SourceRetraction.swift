import PHRStore

/// A resource its source now takes back (entered in error; for a condition or an allergy,
/// refuted): nothing to store. But when an earlier import recorded a row for this very resource
/// (its own source key: a row made from it, or found to be the same thing, never one merely like
/// it), that row no longer stands: it is marked
/// withdrawn (entered in error, refuted or inactive, as its table says it), not deleted; the
/// history keeps what it said and undo brings it back. The resource is then recorded as read, so
/// that importing it again changes nothing. Without such a row, the resource is skipped with
/// `reason`.
struct SourceRetraction: PreparedResource {
    let reason: String
    let table: ImportedTable
    /// Marks row `id` of `table` withdrawn: true when it changed, false when it already was, nil
    /// when the row is gone.
    let withdraw: (HealthStore, Int64) throws -> Bool?

    /// A retraction that sets the row's `status` to `withdrawn` (loaded by `load`, written back by
    /// `save`); `also` withdraws what hangs off the row with it (a result's parts).
    init<Row, Status: Equatable>(reason: String, table: ImportedTable, status: WritableKeyPath<Row, Status>,
                                 withdrawn: Status, load: @escaping (HealthStore, Int64) throws -> Row?,
                                 save: @escaping (HealthStore, Row) throws -> Void,
                                 also: @escaping (HealthStore, Row) throws -> Void = { _, _ in }) {
        self.reason = reason
        self.table = table
        withdraw = { store, id in
            guard var row = try load(store, id) else { return nil }
            guard row[keyPath: status] != withdrawn else { return false }
            row[keyPath: status] = withdrawn
            try save(store, row)
            try also(store, row)
            return true
        }
    }

    func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
        guard let prior, prior.isResource, prior.table == table, let changed = try withdraw(session.store, prior.rowID) else {
            session.report.notStored(resource.type, resource.place, reason: reason)
            return
        }
        try session.record(resource, keys: keys, table: table, rowID: prior.rowID,
                           references: ResourceReferences(resource, keys: keys, session: session))
        session.report.count(resource.type, changed ? .updated : .unchanged)
    }
}
