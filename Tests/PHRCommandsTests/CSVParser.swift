/// A strict RFC 4180 reader for checking phr's CSV: records end with CRLF, fields containing a
/// comma, quote, CR or LF are quoted, quotes inside are doubled. Anything else is an error, so a
/// test fails when phr writes CSV that other programs would misread.
enum CSVParser {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var scalars = Array(text.unicodeScalars)[...]
        var quoted = false
        var fieldStarted = false
        while let scalar = scalars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if scalars.first == "\"" {
                        scalars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        guard let next = scalars.first, next == "," || next == "\r" else {
                            throw Malformed(description: "a closing quote must end its field")
                        }
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard !fieldStarted, field.isEmpty else { throw Malformed(description: "a quote inside an unquoted field") }
                quoted = true
                fieldStarted = true
            case ",":
                fields.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                guard scalars.popFirst() == "\n" else { throw Malformed(description: "CR without LF") }
                fields.append(field)
                records.append(fields)
                fields = []
                field = ""
                fieldStarted = false
            case "\n":
                throw Malformed(description: "a bare LF ends a record (RFC 4180 wants CRLF)")
            default:
                field.unicodeScalars.append(scalar)
                fieldStarted = true
            }
        }
        guard !quoted else { throw Malformed(description: "an unterminated quoted field") }
        guard fields.isEmpty, field.isEmpty else { throw Malformed(description: "the last record does not end with CRLF") }
        return records
    }
}
