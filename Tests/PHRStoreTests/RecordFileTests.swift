import Foundation
@testable import PHRStore
import PHRTestSupport
import XCTest

/// Records and their files: stored inside the store, streamed, deduplicated, verified.
final class RecordFileTests: TemporaryStoreTestCase {
    private func makePatient(_ store: HealthStore) throws -> Patient {
        try store.write("test") { try store.addPatient(Patient(name: "Test Patient")) }
    }

    func testFileRoundTripsByteForByteWithItsSHA256() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let source = path(of: "report.txt")
        let text = "Pathology report\nER+ PR+ HER2-\n"
        try text.write(toFile: source, atomically: true, encoding: .utf8)
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, kind: .pathologyReport, title: "Biopsy"),
                                file: RecordFileSource(path: source))
        }
        let file = try XCTUnwrap(record.file)
        XCTAssertEqual(file.size, Int64(text.utf8.count))
        XCTAssertEqual(file.mediaType, "text/plain")
        XCTAssertEqual(file.originalName, "report.txt")
        let out = path(of: "out.txt")
        try store.writeRecordFile(id: record.id, to: out)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), text)
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    /// A file of several chunks, each hashed on a second thread while it is stored and written
    /// out (`BackgroundSHA256`): the same bytes and digest come back, and a changed chunk is caught.
    func testAFileOfSeveralChunksRoundTripsAndAChangedChunkIsCaught() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let bytes = (0..<(5 * FileStore.chunkSize / 2)).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ ($0 >> 12)) }
        let source = path(of: "scan.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Scan"), file: RecordFileSource(path: source))
        }
        XCTAssertEqual(record.file?.sha256, HashedBytes(bytes).sha256)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM file_chunks WHERE file_id = ?", [record.file?.id]), 3 as Int64)
        let out = path(of: "out.bin")
        try store.writeRecordFile(id: record.id, to: out)
        XCTAssertEqual(Array(try Data(contentsOf: URL(fileURLWithPath: out))), bytes)

        var changed = Array(bytes[FileStore.chunkSize ..< 2 * FileStore.chunkSize])
        changed[12_345] ^= 1
        try store.database.run("UPDATE file_chunks SET data = ? WHERE file_id = ? AND seq = 1", [changed, record.file?.id])
        let again = path(of: "again.bin")
        XCTAssertThrowsError(try store.writeRecordFile(id: record.id, to: again)) { error in
            guard case StoreError.checksumMismatch = error else { return XCTFail("unexpected \(error)") }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: again))
    }

    /// Storing a chunk reads back none of the chunks stored before it. Chunks are rows of a rowid
    /// table (migration 21); in the WITHOUT ROWID table before it, SQLite compared each new chunk
    /// with the chunks it passed on its way down the b-tree by reading them whole, so storing a
    /// file read several times its size back from the write-ahead log.
    func testStoringAChunkReadsNoneOfTheChunksStoredBeforeIt() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        var random = SeededGenerator(seed: 21)
        let bytes = (0 ..< FileStore.chunkSize * 8).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
        let source = path(of: "scan.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        let pagesReadBefore = store.database.pagesRead
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Scan"), file: RecordFileSource(path: source))
        }
        let pagesOfOneChunk = Int64(FileStore.chunkSize / Connection.newDatabasePageSize)
        // The few pages read are the store's own (its schema, the tables a record goes into).
        XCTAssertLessThan(store.database.pagesRead - pagesReadBefore, pagesOfOneChunk,
                          "8 chunks stored; pages read, where a chunk is \(pagesOfOneChunk) pages")
        var read: [UInt8] = []
        try store.readRecordFile(id: record.id) { read.append(contentsOf: $0) }
        XCTAssertEqual(read, bytes)
    }

    func testSHA256MatchesSha256sum() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let source = path(of: "a.bin")
        try Data("abc".utf8).write(to: URL(fileURLWithPath: source))
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "abc"), file: RecordFileSource(path: source))
        }
        // FIPS 180-2 test vector for "abc".
        XCTAssertEqual(record.file?.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testIdenticalFileAddedTwiceIsStoredOnce() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let first = path(of: "one.pdf"), second = path(of: "two.pdf")
        try Data("%PDF-1.4 same bytes".utf8).write(to: URL(fileURLWithPath: first))
        try Data("%PDF-1.4 same bytes".utf8).write(to: URL(fileURLWithPath: second))
        let (a, b) = try store.write("test") {
            (try store.addRecord(Record(patientID: patient.id, title: "A"), file: RecordFileSource(path: first)),
             try store.addRecord(Record(patientID: patient.id, title: "B"), file: RecordFileSource(path: second)))
        }
        XCTAssertEqual(a.file?.id, b.file?.id)
        XCTAssertEqual(a.file?.mediaType, "application/pdf")
        XCTAssertEqual(b.file?.originalName, "two.pdf")
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM files", as: Int?.self), 1)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM file_chunks", as: Int?.self), 1)
    }

    /// A file whose contents are already stored is found by its digest once streamed in; the copy
    /// written meanwhile is rolled back, not deleted page by page: the store is no larger and has
    /// no free pages afterwards, and the first copy still reads back.
    func testAFileStreamedInAgainLeavesNoPagesBehind() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        var random = SeededGenerator(seed: 11)
        let bytes = (0 ..< FileStore.chunkSize * 3 + 77).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
        let first = path(of: "scan.bin"), again = path(of: "scan-copy.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: first))
        try Data(bytes).write(to: URL(fileURLWithPath: again))
        let original = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Scan"), file: RecordFileSource(path: first))
        }
        let pagesBefore = try XCTUnwrap(store.database.scalar("PRAGMA page_count", as: Int64?.self))
        let copy = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Same scan"), file: RecordFileSource(path: again))
        }
        XCTAssertEqual(copy.file?.id, original.file?.id)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM files", as: Int?.self), 1)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM file_chunks", as: Int?.self), 4)
        XCTAssertEqual(try store.database.scalar("PRAGMA freelist_count", as: Int64?.self), 0,
                       "the copy's pages were rolled back, not freed")
        let pagesAfter = try XCTUnwrap(store.database.scalar("PRAGMA page_count", as: Int64?.self))
        XCTAssertLessThanOrEqual(pagesAfter - pagesBefore, 2, "only the new record's row, not a second copy's pages")
        var read: [UInt8] = []
        try store.readRecordFile(id: copy.id) { read.append(contentsOf: $0) }
        XCTAssertEqual(read, bytes)
    }

    /// A file of a size already stored is hashed before anything is written: when its contents
    /// are stored, nothing is (no row changes); when they are not, it is streamed in whole from its
    /// start, as its own file.
    func testAFileOfAStoredSizeIsHashedFirstAndSharedWithoutAWrite() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        var random = SeededGenerator(seed: 13)
        let bytes = (0 ..< FileStore.chunkSize * 2 + 5).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
        var other = bytes
        other[FileStore.chunkSize + 1] ^= 0xFF
        let first = path(of: "scan.bin"), again = path(of: "again.bin"), different = path(of: "different.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: first))
        try Data(bytes).write(to: URL(fileURLWithPath: again))
        try Data(other).write(to: URL(fileURLWithPath: different))
        let original = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Scan"), file: RecordFileSource(path: first))
        }
        let files = FileStore(database: store.database)
        let (shared, rowsChanged) = try store.write("test") { () throws -> (StoredFile, Int64?) in
            let before = try store.database.scalar("SELECT total_changes()", as: Int64?.self)
            let shared = try files.store(path: again)
            let after = try store.database.scalar("SELECT total_changes()", as: Int64?.self)
            return (shared, after.flatMap { a in before.map { a - $0 } })
        }
        XCTAssertEqual(shared, original.file.map { StoredFile(id: $0.id, sha256: $0.sha256, size: $0.size) })
        XCTAssertEqual(rowsChanged, 0, "no row was written, not even one rolled back")
        let own = try store.write("test") { try files.store(path: different) }
        XCTAssertNotEqual(own.id, shared.id)
        XCTAssertEqual(own.size, Int64(other.count))
        var read: [UInt8] = []
        XCTAssertTrue(try store.read { try files.read(own) { read.append(contentsOf: $0) } })
        XCTAssertTrue(read == other, "hashed first, then streamed from its start (\(read.count) bytes read back)")
    }

    /// A file is written twice (the log, then the store), so it needs twice its size free, and a
    /// margin; the refusal says how much is needed and free. Unknown free space refuses nothing.
    func testAFileTheDiskCannotTakeTwiceIsRefusedSayingHowMuchIsNeeded() throws {
        let size: Int64 = 200_000_000
        XCTAssertThrowsError(try FileStore.requireRoom(forFileOf: size, path: "scan.dcm", free: 300_000_000)) { error in
            guard case StoreError.noRoom(let path, let needed, let free) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "scan.dcm")
            XCTAssertEqual(needed, 2 * size + FileStore.roomMargin)
            XCTAssertEqual(free, 300_000_000)
            XCTAssertEqual("\(error)", "not enough free space to store scan.dcm: it needs about 417 MB on the store's disk (a file is written twice, into the store's log and then into the store) and 300 MB are free; nothing was changed: free some space and try again")
        }
        XCTAssertThrowsError(try FileStore.requireRoom(forFileOf: size, path: "scan.dcm", free: 2 * size + FileStore.roomMargin - 1))
        XCTAssertNoThrow(try FileStore.requireRoom(forFileOf: size, path: "scan.dcm", free: 2 * size + FileStore.roomMargin))
        XCTAssertNoThrow(try FileStore.requireRoom(forFileOf: size, path: "scan.dcm", free: nil))
    }

    func testFreeSpaceIsReadFromTheStoresDisk() throws {
        let store = try openStore()
        let free = try XCTUnwrap(FileStore.freeBytes(onDiskOf: store.database.path))
        XCTAssertGreaterThan(free, 0)
        XCTAssertNil(FileStore.freeBytes(onDiskOf: path(of: "no-such-folder/phr.sqlite")))
    }

    func testContentsInMemoryAreStoredInChunksAndReadBackWhole() throws {
        // Over two chunks, written straight from memory: the same bytes, digest and chunks as the
        // same contents streamed from a file.
        let store = try openStore()
        let patient = try makePatient(store)
        var random = SeededGenerator(seed: 7)
        let bytes = (0 ..< FileStore.chunkSize * 2 + 123).map { _ in UInt8.random(in: 0 ... 255, using: &random) }
        let contents = HashedBytes(bytes)
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Scan"),
                                contents: .hashed(contents, originalName: "scan.bin", mediaType: "application/octet-stream"))
        }
        XCTAssertEqual(record.file?.sha256, contents.sha256)
        XCTAssertEqual(record.file?.size, Int64(bytes.count))
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM file_chunks", as: Int?.self), 3)
        var read: [UInt8] = []
        try store.readRecordFile(id: record.id) { read.append(contentsOf: $0) }
        XCTAssertEqual(read, bytes)
        let source = path(of: "scan.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: source))
        let streamed = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Same scan"), file: RecordFileSource(path: source))
        }
        XCTAssertEqual(streamed.file?.id, record.file?.id, "the streamed copy is found by the digest worked out in memory")
    }

    func testContentsInMemoryAlreadyStoredWriteNothing() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let note = HashedBytes(Array("Consult note: ER+ PR+\n".utf8))
        // FIPS 180-2 test vector for "abc".
        XCTAssertEqual(HashedBytes(Array("abc".utf8)).sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let first = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Note"),
                                contents: .hashed(note, originalName: "note.txt", mediaType: "text/plain"))
        }
        let chunksBefore = try store.database.scalar("SELECT count(*) FROM file_chunks", as: Int?.self)
        let second = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Note again"),
                                contents: .hashed(note, originalName: "copy.txt", mediaType: "text/plain"))
        }
        XCTAssertEqual(second.file?.id, first.file?.id)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM files", as: Int?.self), 1)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM file_chunks", as: Int?.self), chunksBefore)
        // Its text, taken from memory, is searchable, and under both records.
        XCTAssertEqual(try store.database.scalar("SELECT text FROM file_texts", as: String?.self), "Consult note: ER+ PR+\n")
        XCTAssertEqual(Set(try store.search(patientID: patient.id, SearchQuery("consult")).map(\.itemID)), [first.id, second.id])
    }

    func testEmptyFileIsStoredAndReadBack() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let source = path(of: "empty.txt")
        XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: Data()))
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Empty"), file: RecordFileSource(path: source))
        }
        XCTAssertEqual(record.file?.size, 0)
        XCTAssertEqual(record.file?.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var total = 0
        try store.readRecordFile(id: record.id) { total += $0.count }
        XCTAssertEqual(total, 0)
    }

    func testCorruptedChunkIsDetectedAndNothingIsWritten() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let source = path(of: "report.txt")
        try Data("original bytes".utf8).write(to: URL(fileURLWithPath: source))
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, title: "Report"), file: RecordFileSource(path: source))
        }
        try store.database.run("UPDATE file_chunks SET data = ? WHERE file_id = ?", [Array("tampered bytes".utf8), record.file?.id])
        let out = path(of: "out.txt")
        XCTAssertThrowsError(try store.writeRecordFile(id: record.id, to: out)) { error in
            guard case StoreError.checksumMismatch(let id) = error else { return XCTFail("unexpected \(error)") }
            XCTAssertEqual(id, record.id)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".phr-tmp") }
        XCTAssertEqual(leftovers, [])
    }

    func testMissingFileAndFolderAreRefusedAndStoreUnchanged() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        for bad in [path(of: "does-not-exist.pdf"), folder.path] {
            XCTAssertThrowsError(try store.write("test") {
                try store.addRecord(Record(patientID: patient.id, title: "X"), file: RecordFileSource(path: bad))
            }) { error in
                guard case StoreError.unreadableFile = error else { return XCTFail("unexpected \(error)") }
            }
        }
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM records", as: Int?.self), 0)
        XCTAssertEqual(try store.database.scalar("SELECT count(*) FROM files", as: Int?.self), 0)
    }

    func testRecordWithoutFileHasNoBytesToRead() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let record = try store.write("test") {
            try store.addRecord(Record(patientID: patient.id, kind: .pathologySlides, title: "Slides held by lab"))
        }
        XCTAssertNil(record.file)
        XCTAssertThrowsError(try store.readRecordFile(id: record.id) { _ in }) { error in
            guard case StoreError.recordHasNoFile = error else { return XCTFail("unexpected \(error)") }
        }
    }

    func testRecordsAreListedByDateAndFilteredByDiagnosisKindAndPeriod() throws {
        let store = try openStore()
        let patient = try makePatient(store)
        let (diagnosis, _) = try store.write("test") { () throws -> (Diagnosis, Void) in
            let d = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Carcinoma"))
            try store.addRecord(Record(patientID: patient.id, kind: .labResult, title: "Labs", recordedOn: PartialDate(parsing: "2026-11-02")))
            try store.addRecord(Record(patientID: patient.id, kind: .pathologyReport, title: "Path", recordedOn: PartialDate(parsing: "2026-10"),
                                       diagnosisIDs: [d.id]))
            try store.addRecord(Record(patientID: patient.id, kind: .letter, title: "Undated"))
            return (d, ())
        }
        XCTAssertEqual(try store.records(patientID: patient.id).map(\.title), ["Path", "Labs", "Undated"])
        XCTAssertEqual(try store.records(patientID: patient.id, RecordFilter(diagnosisID: diagnosis.id)).map(\.title), ["Path"])
        XCTAssertEqual(try store.records(patientID: patient.id, RecordFilter(kinds: [.labResult])).map(\.title), ["Labs"])
        XCTAssertEqual(try store.records(patientID: patient.id, RecordFilter(until: PartialDate(parsing: "2026-10"))).map(\.title), ["Path"])
        XCTAssertEqual(try store.records(patientID: patient.id, RecordFilter(since: PartialDate(parsing: "2026-11"))).map(\.title), ["Labs"])
    }

    func testMediaTypeIsGuessedFromContentThenName() {
        XCTAssertEqual(MediaType.guess(head: Array("%PDF-1.7".utf8), name: "scan.bin"), "application/pdf")
        XCTAssertEqual(MediaType.guess(head: [0xFF, 0xD8, 0xFF, 0xE0], name: "x"), "image/jpeg")
        XCTAssertEqual(MediaType.guess(head: Array(repeating: 0, count: 128) + Array("DICM".utf8), name: "IM0001"), "application/dicom")
        XCTAssertEqual(MediaType.guess(head: Array("hello".utf8), name: "notes.TXT"), "text/plain")
        XCTAssertEqual(MediaType.guess(head: [1, 2, 3], name: "blob"), "application/octet-stream")
    }
}
