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
            guard let members = sortedMembers(of: object) else { return false }
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(member.key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                guard write(member.value, into: &bytes) else { return false }
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
            write(value, into: &bytes)
        default:
            return false
        }
        return true
    }

    /// A finite floating-point number as Swift describes it without a final `.0`.
    static func write(_ value: Double, into bytes: inout [UInt8]) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A string between quotes with Foundation's escapes: `"` `\` `/`, the named control
    /// characters, the others as `\u00xx`; everything else as its UTF-8.
    private static func write(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        // The parser's strings are often Foundation's (UTF-16 inside): made contiguous UTF-8
        // once, then most text, which needs no escape, is copied whole rather than byte by byte.
        var text = text
        text.makeContiguousUTF8()
        let copied = text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            guard !utf8.contains(where: needsEscape) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 { write(byte, into: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// One character of a string (`scalar`) as Foundation writes it inside quotes.
    static func write(_ scalar: Unicode.Scalar, into bytes: inout [UInt8]) {
        if scalar.isASCII {
            write(UInt8(scalar.value), into: &bytes)
        } else {
            if let encoded = UTF8.encode(scalar) { bytes.append(contentsOf: encoded) }
        }
    }

    /// One byte of a string's UTF-8 as Foundation writes it inside quotes: escaped when
    /// `needsEscape`, else as it is.
    private static func write(_ byte: UInt8, into bytes: inout [UInt8]) {
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

    /// Whether Foundation writes `byte` escaped: `"` `\\` `/` and the control characters.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/")
    }

    /// The members in Foundation's order of their keys, or nil when a key has a character other
    /// than an ASCII letter or `_`, or two keys differ only in case (Foundation's order for those
    /// is not written here).
    private static func sortedMembers(of object: [String: Any]) -> [(key: String, value: Any)]? {
        var members: [(key: String, value: Any)] = []
        members.reserveCapacity(object.count)
        for (key, value) in object {
            // Contiguous UTF-8 (see `write(_:into:)`), so that sorting reads the bytes directly.
            var key = key
            key.makeContiguousUTF8()
            guard key.utf8.allSatisfy({ rank(of: $0) != nil }) else { return nil }
            members.append((key, value))
        }
        members.sort { precedes($0.key, $1.key) }
        for index in members.indices.dropFirst() where !precedes(members[index - 1].key, members[index].key) {
            return nil
        }
        return members
    }

    /// Whether `a` comes before `b` (keys of ASCII letters and `_` only): by the rank of their
    /// bytes, `_` first, then the letters with case ignored; a key before the longer keys it begins.
    private static func precedes(_ a: String, _ b: String) -> Bool {
        precedes(a.utf8, b.utf8)
    }

    /// `precedes` for two keys written in `text`, at `a` and `b`.
    static func precedes(_ text: UnsafeRawBufferPointer, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        for offset in 0..<min(a.count, b.count) {
            let (x, y) = (rank(of: text[a.lowerBound + offset]) ?? 0, rank(of: text[b.lowerBound + offset]) ?? 0)
            if x != y { return x < y }
        }
        return a.count < b.count
    }

    private static func precedes<Key: Sequence<UInt8>, Other: Sequence<UInt8>>(_ a: Key, _ b: Other) -> Bool {
        var right = b.makeIterator()
        for left in a {
            guard let other = right.next() else { return false }
            let (x, y) = (rank(of: left) ?? 0, rank(of: other) ?? 0)
            if x != y { return x < y }
        }
        return right.next() != nil
    }

    /// The rank of a key's byte: `_` 0, a letter of either case its place in the alphabet (1–26),
    /// anything else nil.
    static func rank(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "_"): return 0
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 1
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A") + 1
        default: return nil
        }
    }
}
