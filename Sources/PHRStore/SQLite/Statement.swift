internal import CSQLite

/// A prepared statement (`sqlite3_prepare_v3`).
///
/// It is finalized exactly once, in `deinit`, so a statement can never leak or be used after
/// finalization. Errors carry the SQL text but never the bound values.
final class Statement {
    let handle: OpaquePointer
    let db: OpaquePointer
    /// The SQL text, as prepared (placeholders only).
    let sql: String

    /// `historyAccess`, when this statement reads or writes `history` (directly or through a
    /// trigger): it is told before each step.
    private let touchedHistory: HistoryAccess?

    /// Compiles `sql`; `historyAccess` watches the compilation and is kept when the statement
    /// touches `history`.
    init(db: OpaquePointer, sql: String, persistent: Bool, historyAccess: HistoryAccess? = nil) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags: UInt32 = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        historyAccess?.startCompiling()
        let code = sqlite3_prepare_v3(db, sql, -1, flags, &handle, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_finalize(handle)
            throw SQLiteError.from(db, code: code, sql: sql)
        }
        self.handle = handle
        self.db = db
        self.sql = sql
        touchedHistory = historyAccess?.compiledStatementTouchesHistory == true ? historyAccess : nil
    }

    /// Whether this statement reads or writes `history`, as compiled.
    var touchesHistory: Bool { touchedHistory != nil }

    deinit {
        sqlite3_finalize(handle)
        textBytes.deallocate()
    }

    /// The number of `?` parameters.
    var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Resets the statement and binds `values` to its parameters, in order. Every parameter is
    /// bound (the count must match), so no earlier value can remain.
    func bind(_ values: [any SQLiteBindable]) throws(SQLiteError) {
        let arena = try prepareToBind(count: values.count)
        var offset = 0
        do {
            for index in values.indices {
                try bind(values[index].sqliteValue, at: Int32(index + 1), into: arena, at: &offset)
            }
        } catch {
            sqlite3_clear_bindings(handle)
            throw error
        }
        textBytesWanted = offset
    }

    /// Resets the statement and binds `values` to its parameters, in order (every parameter, as
    /// above), without a value going through `SQLiteBindable`.
    func bind(_ values: ArraySlice<SQLiteValue>) throws(SQLiteError) {
        let arena = try prepareToBind(count: values.count)
        var offset = 0
        do {
            var index: Int32 = 1
            for value in values {
                try bind(value, at: index, into: arena, at: &offset)
                index += 1
            }
        } catch {
            sqlite3_clear_bindings(handle)
            throw error
        }
        textBytesWanted = offset
    }

    /// Resets the statement and binds the values of `pairs`, then those of `more`, in order (every
    /// parameter, as above).
    func bind(_ pairs: [ColumnValue], _ more: [ColumnValue]) throws(SQLiteError) {
        _ = try bind(pairs, more, ifColumnsAre: nil)
    }

    /// Binds the values of `pairs`, then those of `more`, as `bind(_:_:)` does, when their columns
    /// are `columns` (if given), in order; returns false as soon as one is not (some parameters
    /// may then be bound: bind them all again before the statement runs).
    func bind(_ pairs: [ColumnValue], _ more: [ColumnValue], ifColumnsAre columns: [String]?) throws(SQLiteError) -> Bool {
        if let columns, pairs.count + more.count != columns.count { return false }
        let arena = try prepareToBind(count: pairs.count + more.count)
        var offset = 0
        func bindEach(_ list: [ColumnValue], from first: Int) throws(SQLiteError) -> Bool {
            for index in list.indices {
                let pair = list[index]
                if let columns, pair.column != columns[first + index] { return false }
                try bind(pair.value, at: Int32(first + index + 1), into: arena, at: &offset)
            }
            return true
        }
        do {
            guard try bindEach(pairs, from: 0), try bindEach(more, from: pairs.count) else { return false }
        } catch {
            sqlite3_clear_bindings(handle)
            throw error
        }
        textBytesWanted = offset
        return true
    }

    /// The UTF-8 of the text values bound last, one after another, each followed by a NUL
    /// (`phr_sqlite3_bind_terminated_text`): SQLite reads them in place
    /// (`SQLITE_STATIC`) instead of copying each into memory of its own (an allocation and a free
    /// per value). A bound pointer must stay valid until its parameter is bound again or the
    /// statement is finalized: the bytes are only overwritten or freed by the next bind, which
    /// binds every parameter again before the statement can run (or clears them all, if binding
    /// fails), and by `deinit`, after `sqlite3_finalize`. A text that does not fit is copied by
    /// SQLite, and the next bind makes room for as much text as the last one had, up to
    /// `textBytesLimit` (larger texts, a document's words, are always copied by SQLite).
    private var textBytes = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var textBytesWanted = 0
    private static let textBytesLimit = 64 << 10

    /// Resets the statement, checks that it takes `count` parameters, and returns the bytes to
    /// bind texts from.
    private func prepareToBind(count: Int) throws(SQLiteError) -> UnsafeMutableRawBufferPointer {
        sqlite3_reset(handle)
        guard count == parameterCount else {
            throw SQLiteError(extendedCode: SQLITE_RANGE,
                              message: "statement takes \(parameterCount) parameters, \(count) given", sql: sql)
        }
        if textBytesWanted > textBytes.count, textBytes.count < Self.textBytesLimit {
            // Every parameter is bound again before the statement can run.
            textBytes.deallocate()
            textBytes = .allocate(byteCount: min(max(textBytesWanted, 2 * textBytes.count, 256), Self.textBytesLimit),
                                  alignment: 1)
        }
        return textBytes
    }

    /// Binds `value` at parameter `index`. A text's UTF-8 is copied into `arena` at `offset` and
    /// bound in place, or copied by SQLite when it does not fit; `offset` moves past it either way.
    private func bind(_ value: SQLiteValue, at index: Int32, into arena: UnsafeMutableRawBufferPointer,
                      at offset: inout Int) throws(SQLiteError) {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let v):
            code = sqlite3_bind_int64(handle, index, v)
        case .real(let v):
            code = sqlite3_bind_double(handle, index, v)
        case .text(var v):
            let start = offset
            let handle = handle
            code = v.withUTF8 { buffer in
                guard let source = buffer.baseAddress, !buffer.isEmpty else {
                    // An empty string has no bytes, and a NULL pointer would bind NULL, not ''.
                    return sqlite3_bind_text64(handle, index, "", 0, phr_sqlite3_transient(), UInt8(SQLITE_UTF8))
                }
                guard let base = arena.baseAddress, start + buffer.count < arena.count else {
                    return source.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        sqlite3_bind_text64(handle, index, $0, UInt64(buffer.count), phr_sqlite3_transient(), UInt8(SQLITE_UTF8))
                    }
                }
                let target = base + start
                target.copyMemory(from: source, byteCount: buffer.count)
                target.storeBytes(of: 0, toByteOffset: buffer.count, as: UInt8.self)
                return phr_sqlite3_bind_terminated_text(handle, index, target.assumingMemoryBound(to: CChar.self),
                                                        UInt64(buffer.count))
            }
            offset = start + v.utf8.count + 1
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
    func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(SQLiteError) {
        let code: Int32
        if bytes.isEmpty {
            code = sqlite3_bind_zeroblob(handle, Int32(index), 0)
        } else {
            code = sqlite3_bind_blob64(handle, Int32(index), bytes.baseAddress, UInt64(bytes.count),
                                       phr_sqlite3_transient())
        }
        guard code == SQLITE_OK else { throw SQLiteError.from(db, code: code, sql: sql) }
    }

    /// Binds `bindings`, steps to the end (rows are not read) and resets, even when it fails.
    func run(_ bindings: [any SQLiteBindable]) throws(SQLiteError) {
        defer { reset() }
        try bind(bindings)
        while try step() {}
    }

    /// Binds `values` as they are (none goes through `SQLiteBindable`), steps to the end and
    /// resets, even when it fails.
    func run(_ values: [SQLiteValue]) throws(SQLiteError) {
        defer { reset() }
        try bind(values[...])
        while try step() {}
    }

    /// Advances to the next row. Returns `true` when a row is available, `false` when done.
    @discardableResult
    func step() throws(SQLiteError) -> Bool {
        if let touchedHistory { try touchedHistory.prepareForAccess() }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            throw SQLiteError.from(db, code: code, sql: sql)
        }
    }

    /// Makes the statement ready to run again. Its bindings stay until the next `bind`, which
    /// replaces every one of them (so no value of one run can reach the next); clearing them here
    /// too cost an import about 1 % of its instructions. `releaseBindings()` frees them at once.
    func reset() {
        sqlite3_reset(handle)
    }

    /// Resets the statement and frees its bound values: for a statement that bound a large blob.
    func releaseBindings() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// The current row. Valid only between a `step()` that returned `true` and the next call.
    var row: Row { Row(statement: self, columns: columns(scope: nil), scope: nil) }

    /// The statement's columns without a scope, and per scope; built the first time a row of this
    /// statement is read and shared by all its rows. Names are read once; phr never selects `*`,
    /// so a statement's columns cannot change under it.
    private var unscopedColumns: ColumnLookup?
    private var scopedColumns: [String: ColumnLookup] = [:]

    func columns(scope: String?) -> ColumnLookup {
        guard let scope else {
            if let unscopedColumns { return unscopedColumns }
            let columns = ColumnLookup(self, prefix: nil)
            unscopedColumns = columns
            return columns
        }
        if let columns = scopedColumns[scope] { return columns }
        let columns = ColumnLookup(self, prefix: scope + ".")
        scopedColumns[scope] = columns
        return columns
    }

    /// The number of result columns.
    var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// The name of a result column.
    func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "column \(index)"
    }
}

/// A view of the statement's current row, with typed column reads by name.
///
/// Columns are read by the name the query gives them (`row.get("given_on")`), so a query's column
/// order never matters. A join reads each table's columns through a scope: the query aliases them
/// `"diagnosis.id"`, … and `row.scoped("diagnosis")` reads them as `id`, ….
///
/// Reads never crash: a NULL read into a non-optional type, a value of the wrong storage class,
/// text that is not valid UTF-8, or a name the query does not return throws a `SQLiteError`
/// (`SQLITE_MISMATCH`, `SQLITE_RANGE`) instead. Invalid UTF-8 is rejected rather than silently
/// replaced.
struct Row {
    let statement: Statement
    /// The columns of this row's scope: the statement's, shared, not a copy.
    let columns: ColumnLookup
    let scope: String?

    init(statement: Statement, columns: ColumnLookup, scope: String?) {
        self.statement = statement
        self.columns = columns
        self.scope = scope
    }

    /// The columns aliased `"<scope>.<name>"`, read by `<name>`: one table's columns out of a join.
    func scoped(_ scope: String) -> Row {
        let full = self.scope.map { "\($0).\(scope)" } ?? scope
        return Row(statement: statement, columns: statement.columns(scope: full), scope: full)
    }

    /// The 0-based index of the result column named `column` (in this row's scope).
    func index(of column: String) throws(SQLiteError) -> Int {
        guard let index = columns.index(of: column) else {
            let name = scope.map { "\($0).\(column)" } ?? column
            throw SQLiteError(extendedCode: SQLITE_RANGE, message: "no result column named \(name)", sql: statement.sql)
        }
        return index
    }

    /// The value of column `index` (0-based, in the statement's result) with its storage class.
    func value(at index: Int) throws(SQLiteError) -> SQLiteValue {
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
            // ASCII needs no validation, and `String(validating:)` looks up generic metadata at
            // run time on every call: most of what reading a text column cost.
            var highBits: UInt8 = 0
            for byte in bytes { highBits |= byte }
            if highBits < 0x80 { return .text(String(decoding: bytes, as: UTF8.self)) }
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

    /// Column `index` (0-based) as `T`; NULL is an error unless `T` is optional. For queries of one
    /// computed value (`SELECT count(*) …`); entities read their columns by name.
    func get<T: SQLiteColumnDecodable>(_ index: Int, as type: T.Type = T.self) throws(SQLiteError) -> T {
        try decode(try value(at: index), at: index, as: T.self)
    }

    /// Column `index` as `T?`: `nil` for NULL.
    func get<T: SQLiteColumnDecodable>(_ index: Int, as type: T?.Type = T?.self) throws(SQLiteError) -> T? {
        let value = try value(at: index)
        if case .null = value { return nil }
        return try decode(value, at: index, as: T.self)
    }

    /// `value`, read from column `index`, as `T`, or the error that says what the column holds.
    private func decode<T: SQLiteColumnDecodable>(_ value: SQLiteValue, at index: Int, as type: T.Type) throws(SQLiteError) -> T {
        if let decoded = T.decode(value) { return decoded }
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

    /// The column named `column` as `T`; NULL is an error unless `T` is optional.
    func get<T: SQLiteColumnDecodable>(_ column: String, as type: T.Type = T.self) throws(SQLiteError) -> T {
        try get(index(of: column), as: T.self)
    }

    /// The column named `column` as `T?`: `nil` for NULL.
    func get<T: SQLiteColumnDecodable>(_ column: String, as type: T?.Type = T?.self) throws(SQLiteError) -> T? {
        try get(index(of: column), as: T?.self)
    }

    /// Calls `body` with the bytes of the BLOB column named `column`, without copying them. The
    /// buffer is valid only inside `body`.
    func withUnsafeBlob<R>(_ column: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let index = Int32(try index(of: column))
        let count = Int(sqlite3_column_bytes(statement.handle, index))
        let pointer = sqlite3_column_blob(statement.handle, index)
        return try body(UnsafeRawBufferPointer(start: count > 0 ? pointer : nil, count: count))
    }
}

/// The result columns of a statement in one scope, found by name.
///
/// Guarantees: `index(of:)` gives the leftmost column of that name (as SQL's own USING joins
/// do), or nil. Code that decodes a row reads its columns mostly in the order the query lists
/// them, so the column after the last one found is compared first, then the few after it (a
/// decoder that skips a column or two) and the first (a decoder starting on the next row): a
/// comparison or a few of short strings instead of hashing the name, which cost every row of a
/// long list about 400 instructions a column. A reference type: the statement's rows share it and
/// its place.
final class ColumnLookup {
    /// Each name once (its leftmost column), in the order the query lists them, and its column.
    private let names: [String]
    private let indexes: [Int]
    /// Name → position in `names`.
    private let positions: [String: Int]
    /// The position in `names` compared first by the next lookup.
    private var next = 0

    /// The columns of `statement` whose names start with `prefix`, by the rest of their names;
    /// all of them by their names when `prefix` is nil.
    init(_ statement: Statement, prefix: String?) {
        var names: [String] = [], indexes: [Int] = [], positions: [String: Int] = [:]
        for index in 0..<statement.columnCount {
            var name = statement.columnName(index)
            if let prefix {
                guard name.hasPrefix(prefix) else { continue }
                name.removeFirst(prefix.count)
            }
            guard positions[name] == nil else { continue }
            positions[name] = names.count
            names.append(name)
            indexes.append(index)
        }
        self.names = names
        self.indexes = indexes
        self.positions = positions
    }

    /// The 0-based statement column named `name`, or nil.
    func index(of name: String) -> Int? {
        let position = guessed(name) ?? positions[name]
        guard let position else { return nil }
        next = position + 1
        return indexes[position]
    }

    /// How many names after `next` are compared before the hash.
    private static let lookahead = 4

    /// The position of `name` among the next `lookahead` names from `next`, or the first name's.
    private func guessed(_ name: String) -> Int? {
        let end = min(next + Self.lookahead, names.count)
        var position = next
        while position < end {
            if names[position] == name { return position }
            position += 1
        }
        return !names.isEmpty && names[0] == name ? 0 : nil
    }
}
