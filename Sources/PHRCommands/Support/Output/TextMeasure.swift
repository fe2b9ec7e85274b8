/// How the table renderer measures, splits and trims text, reading UTF-8 bytes where that is
/// exact.
///
/// Guarantees: each function gives what its `Character`-by-`Character` counterpart in the
/// standard library gives (named in its comment), for every text. Text made of ASCII and of
/// `isSimple` scalars (the en dash of a range, `µ` and `°` of units, the blocks of a chart) is
/// read byte by byte: each such scalar is a character of its own, so its characters are its
/// scalars, but for a CR LF pair, which is one character; and no grapheme cluster joins an ASCII
/// space to its neighbours. Other text (wide characters, combining marks, emoji) is handed to the
/// standard library's grapheme breaking, as before.
enum TextMeasure {
    /// The number of characters (grapheme clusters) in `text`: `text.count`.
    static func characterCount(_ text: String) -> Int {
        let simple = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard isSimple(bytes) else { return nil }
            var count = 0
            var previous: UInt8 = 0
            for byte in bytes where !isContinuation(byte) {
                if byte != lineFeed || previous != carriageReturn { count += 1 }
                previous = byte
            }
            return count
        }
        return (simple ?? nil) ?? text.count
    }

    /// The characters in the longest word of `text`, words being what lies between spaces:
    /// `text.split(separator: " ").map(\.count).max() ?? 0`.
    static func longestWordCount(_ text: String) -> Int {
        let simple = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            guard isSimple(bytes) else { return nil }
            var longest = 0
            var count = 0
            var previous: UInt8 = 0
            for byte in bytes where !isContinuation(byte) {
                if byte == space {
                    count = 0
                } else if byte != lineFeed || previous != carriageReturn {
                    count += 1
                    longest = max(longest, count)
                }
                previous = byte
            }
            return longest
        }
        return (simple ?? nil) ?? (text.split(separator: " ").map(\.count).max() ?? 0)
    }

    /// For text of ASCII and `isSimple` scalars, what `TableRenderer.wrap` makes of it by
    /// characters: its words (split at spaces, empty ones left out) gathered greedily into lines
    /// of at most `width` characters, one space between words, a longer word on a line of its
    /// own; `[""]` for no words. `nil` for other text.
    static func wrappedSimple(_ text: String, width: Int) -> [String]? {
        let wrapped = text.utf8.withContiguousStorageIfAvailable { bytes -> [String]? in
            guard isSimple(bytes) else { return nil }
            var lines: [String] = []
            var current = ""
            var currentCount = 0
            var position = 0
            while position < bytes.count {
                guard bytes[position] != space else {
                    position += 1
                    continue
                }
                let start = position
                var count = 0
                var previous: UInt8 = 0
                while position < bytes.count, bytes[position] != space {
                    let byte = bytes[position]
                    if !isContinuation(byte) {
                        if byte != lineFeed || previous != carriageReturn { count += 1 }
                        previous = byte
                    }
                    position += 1
                }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                if current.isEmpty {
                    (current, currentCount) = (word, count)
                } else if currentCount + 1 + count <= width {
                    current += " "
                    current += word
                    currentCount += 1 + count
                } else {
                    lines.append(current)
                    (current, currentCount) = (word, count)
                }
            }
            if !current.isEmpty { lines.append(current) }
            return lines.isEmpty ? [""] : lines
        }
        return wrapped ?? nil
    }

    /// Removes the whitespace characters `text` ends with: as removing its last character while
    /// `Character.isWhitespace` holds.
    ///
    /// A run of ASCII white space (tab, line feed, vertical tab, form feed, carriage return,
    /// space) after an ASCII character or an `isSimple` scalar, or making up the whole text, is
    /// cut at the byte: no grapheme cluster joins such a character to the white space after it,
    /// and none of them is white space. After anything else (a no-break space; a space with a
    /// combining mark, which `isWhitespace` counts as white space by its first scalar; a
    /// prepended mark that a space joins), the characters decide.
    static func removeTrailingWhitespace(from text: inout String) {
        let kept = text.utf8.withContiguousStorageIfAvailable { bytes in keptByteCount(bytes[...]) }
        if let kept = kept ?? nil {
            guard kept < text.utf8.count else { return }
            // An ASCII character or a simple scalar (or nothing) comes before `kept`: the index is
            // on a character boundary.
            text.removeSubrange(text.utf8.index(text.utf8.startIndex, offsetBy: kept)...)
        } else {
            while let last = text.last, last.isWhitespace { text.removeLast() }
        }
    }

    /// The same for the UTF-8 text in `bytes[start...]` (a line being built), which it shortens.
    static func removeTrailingWhitespace(from bytes: inout [UInt8], after start: Int) {
        if let kept = keptByteCount(bytes[start...]) {
            bytes.removeSubrange((start + kept)...)
        } else {
            var text = String(decoding: bytes[start...], as: UTF8.self)
            removeTrailingWhitespace(from: &text)
            bytes.replaceSubrange(start..., with: text.utf8)
        }
    }

    /// How many bytes of `bytes` stay once trailing ASCII white space is cut at the byte, when
    /// that is exact (see `removeTrailingWhitespace(from:)`); nil when the characters decide.
    private static func keptByteCount<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Int? where Bytes.Index == Int {
        var end = bytes.endIndex
        while end > bytes.startIndex, isASCIIWhitespace(bytes[end - 1]) { end -= 1 }
        guard end > bytes.startIndex, bytes[end - 1] >= 0x80 else { return end - bytes.startIndex }
        // The last scalar before the cut, read back from its last byte (the text is valid UTF-8).
        var lead = end - 1
        while lead > bytes.startIndex, end - lead < 4, isContinuation(bytes[lead]) { lead -= 1 }
        guard let scalar = scalarValue(bytes, at: lead), scalar.length == end - lead, isSimple(scalar.value) else { return nil }
        return end - bytes.startIndex
    }

    /// Whether a scalar is one phr's tables often hold beyond ASCII and that is, wherever it
    /// stands, a character (grapheme cluster) of its own and not white space: Latin-1's and
    /// Latin Extended-A's letters and signs (`é`, `µ`, `°`, `±`, `×`; not the no-break space or
    /// the soft hyphen), dashes, quotes, bullets and the ellipsis, per mille and primes, arrows,
    /// mathematical operators (`≤`, `≥`), box drawing, block elements (`█`, `▏`) and geometric
    /// shapes. None of them is a prepended or combining mark, a joiner, a control, a regional
    /// indicator or a Hangul jamo, the scalars that grapheme breaking joins to their neighbours.
    /// `OutputFastPathTests` checks every one.
    static func isSimple(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x00A1...0x00AC, 0x00AE...0x017F, 0x2010...0x2027, 0x2030...0x203E, 0x2190...0x22FF, 0x2500...0x25FF:
            return true
        default:
            return false
        }
    }

    /// Whether every scalar of the UTF-8 `bytes` is ASCII or `isSimple`.
    private static func isSimple<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Bool where Bytes.Index == Int {
        var position = bytes.startIndex
        while position < bytes.endIndex {
            if bytes[position] < 0x80 {
                position += 1
                continue
            }
            guard let scalar = scalarValue(bytes, at: position), isSimple(scalar.value) else { return false }
            position += scalar.length
        }
        return true
    }

    /// The scalar of two or three bytes that starts at `position` of valid UTF-8, with its length;
    /// nil for any other (ASCII, four bytes, or a byte that starts none).
    private static func scalarValue<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at position: Int)
        -> (value: UInt32, length: Int)? where Bytes.Index == Int
    {
        let lead = bytes[position]
        switch lead {
        case 0xC2...0xDF where position + 1 < bytes.endIndex:
            return (UInt32(lead & 0x1F) << 6 | UInt32(bytes[position + 1] & 0x3F), 2)
        case 0xE0...0xEF where position + 2 < bytes.endIndex:
            return (UInt32(lead & 0x0F) << 12 | UInt32(bytes[position + 1] & 0x3F) << 6 | UInt32(bytes[position + 2] & 0x3F), 3)
        default:
            return nil
        }
    }

    /// A byte that continues a scalar of UTF-8 (`10xxxxxx`).
    private static func isContinuation(_ byte: UInt8) -> Bool {
        byte & 0xC0 == 0x80
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == space || (byte >= 0x09 && byte <= 0x0D)
    }

    private static let space = UInt8(ascii: " ")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
}
