import Foundation

/// RFC 4180 CSV: a header of field names, CRLF line ends, fields quoted when they hold a comma,
/// a quote, CR or LF, quotes doubled.
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and a leading
/// tab or CR can hide one), so text from the store such as `=HYPERLINK("http://x","y")` could
/// act when the file is opened. Unless `raw`, such cells are written with a leading `'`, as
/// OWASP advises; numbers (`-5`, `+1.5`) are left as they are, since no spreadsheet runs them.
enum CSVWriter {
    static func render(_ listings: [Listing], raw: Bool = false) -> String {
        guard let columns = listings.first?.columns else { return "" }
        var out = columns.map { field($0.key) }.joined(separator: ",") + "\r\n"
        for listing in listings {
            for row in listing.rows {
                for (index, cell) in row.enumerated() {
                    if index > 0 { out += "," }
                    out += field(raw ? cell.plainText : neutralised(cell.plainText))
                }
                out += "\r\n"
            }
        }
        return out
    }

    static func field(_ text: String) -> String {
        // Text without one of these bytes has none of these characters: most fields, found
        // without breaking the text into characters.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }),
              text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `text` that a spreadsheet will show rather than run.
    static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first), !isNumber(text) else { return text }
        return "'" + text
    }

    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// A plain decimal number with an optional sign: `-5`, `+1.25`.
    private static func isNumber(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return !digits.isEmpty && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
