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
        var lines = [columns.map { field($0.key) }.joined(separator: ",")]
        for listing in listings {
            for row in listing.rows {
                lines.append(row.map { field(raw ? $0.plainText : neutralised($0.plainText)) }.joined(separator: ","))
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
