/// A column with the value to write to it. Inserts and updates are built from these pairs, so a
/// value is always bound to the column named beside it: no list of `?` has to match a list of
/// columns written elsewhere.
public typealias ColumnValue = (column: String, value: any SQLiteBindable)

extension Connection {
    /// `INSERT INTO table (c1, c2, …) VALUES (?, ?, …)`, each value bound to its column.
    ///
    /// Table and column names are phr's own constants, never text from a user or a file; values are
    /// always bound parameters.
    public func insert(into table: String, _ values: [ColumnValue]) throws(SQLiteError) {
        let placeholders = repeatElement("?", count: values.count).joined(separator: ", ")
        try run("INSERT INTO \(table) (\(values.map(\.column).joined(separator: ", "))) VALUES (\(placeholders))",
                values.map(\.value))
    }

    /// `UPDATE table SET c1 = ?, c2 = ?, … WHERE key = ?`, each value bound to its column.
    ///
    /// Names are phr's own constants, as for `insert`.
    public func update(_ table: String, set values: [ColumnValue], where key: ColumnValue) throws(SQLiteError) {
        let assignments = values.map { "\($0.column) = ?" }.joined(separator: ", ")
        try run("UPDATE \(table) SET \(assignments) WHERE \(key.column) = ?", values.map(\.value) + [key.value])
    }
}

/// The text of a SELECT's column list, from an entity's array of column names.
public enum SelectList {
    /// `id, uuid, …`: the columns under their own names.
    public static func columns(_ names: [String]) -> String {
        names.joined(separator: ", ")
    }

    /// `o.id AS "opinion.id", o.uuid AS "opinion.uuid", …`: the columns of table alias `table`,
    /// named for `Row.scoped(scope)`, so that one query can read several tables' rows by name.
    public static func columns(_ names: [String], of table: String, scope: String) -> String {
        names.map { "\(table).\($0) AS \"\(scope).\($0)\"" }.joined(separator: ", ")
    }
}
