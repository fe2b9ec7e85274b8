import Foundation
import PHRStore

/// Where a packet goes (`OUT`), and the rules for getting it there: refuse a symbolic link, refuse
/// an existing OUT unless `--force` (and then only one that is a phr packet), build next to it in
/// a hidden temporary sibling, and put the result in place with a rename.
struct PacketDestination {
    /// Absolute: the folder as the file system resolves it (symbolic links in the folder are
    /// followed: it is where the user asked for the packet), the last component as typed (never
    /// followed).
    let path: String
    let format: SharedPacket.Format
    let force: Bool
    /// OUT as the user typed it (for messages).
    let typed: String

    var parent: String { (path as NSString).deletingLastPathComponent }
    var name: String { (path as NSString).lastPathComponent }

    init(path: String, format: SharedPacket.Format, force: Bool,
         currentDirectory: String = FileManager.default.currentDirectoryPath) {
        self.typed = path
        var typed = path
        while typed.count > 1, typed.hasSuffix("/") { typed.removeLast() }
        let absolute = typed.hasPrefix("/") ? typed : currentDirectory + "/" + typed
        let name = (absolute as NSString).lastPathComponent
        let folder = (absolute as NSString).deletingLastPathComponent
        let resolvedFolder = realpath(folder, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? folder
        self.path = resolvedFolder == "/" ? "/" + name : resolvedFolder + "/" + name
        self.format = format
        self.force = force
    }

    /// Throws unless the packet may be written at `path`.
    func check() throws {
        let lastTyped = (typed as NSString).lastPathComponent
        if typed.isEmpty || lastTyped == "/" || lastTyped == "." || lastTyped == ".." || name.isEmpty || name == "/" {
            throw PacketError.notANewName(typed: typed)
        }
        var parentInfo = stat()
        guard !name.isEmpty, name != "/", name != ".", name != "..", stat(parent, &parentInfo) == 0, (parentInfo.st_mode & S_IFMT) == S_IFDIR else {
            throw PacketError.parentMissing(path: path)
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            guard errno == ENOENT else { throw PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
            return
        }
        if (info.st_mode & S_IFMT) == S_IFLNK { throw PacketError.destinationIsSymbolicLink(path: path) }
        guard force else { throw PacketError.destinationExists(path: path) }
        guard Self.isReplaceable(path, mode: info.st_mode, size: info.st_size) else {
            throw PacketError.destinationNotAPacket(path: path)
        }
    }

    /// What `--force` may replace: an empty folder, a folder holding a phr packet (its
    /// `SHA256SUMS` and `fhir.json`), an empty file, or a zip file.
    static func isReplaceable(_ path: String, mode: mode_t, size: off_t) -> Bool {
        switch mode & S_IFMT {
        case S_IFDIR:
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
            return entries.isEmpty || (entries.contains("SHA256SUMS") && entries.contains("fhir.json"))
        case S_IFREG:
            if size == 0 { return true }
            guard let handle = FileHandle(forReadingAtPath: path) else { return false }
            defer { try? handle.close() }
            return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
        default:
            return false
        }
    }

    /// Creates the hidden temporary sibling the packet is built in (0700): scratch, named with
    /// its owner (`.OUT.phr-tmp-<pid>-<start>-<random>`) and registered, so that a later phr
    /// removes it after a kill. Release the registration once the folder is gone or in place.
    func makeStagingFolder() throws -> (path: String, registration: Scratch.Registration) {
        let staging = "\(parent)/.\(name)\(Scratch.ownedName(".phr-tmp-"))"
        guard let registration = Scratch.makeFolder(staging) else {
            throw PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        return (staging, registration)
    }

    /// Renames the finished packet at `staged` (same folder as `path`) to `path`. An existing
    /// packet (allowed by `check` with `--force`) is first moved aside to the place the export
    /// log knows (`HealthStore.replacedPacketPath`), so that after a kill a later phr puts it back
    /// or removes it; `Placement.finish` removes it once the new packet is in place.
    func place(_ staged: String, documentUUID: String) throws -> Placement {
        var movedAside: String?
        var info = stat()
        if lstat(path, &info) == 0 {
            guard force else { throw PacketError.destinationExists(path: path) }
            guard (info.st_mode & S_IFMT) != S_IFLNK else { throw PacketError.destinationIsSymbolicLink(path: path) }
            let aside = HealthStore.replacedPacketPath(destination: path, documentUUID: documentUUID)
            guard rename(path, aside) == 0 else {
                throw PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            movedAside = aside
        }
        let placed: Bool
        if format == .zip, movedAside == nil {
            // link() fails if something appeared at `path` since the check, where rename() would
            // silently replace it.
            if link(staged, path) == 0 {
                unlink(staged)
                placed = true
            } else {
                // A file system without hard links: fall back to rename.
                placed = errno != EEXIST && rename(staged, path) == 0
            }
        } else {
            // A folder renamed onto a path that appeared meanwhile fails unless that is an empty
            // folder, which loses nothing.
            placed = rename(staged, path) == 0
        }
        guard placed else {
            let reason = errno == EEXIST || errno == ENOTEMPTY || errno == ENOTDIR
                ? PacketError.destinationExists(path: path)
                : PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            if let movedAside { rename(movedAside, path) }
            throw reason
        }
        Self.syncFolder(parent)
        return Placement(path: path, movedAside: movedAside)
    }

    static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

/// A packet that has been renamed into place, with the packet it replaced (if any) still kept
/// aside.
struct Placement {
    let path: String
    let movedAside: String?

    /// The new packet is in place: the replaced packet goes.
    func finish() {
        if let movedAside { try? FileManager.default.removeItem(atPath: movedAside) }
    }
}
