import Foundation

/// Text for people, made safe to show on a terminal.
///
/// Anything phr prints for people may hold text from the store or from an imported file, and a
/// terminal obeys control characters: `ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J` clears
/// it, U+009B is a one-byte `ESC [`, and U+202E turns the rest of a line around. This is the one
/// place that decides what a terminal is shown: C0 controls (but line feed and tab), DEL, C1
/// controls, and the bidirectional formatting characters are written as visible escapes
/// (`\x1B`, `\x9B`, `\u202E`), so the text reads as it is stored and cannot drive the terminal.
/// JSON and files written with `-o` keep the exact bytes; only text for people passes here.
enum TerminalText {
    /// `text` with every control character written as a visible escape; line feeds and tabs kept.
    static func visible(_ text: String) -> String {
        guard containsControl(text, besidesLineFeedAndTab: true) else { return text }
        return escaping(text) { scalar in scalar == "\n" || scalar == "\t" ? String(scalar) : nil }
    }

    /// `text` as one line of a table cell: line breaks and tabs become spaces, every other control
    /// character a visible escape.
    static func oneLine(_ text: String) -> String {
        guard containsControl(text, besidesLineFeedAndTab: false) else { return text }
        return escaping(text) { scalar in scalar == "\n" || scalar == "\t" || scalar == "\r" ? " " : nil }
    }

    /// phr's own styling, the only escape sequences it ever sends: bold, back to normal, and
    /// erase to the end of the line.
    static let bold = "\u{1B}[1m"
    static let normal = "\u{1B}[0m"
    static let eraseToEndOfLine = "\u{1B}[K"

    /// `text` made visible, except phr's own styling sequences (``bold``, ``normal``), which
    /// renderers add around text they have already made visible.
    static func visibleKeepingStyle(_ text: String) -> String {
        // Both sequences begin with ESC: text without one holds neither.
        guard contains(0x1B, in: text), text.contains(bold) || text.contains(normal) else { return visible(text) }
        var pieces: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "\u{1B}[") {
            let marker = rest[range.lowerBound...].hasPrefix(bold) ? bold : rest[range.lowerBound...].hasPrefix(normal) ? normal : nil
            if let marker {
                pieces.append(visible(String(rest[..<range.lowerBound])))
                pieces.append(marker)
                rest = rest[rest.index(range.lowerBound, offsetBy: marker.count)...]
            } else {
                pieces.append(visible(String(rest[..<range.upperBound])))
                rest = rest[range.upperBound...]
            }
        }
        pieces.append(visible(String(rest)))
        return pieces.joined()
    }

    /// Whether `text`'s UTF-8 holds `byte`: `memchr` over the bytes of a native string (a whole
    /// table is made visible at once; the standard library's `contains` took 17 instructions a
    /// byte), the bytes one by one otherwise.
    static func contains(_ byte: UInt8, in text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        } ?? text.utf8.contains(byte)
    }

    /// Whether a terminal would act on `scalar` rather than show it.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// How an escaped character is shown: `\x1B` for C0/C1, `\u202E` beyond.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex
            : "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Whether `text` holds a scalar ``isControl(_:)`` accepts (line feed and tab aside, when
    /// `besidesLineFeedAndTab`): `text.unicodeScalars.contains(where: isControl)`, read over its
    /// UTF-8 bytes. Every control is recognised by its encoding: one byte below 0x20 or 0x7F; `C2
    /// 80`–`C2 9F` (C1); `D8 9C` (U+061C); `E2 80 8E`–`8F`, `E2 80 A8`–`AE` (U+200E–U+200F,
    /// U+2028–U+202E); `E2 81 A6`–`A9` (U+2066–U+2069).
    ///
    /// Eight bytes at a time are passed over while they are all printable ASCII (0x20–0x7E), told
    /// by two word-wide comparisons: a table is mostly such bytes.
    static func containsControl(_ text: String, besidesLineFeedAndTab: Bool) -> Bool {
        let found = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            var index = 0
            let base = UnsafeRawPointer(bytes.baseAddress)
            while index < bytes.count {
                if let base, index + 8 <= bytes.count,
                   isPrintableASCII(base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                    index += 8
                    continue
                }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\n"), UInt8(ascii: "\t"):
                    if !besidesLineFeedAndTab { return true }
                case 0x00..<0x20, 0x7F:
                    return true
                case 0xC2:
                    if index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) { return true }
                case 0xD8:
                    if index + 1 < bytes.count, bytes[index + 1] == 0x9C { return true }
                case 0xE2:
                    guard index + 2 < bytes.count else { break }
                    switch (bytes[index + 1], bytes[index + 2]) {
                    case (0x80, 0x8E...0x8F), (0x80, 0xA8...0xAE), (0x81, 0xA6...0xA9): return true
                    default: break
                    }
                default:
                    break
                }
                index += 1
            }
            return false
        }
        return found ?? text.unicodeScalars.contains { scalar in
            isControl(scalar) && !(besidesLineFeedAndTab && (scalar == "\n" || scalar == "\t"))
        }
    }

    /// Whether each of the eight bytes of `word` is printable ASCII, 0x20–0x7E: none is below
    /// 0x20 (subtracting 0x20 from it borrows into its top bit while that bit was clear) and none
    /// is above 0x7E (adding 1 to it, or the byte itself, sets its top bit).
    private static func isPrintableASCII(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let tops: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word & tops
        let above = ((word &+ ones) | word) & tops
        return below | above == 0
    }

    private static func escaping(_ text: String, keep: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if !isControl(scalar) {
                out.unicodeScalars.append(scalar)
            } else if let kept = keep(scalar) {
                out += kept
            } else {
                out += escape(scalar)
            }
        }
        return out
    }
}

/// Every `print` in the command line is text for people: this one, which the module's code
/// calls in place of the standard library's, shows it through ``TerminalText/visible(_:)``.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.visible(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
