/// Why a store operation was refused. Nothing was written when one of these is thrown.
///
/// Messages name the field or the row and say what is accepted; they never repeat stored health
/// data, only what the caller passed in.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// No row of this kind has this id.
    case notFound(entity: String, id: Int64)
    /// A field's value is not acceptable; `reason` says what is.
    case invalidField(field: String, reason: String)
    /// The row is still referenced by others, so removing it would break them.
    case inUse(entity: String, id: Int64, dependents: String)
    /// A file to be stored could not be read.
    case unreadableFile(path: String, reason: String)
    /// A file could not be written.
    case unwritableFile(path: String, reason: String)
    /// The bytes read back for a record do not match the SHA-256 recorded when it was stored.
    case checksumMismatch(recordID: Int64)
    /// The record has no stored file (e.g. slides held by a lab).
    case recordHasNoFile(recordID: Int64)
    /// There is nothing left to undo, or the row was never removed.
    case nothingToUndo(String)
    /// The change could not be undone because later changes depend on it.
    case cannotUndo(String)
    /// A stored setting's value is not one phr accepts (`accepted` says what is): written by hand
    /// or by another program. Setting it again fixes it.
    case invalidSetting(key: String, accepted: String)
    /// The store file could not be opened as a phr store.
    case notAStore(path: String, reason: String)
    /// The store file exists but is empty: it becomes a store only when asked to (as a missing
    /// one does), so that a mistyped path never turns a file into a store.
    case emptyFile(path: String)
    /// The store can only be read (read-only media, or no permission to write it); a change, or
    /// the schema upgrade this phr needs (`needsUpgrade`), cannot be made.
    case readOnly(path: String, needsUpgrade: Bool)
    /// The disk holding the store has too little free space for the file at `path`: storing it
    /// needs about `needed` bytes and `free` are free.
    case noRoom(path: String, needed: Int64, free: Int64)
    /// The disk holding the store at `path` has too little free space to compact it: the rebuilt
    /// copy and the log it goes through need about `needed` bytes, and `free` are free.
    case noRoomToCompact(path: String, needed: Int64, free: Int64)

    public var description: String {
        switch self {
        case .notFound(let entity, let id):
            return "no \(entity) with id \(id)"
        case .invalidField(let field, let reason):
            return "\(field): \(reason)"
        case .inUse(let entity, let id, let dependents):
            return "\(entity) \(id) is still referenced by \(dependents); remove or change those first"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unwritableFile(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .checksumMismatch(let id):
            return "record \(id): the stored file does not match its SHA-256; the store may be damaged: restore it from a backup"
        case .recordHasNoFile(let id):
            return "record \(id) has no stored file"
        case .nothingToUndo(let what):
            return "nothing to undo: \(what)"
        case .cannotUndo(let why):
            return "cannot undo: \(why)"
        case .invalidSetting(let key, let accepted):
            return "\(key): the stored value is not \(accepted)"
        case .notAStore(let path, let reason):
            return "\(path) is not a phr store: \(reason)"
        case .emptyFile(let path):
            return "\(path) is an empty file, not a store yet"
        case .readOnly(let path, let needsUpgrade):
            return needsUpgrade
                ? "the store \(path) can only be read (read-only media or no write permission), and this phr must upgrade its schema first; copy it somewhere writable"
                : "the store \(path) can only be read (read-only media or no write permission); this command changes it, so copy the store somewhere writable or pass --db"
        case .noRoom(let path, let needed, let free):
            return "not enough free space to store \(path): it needs about \(Self.megabytes(needed)) MB on the store's disk (a file is written twice, into the store's log and then into the store) and \(Self.megabytes(free)) MB are free; nothing was changed: free some space and try again"
        case .noRoomToCompact(let path, let needed, let free):
            return "not enough free space to compact \(path): it needs about \(Self.megabytes(needed)) MB on the store's disk (SQLite writes a new copy of the store's data, through its log) and \(Self.megabytes(free)) MB are free; nothing was changed: free some space and try again"
        }
    }

    /// Whole megabytes (10^6 bytes, as file sizes are shown), rounded up.
    static func megabytes(_ bytes: Int64) -> Int64 { (max(bytes, 0) + 999_999) / 1_000_000 }
}
