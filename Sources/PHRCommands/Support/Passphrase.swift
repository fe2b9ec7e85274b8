import Foundation
import PHRStore

/// A passphrase, never from the command line: from a file (`--passphrase-file`), from
/// `PHR_BACKUP_PASSPHRASE` (for scripts), or typed at the terminal without echo.
enum Passphrase {
    static let environmentVariable = "PHR_BACKUP_PASSPHRASE"

    /// `confirm` asks twice (when encrypting) so that a typo does not lock the backup away.
    static func read(file: String?, confirm: Bool) throws -> String {
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandFailure("--passphrase-file: cannot read \(file)", code: ExitStatus.noInput)
            }
            // The first line, as `age` and password managers write it.
            let text = String(decoding: data, as: UTF8.self)
            let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return try nonEmpty(line.hasSuffix("\r") ? String(line.dropLast()) : line, from: "--passphrase-file")
        }
        if let value = ProcessEnvironment.value(environmentVariable) {
            return try nonEmpty(value, from: environmentVariable)
        }
        let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard tty >= 0 else {
            throw CommandFailure("no terminal to ask for the passphrase; give --passphrase-file FILE or set \(environmentVariable)",
                                 code: ExitStatus.usage)
        }
        defer { close(tty) }
        let first = try ask("Passphrase: ", tty: tty)
        if confirm, try ask("Passphrase again: ", tty: tty) != first {
            throw CommandFailure("the two passphrases differ; nothing was written", code: ExitStatus.usage)
        }
        return try nonEmpty(first, from: "the terminal")
    }

    private static func nonEmpty(_ value: String, from source: String) throws -> String {
        guard !value.isEmpty else { throw CommandFailure("the passphrase from \(source) is empty", code: ExitStatus.usage) }
        return value
    }

    /// Reads one line from the terminal with echo off (restored whatever happens).
    private static func ask(_ prompt: String, tty: Int32) throws -> String {
        _ = prompt.withCString { Foundation.write(tty, $0, strlen($0)) }
        // TCSANOW, not TCSAFLUSH: what was typed ahead (or piped into a pseudo-terminal) is kept.
        var saved = termios()
        let hasTermios = tcgetattr(tty, &saved) == 0
        if hasTermios {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(tty, TCSANOW, &quiet)
        }
        defer {
            if hasTermios { tcsetattr(tty, TCSANOW, &saved) }
            _ = Foundation.write(tty, "\n", 1)
        }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Foundation.read(tty, &byte, 1) == 1, byte != 10 { bytes.append(byte) }
        if bytes.last == 13 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
