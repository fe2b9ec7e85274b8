import Crypto
import Foundation
import PHRStore

/// The content of an attachment, ready to be stored.
enum AttachmentContent {
    /// The bytes are in the file at `path` (the scratch file, or a file of the packet).
    case file(path: String, sha256: String, size: Int64)
    /// A small attachment, decoded into memory and hashed (on the parsing thread).
    case bytes(HashedBytes)
    /// A URL phr does not read (another server, a file outside the packet): kept as text.
    case external(String)
    /// The attachment has neither data nor URL.
    case none
}

/// Reads FHIR `Attachment`s: `data` is decoded from base64, into memory when it is small (up to
/// `inMemoryLimit`), else in chunks into a scratch file (0600) that is reused for each attachment
/// and removed at the end; a relative `url` is read from the folder of the bundle (a packet's
/// `records/`).
///
/// Guarantees: memory for decoding stays at one chunk (or `inMemoryLimit`) whatever the
/// attachment's size (and a huge one never reaches the JSON parser: `AttachmentSpool`); base64
/// that is not base64 is refused; `size` and `hash` (base64 SHA-1, as FHIR R4 defines it), when given,
/// must match the bytes; a URL can never make phr read a file outside the bundle's folder.
final class AttachmentReader {
    /// Attachments up to this size (decoded) are kept in memory: most are small, and writing each
    /// to a file and reading it back cost more than storing it.
    static let inMemoryLimit = 1 << 20

    private let scratchPath: String
    private var fd: Int32 = -1
    /// The scratch file's entry in the scratch registry (`Scratch`), from when it is made.
    private var registration: Scratch.Registration?
    private let folder: String
    /// Huge attachments decoded before parsing (`AttachmentSpool`), shared with the reading side.
    let spool: AttachmentSpool

    /// `folder` is where the scratch file goes: the store's folder, private to the user.
    init(folder: String) {
        self.folder = folder
        self.spool = AttachmentSpool(folder: folder)
        self.scratchPath = (folder as NSString).appendingPathComponent(Scratch.ownedName(".phr-tmp-") + "-attachment")
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(scratchPath)
        }
        registration?.release()
    }

    /// The bytes of a small attachment's `data`, decoded and checked; `nil` when it has no data or
    /// more than `inMemoryLimit` (that is decoded by `content(of:resource:decoded:)` into the
    /// scratch file). Touches nothing but the attachment: it runs on the parsing thread.
    static func decodeSmall(_ attachment: FHIRObject) throws -> HashedBytes? {
        guard let data = try attachment.string("data"), data.utf8.count / 4 * 3 <= inMemoryLimit,
              !data.hasPrefix(AttachmentSpool.marker) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.utf8.count / 4 * 3)
        let (size, _, sha1) = try decode(data, attachment, sha256: false) { bytes.append(contentsOf: $0) }
        try verify(attachment, size: size, sha1: sha1)
        return HashedBytes(bytes)
    }

    /// The attachment's contents: `decoded` when `decodeSmall` gave them, else its large `data`
    /// decoded into the scratch file, else the file its relative `url` names in the packet.
    func content(of attachment: FHIRObject, resource: IncomingResource, decoded: HashedBytes?) throws -> AttachmentContent {
        if let decoded { return .bytes(decoded) }
        if let data = try attachment.string("data") {
            if let spooled = spool.file(forMarker: data) {
                try Self.verify(attachment, size: spooled.size, sha1: spooled.sha1)
                return .file(path: spooled.path, sha256: spooled.sha256, size: spooled.size)
            }
            try openScratch()
            let (size, sha256, sha1) = try Self.decode(data, attachment, sha256: true) { try write($0) }
            try Self.verify(attachment, size: size, sha1: sha1)
            return .file(path: scratchPath, sha256: sha256 ?? "", size: size)
        }
        guard let url = try attachment.text("url") else { return .none }
        guard let path = Self.localPath(url, folder: resource.unit.folder) else {
            // A packet's files are inside it: a path that leaves it (`../`, `/…`) is a damaged or
            // forged packet, not a link to keep.
            if resource.unit.isPacket, !url.contains(":") {
                throw attachment.failure("url", "points outside the packet; a packet's files are inside its folder")
            }
            return .external(url)
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Self.isInside(path, resource.unit.folder) else {
            if resource.unit.isPacket {
                throw attachment.failure("url", "names a file that is not in the packet")
            }
            return .external(url)
        }
        let (size, sha256, sha1) = try digest(path, attachment)
        try Self.verify(attachment, size: size, sha1: sha1)
        return .file(path: path, sha256: sha256, size: size)
    }

    /// Whether `path`, its symbolic links followed, is inside `folder`.
    static func isInside(_ path: String, _ folder: String) -> Bool {
        guard let file = realpath(path, nil) else { return false }
        defer { free(file) }
        guard let base = realpath(folder, nil) else { return false }
        defer { free(base) }
        let prefix = String(cString: base)
        return String(cString: file).hasPrefix(prefix.hasSuffix("/") ? prefix : prefix + "/")
    }

    /// The file a relative URL names inside `folder`; `nil` for absolute URLs, and for paths that
    /// would leave the folder.
    static func localPath(_ url: String, folder: String) -> String? {
        guard !url.contains(":"), !url.hasPrefix("/") else { return nil }
        let decoded = url.removingPercentEncoding ?? url
        let components = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.isEmpty, !components.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        return components.reduce(folder) { ($0 as NSString).appendingPathComponent(String($1)) }
    }

    // MARK: Decoding

    private func openScratch() throws {
        if fd < 0 {
            registration = Scratch.register(scratchPath)
            fd = open(scratchPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw ImportError.io(path: scratchPath, reason: String(cString: strerror(errno))) }
        }
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
            throw ImportError.io(path: scratchPath, reason: String(cString: strerror(errno)))
        }
    }

    /// Decodes `text` chunk by chunk, handing each decoded chunk to `sink`; returns the size, the
    /// SHA-256 (hex, when asked for) and the SHA-1 (when the attachment has a `hash` to check).
    private static func decode(_ text: String, _ attachment: FHIRObject, sha256 wantsSHA256: Bool,
                        into sink: (UnsafeRawBufferPointer) throws -> Void) throws -> (Int64, String?, Data?) {
        var sha256 = wantsSHA256 ? SHA256() : nil
        var sha1 = try attachment.string("hash") != nil ? Insecure.SHA1() : nil
        var size: Int64 = 0
        var text = text
        try text.withUTF8 { utf8 in
            try Base64Stream.decode(utf8, invalid: attachment.failure("data", "is not valid base64")) { bytes in
                sha256?.update(bufferPointer: bytes)
                sha1?.update(bufferPointer: bytes)
                try sink(bytes)
                size += Int64(bytes.count)
            }
        }
        return (size, sha256.map { ContentHash.hex($0.finalize()) }, sha1.map { Data($0.finalize()) })
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw ImportError.io(path: scratchPath, reason: String(cString: strerror(errno)))
            }
            offset += n
        }
    }

    private func digest(_ path: String, _ attachment: FHIRObject) throws -> (Int64, String, Data) {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw attachment.failure("url", "names a file that cannot be read") }
        defer { close(input) }
        var sha256 = SHA256()
        var sha1 = Insecure.SHA1()
        var size: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = read(input, buffer.baseAddress!, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw attachment.failure("url", "names a file that cannot be read")
            }
            if n == 0 { break }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            sha256.update(bufferPointer: bytes)
            sha1.update(bufferPointer: bytes)
            size += Int64(n)
        }
        return (size, ContentHash.hex(sha256.finalize()), Data(sha1.finalize()))
    }

    private static func verify(_ attachment: FHIRObject, size: Int64, sha1: Data?) throws {
        if let expected = try attachment.int("size"), Int64(expected) != size {
            throw attachment.failure("size", "does not match the attachment's bytes")
        }
        if let expected = try attachment.text("hash"), expected != sha1?.base64EncodedString() {
            throw attachment.failure("hash", "does not match the attachment's bytes (FHIR R4: base64 of their SHA-1)")
        }
    }
}
