/// A column with the value to write to it. Inserts and updates are built from these pairs, so a
/// value is always bound to the column named beside it: no list of `?` has to match a list of
/// columns written elsewhere.
typealias ColumnValue = (column: String, value: any SQLiteBindable)

extension Connection {
    /// `INSERT INTO table (c1, c2, …) VALUES (?, ?, …)`, each value bound to its column.
    ///
    /// Table and column names are phr's own constants, never text from a user or a file; values are
    /// always bound parameters. An import runs this for every row it stores, so the SQL is built
    /// with plain appends and the values are bound straight from the pairs.
    func insert(into table: String, _ values: [ColumnValue]) throws(SQLiteError) {
        try run(insertSQL(table, values), binding: values, then: nil)
    }

    /// The INSERT for `values`' columns, built once per table and column list.
    private func insertSQL(_ table: String, _ values: [ColumnValue]) -> String {
        let shapes = insertSQLCache[table] ?? []
        for shape in shapes where shape.columns.count == values.count
            && zip(shape.columns, values).allSatisfy({ $0 == $1.column }) {
            return shape.sql
        }
        let sql = Self.insertSQL(table, values)
        insertSQLCache[table] = shapes + [(values.map(\.column), sql)]
        return sql
    }

    private static func insertSQL(_ table: String, _ values: [ColumnValue]) -> String {
        var sql = "INSERT INTO \(table) ("
        var placeholders = ""
        for (index, value) in values.enumerated() {
            if index > 0 {
                sql += ", "
                placeholders += ", "
            }
            sql += value.column
            placeholders += "?"
        }
        sql += ") VALUES (\(placeholders))"
        return sql
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
        try run(sql, binding: values, then: key.value)
    }

    private func run(_ sql: String, binding values: [ColumnValue], then last: (any SQLiteBindable)?) throws(SQLiteError) {
        let statement = try prepare(sql)
        defer { statement.reset() }
        try statement.bind(values, then: last)
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
