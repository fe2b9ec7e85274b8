/// A list of row ids bound as one parameter, for `id IN (SELECT value FROM json_each(?))`: any
/// number of ids in one statement (a list of `?` is limited to 32,766), prepared once.
struct IDList: SQLiteBindable {
    /// The JSON array text SQLite's `json_each` reads.
    let json: String

    init(_ ids: some Sequence<Int64>) {
        json = "[" + ids.map(String.init).joined(separator: ",") + "]"
    }

    var sqliteValue: SQLiteValue { json.sqliteValue }
}
