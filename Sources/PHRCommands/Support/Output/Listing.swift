import PHRStore

/// One value in command output. JSON keeps its type; table and CSV show it as text.
enum Cell: Equatable {
    case text(String)
    case integer(Int64)
    /// A decimal number (a lab value): a number in JSON, `42` or `0.8` in tables and CSV.
    case decimal(Double)
    case bool(Bool)
    case list([Cell])
    case null

    init(_ text: String?) { self = text.map(Cell.text) ?? .null }
    init(_ number: Int64?) { self = number.map(Cell.integer) ?? .null }
    init(_ number: Int?) { self = number.map { Cell.integer(Int64($0)) } ?? .null }
    init(_ number: Double?) { self = number.map(Cell.decimal) ?? .null }
    init<T: CustomStringConvertible>(describing value: T?) { self = value.map { Cell.text($0.description) } ?? .null }
    init<E: RawRepresentable>(_ value: E?) where E.RawValue == String { self = value.map { Cell.text($0.rawValue) } ?? .null }

    /// The text shown in tables and CSV.
    var plainText: String {
        switch self {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .decimal(let number): return ResultValue.format(number)
        case .bool(let flag): return flag ? "yes" : "no"
        case .list(let cells): return cells.map(\.plainText).joined(separator: "; ")
        case .null: return ""
        }
    }
}

/// What a list, show or history command prints, independent of the format: named columns and rows.
///
/// `key` is the stable field name used in JSON and as the CSV header (snake_case; documented in
/// the README); `header` is what people see in tables. Columns with `inTable: false` appear in
/// JSON and CSV only, to keep tables narrow.
struct Listing {
    struct Column {
        let key: String
        let header: String
        var inTable: Bool = true
        /// Long text that may wrap onto several lines in a table.
        var wraps: Bool = false
    }

    let columns: [Column]
    var rows: [[Cell]] = []
    /// Printed above a table (e.g. a diagnosis heading); not part of JSON or CSV.
    var title: String?
    /// Printed instead of an empty table.
    var emptyMessage: String = "Nothing to show."

    init(columns: [Column], title: String? = nil, emptyMessage: String = "Nothing to show.") {
        self.columns = columns
        self.title = title
        self.emptyMessage = emptyMessage
    }

    mutating func append(_ row: [Cell]) {
        precondition(row.count == columns.count, "a row must have one cell per column")
        rows.append(row)
    }
}
