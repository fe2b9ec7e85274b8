import Foundation

/// Finds the entries of a FHIR Bundle in a JSON file without parsing it into objects: one pass over
/// the bytes, read 1 MiB at a time, that keeps where each element of the root's `entry` array
/// starts and ends, and the `resourceType` of its `resource`. Each entry can then be read back by
/// its place and parsed alone, so a bundle is never held whole.
///
/// Guarantees: the whole file is checked to be one JSON value (brackets matched, strings closed,
/// literals and numbers well formed, nothing but white space after it); anything else throws
/// `malformed` with the byte offset where it went wrong. String contents are not checked here
/// (escapes, UTF-8): each entry is parsed on its own later, and the parser checks them there.
/// A type written with escapes (`"Patient"`) is reported as unknown (`nil`), never
/// misread. It also notes, in passing, whether the root's `link` array names a `next` page and
/// what `total` the root gives (before or after `entry`): a flag and a number, whatever the file's
/// size.
struct JSONBundleScanner {
    struct Entry: Equatable {
        /// Byte offset and length of the entry's JSON value in the file.
        let offset: Int64
        let length: Int
        /// `entry.resource.resourceType` as written, when it is a plain string.
        let resourceType: String?
        /// True for a `null` entry.
        let isNull: Bool
    }

    struct Layout: Equatable {
        /// The root object's `resourceType` as written (`nil` when the root is not an object or
        /// names none).
        var rootType: String?
        /// The elements of the root's `entry` array, when it has one, in order.
        var entries: [Entry] = []
        /// True when the root has an `entry` that is an array.
        var hasEntryArray = false
        /// True when an element of the root's `link` array has `relation` `next` (written without
        /// escapes): the bundle is one page of a search, and the server has more.
        var hasNextPage = false
        /// The root's `total` (the matches a search found), when it is a whole number of at most 18
        /// digits.
        var total: Int?
    }

    enum Failure: Error, Equatable {
        case malformed(offset: Int64)
    }

    /// Bytes read at a time.
    static let chunkSize = 1 << 20
    /// Keys and types longer than this are never ones the scanner looks for.
    private static let captureLimit = 64

    static func scan(path: String) throws -> Layout {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError.noInput(path: path, reason: "the file cannot be read") }
        defer { close(fd) }
        var scanner = Machine()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw ImportError.io(path: path, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            try scanner.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return try scanner.finish()
    }

    /// Scans bytes already in memory, handed to the scanner `chunk` bytes at a time (as reads of a
    /// file would hand them).
    static func scan(_ bytes: [UInt8], chunk: Int = chunkSize) throws -> Layout {
        var scanner = Machine()
        try bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(start + max(chunk, 1), all.count)
                try scanner.feed(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
        return try scanner.finish()
    }

    /// The scanner's state between reads.
    private struct Machine {
        enum Container { case object, array }
        /// What may come next.
        enum Expect { case value, keyOrClose, key, colon, commaOrClose, end }

        var stack = ContainerStack()
        var expect = Expect.value
        /// What the last key read in each of the four outermost containers was, by depth (index 0
        /// for the root): only these depths matter, and only these keys (`Key`).
        var keys = SIMD4<UInt8>(repeating: Key.other.rawValue)
        var layout = Layout()
        var offset: Int64 = 0

        // A string being read.
        var inString = false
        var escaped = false
        var stringIsKey = false
        /// True while the string may be a key or type worth keeping (short and written without
        /// escapes).
        var capturing = false
        /// Where the string being kept began in the bytes being fed (after its quote).
        var captureStart = 0
        /// The string's bytes from earlier reads, when it began in one of them.
        var captured: [UInt8] = []
        // A number or literal being read: where it began in the bytes being fed, and its bytes from
        // earlier reads.
        var inScalar = false
        var scalarStart = 0
        var scalar: [UInt8] = []

        // The entry being read: where it started and its resource's type.
        var entryStart: Int64?
        var entryType: String?
        /// True while the root's `entry` array is open.
        var entryArrayOpen = false
        /// True while the root's `link` array is open.
        var linkArrayOpen = false

        /// The open containers, innermost last: one bit each for the first 64 levels (where every
        /// FHIR file stays), an array beyond.
        struct ContainerStack {
            private var arrays: UInt64 = 0
            private var deeper: [Container] = []
            private(set) var count = 0

            var isEmpty: Bool { count == 0 }

            @inline(__always)
            var last: Container? {
                if count == 0 { return nil }
                if count > 64 { return deeper.last }
                return arrays & (1 << UInt64(count - 1)) != 0 ? .array : .object
            }

            @inline(__always)
            mutating func append(_ container: Container) {
                if count >= 64 {
                    deeper.append(container)
                } else if container == .array {
                    arrays |= 1 << UInt64(count)
                } else {
                    arrays &= ~(1 << UInt64(count))
                }
                count += 1
            }

            @inline(__always)
            mutating func removeLast() {
                if count > 64 { deeper.removeLast() }
                count -= 1
            }
        }

        /// The keys the scanner looks for; any other (or one written with escapes) is `other`.
        enum Key: UInt8 {
            case other, entry, resource, resourceType, link, relation, total

            init(_ bytes: UnsafeRawBufferPointer) {
                if Machine.equal(bytes, "entry") {
                    self = .entry
                } else if Machine.equal(bytes, "resource") {
                    self = .resource
                } else if Machine.equal(bytes, "resourceType") {
                    self = .resourceType
                } else if Machine.equal(bytes, "link") {
                    self = .link
                } else if Machine.equal(bytes, "relation") {
                    self = .relation
                } else if Machine.equal(bytes, "total") {
                    self = .total
                } else {
                    self = .other
                }
            }
        }

        /// Whether `bytes` are the UTF-8 of `text`.
        static func equal(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
            text.withUTF8Buffer { utf8 in
                guard utf8.count == bytes.count else { return false }
                for index in 0..<utf8.count where utf8[index] != bytes[index] { return false }
                return true
            }
        }

        mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
            var index = 0
            let count = bytes.count
            // A string or scalar begun in an earlier read goes on from the first byte of this one.
            captureStart = 0
            scalarStart = 0
            while index < count {
                if inString && !escaped {
                    // Most of a FHIR file is text inside strings: pass over it to the next byte
                    // that ends the string, escapes, or is not allowed in one.
                    index = JSONPlainText.end(in: bytes, from: index)
                    if index == count { break }
                }
                let byte = bytes[index]
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                        capturing = false
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        try endString(at: offset + Int64(index), in: bytes, end: index)
                    } else if byte < 0x20 {
                        throw Failure.malformed(offset: offset + Int64(index))
                    }
                    index += 1
                    continue
                }
                if inScalar {
                    if Self.isScalarByte(byte) {
                        index += 1
                        continue
                    }
                    try endScalar(at: offset + Int64(index), in: bytes, end: index)
                    // The byte after a scalar is read again as structure.
                    continue
                }
                try structural(byte, at: offset + Int64(index))
                index += 1
                if inString { captureStart = index }
                if inScalar { scalarStart = index - 1 }
            }
            // What this read holds of a string or scalar that goes on in the next.
            if inString, capturing {
                if captured.count + (count - captureStart) <= JSONBundleScanner.captureLimit {
                    captured.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[captureStart..<count]))
                } else {
                    capturing = false
                }
            }
            if inScalar { scalar.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[scalarStart..<count])) }
            offset += Int64(count)
        }

        static func isScalarByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
                 UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                return true
            default:
                return false
            }
        }

        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
        }

        /// True when the value starting now is an element of the root's `entry` array.
        var startsEntry: Bool { entryArrayOpen && stack.count == 2 }

        /// Bytes of a UTF-8 byte order mark read at the start; it is passed over, as JSON parsers do.
        var byteOrderMark = 0
        static let byteOrderMarkBytes: [UInt8] = [0xEF, 0xBB, 0xBF]

        @inline(__always)
        mutating func structural(_ byte: UInt8, at position: Int64) throws {
            if position == Int64(byteOrderMark), byteOrderMark < 3, byte == Self.byteOrderMarkBytes[byteOrderMark] {
                byteOrderMark += 1
                return
            }
            if Self.isSpace(byte) { return }
            switch expect {
            case .value:
                if byte == UInt8(ascii: "]"), arrayJustOpened {
                    // `[]`: an array may close before its first value.
                    arrayJustOpened = false
                    try close(.array, at: position)
                    return
                }
                arrayJustOpened = false
                if startsEntry {
                    entryStart = position
                    entryType = nil
                }
                switch byte {
                case UInt8(ascii: "{"):
                    open(.object)
                    expect = .keyOrClose
                case UInt8(ascii: "["):
                    open(.array)
                    expect = .value
                    arrayJustOpened = true
                case UInt8(ascii: "\""):
                    inString = true
                    stringIsKey = false
                    // A value worth keeping: the root's or an entry resource's `resourceType`, or a
                    // root link's `relation`.
                    capturing = keyIs(.resourceType, atDepth: stack.count) && (stack.count == 1 || isResourceObject)
                        || isLinkRelation
                default:
                    guard Self.isScalarByte(byte) else { throw Failure.malformed(offset: position) }
                    inScalar = true
                }
            case .keyOrClose, .key:
                if byte == UInt8(ascii: "}"), expect == .keyOrClose {
                    try close(.object, at: position)
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                    stringIsKey = true
                    capturing = stack.count <= 4
                } else {
                    throw Failure.malformed(offset: position)
                }
            case .colon:
                guard byte == UInt8(ascii: ":") else { throw Failure.malformed(offset: position) }
                expect = .value
            case .commaOrClose:
                switch (byte, stack.last) {
                case (UInt8(ascii: ","), .object?): expect = .key
                case (UInt8(ascii: ","), .array?): expect = .value
                case (UInt8(ascii: "}"), .object?): try close(.object, at: position)
                case (UInt8(ascii: "]"), .array?): try close(.array, at: position)
                default: throw Failure.malformed(offset: position)
                }
            case .end:
                throw Failure.malformed(offset: position)
            }
        }

        var arrayJustOpened = false

        /// The object being read is an entry's `resource`: depth 4 (root, `entry` array, entry,
        /// resource), under the entry's key `resource`.
        var isResourceObject: Bool {
            stack.count == 4 && entryArrayOpen && keys[2] == Key.resource.rawValue
        }

        /// The value starting now is the `relation` of an element of the root's `link` array: depth
        /// 3 (root, `link` array, link).
        var isLinkRelation: Bool {
            stack.count == 3 && linkArrayOpen && keys[2] == Key.relation.rawValue
        }


        /// True when the last key read in the container at `depth` (1 for the root) is `key`.
        @inline(__always)
        func keyIs(_ key: Key, atDepth depth: Int) -> Bool {
            depth >= 1 && depth <= 4 && keys[depth - 1] == key.rawValue
        }

        @inline(__always)
        mutating func open(_ container: Container) {
            if container == .array, stack.count == 1, keyIs(.entry, atDepth: 1) {
                entryArrayOpen = true
                layout.hasEntryArray = true
            }
            if container == .array, stack.count == 1, keyIs(.link, atDepth: 1) { linkArrayOpen = true }
            stack.append(container)
            if stack.count <= 4 { keys[stack.count - 1] = Key.other.rawValue }
        }

        @inline(__always)
        mutating func close(_ container: Container, at position: Int64) throws {
            guard stack.last == container else { throw Failure.malformed(offset: position) }
            stack.removeLast()
            if container == .array, stack.count == 1 {
                entryArrayOpen = false
                linkArrayOpen = false
            }
            valueEnded(at: position + 1)
        }

        /// A value has ended just before `end`: what may follow, and the end of an entry.
        @inline(__always)
        mutating func valueEnded(at end: Int64) {
            if let start = entryStart, stack.count == 2, entryArrayOpen {
                layout.entries.append(Entry(offset: start, length: Int(end - start), resourceType: entryType,
                                            isNull: scalarWasNull))
                entryStart = nil
            }
            scalarWasNull = false
            expect = stack.isEmpty ? .end : .commaOrClose
        }

        var scalarWasNull = false

        /// The string being read has ended at `position` (its closing quote), at `end` in `bytes`.
        mutating func endString(at position: Int64, in bytes: UnsafeRawBufferPointer, end: Int) throws {
            if capturing {
                if captured.isEmpty {
                    keep(UnsafeRawBufferPointer(rebasing: bytes[captureStart..<end]))
                } else {
                    // Begun in an earlier read.
                    let whole = captured + UnsafeRawBufferPointer(rebasing: bytes[captureStart..<end])
                    captured.removeAll(keepingCapacity: true)
                    whole.withUnsafeBytes { keep($0) }
                }
                capturing = false
            } else if stringIsKey, stack.count <= 4 {
                keys[stack.count - 1] = Key.other.rawValue
            }
            // Bytes kept from earlier reads of a string that then escaped.
            if !captured.isEmpty { captured.removeAll(keepingCapacity: true) }
            if stringIsKey {
                expect = .colon
            } else {
                valueEnded(at: position + 1)
            }
        }

        /// Keeps the string just read, a key or type worth keeping (`capturing`).
        private mutating func keep(_ text: UnsafeRawBufferPointer) {
            let kept = text.count <= JSONBundleScanner.captureLimit
            if stringIsKey {
                if stack.count <= 4 { keys[stack.count - 1] = (kept ? Key(text) : .other).rawValue }
            } else if stack.count == 3 {
                // A root link's relation (`isLinkRelation`).
                if Machine.equal(text, "next") { layout.hasNextPage = true }
            } else if kept {
                let type = String(decoding: text, as: UTF8.self)
                if stack.count == 1 { layout.rootType = type } else { entryType = type }
            }
        }

        /// The number or literal being read has ended at `position`, at `end` in `bytes`.
        mutating func endScalar(at position: Int64, in bytes: UnsafeRawBufferPointer, end: Int) throws {
            if scalar.isEmpty {
                try endScalar(UnsafeRawBufferPointer(rebasing: bytes[scalarStart..<end]), at: position)
            } else {
                // Begun in an earlier read.
                let whole = scalar + UnsafeRawBufferPointer(rebasing: bytes[scalarStart..<end])
                scalar.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { try endScalar($0, at: position) }
            }
        }

        private mutating func endScalar(_ text: UnsafeRawBufferPointer, at position: Int64) throws {
            inScalar = false
            if Self.equal(text, "null") {
                scalarWasNull = true
            } else if !Self.equal(text, "true") && !Self.equal(text, "false") && !Self.isNumber(text) {
                throw Failure.malformed(offset: position - Int64(text.count))
            } else if stack.count == 1, keyIs(.total, atDepth: 1) {
                layout.total = Self.wholeNumber(text)
            }
            valueEnded(at: position)
        }

        /// `bytes` as a whole number of 1 to 18 digits (no sign, fraction or exponent), else `nil`.
        static func wholeNumber(_ bytes: UnsafeRawBufferPointer) -> Int? {
            guard (1...18).contains(bytes.count) else { return nil }
            var value = 0
            for byte in bytes {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }

        /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        static func isNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var index = 0
            func digits() -> Int {
                let start = index
                while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
                return index - start
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count else { return false }
            if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits() == 0 { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                if digits() == 0 { return false }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                if digits() == 0 { return false }
            }
            return index == bytes.count
        }

        mutating func finish() throws -> Layout {
            if inScalar {
                let whole = scalar
                scalar.removeAll()
                try whole.withUnsafeBytes { try endScalar($0, at: offset) }
            }
            guard !inString, stack.isEmpty, expect == .end else { throw Failure.malformed(offset: offset) }
            return layout
        }
    }
}
