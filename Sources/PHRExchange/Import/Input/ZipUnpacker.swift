import Foundation
import ZIPFoundation

/// Unpacks what phr reads from a zip into a scratch folder, within bounds.
///
/// - A packet (a zip holding `fhir.json`, at the top or in one folder) is unpacked as its bundle
///   and the files its attachments name, nothing else: a large entry the packet never uses is never
///   written. Any other zip (an XDM zip, a zip of FHIR files) is unpacked whole.
/// - Refused before anything is written: an entry whose path leaves the folder, more than
///   `totalLimit` bytes in all, an entry of more than `ratioLimit` times its compressed size (a zip
///   bomb), and more than the disk has free. An entry that inflates beyond the size it declares is
///   stopped there. A full disk is reported as a full disk.
/// - Every entry's CRC-32 is checked.
struct ZipUnpacker {
    /// At most this many bytes unpacked from one zip.
    static let totalLimit: UInt64 = 8 << 30
    /// An entry larger than `ratioFloor` may be at most this many times its compressed size.
    static let ratioLimit: UInt64 = 200
    static let ratioFloor: UInt64 = 16 << 20

    let zipPath: String
    let folder: String

    /// Unpacks into `folder`; returns the paths of the files written.
    func unpack() throws -> [String] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read, pathEncoding: nil)
        } catch {
            // ZIPFoundation's messages name entries, which may carry record titles.
            throw ImportError.notFHIR(path: zipPath, reason: "is not a zip phr can read")
        }
        let files = Array(archive).filter { $0.type == .file }
        var wanted = files
        if let bundle = files.first(where: { Self.isPacketBundle($0.path) }) {
            try extract(bundle, from: archive, budget: Self.totalLimit)
            let root = String(bundle.path.dropLast("fhir.json".count))
            let named = try attachmentPaths(of: (folder as NSString).appendingPathComponent(bundle.path))
            wanted = files.filter { $0.path != bundle.path && $0.path.hasPrefix(root) && named.contains(String($0.path.dropFirst(root.count))) }
        }
        try checkBounds(wanted)
        var budget = Self.totalLimit
        for entry in wanted {
            budget -= try extract(entry, from: archive, budget: budget)
        }
        return wanted.map { (folder as NSString).appendingPathComponent($0.path) }
    }

    static func isPacketBundle(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.last == "fhir.json" && parts.count <= 2
    }

    /// The relative `url`s of the bundle's attachments (percent-decoded), as paths in the packet.
    private func attachmentPaths(of bundlePath: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: bundlePath),
              let json = try? JSONSerialization.jsonObject(with: data) else { return [] }
        var found = Set<String>()
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let url = object["url"] as? String, !url.contains(":"), !url.hasPrefix("/") {
                    found.insert(url.removingPercentEncoding ?? url)
                }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(json)
        return found
    }

    private func checkBounds(_ entries: [Entry]) throws {
        var total: UInt64 = 0
        for entry in entries {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            guard !entry.path.hasPrefix("/"), !parts.contains(where: { $0 == ".." }) else {
                throw ImportError.notFHIR(path: zipPath, reason: "has an entry whose path leaves the zip's folder; phr does not unpack it")
            }
            if entry.uncompressedSize > Self.ratioFloor, entry.uncompressedSize / max(1, entry.compressedSize) > Self.ratioLimit {
                throw ImportError.notFHIR(path: zipPath, reason: "has an entry that unpacks to more than \(Self.ratioLimit) times its size (a zip bomb?); phr does not unpack it")
            }
            total += entry.uncompressedSize
        }
        guard total <= Self.totalLimit else {
            throw ImportError.notFHIR(path: zipPath, reason: "would unpack to \(Self.megabytes(total)) MB; phr unpacks at most \(Self.megabytes(Self.totalLimit)) MB from one zip")
        }
        var space = statvfs()
        if statvfs(folder, &space) == 0 {
            let free = UInt64(space.f_bavail) * UInt64(space.f_frsize)
            guard total <= free else {
                throw ImportError.io(path: folder, reason: "the disk is full: unpacking the zip needs \(Self.megabytes(total)) MB and \(Self.megabytes(free)) MB are free")
            }
        }
    }

    /// Writes one entry (at most `budget` bytes, and no more than it declares), checking its
    /// CRC-32. Returns the bytes written.
    @discardableResult
    private func extract(_ entry: Entry, from archive: Archive, budget: UInt64) throws -> UInt64 {
        let target = (folder as NSString).appendingPathComponent(entry.path)
        do {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ImportError.io(path: folder, reason: "cannot make a folder to unpack the zip in")
        }
        let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ImportError.io(path: folder, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let limit = min(budget, entry.uncompressedSize)
        var written: UInt64 = 0
        var writeError: Int32 = 0
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                written += UInt64(chunk.count)
                guard written <= limit else { throw ZipBound.exceeded }
                try chunk.withUnsafeBytes { buffer in
                    guard let base = buffer.baseAddress else { return }
                    var offset = 0
                    while offset < buffer.count {
                        let count = write(fd, base + offset, buffer.count - offset)
                        if count < 0 {
                            if errno == EINTR { continue }
                            writeError = errno
                            throw ZipBound.writeFailed
                        }
                        offset += count
                    }
                }
            }
        } catch ZipBound.exceeded {
            throw ImportError.notFHIR(path: zipPath, reason: "has an entry that unpacks to more than it declares; phr does not unpack it")
        } catch ZipBound.writeFailed {
            if writeError == ENOSPC || writeError == EDQUOT {
                throw ImportError.io(path: folder, reason: "the disk is full while unpacking the zip; free some space and import again")
            }
            throw ImportError.io(path: folder, reason: String(cString: strerror(writeError)))
        } catch {
            throw ImportError.notFHIR(path: zipPath, reason: "is not a zip phr can read")
        }
        guard checksum == entry.checksum else {
            throw ImportError.notFHIR(path: zipPath, reason: "is damaged: an entry does not match its CRC-32")
        }
        return written
    }

    private enum ZipBound: Error { case exceeded, writeFailed }

    private static func megabytes(_ bytes: UInt64) -> UInt64 { (bytes + (1 << 20) - 1) >> 20 }
}
