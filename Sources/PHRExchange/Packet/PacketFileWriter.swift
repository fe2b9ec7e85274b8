import Crypto
import Foundation
import PHRStore

/// A file written into a packet, with what the packet's checksum list and FHIR need to know of it.
struct WrittenFile: Sendable, Hashable {
    /// The path inside the packet, with `/` (e.g. `records/2026-10-02_letter_Referral.pdf`).
    let relativePath: String
    let size: Int64
    /// Lowercase hex SHA-256, as `sha256sum` prints it.
    let sha256: String
    /// Base64 SHA-1, as FHIR's `Attachment.hash` is defined.
    let sha1Base64: String
}

/// Writes one new file (0600) inside a packet's staging folder while hashing what it writes.
///
/// Guarantees: the file is created, never opened if it exists (`O_EXCL`) and never through a
/// symbolic link (`O_NOFOLLOW`); bytes go straight from the caller's buffer to the file, so memory
/// stays bounded by the caller's chunk size; `finish()` fsyncs before it reports the hashes.
final class PacketFileWriter {
    let relativePath: String
    private let path: String
    private var fd: Int32
    private var sha256 = SHA256()
    private var sha1 = Insecure.SHA1()
    private var size: Int64 = 0

    init(folder: String, relativePath: String) throws {
        self.relativePath = relativePath
        self.path = folder + "/" + relativePath
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        // The mode does not depend on the caller's umask.
        fchmod(fd, 0o600)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        sha256.update(bufferPointer: bytes)
        sha1.update(bufferPointer: bytes)
        size += Int64(bytes.count)
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Makes the file durable and returns its size and hashes.
    func finish() throws -> WrittenFile {
        guard fsync(fd) == 0 else { throw PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        close(fd)
        fd = -1
        return WrittenFile(relativePath: relativePath, size: size,
                           sha256: Hex.encode(sha256.finalize()),
                           sha1Base64: Data(sha1.finalize()).base64EncodedString())
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
