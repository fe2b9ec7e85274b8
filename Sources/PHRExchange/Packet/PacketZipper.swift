import Crypto
import Foundation
import PHRStore
import ZIPFoundation

/// Packs a finished packet folder into one zip file with ZIPFoundation, and checks the result.
///
/// Guarantees: entries are streamed from the packet's files (never read whole into memory); all
/// entries sit under one top folder named after the zip, so unpacking makes one folder in which
/// `sha256sum -c SHA256SUMS` works; record files are stored as they are (they are usually
/// compressed already), the text files deflated; `verify` reads every entry back through
/// ZIPFoundation and compares its SHA-256 with the one written.
struct PacketZipper {
    /// The packet folder to pack.
    let folder: String
    /// The top folder inside the zip.
    let topFolder: String

    static let bufferSize = 256 * 1024

    func write(_ files: [WrittenFile], to zipPath: String) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .create)
        } catch {
            throw PacketError.cannotWrite(path: zipPath, reason: "cannot create the zip file")
        }
        do {
            try archive.addEntry(with: topFolder + "/", type: .directory, uncompressedSize: Int64(0), permissions: 0o700,
                                 provider: { _, _ in Data() })
            if files.contains(where: { $0.relativePath.hasPrefix("records/") }) {
                try archive.addEntry(with: topFolder + "/records/", type: .directory, uncompressedSize: Int64(0),
                                     permissions: 0o700, provider: { _, _ in Data() })
            }
            for file in files {
                let isRecord = file.relativePath.hasPrefix("records/")
                try archive.addEntry(with: topFolder + "/" + file.relativePath,
                                     fileURL: URL(fileURLWithPath: folder + "/" + file.relativePath),
                                     compressionMethod: isRecord ? .none : .deflate, bufferSize: Self.bufferSize)
            }
        } catch let error as PacketError {
            throw error
        } catch {
            // ZIPFoundation's errors name entry paths, which carry record titles.
            throw PacketError.cannotWrite(path: zipPath, reason: "writing the zip failed")
        }
        let fd = open(zipPath, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            fchmod(fd, 0o600)
            fsync(fd)
            close(fd)
        }
    }

    /// Reads the zip back: it must hold exactly `files` (plus the folders), each with its CRC-32
    /// and SHA-256 intact.
    func verify(_ files: [WrittenFile], zipPath: String) throws {
        let zipName = (zipPath as NSString).lastPathComponent
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: zipPath), accessMode: .read, pathEncoding: nil)
        } catch {
            throw PacketError.verificationFailed(path: zipName)
        }
        var expected = Dictionary(uniqueKeysWithValues: files.map { (topFolder + "/" + $0.relativePath, $0) })
        for entry in archive where entry.type == .file {
            guard let file = expected.removeValue(forKey: entry.path) else {
                throw PacketError.verificationFailed(path: entry.path)
            }
            var hasher = SHA256()
            var size: Int64 = 0
            let crc: CRC32
            do {
                crc = try archive.extract(entry, bufferSize: Self.bufferSize) { chunk in
                    hasher.update(data: chunk)
                    size += Int64(chunk.count)
                }
            } catch {
                throw PacketError.verificationFailed(path: entry.path)
            }
            guard crc == entry.checksum, size == file.size, Hex.encode(hasher.finalize()) == file.sha256 else {
                throw PacketError.verificationFailed(path: entry.path)
            }
        }
        if let missing = expected.keys.sorted().first { throw PacketError.verificationFailed(path: missing) }
    }
}
