/// The names a resource goes by, from which import finds the row it made before and resolves the
/// references other resources make to it.
///
/// - `primary` says where the resource came from: its absolute `fullUrl` (server base + type +
///   id), else `Type/id`, else its `urn:uuid:` fullUrl, else `Type?identifier=system|value` of
///   its first identifier, else `Type#` and its content hash. Importing the same resource again
///   finds the same primary key.
/// - `aliases` are the other names references use: the `fullUrl` when it is not the primary key,
///   and `Type?identifier=system|value` (`Type?identifier=value` without a system) for each
///   identifier, which is also how a resource from another source matches the same entity.
/// - `uuid` is the stable UUID the resource carries (phr's identifier `urn:ietf:rfc:3986`
///   `urn:uuid:…`, else a `urn:uuid:` fullUrl, else an id that is a UUID): a row made from it
///   keeps that UUID, so a packet phr exported comes back with the same UUIDs.
/// - `base` is the server base of an absolute `fullUrl`; relative references in the resource
///   resolve against it, as FHIR says.
struct SourceKeys {
    let primary: String
    let aliases: [String]
    let uuid: String?
    let base: String?

    init(_ resource: IncomingResource) throws {
        let type = resource.type
        let fullUrl = resource.fullUrl.map(Self.withoutHistory)
        let absolute = fullUrl.flatMap { Self.isAbsoluteURL($0) ? $0 : nil }
        let identifiers = try resource.body.identifiers()
        let identifierKeys = identifiers.map { Self.identifierKey(type: type, $0) }

        if let absolute {
            primary = absolute
        } else if let id = resource.id {
            primary = "\(type)/\(id)"
        } else if let fullUrl {
            primary = fullUrl
        } else if let first = identifierKeys.first {
            primary = first
        } else {
            primary = "\(type)#\(resource.contentHash)"
        }
        var aliases: [String] = []
        if let fullUrl, fullUrl != primary { aliases.append(fullUrl) }
        for key in identifierKeys where key != primary && !aliases.contains(key) { aliases.append(key) }
        self.aliases = aliases

        if let absolute, let id = resource.id, absolute.hasSuffix("/\(type)/\(id)") {
            base = String(absolute.dropLast(type.utf8.count + id.utf8.count + 2))
        } else {
            base = nil
        }

        let phrIdentifier = identifiers.first { $0.system == FHIRVocabulary.uuidIdentifierSystem }?.value
        uuid = [phrIdentifier, resource.fullUrl, resource.id].lazy.compactMap { $0.flatMap(Self.uuid(in:)) }.first
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
