import ArgumentParser
import PHRStore

/// Exit codes from sysexits(3), so scripts can tell kinds of failure apart.
public enum ExitStatus {
    public static let usage: Int32 = 64
    public static let dataError: Int32 = 65
    public static let noInput: Int32 = 66
    public static let cannotCreate: Int32 = 73
    public static let ioError: Int32 = 74
    public static let busy: Int32 = 75
    public static let software: Int32 = 70
}

/// An error the command line reports itself, with its message and exit code.
public struct CommandFailure: Error, CustomStringConvertible {
    public let message: String
    public let code: Int32

    public init(_ message: String, code: Int32 = ExitStatus.dataError) {
        self.message = message
        self.code = code
    }

    public var description: String { message }
}

/// A command whose answer is its exit status, its output already printed: `phr status` exits 1
/// when something on the checklist is not done. Nothing is written to stderr.
public struct QuietExit: Error {
    public let code: Int32

    public init(code: Int32) { self.code = code }
}

/// Turns any error into one line for stderr and a sysexits code.
///
/// Messages say what was wrong and what is accepted; SQLite errors are reported by their result
/// code and SQLite's message (which names columns and constraints, never bound values).
struct Failure {
    let message: String
    let code: Int32

    init(_ error: any Error, command: any ParsableCommand.Type) {
        switch error {
        case let failure as CommandFailure:
            (message, code) = (failure.message, failure.code)
        case let quiet as QuietExit:
            (message, code) = ("", quiet.code)
        case StoreError.emptyFile(let path):
            (message, code) = ("\(error); `phr init --db \(path)` makes it one", ExitStatus.dataError)
        case StoreError.invalidSetting(let key, _):
            (message, code) = ("\(error); fix it with `phr config set \(key) VALUE`", ExitStatus.dataError)
        case let error as StoreError:
            (message, code) = (error.description, Self.code(for: error))
        case let error as MigrationError:
            (message, code) = (error.description, ExitStatus.dataError)
        case let error as DateParseError:
            (message, code) = (error.description, ExitStatus.dataError)
        case let error as SQLiteError:
            (message, code) = Self.describe(error)
        default:
            let exit = command.exitCode(for: error)
            if exit == .success {
                // --help, --version: not failures.
                (message, code) = (command.fullMessage(for: error), 0)
            } else {
                (message, code) = (Self.oneLine(command.message(for: error)),
                                   exit == .validationFailure ? ExitStatus.usage : exit.rawValue)
            }
        }
    }

    /// The argument parser's message as one line: its first line, with a following list of
    /// accepted values ("  - mail") joined in ("Please provide one of: mail, fax, …").
    static func oneLine(_ text: String) -> String {
        let lines = text.split(separator: "\n").map(String.init)
        guard var first = lines.first else { return text }
        let values = lines.dropFirst().prefix { $0.hasPrefix("  - ") }.map { String($0.dropFirst(4)) }
        if !values.isEmpty {
            if first.hasSuffix(" the following:") { first.removeLast(" the following:".count) }
            if first.hasSuffix(":") { first.removeLast() }
            first += ": " + values.joined(separator: ", ")
        }
        return first
    }

    static func code(for error: StoreError) -> Int32 {
        switch error {
        case .unreadableFile: return ExitStatus.noInput
        case .unwritableFile: return ExitStatus.cannotCreate
        case .checksumMismatch: return ExitStatus.ioError
        case .noRoom, .noRoomToCompact: return ExitStatus.ioError
        case .readOnly: return ExitStatus.cannotCreate
        default: return ExitStatus.dataError
        }
    }

    static func describe(_ error: SQLiteError) -> (String, Int32) {
        if error.isBusy {
            return ("the store is busy: another phr kept writing to it for longer than phr waits (PHR_BUSY_WAIT, \(Int(BusyWait.limitFromEnvironment())) s); try again when it has finished", ExitStatus.busy)
        }
        if error.isDiskFull {
            return ("the disk is full: nothing was changed; free some space and try again", ExitStatus.ioError)
        }
        if error.isNotADatabase || error.isCorrupt {
            return ("the store is not a phr store or is damaged (\(error.codeName))", ExitStatus.dataError)
        }
        if error.isReadOnly || error.isCannotOpen {
            return ("cannot open the store for writing (\(error.message))", ExitStatus.cannotCreate)
        }
        if error.isForeignKeyViolation {
            return ("that would leave a reference to something that does not exist", ExitStatus.dataError)
        }
        if error.isConstraintViolation {
            return ("the store refused the change: \(error.message)", ExitStatus.dataError)
        }
        return ("store error \(error.extendedCode) (\(error.codeName)): \(error.message)", ExitStatus.ioError)
    }
}
