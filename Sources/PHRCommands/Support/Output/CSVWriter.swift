import Foundation

/// RFC 4180 CSV: a header of field names, CRLF line ends, fields quoted when they hold a comma,
/// a quote, CR or LF, quotes doubled.
enum CSVWriter {
    static func render(_ listings: [Listing]) -> String {
        guard let columns = listings.first?.columns else { return "" }
        var lines = [columns.map { field($0.key) }.joined(separator: ",")]
        for listing in listings {
            for row in listing.rows {
                lines.append(row.map { field($0.plainText) }.joined(separator: ","))
            }
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
