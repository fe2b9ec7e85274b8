/// Why an export was refused or failed. When one of these is thrown nothing is left at the
/// destination (and an existing packet replaced with `--force` is back in place).
///
/// Messages name paths and record ids the user can act on, never health data from the store.
public enum PacketError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The destination exists and `--force` was not given.
    case destinationExists(path: String)
    /// The destination is a symbolic link: refused even with `--force`, so an export never writes
    /// somewhere the link points to.
    case destinationIsSymbolicLink(path: String)
    /// `--force` was given but the destination is not a packet phr wrote (nor empty): refused so a
    /// typo cannot replace a folder of other files.
    case destinationNotAPacket(path: String)
    /// The folder the destination should be created in does not exist or is not a folder.
    case parentMissing(path: String)
    /// OUT names no new folder or file (`/`, `.`, `..`): `typed` as the user gave it.
    case notANewName(typed: String)
    /// A file or folder of the packet could not be written.
    case cannotWrite(path: String, reason: String)
    /// A record's stored file does not match its SHA-256 (read back from the store).
    case recordChecksumMismatch(recordID: Int64)
    /// A file written into the packet did not read back as it was written (`path`: the packet).
    case verificationFailed(path: String)

    public var description: String {
        switch self {
        case .destinationExists(let path):
            return "\(path) already exists; choose another name, or pass --force to replace an earlier packet"
        case .destinationIsSymbolicLink(let path):
            return "\(path) is a symbolic link; give the real path of a new folder or .zip file"
        case .destinationNotAPacket(let path):
            return "\(path) exists and is not a packet phr wrote; refusing to replace it even with --force"
        case .parentMissing(let path):
            return "cannot create \(path): its folder does not exist"
        case .notANewName(let typed):
            return "'\(typed)' names a folder that is already there, not a new packet; give a new name, e.g. phr export ~/second-opinion-packet"
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .recordChecksumMismatch(let id):
            return "record \(id): the stored file does not match its SHA-256; nothing was exported "
                + "(the store may be damaged; `phr record get \(id)` shows the same error)"
        case .verificationFailed(let path):
            return "\(path) did not read back as written (disk or file system error); nothing was exported"
        }
    }
}
