import Crypto
import Foundation

/// A file's contents as kept in the store.
public struct StoredFile: Sendable, Hashable {
    public let id: Int64
    /// Lowercase hex SHA-256 of the contents.
    public let sha256: String
    public let size: Int64
}

/// Keeps file contents inside the store, in fixed-size chunk rows, once per distinct SHA-256.
///
/// Guarantees: contents go in and out through one buffer of `chunkSize` bytes, so memory stays
/// bounded whatever the file's size; SQLite's 1 GB limit on one value does not limit files; an
/// identical file stored twice is kept once; contents are verified against their SHA-256 on the
/// way out.
struct FileStore {
    let database: Connection

    /// 1 MiB: large enough for few rows and fast I/O, small enough to keep memory flat.
    static let chunkSize = 1 << 20

    /// Streams the file at `path` into the store. When a stored file has the same size, the file
    /// is hashed first, and contents already in the store are shared without a byte written:
    /// adding the same 1 GiB scan again reads it once instead of streaming it in and rolling it
    /// back. A new file the store's disk has no room for is refused before anything is written
    /// (`requireRoom`; the refusal calls the file `name`, else `path`). Must run inside a
    /// transaction.
    func store(path: String, name: String? = nil) throws -> StoredFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.unreadableFile(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw StoreError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let what = (info.st_mode & S_IFMT) == S_IFDIR ? "it is a folder, not a file" : "it is not a regular file"
            throw StoreError.unreadableFile(path: path, reason: what)
        }
        let size = Int64(info.st_size)
        if let stored = try storedCopy(of: fd, size: size, path: path) { return stored }
        try Self.requireRoom(forFileOf: size, path: name ?? path, free: Self.freeBytes(onDiskOf: database.path))
        return try store(descriptor: fd, path: path)
    }

    /// Kept free beyond a file's two copies: the pages of its rows, history and search entries.
    static let roomMargin: Int64 = 16 << 20

    /// Refuses, before a byte is written, a file of `size` bytes that `free` bytes cannot take
    /// twice over (with `roomMargin`): it goes into the write-ahead log, then is copied into the
    /// store when the change ends. A log that fits while the copy does not would leave the change
    /// in the log beside the store and the disk full. Free space that could not be read (nil) is
    /// no reason to refuse: a write that runs out of space fails and changes nothing.
    static func requireRoom(forFileOf size: Int64, path: String, free: Int64?) throws {
        guard let free else { return }
        let needed = 2 * size + roomMargin
        if free < needed { throw StoreError.noRoom(path: path, needed: needed, free: free) }
    }

    /// The bytes free to this user on the disk holding the file at `path`, or nil when that
    /// cannot be read.
    static func freeBytes(onDiskOf path: String) -> Int64? {
        var space = statvfs()
        guard statvfs(path, &space) == 0 else { return nil }
        let (free, overflow) = UInt64(space.f_bavail).multipliedReportingOverflow(by: UInt64(space.f_frsize))
        return overflow ? Int64.max : Int64(clamping: free)
    }

    /// The stored file with the contents of the regular file open at `fd` (`size` bytes by its
    /// status), or nil. The file is read and hashed only when some stored file has that size, and
    /// is left at its start either way.
    func storedCopy(of fd: Int32, size: Int64, path: String) throws -> StoredFile? {
        let sameSize = try database.scalar("SELECT EXISTS (SELECT 1 FROM files WHERE size = ? AND sha256 IS NOT NULL)",
                                           [size], as: Int64?.self)
        guard sameSize == 1 else { return nil }
        var hasher = SHA256()
        var read: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try Self.fill(buffer, from: fd, path: path)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            read += Int64(count)
            if count < buffer.count { break }
        }
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            throw StoreError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        let sha256 = Hex.encode(hasher.finalize())
        guard let id: Int64 = try database.scalar("SELECT id FROM files WHERE sha256 = ?", [sha256]) else { return nil }
        return StoredFile(id: id, sha256: sha256, size: read)
    }

    /// Streams everything readable from `fd` into the store.
    func store(descriptor fd: Int32, path: String) throws -> StoredFile {
        try store { buffer in try Self.fill(buffer, from: fd, path: path) }
    }

    /// Stores contents already in memory. An identical file already in the store is shared and
    /// nothing is written; otherwise the chunks are written straight from memory. Must run inside
    /// a transaction.
    func store(_ contents: HashedBytes) throws -> StoredFile {
        let size = Int64(contents.bytes.count)
        if let existing: Int64 = try database.scalar("SELECT id FROM files WHERE sha256 = ?", [contents.sha256]) {
            return StoredFile(id: existing, sha256: contents.sha256, size: size)
        }
        return try database.savepoint {
            try database.run("INSERT INTO files (sha256, size, chunk_size, created_at) VALUES (?, ?, ?, ?)",
                             [contents.sha256, size, Self.chunkSize, Timestamp.now()])
            let fileID = database.lastInsertRowID
            let insertChunk = try database.prepare("INSERT INTO file_chunks (file_id, seq, data) VALUES (?, ?, ?)")
            defer { insertChunk.releaseBindings() }
            try contents.bytes.withUnsafeBytes { all in
                for (seq, start) in stride(from: 0, to: all.count, by: Self.chunkSize).enumerated() {
                    try insertChunk.bind([fileID, Int64(seq), SQLiteValue.null])
                    try insertChunk.bindBlob(UnsafeRawBufferPointer(rebasing: all[start ..< min(start + Self.chunkSize, all.count)]), at: 3)
                    try insertChunk.step()
                    insertChunk.reset()
                }
            }
            return StoredFile(id: fileID, sha256: contents.sha256, size: size)
        }
    }

    /// Streams into the store the bytes `read` hands over: it fills the buffer it is given as far
    /// as it can and returns the byte count, a short count at the end (0 when nothing is left).
    /// Contents already in the store are shared: the copy written while reading them is rolled
    /// back, and the store is left as it was. Must run inside a transaction.
    func store(reading read: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> StoredFile {
        do {
            return try database.savepoint {
                try database.run("INSERT INTO files (sha256, size, chunk_size, created_at) VALUES (NULL, 0, ?, ?)",
                                 [Self.chunkSize, Timestamp.now()])
                let fileID = database.lastInsertRowID
                let insertChunk = try database.prepare("INSERT INTO file_chunks (file_id, seq, data) VALUES (?, ?, ?)")
                defer { insertChunk.releaseBindings() }
                let hasher = BackgroundSHA256()
                var size: Int64 = 0
                var seq: Int64 = 0
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
                defer { buffer.deallocate() }
                while true {
                    let count = try read(buffer)
                    if count == 0 { break }
                    try hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { chunk in
                        try insertChunk.bind([fileID, seq, SQLiteValue.null])
                        try insertChunk.bindBlob(chunk, at: 3)
                        try insertChunk.step()
                        insertChunk.reset()
                    }
                    size += Int64(count)
                    seq += 1
                    if count < Self.chunkSize { break }
                }
                let sha256 = Hex.encode(hasher.finalize())
                if let existing: Int64 = try database.scalar("SELECT id FROM files WHERE sha256 = ?", [sha256]) {
                    throw AlreadyStored(file: StoredFile(id: existing, sha256: sha256, size: size))
                }
                try database.run("UPDATE files SET sha256 = ?, size = ? WHERE id = ?", [sha256, size, fileID])
                return StoredFile(id: fileID, sha256: sha256, size: size)
            }
        } catch let stored as AlreadyStored {
            return stored.file
        }
    }

    /// Thrown out of `store(reading:)`'s savepoint when the contents turn out to be stored
    /// already, so that the copy just written is rolled back rather than deleted. Rolling back
    /// drops its pages where they lie; a DELETE would free them one by one, and with SQLite's
    /// secure_delete (on in Debian's build) zero each of them through the statement journal,
    /// which `temp_store = MEMORY` keeps in memory: adding a 1 GiB file a second time took
    /// 13.5 s and 1.1 GB of memory that way.
    private struct AlreadyStored: Error {
        let file: StoredFile
    }

    /// Reads until `buffer` is full or the input ends; returns the byte count.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer, from fd: Int32, path: String) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = Foundation.read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    func file(id: Int64) throws -> StoredFile? {
        try database.query("SELECT id, sha256, size FROM files WHERE id = ? AND sha256 IS NOT NULL", [id]) { row in
            StoredFile(id: try row.get("id"), sha256: try row.get("sha256"), size: try row.get("size"))
        }.first
    }

    /// Calls `body` with each chunk of the file in order, then checks the SHA-256 of all of them
    /// (each chunk is hashed while `body` has it). Returns `false` when the contents do not match
    /// (the caller decides what that means).
    func read(_ file: StoredFile, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
        let hasher = BackgroundSHA256()
        var size: Int64 = 0
        var expectedSeq: Int64 = 0
        var intact = true
        try database.forEach("SELECT seq, data FROM file_chunks WHERE file_id = ? ORDER BY seq", [file.id]) { row in
            if try row.get("seq", as: Int64.self) != expectedSeq { intact = false }
            expectedSeq += 1
            try row.withUnsafeBlob("data") { chunk in
                size += Int64(chunk.count)
                try hasher.update(chunk, while: body)
            }
        }
        return intact && size == file.size && Hex.encode(hasher.finalize()) == file.sha256
    }
}
