import Foundation

/// A JSON value whose objects keep their keys in the order they were added, written as UTF-8 text:
/// phr's one JSON writer, for FHIR files, packets and every command's `--format json`.
///
/// Guarantees: the same value always gives the same text; strings are escaped one way everywhere
/// (RFC 8259: `\"`, `\\`, `\b \f \n \r \t`, other control characters and U+2028/U+2029 as
/// `\u00XX`, everything else, non-BMP characters included, as UTF-8, never as surrogate pairs).
///
/// FHIR JSON is easier to read when `resourceType` and `id` come first and elements follow the
/// specification's order; Foundation's encoders do not promise an order, and escape differently
/// on each platform. FHIR's own rules (no `null`, no empty values) are kept by
/// `JSONObjectBuilder`.
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case integer(Int64)
    /// A finite decimal number (a lab value); non-finite numbers are written as `null`.
    case decimal(Double)
    case bool(Bool)
    case null

    /// A string, or `null` when `text` is `nil`.
    public init(_ text: String?) { self = text.map(JSONValue.string) ?? .null }
    /// A number, or `null` when `number` is `nil`.
    public init(_ number: Int64?) { self = number.map(JSONValue.integer) ?? .null }
    /// A number, or `null` when `number` is `nil`.
    public init(_ number: Int?) { self = number.map { JSONValue.integer(Int64($0)) } ?? .null }
    /// An array of strings.
    public init(_ texts: [String]) { self = .array(texts.map(JSONValue.string)) }
    /// An array of numbers.
    public init(_ numbers: [Int64]) { self = .array(numbers.map(JSONValue.integer)) }

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case (.null, .null): return true
        default: return false
        }
    }

    /// Pretty-printed text (two-space indent, `": "` after keys), ending with a newline.
    public func rendered() -> String {
        var output = ""
        write(to: &output, indent: 0)
        output.append("\n")
        return output
    }

    private func write(to output: inout String, indent: Int) {
        switch self {
        case .object(let members):
            guard !members.isEmpty else { output.append("{}"); return }
            output.append("{\n")
            for (index, (key, value)) in members.enumerated() {
                output.append(String(repeating: "  ", count: indent + 1))
                Self.writeString(key, to: &output)
                output.append(": ")
                value.write(to: &output, indent: indent + 1)
                output.append(index == members.count - 1 ? "\n" : ",\n")
            }
            output.append(String(repeating: "  ", count: indent) + "}")
        case .array(let elements):
            guard !elements.isEmpty else { output.append("[]"); return }
            output.append("[\n")
            for (index, element) in elements.enumerated() {
                output.append(String(repeating: "  ", count: indent + 1))
                element.write(to: &output, indent: indent + 1)
                output.append(index == elements.count - 1 ? "\n" : ",\n")
            }
            output.append(String(repeating: "  ", count: indent) + "]")
        case .string(let text):
            Self.writeString(text, to: &output)
        case .integer(let number):
            output.append(String(number))
        case .decimal(let number):
            guard number.isFinite else { output.append("null"); return }
            if number == number.rounded(), abs(number) < 1e15 {
                output.append(String(Int64(number)))
            } else {
                output.append(String(number))
            }
        case .bool(let flag):
            output.append(flag ? "true" : "false")
        case .null:
            output.append("null")
        }
    }

    /// The JSON string literal of `text`, quotes included.
    public static func quoted(_ text: String) -> String {
        var output = ""
        writeString(text, to: &output)
        return output
    }

    /// RFC 8259 string escaping: quote, backslash and every control character. Text with none of
    /// them (most text) is appended whole.
    private static func writeString(_ text: String, to output: inout String) {
        output.append("\"")
        guard needsEscaping(text) else {
            output.append(text)
            output.append("\"")
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            default:
                if scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}" {
                    let hex = String(scalar.value, radix: 16)
                    output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output.append("\"")
    }

    /// Whether `writeString` escapes anything in `text`: a quote, a backslash, a control character
    /// below U+0020, U+2028 or U+2029 (`E2 80 A8`, `E2 80 A9`), read over its UTF-8 bytes.
    private static func needsEscaping(_ text: String) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var index = 0
            while index < bytes.count {
                switch bytes[index] {
                case 0x00..<0x20, UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    return true
                case 0xE2:
                    if index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 {
                        return true
                    }
                default:
                    break
                }
                index += 1
            }
            return false
        }
        return found ?? true
    }
}
