import Foundation
@testable import PHRStore
@testable import PHRExchange
import XCTest

/// A JSON bundle is read entry by entry (`JSONBundleScanner`), never parsed whole: the same
/// resources, in the same order by type, as before.
final class BundleStreamingTests: ImportTestCase {
    private func text(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func testEntriesAreImportedInTypeOrderWhateverTheFileOrder() throws {
        // The condition comes first in the file; its patient is written with escapes in its type.
        let condition = try text(FHIR.condition("c1", subject: "Patient/p1"))
        let patient = try text(FHIR.patient("p1")).replacingOccurrences(of: #""Patient""#, with: #""Pati\u0065nt""#)
        let path = try writeText("bundle.json", """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"fullUrl": "http://example.org/fhir/Condition/c1", "resource": \(condition)},
              {"request": {"method": "DELETE", "url": "Patient/p9"}},
              {"fullUrl": "http://example.org/fhir/Patient/p1", "resource": \(patient)}
            ]}
            """)
        let report = try importing(path)
        XCTAssertEqual(report.totals.added, 2)
        XCTAssertEqual(try count("diagnoses"), 1)
        XCTAssertEqual(try store.database.scalar("SELECT patient_id FROM diagnoses", as: Int64?.self), try onlyPatient().id)
        // Read again entry by entry: nothing changes.
        XCTAssertEqual(try importing(path).totals.unchanged, 2)
    }

    /// An entry's content hash is written from its text (`SortedKeysJSONText`), the same hash as
    /// from its parsed value: the same resources in the same bundle written another way
    /// (pretty-printed, with escapes Foundation would not write) are unchanged when imported again.
    func testTheSameBundleWrittenAnotherWayIsUnchanged() throws {
        let patient = try text(FHIR.patient("p1"))
        let condition = try text(FHIR.condition("c1", subject: "Patient/p1"))
        let compact = #"{"resourceType":"Bundle","type":"collection","entry":[{"resource":\#(patient)},{"resource":\#(condition)}]}"#
        let path = try writeText("bundle.json", compact)
        XCTAssertEqual(try importing(path).totals.added, 2)
        let parsed = try JSONSerialization.jsonObject(with: Data(compact.utf8))
        let pretty = String(decoding: try JSONSerialization.data(withJSONObject: parsed, options: [.prettyPrinted]), as: UTF8.self)
            .replacingOccurrences(of: #""p1""#, with: #""\u0070\u0031""#)
        XCTAssertTrue(pretty.contains("\n") && pretty.contains(#"\u0070"#))
        XCTAssertEqual(try writeText("bundle.json", pretty), path)
        let again = try importing(path).totals
        XCTAssertEqual(again.unchanged, 2)
        XCTAssertEqual(again.added + again.updated, 0)
    }

    func testABadEntryIsNamedAndTheStoreIsUnchanged() throws {
        let patient = try text(FHIR.patient("p1"))
        try assertImportFails(try writeText("null.json", #"{"resourceType":"Bundle","entry":[{"resource":\#(patient)},null]}"#),
                              mentioning: ["null.json", "entry 1", "is null"])
        try assertImportFails(try writeText("number.json", #"{"resourceType":"Bundle","entry":[{"resource":\#(patient)},7]}"#),
                              mentioning: ["number.json", "Bundle.entry[1] must be a JSON object"])
        try assertImportFails(try writeText("cut.json", #"{"resourceType":"Bundle","entry":[{"resource":\#(patient)}"#),
                              mentioning: ["cut.json", "is not valid JSON"])
    }

    /// A bundle of many entries is read by `ResourceStream.entryReaders` threads in turns of
    /// `batchSize` entries: every resource is handed over once, in the file's order within its type,
    /// with the patient (last in the file) first.
    func testAManyTurnBundleIsHandedOverInOrder() throws {
        let conditions = 9 * ResourceStream.batchSize + 5
        var entries: [[String: Any]] = (0..<conditions).map {
            ["fullUrl": "http://example.org/fhir/Condition/c\($0)",
             "resource": FHIR.condition("c\($0)", subject: "Patient/p1", display: "Condition \($0)")]
        }
        entries.append(["fullUrl": "http://example.org/fhir/Patient/p1", "resource": FHIR.patient("p1")])
        let path = try writeText("many.json", try text(["resourceType": "Bundle", "type": "collection", "entry": entries]))
        XCTAssertEqual(try importing(path).totals.added, conditions + 1)
        let stored = try store.database.query("SELECT description FROM diagnoses ORDER BY id") { try $0.get(0, as: String.self) }
        XCTAssertEqual(stored, (0..<conditions).map { "Condition \($0)" })
        XCTAssertEqual(try importing(path).totals.unchanged, conditions + 1)
    }

    /// A bad entry in a later turn is named, and nothing of the bundle is kept, though the readers
    /// had read (and the import stored) the entries before it.
    func testABadEntryInALaterTurnIsNamedAndTheStoreIsUnchanged() throws {
        let bad = 6 * ResourceStream.batchSize + 3
        var entries: [[String: Any]] = [["resource": FHIR.patient("p1")]]
        for index in 1...(8 * ResourceStream.batchSize) {
            let onset: Any = index == bad ? 20260514 : "2026-05-14"
            entries.append(["resource": FHIR.condition("c\(index)", subject: "Patient/p1", extra: ["onsetDateTime": onset])])
        }
        try assertImportFails(try writeText("late.json", try text(["resourceType": "Bundle", "entry": entries])),
                              mentioning: ["late.json", "entry \(bad)", "onsetDateTime"])
    }
}
