import Foundation
import PHRExchange
import PHRStore
import XCTest

/// One import is one transaction: an error anywhere leaves the store as it was, and a dry run
/// reports without writing.
final class ImportAtomicityTests: ImportTestCase {
    private func goodResources() -> [[String: Any]] {
        [FHIR.patient("p1"), FHIR.practitioner("d1"), FHIR.condition("c1", subject: "Patient/p1"),
         FHIR.document("doc1", subject: "Patient/p1")]
    }

    func testAnErrorInTheLastEntryLeavesTheStoreUnchanged() throws {
        try importing(try writeNDJSON("earlier.ndjson", [FHIR.patient("p0", family: "Earlier")]))
        let bad = FHIR.condition("c9", subject: "Patient/p1", onset: "2026-02-30")
        let input = try writeJSON("bundle.json", FHIR.bundle("collection", (goodResources() + [bad]).map { (nil, $0) }))
        try assertImportFails(input, mentioning: ["\(input) entry 4 (Condition/c9)", "onsetDateTime", "not a real date"])
        XCTAssertEqual(try count("files"), 0, "the attachment decoded before the error is gone too")
    }

    func testAnErrorOnTheLastLineOfAnNDJSONFileLeavesTheStoreUnchanged() throws {
        var text = try goodResources().map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        text.append(#"{"resourceType": "Condition", "id": "broken""#)
        let input = try writeText("data.ndjson", text.joined(separator: "\n"))
        try assertImportFails(input, mentioning: ["\(input):5", "not valid JSON"])
    }

    func testADryRunReportsWhatItWouldDoAndWritesNothing() throws {
        let input = try writeNDJSON("data.ndjson", goodResources())
        let before = try dump()
        let report = try importing(input, dryRun: true)
        XCTAssertTrue(report.dryRun)
        XCTAssertEqual(report.totals.added, 4)
        XCTAssertEqual(try dump(), before)
        let real = try importing(input)
        XCTAssertEqual(real.totals.added, 4, "the dry run left nothing that would make the real import differ")
    }

    func testTheScratchFileForAttachmentsIsRemoved() throws {
        try importing(try writeNDJSON("data.ndjson", goodResources()))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".phr-import") }
        XCTAssertEqual(leftovers, [])
    }
}
