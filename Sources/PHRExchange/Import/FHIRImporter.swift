import Foundation
import PHRStore

/// How an import runs.
public struct ImportOptions: Sendable {
    /// Do everything, report it, then roll it all back.
    public var dryRun: Bool
    /// The patient (row id) every patient reference of the input means (`--patient`); the input
    /// may then hold at most one Patient.
    public var patientID: Int64?

    public init(dryRun: Bool = false, patientID: Int64? = nil) {
        self.dryRun = dryRun
        self.patientID = patientID
    }
}

/// How far an import has come, for a progress line.
public struct ImportProgress: Sendable {
    public let resources: Int
    public let bytesRead: Int64
    public let totalBytes: Int64
}

/// Imports FHIR R4 into a store: bundles of any type, single resources, NDJSON files, folders of
/// them (the bulk-data layout) and packets written by `phr export`.
///
/// Guarantees:
/// - **One transaction**: the whole import is one `store.write`; any error rolls everything back
///   and is thrown as an `ImportError` naming the file and line or bundle entry, the resource and
///   what was wrong. With `dryRun` the report is computed the same way and everything is rolled
///   back.
/// - **Idempotent**: every row remembers its source (`import_sources`); the same input imported
///   again changes nothing, and a changed resource updates its row (the history keeps the old
///   version).
/// - **Order-independent**: resources are read patients and providers first; a resource whose
///   reference is not found yet is read again after everything else; what still resolves to
///   nothing is kept as text with the row and listed in the report.
/// - **Bounded memory**: NDJSON is read a line at a time and attachments are decoded in chunks;
///   only a JSON file (a bundle) is held whole while it is read.
public final class FHIRImporter {
    public let store: HealthStore
    public let options: ImportOptions
    private let progress: ((ImportProgress) -> Void)?

    /// How the import's one write runs: a 24 MiB page cache while importing (32 MiB was no faster,
    /// and kept a 100 MB bundle's import over 100 MiB of memory).
    static let writeOptions = BulkWriteOptions(cacheKiB: 24 * 1024)

    /// Resources between two progress calls.
    static let progressInterval = 5_000

    public init(store: HealthStore, options: ImportOptions = ImportOptions(),
                progress: ((ImportProgress) -> Void)? = nil) {
        self.store = store
        self.options = options
        self.progress = progress
    }

    private struct DryRunFinished: Error {
        let report: ImportReport
    }

    /// Imports `paths` and reports what was added, updated, unchanged and skipped.
    public func run(_ paths: [String]) throws -> ImportReport {
        var folder = (store.path as NSString).deletingLastPathComponent
        if folder.isEmpty { folder = "." }
        // The store's folder is private to the user: zips are unpacked and attachments decoded there.
        var discovery = InputDiscovery(scratchFolder: folder)
        let units = try discovery.units(for: paths)
        defer { withExtendedLifetime(discovery) {} }
        if let patientID = options.patientID {
            guard try store.patient(id: patientID) != nil else { throw StoreError.notFound(entity: "patient", id: patientID) }
        }
        let scratchFolder = folder
        do {
            return try store.bulkWrite("import", options: Self.writeOptions) { change in
                let session = try ImportSession(store: store, forcedPatientID: options.patientID,
                                            scratchFolder: scratchFolder)
                try importAll(units, session: session)
                guard session.report.totals.read > 0 || !discovery.unread.isEmpty else {
                    // An empty NDJSON file, a bundle without entries: a mistake, not an import.
                    throw ImportError.notFHIR(path: paths.joined(separator: ", "), reason: "holds no FHIR resources; nothing to import")
                }
                session.report.files = units.count
                session.report.unreadFiles = discovery.unread.map { ImportReport.UnreadFile(path: $0.path, reason: $0.reason) }
                session.report.dryRun = options.dryRun
                let totals = session.report.totals
                change.text = "import (\(totals.added) added, \(totals.updated) updated"
                    + (totals.conflicts > 0 ? ", \(totals.conflicts) in conflict)" : ")")
                if options.dryRun { throw DryRunFinished(report: session.report) }
                return session.report
            }
        } catch let finished as DryRunFinished {
            return finished.report
        }
    }

    private func importAll(_ units: [InputUnit], session: ImportSession) throws {
        let stream = ResourceStream(units: units, spool: session.attachments.spool)
        stream.forcedPatient = options.patientID != nil
        // While the next resources are still being read, the import's end gets done ahead.
        let store = store
        stream.whileWaiting = { try store.workAhead() }
        // Resources to read again after the others; `counted` once the first reading counted them.
        var deferred: [(rank: Int, order: Int, location: ResourceLocation, counted: Bool)] = []
        var count = 0
        // Files of types phr does not import are read beside the import, on a thread of their own.
        let skippedFiles = Set(units.indices.filter {
            units[$0].format == .ndjson && ResourceOrder.namesSkippedType((units[$0].path as NSString).lastPathComponent)
        })
        let totalBytes = units.reduce(Int64(0)) { $0 + $1.size }
        var scannedBytes: Int64 = 0

        // The C-CDA document each fullUrl was first read from: an entry (same id) in several
        // documents of one import is read from the first, the newest (`InputDiscovery`), so that
        // importing them again changes nothing.
        var documentOf: [String: Int] = [:]

        func handle(_ resource: IncomingResource) throws {
            count += 1
            session.report.read(resource.type)
            session.report.noteServerIssues(resource.outcomeIssues, at: resource.place)
            if count % Self.progressInterval == 0 {
                progress?(ImportProgress(resources: count, bytesRead: stream.bytesRead + scannedBytes, totalBytes: totalBytes))
            }
            if resource.unit.format == .ccda, let url = resource.fullUrl {
                let first = documentOf[url, default: resource.location.unit]
                documentOf[url] = first
                guard first == resource.location.unit else {
                    session.report.count(resource.type, .skipped("read from a newer C-CDA document of this import (the same id)"))
                    return
                }
            }
            do {
                try process(resource, session: session)
            } catch is ImportDeferral {
                deferred.append((ResourceOrder.rank(of: resource.type), deferred.count, resource.location, true))
            } catch let error as StoreError {
                // The store refused a value, or had no room for a file: say where it came from.
                throw ImportError(error, at: resource.place)
            }
        }

        let scanner = skippedFiles.isEmpty ? nil : SkippedFileScanner(stream: stream, unitIndexes: skippedFiles.sorted())
        scanner?.start()
        defer {
            scanner?.cancel()
            scanner?.wait()
        }
        for index in units.indices where !skippedFiles.contains(index) {
            try stream.read(unit: index, handle)
        }
        try checkDocumentPatients(stream.documents.values.map(\.patientKeys))
        for index in stream.documents.keys.sorted() {
            if let conversion = stream.documents[index] { session.report.add(conversion) }
        }
        if let scanner {
            while true {
                let (finished, lines, bytes) = scanner.wait(seconds: 0.25)
                scannedBytes = bytes
                if finished { break }
                progress?(ImportProgress(resources: count + lines, bytesRead: stream.bytesRead + bytes, totalBytes: totalBytes))
            }
            if let failure = scanner.failure { throw failure }
            for (type, skipped) in scanner.counts {
                session.report.read(type, times: skipped)
                session.report.count(type, .skipped("not a type phr imports"), times: skipped)
            }
            count += scanner.counts.values.reduce(0, +)
            // Resources phr imports found in those files are read now, with the others'.
            let first = deferred.count
            deferred += scanner.later.enumerated().map { ($1.rank, first + $0, $1.location, false) }
        }
        (session.report.pagedBundles, session.report.pagedBundleCount) = stream.pagedBundles.all
        session.isFirstPass = false
        deferred.sort { ($0.rank, $0.order) < ($1.rank, $1.order) }
        for item in deferred {
            try stream.read(item.location) { resource in
                if !item.counted { session.report.read(resource.type) }
                do {
                    try process(resource, session: session)
                } catch let error as StoreError {
                    throw ImportError(error, at: resource.place)
                }
            }
        }
        stream.finishSecondPass()
        progress?(ImportProgress(resources: count, bytesRead: totalBytes, totalBytes: totalBytes))
    }

    /// C-CDA documents of more than one patient (by the patient's id) are refused without
    /// `--patient`: phr will not guess whether two ids name one person.
    private func checkDocumentPatients(_ keys: [[String]]) throws {
        let patients = Set(keys.joined())
        guard options.patientID == nil, patients.count > 1 else { return }
        throw ImportError.conflict("the C-CDA documents name \(patients.count) different patients; import one patient's documents at a time, or give --patient NAME|ID to file them all under one patient")
    }

    private func process(_ resource: IncomingResource, session: ImportSession) throws {
        guard let keys = resource.keys, let prepared = resource.prepared else {
            // An OperationOutcome's issues were noted as it was read (`handle`).
            session.report.count(resource.type, .skipped(resource.type == "OperationOutcome"
                ? "a message from the server, not a record" : "not a type phr imports"))
            return
        }
        let prior = try session.index.source(keys.primary)
        if let prior, prior.isResource, prior.contentHash == resource.contentHash, prior.unresolved == nil,
           session.forcedPatientID == nil || resource.type != "Patient" {
            // Read before, unchanged since: nothing to do (but its row is this input's now).
            session.touch(prior.table, prior.rowID)
            session.report.count(resource.type, .unchanged)
            return
        }
        try prepared.apply(resource, keys: keys, prior: prior?.isResource == true ? prior : nil, session: session)
    }
}
