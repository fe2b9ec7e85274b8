/// Lowercase hexadecimal text of bytes, as `sha256sum` prints them: phr's one hex encoder, for
/// file checksums, content hashes and name-based UUIDs.
public enum Hex {
    /// Inlinable so that each caller gets it specialized for its digest type: an import encodes a
    /// hash for every resource.
    @inlinable
    public static func encode<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        digits(of: bytes, capacity: 64) { _ in false }
    }

    /// 16 bytes as a UUID's text: lowercase hex in groups of 8-4-4-4-12
    /// (`4d6a1f0e-7c3a-5b4e-9a61-0b2f4f1f6c2d`).
    @inlinable
    public static func uuid<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        digits(of: bytes, capacity: 36) { index in index == 4 || index == 6 || index == 8 || index == 10 }
    }

    /// Two digits per byte, with a dash before each byte whose index `dashBefore` names.
    @inlinable
    static func digits<D: Sequence>(
        of bytes: D, capacity: Int, dashBefore: (Int) -> Bool
    ) -> String where D.Element == UInt8 {
        let digits: StaticString = "0123456789abcdef"
        var text: [UInt8] = []
        text.reserveCapacity(capacity)
        digits.withUTF8Buffer { digits in
            for (index, byte) in bytes.enumerated() {
                if dashBefore(index) { text.append(UInt8(ascii: "-")) }
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }
}
