import Foundation
import PHRStore

/// One file to read: a JSON file (a Bundle of any type, or a single resource), an NDJSON file
/// (one resource a line), a FHIR XML file (a Bundle or a resource) or a C-CDA document.
struct InputUnit: Sendable {
    enum Format: Sendable { case json, ndjson, fhirXML, ccda }

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
    /// A C-CDA document's own time (its `effectiveTime` as written): newer documents are read first.
    var documentTime: String?

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
        var unit = InputUnit(path: path, name: name, format: format, folder: folder, isPacket: isPacket, rank: rank, size: size)
        unit.documentTime = documentTime
        return unit
    }
}

/// Turns the paths given to `phr import` into the files to read.
///
/// Accepts: a FHIR JSON file; an `.ndjson`/`.jsonl` file; FHIR R4 XML; a C-CDA document; a packet
/// folder (it holds `fhir.json`) or a packet zip; any other zip (an IHE XDM zip from "Download my
/// record": `IHE_XDM/SUBSET01/DOC0001.XML`), unpacked into a private scratch folder that lives as
/// long as the result and read as a folder; a folder of such files (the bulk-data layout,
/// `Patient.000.ndjson`, ...), searched in its subfolders too. Files are recognised by their
/// content (a JSON object, or XML by its root element and namespace), NDJSON by its extension.
///
/// Refuses a missing path, a file given by name that phr cannot read, a folder or zip with nothing
/// phr reads in it, before anything is read. A file in a folder or zip that phr cannot read is
/// listed in `unread` (the report names it), never passed over in silence.
struct InputDiscovery {
    /// Where zips are unpacked.
    let scratchFolder: String
    /// Folders of unpacked zips, removed when the discovery is released.
    private(set) var unpacked: [ScratchFolder] = []
    /// Files found in folders and zips that phr does not read, with why.
    private(set) var unread: [(path: String, reason: String)] = []

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
        // C-CDA documents newest first (their time's digits, offsets aside): an entry found in
        // several documents of one import is read from the newest (`FHIRImporter`).
        func time(_ unit: InputUnit) -> String { String((unit.documentTime ?? "").prefix { $0.isNumber }) }
        return units.sorted { first, second in
            if first.rank != second.rank { return first.rank < second.rank }
            if time(first) != time(second) { return time(first) > time(second) }
            return first.path < second.path
        }
    }

    /// A zip, unpacked within bounds (`ZipUnpacker`): a packet written by `phr export` (it holds
    /// `fhir.json`), else read as a folder (an XDM zip of C-CDA documents, or FHIR files).
    private mutating func unzipped(_ path: String) throws -> [InputUnit] {
        let folder = try ScratchFolder(in: scratchFolder)
        unpacked.append(folder)
        _ = try ZipUnpacker(zipPath: path, folder: folder.path).unpack()
        func named(_ unit: InputUnit) -> InputUnit {
            unit.named((path as NSString).appendingPathComponent(String(unit.path.dropFirst(folder.path.count + 1))))
        }
        let top = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let candidates = [folder.path] + top.sorted().map { (folder.path as NSString).appendingPathComponent($0) }
        if let packet = candidates.first(where: {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("fhir.json"))
        }) {
            return [named(try Self.file((packet as NSString).appendingPathComponent("fhir.json"), Recognised(format: .json),
                                        folder: packet, isPacket: true))]
        }
        let unreadBefore = unread.count
        let found = try folderUnits(folder.path).map(named)
        for index in unreadBefore..<unread.count {
            unread[index].path = (path as NSString).appendingPathComponent(String(unread[index].path.dropFirst(folder.path.count + 1)))
        }
        guard !found.isEmpty else {
            throw ImportError.notFHIR(path: path, reason: "the zip holds no file phr reads (FHIR JSON or XML, NDJSON, C-CDA documents, or a packet from phr export)")
        }
        return found
    }

    private mutating func unitsOf(_ path: String) throws -> [InputUnit] {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ImportError.noInput(path: path, reason: String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let packetBundle = (path as NSString).appendingPathComponent("fhir.json")
            if FileManager.default.fileExists(atPath: packetBundle) {
                return [try Self.file(packetBundle, Recognised(format: .json), folder: path, isPacket: true)]
            }
            let found = try folderUnits(path)
            guard !found.isEmpty else {
                throw ImportError.notFHIR(path: path, reason: "the folder holds no file phr reads (FHIR JSON or XML, NDJSON, C-CDA documents)")
            }
            return found
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw ImportError.noInput(path: path, reason: "not a regular file or folder")
        }
        if Self.isZip(path) { return try unzipped(path) }
        switch try Self.format(of: path) {
        case .success(let found):
            return [try Self.file(path, found, folder: (path as NSString).deletingLastPathComponent, isPacket: false)]
        case .failure(let reason):
            throw ImportError.notFHIR(path: path, reason: reason.text + "; give FHIR JSON or XML (a bundle or resource), an .ndjson file, a C-CDA document, a folder or zip of them, or a packet from phr export")
        }
    }

    private mutating func folderUnits(_ folder: String) throws -> [InputUnit] {
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
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                switch try Self.format(of: path) {
                case .success(let found): units.append(try Self.file(path, found, folder: folder, isPacket: false))
                case .failure(let reason): unread.append((path, reason.text))
                }
            }
        }
        return units
    }

    struct Unrecognised: Error {
        let text: String
    }

    /// What a file was recognised as.
    struct Recognised {
        let format: InputUnit.Format
        var documentTime: String?
    }

    static func isZip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? Data()
        return magic == Data([0x50, 0x4B, 0x03, 0x04]) || (path as NSString).pathExtension.lowercased() == "zip"
    }

    /// What a file holds, by its content: NDJSON by its extension, a JSON object, or XML by its
    /// root element and namespace (C-CDA `ClinicalDocument` in `urn:hl7-org:v3`, FHIR in
    /// `http://hl7.org/fhir`). Throws for XML with a DTD.
    static func format(of path: String) throws -> Result<Recognised, Unrecognised> {
        switch (path as NSString).pathExtension.lowercased() {
        case "ndjson", "jsonl": return .success(Recognised(format: .ndjson))
        default: break
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError.noInput(path: path, reason: "the file cannot be read")
        }
        let head = Array(((try? handle.read(upToCount: XMLSniffer.limit)) ?? Data()))
        try? handle.close()
        var first = head.startIndex
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { first = 3 }
        while first < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[first]) { first += 1 }
        guard first < head.count else { return .failure(Unrecognised(text: "the file is empty")) }
        if head[first] == UInt8(ascii: "{") { return .success(Recognised(format: .json)) }
        guard head[first] == UInt8(ascii: "<") else {
            return .failure(Unrecognised(text: "not a FHIR or C-CDA file (neither JSON nor XML)"))
        }
        guard let prolog = try XMLSniffer.sniff(head, name: path) else {
            return .failure(Unrecognised(text: "XML whose root element phr cannot find"))
        }
        if prolog.isCDA { return .success(Recognised(format: .ccda, documentTime: prolog.firstEffectiveTime)) }
        if prolog.isFHIR { return .success(Recognised(format: .fhirXML)) }
        return .failure(Unrecognised(text: "XML that is neither a C-CDA document (ClinicalDocument in urn:hl7-org:v3) nor FHIR"))
    }

    private static func file(_ path: String, _ found: Recognised, folder: String, isPacket: Bool) throws -> InputUnit {
        let format = found.format
        guard access(path, R_OK) == 0 else {
            throw ImportError.noInput(path: path, reason: String(cString: strerror(errno)))
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value ?? 0
        let rank: Int
        switch format {
        case .json, .fhirXML, .ccda: rank = -1
        case .ndjson: rank = ResourceOrder.rank(ofFileNamed: (path as NSString).lastPathComponent)
        }
        var unit = InputUnit(path: path, name: path, format: format, folder: folder.isEmpty ? "." : folder,
                             isPacket: isPacket, rank: rank, size: size)
        unit.documentTime = found.documentTime
        return unit
    }
}

/// A private folder (0700) for unpacked input, removed with everything in it when released.
/// It is scratch (`Scratch`): named with its owner, so a later phr removes it after a kill.
final class ScratchFolder: @unchecked Sendable {
    let path: String
    private let registration: Scratch.Registration

    init(in parent: String) throws {
        let path = "\(parent)/\(Scratch.ownedName(".phr-import-unzip-"))"
        guard let registration = Scratch.makeFolder(path) else {
            throw ImportError.io(path: parent, reason: "cannot make a folder to unpack the zip in")
        }
        self.path = path
        self.registration = registration
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
        registration.release()
    }
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
    /// Not for a bulk export's error file (`OperationOutcome.ndjson`): it is read with the others,
    /// for the server's words the summary shows.
    static func namesSkippedType(_ fileName: String) -> Bool {
        let type = String(fileName.prefix { $0.isLetter })
        return ImportedTypes.byName[type] == nil && FHIRVocabulary.r4ResourceTypes.contains(type) && type != "Bundle"
            && type != "OperationOutcome"
    }

    /// The rank of the type a bulk-data file is named after (`Condition.000.ndjson`).
    static func rank(ofFileNamed name: String) -> Int {
        let type = name.prefix { $0.isLetter }
        return rank(of: String(type))
    }
}
