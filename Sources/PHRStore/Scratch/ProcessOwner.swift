import Foundation

/// A running process, named so that another process can tell later whether it still runs: its
/// process id and its start time (the id alone is reused by the system).
///
/// Scratch files carry their owner in their name (`…-<pid>-<start>-…`), and so does an export
/// being put in place; a later phr removes or settles what belongs to an owner that is gone.
public struct ProcessOwner: Sendable, Hashable, CustomStringConvertible {
    public let pid: Int32
    /// The start time as the system keeps it (clock ticks since boot on Linux, microseconds since
    /// 1970 on Darwin); 0 where it cannot be read, and then only the id is compared.
    public let start: UInt64

    public init(pid: Int32, start: UInt64) {
        self.pid = pid
        self.start = start
    }

    /// This process.
    public static let current = ProcessOwner(pid: getpid(), start: startTime(of: getpid()) ?? 0)

    /// `<pid>-<start>`: the form used in file names and in the export log.
    public var description: String { "\(pid)-\(start)" }

    /// Parses `<pid>-<start>`.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = Int32(parts[0]), pid > 0, let start = UInt64(parts[1]) else { return nil }
        self.init(pid: pid, start: start)
    }

    /// Finds `<pid>-<start>-` right after `marker` in a file name (`.x.phr-tmp-12-345-AbCdEf`).
    public init?(inName name: String, after marker: String) {
        // The marker's first and last places (a file name may hold the marker itself).
        for range in [name.range(of: marker), name.range(of: marker, options: .backwards)].compactMap({ $0 }) {
            let rest = name[range.upperBound...].split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
            if rest.count == 3, let owner = ProcessOwner("\(rest[0])-\(rest[1])") {
                self = owner
                return
            }
        }
        return nil
    }

    /// True while the process runs (or might: a process of another user counts as running).
    public var isAlive: Bool {
        if pid == ProcessOwner.current.pid { return start == ProcessOwner.current.start }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        // A killed process not yet reaped by its parent (a zombie) runs no more.
        if let stat = Self.stat(of: pid), stat.state == "Z" { return false }
        #endif
        guard start != 0, let actual = Self.startTime(of: pid) else { return true }
        return actual == start
    }

    #if os(Linux)
    /// /proc/PID/stat: "pid (comm) state ..."; comm may hold spaces and parentheses, so the
    /// fields are counted after the last ')'. The state is field 3, the start time field 22.
    private static func stat(of pid: Int32) -> (state: Substring, start: UInt64?)? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
              let text = String(data: data, encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return (fields[0], UInt64(fields[19]))
    }
    #endif

    static func startTime(of pid: Int32) -> UInt64? {
        #if os(Linux)
        return stat(of: pid)?.start ?? nil
        #elseif canImport(Darwin)
        var info = kinfo_proc()
        var size = MemoryLayout<kinfo_proc>.stride
        var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
        guard sysctl(&name, 4, &info, &size, nil, 0) == 0, size > 0 else { return nil }
        let started = info.kp_proc.p_un.__p_starttime
        return UInt64(started.tv_sec) * 1_000_000 + UInt64(started.tv_usec)
        #else
        return nil
        #endif
    }
}
