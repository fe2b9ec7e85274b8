/// JSON for scripts: objects keep the listing's column order and field names, values keep their
/// types (numbers, strings, booleans, arrays, null). Lists print as an array, items as an object.
enum JSONWriter {
    static func render(_ listings: [Listing], single: Bool) -> String {
        let objects = listings.flatMap { listing in
            listing.rows.map { row in object(zip(listing.columns.map(\.key), row), indent: single ? 0 : 1) }
        }
        if single { return (objects.first ?? "null") + "\n" }
        if objects.isEmpty { return "[]\n" }
        return "[\n  " + objects.joined(separator: ",\n  ") + "\n]\n"
    }

    private static func object<S: Sequence>(_ fields: S, indent: Int) -> String where S.Element == (String, Cell) {
        let pad = String(repeating: "  ", count: indent + 1)
        let close = String(repeating: "  ", count: indent)
        let members = fields.map { "\(pad)\(string($0.0)): \(value($0.1))" }
        return "{\n" + members.joined(separator: ",\n") + "\n\(close)}"
    }

    static func value(_ cell: Cell) -> String {
        switch cell {
        case .text(let text): return string(text)
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .list(let cells): return "[" + cells.map(value).joined(separator: ", ") + "]"
        case .null: return "null"
        }
    }

    /// A JSON string literal (RFC 8259): quotes, backslashes and control characters escaped.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
