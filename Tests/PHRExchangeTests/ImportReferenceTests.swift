import Foundation
import PHRExchange
@testable import PHRStore
import XCTest

/// Every reference style resolves, against the input and the store; what resolves to nothing is
/// kept and reported.
final class ImportReferenceTests: ImportTestCase {
    private func diagnosis() throws -> Diagnosis {
        try XCTUnwrap(try store.diagnoses(patientID: try onlyPatient().id).first)
    }

    func testRelativeReferencesResolveAgainstTheBundlesServerBase() throws {
        let base = "https://portal.invalid/fhir"
        let input = try writeJSON("bundle.json", FHIR.bundle(base: base, [
            FHIR.condition("c1", subject: "Patient/p1", asserter: "Practitioner/d1"),
            FHIR.patient("p1"),
            FHIR.practitioner("d1"),
        ]))
        let report = try importing(input)
        XCTAssertEqual(try diagnosis().providerID, try store.providers().first?.id)
        XCTAssertEqual(report.unresolvedCount, 0)
        let key: String? = try store.database.scalar(
            "SELECT source_key FROM import_sources WHERE resource_type = 'Patient' AND kind = 'resource'")
        XCTAssertEqual(key, "\(base)/Patient/p1", "a resource is known by its absolute fullUrl")
    }

    func testAbsoluteAndVersionedReferencesResolve() throws {
        let base = "https://portal.invalid/fhir"
        let input = try writeJSON("bundle.json", FHIR.bundle(base: base, [
            FHIR.patient("p1"),
            FHIR.practitioner("d1"),
            FHIR.condition("c1", subject: "\(base)/Patient/p1", asserter: "\(base)/Practitioner/d1/_history/3"),
        ]))
        try importing(input)
        XCTAssertNotNil(try diagnosis().providerID)
    }

    func testUrnUUIDReferencesResolveInATransactionBundle() throws {
        let patientURN = "urn:uuid:6f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f"
        let doctorURN = "urn:uuid:0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"
        var patient = FHIR.patient("ignored")
        patient.removeValue(forKey: "id")
        var doctor = FHIR.practitioner("ignored")
        doctor.removeValue(forKey: "id")
        var condition = FHIR.condition("ignored", subject: patientURN, asserter: doctorURN)
        condition.removeValue(forKey: "id")
        let input = try writeJSON("transaction.json", FHIR.bundle("transaction", [
            (nil as String?, ["resourceType": "Claim", "status": "active"]),
            ("urn:uuid:11111111-2222-4333-8444-555555555555", condition),
            (patientURN, patient),
            (doctorURN, doctor),
        ]))
        try importing(input)
        XCTAssertNotNil(try diagnosis().providerID)
        XCTAssertEqual(try onlyPatient().uuid, "6f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f",
                       "a row made from a urn:uuid resource keeps that UUID")
    }

    func testConditionalReferenceResolvesByIdentifier() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1", identifier: ("urn:oid:1.2.3.4", "MRN-0042")),
            FHIR.practitioner("d1", npi: "1234567893"),
            FHIR.condition("c1", subject: "Patient?identifier=urn:oid:1.2.3.4|MRN-0042",
                           asserter: "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1234567893"),
        ])
        let report = try importing(input)
        XCTAssertNotNil(try diagnosis().providerID)
        XCTAssertEqual(report.unresolvedCount, 0)
    }

    func testConditionalReferenceFindsAProviderTypedIntoTheStore() throws {
        let typed = try store.write("provider add") {
            try store.addProvider(Provider(name: "Dr. Typed By Hand", identifier: "1999999992"))
        }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.condition("c1", subject: "Patient/p1",
                           asserter: "Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|1999999992"),
        ])
        try importing(input)
        XCTAssertEqual(try diagnosis().providerID, typed.id)
    }

    func testReferencesResolveToWhatAnEarlierImportBrought() throws {
        try importing(try writeNDJSON("Patient.ndjson", [FHIR.patient("p1")]))
        try importing(try writeNDJSON("Condition.ndjson", [FHIR.condition("c1", subject: "Patient/p1")]))
        XCTAssertEqual(try count("patients"), 1)
        XCTAssertEqual(try diagnosis().code, "C50.912")
    }

    func testAReferenceToSomethingLaterInTheFileResolves() throws {
        let input = try writeNDJSON("mixed.ndjson", [
            FHIR.impression("i1", subject: "Patient/p1", problem: "Condition/c1", assessor: "Practitioner/d1"),
            FHIR.condition("c1", subject: "Patient/p1", asserter: "Practitioner/d1"),
            FHIR.practitioner("d1"),
            FHIR.patient("p1"),
        ])
        let report = try importing(input)
        XCTAssertEqual(report.totals.added, 4)
        XCTAssertEqual(try store.opinions(diagnosisID: try diagnosis().id).count, 1)
        XCTAssertNotNil(try diagnosis().providerID)
    }

    func testAReferenceToNothingIsKeptAsTextAndReported() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.condition("c1", subject: "Patient/p1", asserter: "Practitioner/missing"),
        ])
        let report = try importing(input)
        XCTAssertNil(try diagnosis().providerID)
        XCTAssertEqual(report.unresolvedCount, 1)
        XCTAssertEqual(report.unresolved.first?.reference, "asserter: Practitioner/missing")
        XCTAssertEqual(report.unresolved.first?.place, "\(input):2 (Condition/c1)")
        // An NDJSON file's resources live in its folder (what stands in for a server base).
        let origin = "file://" + URL(fileURLWithPath: input).deletingLastPathComponent().standardizedFileURL.path
        let kept: String? = try store.database.scalar(
            "SELECT unresolved FROM import_sources WHERE source_key = ?", [origin + "/Condition/c1"])
        XCTAssertEqual(kept, "asserter: Practitioner/missing")
    }

    func testAKeptReferenceResolvesWhenItsTargetArrivesLater() throws {
        try importing(try writeNDJSON("first.ndjson", [
            FHIR.patient("p1"),
            FHIR.condition("c1", subject: "Patient/p1", asserter: "Practitioner/d1"),
        ]))
        XCTAssertNil(try diagnosis().providerID)
        try importing(try writeNDJSON("second.ndjson", [
            FHIR.practitioner("d1"),
            FHIR.condition("c1", subject: "Patient/p1", asserter: "Practitioner/d1"),
        ]))
        XCTAssertNotNil(try diagnosis().providerID, "an unchanged resource with unresolved references is read again")
    }

    func testASubjectThatNamesNoPatientIsRefusedUnlessAPatientIsForced() throws {
        let input = try writeNDJSON("Condition.ndjson", [FHIR.condition("c1", subject: "Patient/elsewhere")])
        try assertImportFails(input, mentioning: ["\(input):1 (Condition/c1)", "subject", "--patient"])
        let patient = try store.write("patient add") { try store.addPatient(Patient(name: "Chosen Patient")) }
        try importing(input, patient: patient.id)
        XCTAssertEqual(try store.diagnoses(patientID: patient.id).count, 1)
    }
}
