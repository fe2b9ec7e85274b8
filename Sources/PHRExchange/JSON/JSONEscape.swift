/// The escapes of JSON strings, read from JSON text: `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`
/// and `\uXXXX` (a character outside the Basic Multilingual Plane as its two UTF-16 halves,
/// `\ud83d\ude00`).
enum JSONEscape {
    /// The character of the escape that starts at `index`, just after its backslash; `index` moves
    /// past it. Nil for an escape JSON does not have, digits that are not hexadecimal, and a lone
    /// UTF-16 surrogate (a high half not followed by a low one, or a low half alone).
    static func scalar(in text: UnsafeRawBufferPointer, at index: inout Int) -> Unicode.Scalar? {
        guard index < text.count else { return nil }
        let escape = text[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(escape)
        case UInt8(ascii: "b"): return Unicode.Scalar(0x08)
        case UInt8(ascii: "f"): return Unicode.Scalar(0x0C)
        case UInt8(ascii: "n"): return Unicode.Scalar(0x0A)
        case UInt8(ascii: "r"): return Unicode.Scalar(0x0D)
        case UInt8(ascii: "t"): return Unicode.Scalar(0x09)
        case UInt8(ascii: "u"):
            guard let unit = codeUnit(in: text, at: &index) else { return nil }
            guard (0xD800..<0xDC00).contains(unit) else { return Unicode.Scalar(unit) }
            guard index + 1 < text.count, text[index] == UInt8(ascii: "\\"), text[index + 1] == UInt8(ascii: "u") else {
                return nil
            }
            index += 2
            guard let low = codeUnit(in: text, at: &index), (0xDC00..<0xE000).contains(low) else { return nil }
            return Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
        default:
            return nil
        }
    }

    /// Four hexadecimal digits at `index`, as a UTF-16 code unit.
    private static func codeUnit(in text: UnsafeRawBufferPointer, at index: inout Int) -> UInt32? {
        guard index + 4 <= text.count else { return nil }
        var unit: UInt32 = 0
        for _ in 0..<4 {
            let byte = text[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt32(digit)
            index += 1
        }
        return unit
    }
}
