import PHRExchange

/// JSON for scripts: objects keep the listing's column order and field names, values keep their
/// types (numbers, strings, booleans, arrays, null). Lists print as an array, items as an object.
/// The text is written by `JSONValue`, phr's one JSON writer.
enum JSONWriter {
    static func render(_ listings: [Listing], single: Bool) -> String {
        let objects = listings.flatMap { listing in
            listing.rows.map { row in JSONValue.object(Array(zip(listing.columns.map(\.key), row.map(value)))) }
        }
        if single { return (objects.first ?? .null).rendered() }
        return JSONValue.array(objects).rendered()
    }

    static func value(_ cell: Cell) -> JSONValue {
        switch cell {
        case .text(let text): return .string(text)
        case .integer(let number): return .integer(number)
        case .decimal(let number): return .decimal(number)
        case .bool(let flag): return .bool(flag)
        case .list(let cells): return .array(cells.map(value))
        case .null: return .null
        }
    }
}
