import Foundation

/// New version-4 UUIDs, lowercase, from the system's random source.
///
/// Foundation's `UUID()` opens, reads and closes /dev/urandom for every UUID on Linux, which cost
/// more than storing the row it names; these take 256 random bytes at a time (`getentropy`).
enum RandomUUID {
    private nonisolated(unsafe) static var pool = [UInt8](repeating: 0, count: 256)
    private nonisolated(unsafe) static var used = 256
    private static let lock = NSLock()

    static func make() -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        lock.lock()
        if used == pool.count {
            let filled = pool.withUnsafeMutableBytes { getentropy($0.baseAddress, $0.count) }
            if filled != 0 {
                // getentropy cannot fail for 256 bytes on a working system; fall back regardless.
                var generator = SystemRandomNumberGenerator()
                for index in pool.indices { pool[index] = generator.next() }
            }
            used = 0
        }
        for index in 0..<16 { bytes[index] = pool[used + index] }
        used += 16
        lock.unlock()
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        return Hex.uuid(bytes)
    }
}
