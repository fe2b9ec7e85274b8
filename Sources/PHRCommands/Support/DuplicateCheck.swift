import ArgumentParser
import Foundation

/// `--again`: add something even though an identical one is already there.
struct AgainOption: ParsableArguments {
    @Flag(help: "Add it even when an identical one is already there (a command run twice adds nothing twice otherwise).")
    var again = false
}

/// Refuses to add what is already there, so that a command run twice does not add a second copy.
///
/// Guarantees: two things are identical when every stored field is the same apart from the
/// bookkeeping ones (id, uuid, when it was created and updated) and any field named in `ignoring`;
/// records with files are identical when their files have the same SHA-256, whatever else differs.
/// The check runs inside the command's transaction, after the add, so that it sees the values as
/// the store keeps them (an upper-cased code, a default date); refusing throws, which rolls the add
/// back.
enum DuplicateCheck {
    static let bookkeeping: Set<String> = ["id", "uuid", "createdAt", "updatedAt"]

    static func refuse<Item: Encodable & Identifiable>(_ added: Item, among existing: [Item], kind: String,
                                                       ignoring: Set<String> = [], again: AgainOption) throws
    where Item.ID == Int64 {
        guard !again.again else { return }
        let skipped = bookkeeping.union(ignoring)
        let fields = try content(of: added, without: skipped)
        for other in existing where other.id != added.id {
            guard try content(of: other, without: skipped) == fields else { continue }
            throw alreadyThere(kind: kind, id: other.id)
        }
    }

    static func alreadyThere(kind: String, id: Int64) -> CommandFailure {
        CommandFailure("already there as \(kind) \(id) (nothing added); to add another identical \(kind), repeat with --again",
                       code: ExitStatus.dataError)
    }

    /// The item's fields as canonical JSON text, without `skipped`.
    private static func content<Item: Encodable>(of item: Item, without skipped: Set<String>) throws -> Data {
        let encoded = try JSONEncoder().encode(item)
        guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else { return encoded }
        for key in skipped { object.removeValue(forKey: key) }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
