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
/// misread.
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
        /// The string's bytes so far, while it may be a key or type worth keeping (short and
        /// written without escapes).
        var captured: [UInt8] = []
        var capturing = false
        // A number or literal being read.
        var inScalar = false
        var scalar: [UInt8] = []

        // The entry being read: where it started and its resource's type.
        var entryStart: Int64?
        var entryType: String?
        /// True while the root's `entry` array is open.
        var entryArrayOpen = false

        /// The open containers, innermost last: one bit each for the first 64 levels (where every
        /// FHIR file stays), an array beyond.
        struct ContainerStack {
            private var arrays: UInt64 = 0
            private var deeper: [Container] = []
            private(set) var count = 0

            var isEmpty: Bool { count == 0 }

            var last: Container? {
                if count == 0 { return nil }
                if count > 64 { return deeper.last }
                return arrays & (1 << UInt64(count - 1)) != 0 ? .array : .object
            }

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

            mutating func removeLast() {
                if count > 64 { deeper.removeLast() }
                count -= 1
            }
        }

        /// The keys the scanner looks for; any other (or one written with escapes) is `other`.
        enum Key: UInt8 {
            case other, entry, resource, resourceType

            init(_ bytes: [UInt8]) {
                if Machine.equal(bytes, "entry") {
                    self = .entry
                } else if Machine.equal(bytes, "resource") {
                    self = .resource
                } else if Machine.equal(bytes, "resourceType") {
                    self = .resourceType
                } else {
                    self = .other
                }
            }
        }

        /// Whether `bytes` are the UTF-8 of `text`.
        static func equal(_ bytes: [UInt8], _ text: StaticString) -> Bool {
            text.withUTF8Buffer { utf8 in
                guard utf8.count == bytes.count else { return false }
                for index in 0..<utf8.count where utf8[index] != bytes[index] { return false }
                return true
            }
        }

        /// Index of the first byte from `index` that ends a string's plain text (a quote, a
        /// backslash or a control character), or `bytes.count`: 16 bytes compared at a time.
        static func plainTextEnd(in bytes: UnsafeRawBufferPointer, from index: Int) -> Int {
            var index = index
            let count = bytes.count
            let quote = SIMD16<UInt8>(repeating: UInt8(ascii: "\""))
            let backslash = SIMD16<UInt8>(repeating: UInt8(ascii: "\\"))
            let space = SIMD16<UInt8>(repeating: 0x20)
            while index + 16 <= count {
                let chunk = bytes.loadUnaligned(fromByteOffset: index, as: SIMD16<UInt8>.self)
                if any((chunk .== quote) .| (chunk .== backslash) .| (chunk .< space)) { break }
                index += 16
            }
            while index < count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                index += 1
            }
            return index
        }

        mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
            var index = 0
            let count = bytes.count
            while index < count {
                if inString && !escaped {
                    // Most of a FHIR file is text inside strings: pass over it to the next byte
                    // that ends the string, escapes, or is not allowed in one (keeping it when the
                    // string may be a key or type worth keeping).
                    let start = index
                    index = Self.plainTextEnd(in: bytes, from: index)
                    if capturing {
                        if captured.count + (index - start) <= JSONBundleScanner.captureLimit {
                            captured.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                        } else {
                            capturing = false
                        }
                    }
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
                        try endString(at: offset + Int64(index))
                    } else if byte < 0x20 {
                        throw Failure.malformed(offset: offset + Int64(index))
                    }
                    index += 1
                    continue
                }
                if inScalar {
                    if Self.isScalarByte(byte) {
                        scalar.append(byte)
                        index += 1
                        continue
                    }
                    try endScalar(at: offset + Int64(index))
                    // The byte after a scalar is read again as structure.
                    continue
                }
                try structural(byte, at: offset + Int64(index))
                index += 1
            }
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
                    // A value worth keeping: the root's or an entry resource's `resourceType`.
                    capturing = keyIs(.resourceType, atDepth: stack.count) && (stack.count == 1 || isResourceObject)
                    if capturing { captured.removeAll(keepingCapacity: true) }
                default:
                    guard Self.isScalarByte(byte) else { throw Failure.malformed(offset: position) }
                    inScalar = true
                    scalar.removeAll(keepingCapacity: true)
                    scalar.append(byte)
                }
            case .keyOrClose, .key:
                if byte == UInt8(ascii: "}"), expect == .keyOrClose {
                    try close(.object, at: position)
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                    stringIsKey = true
                    capturing = stack.count <= 4
                    if capturing { captured.removeAll(keepingCapacity: true) }
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


        /// True when the last key read in the container at `depth` (1 for the root) is `key`.
        func keyIs(_ key: Key, atDepth depth: Int) -> Bool {
            depth >= 1 && depth <= 4 && keys[depth - 1] == key.rawValue
        }

        mutating func open(_ container: Container) {
            if container == .array, stack.count == 1, keyIs(.entry, atDepth: 1) {
                entryArrayOpen = true
                layout.hasEntryArray = true
            }
            stack.append(container)
            if stack.count <= 4 { keys[stack.count - 1] = Key.other.rawValue }
        }

        mutating func close(_ container: Container, at position: Int64) throws {
            guard stack.last == container else { throw Failure.malformed(offset: position) }
            stack.removeLast()
            if container == .array, entryArrayOpen, stack.count == 1 { entryArrayOpen = false }
            valueEnded(at: position + 1)
        }

        /// A value has ended just before `end`: what may follow, and the end of an entry.
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

        mutating func endString(at position: Int64) throws {
            if stringIsKey {
                if stack.count <= 4 { keys[stack.count - 1] = (capturing ? Key(captured) : .other).rawValue }
                expect = .colon
                return
            }
            if capturing {
                let text = String(decoding: captured, as: UTF8.self)
                if stack.count == 1 { layout.rootType = text } else { entryType = text }
            }
            capturing = false
            valueEnded(at: position + 1)
        }

        mutating func endScalar(at position: Int64) throws {
            inScalar = false
            if Self.equal(scalar, "null") {
                scalarWasNull = true
            } else if !Self.equal(scalar, "true") && !Self.equal(scalar, "false") && !Self.isNumber(scalar) {
                throw Failure.malformed(offset: position - Int64(scalar.count))
            }
            valueEnded(at: position)
        }

        /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        static func isNumber(_ bytes: [UInt8]) -> Bool {
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
            if inScalar { try endScalar(at: offset) }
            guard !inString, stack.isEmpty, expect == .end else { throw Failure.malformed(offset: offset) }
            return layout
        }
    }
}
