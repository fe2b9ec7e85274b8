/// Byte-level text tests for the mappers, which run for every resource an import reads.
///
/// With Foundation imported, `String.contains(_:)` and `range(of:options:)` go through
/// `NSString`: 14,600 instructions to look for `/mcode` in a profile URL, a sixth of what
/// preparing an Observation cost. The text the mappers look for is ASCII (profile names, words of a
/// code system's display), for which comparing UTF-8 bytes answers as Foundation does.
extension StringProtocol {
    /// Whether `text` occurs in this string, byte for byte.
    func contains(utf8 text: some StringProtocol) -> Bool {
        // A native string's bytes are read in place; others (rare here) are copied first.
        if let found = utf8.withContiguousStorageIfAvailable({ haystack in
            text.utf8.withContiguousStorageIfAvailable { needle in Self.occurs(needle, in: haystack) }
        }), let found {
            return found
        }
        return Array(utf8).withUnsafeBufferPointer { haystack in
            Array(text.utf8).withUnsafeBufferPointer { needle in Self.occurs(needle, in: haystack) }
        }
    }

    /// Whether `needle` occurs in `haystack` (the empty needle occurs everywhere).
    private static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var start = 0
        while start <= haystack.count - needle.count {
            if haystack[start] == first {
                var matched = 1
                while matched < needle.count, haystack[start + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}

/// Whether `text` is a FHIR instant: `YYYY-MM-DDThh:mm:ss`, optional fractional seconds (1 to 9
/// digits), then `Z` or an offset `±hh:mm`. Only the shape is checked, as FHIR's regular
/// expression does.
func isFHIRInstant(_ text: some StringProtocol) -> Bool {
    var bytes = Array(text.utf8)[...]
    func digits(_ count: Int) -> Bool {
        guard bytes.count >= count, bytes.prefix(count).allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return false }
        bytes = bytes.dropFirst(count)
        return true
    }
    func byte(_ expected: Character) -> Bool {
        guard bytes.first == expected.asciiValue else { return false }
        bytes = bytes.dropFirst()
        return true
    }
    guard digits(4), byte("-"), digits(2), byte("-"), digits(2), byte("T"),
          digits(2), byte(":"), digits(2), byte(":"), digits(2) else { return false }
    if byte(".") {
        let fraction = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        guard (1...9).contains(fraction) else { return false }
        bytes = bytes.dropFirst(fraction)
    }
    if byte("Z") { return bytes.isEmpty }
    guard byte("+") || byte("-"), digits(2), byte(":"), digits(2) else { return false }
    return bytes.isEmpty
}
