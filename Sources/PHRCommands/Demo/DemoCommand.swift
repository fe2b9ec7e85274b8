import ArgumentParser
import Foundation
import PHRStore

/// `phr demo`: a realistic synthetic second-opinion case in a throw-away store, then a walk
/// through it with the same output `phr appointment list --upcoming`, `phr opinion history`,
/// `phr opinion compare`, `phr status` and `phr timeline` print.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a synthetic second-opinion case in a throw-away store and walk through it.",
        discussion: """
            The case: a breast cancer diagnosis, the original oncologist, a second opinion at a \
            comprehensive cancer centre (insurance pre-approved), pathology and imaging reports, two \
            opinions that partly differ, and a tie-break appointment booked, with records on their way to it. \
            Nothing is real.
            Without --db the store goes into a new temporary folder, which is kept and printed. \
            $PHR_DB is ignored, so the demo never writes into your own store.
            Example:
              phr demo
              phr demo --db /tmp/phr-demo.sqlite
            """)

    @Option(help: ArgumentHelp("Build the demo in this store (new, or one without any data).", valueName: "path"))
    var db: String?

    func run() throws {
        let (path, documents, keepDocuments) = try Self.places(db: db)
        defer { if !keepDocuments { try? FileManager.default.removeItem(at: documents) } }

        let store = try HealthStore(path: path, create: true)
        let patient = try store.write("demo") { () throws -> Patient in
            // Checked inside the write transaction, so no other phr can add data in between.
            let counts = try store.rowCounts().filter { $0.count > 0 }
            guard counts.isEmpty else {
                throw CommandFailure("--db: \(path) already holds data; the demo needs a new or empty store",
                                     code: ExitStatus.cannotCreate)
            }
            let demo = DemoCase()
            let patient = try demo.build(in: store, documents: documents)
            try DemoWorkflow(demo: demo).add(in: store, patient: patient, documents: documents)
            return patient
        }

        let quoted = Self.shellQuoted(path)
        say("""
            Built a synthetic second-opinion case in \(path)
            (the patient, doctors and documents are made up).

            Upcoming appointments (phr --db \(quoted) appointment list --upcoming):

            """)
        let upcoming = try AppointmentCommand.List.parse(["--db", path, "--patient", String(patient.id), "--upcoming"])
        try upcoming.run()
        say("""

            Opinion history (phr --db \(quoted) opinion history):

            """)
        let history = try OpinionCommand.History.parse(["--db", path, "--patient", String(patient.id)])
        try history.run()
        say("""

            The opinions side by side, with a verdict (phr --db \(quoted) opinion compare):

            """)
        let compare = try OpinionCommand.Compare.parse(["--db", path, "--patient", String(patient.id)])
        try compare.run()
        say("""

            What is done and what is not before the tie-break opinion (phr --db \(quoted) status;
            it exits 1 while something is missing):

            """)
        let status = try StatusCommand.Show.parse(["--db", path, "--patient", String(patient.id)])
        do { try status.run() } catch is QuietExit {}
        say("""

            Everything in date order (phr --db \(quoted) timeline):

            """)
        let timeline = try TimelineCommand.parse(["--db", path, "--patient", String(patient.id)])
        try timeline.run()
        say("""

            Try next:
              export PHR_DB=\(quoted)
              phr provider list
              phr record list
              phr record get 2 -o pathology-report.txt
              phr opinion history --format json
              phr transfer list --pending
              phr search chemotherapy
            """)
    }

    /// Writes `text` and a newline straight to standard output, in order with the listings (which
    /// write through FileHandle, not print's buffer).
    private func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Where the store and the documents go: `--db` (documents in a temporary folder, removed
    /// afterwards), else a new private temporary folder holding both (kept).
    static func places(db: String?) throws -> (store: String, documents: URL, keepDocuments: Bool) {
        if let db, !db.isEmpty {
            let path = StoreLocation.resolve(explicit: db)
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
               attributes[.type] as? FileAttributeType == .typeDirectory {
                throw CommandFailure("--db: \(path) is a folder; give a file path for the demo store", code: ExitStatus.cannotCreate)
            }
            return (path, try temporaryFolder(prefix: "phr-demo-documents"), false)
        }
        let folder = try temporaryFolder(prefix: "phr-demo")
        let documents = folder.appendingPathComponent("documents")
        do {
            try FileManager.default.createDirectory(at: documents, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw CommandFailure("cannot create \(documents.path)", code: ExitStatus.cannotCreate)
        }
        return (folder.appendingPathComponent("phr.sqlite").path, documents, true)
    }

    /// A new folder (0700) under the system's temporary folder.
    private static func temporaryFolder(prefix: String) throws -> URL {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("\(prefix)-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw CommandFailure("cannot create a temporary folder in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))",
                                 code: ExitStatus.cannotCreate)
        }
        return URL(fileURLWithPath: String(cString: created), isDirectory: true)
    }

    /// `path` as one shell word, for the commands the demo suggests.
    static func shellQuoted(_ path: String) -> String {
        let safe = path.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+,:@".unicodeScalars.contains($0) }
        return safe ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
