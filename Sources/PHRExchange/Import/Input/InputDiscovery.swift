import Foundation
import ZIPFoundation

/// One file to read: a JSON file (a Bundle of any type, or a single resource) or an NDJSON file
/// (one resource a line).
struct InputUnit: Sendable {
    enum Format: Sendable { case json, ndjson }

    let path: String
    /// What messages call the file: its path, or for a packet zip `packet.zip/fhir.json`.
    private(set) var name: String
    /// Where resources of a bundle in this file live (`file:///…/bundle.json`), and where those of
    /// an NDJSON file or a single-resource file live (its folder): see `SourceKeys`.
    private(set) var fileOrigin: String
    private(set) var folderOrigin: String
    let format: Format
    /// The folder that relative `attachment.url`s are read from: the packet's, else the file's.
    let folder: String
    /// True for `fhir.json` of a packet written by `phr export`: its attachment URLs must resolve.
    let isPacket: Bool
    /// Files are read in this order (then by path): bundles and single resources first, then NDJSON
    /// files in the order their resource types depend on each other.
    let rank: Int
    let size: Int64

    init(path: String, name: String, format: Format, folder: String, isPacket: Bool, rank: Int, size: Int64) {
        self.path = path
        self.name = name
        self.format = format
        self.folder = folder
        self.isPacket = isPacket
        self.rank = rank
        self.size = size
        fileOrigin = SourceKeys.origin(ofFile: name)
        folderOrigin = SourceKeys.origin(ofFile: (name as NSString).deletingLastPathComponent)
    }

    /// The unit under another name (a file unpacked from a zip is named after the zip).
    func named(_ name: String) -> InputUnit {
        InputUnit(path: path, name: name, format: format, folder: folder, isPacket: isPacket, rank: rank, size: size)
    }
}

/// Turns the paths given to `phr import` into the files to read.
///
/// Accepts: a `.json` file; an `.ndjson`/`.jsonl` file; a packet folder (it holds `fhir.json`) or
/// a packet zip (unpacked into a private scratch folder that lives as long as the result); a
/// folder of such files (the bulk-data layout, `Patient.000.ndjson`, ...), searched in its
/// subfolders too. Refuses a missing path, a file of another kind, a folder with no FHIR file in
/// it and a zip that is no packet, before anything is read.
struct InputDiscovery {
    /// Where zips are unpacked.
    let scratchFolder: String
    /// Folders of unpacked zips, removed when the discovery is released.
    private(set) var unpacked: [ScratchFolder] = []

    init(scratchFolder: String) {
        self.scratchFolder = scratchFolder
    }

    mutating func units(for paths: [String]) throws -> [InputUnit] {
        var units: [InputUnit] = []
        var seen = Set<String>()
        for path in paths {
            for unit in try unitsOf(path) where seen.insert(unit.path).inserted {
                units.append(unit)
            }
        }
        return units.sorted { ($0.rank, $0.path) < ($1.rank, $1.path) }
    }

    /// A packet zip written by `phr export`, unpacked (ZIPFoundation refuses entries that would
    /// land outside the folder, and checks every CRC-32).
    private mutating func unzippedPacket(_ path: String) throws -> [InputUnit] {
        let folder = try ScratchFolder(in: scratchFolder)
        unpacked.append(folder)
        do {
            try FileManager.default.unzipItem(at: URL(fileURLWithPath: path), to: URL(fileURLWithPath: folder.path))
        } catch {
            // ZIPFoundation's messages name entries, which may carry record titles.
            throw ImportError.notFHIR(path: path, reason: "is not a zip phr can read")
        }
        let top = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let candidates = [folder.path] + top.sorted().map { (folder.path as NSString).appendingPathComponent($0) }
        guard let packet = candidates.first(where: {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("fhir.json"))
        }) else {
            throw ImportError.notFHIR(path: path, reason: "the zip holds no fhir.json; phr reads zips written by phr export")
        }
        let unit = try Self.file((packet as NSString).appendingPathComponent("fhir.json"), folder: packet, isPacket: true)
        return [unit.named((path as NSString).appendingPathComponent(String(unit.path.dropFirst(folder.path.count + 1))))]
    }

    private mutating func unitsOf(_ path: String) throws -> [InputUnit] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImportError.noInput(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let packetBundle = (path as NSString).appendingPathComponent("fhir.json")
            if FileManager.default.fileExists(atPath: packetBundle) {
                return [try Self.file(packetBundle, folder: path, isPacket: true)]
            }
            let found = try Self.folderUnits(path)
            guard !found.isEmpty else {
                throw ImportError.notFHIR(path: path, reason: "the folder holds no FHIR file (*.json bundles or resources, *.ndjson)")
            }
            return found
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ImportError.noInput(path: path, reason: "not a regular file or folder")
        }
        if (path as NSString).pathExtension.lowercased() == "zip" { return try unzippedPacket(path) }
        guard Self.format(of: path) != nil else {
            throw ImportError.notFHIR(path: path, reason: "not a FHIR file; give a .json bundle or resource, an .ndjson file, a folder of them, or a packet from phr export")
        }
        return [try Self.file(path, folder: (path as NSString).deletingLastPathComponent, isPacket: false)]
    }

    private static func folderUnits(_ folder: String) throws -> [InputUnit] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw ImportError.noInput(path: folder, reason: "the folder cannot be listed")
        }
        var units: [InputUnit] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(name)
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                units += try folderUnits(path)
            } else if (info.st_mode & S_IFMT) == S_IFREG, format(of: name) != nil {
                units.append(try file(path, folder: folder, isPacket: false))
            }
        }
        return units
    }

    private static func format(of name: String) -> InputUnit.Format? {
        switch (name as NSString).pathExtension.lowercased() {
        case "json": return .json
        case "ndjson", "jsonl": return .ndjson
        default: return nil
        }
    }

    private static func file(_ path: String, folder: String, isPacket: Bool) throws -> InputUnit {
        guard let format = format(of: path) else {
            throw ImportError.notFHIR(path: path, reason: "not a FHIR file")
        }
        guard access(path, R_OK) == 0 else {
            throw ImportError.noInput(path: path, reason: String(cString: strerror(errno)))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value ?? 0
        let rank: Int
        switch format {
        case .json: rank = -1
        case .ndjson: rank = ResourceOrder.rank(ofFileNamed: (path as NSString).lastPathComponent)
        }
        return InputUnit(path: path, name: path, format: format, folder: folder.isEmpty ? "." : folder,
                         isPacket: isPacket, rank: rank, size: size)
    }
}

/// A private folder (0700) for unpacked input, removed with everything in it when released.
final class ScratchFolder: @unchecked Sendable {
    let path: String

    init(in parent: String) throws {
        var template = Array("\(parent)/.phr-import-unzip-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ImportError.io(path: parent, reason: "cannot make a folder to unpack the zip in")
        }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The order resource types are imported in, from `ImportedTypes`: what a resource refers to is
/// (usually) already stored when it is read. Resources that still find a reference missing wait
/// for a second pass.
enum ResourceOrder {
    /// True for the types phr imports (their content hash is needed; others are only counted).
    static func isImported(_ type: String?) -> Bool {
        type.map { ImportedTypes.byName[$0] != nil } ?? false
    }

    /// Types phr does not import come last; they are only counted.
    static func rank(of type: String) -> Int { ImportedTypes.byName[type]?.rank ?? ImportedTypes.all.count }

    /// True for a bulk-data file named after a type phr does not import (`Observation.000.ndjson`).
    static func namesSkippedType(_ fileName: String) -> Bool {
        let type = String(fileName.prefix { $0.isLetter })
        return ImportedTypes.byName[type] == nil && FHIRVocabulary.r4ResourceTypes.contains(type) && type != "Bundle"
    }

    /// The rank of the type a bulk-data file is named after (`Condition.000.ndjson`).
    static func rank(ofFileNamed name: String) -> Int {
        let type = name.prefix { $0.isLetter }
        return rank(of: String(type))
    }
}
