/// How the table renderer measures, splits and trims text, reading UTF-8 bytes where that is
/// exact.
///
/// Guarantees: each function gives what its `Character`-by-`Character` counterpart in the
/// standard library gives (named in its comment), for every text. ASCII text is read byte by
/// byte: its characters are its bytes, but for a CR LF pair, which is one character, and no
/// grapheme cluster joins an ASCII space to its neighbours. Text beyond ASCII (wide characters,
/// combining marks, emoji) is handed to the standard library's grapheme breaking, as before.
enum TextMeasure {
    /// The number of characters (grapheme clusters) in `text`: `text.count`.
    static func characterCount(_ text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var count = 0
            var previous: UInt8 = 0
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                if byte != lineFeed || previous != carriageReturn { count += 1 }
                previous = byte
            }
            return count
        }
        return (ascii ?? nil) ?? text.count
    }

    /// The characters in the longest word of `text`, words being what lies between spaces:
    /// `text.split(separator: " ").map(\.count).max() ?? 0`.
    static func longestWordCount(_ text: String) -> Int {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var longest = 0
            var count = 0
            var previous: UInt8 = 0
            for byte in bytes {
                guard byte < 0x80 else { return nil }
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
        return (ascii ?? nil) ?? (text.split(separator: " ").map(\.count).max() ?? 0)
    }

    /// For ASCII `text`, what `TableRenderer.wrap` makes of it by characters: its words (split at
    /// spaces, empty ones left out) gathered greedily into lines of at most `width` characters,
    /// one space between words, a longer word on a line of its own; `[""]` for no words. `nil`
    /// for text beyond ASCII.
    static func wrappedASCII(_ text: String, width: Int) -> [String]? {
        let wrapped = text.utf8.withContiguousStorageIfAvailable { bytes -> [String]? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
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
                    if bytes[position] != lineFeed || previous != carriageReturn { count += 1 }
                    previous = bytes[position]
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
    /// space) after an ASCII character, or making up the whole text, is cut at the byte: no
    /// grapheme cluster joins an ASCII character to the white space after it. After anything else
    /// (a no-break space; a space with a combining mark, which `isWhitespace` counts as white
    /// space by its first scalar; a prepended mark that a space joins), the characters decide.
    static func removeTrailingWhitespace(from text: inout String) {
        let kept = text.utf8.withContiguousStorageIfAvailable { bytes in keptByteCount(bytes[...]) }
        if let kept = kept ?? nil {
            guard kept < text.utf8.count else { return }
            // An ASCII byte (or nothing) comes before `kept`: the index is on a character boundary.
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
        return end == bytes.startIndex || bytes[end - 1] < 0x80 ? end - bytes.startIndex : nil
    }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == space || (byte >= 0x09 && byte <= 0x0D)
    }

    private static let space = UInt8(ascii: " ")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
}
