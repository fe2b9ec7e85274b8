import Foundation
import PHRStore
import XCTest
@testable import PHRExchange

/// The sharing log: every export is recorded, and "what has this doctor already seen?" has an answer.
final class SharingLogTests: PacketTestCase {
    func testExportIsLoggedWithRecipientDestinationAndRecords() throws {
        let report = try export("packet.zip", scope: ExportScope(patientID: sample.patient.id,
                                                                 diagnosisIDs: [sample.breastCancer.id],
                                                                 recipientID: sample.recipient.id))
        let log = try store.sharedPackets(patientID: sample.patient.id)
        XCTAssertEqual(log.count, 1)
        let entry = try XCTUnwrap(log.first)
        XCTAssertEqual(entry, report.logged)
        XCTAssertEqual(entry.providerID, sample.recipient.id)
        XCTAssertEqual(entry.recipientName, "Dr. Chloé Martin")
        XCTAssertEqual(entry.destination, path("packet.zip"))
        XCTAssertEqual(entry.format, .zip)
        XCTAssertTrue(entry.withFiles)
        XCTAssertEqual(entry.scope, "diagnosis \(sample.breastCancer.id)")
        XCTAssertEqual(entry.recordIDs, [sample.imaging.id, sample.pathology.id, sample.slides.id, sample.hostile.id])
        XCTAssertFalse(entry.exportedAt.isEmpty)
        XCTAssertEqual(entry.byteCount, report.byteCount)
    }

    func testRecordsSentToAProviderAreListedByTheRecordFilter() throws {
        try export("first", scope: ExportScope(patientID: sample.patient.id, diagnosisIDs: [sample.anaemia.id],
                                               recipientID: sample.recipient.id))
        try export("second", scope: ExportScope(patientID: sample.patient.id, since: try PartialDate(parsing: "2026-10-20"),
                                                recipientID: sample.recipient.id))
        try export("other", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.oncologist.id))
        let sent = try store.records(patientID: sample.patient.id, RecordFilter(sentToProviderID: sample.recipient.id))
        XCTAssertEqual(sent.map(\.id), [sample.bloodCount.id, sample.hostile.id])
        XCTAssertEqual(try store.sharedPackets(patientID: sample.patient.id, providerID: sample.recipient.id).count, 2)
        XCTAssertEqual(try store.sharedPackets(patientID: sample.patient.id).count, 3)
        XCTAssertEqual(try store.records(patientID: sample.patient.id, RecordFilter(sentToProviderID: sample.surgeon.id)), [])
    }

    func testUndoDoesNotRemoveTheTraceOfAnExport() throws {
        let added = try store.write("provider add") { try store.addProvider(Provider(name: "Dr. Late")) }
        try export("packet", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        let undone = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(undone.summary, "provider add", "undo skips the export (it has no history rows)")
        XCTAssertNil(try store.provider(id: added.id))
        XCTAssertEqual(try store.sharedPackets(patientID: sample.patient.id).count, 1)
    }

    func testLogKeepsTheRecipientsNameWhenTheProviderIsRemoved() throws {
        try export("packet", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        try store.write("remove") { try store.removeProvider(id: sample.recipient.id) }
        let entry = try XCTUnwrap(try store.sharedPackets(patientID: sample.patient.id).first)
        XCTAssertNil(entry.providerID)
        XCTAssertEqual(entry.recipientName, "Dr. Chloé Martin")
    }

    func testAPatientWithSentPacketsCannotBeRemovedSoTheLogIsNeverLost() throws {
        let newcomer = try store.write("patient add") { try store.addPatient(Patient(name: "Nobody Yet")) }
        try export("packet", scope: ExportScope(patientID: newcomer.id, recipientID: sample.recipient.id))
        XCTAssertThrowsError(try store.write("remove") { try store.removePatient(id: newcomer.id) }) { error in
            guard case StoreError.inUse = error else { return XCTFail("unexpected \(error)") }
        }
        XCTAssertNotNil(try store.patient(id: newcomer.id))
        XCTAssertEqual(try store.sharedPackets(patientID: newcomer.id).count, 1)
    }
}
