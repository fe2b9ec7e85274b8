import Crypto

/// SHA-256 of a JSON-like value (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`)
/// written in a canonical form: object keys in Swift's `String` order, numbers as Swift writes
/// them. Equal values give equal hashes, whatever order their keys were inserted in.
///
/// For the resources phr builds itself from XML (C-CDA documents, FHIR XML): Foundation's
/// `JSONSerialization` with sorted keys, which FHIR JSON's hashes keep using (stored hashes must
/// not change), compares keys through `NSString` with a locale and cost more than the whole rest
/// of a C-CDA import.
enum CanonicalHash {
    static func sha256(_ value: [String: Any]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        write(value, into: &bytes)
        return bytes.withUnsafeBytes { ContentHash.sha256($0) }
    }

    private static func write(_ value: Any, into bytes: inout [UInt8]) {
        switch JSONKind(value) {
        case .string(let text):
            bytes.append(UInt8(ascii: "\""))
            for byte in text.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in object.keys.sorted().enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                if let item = object[key] { write(item, into: &bytes) }
            }
            bytes.append(UInt8(ascii: "}"))
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .scalar(let scalar):
            // Numbers and Bools; and, by the slower casts, any other form of a string, object or
            // array (a Foundation one, an optional in an `Any`), written as it always was.
            switch scalar {
            case let flag as Bool:
                bytes.append(contentsOf: Array((flag ? "true" : "false").utf8))
            case let integer as Int:
                bytes.append(contentsOf: Array("\(integer)".utf8))
            case let number as Double:
                bytes.append(contentsOf: Array("\(number)".utf8))
            case let text as String:
                write(text, into: &bytes)
            case let object as [String: Any]:
                write(object, into: &bytes)
            case let items as [Any]:
                write(items, into: &bytes)
            default:
                bytes.append(contentsOf: Array("null".utf8))
            }
        }
    }
}
