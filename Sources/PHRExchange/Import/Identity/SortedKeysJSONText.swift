/// `SortedKeysJSON`'s bytes written straight from JSON text, without parsing it into objects: the
/// bytes Foundation's `JSONSerialization` writes with sorted keys for the value that text parses to.
///
/// A bundle's entries are parsed by Foundation for their fields, but writing each resource's
/// canonical form for its content hash from those parsed values (Swift reading Foundation's `Any`s)
/// cost a bundle's parsing thread a quarter of its work; reading the entry's own bytes again costs
/// a fraction of that.
///
/// Guarantees: the answer is byte for byte what `SortedKeysJSON.bytes(of:)`, or else Foundation,
/// writes for the parsed value; `SortedKeysJSONTextTests` checks it against Foundation on thousands
/// of texts. Whatever it cannot be sure to write that way makes it answer nil, and the caller
/// hashes the parsed value as before:
/// - a key with a character other than an ASCII letter or `_` (or written with escapes), or two
///   keys of one object that differ only in case;
/// - a number Foundation keeps as a decimal (more than 15 significant digits), an integer beyond
///   64 bits, a number out of `Double`'s range;
/// - a lone UTF-16 surrogate in a `\u` escape, a byte order mark in a string (Foundation's parser
///   drops one that begins a run of plain text), and anything that is not JSON.
/// The text must be what Foundation parsed (its UTF-8 is then known to be valid).
enum SortedKeysJSONText {
    /// The canonical bytes of the value of member `name` of the JSON object `text` (a bundle
    /// entry's `resource`), or nil (see the type's guarantees, and when `name` is not a member, or
    /// is one more than once).
    static func bytes(ofMember name: StaticString, in text: UnsafeRawBufferPointer) -> [UInt8]? {
        var writer = Writer(text: text)
        return writer.member(name) ? writer.output : nil
    }

    /// The canonical bytes of the JSON value `text`, or nil (see the type's guarantees).
    static func bytes(of text: UnsafeRawBufferPointer) -> [UInt8]? {
        var writer = Writer(text: text)
        guard writer.value() else { return nil }
        writer.skipSpace()
        return writer.index == text.count ? writer.output : nil
    }

    /// One pass over `text`, writing canonical JSON to `output`. Every method that reads a value
    /// returns false when it meets what it cannot write exactly as Foundation does.
    private struct Writer {
        let text: UnsafeRawBufferPointer
        var index = 0
        var output: [UInt8] = []
        /// The members of the objects being read, innermost last: their keys' places in `text` and
        /// their values' places in `output`.
        private var members: [(key: Range<Int>, value: Range<Int>)] = []
        /// Where an object's written members are copied while they are put in order.
        private var scratch: [UInt8] = []

        init(text: UnsafeRawBufferPointer) {
            self.text = text
            output.reserveCapacity(text.count)
        }

        private var byte: UInt8? { index < text.count ? text[index] : nil }

        mutating func skipSpace() {
            while let byte, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        /// Reads the object at `index` and writes the value of its member `name` alone.
        mutating func member(_ name: StaticString) -> Bool {
            skipSpace()
            guard byte == UInt8(ascii: "{") else { return false }
            index += 1
            skipSpace()
            if byte == UInt8(ascii: "}") { return false }
            var found = false
            while true {
                guard let key = memberKey(requireLetters: false) else { return false }
                if isKey(key, name) {
                    guard !found, value() else { return false }
                    found = true
                } else {
                    guard skipValue() else { return false }
                }
                skipSpace()
                if byte == UInt8(ascii: ",") {
                    index += 1
                } else if byte == UInt8(ascii: "}") {
                    index += 1
                    return found
                } else {
                    return false
                }
            }
        }

        private func isKey(_ key: Range<Int>, _ name: StaticString) -> Bool {
            name.withUTF8Buffer { name in
                name.count == key.count && zip(key, name).allSatisfy { text[$0.0] == $0.1 }
            }
        }

        mutating func value() -> Bool {
            switch byte {
            case UInt8(ascii: "{")?: return object()
            case UInt8(ascii: "[")?: return array()
            case UInt8(ascii: "\"")?: return string()
            case UInt8(ascii: "t")?: return literal("true")
            case UInt8(ascii: "f")?: return literal("false")
            case UInt8(ascii: "n")?: return literal("null")
            case .some: return number()
            case nil: return false
            }
        }

        private mutating func literal(_ word: StaticString) -> Bool {
            word.withUTF8Buffer { word in
                guard index + word.count <= text.count,
                      (0..<word.count).allSatisfy({ text[index + $0] == word[$0] }) else { return false }
                output.append(contentsOf: word)
                index += word.count
                return true
            }
        }

        /// An object, its members written in Foundation's order of their keys.
        private mutating func object() -> Bool {
            index += 1
            let base = members.count
            let start = output.count
            defer { members.removeSubrange(base...) }
            skipSpace()
            if byte == UInt8(ascii: "}") {
                index += 1
                output.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")])
                return true
            }
            while true {
                guard let key = memberKey(requireLetters: true) else { return false }
                let valueStart = output.count
                guard value() else { return false }
                members.append((key, valueStart..<output.count))
                skipSpace()
                if byte == UInt8(ascii: ",") {
                    index += 1
                } else if byte == UInt8(ascii: "}") {
                    index += 1
                    break
                } else {
                    return false
                }
            }
            let text = text
            members[base...].sort { SortedKeysJSON.precedes(text, $0.key, $1.key) }
            // The loop above has read at least one member.
            for position in (base + 1)..<members.count
            where !SortedKeysJSON.precedes(text, members[position - 1].key, members[position].key) {
                return false
            }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: output[start...])
            output.removeSubrange(start...)
            output.append(UInt8(ascii: "{"))
            for position in base..<members.count {
                let member = members[position]
                if position > base { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[member.key]))
                output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
                output.append(contentsOf: scratch[(member.value.lowerBound - start)..<(member.value.upperBound - start)])
            }
            output.append(UInt8(ascii: "}"))
            return true
        }

        private mutating func array() -> Bool {
            index += 1
            output.append(UInt8(ascii: "["))
            skipSpace()
            if byte == UInt8(ascii: "]") {
                index += 1
                output.append(UInt8(ascii: "]"))
                return true
            }
            while true {
                skipSpace()
                guard value() else { return false }
                skipSpace()
                if byte == UInt8(ascii: ",") {
                    index += 1
                    output.append(UInt8(ascii: ","))
                } else if byte == UInt8(ascii: "]") {
                    index += 1
                    output.append(UInt8(ascii: "]"))
                    return true
                } else {
                    return false
                }
            }
        }

        /// A member's key (see `key`) and the colon after it, with the white space around them:
        /// `index` is then at the member's value.
        private mutating func memberKey(requireLetters: Bool) -> Range<Int>? {
            skipSpace()
            guard let key = key(requireLetters: requireLetters) else { return nil }
            skipSpace()
            guard byte == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            return key
        }

        /// A key's place in `text`, between its quotes; nil when it has escapes or anything but
        /// ASCII (Foundation's parser drops a byte order mark that begins a key), or (with
        /// `requireLetters`) a character other than an ASCII letter or `_`, or is empty.
        private mutating func key(requireLetters: Bool) -> Range<Int>? {
            guard byte == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            while let byte, byte != UInt8(ascii: "\"") {
                if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
                if requireLetters && SortedKeysJSON.rank(of: byte) == nil { return nil }
                index += 1
            }
            guard byte != nil, index > start || !requireLetters else { return nil }
            index += 1
            return start..<(index - 1)
        }

        /// A string value, unescaped and escaped again as Foundation writes it (`"` `\` `/` and the
        /// control characters escaped, everything else as UTF-8). A string with a byte order mark
        /// (U+FEFF) is declined: Foundation's parser drops one that begins a run of plain text.
        private mutating func string() -> Bool {
            index += 1
            output.append(UInt8(ascii: "\""))
            while true {
                let start = index
                while let byte, byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "/") && byte >= 0x20 {
                    if byte == 0xEF, index + 2 < text.count, text[index + 1] == 0xBB, text[index + 2] == 0xBF { return false }
                    index += 1
                }
                if index > start { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[start..<index])) }
                guard let byte else { return false }
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    output.append(UInt8(ascii: "\""))
                    return true
                case UInt8(ascii: "/"):
                    output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "/")])
                case UInt8(ascii: "\\"):
                    guard let scalar = escaped(), scalar != "\u{FEFF}" else { return false }
                    SortedKeysJSON.write(scalar, into: &output)
                default:
                    return false
                }
            }
        }

        /// The character an escape after `\` stands for (`JSONEscape`).
        private mutating func escaped() -> Unicode.Scalar? {
            JSONEscape.scalar(in: text, at: &index)
        }

        /// A number as Foundation's parser keeps it and its writer writes it: an integer (no
        /// fraction or exponent) in decimal; any other as the `Double` it names, written as
        /// `SortedKeysJSON` writes one.
        private mutating func number() -> Bool {
            let start = index
            var isInteger = true
            var significant = 0
            var leadingZeros = true
            var inExponent = false
            while let byte {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if !inExponent {
                        if byte != UInt8(ascii: "0") { leadingZeros = false }
                        if !leadingZeros { significant += 1 }
                    }
                case UInt8(ascii: "."): isInteger = false
                case UInt8(ascii: "e"), UInt8(ascii: "E"):
                    isInteger = false
                    inExponent = true
                case UInt8(ascii: "-"), UInt8(ascii: "+"): break
                default:
                    if index == start { return false }
                    return writeNumber(start, isInteger: isInteger, significant: significant)
                }
                index += 1
            }
            return index > start && writeNumber(start, isInteger: isInteger, significant: significant)
        }

        private mutating func writeNumber(_ start: Int, isInteger: Bool, significant: Int) -> Bool {
            let token = String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<index]), as: UTF8.self)
            if isInteger {
                guard let value = Int64(token) else { return false }
                output.append(contentsOf: String(value).utf8)
                return true
            }
            // Foundation keeps a number with more digits than a Double holds as a decimal.
            guard significant <= 15, let value = Double(token), value.isFinite else { return false }
            SortedKeysJSON.write(value, into: &output)
            return true
        }

        /// Passes over the value at `index` (its contents are not checked: Foundation has parsed it).
        private mutating func skipValue() -> Bool {
            var depth = 0
            repeat {
                guard let current = byte else { return false }
                switch current {
                case UInt8(ascii: "\""):
                    index += 1
                    while let byte, byte != UInt8(ascii: "\"") { index += byte == UInt8(ascii: "\\") ? 2 : 1 }
                    guard index < text.count else { return false }
                    index += 1
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    guard depth > 0 else { return false }
                    depth -= 1
                    index += 1
                default:
                    if depth == 0 {
                        // A number or literal: up to the byte that ends it.
                        let start = index
                        while let byte, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"),
                              byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09 {
                            index += 1
                        }
                        return index > start
                    }
                    index += 1
                }
            } while depth > 0
            return true
        }
    }
}
