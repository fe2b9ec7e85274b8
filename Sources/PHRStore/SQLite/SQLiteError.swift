internal import CSQLite

/// An error reported by SQLite, or by this layer while reading what SQLite returned.
///
/// It carries the *extended* result code, SQLite's own message and the SQL text being run, but
/// never the values bound to that SQL: those are health data and must not reach logs or terminals.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// The extended result code, e.g. 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    public let extendedCode: Int32
    /// SQLite's message (`sqlite3_errmsg`), or this layer's own for column decoding problems.
    public let message: String
    /// The SQL being run, with `?` placeholders only.
    public let sql: String?

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte of the extended code), e.g. 19 (`SQLITE_CONSTRAINT`).
    public var primaryCode: Int32 { extendedCode & 0xFF }

    /// SQLite's English name for the result code (`sqlite3_errstr`).
    public var codeName: String { String(cString: sqlite3_errstr(extendedCode)) }

    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }
    /// `SQLITE_CONSTRAINT_FOREIGNKEY`, spelled out: Swift cannot import that macro.
    public var isForeignKeyViolation: Bool { extendedCode == SQLITE_CONSTRAINT | (3 << 8) }
    public var isNotADatabase: Bool { primaryCode == SQLITE_NOTADB }
    public var isCorrupt: Bool { primaryCode == SQLITE_CORRUPT }
    public var isReadOnly: Bool { primaryCode == SQLITE_READONLY }
    public var isCannotOpen: Bool { primaryCode == SQLITE_CANTOPEN }
    /// The disk (or the quota) is full: `SQLITE_FULL`, or an I/O error that is one.
    public var isDiskFull: Bool { primaryCode == SQLITE_FULL }

    public var description: String {
        var text = "SQLite error \(extendedCode) (\(codeName)): \(message)"
        if let sql { text += " — in: \(sql)" }
        return text
    }

    /// The error SQLite holds for `db` after a call that returned `code`.
    static func from(_ db: OpaquePointer?, code: Int32, sql: String? = nil) -> SQLiteError {
        let extended = db.map { sqlite3_extended_errcode($0) } ?? code
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        // sqlite3_extended_errcode may be stale when the call did not set it; keep the call's code then.
        let chosen = (extended & 0xFF) == (code & 0xFF) ? extended : code
        return SQLiteError(extendedCode: chosen, message: message, sql: sql)
    }

    /// A column that could not be read as the type the caller asked for.
    static func columnMismatch(_ message: String, sql: String) -> SQLiteError {
        SQLiteError(extendedCode: SQLITE_MISMATCH, message: message, sql: sql)
    }
}
