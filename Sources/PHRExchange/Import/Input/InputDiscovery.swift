import Foundation

/// One file to read: a JSON file (a Bundle of any type, or a single resource) or an NDJSON file
/// (one resource a line).
struct InputUnit: Sendable {
    enum Format: Sendable { case json, ndjson }

    let path: String
    let format: Format
    /// The folder that relative `attachment.url`s are read from: the packet's, else the file's.
    let folder: String
    /// True for `fhir.json` of a packet written by `phr export`: its attachment URLs must resolve.
    let isPacket: Bool
    /// Files are read in this order (then by path): bundles and single resources first, then NDJSON
    /// files in the order their resource types depend on each other.
    let rank: Int
    let size: Int64
}

/// Turns the paths given to `phr import` into the files to read.
///
/// Accepts: a `.json` file; an `.ndjson`/`.jsonl` file; a packet folder (it holds `fhir.json`);
/// a folder of such files (the bulk-data layout, `Patient.000.ndjson`, ...), searched in its
/// subfolders too. Refuses a missing path, a file of another kind and a folder with no FHIR file
/// in it, before anything is read.
enum InputDiscovery {
    static func units(for paths: [String]) throws -> [InputUnit] {
        var units: [InputUnit] = []
        var seen = Set<String>()
        for path in paths {
            for unit in try unitsOf(path) where seen.insert(unit.path).inserted {
                units.append(unit)
            }
        }
        return units.sorted { ($0.rank, $0.path) < ($1.rank, $1.path) }
    }

    private static func unitsOf(_ path: String) throws -> [InputUnit] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImportError.noInput(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let packetBundle = (path as NSString).appendingPathComponent("fhir.json")
            if FileManager.default.fileExists(atPath: packetBundle) {
                return [try file(packetBundle, folder: path, isPacket: true)]
            }
            let found = try folderUnits(path)
            guard !found.isEmpty else {
                throw ImportError.notFHIR(path: path, reason: "the folder holds no FHIR file (*.json bundles or resources, *.ndjson)")
            }
            return found
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ImportError.noInput(path: path, reason: "not a regular file or folder")
        }
        guard format(of: path) != nil else {
            throw ImportError.notFHIR(path: path, reason: "not a FHIR file; give a .json bundle or resource, an .ndjson file, or a folder of them")
        }
        return [try file(path, folder: (path as NSString).deletingLastPathComponent, isPacket: false)]
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
        return InputUnit(path: path, format: format, folder: folder.isEmpty ? "." : folder, isPacket: isPacket,
                         rank: rank, size: size)
    }
}

/// The order resource types are imported in, so that what a resource refers to is (usually)
/// already stored when it is read: patients and providers first, then diagnoses, visits,
/// opinions and records. Resources that still find a reference missing wait for a second pass.
enum ResourceOrder {
    static let importedTypes = ["Patient", "Organization", "Practitioner", "PractitionerRole", "Condition",
                                "Encounter", "Appointment", "ClinicalImpression", "DocumentReference",
                                "DiagnosticReport"]
    private static let ranks = Dictionary(uniqueKeysWithValues: importedTypes.enumerated().map { ($1, $0) })

    /// True for the types phr imports (their content hash is needed; others are only counted).
    static func isImported(_ type: String?) -> Bool {
        type.map { ranks[$0] != nil } ?? false
    }

    /// Types phr does not import come last; they are only counted.
    static func rank(of type: String) -> Int { ranks[type] ?? importedTypes.count }

    /// True for a bulk-data file named after a type phr does not import (`Observation.000.ndjson`).
    static func namesSkippedType(_ fileName: String) -> Bool {
        let type = String(fileName.prefix { $0.isLetter })
        return ranks[type] == nil && FHIRVocabulary.r4ResourceTypes.contains(type) && type != "Bundle"
    }

    /// The rank of the type a bulk-data file is named after (`Condition.000.ndjson`).
    static func rank(ofFileNamed name: String) -> Int {
        let type = name.prefix { $0.isLetter }
        return rank(of: String(type))
    }
}
