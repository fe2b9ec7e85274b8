import ArgumentParser
import Foundation
import PHRExchange
import PHRStore

/// `phr export OUT`: the packet for a new doctor (summary.html, fhir.json, records/, SHA256SUMS,
/// README.txt) as a folder or a zip file; `phr export --log`: the packets exported so far.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a packet for a new doctor: printable summary, FHIR R4 bundle, original files, checksums.",
        discussion: """
            OUT is a new folder, or one zip file with --zip or a name ending in .zip. It is built next to \
            OUT and renamed into place only when complete and checked; an existing OUT is replaced only \
            with --force (and only if it is an earlier packet); a symbolic link is refused. Every export \
            is logged: `phr export --log` lists them, `phr record list --sent-to PROVIDER` shows what a \
            doctor has already been sent.
            Examples:
              phr export ~/Desktop/packet-for-dr-martin.zip --for martin
              phr export packet --diagnosis invasive --since 2026-09 --no-files
              phr export packet --include-notes
              phr export --log
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var patient: PatientOptions
    @Argument(help: ArgumentHelp("The packet to write: a new folder, or a .zip file.", valueName: "OUT"))
    var out: String?
    @Option(help: ArgumentHelp("Only this diagnosis and what is linked to it (repeat for several).", valueName: "diagnosis"))
    var diagnosis: [String] = []
    @Option(help: ArgumentHelp("Only opinions, appointments and records dated on or after this date: \(DateInput.acceptedDates).", valueName: "date"))
    var since: String?
    @Option(help: ArgumentHelp("Only those dated on or before this date.", valueName: "date"))
    var until: String?
    @Option(name: .customLong("for"), help: ArgumentHelp("The receiving provider (named on the cover and in the log).", valueName: "provider"))
    var recipient: String?
    @Flag(help: "Write one zip file (also when OUT ends in .zip).") var zip = false
    @Flag(name: .customLong("no-files"), help: "Describe the records without copying their files.") var noFiles = false
    @Flag(name: .customLong("include-notes"), help: "Put your own notes into summary.html (they are left out by default).")
    var includeNotes = false
    @Flag(help: "Replace an earlier packet at OUT.") var force = false
    @Flag(help: "List the packets exported so far instead (with --for: only those for that provider).") var log = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if log {
            if out != nil { throw ValidationError("--log lists past exports; give no OUT with it") }
            if !diagnosis.isEmpty || since != nil || until != nil || zip || noFiles || includeNotes || force {
                throw ValidationError("--log takes only --for, --format and -o")
            }
        } else {
            guard let out, !out.isEmpty else {
                throw ValidationError("give OUT, the folder or .zip file to write (or --log to list past exports)")
            }
            if output.format != nil || output.output != nil {
                throw ValidationError("--format and -o go with --log; the packet is written to OUT")
            }
        }
    }

    func run() throws {
        let health = try store.open()
        if log { return try listLog(health) }
        guard var out else { return }
        // A zip is named as one, so that whoever gets it (and phr import) knows what it is.
        if zip, URL(fileURLWithPath: out).pathExtension.isEmpty { out += ".zip" }
        let since = try self.since.map { try DateInput.date($0, option: "--since") }
        let until = try self.until.map { try DateInput.date($0, option: "--until") }
        if let since, let until, ExportScope(patientID: 0, since: since, until: until).periodIsEmpty {
            throw CommandFailure("--since \(since) is after --until \(until); nothing would be exported", code: ExitStatus.usage)
        }
        let scope = try health.read { () throws -> ExportScope in
            let owner = try patient.resolve(in: health)
            return ExportScope(patientID: owner.id,
                               diagnosisIDs: try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: health).id },
                               since: since, until: until,
                               recipientID: try recipient.map { try Lookup.provider($0, in: health, option: "--for").id },
                               includeFiles: !noFiles, includeNotes: includeNotes)
        }
        let report: PacketReport
        do {
            report = try PacketWriter(store: health).write(PacketRequest(scope: scope, destination: out, zip: zip, force: force))
        } catch let error as PacketError {
            throw CommandFailure(error.description, code: Self.exitCode(for: error))
        }
        let size = FileSize.text(report.byteCount)
        let forWhom = report.logged.recipientName.map { " for \($0)" } ?? ""
        let files = report.recordFileCount == report.recordCount ? "" : " (\(report.recordFileCount) with files)"
        print("""
            Exported the packet\(forWhom) to \(report.destination) (\(report.format.rawValue), \(size)):
              \(Self.count(report.diagnosisCount, "diagnosis", "diagnoses")), \
            \(Self.count(report.opinionCount, "opinion", "opinions")), \
            \(Self.count(report.appointmentCount, "appointment", "appointments")), \
            \(Self.count(report.recordCount, "record", "records"))\(files);
              \(Self.count(report.resultCount, "result", "results")), \
            \(Self.count(report.medicationCount, "medication", "medications")), \
            \(Self.count(report.allergyCount, "allergy", "allergies")), \
            \(Self.count(report.procedureCount, "procedure", "procedures")), \
            \(Self.count(report.immunizationCount, "immunization", "immunizations")), \
            \(Self.count(report.familyHistoryCount, "family history entry", "family history entries")).
              Open summary.html to read or print it; fhir.json is for record systems.
              Every file is checked: sha256sum -c SHA256SUMS (inside the packet).
            """)
    }

    private func listLog(_ health: HealthStore) throws {
        let listing = try health.read { () throws -> Listing in
            let owner = try patient.resolve(in: health)
            let providerID = try recipient.map { try Lookup.provider($0, in: health, option: "--for").id }
            return Self.listing(try health.sharedPackets(patientID: owner.id, providerID: providerID))
        }
        try output.emit(listing)
    }

    static func listing(_ packets: [SharedPacket]) -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "exported_at", header: "When"),
            .init(key: "provider_id", header: "Provider ID", inTable: false),
            .init(key: "recipient", header: "For", wraps: true),
            .init(key: "destination", header: "Written to", wraps: true),
            .init(key: "format", header: "Format"),
            .init(key: "with_files", header: "Files", inTable: false),
            .init(key: "scope", header: "Scope", wraps: true),
            .init(key: "record_count", header: "Records"),
            .init(key: "record_ids", header: "Record IDs", inTable: false),
            .init(key: "result_ids", header: "Result IDs", inTable: false),
            .init(key: "byte_count", header: "Bytes", inTable: false),
            .init(key: "document_uuid", header: "Document", inTable: false),
        ], emptyMessage: "No packets exported yet. Write one: phr export OUT --for PROVIDER")
        for packet in packets {
            listing.append([.integer(packet.id), .text(packet.exportedAt), Cell(packet.providerID), Cell(packet.recipientName),
                            .text(packet.destination), .text(packet.format.rawValue), .bool(packet.withFiles),
                            .text(packet.scope), .integer(Int64(packet.recordIDs.count)),
                            .list(packet.recordIDs.map(Cell.integer)), .list(packet.resultIDs.map(Cell.integer)),
                            .integer(packet.byteCount), .text(packet.documentUUID)])
        }
        return listing
    }

    static func exitCode(for error: PacketError) -> Int32 {
        switch error {
        case .notANewName:
            return ExitStatus.usage
        case .destinationExists, .destinationIsSymbolicLink, .destinationNotAPacket, .parentMissing, .cannotWrite:
            return ExitStatus.cannotCreate
        case .recordChecksumMismatch, .verificationFailed:
            return ExitStatus.ioError
        }
    }

    private static func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
}
