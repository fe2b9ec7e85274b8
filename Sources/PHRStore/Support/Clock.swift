import Foundation

/// phr's one clock. Everything in phr that needs "now" — `created_at`/`updated_at`, history times,
/// `today`/`tomorrow`/`yesterday`, the demo's dates, `status` and `opinion compare` day counts,
/// export dates — reads it here, never `Date()`.
///
/// The environment variable `PHR_NOW` pins it: an ISO 8601 instant with its UTC offset
/// (`2026-12-01T09:30:00-05:00`, `2026-12-01T14:30Z`). phr then behaves, for the whole run, as if the
/// clock showed that instant: a demo or a test gives the same output on any day. Without it, the
/// clock is the system's.
///
/// An invalid `PHR_NOW` is never ignored: ``validateEnvironment()`` reports it, and the command line
/// calls it before anything else runs.
public enum Clock {
    /// The environment variable that pins the clock.
    public static let environmentVariable = "PHR_NOW"

    /// The current instant: `PHR_NOW` when it is set and valid, else the system clock.
    public static func now() -> Date {
        if case .success(let pinned?) = pinnedInstant { return pinned }
        return Date()
    }

    /// Whether `PHR_NOW` pins the clock.
    public static var isPinned: Bool {
        if case .success(let pinned) = pinnedInstant { return pinned != nil }
        return false
    }

    /// Throws when `PHR_NOW` is set but is not an ISO 8601 instant with an offset.
    public static func validateEnvironment() throws(ClockError) {
        if case .failure(let error) = pinnedInstant { throw error }
    }

    /// Parses a `PHR_NOW` value: `nil` for unset or empty, the instant, or why it is refused.
    public static func parse(_ text: String?) -> Result<Date?, ClockError> {
        guard let text, !text.isEmpty else { return .success(nil) }
        do {
            return .success(try OffsetDateTime(parsing: text).instant)
        } catch {
            return .failure(ClockError(value: text))
        }
    }

    /// Read once: the environment does not change while phr runs.
    private static let pinnedInstant: Result<Date?, ClockError> =
        parse(ProcessEnvironment.value(environmentVariable))
}

/// `PHR_NOW` is set to something that is not an instant.
public struct ClockError: Error, Sendable, CustomStringConvertible {
    /// The value found in the environment (typed by the user).
    public let value: String

    public var description: String {
        "\(Clock.environmentVariable): '\(value)' is not an instant; use ISO 8601 with its UTC offset, "
            + "like 2026-12-01T09:30:00-05:00 or 2026-12-01T14:30:00Z (or unset it to use the system clock)"
    }
}
