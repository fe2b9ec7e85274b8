import Crypto
import Foundation
import PHRStore

/// Keeps huge strings away from the JSON parser, which needs many times a string's size in memory.
///
/// Before a line or a file is parsed, `prepare` looks at its strings (only when the bytes are big
/// enough to hold a huge one):
/// - an attachment's `data` over `spoolThreshold` is decoded from base64 straight into a scratch
///   file (0600, beside the store) and replaced in the bytes the parser sees by a marker naming
///   that file (`phr-spooled:` and the SHA-256 of its decoded bytes, so the same content always
///   reads the same); `AttachmentReader` then stores the file;
/// - any other string over `textLimit` is refused with the field's name and the limit.
///
/// Memory for a huge attachment is then the line or file as read plus a copy without it, whatever
/// its size. Base64 written with JSON escapes (`\/`) is left to the parser. Every scratch file is
/// owned and registered (`Scratch`) and removed when the spool is released. Safe to use from the parsing and importing threads.
final class AttachmentSpool: @unchecked Sendable {
    /// Attachment data longer than this (in base64 characters) is spooled.
    static let spoolThreshold = 1 << 20
    /// Longer text than this, other than attachment data, is refused.
    static let textLimit = 4 << 20
    static let marker = "phr-spooled:"

    /// A decoded attachment in a scratch file.
    struct File {
        let path: String
        let sha256: String
        let sha1: Data
        let size: Int64
        /// Its entry in the scratch registry, so that a later phr removes it after a kill.
        let registration: Scratch.Registration
    }

    private let folder: String
    private let lock = NSLock()
    private var files: [String: File] = [:]

    init(folder: String) {
        self.folder = folder
    }

    deinit {
        for file in files.values {
            unlink(file.path)
            file.registration.release()
        }
    }

    /// The spooled file a `data` marker names.
    func file(forMarker text: String) -> File? {
        guard text.hasPrefix(Self.marker) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return files[String(text.dropFirst(Self.marker.count))]
    }

    /// The bytes the JSON parser should read: `nil` when `bytes` can be read as they are, else a
    /// copy with each huge attachment `data` replaced by its marker. Throws for a huge string that
    /// is not attachment data, and for `data` that is not base64.
    func prepare(_ bytes: UnsafeRawBufferPointer, place: ImportPlace) throws -> [UInt8]? {
        guard bytes.count > min(Self.spoolThreshold, Self.textLimit), let base = bytes.baseAddress else { return nil }
        let byte = base.assumingMemoryBound(to: UInt8.self)
        let count = bytes.count
        var replacements: [(range: Range<Int>, marker: String)] = []
        var index = 0
        while index < count {
            // The next string: find its opening quote, then its closing one (skipping escapes).
            guard let quote = memchr(byte + index, 0x22, count - index) else { break }
            let start = byte.distance(to: quote.assumingMemoryBound(to: UInt8.self)) + 1
            var end = start
            var escaped = false
            while end < count {
                guard let next = Self.nextQuoteOrBackslash(byte, from: end, count: count) else { end = count; break }
                if byte[next] == 0x5C {
                    escaped = true
                    end = next + 2
                    continue
                }
                end = next
                break
            }
            let length = end - start
            if length > min(Self.spoolThreshold, Self.textLimit) {
                let key = Self.key(before: start - 1, in: byte)
                if key == "data" {
                    if length > Self.spoolThreshold, !escaped {
                        let marker = try spool(UnsafeBufferPointer(start: byte + start, count: length), place: place)
                        replacements.append((start..<end, marker))
                    }
                } else if length > Self.textLimit {
                    let field = key.map { " in \"\($0)\"" } ?? ""
                    throw ImportError.badData(place, "has a text of \(length >> 20) MiB\(field); phr takes text up to \(Self.textLimit >> 20) MiB (attachments aside: their data may be any size)")
                }
            }
            index = end + 1
        }
        guard !replacements.isEmpty else { return nil }
        var prepared: [UInt8] = []
        prepared.reserveCapacity(count - replacements.reduce(0) { $0 + $1.range.count } + replacements.count * 80)
        var copied = 0
        for replacement in replacements {
            prepared.append(contentsOf: UnsafeBufferPointer(start: byte + copied, count: replacement.range.lowerBound - copied))
            prepared.append(contentsOf: replacement.marker.utf8)
            copied = replacement.range.upperBound
        }
        prepared.append(contentsOf: UnsafeBufferPointer(start: byte + copied, count: count - copied))
        return prepared
    }

    private static func nextQuoteOrBackslash(_ byte: UnsafePointer<UInt8>, from: Int, count: Int) -> Int? {
        var index = from
        while index < count {
            let value = byte[index]
            if value == 0x22 || value == 0x5C { return index }
            index += 1
        }
        return nil
    }

    /// The object key a string value at `quote` (its opening quote) belongs to: `"key" : "…"`.
    private static func key(before quote: Int, in byte: UnsafePointer<UInt8>) -> String? {
        var index = quote - 1
        while index >= 0, NDJSONReader.isWhitespace(byte[index]) { index -= 1 }
        guard index >= 0, byte[index] == 0x3A else { return nil }  // ':'
        index -= 1
        while index >= 0, NDJSONReader.isWhitespace(byte[index]) { index -= 1 }
        guard index >= 1, byte[index] == 0x22 else { return nil }
        let end = index
        index -= 1
        while index >= 0, byte[index] != 0x22 {
            if end - index > 64 { return nil }
            index -= 1
        }
        guard index >= 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: byte + index + 1, count: end - index - 1), as: UTF8.self)
    }

    /// Decodes base64 `text` into a new scratch file; returns the marker that names it.
    private func spool(_ text: UnsafeBufferPointer<UInt8>, place: ImportPlace) throws -> String {
        let path = (folder as NSString).appendingPathComponent(Scratch.ownedName(".phr-tmp-") + "-attachment")
        let registration = Scratch.register(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            registration.release()
            throw ImportError.io(path: folder, reason: String(cString: strerror(errno)))
        }
        var keep = false
        defer {
            close(fd)
            if !keep {
                unlink(path)
                registration.release()
            }
        }
        var sha256 = SHA256()
        var sha1 = Insecure.SHA1()
        var size: Int64 = 0
        try Base64Stream.decode(text, invalid: ImportError.badData(place, "has attachment data that is not valid base64")) { chunk in
            sha256.update(bufferPointer: chunk)
            sha1.update(bufferPointer: chunk)
            size += Int64(chunk.count)
            guard let base = chunk.baseAddress else { return }
            var offset = 0
            while offset < chunk.count {
                let written = write(fd, base + offset, chunk.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw ImportError.io(path: folder, reason: errno == ENOSPC ? "the disk is full" : String(cString: strerror(errno)))
                }
                offset += written
            }
        }
        let digest = ContentHash.hex(sha256.finalize())
        lock.lock()
        defer { lock.unlock() }
        if files[digest] == nil {
            files[digest] = File(path: path, sha256: digest, sha1: Data(sha1.finalize()), size: size, registration: registration)
            keep = true
        }
        return Self.marker + digest
    }
}
