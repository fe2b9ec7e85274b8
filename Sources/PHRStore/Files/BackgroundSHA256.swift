import Crypto
import Dispatch

/// SHA-256 of bytes given chunk by chunk, each chunk hashed on a thread of its own while the
/// caller does its other work with the same bytes (writes them to a file, or into the store):
/// moving a large record file then costs about the longer of the two, not their sum.
///
/// Guarantees: chunks are hashed in the order given; `update(_:while:)` returns only once its
/// chunk is hashed, even when `work` throws, so the bytes need to stay valid for that call alone;
/// a chunk smaller than `smallChunk` is hashed on the caller's thread (handing it over would cost
/// more than hashing it).
final class BackgroundSHA256: @unchecked Sendable {
    /// Touched by the queue's thread while `update` waits for it, by the caller's otherwise:
    /// never by both at once (the semaphore orders them).
    private var hasher = SHA256()
    private let queue = DispatchQueue(label: "phr.sha256")

    static let smallChunk = 64 << 10

    /// Hashes `chunk` while `work` runs with it, and returns when both are done.
    func update(_ chunk: UnsafeRawBufferPointer, while work: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard chunk.count >= Self.smallChunk else {
            hasher.update(bufferPointer: chunk)
            try work(chunk)
            return
        }
        let bytes = Bytes(chunk)
        let hashed = DispatchSemaphore(value: 0)
        queue.async {
            self.hasher.update(bufferPointer: bytes.pointer)
            hashed.signal()
        }
        defer { hashed.wait() }
        try work(chunk)
    }

    /// The digest of every chunk given so far.
    func finalize() -> SHA256.Digest {
        hasher.finalize()
    }

    /// A chunk's address, handed to the queue's thread for the length of one `update`.
    private struct Bytes: @unchecked Sendable {
        let pointer: UnsafeRawBufferPointer
        init(_ pointer: UnsafeRawBufferPointer) { self.pointer = pointer }
    }
}
