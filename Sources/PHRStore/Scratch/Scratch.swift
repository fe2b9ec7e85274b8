import Foundation

/// Scratch: the files and folders phr makes for the length of one command (a record file being
/// written, a packet being built, a zip being unpacked), named with their owner, and listed in a
/// small registry beside the store so that a later phr finds them wherever they are.
///
/// Guarantees:
/// - a scratch name holds `<marker><pid>-<start>-` (see `ProcessOwner`), so an owner that is gone
///   can be told from one still at work;
/// - an item is registered before it is made (when a store is open): a kill at any moment leaves
///   nothing the registry does not name;
/// - `sweep` (every phr run that opens a store) reads only the registry folder, never the folders
///   scratch lives in, and removes only names carrying a marker and an owner that is gone.
public enum Scratch {
    /// The markers in scratch names: `.phr-tmp-` (files being written, packets being built),
    /// `.phr-import-unzip-` (zips being unpacked).
    public static let markers = [".phr-tmp-", ".phr-import-unzip-"]

    /// `<marker><pid>-<start>-<random>`: a new scratch name's owned part (follow it with `-` and
    /// more, or nothing).
    public static func ownedName(_ marker: String) -> String {
        "\(marker)\(ProcessOwner.current)-\(UUID().uuidString.prefix(8))"
    }

    /// Makes a private folder (0700) at `path` after registering it; `nil` when it cannot.
    public static func makeFolder(_ path: String) -> Registration? {
        let registration = register(path)
        guard mkdir(path, 0o700) == 0 else {
            registration.release()
            return nil
        }
        chmod(path, 0o700)
        return registration
    }

    /// The owner in a scratch name, when it has a marker and an owner.
    public static func owner(ofName name: String) -> ProcessOwner? {
        for marker in markers { if let owner = ProcessOwner(inName: name, after: marker) { return owner } }
        return nil
    }

    /// True for a name with a scratch marker (owned or left by an older phr).
    public static func isScratchName(_ name: String) -> Bool {
        markers.contains { name.contains($0) }
    }

    /// The registry folder of the store at `storePath`: `.<store name>.phr-scratch` beside it, as
    /// an absolute path (a relative `storePath` is taken from the current directory).
    ///
    /// Every run that opens a store computes it, so it is cut from the text: `URL`'s path handling
    /// cost about a million instructions here, 2 % of `phr status`.
    public static func registryFolder(forStore storePath: String) -> String {
        var path = Substring(storePath)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        let folder: Substring
        let name: Substring
        if let slash = path.lastIndex(of: "/") {
            folder = slash == path.startIndex ? "/" : path[..<slash]
            name = path[path.index(after: slash)...]
        } else {
            folder = "."
            name = path
        }
        let absoluteFolder = folder.hasPrefix("/") ? String(folder)
            : folder == "." ? FileManager.default.currentDirectoryPath
            : FileManager.default.currentDirectoryPath + "/" + folder
        return (absoluteFolder == "/" ? "" : absoluteFolder) + "/.\(name).phr-scratch"
    }

    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var openRegistry: String?

    /// The registry this process uses: set by the first store it opens.
    static var registry: String? {
        get {
            registryLock.lock()
            defer { registryLock.unlock() }
            return openRegistry
        }
        set {
            registryLock.lock()
            defer { registryLock.unlock() }
            if openRegistry == nil { openRegistry = newValue }
        }
    }

    /// Names `path` in the registry before it is made; `release` removes the entry once the item
    /// is gone. Without an open store (or a registry that cannot be written), nothing is
    /// registered: the owner in the name still tells `phr check` whose it was.
    public static func register(_ path: String) -> Registration {
        guard let folder = registry else { return Registration(entry: nil) }
        if mkdir(folder, 0o700) != 0, errno != EEXIST { return Registration(entry: nil) }
        let entry = "\(folder)/\(ProcessOwner.current)-\(UUID().uuidString.prefix(8))"
        var fd = open(entry, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0, errno == ENOENT {
            // Another phr removed the folder, empty, just now.
            mkdir(folder, 0o700)
            fd = open(entry, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else { return Registration(entry: nil) }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let bytes = Array(absolute.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else {
            unlink(entry)
            return Registration(entry: nil)
        }
        return Registration(entry: entry)
    }

    /// A registry entry; `release()` removes it (call once the scratch item is gone or kept).
    public struct Registration: Sendable {
        let entry: String?
        public func release() {
            guard let entry else { return }
            unlink(entry)
            // The folder goes when empty (rmdir fails otherwise): nothing lingers beside the store.
            rmdir((entry as NSString).deletingLastPathComponent)
        }
    }

    /// Scratch found: where, whose, and whether it was removed.
    public struct Leftover: Sendable, Hashable {
        public let path: String
        /// `nil` for a name without an owner (left by an older phr).
        public let owner: ProcessOwner?
        public let removed: Bool
    }

    /// Removes the scratch named in the store's registry whose owner is gone, and their entries.
    /// Reads one small folder; does nothing when it does not exist.
    @discardableResult
    public static func sweep(store storePath: String) -> [Leftover] {
        let folder = registryFolder(forStore: storePath)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var found: [Leftover] = []
        for entry in entries {
            // The entry's name: `<pid>-<start>-<random>`.
            let parts = entry.split(separator: "-")
            guard parts.count == 3, let owner = ProcessOwner("\(parts[0])-\(parts[1])") else { continue }
            if owner.isAlive { continue }
            let entryPath = folder + "/" + entry
            if let data = FileManager.default.contents(atPath: entryPath),
               let path = String(data: data, encoding: .utf8), path.hasPrefix("/") {
                let name = (path as NSString).lastPathComponent
                // Only a scratch name of that same owner is removed: the registry is a list of
                // places, not of orders.
                if Self.owner(ofName: name) == owner, lstatExists(path) {
                    let removed = (try? FileManager.default.removeItem(atPath: path)) != nil
                    found.append(Leftover(path: path, owner: owner, removed: removed))
                    if !removed { continue }
                }
            }
            unlink(entryPath)
        }
        rmdir(folder)  // only when empty
        return found
    }

    /// Scratch in the store's own folder (where imports unpack zips and `-o` files are often
    /// written), for `phr check`: items of owners that are gone, and names without an owner.
    /// With `remove`, removes those of owners that are gone, and owner-less ones untouched for an
    /// hour (an older phr's, which kept no owner).
    public static func leftovers(besideStore storePath: String, remove: Bool, now: Date = Date()) -> [Leftover] {
        let folder = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var found: [Leftover] = []
        for name in names.sorted() where name.hasPrefix(".") && isScratchName(name) {
            let path = folder + "/" + name
            let owner = self.owner(ofName: name)
            if let owner, owner.isAlive { continue }
            var removable = owner != nil
            if owner == nil, let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date {
                removable = now.timeIntervalSince(modified) > 3600
            }
            let removed = remove && removable && (try? FileManager.default.removeItem(atPath: path)) != nil
            found.append(Leftover(path: path, owner: owner, removed: removed))
        }
        return found
    }

    private static func lstatExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
