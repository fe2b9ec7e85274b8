import Crypto
import Foundation
import PHRStore

/// The packet's `SHA256SUMS`, in the format `sha256sum -c` reads: one line per file, the hex
/// digest, two spaces, the path relative to the packet. It lists every file but itself.
struct ChecksumList {
    let files: [WrittenFile]

    func render() -> String {
        files.sorted { $0.relativePath < $1.relativePath }
            .map { "\($0.sha256)  \($0.relativePath)\n" }
            .joined()
    }

    /// Reads every file back from `folder` (streamed, 1 MiB at a time) and throws
    /// `verificationFailed` naming the first one whose size or SHA-256 is not what was written.
    func verify(in folder: String) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        for file in files {
            let path = folder + "/" + file.relativePath
            let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { throw PacketError.verificationFailed(path: file.relativePath) }
            defer { close(fd) }
            var hasher = SHA256()
            var size: Int64 = 0
            while true {
                let n = read(fd, buffer.baseAddress!, buffer.count)
                if n < 0, errno == EINTR { continue }
                guard n >= 0 else { throw PacketError.verificationFailed(path: file.relativePath) }
                if n == 0 { break }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                size += Int64(n)
            }
            guard size == file.size, Hex.encode(hasher.finalize()) == file.sha256 else {
                throw PacketError.verificationFailed(path: file.relativePath)
            }
        }
    }
}
