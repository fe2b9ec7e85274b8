import Foundation
import PHRStore

/// What to export and where: `phr export OUT [...]`.
public struct PacketRequest: Sendable {
    public var scope: ExportScope
    /// OUT: a new folder, or a zip file when `zip` is set or the path ends in `.zip`.
    public var destination: String
    public var zip: Bool
    /// Replace an existing packet at `destination`.
    public var force: Bool

    public init(scope: ExportScope, destination: String, zip: Bool = false, force: Bool = false) {
        self.scope = scope
        self.destination = destination
        self.zip = zip
        self.force = force
    }

    public var format: SharedPacket.Format {
        zip || destination.lowercased().hasSuffix(".zip") ? .zip : .folder
    }
}

/// What an export wrote.
public struct PacketReport: Sendable {
    /// The absolute path of the packet.
    public let destination: String
    public let format: SharedPacket.Format
    /// The sharing log's entry for this export.
    public let logged: SharedPacket
    public let diagnosisCount: Int
    public let opinionCount: Int
    public let appointmentCount: Int
    public let recordCount: Int
    /// Record files copied into the packet.
    public let recordFileCount: Int
    /// Top-level results (a panel's parts are not counted), medications, allergies and
    /// intolerances (not the "no known allergies" statement), procedures, immunizations and
    /// relatives' conditions (family history).
    public let resultCount: Int
    public let medicationCount: Int
    public let allergyCount: Int
    public let procedureCount: Int
    public let immunizationCount: Int
    public let familyHistoryCount: Int
    /// Bytes of the packet (all its files, or the zip).
    public let byteCount: Int64
}

/// Writes the packet for a new doctor: `summary.html`, `fhir.json`, `records/`, `SHA256SUMS` and
/// `README.txt`, as a folder or one zip file, and logs the export in the store.
///
/// Guarantees:
/// - the packet is built in a hidden temporary sibling of OUT (0700; files 0600) and renamed
///   into place only when complete and verified; whatever fails, nothing is left behind, and a
///   packet replaced with `--force` is back in place;
/// - every record file is streamed out of the store in 1 MiB chunks while its SHA-256 and SHA-1
///   are computed, checked against the SHA-256 stored with it (a mismatch stops the export and
///   names the record), and read back from disk (or from the zip) before the rename;
/// - an existing OUT is replaced only with `force`, and only if it is a phr packet; a symbolic
///   link is never followed; nothing is written outside OUT but the temporary sibling;
/// - the store is read from one snapshot; the export is logged (one change, no history rows)
///   before the rename, pending, and confirmed after it: a kill in between leaves an entry a
///   later phr settles by looking at OUT (`HealthStore.settleExportLog`), so the log ends up
///   listing exactly the packets put in place; a packet replaced with `--force` is removed once
///   the new one is in place.
public struct PacketWriter {
    public let store: HealthStore
    public var now: Date
    public var timeZone: TimeZone

    public init(store: HealthStore, now: Date = Clock.now(), timeZone: TimeZone = .current) {
        self.store = store
        self.now = now
        self.timeZone = timeZone
    }

    public func write(_ request: PacketRequest) throws -> PacketReport {
        let destination = PacketDestination(path: request.destination, format: request.format, force: request.force)
        do {
            return try write(request, to: destination)
        } catch PacketError.cannotWrite(_, let reason) {
            // Paths inside the packet carry record titles: report OUT, which the user typed.
            throw PacketError.cannotWrite(path: destination.path, reason: reason)
        } catch PacketError.verificationFailed {
            throw PacketError.verificationFailed(path: destination.path)
        }
    }

    private func write(_ request: PacketRequest, to destination: PacketDestination) throws -> PacketReport {
        try destination.check()
        let (staging, registration) = try destination.makeStagingFolder()
        defer {
            try? FileManager.default.removeItem(atPath: staging)
            registration.release()
        }

        let packetFolder = request.format == .zip ? staging + "/packet" : staging
        if request.format == .zip { try Self.makeFolder(packetFolder) }

        let documentUUID = UUID().uuidString.lowercased()
        let preparedOn = PartialDate(day: now, in: timeZone)
        let (contents, recordFiles) = try store.read {
            let contents = try PacketContents.gather(from: store, scope: request.scope)
            let recordFiles = request.scope.includeFiles ? try copyRecordFiles(contents.records, into: packetFolder) : [:]
            return (contents, recordFiles)
        }

        var written = contents.records.compactMap { recordFiles[$0.id] }
        let bundle = FHIRBundleBuilder(contents: contents, files: recordFiles, documentUUID: documentUUID, now: now,
                                       timeZone: timeZone)
        written.append(try writeText(bundle.build().rendered(), "fhir.json", in: packetFolder))
        written.append(try writeText(SummaryPage(contents: contents, files: recordFiles, now: now, timeZone: timeZone).render(),
                                     "summary.html", in: packetFolder))
        written.append(try writeText(PacketReadme(contents: contents, preparedOn: preparedOn,
                                                  includesFiles: request.scope.includeFiles).render(),
                                     "README.txt", in: packetFolder))
        let checksums = ChecksumList(files: written)
        let sums = try writeText(checksums.render(), "SHA256SUMS", in: packetFolder)
        try checksums.verify(in: packetFolder)
        PacketDestination.syncFolder(packetFolder + "/records")
        PacketDestination.syncFolder(packetFolder)

        let staged: String
        var byteCount = (written + [sums]).reduce(Int64(0)) { $0 + $1.size }
        if request.format == .zip {
            staged = staging + "/packet.zip"
            let zipper = PacketZipper(folder: packetFolder, topFolder: Self.zipFolderName(destination.name))
            try zipper.write(written + [sums], to: staged)
            try zipper.verify(written + [sums], zipPath: staged)
            byteCount = (try? FileManager.default.attributesOfItem(atPath: staged)[.size] as? Int64) ?? byteCount
        } else {
            staged = staging
        }

        let entry = SharedPacket(documentUUID: documentUUID, patientID: contents.patient.id,
                                 providerID: contents.recipient?.id, recipientName: contents.recipient?.name,
                                 destination: destination.path, format: request.format,
                                 withFiles: request.scope.includeFiles, scope: request.scope.summary,
                                 byteCount: byteCount, recordIDs: contents.records.map(\.id),
                                 resultIDs: contents.results.flatMap { [$0.id] + (contents.resultParts[$0.id] ?? []).map(\.id) })
        guard let stagedIdentity = HealthStore.fileIdentity(staged) else {
            throw PacketError.cannotWrite(path: destination.path, reason: "the packet built beside it is gone")
        }
        let logged = try store.write("export to \(destination.name)") {
            try store.logPendingSharedPacket(entry, stagedIdentity: stagedIdentity)
        }
        let placement: Placement
        do {
            placement = try destination.place(staged, documentUUID: documentUUID)
        } catch {
            try? store.dropPendingSharedPacket(id: logged.id)
            throw error
        }
        placement.finish()
        // The packet is in place: should this fail (a busy store), the entry stays pending and
        // the next phr run confirms it by finding this packet at OUT.
        try? store.confirmSharedPacket(id: logged.id)
        return PacketReport(destination: destination.path, format: request.format, logged: logged,
                            diagnosisCount: contents.diagnoses.count, opinionCount: contents.opinions.count,
                            appointmentCount: contents.appointments.count, recordCount: contents.records.count,
                            recordFileCount: recordFiles.count, resultCount: contents.results.count,
                            medicationCount: contents.medications.count, allergyCount: contents.allergies.count,
                            procedureCount: contents.procedures.count, immunizationCount: contents.immunizations.count,
                            familyHistoryCount: contents.familyHistory.count,
                            byteCount: byteCount)
    }

    /// Streams each record's file into `records/`, hashing as it goes.
    private func copyRecordFiles(_ records: [Record], into folder: String) throws -> [Int64: WrittenFile] {
        var namer = RecordFileNamer()
        var files: [Int64: WrittenFile] = [:]
        let withFiles = records.filter { $0.file != nil }
        guard !withFiles.isEmpty else { return files }
        try Self.makeFolder(folder + "/records")
        for record in withFiles {
            guard let stored = record.file else { continue }
            let writer = try PacketFileWriter(folder: folder, relativePath: "records/" + namer.name(for: record))
            do {
                try store.readRecordFile(id: record.id) { try writer.write($0) }
            } catch StoreError.checksumMismatch(let id) {
                throw PacketError.recordChecksumMismatch(recordID: id)
            }
            let file = try writer.finish()
            guard file.sha256 == stored.sha256, file.size == stored.size else {
                throw PacketError.recordChecksumMismatch(recordID: record.id)
            }
            files[record.id] = file
        }
        return files
    }

    private func writeText(_ text: String, _ name: String, in folder: String) throws -> WrittenFile {
        let writer = try PacketFileWriter(folder: folder, relativePath: name)
        try writer.write(text)
        return try writer.finish()
    }

    private static func makeFolder(_ path: String) throws {
        guard mkdir(path, 0o700) == 0 else { throw PacketError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        chmod(path, 0o700)
    }

    /// The zip's top folder: its name without `.zip`, in the characters record names use.
    static func zipFolderName(_ zipName: String) -> String {
        let stem = zipName.lowercased().hasSuffix(".zip") ? String(zipName.dropLast(4)) : zipName
        let reduced = RecordFileNamer.reduce(stem, limit: 80)
        return reduced.isEmpty ? "packet" : reduced
    }
}
