import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program the tests run, started with `posix_spawn` and reaped with `waitpid`.
///
/// Foundation's `Process` waits through a run loop that can miss a child's exit when the clock is
/// faked (`faketime`, which the suite must survive); `waitpid` cannot. Standard input, output and
/// error are files (or `/dev/null`), never pipes, so a large output cannot block the child.
public struct ChildProcess {
    public let pid: pid_t

    /// Why a program could not be started or waited for.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` with exactly `environment`, in `currentDirectory` when given.
    public static func start(_ executable: String, _ arguments: [String], environment: [String: String],
                             currentDirectory: String? = nil, stdin: String? = nil,
                             stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift: env(1) changes folder.
        let command = currentDirectory.map { ["/usr/bin/env", "-C", $0, executable] + arguments } ?? [executable] + arguments
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid = pid_t()
        let code = posix_spawn(&pid, command[0], &actions, nil, argv, envp)
        guard code == 0 else {
            throw Failure(description: "cannot run \(executable): \(String(cString: strerror(code)))")
        }
        return ChildProcess(pid: pid)
    }

    /// Runs `executable` to its end and returns its exit status (128 + the signal when killed).
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           currentDirectory: String? = nil, stdin: String? = nil,
                           stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> Int32 {
        try start(executable, arguments, environment: environment, currentDirectory: currentDirectory,
                  stdin: stdin, stdout: stdout, stderr: stderr).wait()
    }

    /// Waits for the program to end: its exit status, or 128 + the signal that ended it.
    public func wait() throws -> Int32 {
        try waitMeasured().status
    }

    /// Waits for the program to end: its exit status (as `wait()`), and the most memory it held
    /// resident at any moment, in bytes — its own peak, not the tests'.
    public func waitMeasured() throws -> (status: Int32, peakResidentBytes: Int) {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw Failure(description: "wait4: \(String(cString: strerror(errno)))") }
        }
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : 128 + signal, usage.ru_maxrss * 1024)  // Linux: kilobytes
    }

    /// Sends `signal` (SIGTERM by default) and waits for the program to end.
    @discardableResult
    public func terminate(_ signal: Int32 = SIGTERM) throws -> Int32 {
        kill(pid, signal)
        return try wait()
    }

    /// Runs a program with its output captured in scratch files under `folder` (removed after).
    public static func capture(_ executable: String, _ arguments: [String], environment: [String: String],
                               folder: String, currentDirectory: String? = nil,
                               stdinText: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let tag = UUID().uuidString
        let out = folder + "/.stdout-" + tag, err = folder + "/.stderr-" + tag, input = folder + "/.stdin-" + tag
        defer { for path in [out, err, input] { unlink(path) } }
        if let stdinText { try Data(stdinText.utf8).write(to: URL(fileURLWithPath: input)) }
        let status = try run(executable, arguments, environment: environment, currentDirectory: currentDirectory,
                             stdin: stdinText == nil ? nil : input, stdout: out, stderr: err)
        func text(_ path: String) throws -> String {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        }
        return (status, try text(out), try text(err))
    }
}
