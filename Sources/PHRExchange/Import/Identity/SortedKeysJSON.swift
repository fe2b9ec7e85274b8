import Foundation

/// A parsed FHIR JSON resource written byte for byte as Foundation's
/// `JSONSerialization.data(withJSONObject:options: [.sortedKeys])` writes it: the form whose
/// SHA-256 is the content hash phr has always stored for a resource read from a JSON file
/// (`ContentHash.sha256(canonical:place:)`), so the hash must not change.
///
/// Foundation sorts keys by comparing every pair through `NSString` with the system locale (case
/// insensitive, numbers by value, `_` before letters), which cost more than half of a bundle's
/// import. Here keys are compared by their bytes instead, which gives the same order for the keys
/// FHIR writes: ASCII letters and `_`. Anything this writer cannot write exactly as Foundation does
/// — a key with another character, two keys of one object that differ only in case, a number
/// Foundation keeps as a decimal, a value of another type — makes `bytes(of:)` return nil, and the
/// caller uses Foundation's writer. `SortedKeysJSONTests` checks the two agree byte for byte.
enum SortedKeysJSON {
    /// The bytes Foundation writes for `object` with sorted keys, or nil when this writer cannot
    /// be sure to write the same.
    static func bytes(of object: [String: Any]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1024)
        return write(object, into: &bytes) ? bytes : nil
    }

    private static func write(_ value: Any, into bytes: inout [UInt8]) -> Bool {
        switch JSONKind(value) {
        case .string(let text):
            write(text, into: &bytes)
            return true
        case .object(let object):
            guard let keys = sortedKeys(of: object) else { return false }
            bytes.append(UInt8(ascii: "{"))
            for (index, key) in keys.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                guard let item = object[key], write(item, into: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "}"))
            return true
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                guard write(item, into: &bytes) else { return false }
            }
            bytes.append(UInt8(ascii: "]"))
            return true
        case .scalar(let scalar):
            return write(scalar: scalar, into: &bytes)
        }
    }

    /// `null`, and numbers and Bools as the parser gives them (`NSNumber`): a Bool as `true` or
    /// `false`, an integer in decimal, a floating-point number as Swift describes it without a
    /// final `.0` (`100`, `13.5`, `1e-07`).
    private static func write(scalar: Any, into bytes: inout [UInt8]) -> Bool {
        if JSONKind.isNull(scalar) {
            bytes.append(contentsOf: "null".utf8)
            return true
        }
        guard let number = scalar as? NSNumber, !(scalar is NSDecimalNumber) else { return false }
        switch number.objCType.pointee {
        case CChar(UInt8(ascii: "c")):
            bytes.append(contentsOf: (number.boolValue ? "true" : "false").utf8)
        case CChar(UInt8(ascii: "i")), CChar(UInt8(ascii: "q")), CChar(UInt8(ascii: "l")), CChar(UInt8(ascii: "s")):
            bytes.append(contentsOf: String(number.int64Value).utf8)
        case CChar(UInt8(ascii: "d")):
            let value = number.doubleValue
            guard value.isFinite else { return false }
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes.append(contentsOf: text.utf8)
        default:
            return false
        }
        return true
    }

    /// A string between quotes with Foundation's escapes: `"` `\` `/`, the named control
    /// characters, the others as `\u00xx`; everything else as its UTF-8.
    private static func write(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                          digits[Int(byte >> 4)], digits[Int(byte & 15)]])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The keys in Foundation's order, or nil when one has a character other than an ASCII letter
    /// or `_`, or two differ only in case (Foundation's order for those is not written here).
    private static func sortedKeys(of object: [String: Any]) -> [String]? {
        var keys: [(key: String, rank: [UInt8])] = []
        keys.reserveCapacity(object.count)
        for key in object.keys {
            guard let rank = rank(of: key) else { return nil }
            keys.append((key, rank))
        }
        keys.sort { $0.rank.lexicographicallyPrecedes($1.rank) }
        for index in keys.indices.dropFirst() where keys[index].rank == keys[index - 1].rank { return nil }
        return keys.map(\.key)
    }

    /// What orders `key` among keys of ASCII letters and `_`: `_` first, then the letters with
    /// case ignored; a key before the longer keys it begins.
    private static func rank(of key: String) -> [UInt8]? {
        var rank: [UInt8] = []
        rank.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "_"): rank.append(0)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): rank.append(byte - UInt8(ascii: "a") + 1)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): rank.append(byte - UInt8(ascii: "A") + 1)
            default: return nil
            }
        }
        return rank
    }
}
