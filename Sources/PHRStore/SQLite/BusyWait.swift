import Foundation

/// How a connection waits when another process holds the store's write lock (a long import, say):
/// it retries for up to `limit` seconds, sleeping a little longer each time up to a tenth of a
/// second, and calls `notice` once when it has waited a second, so that a person knows why
/// nothing happens. After `limit`, SQLite reports `SQLITE_BUSY`.
///
/// SQLite calls ``shouldRetry(attempt:)`` from the connection's thread only; attempt 0 starts a
/// new wait.
public final class BusyWait: @unchecked Sendable {
    public let limit: Double
    private let notice: (@Sendable () -> Void)?
    private var startedAt: Double = 0
    private var noticed = false

    /// The wait when nothing else is said: a minute, or `PHR_BUSY_WAIT` seconds.
    public static let defaultLimit = 60.0

    public init(limit: Double = BusyWait.limitFromEnvironment(), notice: (@Sendable () -> Void)? = nil) {
        self.limit = limit
        self.notice = notice
    }

    /// `PHR_BUSY_WAIT` (seconds, 0 or more), else ``defaultLimit``.
    public static func limitFromEnvironment(_ environment: (String) -> String? = ProcessEnvironment.value) -> Double {
        guard let text = environment("PHR_BUSY_WAIT"), let seconds = Double(text), seconds >= 0, seconds.isFinite else {
            return defaultLimit
        }
        return seconds
    }

    /// Whether SQLite should try again, after sleeping.
    func shouldRetry(attempt: Int) -> Bool {
        let now = Self.monotonicSeconds()
        if attempt == 0 {
            startedAt = now
            noticed = false
        }
        let waited = now - startedAt
        guard waited < limit else { return false }
        if waited >= 1, !noticed {
            noticed = true
            notice?()
        }
        let sleep = min(0.1, 0.001 * Double(1 << min(attempt, 7)), limit - waited)
        usleep(UInt32(max(0.001, sleep) * 1_000_000))
        return true
    }

    private static func monotonicSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
