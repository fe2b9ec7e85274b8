import Foundation
import PHRTestSupport
import XCTest

/// What one run of `phr` produced.
struct PHRResult {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    /// The standard output parsed as a JSON array of objects.
    func jsonArray(file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let parsed = try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        return try XCTUnwrap(parsed as? [[String: Any]], "not a JSON array of objects: \(stdout)", file: file, line: line)
    }

    /// The standard output parsed as one JSON object.
    func jsonObject(file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try XCTUnwrap(parsed as? [String: Any], "not a JSON object: \(stdout)", file: file, line: line)
    }

    /// The standard output parsed as RFC 4180 CSV, one dictionary per record keyed by the header.
    func csvRecords(file: StaticString = #filePath, line: UInt = #line) throws -> (header: [String], rows: [[String: String]]) {
        let table = try CSVParser.parse(stdout)
        let header = try XCTUnwrap(table.first, "CSV without a header", file: file, line: line)
        let rows = table.dropFirst().map { fields -> [String: String] in
            XCTAssertEqual(fields.count, header.count, "a CSV record has as many fields as the header", file: file, line: line)
            return Dictionary(uniqueKeysWithValues: zip(header, fields).map { ($0, $1) })
        }
        return (header, rows)
    }

    /// The lines of standard output, without the final empty one.
    var lines: [String] {
        stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast(stdout.hasSuffix("\n") ? 1 : 0)
    }
}

/// Runs the `phr` executable that `swift build` put next to this test bundle.
///
/// The environment is fixed so that results do not depend on the machine or the day: `PHR_NOW`
/// pins phr's clock, `TZ=America/New_York` (local times have a known offset), `COLUMNS=160`,
/// `NO_COLOR=1`, `HOME` inside the test's folder (the default store never touches the real home),
/// no `PHR_PATIENT` or `XDG_DATA_HOME` unless a test passes them.
enum PHRRunner {
    /// "Now" for every run of phr unless a test passes its own `PHR_NOW`.
    static let now = "2026-11-25T09:42:00-05:00"
    /// The time zone of every run unless a test passes its own `TZ`.
    static let timeZone = "America/New_York"

    /// The built binary: `$PHR_BINARY` when set, else `phr` in the products directory (next to the
    /// `.xctest` bundle on macOS; on Linux the bundle is itself a file in that directory).
    static let binary: URL = {
        if let explicit = ProcessInfo.processInfo.environment["PHR_BINARY"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        let bundle = Bundle(for: BundleMarker.self).bundleURL
        let candidates = [bundle.deletingLastPathComponent(), bundle,
                          Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
            .map { $0.appendingPathComponent("phr") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    static func run(_ arguments: [String], environment extra: [String: String], home: URL,
                    executable: URL = binary, currentDirectory: URL? = nil, stdin: String? = nil) throws -> PHRResult {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": home.path,
            "TMPDIR": home.path,
            "NO_COLOR": "1",
            "PHR_NOW": now,
            "TZ": timeZone,
            "COLUMNS": "160",
            "LANG": "C.UTF-8",
        ]
        // A test run under a sanitizer (scripts/sanitize.sh) passes its options on to phr.
        for key in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"] {
            if let value = ProcessInfo.processInfo.environment[key] { environment[key] = value }
        }
        environment.merge(extra) { _, new in new }
        let result = try ChildProcess.capture(executable.path, arguments, environment: environment.filter { !$0.value.isEmpty },
                                              folder: home.path, currentDirectory: (currentDirectory ?? home).path,
                                              stdinText: stdin)
        return PHRResult(arguments: arguments, status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// Runs another program (sqlite3) and returns its standard output; fails the test on a
    /// non-zero exit.
    static func tool(_ path: String, _ arguments: [String], home: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try run(arguments, environment: [:], home: home, executable: URL(fileURLWithPath: path))
        return (result.status, result.stdout, result.stderr)
    }
}

private final class BundleMarker {}
