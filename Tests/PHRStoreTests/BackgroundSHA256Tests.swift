@testable import PHRStore
import XCTest

/// SHA-256 over chunks hashed on a second thread while the caller uses them.
final class BackgroundSHA256Tests: XCTestCase {
    /// Deterministic bytes that differ from chunk to chunk, so that hashing them out of order
    /// would give another digest.
    private func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 9)) }
    }

    func testTheDigestIsThatOfEveryChunkInOrderWhateverTheirSizes() throws {
        // Small chunks are hashed on the caller's thread, large ones on the other: mixed here.
        let sizes = [10, 70 << 10, 1 << 20, 0, 100, BackgroundSHA256.smallChunk - 1, BackgroundSHA256.smallChunk, 200 << 10]
        let chunks = sizes.enumerated().map { bytes($1, seed: UInt8($0)) }
        let hasher = BackgroundSHA256()
        var seen: [UInt8] = []
        for chunk in chunks {
            try chunk.withUnsafeBytes { pointer in
                try hasher.update(pointer) { seen += $0 }
            }
        }
        XCTAssertEqual(seen, chunks.flatMap { $0 }, "the work is given each chunk, in order")
        XCTAssertEqual(Hex.encode(hasher.finalize()), HashedBytes(chunks.flatMap { $0 }).sha256)
    }

    func testAnErrorFromTheWorkIsThrownOnceTheChunkIsHashed() {
        struct Refused: Error {}
        let chunk = bytes(300 << 10, seed: 9)
        let hasher = BackgroundSHA256()
        XCTAssertThrowsError(try chunk.withUnsafeBytes { pointer in
            try hasher.update(pointer) { _ in throw Refused() }
        }) { error in
            XCTAssertTrue(error is Refused)
        }
        // update returned only after hashing: the digest already covers the chunk.
        XCTAssertEqual(Hex.encode(hasher.finalize()), HashedBytes(chunk).sha256)
    }
}
