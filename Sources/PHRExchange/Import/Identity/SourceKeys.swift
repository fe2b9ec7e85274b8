import Foundation
/// The names a resource goes by, from which import finds the row it made before and resolves the
/// references other resources make to it.
///
/// Identity comes first from where the resource lives, then from its `fullUrl`; identifiers are
/// only evidence:
/// - `primary` is where it lives: its absolute `fullUrl` (server base + type + id); else its
///   origin (the bundle file it was read from, or the folder of an NDJSON file or single-resource
///   file, standing in for a server base) + `Type/id`; else its `urn:uuid:`/`urn:oid:` fullUrl;
///   else the origin + `Type#` + its content hash. Importing the same resource from the same place
///   again finds the same primary key; `Patient/1` of two different files are two resources.
/// - `fullUrlKey` is its `urn:` fullUrl when that is not the primary key: globally unique by
///   definition, so it names the same resource wherever it is read (a packet phr exported,
///   imported again from another path).
/// - `evidence` are names that suggest, but do not prove, the same thing:
///   `Type?identifier=system|value` (`Type?identifier=value` without a system) for each
///   identifier, and the bare `Type/id` (a file moved, a server base changed, keys of stores
///   imported before identity was by place). A match on evidence is checked against the row's
///   content before anything is merged (`ImportSession.upsert`).
/// - `aliases` are all the names recorded besides the primary key (references use them).
/// - `uuid` is the stable UUID the resource carries (phr's identifier `urn:ietf:rfc:3986`
///   `urn:uuid:…`, else a `urn:uuid:` fullUrl, else an id that is a UUID): a row made from it
///   keeps that UUID, so a packet phr exported comes back with the same UUIDs.
/// - `base` is what relative references in the resource are read against: the server base of an
///   absolute `fullUrl`, as FHIR says, else the resource's origin.
struct SourceKeys {
    let primary: String
    let fullUrlKey: String?
    let evidence: [String]
    let aliases: [String]
    let uuid: String?
    let base: String?

    init(_ resource: IncomingResource) throws {
        let type = resource.type
        let fullUrl = resource.fullUrl.map(Self.withoutHistory)
        let absolute = fullUrl.flatMap { Self.isAbsoluteURL($0) ? $0 : nil }
        let urn = fullUrl.flatMap { $0.hasPrefix("urn:") ? $0 : nil }
        let origin = resource.origin
        let identifiers = try resource.body.identifiers()

        if let absolute {
            primary = absolute
        } else if let id = resource.id {
            primary = "\(origin)/\(type)/\(id)"
        } else if let urn {
            primary = urn
        } else {
            primary = "\(origin)/\(type)#\(resource.contentHash)"
        }
        fullUrlKey = urn == primary ? nil : urn
        var evidence: [String] = []
        for identifier in identifiers {
            let key = Self.identifierKey(type: type, identifier)
            if key != primary, !evidence.contains(key) { evidence.append(key) }
        }
        if let id = resource.id { evidence.append("\(type)/\(id)") }
        self.evidence = evidence
        var aliases = fullUrlKey.map { [$0] } ?? []
        if let fullUrl, fullUrl != primary, fullUrl != fullUrlKey { aliases.append(fullUrl) }
        aliases += evidence
        self.aliases = aliases

        if let absolute, let id = resource.id, absolute.hasSuffix("/\(type)/\(id)") {
            base = String(absolute.dropLast(type.utf8.count + id.utf8.count + 2))
        } else {
            base = absolute == nil ? origin : nil
        }

        let phrIdentifier = identifiers.first { $0.system == FHIRVocabulary.uuidIdentifierSystem }?.value
        uuid = [phrIdentifier, resource.fullUrl, resource.id].lazy.compactMap { $0.flatMap(Self.uuid(in:)) }.first
    }

    /// The origin that stands in for a server base for resources read from `path`: the file itself
    /// for a bundle (its resources belong together), the folder for NDJSON files and
    /// single-resource files (a bulk export's files refer to each other). Absolute, so that the
    /// same file imported again from another working folder is the same origin.
    static func origin(ofFile path: String) -> String {
        "file://" + URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// An evidence key as the summary names it: `identifier system|value`, or `id Type/id`.
    static func evidenceDescription(_ key: String) -> String {
        if let range = key.range(of: "?identifier=") { return "identifier " + key[range.upperBound...] }
        return "id " + key
    }

    /// `Type?identifier=system|value`, the form of a conditional reference.
    static func identifierKey(type: String, _ identifier: FHIRIdentifier) -> String {
        if let system = identifier.system { return "\(type)?identifier=\(system)|\(identifier.value)" }
        return "\(type)?identifier=\(identifier.value)"
    }

    static func isAbsoluteURL(_ text: String) -> Bool {
        text.hasPrefix("http://") || text.hasPrefix("https://")
    }

    /// A versioned reference (`…/Patient/1/_history/3`) names the same resource as the unversioned.
    static func withoutHistory(_ text: String) -> String {
        guard let range = text.range(of: "/_history/") else { return text }
        return String(text[..<range.lowerBound])
    }

    /// The lowercase UUID in `urn:uuid:X` or a bare UUID `X`; `nil` if there is none.
    static func uuid(in text: String) -> String? {
        let candidate = text.hasPrefix("urn:uuid:") ? String(text.dropFirst(9)) : text
        let bytes = Array(candidate.utf8)
        guard bytes.count == 36 else { return nil }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else {
                let isHex = (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 70) || (byte >= 97 && byte <= 102)
                guard isHex else { return nil }
            }
        }
        return candidate.lowercased()
    }
}
