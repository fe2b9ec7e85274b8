import Foundation
import PHRExchange
@testable import PHRStore
import XCTest

/// Importing again adds nothing; a changed resource updates its row and the history keeps the old
/// version; patients stay apart or match as they should.
final class ImportIdempotenceTests: ImportTestCase {
    private func caseBundle(conclusion: String = "Invasive ductal carcinoma.") throws -> String {
        try writeJSON("bundle.json", FHIR.bundle(base: "https://portal.invalid/fhir", [
            FHIR.patient("p1"),
            FHIR.organization("o1"),
            FHIR.practitioner("d1"),
            FHIR.role("r1", practitioner: "Practitioner/d1", organization: "Organization/o1", specialty: "Pathology"),
            FHIR.condition("c1", subject: "Patient/p1", asserter: "Practitioner/d1"),
            FHIR.encounter("e1", subject: "Patient/p1", practitioner: "Practitioner/d1"),
            FHIR.appointment("a1", patient: "Patient/p1", practitioner: "Practitioner/d1"),
            FHIR.impression("i1", subject: "Patient/p1", problem: "Condition/c1", assessor: "Practitioner/d1",
                            summary: conclusion),
            FHIR.document("doc1", subject: "Patient/p1", related: ["Condition/c1"]),
        ]))
    }

    func testImportingTheSameInputTwiceAddsNothing() throws {
        let input = try caseBundle()
        let first = try importing(input)
        XCTAssertEqual(first.totals.added, 8, "every resource but the role (which adds to its practitioner)")
        let before = try dump(excluding: ["changes", "sqlite_sequence"])
        let second = try importing(input)
        XCTAssertEqual(second.totals.added, 0)
        XCTAssertEqual(second.totals.updated, 0)
        XCTAssertEqual(second.totals.unchanged, 9)
        XCTAssertEqual(try dump(excluding: ["changes", "sqlite_sequence"]), before, "nothing but the change log was written")
    }

    func testSameDataAsNDJSONAfterABundleMatchesByIdentifierAndAddsNoPatient() throws {
        try importing(try writeJSON("bundle.json", FHIR.bundle(base: "https://portal.invalid/fhir", [
            FHIR.patient("p1", identifier: ("urn:oid:1.2.3.4", "MRN-0042")),
        ])))
        let report = try importing(try writeNDJSON("Patient.ndjson", [
            FHIR.patient("other-id", identifier: ("urn:oid:1.2.3.4", "MRN-0042")),
        ]))
        XCTAssertEqual(try count("patients"), 1)
        // Another place, so not unchanged: matched on its identifier, content agrees, merged.
        XCTAssertEqual(report.byType["Patient"]?.merged, 1)
        XCTAssertEqual(report.byType["Patient"]?.unchanged, 0)
    }

    func testAChangedResourceUpdatesItsRowAndTheHistoryKeepsTheOldVersion() throws {
        try importing(try caseBundle(conclusion: "Invasive ductal carcinoma."))
        let opinionID: Int64 = try XCTUnwrap(try store.database.scalar("SELECT id FROM opinions"))
        let report = try importing(try caseBundle(conclusion: "Invasive lobular carcinoma."))
        XCTAssertEqual(report.byType["ClinicalImpression"]?.updated, 1)
        XCTAssertEqual(report.totals.added, 0)
        XCTAssertEqual(try store.opinion(id: opinionID)?.conclusion, "Invasive lobular carcinoma.")
        let updates = try store.history(table: "opinions", rowID: opinionID).filter { $0.operation == .update }
        XCTAssertTrue(updates.contains { $0.snapshot.contains("Invasive ductal carcinoma.") && $0.changeSummary?.hasPrefix("import") == true },
                      "the update kept the previous version in the history")
        XCTAssertEqual(try count("opinions"), 1)
    }

    func testAChangedAttachmentGivesTheRecordTheNewFile() throws {
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.document("doc1", subject: "Patient/p1", bytes: Array("version one".utf8)),
        ]))
        let recordID: Int64 = try XCTUnwrap(try store.database.scalar("SELECT id FROM records"))
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.document("doc1", subject: "Patient/p1", bytes: Array("version two".utf8)),
        ]))
        var read: [UInt8] = []
        try store.readRecordFile(id: recordID) { read += $0 }
        XCTAssertEqual(String(decoding: read, as: UTF8.self), "version two")
        XCTAssertEqual(try count("records"), 1)
        XCTAssertEqual(try count("files"), 2, "the old contents stay for the history")
    }

    func testARemovedRowIsMadeAgainByTheNextImport() throws {
        let input = try writeNDJSON("data.ndjson", [FHIR.patient("p1"), FHIR.condition("c1", subject: "Patient/p1")])
        try importing(input)
        let diagnosisID: Int64 = try XCTUnwrap(try store.database.scalar("SELECT id FROM diagnoses"))
        try store.write("diagnosis remove") { try store.removeDiagnosis(id: diagnosisID) }
        let report = try importing(input)
        XCTAssertEqual(report.byType["Condition"]?.added, 1)
        XCTAssertEqual(try count("diagnoses"), 1)
    }

    func testSeveralPatientsStayApart() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1", family: "One", birthDate: "1950-01-01"),
            FHIR.patient("p2", family: "Two", birthDate: "1955-05-05"),
            FHIR.condition("c1", subject: "Patient/p1", code: "C50.911"),
            FHIR.condition("c2", subject: "Patient/p2", code: "C61"),
            FHIR.document("doc2", subject: "Patient/p2"),
        ])
        try importing(input)
        let patients = try store.patients()
        XCTAssertEqual(patients.map(\.name), ["Ada One", "Ada Two"])
        XCTAssertEqual(try store.diagnoses(patientID: patients[0].id).map(\.code), ["C50.911"])
        XCTAssertEqual(try store.diagnoses(patientID: patients[1].id).map(\.code), ["C61"])
        XCTAssertEqual(try store.records(patientID: patients[0].id).count, 0)
        XCTAssertEqual(try store.records(patientID: patients[1].id).count, 1)
    }

    func testAPatientMatchesOneTypedInByNameAndBirthDate() throws {
        let typed = try store.write("patient add") {
            try store.addPatient(Patient(name: "ada  EXAMPLE", birthDate: try PartialDate(parsing: "1961-03-02"),
                                         notes: "typed by hand"))
        }
        let report = try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1", family: "Example", given: "Ada", birthDate: "1961-03-02"),
            FHIR.condition("c1", subject: "Patient/p1"),
        ]))
        XCTAssertEqual(try count("patients"), 1)
        XCTAssertEqual(report.byType["Patient"]?.updated, 1, "the typed patient gains the sex it lacked")
        let patient = try XCTUnwrap(try store.patient(id: typed.id))
        XCTAssertEqual(patient.name, "ada  EXAMPLE", "what the patient typed is kept")
        XCTAssertEqual(patient.notes, "typed by hand")
        XCTAssertEqual(patient.sex, .female)
        XCTAssertEqual(try store.diagnoses(patientID: typed.id).count, 1)
    }

    func testForcedPatientReceivesTheInputsOnePatient() throws {
        let chosen = try store.write("patient add") { try store.addPatient(Patient(name: "Chosen Patient")) }
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1", family: "Portal Spelling"),
            FHIR.condition("c1", subject: "Patient/p1"),
        ]), patient: chosen.id)
        XCTAssertEqual(try count("patients"), 1)
        XCTAssertEqual(try store.patient(id: chosen.id)?.name, "Chosen Patient")
        XCTAssertEqual(try store.diagnoses(patientID: chosen.id).count, 1)
    }

    func testForcedPatientRefusesAnInputWithSeveralPatients() throws {
        let chosen = try store.write("patient add") { try store.addPatient(Patient(name: "Chosen Patient")) }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1", family: "One", birthDate: "1950-01-01"),
            FHIR.patient("p2", family: "Two", birthDate: "1955-05-05"),
        ])
        try assertImportFails(input, mentioning: ["--patient", "\(input):1", "\(input):2"], patient: chosen.id)
    }
}
