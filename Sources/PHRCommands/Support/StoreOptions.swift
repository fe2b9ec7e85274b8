import ArgumentParser
import Foundation
import PHRStore

/// `--db PATH`: which store to use. Shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file (default: $PHR_DB, else $XDG_DATA_HOME/phr/phr.sqlite, else ~/.local/share/phr/phr.sqlite).", valueName: "path"))
    var db: String?

    /// The store path: `--db`, else `PHR_DB`, else the XDG default.
    var path: String {
        StoreLocation.resolve(explicit: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens the store, creating it only when `create` is true (just `phr init` and `phr demo`).
    func open(create: Bool = false) throws -> HealthStore {
        let path = self.path
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("no store at \(path); run `phr init` first, or pass --db PATH", code: ExitStatus.noInput)
        }
        return try HealthStore(path: path, create: create, busyWait: Self.busyWait)
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
    static func resolve(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return expand(explicit, environment) }
        if let fromEnvironment = environment["PHR_DB"], !fromEnvironment.isEmpty { return expand(fromEnvironment, environment) }
        if let dataHome = environment["XDG_DATA_HOME"], dataHome.hasPrefix("/") {
            return dataHome + "/phr/phr.sqlite"
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/phr/phr.sqlite"
    }

    private static func expand(_ path: String, _ environment: [String: String]) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        return (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
    }
}
