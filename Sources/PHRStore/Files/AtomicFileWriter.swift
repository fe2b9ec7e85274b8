import Foundation

/// Writes a file so that it appears whole or not at all: into a temporary file (0600) beside the
/// destination, fsync'ed, then renamed over the destination, and the folder fsync'ed.
///
/// If `commit()` is never reached (an error, a crash), the destination is untouched and the
/// temporary file is removed by `deinit`; after a crash it is scratch (`.phr-tmp-<owner>-…`, see
/// `Scratch`), removed by a later phr.
public final class AtomicFileWriter {
    public let destination: String
    private let temporaryPath: String
    private var fd: Int32
    private var committed = false
    private let registration: Scratch.Registration

    public init(destination: String, mode: mode_t = 0o600) throws {
        self.destination = destination
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        let temporaryPath = "\(folder)/\(Scratch.ownedName(".phr-tmp-"))-\(url.lastPathComponent)"
        let registration = Scratch.register(temporaryPath)
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            registration.release()
            throw StoreError.unwritableFile(path: destination, reason: reason)
        }
        fchmod(fd, mode)
        self.fd = fd
        self.temporaryPath = temporaryPath
        self.registration = registration
    }

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.unwritableFile(path: destination, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Makes the file durable and puts it in place.
    public func commit() throws {
        guard fsync(fd) == 0 else {
            throw StoreError.unwritableFile(path: destination, reason: String(cString: strerror(errno)))
        }
        close(fd)
        fd = -1
        guard rename(temporaryPath, destination) == 0 else {
            throw StoreError.unwritableFile(path: destination, reason: String(cString: strerror(errno)))
        }
        committed = true
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 {
            fsync(folderFD)
            close(folderFD)
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
        if !committed { unlink(temporaryPath) }
        registration.release()
    }
}
