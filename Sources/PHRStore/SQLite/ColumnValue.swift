internal import CSQLite

/// A column with the value to write to it. Inserts and updates are built from these pairs, so a
/// value is always bound to the column named beside it: no list of `?` has to match a list of
/// columns written elsewhere.
///
/// The value is turned into its `SQLiteValue` where the pair is made, while its type is known:
/// a list of pairs holding `any SQLiteBindable` was copied, read and freed through Swift's
/// runtime, value by value (5 % of an import's storing thread, counted by callgrind).
struct ColumnValue {
    let column: String
    let value: SQLiteValue

    /// `column` set to `value`: `.column("name", name)` in a list of pairs.
    static func column(_ column: String, _ value: some SQLiteBindable) -> ColumnValue {
        ColumnValue(column: column, value: value.sqliteValue)
    }
}

extension Connection {
    /// `INSERT INTO table (c1, c2, …) VALUES (?, ?, …)`, each value bound to its column.
    ///
    /// Table and column names are phr's own constants, never text from a user or a file; values are
    /// always bound parameters. `more` are further pairs written after `values` (the columns every
    /// item has). An import runs this for every row it stores, so the SQL is built once per column
    /// list and the values are bound straight from both arrays: no pair is copied into a new one.
    /// The new row is then passed to `afterInsert`, when set; `lastInsertRowID` is the new row's
    /// id afterwards, whatever `afterInsert` inserted.
    func insert(into table: String, _ values: [ColumnValue], then more: [ColumnValue] = []) throws(SQLiteError) {
        // The table's last shape first: its names are compared as the values are bound, so each
        // pair is read once. Its statement is kept with it, not looked up again by its SQL text.
        if let shape = insertSQLCache[table]?.first, sqlite3_stmt_busy(shape.statement.handle) == 0 {
            let statement = shape.statement
            defer { statement.reset() }
            if try statement.bind(values, more, ifColumnsAre: shape.columns) {
                while try statement.step() {}
                try noteInsert(into: table)
                return
            }
        }
        try run(insertSQL(table, values, more), values, more)
        try noteInsert(into: table)
    }

    /// Passes the row just added to `table` to `afterInsert`, when set, keeping it the last row
    /// inserted whatever `afterInsert` inserts.
    private func noteInsert(into table: String) throws(SQLiteError) {
        guard let afterInsert else { return }
        let rowID = lastInsertRowID
        try afterInsert(table, rowID)
        sqlite3_set_last_insert_rowid(handle, rowID)
    }

    /// The INSERT for the columns of `values` then `more`, built and prepared once per table and
    /// column list; the shape found or built becomes the table's first.
    private func insertSQL(_ table: String, _ values: [ColumnValue], _ more: [ColumnValue]) throws(SQLiteError) -> String {
        var shapes = insertSQLCache[table] ?? []
        if let found = shapes.firstIndex(where: { Self.names($0.columns, values, more) }) {
            let shape = shapes.remove(at: found)
            insertSQLCache[table] = [shape] + shapes
            return shape.sql
        }
        let columns = values.map(\.column) + more.map(\.column)
        let sql = "INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES ("
            + repeatElement("?", count: columns.count).joined(separator: ", ") + ")"
        insertSQLCache[table] = [(columns, sql, try prepare(sql))] + shapes
        return sql
    }

    /// Whether `columns` are the columns of `values` then `more`, in order.
    private static func names(_ columns: [String], _ values: [ColumnValue], _ more: [ColumnValue]) -> Bool {
        guard columns.count == values.count + more.count else { return false }
        for index in values.indices where columns[index] != values[index].column { return false }
        for index in more.indices where columns[values.count + index] != more[index].column { return false }
        return true
    }

    /// `UPDATE table SET c1 = ?, c2 = ?, … WHERE key = ?`, each value bound to its column.
    ///
    /// Names are phr's own constants, as for `insert`.
    func update(_ table: String, set values: [ColumnValue], where key: ColumnValue) throws(SQLiteError) {
        var sql = "UPDATE \(table) SET "
        for (index, value) in values.enumerated() {
            if index > 0 { sql += ", " }
            sql += value.column
            sql += " = ?"
        }
        sql += " WHERE \(key.column) = ?"
        try run(sql, values, [key])
    }

    /// Runs `sql` with the values of `pairs`, then those of `more`, bound in order.
    private func run(_ sql: String, _ pairs: [ColumnValue], _ more: [ColumnValue]) throws(SQLiteError) {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(pairs, more)
        while try statement.step() {}
    }
}

/// The text of a SELECT's column list, from an entity's array of column names.
enum SelectList {
    /// `id, uuid, …`: the columns under their own names.
    static func columns(_ names: [String]) -> String {
        names.joined(separator: ", ")
    }

    /// `o.id AS "opinion.id", o.uuid AS "opinion.uuid", …`: the columns of table alias `table`,
    /// named for `Row.scoped(scope)`, so that one query can read several tables' rows by name.
    static func columns(_ names: [String], of table: String, scope: String) -> String {
        names.map { "\(table).\($0) AS \"\(scope).\($0)\"" }.joined(separator: ", ")
    }
}
