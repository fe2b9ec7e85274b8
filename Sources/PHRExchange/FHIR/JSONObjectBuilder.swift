import Foundation

/// Builds a JSON object member by member, leaving out absent and empty values, so that what comes
/// out is valid FHIR JSON whatever is missing from the store.
public struct JSONObjectBuilder: Sendable {
    public private(set) var members: [(String, JSONValue)] = []

    public init() {}

    public var isEmpty: Bool { members.isEmpty }

    /// Adds `value` unless it is nil, an empty string, or an empty array or object.
    public mutating func set(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        switch value {
        case .string(let text) where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty: return
        case .array(let elements) where elements.isEmpty: return
        case .object(let members) where members.isEmpty: return
        default: members.append((key, value))
        }
    }

    public mutating func set(_ key: String, _ text: String?) {
        set(key, text.map(JSONValue.string))
    }

    public mutating func set(_ key: String, _ number: Int64?) {
        set(key, number.map(JSONValue.integer))
    }

    public mutating func set(_ key: String, _ objects: [JSONObjectBuilder]) {
        set(key, .array(objects.filter { !$0.isEmpty }.map(\.value)))
    }

    public mutating func set(_ key: String, _ object: JSONObjectBuilder?) {
        set(key, object.map(\.value))
    }

    public var value: JSONValue { .object(members) }
}
