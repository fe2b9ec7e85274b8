import Foundation

/// Where the store's write-ahead log stands once phr has tried to copy it into the store file.
///
/// A change is durable once it is in the log (`phr.sqlite-wal` beside `phr.sqlite`); every phr
/// that closes copies the log into the store file. Until that copy is made, the store is two
/// files, and a copy of the store file alone lacks the changes still in the log.
public enum LogCopy: Sendable, Equatable {
    /// The store file holds every change: the log is empty, or all of it is copied.
    case complete
    /// Another phr still reads an older state of the store: whichever phr closes last copies
    /// the rest.
    case heldByAnotherReader
    /// The store's disk has no room for the copy: changes wait in the log at `logPath`,
    /// `logBytes` long, with `freeBytes` free on that disk (nil when that could not be read).
    case noRoom(logPath: String, logBytes: Int64, freeBytes: Int64?)
}

extension HealthStore {
    /// The store's write-ahead log, beside it.
    public var logPath: String { path + "-wal" }

    /// Copies the write-ahead log into the store file as far as readers allow, and with
    /// `truncating` also empties it (waiting for readers as a write waits for a writer), and says
    /// what is left. Other failures (a read-only store) are thrown.
    public func copyLogIntoStore(truncating: Bool) throws -> LogCopy {
        let progress: (logFrames: Int32, copiedFrames: Int32)
        do {
            progress = try database.checkpoint(truncating: truncating)
        } catch {
            if error.isBusy { return .heldByAnotherReader }
            guard error.isDiskFull else { throw error }
            let size = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? NSNumber)?.int64Value
            return .noRoom(logPath: logPath, logBytes: size ?? 0, freeBytes: FileStore.freeBytes(onDiskOf: path))
        }
        return progress.copiedFrames < progress.logFrames ? .heldByAnotherReader : .complete
    }
}
