/// Where the plain text of a JSON string ends: most of a FHIR file is text inside strings, and its
/// readers pass over it to the next byte that needs a look, eight bytes at a time.
enum JSONPlainText {
    /// Index of the first byte from `index` that ends a string's plain text (a quote, a backslash
    /// or a control character; with `slashAndEF`, also `/` and 0xEF, the first byte of a byte
    /// order mark), or `text.count`.
    static func end(in text: UnsafeRawBufferPointer, from index: Int, slashAndEF: Bool = false) -> Int {
        guard let base = text.baseAddress else { return text.count }
        var index = index
        let count = text.count
        while index + 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            var found = bytes(of: word, equalTo: UInt8(ascii: "\"")) | bytes(of: word, equalTo: UInt8(ascii: "\\"))
                | bytes(of: word, below: 0x20)
            if slashAndEF { found |= bytes(of: word, equalTo: UInt8(ascii: "/")) | bytes(of: word, equalTo: 0xEF) }
            // The lowest bit set marks the first such byte (see `bytes(of:below:)`).
            if found != 0 { return index + found.trailingZeroBitCount >> 3 }
            index += 8
        }
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
            if slashAndEF, byte == UInt8(ascii: "/") || byte == 0xEF { return index }
            index += 1
        }
        return count
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `word` below `limit` (at most 0x80) is set, and perhaps of
    /// bytes above the first such byte (a borrow from it), never of a byte below it: the lowest bit
    /// set is exact.
    private static func bytes(of word: UInt64, below limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highBits
    }

    /// As `bytes(of:below:)`, for the bytes equal to `byte`.
    private static func bytes(of word: UInt64, equalTo byte: UInt8) -> UInt64 {
        Self.bytes(of: word ^ (ones &* UInt64(byte)), below: 1)
    }
}
