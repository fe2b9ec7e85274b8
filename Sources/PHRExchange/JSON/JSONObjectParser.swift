import Foundation

/// A JSON object parsed into the values Foundation's `JSONSerialization` gives for it (`String`,
/// `[String: Any]`, `[Any]`, `NSNumber`, `NSNull`), at a fraction of its cost: every imported
/// resource is parsed, and on Linux Foundation's parser spent more than half of the parsing
/// threads' instructions, most of them making each string through a generic initializer that
/// looks up type metadata at run time (see the import profile in docs/PERFORMANCE.md).
///
/// Guarantees: whenever `object(in:)` answers, its answer is equal to what `JSONSerialization`
/// parses the same text to, value for value and type for type (numbers are parsed by Foundation
/// itself, so integers, doubles and decimals stay what they were, and content hashes written from
/// parsed values do not change); `JSONObjectParserTests` checks this against Foundation on
/// thousands of texts. Whatever it cannot be sure to read as Foundation does makes it answer nil,
/// and the caller asks Foundation (`parse(_:)` does both), which also words any error:
/// - anything that is not JSON, or not an object at the top;
/// - text that does not begin with `{` after JSON white space (a byte order mark, another encoding);
/// - a string with a byte order mark (Foundation drops one that begins a run of plain text), a
///   `\u0000` escape, a lone UTF-16 surrogate, or bytes that are not UTF-8;
/// - two members of one object with the same key;
/// - nesting deeper than 500 levels (Foundation refuses more than 512).
enum JSONObjectParser {
    /// The object `text` holds, parsed as Foundation parses it: by this parser when it can, else by
    /// `JSONSerialization` (which throws for text that is not JSON). `fragmentsAllowed`: a value
    /// other than an object or an array at the top is returned rather than refused.
    static func parse(_ text: UnsafeRawBufferPointer, fragmentsAllowed: Bool = false) throws -> Any {
        if let object = object(in: text) { return object }
        let data = text.baseAddress.map {
            Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: text.count, deallocator: .none)
        } ?? Data()
        return try JSONSerialization.jsonObject(with: data, options: fragmentsAllowed ? [.fragmentsAllowed] : [])
    }

    /// The object `text` holds, or nil (see the type's guarantees).
    static func object(in text: UnsafeRawBufferPointer) -> [String: Any]? {
        var reader = Reader(text: text)
        reader.skipSpace()
        guard reader.byte == UInt8(ascii: "{"), let object = reader.object(depth: 0) else { return nil }
        reader.skipSpace()
        return reader.index == text.count ? object : nil
    }

    /// One pass over `text`. Every method that reads a value returns nil when it meets what it
    /// cannot read exactly as Foundation does.
    private struct Reader {
        let text: UnsafeRawBufferPointer
        var index = 0
        /// Where a string with escapes is put together.
        private var scratch: [UInt8] = []
        /// The members of the objects being read, innermost last: each object's dictionary is made
        /// at its end, at its final size, so that no key is hashed again as it grows.
        private var members: [Member] = []

        private struct Member {
            let key: String
            let value: Any
        }
        private static let maximumDepth = 500

        init(text: UnsafeRawBufferPointer) {
            self.text = text
        }

        var byte: UInt8? { index < text.count ? text[index] : nil }

        mutating func skipSpace() {
            while index < text.count {
                switch text[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) -> Any? {
            skipSpace()
            guard let byte else { return nil }
            switch byte {
            case UInt8(ascii: "{"): return object(depth: depth + 1)
            case UInt8(ascii: "["): return array(depth: depth + 1)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true", NSNumber(value: true))
            case UInt8(ascii: "f"): return literal("false", NSNumber(value: false))
            case UInt8(ascii: "n"): return literal("null", NSNull())
            default: return number()
            }
        }

        /// The object at `index` (its `{`).
        mutating func object(depth: Int) -> [String: Any]? {
            guard depth <= Self.maximumDepth else { return nil }
            index += 1
            skipSpace()
            if byte == UInt8(ascii: "}") {
                index += 1
                return [:]
            }
            let first = members.count
            while true {
                skipSpace()
                guard byte == UInt8(ascii: "\""), let key = string() else { return nil }
                skipSpace()
                guard byte == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let value = value(depth: depth) else { return nil }
                members.append(Member(key: key, value: value))
                skipSpace()
                switch byte {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    defer { members.removeSubrange(first...) }
                    var object = [String: Any](minimumCapacity: members.count - first)
                    for member in members[first...] {
                        // Which of two equal keys Foundation keeps is its own affair: it decides.
                        guard object.updateValue(member.value, forKey: member.key) == nil else { return nil }
                    }
                    return object
                default: return nil
                }
            }
        }

        /// The array at `index` (its `[`).
        mutating func array(depth: Int) -> [Any]? {
            guard depth <= Self.maximumDepth else { return nil }
            index += 1
            var items: [Any] = []
            skipSpace()
            if byte == UInt8(ascii: "]") {
                index += 1
                return items
            }
            while true {
                guard let item = value(depth: depth) else { return nil }
                items.append(item)
                skipSpace()
                switch byte {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return items
                default: return nil
                }
            }
        }

        /// `true`, `false` or `null` at `index`, as `value`.
        mutating func literal(_ word: StaticString, _ value: Any) -> Any? {
            let count = word.utf8CodeUnitCount
            guard index + count <= text.count else { return nil }
            for offset in 0..<count where text[index + offset] != word.utf8Start[offset] { return nil }
            index += count
            return value
        }

        /// The number at `index`, parsed by Foundation (which picks the integer, double or decimal
        /// form it would have given inside the document).
        mutating func number() -> Any? {
            let start = index
            while index < text.count {
                switch text[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                     UInt8(ascii: "e"), UInt8(ascii: "E"):
                    index += 1
                default:
                    guard index > start, let base = text.baseAddress else { return nil }
                    return Self.foundationNumber(UnsafeRawBufferPointer(start: base + start, count: index - start))
                }
            }
            return nil
        }

        private static func foundationNumber(_ text: UnsafeRawBufferPointer) -> NSNumber? {
            guard let base = text.baseAddress else { return nil }
            let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: text.count, deallocator: .none)
            return (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) as? NSNumber
        }

        /// The string at `index` (its opening quote).
        mutating func string() -> String? {
            index += 1
            let start = index
            // Whether the string has bytes beyond ASCII: only then is its UTF-8 checked, and looked
            // through for a byte order mark.
            var beyondASCII = false
            // Most strings have no escape: made straight from the text.
            while index < text.count {
                let byte = text[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return Self.string(UnsafeRawBufferPointer(rebasing: text[start..<index]), beyondASCII: beyondASCII)
                }
                if byte == UInt8(ascii: "\\") { break }
                guard byte >= 0x20 else { return nil }
                if byte >= 0x80 { beyondASCII = true }
                index += 1
            }
            guard index < text.count else { return nil }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: text[start..<index])
            while index < text.count {
                let byte = text[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    // Escapes can write bytes beyond ASCII, a mark among them.
                    return scratch.withUnsafeBytes { Self.string($0, beyondASCII: true) }
                case UInt8(ascii: "\\"):
                    guard escape() else { return nil }
                case 0..<0x20:
                    return nil
                default:
                    scratch.append(byte)
                }
            }
            return nil
        }

        /// The escape after a backslash (`JSONEscape`), written to `scratch` as UTF-8; false for
        /// one that is not JSON, and for `\u0000`.
        private mutating func escape() -> Bool {
            guard let scalar = JSONEscape.scalar(in: text, at: &index), scalar.value != 0,
                  let encoded = UTF8.encode(scalar) else { return false }
            scratch.append(contentsOf: encoded)
            return true
        }

        /// `bytes` as a string, when they are UTF-8 without a byte order mark (which Foundation
        /// drops in some places: it decides). `beyondASCII`: whether any byte is 0x80 or above.
        ///
        /// ASCII is made into a string without a check; the rest is checked by the standard
        /// library (`String(validating:as:)`, which looks up type metadata at run time: what made
        /// Foundation's parser slow, paid here only for the few strings that need it).
        private static func string(_ bytes: UnsafeRawBufferPointer, beyondASCII: Bool) -> String? {
            bytes.withMemoryRebound(to: UInt8.self) { units in
                guard beyondASCII else { return String(decoding: units, as: UTF8.self) }
                var offset = 0
                while let found = units[offset...].firstIndex(of: 0xEF) {
                    if found + 2 < units.count, units[found + 1] == 0xBB, units[found + 2] == 0xBF { return nil }
                    offset = found + 1
                }
                return String(validating: units, as: UTF8.self)
            }
        }
    }
}
