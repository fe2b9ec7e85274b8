import Foundation

/// The process's environment variables, read one name at a time.
///
/// `ProcessInfo.processInfo.environment` copies every variable into a new dictionary at each use
/// (about half a million instructions with a usual environment, several times in every command);
/// a lookup here reads one variable with `getenv` and copies only its value.
public enum ProcessEnvironment {
    /// The value of the variable `name`; `nil` when it is not set.
    public static func value(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        return String(cString: value)
    }
}
