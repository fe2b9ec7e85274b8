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
        withBytes(ofMember: name, in: text) { Array($0) }
    }

    /// `body` called with the canonical bytes of member `name` (see `bytes(ofMember:in:)`), valid
    /// only during the call; nil without calling it when there are none.
    static func withBytes<Result>(ofMember name: StaticString, in text: UnsafeRawBufferPointer,
                                  _ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result? {
        guard !text.isEmpty else { return nil }
        var writer = Writer(text: text)
        defer { writer.release() }
        return writer.member(name) ? try body(writer.output.bytes) : nil
    }

    /// The canonical bytes of the JSON value `text`, or nil (see the type's guarantees).
    static func bytes(of text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard !text.isEmpty else { return nil }
        var writer = Writer(text: text)
        defer { writer.release() }
        guard writer.value() else { return nil }
        writer.skipSpace()
        return writer.index == text.count ? Array(writer.output.bytes) : nil
    }

    /// Whether a number's text is what Foundation writes for it, so it can be copied: an
    /// integer of at most 18 digits without leading zeros and not `-0` (`Int64` writes it back
    /// as it is), or a number from 0.1 to under 10⁹ with a fraction, at most 15 significant
    /// digits, no exponent and no zero at its end (the shortest text of that `Double`, which
    /// Swift writes in that form: `13.5`, `-0.25`).
    static func isWrittenAsIs(_ token: UnsafeRawBufferPointer) -> Bool {
        var index = token.first == UInt8(ascii: "-") ? 1 : 0
        let integerStart = index
        while index < token.count, token[index] >= UInt8(ascii: "0"), token[index] <= UInt8(ascii: "9") { index += 1 }
        let integerDigits = index - integerStart
        guard integerDigits > 0 else { return false }
        let leadingZero = token[integerStart] == UInt8(ascii: "0")
        if index == token.count {
            return integerDigits <= 18 && (!leadingZero || (integerDigits == 1 && integerStart == 0))
        }
        guard token[index] == UInt8(ascii: "."), integerDigits <= 9, !leadingZero || integerDigits == 1 else { return false }
        index += 1
        let fractionStart = index
        while index < token.count, token[index] >= UInt8(ascii: "0"), token[index] <= UInt8(ascii: "9") { index += 1 }
        let fractionDigits = index - fractionStart
        guard index == token.count, fractionDigits > 0, token[index - 1] != UInt8(ascii: "0") else { return false }
        if leadingZero { return token[fractionStart] != UInt8(ascii: "0") && fractionDigits <= 15 }
        return integerDigits + fractionDigits <= 15
    }

    /// Bytes appended in place. Appending to an array through its generic `append(contentsOf:)`,
    /// and moving an object's members through array slices, cost more than the rest of the writing.
    private struct ByteBuffer {
        private(set) var start: UnsafeMutablePointer<UInt8>
        private(set) var count = 0
        private var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            start = .allocate(capacity: self.capacity)
        }

        func release() { start.deallocate() }

        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }

        mutating func append(_ byte: UInt8) {
            if count == capacity { grow(to: count + 1) }
            start[count] = byte
            count += 1
        }

        mutating func append(_ first: UInt8, _ second: UInt8) {
            if count + 2 > capacity { grow(to: count + 2) }
            start[count] = first
            start[count + 1] = second
            count += 2
        }

        mutating func append(_ bytes: UnsafePointer<UInt8>, count length: Int) {
            if count + length > capacity { grow(to: count + length) }
            (start + count).update(from: bytes, count: length)
            count += length
        }

        /// Forgets the bytes from `position` on.
        mutating func truncate(to position: Int) { count = position }

        @inline(never)
        private mutating func grow(to needed: Int) {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(needed, capacity * 2))
            grown.update(from: start, count: count)
            start.deallocate()
            start = grown
            capacity = max(needed, capacity * 2)
        }
    }

    /// One pass over `text`, writing canonical JSON to `output`. Every method that reads a value
    /// returns false when it meets what it cannot write exactly as Foundation does.
    private struct Writer {
        let text: UnsafeRawBufferPointer
        /// `text`'s bytes (never empty).
        private let byteAt: UnsafePointer<UInt8>
        var index = 0
        private(set) var output: ByteBuffer
        /// Where an object's written members are copied while they are put in order.
        private var scratch: ByteBuffer
        /// The members of the objects being read, innermost last.
        private var members: [Member] = []
        /// An escaped character as Foundation writes it.
        private var escaped: [UInt8] = []

        /// A member written to `output`: its key's place in `text` (between the quotes), and the
        /// place of `"key":value` in `output`.
        private struct Member {
            let key: Range<Int>
            let written: Range<Int>
        }

        init(text: UnsafeRawBufferPointer) {
            self.text = text
            byteAt = text.baseAddress!.assumingMemoryBound(to: UInt8.self)
            output = ByteBuffer(capacity: text.count + text.count / 8)
            scratch = ByteBuffer(capacity: text.count)
            members.reserveCapacity(64)
        }

        func release() {
            output.release()
            scratch.release()
        }

        private var byte: UInt8? { index < text.count ? byteAt[index] : nil }

        @inline(__always)
        mutating func skipSpace() {
            while index < text.count {
                switch byteAt[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
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
                name.count == key.count && zip(key, name).allSatisfy { byteAt[$0.0] == $0.1 }
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
            let count = word.utf8CodeUnitCount
            guard index + count <= text.count else { return false }
            for offset in 0..<count where byteAt[index + offset] != word.utf8Start[offset] { return false }
            output.append(byteAt + index, count: count)
            index += count
            return true
        }

        /// An object, its members written in Foundation's order of their keys. Each member is
        /// written as it is read; only when they were not already in that order are they copied
        /// aside and written again in order.
        private mutating func object() -> Bool {
            index += 1
            output.append(UInt8(ascii: "{"))
            skipSpace()
            if byte == UInt8(ascii: "}") {
                index += 1
                output.append(UInt8(ascii: "}"))
                return true
            }
            let base = members.count
            defer { members.removeLast(members.count - base) }
            let open = output.count
            var inOrder = true
            while true {
                guard let key = memberKey(requireLetters: true) else { return false }
                if members.count > base {
                    if inOrder, !SortedKeysJSON.precedes(text, members[members.count - 1].key, key) { inOrder = false }
                    output.append(UInt8(ascii: ","))
                }
                let start = output.count
                output.append(UInt8(ascii: "\""))
                output.append(byteAt + key.lowerBound, count: key.count)
                output.append(UInt8(ascii: "\""), UInt8(ascii: ":"))
                guard value() else { return false }
                members.append(Member(key: key, written: start..<output.count))
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
            guard inOrder || writeInOrder(membersFrom: base, writtenFrom: open) else { return false }
            output.append(UInt8(ascii: "}"))
            return true
        }

        /// Writes the members from `base` on (written from `open` on) again, in the order of their
        /// keys; false when two keys are equal but for case (or equal).
        private mutating func writeInOrder(membersFrom base: Int, writtenFrom open: Int) -> Bool {
            let text = text
            // An insertion sort: an object has a few members, and they are often nearly in order.
            let inOrder = members.withUnsafeMutableBufferPointer { members in
                for position in (base + 1)..<members.count {
                    let member = members[position]
                    var place = position
                    while place > base, SortedKeysJSON.precedes(text, member.key, members[place - 1].key) {
                        members[place] = members[place - 1]
                        place -= 1
                    }
                    members[place] = member
                }
                for position in (base + 1)..<members.count
                where !SortedKeysJSON.precedes(text, members[position - 1].key, members[position].key) {
                    return false
                }
                return true
            }
            guard inOrder else { return false }
            scratch.truncate(to: 0)
            scratch.append(output.start + open, count: output.count - open)
            output.truncate(to: open)
            for position in base..<members.count {
                let written = members[position].written
                if position > base { output.append(UInt8(ascii: ",")) }
                output.append(scratch.start + (written.lowerBound - open), count: written.count)
            }
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
            while index < text.count {
                let byte = byteAt[index]
                if byte == UInt8(ascii: "\"") { break }
                if requireLetters {
                    guard SortedKeysJSON.rank(of: byte) != nil else { return nil }
                } else if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 {
                    return nil
                }
                index += 1
            }
            guard index < text.count, index > start || !requireLetters else { return nil }
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
                index = JSONPlainText.end(in: text, from: index, slashAndEF: true)
                if index > start { output.append(byteAt + start, count: index - start) }
                guard let byte else { return false }
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    output.append(UInt8(ascii: "\""))
                    return true
                case UInt8(ascii: "/"):
                    output.append(UInt8(ascii: "\\"), UInt8(ascii: "/"))
                case UInt8(ascii: "\\"):
                    guard let scalar = JSONEscape.scalar(in: text, at: &index), scalar != "\u{FEFF}" else { return false }
                    escaped.removeAll(keepingCapacity: true)
                    SortedKeysJSON.write(scalar, into: &escaped)
                    escaped.withUnsafeBufferPointer { output.append($0.baseAddress!, count: $0.count) }
                case 0xEF:
                    // U+FEFF is EF BB BF in UTF-8; any other character beginning with EF is kept.
                    if index + 1 < text.count, byteAt[index] == 0xBB, byteAt[index + 1] == 0xBF { return false }
                    output.append(byte)
                default:
                    return false
                }
            }
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
            if SortedKeysJSONText.isWrittenAsIs(UnsafeRawBufferPointer(rebasing: text[start..<index])) {
                output.append(byteAt + start, count: index - start)
                return true
            }
            let token = String(decoding: UnsafeRawBufferPointer(rebasing: text[start..<index]), as: UTF8.self)
            var written: String
            if isInteger {
                guard let value = Int64(token) else { return false }
                written = String(value)
            } else {
                // Foundation keeps a number with more digits than a Double holds as a decimal.
                guard significant <= 15, let value = Double(token), value.isFinite else { return false }
                written = value.description
                if written.hasSuffix(".0") { written.removeLast(2) }
            }
            written.withUTF8 { output.append($0.baseAddress!, count: $0.count) }
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
