internal import CSQLite

/// A prepared statement (`sqlite3_prepare_v3`).
///
/// It is finalized exactly once, in `deinit`, so a statement can never leak or be used after
/// finalization. Errors carry the SQL text but never the bound values.
public final class Statement {
    let handle: OpaquePointer
    let db: OpaquePointer
    /// The SQL text, as prepared (placeholders only).
    public let sql: String

    init(db: OpaquePointer, sql: String, persistent: Bool) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(db, sql, -1, flags, &handle, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_finalize(handle)
            throw SQLiteError.from(db, code: code, sql: sql)
        }
        self.handle = handle
        self.db = db
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// The number of `?` parameters.
    public var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement and binds `values` to its parameters, in order.
    public func bind(_ values: [any SQLiteBindable]) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        guard values.count == parameterCount else {
            throw SQLiteError(extendedCode: SQLITE_RANGE,
                              message: "statement takes \(parameterCount) parameters, \(values.count) given",
                              sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value.sqliteValue, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let v):
            code = sqlite3_bind_int64(handle, index, v)
        case .real(let v):
            code = sqlite3_bind_double(handle, index, v)
        case .text(let v):
            code = v.utf8CString.withUnsafeBufferPointer { buffer in
                sqlite3_bind_text64(handle, index, buffer.baseAddress, UInt64(buffer.count - 1),
                                    phr_sqlite3_transient(), UInt8(SQLITE_UTF8))
            }
        case .blob(let v):
            code = Self.bindBlob(handle, index, v)
        }
        guard code == SQLITE_OK else { throw SQLiteError.from(db, code: code, sql: sql) }
    }

    private static func bindBlob(_ handle: OpaquePointer, _ index: Int32, _ bytes: [UInt8]) -> Int32 {
        // An empty blob must stay a zero-length blob, not NULL: bind_zeroblob says so explicitly.
        if bytes.isEmpty { return sqlite3_bind_zeroblob(handle, index, 0) }
        return bytes.withUnsafeBytes { raw in
            sqlite3_bind_blob64(handle, index, raw.baseAddress, UInt64(raw.count), phr_sqlite3_transient())
        }
    }

    /// Binds raw bytes at a 1-based parameter index without copying them into an array first.
    /// Used to stream large files through a fixed buffer.
    public func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(SQLiteError) {
        let code: Int32
        if bytes.isEmpty {
            code = sqlite3_bind_zeroblob(handle, Int32(index), 0)
        } else {
            code = sqlite3_bind_blob64(handle, Int32(index), bytes.baseAddress, UInt64(bytes.count),
                                       phr_sqlite3_transient())
        }
        guard code == SQLITE_OK else { throw SQLiteError.from(db, code: code, sql: sql) }
    }

    /// Advances to the next row. Returns `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            throw SQLiteError.from(db, code: code, sql: sql)
        }
    }

    /// Makes the statement ready to run again and releases its bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// The current row. Valid only between a `step()` that returned `true` and the next call.
    public var row: Row { Row(statement: self) }

    /// The number of result columns.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of a result column.
    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "column \(index)"
    }
}

/// A view of the statement's current row, with typed column reads.
///
/// Reads never crash: a NULL read into a non-optional type, a value of the wrong storage class,
/// or text that is not valid UTF-8 throws a `SQLiteError` (`SQLITE_MISMATCH`) instead. Invalid
/// UTF-8 is rejected rather than silently replaced.
public struct Row {
    let statement: Statement
    /// Added to every column index: lets one entity's reader read its columns out of a join.
    let base: Int

    init(statement: Statement, base: Int = 0) {
        self.statement = statement
        self.base = base
    }

    /// The same row, with column 0 being column `offset` of this one.
    public func shifted(by offset: Int) -> Row { Row(statement: statement, base: base + offset) }

    /// The value of column `index` (0-based) with its storage class.
    public func value(at index: Int) throws(SQLiteError) -> SQLiteValue {
        let index = index + base
        let handle = statement.handle
        let column = Int32(index)
        guard index >= 0, index < statement.columnCount else {
            throw SQLiteError(extendedCode: SQLITE_RANGE, message: "no result column \(index)", sql: statement.sql)
        }
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let pointer = sqlite3_column_text(handle, column) else { return .text("") }
            let bytes = UnsafeBufferPointer(start: pointer, count: count)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw SQLiteError.columnMismatch(
                    "column \(index) (\(statement.columnName(index))) holds text that is not valid UTF-8",
                    sql: statement.sql)
            }
            return .text(text)
        default:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        }
    }

    /// Column `index` as `T`; NULL is an error unless `T` is optional.
    public func get<T: SQLiteColumnDecodable>(_ index: Int, as type: T.Type = T.self) throws(SQLiteError) -> T {
        let value = try value(at: index)
        if let decoded = T.decode(value) { return decoded }
        let index = index + base
        let found: String
        switch value {
        case .null: found = "NULL"
        case .integer: found = "INTEGER"
        case .real: found = "REAL"
        case .text: found = "TEXT"
        case .blob: found = "BLOB"
        }
        throw SQLiteError.columnMismatch(
            "column \(index) (\(statement.columnName(index))) is \(found), expected \(T.sqliteTypeName)",
            sql: statement.sql)
    }

    /// Column `index` as `T?`: `nil` for NULL.
    public func get<T: SQLiteColumnDecodable>(_ index: Int, as type: T?.Type = T?.self) throws(SQLiteError) -> T? {
        if case .null = try value(at: index) { return nil }
        return try get(index, as: T.self)
    }

    /// Calls `body` with the bytes of a BLOB column, without copying them. The buffer is valid only
    /// inside `body`.
    public func withUnsafeBlob<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let column = Int32(index + base)
        let count = Int(sqlite3_column_bytes(statement.handle, column))
        let pointer = sqlite3_column_blob(statement.handle, column)
        return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count))
    }
}
