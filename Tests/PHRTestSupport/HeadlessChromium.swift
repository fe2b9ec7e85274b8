import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints an HTML file to PDF as a receiving doctor's office would (Chromium, headless), and reads
/// the PDF's text back page by page (poppler's `pdftotext`).
///
/// Each print uses a profile folder of its own (removed afterwards), no GPU, no header or footer of
/// Chromium's own, `--no-sandbox` only when running as root (Chromium refuses to start otherwise),
/// and a time limit. Chromium gets an environment of its own: nothing of the test's (such as
/// `faketime`'s preloaded library, which has nothing to say about a browser) reaches it.
public enum HeadlessChromium {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `chromium` (Debian), else other usual names; a missing one fails the test (see `RequiredTool`).
    public static func browser() throws -> String {
        try RequiredTool.find(["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/local/bin/chromium"],
                              install: "install Debian's chromium (apt-get install chromium)")
    }

    public static func pdftotext() throws -> String {
        try RequiredTool.find(["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"], install: "install poppler-utils (apt-get install poppler-utils)")
    }

    /// Prints `html` (a file) to `pdf` and returns the text of each page, in order.
    public static func printedPages(of html: String, to pdf: String, scratch: String, timeoutSeconds: Double = 120) throws -> [String] {
        let chromium = try browser()
        let pdftotext = try pdftotext()
        let profile = scratch + "/chromium-profile-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: profile) }
        var arguments = ["--headless", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                         "--disable-background-networking", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                         "--no-pdf-header-footer", "--print-to-pdf=" + pdf]
        if getuid() == 0 { arguments.append("--no-sandbox") }
        arguments.append(URL(fileURLWithPath: html).absoluteString)
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": profile, "TMPDIR": scratch, "LANG": "C.UTF-8",
                           "TZ": "UTC"]
        let log = scratch + "/chromium-" + UUID().uuidString + ".log"
        defer { unlink(log) }
        let process = try ChildProcess.start(chromium, arguments, environment: environment, stdout: log, stderr: log)
        let status = try waitAtMost(process, seconds: timeoutSeconds)
        guard status == 0, FileManager.default.fileExists(atPath: pdf) else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Failure(description: "chromium exited \(status.map(String.init) ?? "late (killed after \(Int(timeoutSeconds)) s)") "
                          + "without printing \(pdf): \(output.suffix(2000))")
        }
        let text = scratch + "/pdftotext-" + UUID().uuidString + ".txt"
        defer { unlink(text) }
        let converted = try ChildProcess.run(pdftotext, ["-enc", "UTF-8", pdf, text], environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        guard converted == 0 else { throw Failure(description: "pdftotext exited \(converted) on \(pdf)") }
        let pages = try String(contentsOfFile: text, encoding: .utf8).components(separatedBy: "\u{0C}")
        // pdftotext ends every page with a form feed: the last piece is empty.
        return pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true ? Array(pages.dropLast()) : pages
    }

    /// The exit status, or `nil` when the program ran longer than `seconds` (it is then killed).
    /// Timed by the monotonic clock, which `faketime` leaves alone.
    private static func waitAtMost(_ process: ChildProcess, seconds: Double) throws -> Int32? {
        let deadline = ProcessInfo.processInfo.systemUptime + seconds
        var status: Int32 = 0
        while true {
            let reaped = waitpid(process.pid, &status, WNOHANG)
            if reaped == process.pid {
                let signal = status & 0x7f
                return signal == 0 ? (status >> 8) & 0xff : 128 + signal
            }
            if reaped == -1, errno != EINTR { throw Failure(description: "waitpid: \(String(cString: strerror(errno)))") }
            if ProcessInfo.processInfo.systemUptime > deadline {
                _ = try process.terminate(SIGKILL)
                return nil
            }
            usleep(100_000)
        }
    }
}
