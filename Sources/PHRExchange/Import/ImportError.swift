import PHRStore

/// Where in the input a resource was read: a file and line (NDJSON), a file and bundle entry, or a
/// whole file (a single resource); with the resource's type and id once they are known.
///
/// Its text is what every import error and unresolved reference starts with, so the user can find
/// the resource in the file. It never holds the resource's content.
public struct ImportPlace: Sendable, Hashable, CustomStringConvertible {
    public enum Position: Sendable, Hashable {
        case wholeFile
        /// 1-based line of an NDJSON file.
        case line(Int)
        /// 0-based index in `Bundle.entry`, as FHIR tools count them; nested bundles add a level.
        case entry([Int])
        /// A bundle entry inside an NDJSON line.
        case lineEntry(Int, [Int])
    }

    public let file: String
    public let position: Position
    /// `Condition/c1`, once read.
    public var resource: String?

    public init(file: String, position: Position, resource: String? = nil) {
        self.file = file
        self.position = position
        self.resource = resource
    }

    public var description: String {
        var text = file
        switch position {
        case .wholeFile: break
        case .line(let line): text += ":\(line)"
        case .entry(let path): text += " entry " + path.map(String.init).joined(separator: ".")
        case .lineEntry(let line, let path): text += ":\(line) entry " + path.map(String.init).joined(separator: ".")
        }
        if let resource { text += " (\(resource))" }
        return text
    }

    /// The place of entry `index` of a bundle read at this place.
    func entry(_ index: Int) -> ImportPlace {
        switch position {
        case .wholeFile: return ImportPlace(file: file, position: .entry([index]))
        case .line(let line): return ImportPlace(file: file, position: .lineEntry(line, [index]))
        case .entry(let path): return ImportPlace(file: file, position: .entry(path + [index]))
        case .lineEntry(let line, let path): return ImportPlace(file: file, position: .lineEntry(line, path + [index]))
        }
    }
}

/// Why an import stopped. Nothing was written when one of these is thrown: the whole import is one
/// transaction.
///
/// Messages name the place (file and line, or bundle entry, and the resource) and what was wrong,
/// and say what is accepted. They never repeat field values from the input, only field names.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    /// A path given does not exist or cannot be read.
    case noInput(path: String, reason: String)
    /// A path holds nothing phr can import (a folder with no FHIR files, a file of another kind).
    case notFHIR(path: String, reason: String)
    /// A resource, line or file is not acceptable FHIR R4 JSON.
    case badData(ImportPlace, String)
    /// A file could not be read or a temporary file written while importing.
    case io(path: String, reason: String)
    /// The command's options do not fit the input (e.g. `--patient` with several patients).
    case conflict(String)

    public var description: String {
        switch self {
        case .noInput(let path, let reason): return "cannot read \(path): \(reason)"
        case .notFHIR(let path, let reason): return "\(path): \(reason)"
        case .badData(let place, let reason): return "\(place): \(reason)"
        case .io(let path, let reason): return "\(path): \(reason)"
        case .conflict(let reason): return reason
        }
    }

    /// The sysexits code the command line exits with.
    /// What the store refused while importing the resource at `place`: a value it does not accept
    /// (bad data), or a file its disk has no room for (an I/O error, as a full disk is).
    init(_ error: StoreError, at place: ImportPlace) {
        if case .noRoom = error {
            self = .io(path: "\(place)", reason: error.description)
        } else {
            self = .badData(place, error.description)
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .noInput: return 66
        case .notFHIR, .badData: return 65
        case .io: return 74
        case .conflict: return 64
        }
    }
}
