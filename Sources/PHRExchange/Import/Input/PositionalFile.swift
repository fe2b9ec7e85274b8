import Foundation

/// A file opened once and read at any place, from any thread (`pread` moves no shared offset).
///
/// A bundle's entries are read one by one from their places: opening and closing the file for
/// each of them was three system calls an entry where one does.
final class PositionalFile: @unchecked Sendable {
    // `fd` never changes while the file is open, and `pread` is safe from several threads.
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImportError.io(path: path, reason: "the file cannot be read") }
    }

    deinit { close(fd) }

    /// The `length` bytes from `offset`; throws when the file ends before them (it changed while
    /// being read).
    func bytes(at offset: Int64, length: Int) throws -> [UInt8] {
        guard length > 0 else { return [] }
        return try [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            var filled = 0
            while filled < length {
                let count = pread(fd, buffer.baseAddress! + filled, length - filled, off_t(offset) + off_t(filled))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { throw ImportError.io(path: path, reason: "the file changed while importing") }
                filled += count
            }
            initialized = length
        }
    }
}
