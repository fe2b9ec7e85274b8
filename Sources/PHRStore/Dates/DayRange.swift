/// The days from `since` to `until`, either open, as a list filter (`--since 2024-05 --until
/// 2024-06`) applies them to a date column. Every dated list goes through it, so that a list says
/// what the timeline and the export's scope say: a date dated only by its month or year
/// (`2024-05`) is within the range when any day of it is (`PartialDate.reaches`).
struct DayRange {
    let since: PartialDate?
    let until: PartialDate?

    /// What follows a date's text to make the end of its period: `2024-05` + this sorts after
    /// every day and time of May, and before June.
    static let endOfPeriod = "\u{10FFFF}"

    /// ` AND …` (the parts that apply) and its bindings, for a column holding a date or a
    /// date-time as text (a `PartialDate` or `DateOrTime`): the row's date reaches `since`
    /// (`reaching`), and it begins on or before the end of `until`, so a date-time on the last day
    /// (`2024-06-30T23:00:00Z`) is within `until 2024-06-30`. A row without a date is left out
    /// when either end is set.
    func condition(on column: String) -> (sql: String, bindings: [any SQLiteBindable]) {
        var sql = ""
        var bindings: [any SQLiteBindable] = []
        if let since {
            let reaching = Self.reaching(since, column)
            sql += " AND \(reaching.sql)"
            bindings += reaching.bindings
        }
        if let until {
            sql += " AND \(column) <= ?"
            bindings.append(until.description + Self.endOfPeriod)
        }
        return (sql, bindings)
    }

    /// SQL that holds when the date in `expression` reaches `since`: some day of its period (the
    /// day, the month or the year it names) is on or after `since`, as `PartialDate.reaches`
    /// says. `2024-05` reaches `2024-05-20`; `2024-04-30` does not; a null does not. Its first
    /// comparison, with the since-date's year, lets an index on the column start there; the
    /// second compares the end of each period of that year on.
    static func reaching(_ since: PartialDate, _ expression: String) -> (sql: String, bindings: [any SQLiteBindable]) {
        ("(\(expression) >= ? AND (\(expression) || ?) >= ?)",
         [String(since.description.prefix(4)), endOfPeriod, since.description])
    }
}
