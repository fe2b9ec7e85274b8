/// The days from `since` to `until`, either open, as a list filter (`--since 2024-05 --until
/// 2024-06`) applies them to a date column.
struct DayRange {
    let since: PartialDate?
    let until: PartialDate?

    /// ` AND column >= ? AND column <= ?` (the parts that apply) and its bindings, for a column
    /// holding a date or a date-time as text (a `PartialDate` or `DateOrTime`). Compared as text on
    /// the dates' precision: `2024-05` keeps every day of May, and a date-time on the last day
    /// (`2024-06-30T23:00:00Z`) is within `until 2024-06-30`. A row without a date is left out
    /// when either end is set. Comparing the column itself lets an index on it apply.
    func condition(on column: String) -> (sql: String, bindings: [any SQLiteBindable]) {
        var sql = ""
        var bindings: [any SQLiteBindable] = []
        if let since {
            sql += " AND \(column) >= ?"
            bindings.append(since.description)
        }
        if let until {
            // '2024-05' sorts before '2024-05-14': compare with the end of the period.
            sql += " AND \(column) <= ?"
            bindings.append(until.description + "\u{10FFFF}")
        }
        return (sql, bindings)
    }
}
