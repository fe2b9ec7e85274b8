import ArgumentParser
import Foundation
import PHRStore

/// `--db PATH`: which store to use. Shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file (default: $PHR_DB, else $XDG_DATA_HOME/phr/phr.sqlite, else ~/.local/share/phr/phr.sqlite).", valueName: "path"))
    var db: String?

    /// The store path: `--db`, else `PHR_DB`, else the XDG default.
    var path: String {
        StoreLocation.resolve(explicit: db)
    }

    /// Whether the store is the default one (no --db, no PHR_DB).
    var isDefault: Bool {
        (db ?? "").isEmpty && (ProcessEnvironment.value("PHR_DB") ?? "").isEmpty
    }

    /// Opens the store, creating it when `create` is true (`phr init`, `phr demo`) or when it is
    /// the default store and does not exist yet (first use: one line on stderr says where it
    /// is). A store named with --db or PHR_DB must exist, so that a typo never makes a stray store.
    func open(create: Bool = false) throws -> HealthStore {
        let path = self.path
        if !create, !FileManager.default.fileExists(atPath: path) {
            guard isDefault else {
                throw CommandFailure("no store at \(path); run `phr init --db \(path)` to make one there, or check the path",
                                     code: ExitStatus.noInput)
            }
            let health = try Self.openStore(at: path, create: true)
            FileHandle.standardError.write(Data("phr: created your store at \(path) (first use; a backup is one copy of it)\n".utf8))
            return health
        }
        return try Self.openStore(at: path, create: create)
    }

    /// The store at `path`, waiting for other writers and saying on stderr when a change could
    /// not be copied out of its write-ahead log for lack of room.
    private static func openStore(at path: String, create: Bool) throws -> HealthStore {
        let health = try HealthStore(path: path, create: create, busyWait: busyWait, announcingUpgrade: sayUpgrading)
        health.onChangesLeftInLog = sayChangesLeftInLog
        return health
    }

    /// A store of an earlier phr is upgraded as it is opened, once. An upgrade may copy every
    /// record file (migration 21: a few seconds a gigabyte), so stderr says why this command is
    /// slow.
    static func sayUpgrading() {
        FileHandle.standardError.write(Data("phr: upgrading the store for this version of phr (once; this may take a moment)…\n".utf8))
    }

    /// The disk had room for a change in the store's write-ahead log but not for copying it into
    /// the store: the change is kept, and the store is two files until there is room.
    static let sayChangesLeftInLog: @Sendable (String) -> Void = { logPath in
        FileHandle.standardError.write(Data(("phr: the disk is full: the change is saved, in \(logPath) beside the store, "
            + "and goes into the store when there is room (the next phr command does it); free some space, "
            + "and until then copy both files if you copy the store by hand\n").utf8))
    }

    /// Another phr writing (a long import) makes a write wait, up to a minute or `PHR_BUSY_WAIT`
    /// seconds; after a second of waiting, stderr says why nothing happens.
    static var busyWait: BusyWait {
        BusyWait(notice: {
            FileHandle.standardError.write(Data("phr: waiting for another phr to finish writing to the store…\n".utf8))
        })
    }
}

/// Where the store lives when the user does not say.
enum StoreLocation {
    /// `explicit` (`--db`), else `PHR_DB`, else `$XDG_DATA_HOME/phr/phr.sqlite`, else
    /// `~/.local/share/phr/phr.sqlite`; a leading `~/` is the home folder. `environment` looks a
    /// variable up (the process's own unless a test says otherwise).
    static func resolve(explicit: String?, environment: (String) -> String? = ProcessEnvironment.value) -> String {
        if let explicit, !explicit.isEmpty { return expand(explicit, environment) }
        if let fromEnvironment = environment("PHR_DB"), !fromEnvironment.isEmpty { return expand(fromEnvironment, environment) }
        if let dataHome = environment("XDG_DATA_HOME"), dataHome.hasPrefix("/") {
            return dataHome + "/phr/phr.sqlite"
        }
        let home = environment("HOME") ?? NSHomeDirectory()
        return home + "/.local/share/phr/phr.sqlite"
    }

    private static func expand(_ path: String, _ environment: (String) -> String?) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return (environment("HOME") ?? NSHomeDirectory()) + path.dropFirst()
    }
}
