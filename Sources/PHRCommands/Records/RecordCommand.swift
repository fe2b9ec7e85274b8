import ArgumentParser
import Foundation
import PHRStore

struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Keep records (pathology, imaging, labs, letters): the files themselves, with checksums.",
        discussion: "Example:\n  phr record add pathology.pdf --kind pathology --diagnosis invasive\n  phr record list",
        subcommands: [Add.self, List.self, Show.self, Get.self, Edit.self, Remove.self]
    )

    static func listing(_ records: [Record], providers: [Int64: Provider],
                        emptyMessage: String = "No records yet. Add one: phr record add FILE --kind pathology") -> Listing {
        var listing = Listing(columns: [
            .init(key: "id", header: "ID"),
            .init(key: "uuid", header: "UUID", inTable: false),
            .init(key: "patient_id", header: "Patient", inTable: false),
            .init(key: "recorded_on", header: "Date"),
            .init(key: "kind", header: "Kind"),
            .init(key: "title", header: "Title", wraps: true),
            .init(key: "provider_id", header: "Provider ID", inTable: false),
            .init(key: "provider", header: "From", wraps: true),
            .init(key: "diagnosis_ids", header: "Diagnoses", inTable: false),
            .init(key: "file_name", header: "File", wraps: true),
            .init(key: "media_type", header: "Type", inTable: false),
            .init(key: "size", header: "Size"),
            .init(key: "sha256", header: "SHA-256", inTable: false),
            .init(key: "notes", header: "Notes", inTable: false),
            .init(key: "source_notes", header: "From the source", inTable: false),
            .init(key: "created_at", header: "Created", inTable: false),
            .init(key: "updated_at", header: "Updated", inTable: false),
        ], emptyMessage: emptyMessage)
        for r in records {
            listing.append([.integer(r.id), .text(r.uuid), .integer(r.patientID), Cell(describing: r.recordedOn),
                            Cell(r.kind), .text(r.title), Cell(r.providerID), Cell(r.providerID.flatMap { providers[$0]?.name }),
                            .list(r.diagnosisIDs.map(Cell.integer)), Cell(r.file?.originalName),
                            Cell(r.file?.mediaType), r.file.map { .integer($0.size) } ?? .null, Cell(r.file?.sha256),
                            Cell(r.notes), Cell(r.sourceNotes), .text(r.createdAt), .text(r.updatedAt)])
        }
        return listing
    }

    static func providersByID(_ store: HealthStore) throws -> [Int64: Provider] {
        Dictionary(uniqueKeysWithValues: try store.providers().map { ($0.id, $0) })
    }

    /// The editable fields, shared by `add` and `edit`.
    struct Fields: ParsableArguments {
        @Option(help: "What kind of record (pathology = pathology-report, slides = pathology-slides, xray, ct and mri = imaging-report).")
        var kind: Record.Kind?
        @Option(help: ArgumentHelp("When the record was made: \(DateInput.acceptedDates). With edit, \"\" clears it.", valueName: "date")) var date: String?
        @Option(help: ArgumentHelp("Who it comes from, by id or name prefix.", valueName: "provider")) var provider: String?
        @Option(help: ArgumentHelp("A diagnosis it belongs to (repeat for several).", valueName: "diagnosis")) var diagnosis: [String] = []
        @Option(help: "Free-text notes.") var notes: String?

        func apply(to record: inout Record, patient: Patient, store: HealthStore) throws {
            if let kind { record.kind = kind }
            if let date { record.recordedOn = date.isEmpty ? nil : try DateInput.date(date, option: "--date") }
            if let provider { record.providerID = provider.isEmpty ? nil : try Lookup.provider(provider, in: store).id }
            if !diagnosis.isEmpty {
                record.diagnosisIDs = try diagnosis.filter { !$0.isEmpty }.map { try Lookup.diagnosis($0, patient: patient, in: store).id }
            }
            if let notes { record.notes = notes }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Store a record and its file (or, with --no-file, a record of something physical).",
            discussion: """
                The file is copied into the store (streamed) with its SHA-256; the original can be removed afterwards.
                Examples:
                  phr record add pathology-2026-10-02.pdf --kind pathology --date 2026-10-02 \\
                      --provider "City Lab" --diagnosis invasive
                  phr record add --no-file --kind slides --title "Biopsy slides and blocks" \\
                      --provider "City Lab"
                """)

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @Argument(help: "The file to store.") var file: String?
        @Flag(name: .customLong("no-file"), help: "A record without a file (slides held by a lab, a CD of images).") var noFile = false
        @Option(help: "A title (default: the file's name).") var title: String?
        @Option(name: .customLong("media-type"), help: "The media type, e.g. application/pdf (default: guessed from the content and name).")
        var mediaType: String?
        @OptionGroup var fields: Fields
        @OptionGroup var again: AgainOption

        func validate() throws {
            if noFile, file != nil { throw ValidationError("give a FILE or --no-file, not both") }
            if !noFile, file == nil { throw ValidationError("give the FILE to store, or --no-file with --title") }
            if noFile, (title ?? "").isEmpty { throw ValidationError("--no-file needs --title to say what the record is") }
        }

        func run() throws {
            try DateInput.refuseEmpty(fields.date, option: "--date")
            let health = try store.open()
            let source = try file.map { path -> RecordFileSource in
                try Self.checkReadable(path)
                return RecordFileSource(path: path, mediaType: mediaType)
            }
            let defaultTitle = file.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? ""
            let added = try health.write("record add") { () throws -> Record in
                let owner = try patient.resolve(in: health)
                var record = Record(patientID: owner.id, title: title ?? defaultTitle)
                try fields.apply(to: &record, patient: owner, store: health)
                let added = try health.addRecord(record, file: source)
                let others = try health.records(patientID: owner.id)
                if let sha256 = added.file?.sha256 {
                    // The same file is the same record, whatever it is called.
                    if !again.again, let same = others.first(where: { $0.id != added.id && $0.file?.sha256 == sha256 }) {
                        throw DuplicateCheck.alreadyThere(kind: "record", id: same.id)
                    }
                } else {
                    try DuplicateCheck.refuse(added, among: others.filter { $0.file == nil }, kind: "record", again: again)
                }
                return added
            }
            let size = added.file.map { " (\(FileSize.text($0.size)), sha256 \($0.sha256.prefix(12))…)" } ?? ""
            print("Added record \(added.id)\(try PatientOptions.whose(added.patientID, in: health)): \(added.title)\(size)")
        }

        /// A missing, unreadable or non-regular file is refused before the store is touched.
        static func checkReadable(_ path: String) throws {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw CommandFailure("FILE: cannot read \(path): \(String(cString: strerror(errno)))", code: ExitStatus.noInput)
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw CommandFailure("FILE: \(path) is a folder; give a file", code: ExitStatus.noInput)
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw CommandFailure("FILE: \(path) is not a regular file", code: ExitStatus.noInput)
            }
            guard access(path, R_OK) == 0 else {
                throw CommandFailure("FILE: cannot read \(path): \(String(cString: strerror(errno)))", code: ExitStatus.noInput)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List records by date.",
            discussion: "Example:\n  phr record list --kind pathology-report --diagnosis invasive\n  phr record list --since 2026-10 --format json\n  phr record list --sent-to martin")

        @OptionGroup var store: StoreOptions
        @OptionGroup var patient: PatientOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only these kinds.") var kind: [Record.Kind] = []
        @Option(help: ArgumentHelp("Only records of this diagnosis.", valueName: "diagnosis")) var diagnosis: String?
        @Option(help: ArgumentHelp("Only records from this provider.", valueName: "provider")) var provider: String?
        @Option(help: ArgumentHelp("Only records dated on or after this date.", valueName: "date")) var since: String?
        @Option(help: ArgumentHelp("Only records dated on or before this date.", valueName: "date")) var until: String?
        @Option(name: .customLong("sent-to"), help: ArgumentHelp("Only records already sent to this provider in an exported packet.", valueName: "provider"))
        var sentTo: String?

        func run() throws {
            let health = try store.open()
            var filter = RecordFilter(kinds: kind.isEmpty ? nil : kind)
            filter.since = try since.map { try DateInput.date($0, option: "--since") }
            filter.until = try until.map { try DateInput.date($0, option: "--until") }
            let listing = try health.read { () throws -> Listing in
                let owner = try patient.resolve(in: health)
                filter.diagnosisID = try diagnosis.map { try Lookup.diagnosis($0, patient: owner, in: health).id }
                filter.providerID = try provider.map { try Lookup.provider($0, in: health).id }
                filter.sentToProviderID = try sentTo.map { try Lookup.provider($0, in: health, option: "--sent-to").id }
                var listing = RecordCommand.listing(try health.records(patientID: owner.id, filter),
                                                    providers: try RecordCommand.providersByID(health))
                listing.sayNoneMatch(filters, plural: "records", listCommand: "phr record list")
                return listing
            }
            try output.emit(listing)
        }

        private var filters: GivenFilters {
            var filters = GivenFilters()
            filters.add("--kind", kind)
            filters.add("--diagnosis", diagnosis)
            filters.add("--provider", provider)
            filters.add("--since", since)
            filters.add("--until", until)
            filters.add("--sent-to", sentTo)
            return filters
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one record.", discussion: "Example:\n  phr record show 4")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The record id.") var record: String

        func run() throws {
            let health = try store.open()
            let listing = try health.read { () throws -> Listing in
                let found = try health.requireRecord(try Lookup.id(record, kind: "record", option: "RECORD"))
                return RecordCommand.listing([found], providers: try RecordCommand.providersByID(health))
            }
            try output.emitItem(listing)
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Write a record's original file, after checking its SHA-256.",
            discussion: """
                Without -o the bytes go to standard output (refused on a terminal unless the file is text); \
                the whole file is checked against its SHA-256 before the first byte is sent.
                Example:
                  phr record get 4 -o ~/Desktop/pathology.pdf
                """)

        @OptionGroup var store: StoreOptions
        @Argument(help: "The record id.") var record: String
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file (created 0600; never overwritten without --force); - is standard output.", valueName: "path"))
        var output: String?
        @Flag(help: "Replace an existing output file.") var force = false

        func run() throws {
            let health = try store.open()
            let id = try Lookup.id(record, kind: "record", option: "RECORD")
            let found = try health.requireRecord(id)
            guard let file = found.file else { throw StoreError.recordHasNoFile(recordID: id) }
            guard let output, output != StandardOutput.dash else {
                if isatty(STDOUT_FILENO) == 1, !file.mediaType.hasPrefix("text/") {
                    throw CommandFailure("record \(id) is \(file.mediaType); write it to a file with -o PATH", code: ExitStatus.usage)
                }
                // Standard output cannot be taken back: the whole file is checked first, then sent.
                try health.deliverRecordFile(id: id) { try StandardOutput.write($0) }
                return
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) {
                if isDirectory.boolValue {
                    throw CommandFailure("-o: \(output) is a folder; give a file path", code: ExitStatus.cannotCreate)
                }
                if !force { throw CommandFailure("-o: \(output) exists; add --force to replace it", code: ExitStatus.cannotCreate) }
            }
            try health.read { try health.writeRecordFile(id: id, to: output) }
            print("Wrote record \(id) to \(output) (\(file.size) bytes, SHA-256 verified)")
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a record's description (its file never changes).",
            discussion: "Example:\n  phr record edit 4 --title \"Core biopsy pathology report\" --diagnosis 1")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The record id.") var record: String
        @Option(help: "New title.") var title: String?
        @OptionGroup var fields: Fields

        func run() throws {
            let health = try store.open()
            let updated = try health.write("record edit") { () throws -> Record in
                var found = try health.requireRecord(try Lookup.id(record, kind: "record", option: "RECORD"))
                if let title { found.title = title }
                try fields.apply(to: &found, patient: try health.requirePatient(found.patientID), store: health)
                return try health.updateRecord(found)
            }
            print("Updated record \(updated.id): \(updated.title)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a record (its file stays in the store; undo with `phr undo`).",
            discussion: "Example:\n  phr record remove 4")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The record id.") var record: String

        func run() throws {
            let health = try store.open()
            let removed = try health.write("record remove") { () throws -> Record in
                let found = try health.requireRecord(try Lookup.id(record, kind: "record", option: "RECORD"))
                try health.removeRecord(id: found.id)
                return found
            }
            print("Removed record \(removed.id): \(removed.title) (phr undo brings it back)")
        }
    }
}

/// Raw writes to standard output (file descriptor 1), for bytes that are not text.
enum StandardOutput {
    /// The name `-o` takes for standard output, as most command-line tools do.
    static let dash = "-"

    static func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(STDOUT_FILENO, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CommandFailure("cannot write to standard output: \(String(cString: strerror(errno)))", code: ExitStatus.ioError)
            }
            offset += n
        }
    }
}
