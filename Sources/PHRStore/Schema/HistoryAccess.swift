import Foundation
internal import CSQLite

/// Which statements read or write `history`, and what must happen before one of them runs.
///
/// SQLite's authorizer is told, as a statement is compiled, of every table its program reads or
/// writes, its triggers' programs included (they are compiled into it). A statement compiled while
/// the authorizer saw `history` is marked (`Statement.touchesHistory`), and before a marked
/// statement steps, and before any `Connection.execute`, `beforeAccess` runs when set: a bulk write
/// holds history entries back to write them in batches (`InsertTriggersSetAside`), and writes them
/// there, so that no statement sees `history` without them and every entry keeps its place in it.
///
/// A statement keeps the mark it was compiled with when SQLite compiles it again after a schema
/// change. The only schema changes while entries are held back are the bulk write's own: setting
/// its tables' insert triggers aside (a statement marked for them touches `history` no longer, so
/// the mark only costs an early write) and putting them back (after the last entries are written).
final class HistoryAccess {
    /// True once the authorizer saw `history` since `startCompiling()`.
    fileprivate var seen = false
    /// Run before a statement that touches `history` steps, and before `Connection.execute`.
    var beforeAccess: (() throws(SQLiteError) -> Void)?

    /// Starts watching the compilation of one statement.
    func startCompiling() { seen = false }

    /// Whether the statement compiled since `startCompiling()` reads or writes `history`.
    var compiledStatementTouchesHistory: Bool { seen }

    /// Runs `beforeAccess`, if set.
    func prepareForAccess() throws(SQLiteError) {
        try beforeAccess?()
    }
}

extension Connection {
    /// Installs the authorizer that feeds `historyAccess`. It allows everything: it only watches.
    /// Called once, by `init`, before any statement is compiled (installing an authorizer expires
    /// the statements compiled before it).
    func registerHistoryAccessWatch() {
        sqlite3_set_authorizer(handle, { context, action, table, _, _, _ in
            guard let context, let table else { return SQLITE_OK }
            switch action {
            case SQLITE_READ, SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
                // strcmp with "history", without making a String of every table name.
                if strcmp(table, "history") == 0 {
                    Unmanaged<HistoryAccess>.fromOpaque(context).takeUnretainedValue().seen = true
                }
            default:
                break
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(historyAccess).toOpaque())
    }
}
