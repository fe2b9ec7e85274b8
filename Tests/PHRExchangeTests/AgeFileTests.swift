import Foundation
import XCTest
@testable import PHRExchange

/// The age format's edges: chunk boundaries of the STREAM payload, tampering, wrong keys.
final class AgeFileTests: XCTestCase {
    private func encrypt(_ plain: [UInt8], _ key: AgeFile.Key) throws -> [UInt8] {
        var offset = 0
        var out: [UInt8] = []
        try AgeFile.encrypt(to: key, read: { buffer in
            let n = min(buffer.count, plain.count - offset)
            plain.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }, write: { out += $0 })
        return out
    }

    private func decrypt(_ sealed: [UInt8], _ secret: AgeFile.Secret) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("age-\(UUID().uuidString)").path
        try Data(sealed).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        var out: [UInt8] = []
        try AgeFile.decrypt(fd: fd, with: secret) { out += Array($0) }
        return out
    }

    func testEveryChunkBoundaryRoundTrips() throws {
        let identity = AgeIdentity()
        for size in [0, 1, 65_535, 65_536, 65_537, 2 * 65_536, 2 * 65_536 + 7] {
            let plain = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let sealed = try encrypt(plain, .recipients([identity.recipient]))
            XCTAssertEqual(try decrypt(sealed, .identities([identity])), plain, "size \(size)")
        }
    }

    func testPassphraseRoundTripsAndAWrongOneIsRefused() throws {
        let sealed = try encrypt(Array("store".utf8), .passphrase("secret", log2N: 10))
        XCTAssertEqual(try decrypt(sealed, .passphrase("secret")), Array("store".utf8))
        XCTAssertThrowsError(try decrypt(sealed, .passphrase("wrong"))) { XCTAssertEqual($0 as? AgeError, .wrongPassphrase) }
    }

    func testTamperingAndTruncationAreRefused() throws {
        let identity = AgeIdentity()
        let plain = [UInt8](repeating: 7, count: 100_000)
        var sealed = try encrypt(plain, .recipients([identity.recipient]))
        let truncated = Array(sealed.prefix(sealed.count - 40_000))
        XCTAssertThrowsError(try decrypt(truncated, .identities([identity]))) { XCTAssertEqual($0 as? AgeError, .damaged) }
        // Cut exactly after the first full chunk: it was not sealed as the last one.
        let firstChunkOnly = Array(sealed.prefix(sealed.count - (100_000 - 65_536 + 16)))
        XCTAssertThrowsError(try decrypt(firstChunkOnly, .identities([identity]))) { XCTAssertEqual($0 as? AgeError, .damaged) }
        sealed[sealed.count - 5] ^= 1
        XCTAssertThrowsError(try decrypt(sealed, .identities([identity]))) { XCTAssertEqual($0 as? AgeError, .damaged) }
        XCTAssertThrowsError(try decrypt(sealed, .identities([AgeIdentity()]))) { XCTAssertEqual($0 as? AgeError, .noMatchingKey) }
    }

    func testKeysRoundTripThroughBech32() throws {
        let identity = AgeIdentity()
        let again = try XCTUnwrap(AgeIdentity(identity.description))
        XCTAssertEqual(again.recipient.description, identity.recipient.description)
        XCTAssertTrue(identity.recipient.description.hasPrefix("age1"))
        // The recipient of age's own test identity (age's testdata).
        let known = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
        XCTAssertNotNil(AgeRecipient(known))
        // Bech32's checksum catches any one changed character: try every other letter of
        // its alphabet at the first, a middle and the last data position.
        let alphabet = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l")
        let characters = Array(known)
        for position in [4, characters.count / 2, characters.count - 1] {
            for letter in alphabet where letter != characters[position] {
                var changed = characters
                changed[position] = letter
                XCTAssertNil(AgeRecipient(String(changed)), "a bad checksum is refused: \(letter) at \(position)")
            }
        }
    }
}
