import Foundation
@testable import PHRStore
import XCTest

/// A test case whose every test gets a new folder of its own, removed again in `tearDown`, so
/// no two tests share a store and none leaves files behind.
class TemporaryStoreTestCase: XCTestCase {
    /// This test's folder; it exists from `setUp` until `tearDown`.
    private(set) var folder: URL!

    /// Where `openStore()` keeps the test's store.
    var storePath: String { path(of: "phr.sqlite") }

    func path(of name: String) -> String { folder.appendingPathComponent(name).path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("phr-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder, FileManager.default.fileExists(atPath: folder.path) {
            try FileManager.default.removeItem(at: folder)
        }
        folder = nil
        try super.tearDownWithError()
    }

    /// The test's health record store, created and migrated on first use.
    func openStore() throws -> HealthStore { try HealthStore(path: storePath) }

    /// A bare SQLite connection to a database of its own in the test's folder (no phr schema).
    func openConnection(_ name: String = "bare.sqlite") throws -> Connection {
        try Connection(path: path(of: name))
    }
}

// MARK: Small builders for the entity tests

func day(_ text: String) throws -> PartialDate {
    try PartialDate(parsing: text)
}

func moment(_ text: String) throws -> OffsetDateTime {
    try OffsetDateTime(parsing: text)
}

extension HealthStore {
    /// A patient and a provider, the least a diagnosis or an appointment needs.
    func addPatientAndProvider(patient: String = "Ada Example", provider: String = "Dr. First")
        throws -> (patient: Patient, provider: Provider)
    {
        try write("test") {
            (try addPatient(Patient(name: patient)), try addProvider(Provider(name: provider)))
        }
    }

    func count(_ table: String) throws -> Int {
        try database.scalar("SELECT count(*) FROM \(table)", as: Int?.self) ?? -1
    }
}
