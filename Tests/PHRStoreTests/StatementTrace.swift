import CSQLite
@testable import PHRStore

/// The SQL of every statement `body` runs on `db` (the statements of triggers left out), in order,
/// as SQLite traces them (`SQLITE_TRACE_STMT`): parameters unexpanded.
func tracedStatements(on db: Connection, _ body: () throws -> Void) throws -> [String] {
    final class Log { var sql: [String] = [] }
    let log = Log()
    sqlite3_trace_v2(db.handle, UInt32(SQLITE_TRACE_STMT), { _, context, _, text in
        guard let context, let text else { return 0 }
        let sql = String(cString: text.assumingMemoryBound(to: CChar.self))
        if !sql.hasPrefix("--") { Unmanaged<Log>.fromOpaque(context).takeUnretainedValue().sql.append(sql) }
        return 0
    }, Unmanaged.passUnretained(log).toOpaque())
    defer { sqlite3_trace_v2(db.handle, 0, nil, nil) }
    try withExtendedLifetime(log) { try body() }
    return log.sql
}
