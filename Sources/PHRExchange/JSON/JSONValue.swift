import Foundation

/// A JSON value whose objects keep their keys in the order they were added, written as UTF-8 text.
///
/// FHIR JSON is easier to read when `resourceType` and `id` come first and elements follow the
/// specification's order; Foundation's encoders do not promise an order. Building the value by
/// hand also makes the FHIR rules explicit: the builders below never emit `null`, an empty string,
/// an empty array or an empty object (all forbidden in FHIR JSON).
public indirect enum JSONValue: Sendable, Equatable {
    case object([(String, JSONValue)])
    case array([JSONValue])
    case string(String)
    case integer(Int64)
    case bool(Bool)

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.array(x), .array(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.integer(x), .integer(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
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
        case .bool(let flag):
            output.append(flag ? "true" : "false")
        }
    }

    /// RFC 8259 string escaping: quote, backslash and every control character.
    private static func writeString(_ text: String, to output: inout String) {
        output.append("\"")
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
}

/// Builds a JSON object member by member, leaving out absent and empty values, so that what comes
/// out is valid FHIR JSON whatever is missing from the store.
public struct JSONObjectBuilder: Sendable {
    public private(set) var members: [(String, JSONValue)] = []

    public init() {}

    public var isEmpty: Bool { members.isEmpty }

    /// Adds `value` unless it is nil, an empty string, or an empty array or object.
    public mutating func set(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        switch value {
        case .string(let text) where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty: return
        case .array(let elements) where elements.isEmpty: return
        case .object(let members) where members.isEmpty: return
        default: members.append((key, value))
        }
    }

    public mutating func set(_ key: String, _ text: String?) {
        set(key, text.map(JSONValue.string))
    }

    public mutating func set(_ key: String, _ number: Int64?) {
        set(key, number.map(JSONValue.integer))
    }

    public mutating func set(_ key: String, _ objects: [JSONObjectBuilder]) {
        set(key, .array(objects.filter { !$0.isEmpty }.map(\.value)))
    }

    public mutating func set(_ key: String, _ object: JSONObjectBuilder?) {
        set(key, object.map(\.value))
    }

    public var value: JSONValue { .object(members) }
}
