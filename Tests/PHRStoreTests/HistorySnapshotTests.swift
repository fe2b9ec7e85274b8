@testable import PHRStore
import XCTest

/// History snapshots are decoded by the store: the command line gets values and labels, never JSON.
final class HistorySnapshotTests: TemporaryStoreTestCase {
    func testAnEditsSnapshotHoldsTheOldRowByColumnAndIsLabelledWithItsName() throws {
        let store = try openStore()
        let (_, provider) = try store.addPatientAndProvider(provider: "Dr. Old Name")
        var edited = provider
        edited.name = "Dr. New Name"
        _ = try store.write("provider edit") { try store.updateProvider(edited) }
        let entry = try XCTUnwrap(try store.history(table: "providers").first { $0.operation == .update })
        let snapshot = entry.decodedSnapshot
        XCTAssertEqual(snapshot.values["id"], .integer(provider.id))
        XCTAssertEqual(snapshot.values["name"], .text("Dr. Old Name"))
        XCTAssertEqual(snapshot.text("id"), String(provider.id))
        XCTAssertEqual(snapshot.label(table: "providers"), "Dr. Old Name")
    }

    func testLinksAndSettingsAreLabelledByWhatTheyJoinOrSet() {
        XCTAssertEqual(HistorySnapshot(json: #"{"record_id":3,"diagnosis_id":1}"#).label(table: "record_diagnoses"),
                       "record 3 ↔ diagnosis 1")
        XCTAssertEqual(HistorySnapshot(json: #"{"key":"status.warn-days","value":"7"}"#).label(table: "settings"),
                       "status.warn-days")
        XCTAssertEqual(HistorySnapshot(json: #"{"id":2,"title":"","text":"Why?"}"#).label(table: "questions"), "Why?",
                       "an empty title is no label")
    }

    func testValuesKeepTheirKindAndASnapshotThatIsNotAnObjectHasNone() {
        let snapshot = HistorySnapshot(json: #"{"n":2,"r":2.5,"t":"x","z":null}"#)
        XCTAssertEqual(snapshot.values, ["n": .integer(2), "r": .real(2.5), "t": .text("x"), "z": .null])
        XCTAssertNil(snapshot.text("z"))
        XCTAssertEqual(HistorySnapshot(json: "not json").values, [:])
        XCTAssertEqual(HistorySnapshot(json: "[1, 2]").values, [:])
        XCTAssertNil(HistorySnapshot(json: "not json").label(table: "providers"))
    }
}
