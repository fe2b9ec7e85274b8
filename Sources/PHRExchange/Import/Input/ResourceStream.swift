import Crypto
import Foundation
import PHRStore

/// Where a resource can be read again, for the second pass over resources whose references were
/// missing the first time.
struct ResourceLocation: Sendable {
    /// Index of the input file.
    let unit: Int
    /// NDJSON: the line's byte offset, length and number; `nil` in a JSON file.
    let line: (offset: Int64, length: Int, number: Int)?
    /// Bundle entries leading to the resource (in the file, or in the line); empty for the root.
    let entryPath: [Int]
    /// A streamed bundle's entry (`entryPath[0]`): its byte offset and length in the file.
    var entryBytes: (offset: Int64, length: Int)? = nil
}

/// One resource read from the input: its type, id, content, where it was read, and the SHA-256 of
/// its content (to tell a changed resource from one imported before).
struct IncomingResource {
    let type: String
    let id: String?
    /// The resource's JSON. Emptied once prepared: what the import needs has been read out.
    var body: FHIRObject
    /// `Bundle.entry.fullUrl`, when read from a bundle.
    let fullUrl: String?
    let contentHash: String
    let unit: InputUnit
    let location: ResourceLocation
    /// Filled by `ResourceMappers.prepare` for the types phr imports (on the parsing thread).
    var keys: SourceKeys?
    var prepared: (any PreparedResource)?
    /// An OperationOutcome's issues, for the summary (`OutcomeIssues`); read before `body` is emptied.
    var outcomeIssues: [(severity: ImportReport.ServerIssue.Severity, text: String)] = []

    var place: ImportPlace { body.place }

    /// Where the resource lives when its `fullUrl` does not say: the bundle file for a bundle's
    /// entries, else the folder of its file (`SourceKeys`).
    var origin: String {
        location.entryPath.isEmpty || unit.format == .ndjson ? unit.folderOrigin : unit.fileOrigin
    }
}

/// Reads the resources of the input files, in an order that suits the import.
///
/// Every resource of a type phr imports comes with its source keys and prepared fields
/// (`ResourceMappers.prepare`), made on the parsing thread for NDJSON.
///
/// Guarantees: an NDJSON file is read line by line (memory bounded by its longest line); a C-CDA
/// document's resources are handed over as its reading makes them, in the document's order; a JSON
/// file is parsed whole, and a bundle's entries are handed over sorted by `ResourceOrder` (stable);
/// bundles inside bundles or NDJSON lines are opened; entries without a resource (deletions) are
/// passed over. Every object handed over has a `resourceType` that FHIR R4 defines; anything else
/// (malformed JSON, a line that is not an object, a missing or unknown type) throws
/// `ImportError.badData` naming the file and line or entry.
final class ResourceStream {
    let units: [InputUnit]
    /// Where huge attachments go before parsing, and how huge text is refused.
    let spool: AttachmentSpool
    /// Bytes of input read so far (NDJSON lines and whole JSON files), for progress.
    private(set) var bytesRead: Int64 = 0
    private var readers: [Int: NDJSONReader] = [:]
    /// JSON files parsed again for the second pass, kept until it ends.
    private var parsedAgain: [Int: [String: Any]] = [:]
    /// What each C-CDA document read held (its bundle not kept), by unit index.
    private(set) var documents: [Int: CCDAConversion] = [:]
    /// True with `--patient`: a C-CDA document's patient is then not read as a Patient (every
    /// reference to it means the patient given).
    var forcedPatient = false
    /// The bundles read that are one page of a search (their `next` page is not in the input).
    let pagedBundles = PagedBundles()
    /// Work for the importing thread while it waits for the reading thread, a little at a time:
    /// returns false when it had none (the thread then sleeps until something is read).
    var whileWaiting: () throws -> Bool = { false }

    init(units: [InputUnit], spool: AttachmentSpool) {
        self.units = units
        self.spool = spool
    }

    /// Calls `body` with every resource of input file `unitIndex`.
    ///
    /// The file is read on a second thread (JSON or XML parsed, a C-CDA document converted, hashes
    /// and prepared fields made) while the calling thread imports what was read: reading costs
    /// about as much as storing, and the machine has two cores. A JSON or FHIR XML file is read
    /// whole before its first resource is handed over (a bundle's entries go in `ResourceOrder`); an
    /// NDJSON file line by line; a C-CDA document entry by entry, while its XML is read.
    func read(unit unitIndex: Int, _ body: (IncomingResource) throws -> Void) throws {
        let unit = units[unitIndex]
        switch unit.format {
        case .ccda:
            // Each entry is handed over as soon as the document's reading has made it, in the
            // document's order: what an entry refers to (the patient, a provider) comes before it.
            try readInParallel(body) { stream, emit in
                let place = ImportPlace(file: unit.name, position: .wholeFile)
                var index = 0
                try withoutActuallyEscaping(emit) { emit in
                    _ = try stream.convert(unit, index: unitIndex) { entry in
                        defer { index += 1 }
                        guard let resource = entry["resource"] as? [String: Any] else { return }
                        try stream.hand(resource, place: place.entry(index), fullUrl: entry["fullUrl"] as? String, hash: nil,
                                        unitIndex: unitIndex, line: nil, entryPath: [index]) { try emit($0, 0) }
                    }
                }
                try emit(nil, Int(clamping: unit.size))
            }
        case .json, .fhirXML:
            if unit.format == .json, let layout = try bundleLayout(unit) {
                if layout.hasNextPage {
                    pagedBundles.note(ImportPlace(file: unit.name, position: .wholeFile), total: layout.total)
                }
                try readEntriesInParallel(of: layout, unit: unit, unitIndex: unitIndex, body)
                bytesRead += Int64(clamping: unit.size)
                return
            }
            try readInParallel(body) { stream, emit in
                let root = try stream.parseFile(unit, index: unitIndex)
                let place = ImportPlace(file: unit.name, position: .wholeFile)
                try stream.hand(root, place: place, fullUrl: nil, hash: nil, unitIndex: unitIndex, line: nil,
                                entryPath: []) { try emit($0, 0) }
                try emit(nil, Int(clamping: unit.size))
            }
        case .ndjson:
            let reader = try reader(for: unitIndex)
            try readInParallel(body) { stream, emit in
                try reader.forEachLine { bytes, number, offset in
                    let place = ImportPlace(file: unit.name, position: .line(number))
                    let object = try ResourceStream.parseLine(bytes, place: place, spool: stream.spool)
                    let hash = ResourceOrder.isImported(object["resourceType"] as? String) ? ContentHash.sha256(bytes) : ""
                    try emit(nil, bytes.count + 1)
                    try stream.hand(object, place: place, fullUrl: nil, hash: hash, unitIndex: unitIndex,
                                    line: (offset, bytes.count, number), entryPath: []) { try emit($0, 0) }
                }
            }
        }
    }

    /// What the parsing thread hands over: resources read (with the bytes of input they came
    /// from), then possibly the error that stopped it.
    private struct Parsed: @unchecked Sendable {
        // A resource's JSON is not Sendable, but each one is made by the parsing thread and then
        // only ever used by the consumer: it changes hands, it is never shared.
        var resources: [IncomingResource] = []
        var bytes = 0
        var error: (any Error)?

        /// Calls `body` with each resource where it lies: a loop over the array would copy each
        /// one first (a retain and a release of each of its fields, on the thread that stores).
        func lend(_ body: (IncomingResource) throws -> Void) throws {
            for index in resources.indices { try body(resources[index]) }
        }
    }

    /// Resources handed over together, so the two threads meet once per batch, not per resource.
    static let batchSize = 64

    /// Runs `produce` on a second thread while the calling thread calls `body` with what it
    /// emits: resources (and the bytes of input read, for progress), in order; and `whileWaiting`
    /// when nothing emitted is waiting. At most 16 batches of 64 resources or 32 MiB of input wait
    /// in between. An error of `produce` is thrown here
    /// after the resources emitted before it.
    private func readInParallel(_ body: (IncomingResource) throws -> Void,
                                produce: @escaping (ResourceStream, _ emit: (IncomingResource?, Int) throws -> Void) throws -> Void) throws {
        let handOff = HandOff<Parsed>(capacity: 16, byteBudget: 32 << 20)
        let producer = Producer(stream: self, handOff: handOff, produce: produce)
        let done = NSCondition()
        nonisolated(unsafe) var finished = false
        let thread = Thread {
            producer.run()
            done.lock()
            finished = true
            done.broadcast()
            done.unlock()
        }
        thread.stackSize = 8 << 20
        thread.start()
        defer {
            handOff.cancel()
            done.lock()
            while !finished { done.wait() }
            done.unlock()
        }
        while let parsed = try handOff.take(whileEmpty: whileWaiting) {
            bytesRead += Int64(parsed.bytes)
            try parsed.lend(body)
            if let error = parsed.error { throw error }
            // Freed on the parsing thread: this one, which stores, is the import's bottleneck.
            handOff.giveBack(consume parsed)
        }
    }

    /// The reading thread's work: one file, handed over in order, in batches.
    private final class Producer: @unchecked Sendable {
        // Used by the reading thread alone while it runs: the stream's methods it calls read only
        // `units` and `forcedPatient`, which do not change during a read, and write `documents`,
        // which the calling thread reads only after the thread has finished; an NDJSON reader is
        // the calling thread's again only after the thread has finished.
        let stream: ResourceStream
        let handOff: HandOff<Parsed>
        let produce: (ResourceStream, (IncomingResource?, Int) throws -> Void) throws -> Void

        init(stream: ResourceStream, handOff: HandOff<Parsed>,
             produce: @escaping (ResourceStream, (IncomingResource?, Int) throws -> Void) throws -> Void) {
            self.stream = stream
            self.handOff = handOff
            self.produce = produce
        }

        struct Stopped: Error {}

        func run() {
            var batch = Parsed()
            func send() throws {
                guard handOff.put(batch, bytes: batch.bytes) else { throw Stopped() }
                batch = Parsed()
            }
            do {
                try produce(stream) { resource, bytes in
                    batch.bytes += bytes
                    if let resource {
                        batch.resources.append(resource)
                        if batch.resources.count == ResourceStream.batchSize { try send() }
                    }
                }
                if !batch.resources.isEmpty || batch.bytes > 0 { try send() }
            } catch is Stopped {
            } catch {
                batch.error = error
                _ = handOff.put(batch, bytes: batch.bytes)
            }
            handOff.finish()
            handOff.freeGivenBackUntilCancelled()
        }
    }

    /// Reads the one resource at `location` again and calls `body` with it.
    func read(_ location: ResourceLocation, _ body: (IncomingResource) throws -> Void) throws {
        let unit = units[location.unit]
        var root: [String: Any]
        var place: ImportPlace
        var hash: String?
        // The entries to follow from `root`, and their indexes as the resource's place names them.
        var path = location.entryPath
        var placeIndexes = location.entryPath
        if let line = location.line {
            let bytes = try reader(for: location.unit).readLine(at: line.offset, length: line.length)
            place = ImportPlace(file: unit.name, position: .line(line.number))
            root = try bytes.withUnsafeBytes { try Self.parseLine($0, place: place, spool: spool) }
            hash = bytes.withUnsafeBytes { ContentHash.sha256($0) }
        } else if let range = location.entryBytes, let first = location.entryPath.first {
            place = ImportPlace(file: unit.name, position: .wholeFile)
            let entry = try readEntry(from: try PositionalFile(path: unit.path), offset: range.offset, length: range.length,
                                      index: first, place: place).object
            root = ["resourceType": "Bundle", "entry": [entry]]
            path = [0] + location.entryPath.dropFirst()
            placeIndexes = location.entryPath
        } else {
            if let parsed = parsedAgain[location.unit] {
                root = parsed
            } else {
                root = try parseFile(unit, index: location.unit)
                parsedAgain[location.unit] = root
            }
            place = ImportPlace(file: unit.name, position: .wholeFile)
        }
        var fullUrl: String?
        for (index, placeIndex) in zip(path, placeIndexes) {
            guard let entries = root["entry"] as? [Any], index < entries.count,
                  let entry = entries[index] as? [String: Any], let resource = entry["resource"] as? [String: Any] else {
                throw ImportError.io(path: unit.path, reason: "the file changed while importing")
            }
            root = resource
            fullUrl = entry["fullUrl"] as? String
            place = place.entry(placeIndex)
            hash = nil
        }
        let type = try Self.resourceType(of: root, place: place)
        try body(try resource(root, type: type, place: place, fullUrl: fullUrl, hash: hash,
                              location: location))
    }

    /// Forgets what the second pass kept.
    func finishSecondPass() { parsedAgain.removeAll() }

    // MARK: Reading

    private func reader(for unitIndex: Int) throws -> NDJSONReader {
        if let reader = readers[unitIndex] { return reader }
        let reader = try NDJSONReader(path: units[unitIndex].path)
        readers[unitIndex] = reader
        return reader
    }

    /// The root object of a whole file: JSON parsed, FHIR XML read into the same objects, a C-CDA
    /// document converted into a Bundle (what it held is kept in `documents`, once).
    private func parseFile(_ unit: InputUnit, index: Int) throws -> [String: Any] {
        switch unit.format {
        case .fhirXML:
            return try FHIRXMLReader.read(path: unit.path, name: unit.name)
        case .ccda:
            return try convert(unit, index: index).bundle
        case .json, .ndjson:
            break
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: unit.path)) } catch {
            throw ImportError.noInput(path: unit.path, reason: "the file cannot be read")
        }
        let place = ImportPlace(file: unit.name, position: .wholeFile)
        let prepared = try data.withUnsafeBytes { try spool.prepare($0, place: place) }
        let parsed: Any
        do {
            parsed = try (prepared.map { Data($0) } ?? data).withUnsafeBytes { try JSONObjectParser.parse($0) }
        } catch {
            throw ImportError.badData(place, "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw ImportError.badData(place, "is not a JSON object; a FHIR file holds one Bundle or one resource")
        }
        return object
    }

    // MARK: Bundles read entry by entry

    /// The entries of a JSON file that is a Bundle with an `entry` array (`JSONBundleScanner`);
    /// `nil` for any other JSON file, which is parsed whole.
    private func bundleLayout(_ unit: InputUnit) throws -> JSONBundleScanner.Layout? {
        let layout: JSONBundleScanner.Layout
        do { layout = try JSONBundleScanner.scan(path: unit.path) } catch is JSONBundleScanner.Failure {
            throw ImportError.badData(ImportPlace(file: unit.name, position: .wholeFile), "is not valid JSON")
        }
        guard layout.rootType == "Bundle", layout.hasEntryArray else { return nil }
        return layout
    }

    /// Threads that read a bundle's entries.
    static let entryReaders = 2

    /// Hands over the resources of a bundle's entries, each read from its place in the file and
    /// parsed alone, in `ResourceOrder` (stable), as a bundle parsed whole hands them over. A null
    /// entry is refused before anything is handed over.
    ///
    /// `entryReaders` threads read the entries (parse, hash, prepare), in turns of `batchSize`
    /// entries, while the calling thread imports them in order: one thread read a bundle more
    /// slowly than the import stored it (a bundle's resources are hashed from their text written
    /// with sorted keys, which an NDJSON line's are not). An error is thrown after the resources
    /// of the entries before it.
    private func readEntriesInParallel(of layout: JSONBundleScanner.Layout, unit: InputUnit, unitIndex: Int,
                                       _ body: (IncomingResource) throws -> Void) throws {
        let place = ImportPlace(file: unit.name, position: .wholeFile)
        if let index = layout.entries.firstIndex(where: \.isNull) {
            throw ImportError.badData(place.entry(index), "is null; every entry of a Bundle is an object")
        }
        let file = try PositionalFile(path: unit.path)
        var ranked: [(rank: Int, index: Int)] = []
        ranked.reserveCapacity(layout.entries.count)
        for (index, entry) in layout.entries.enumerated() {
            var type = entry.resourceType
            if type == nil {
                // Written with escapes, or no resource at all: read to know.
                let object = try readEntry(from: file, offset: entry.offset, length: entry.length, index: index, place: place).object
                type = (object["resource"] as? [String: Any])?["resourceType"] as? String
            }
            ranked.append((type.map(ResourceOrder.rank(of:)) ?? ImportedTypes.all.count, index))
        }
        ranked.sort { ($0.rank, $0.index) < ($1.rank, $1.index) }
        let reading = EntryReading(stream: self, layout: layout, order: ranked.map(\.index), file: file,
                                   unitIndex: unitIndex, place: place)
        guard reading.turns > 0 else { return }
        let readers = min(Self.entryReaders, reading.turns)
        let handOffs = (0..<readers).map { _ in HandOff<Parsed>(capacity: 8, byteBudget: 16 << 20) }
        let finished = DispatchGroup()
        for reader in 0..<readers {
            finished.enter()
            let thread = Thread {
                reading.run(turns: stride(from: reader, to: reading.turns, by: readers), into: handOffs[reader])
                finished.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        defer {
            for handOff in handOffs { handOff.cancel() }
            finished.wait()
        }
        for turn in 0..<reading.turns {
            // A reader stops early only after handing over its error, thrown below first: never
            // end the bundle short without saying so (the import is then rolled back).
            guard let parsed = try handOffs[turn % readers].take(whileEmpty: whileWaiting) else {
                throw ImportError.io(path: unit.path, reason: "its entries stopped being read before the end")
            }
            try parsed.lend(body)
            if let error = parsed.error { throw error }
            handOffs[turn % readers].giveBack(consume parsed)
        }
    }

    /// One bundle's entries, read by several threads in turns of `batchSize` entries.
    private final class EntryReading: @unchecked Sendable {
        // The stream's methods the readers call read only what does not change during a read
        // (`units`, `forcedPatient`) and the spool, which is safe from any thread.
        let stream: ResourceStream
        let layout: JSONBundleScanner.Layout
        /// The entries' indexes in the order they are handed over.
        let order: [Int]
        let file: PositionalFile
        let unitIndex: Int
        let place: ImportPlace
        var turns: Int { (order.count + ResourceStream.batchSize - 1) / ResourceStream.batchSize }

        init(stream: ResourceStream, layout: JSONBundleScanner.Layout, order: [Int], file: PositionalFile, unitIndex: Int,
             place: ImportPlace) {
            self.stream = stream
            self.layout = layout
            self.order = order
            self.file = file
            self.unitIndex = unitIndex
            self.place = place
        }

        /// Reads the entries of `turns`, handing each turn's resources over as one batch (the
        /// first error ends the batch and the reading).
        func run(turns: StrideTo<Int>, into handOff: HandOff<Parsed>) {
            defer {
                handOff.finish()
                handOff.freeGivenBackUntilCancelled()
            }
            for turn in turns {
                var batch = Parsed()
                let start = turn * ResourceStream.batchSize
                do {
                    for index in order[start..<min(order.count, start + ResourceStream.batchSize)] {
                        let entry = layout.entries[index]
                        batch.bytes += entry.length
                        let read = try stream.readEntry(from: file, offset: entry.offset, length: entry.length, index: index, place: place)
                        let fields = FHIRObject(read.object, place: place, path: "Bundle.entry[\(index)]")
                        // An entry without a resource is a deletion or a search outcome: nothing to store.
                        guard let resource = try fields.object("resource") else { continue }
                        try stream.hand(resource.fields, place: place.entry(index), fullUrl: try fields.text("fullUrl"), hash: nil,
                                        unitIndex: unitIndex, line: nil, entryPath: [index],
                                        entryBytes: (entry.offset, entry.length), entryText: read.text) { batch.resources.append($0) }
                    }
                } catch {
                    batch.error = error
                }
                guard handOff.put(batch, bytes: batch.bytes), batch.error == nil else { return }
            }
        }
    }

    /// The bundle entry at `offset` in `file`, parsed (huge attachments spooled first), and its
    /// JSON text when that is what was parsed (no attachment was spooled).
    private func readEntry(from file: PositionalFile, offset: Int64, length: Int, index: Int,
                           place: ImportPlace) throws -> (object: [String: Any], text: [UInt8]?) {
        let bytes = try file.bytes(at: offset, length: length)
        let prepared = try bytes.withUnsafeBytes { try spool.prepare($0, place: place.entry(index)) }
        let parsed: Any
        do {
            parsed = try (prepared ?? bytes).withUnsafeBytes { try JSONObjectParser.parse($0, fragmentsAllowed: true) }
        } catch {
            throw ImportError.badData(place, "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw ImportError.badData(place, "Bundle.entry[\(index)] must be a JSON object")
        }
        return (object, prepared == nil ? bytes : nil)
    }

    /// A C-CDA document converted into a Bundle (with `each`, entries are handed to it and not
    /// kept: `CCDADocumentReader.convert`); what it held is kept in `documents`, once.
    private func convert(_ unit: InputUnit, index: Int,
                         each: (([String: Any]) throws -> Void)? = nil) throws -> CCDAConversion {
        let conversion = try CCDADocumentReader(path: unit.path, name: unit.name,
                                                fileName: (unit.path as NSString).lastPathComponent,
                                                includesPatient: !forcedPatient).convert(each: each)
        if documents[index] == nil {
            documents[index] = CCDAConversion(bundle: [:], patientKeys: conversion.patientKeys,
                                              sections: conversion.sections, unmapped: conversion.unmapped,
                                              entriesNotRead: conversion.entriesNotRead)
        }
        return conversion
    }

    static func parseLine(_ bytes: UnsafeRawBufferPointer, place: ImportPlace, spool: AttachmentSpool) throws -> [String: Any] {
        // The parser copies what it keeps, so the line's bytes need not be copied first.
        let prepared = try spool.prepare(bytes, place: place)
        let parsed: Any
        do {
            if let prepared {
                parsed = try prepared.withUnsafeBytes { try JSONObjectParser.parse($0) }
            } else {
                parsed = try JSONObjectParser.parse(bytes)
            }
        } catch {
            throw ImportError.badData(place, "is not valid JSON")
        }
        guard let object = parsed as? [String: Any] else {
            throw ImportError.badData(place, "is not a JSON object; each NDJSON line must be one FHIR resource")
        }
        return object
    }

    static func resourceType(of object: [String: Any], place: ImportPlace) throws -> String {
        guard let value = object["resourceType"] else {
            throw ImportError.badData(place, "has no resourceType; every FHIR resource names its type")
        }
        guard let type = value as? String, FHIRVocabulary.r4ResourceTypes.contains(type) else {
            let shown = (value as? String).map { "'\($0.prefix(40))'" } ?? "that is not a string"
            throw ImportError.badData(place, "has an unknown resourceType \(shown); phr reads FHIR R4 resources")
        }
        return type
    }

    /// Hands over `object` (a resource, or a bundle whose entries are handed over in order).
    func hand(_ object: [String: Any], place: ImportPlace, fullUrl: String?, hash: String?, unitIndex: Int,
                      line: (offset: Int64, length: Int, number: Int)?, entryPath: [Int],
                      entryBytes: (offset: Int64, length: Int)? = nil, entryText: [UInt8]? = nil,
                      _ body: (IncomingResource) throws -> Void) throws {
        let type = try Self.resourceType(of: object, place: place)
        guard type == "Bundle" else {
            try body(try resource(object, type: type, place: place, fullUrl: fullUrl, hash: hash,
                                  location: ResourceLocation(unit: unitIndex, line: line, entryPath: entryPath,
                                                             entryBytes: entryBytes),
                                  entryText: entryText))
            return
        }
        // A null entry is a damaged bundle (FHIR allows none), not an entry to pass over.
        if let raw = object["entry"] as? [Any], let index = raw.firstIndex(where: JSONKind.isNull) {
            throw ImportError.badData(place.entry(index), "is null; every entry of a Bundle is an object")
        }
        let bundle = FHIRObject(object, place: place, path: "Bundle")
        pagedBundles.noteIfPaged(bundle)
        let entries = try bundle.objects("entry")
        var ordered: [(rank: Int, index: Int, resource: [String: Any], fullUrl: String?)] = []
        for (index, entry) in entries.enumerated() {
            // An entry without a resource is a deletion or a search outcome: nothing to store.
            guard let resource = try entry.object("resource") else { continue }
            let type = try Self.resourceType(of: resource.fields, place: place.entry(index))
            ordered.append((ResourceOrder.rank(of: type), index, resource.fields, try entry.text("fullUrl")))
        }
        ordered.sort { ($0.rank, $0.index) < ($1.rank, $1.index) }
        for item in ordered {
            try hand(item.resource, place: place.entry(item.index), fullUrl: item.fullUrl, hash: nil,
                     unitIndex: unitIndex, line: line, entryPath: entryPath + [item.index], entryBytes: entryBytes, body)
        }
    }

    /// `entryText`: the JSON text of the bundle entry `object` is the `resource` of, when it is
    /// exactly what was parsed; the content hash is then written from it.
    private func resource(_ object: [String: Any], type: String, place: ImportPlace, fullUrl: String?, hash: String?,
                          location: ResourceLocation, entryText: [UInt8]? = nil) throws -> IncomingResource {
        var place = place
        let raw = FHIRObject(object, place: place, path: type)
        let id = try raw.text("id")
        place.resource = id.map { "\(type)/\($0)" } ?? type
        let contentHash: String
        if let hash {
            contentHash = hash
        } else {
            switch units[location.unit].format {
            case .json, .ndjson:
                if let hash = entryText?.withUnsafeBytes({ text in
                    SortedKeysJSONText.withBytes(ofMember: "resource", in: text) { ContentHash.sha256($0) }
                }) {
                    contentHash = hash
                } else {
                    contentHash = try ContentHash.sha256(canonical: object, place: place)
                }
            // Resources phr built from XML: hashed by phr's own canonical form, much faster.
            case .ccda, .fhirXML: contentHash = CanonicalHash.sha256(object)
            }
        }
        var resource = IncomingResource(type: type, id: id, body: FHIRObject(object, place: place, path: type),
                                        fullUrl: fullUrl, contentHash: contentHash, unit: units[location.unit], location: location)
        try ResourceMappers.prepare(&resource)
        if type == "OperationOutcome" { resource.outcomeIssues = OutcomeIssues.read(resource.body) }
        // Freed here, on the thread that parsed it: the JSON is thousands of small allocations,
        // and freeing them on the importing thread made the two threads contend in malloc.
        resource.body = FHIRObject([:], place: place, path: type)
        return resource
    }
}

/// SHA-256 of a resource's content, as lowercase hex.
enum ContentHash {
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The hash of a parsed resource, over its JSON with sorted keys as Foundation writes it (so
    /// key order does not matter); written by `SortedKeysJSON` when it can, which is much faster.
    static func sha256(canonical object: [String: Any], place: ImportPlace) throws -> String {
        if let bytes = SortedKeysJSON.bytes(of: object) { return bytes.withUnsafeBytes { sha256($0) } }
        let data: Data
        do { data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) } catch {
            throw ImportError.badData(place, "cannot be read as JSON")
        }
        return data.withUnsafeBytes { sha256($0) }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 { Hex.encode(digest) }
}
