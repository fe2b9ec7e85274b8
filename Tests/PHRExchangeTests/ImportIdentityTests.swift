import Foundation
import PHRExchange
import PHRStore
import XCTest

/// Issue 16: identity comes from where a resource lives (server base or file + type + id), then its
/// `urn:` fullUrl; identifiers are evidence. Nothing is dropped: resources of one input are never
/// merged on an identifier, a match across imports whose content disagrees is a conflict (both
/// kept, listed), and the summary's counts add up.
final class ImportIdentityTests: ImportTestCase {
    private static var sharedIdentifier: [[String: Any]] { [["system": "urn:ietf:rfc:3986", "value": "urn:oid:1.2.3"]] }

    /// A DocumentReference like the issue's: `text` is both its description and its attachment.
    private func letter(_ id: String, _ text: String, identifier: [[String: Any]]? = sharedIdentifier) -> [String: Any] {
        var resource: [String: Any] = [
            "resourceType": "DocumentReference", "id": id, "status": "current",
            "subject": ["reference": "Patient/p1"], "description": text,
            "content": [["attachment": ["contentType": "text/plain", "data": Data(text.utf8).base64EncodedString()]]],
        ]
        if let identifier { resource["identifier"] = identifier }
        return resource
    }

    private let ida: [String: Any] = ["resourceType": "Patient", "id": "p1", "name": [["family": "Test", "given": ["Ida"]]]]

    private func collection(_ name: String, _ resources: [[String: Any]]) throws -> String {
        try writeJSON(name, FHIR.bundle("collection", resources.map { (nil, $0) }))
    }

    private func recordTitles() throws -> [String] {
        try store.records(patientID: try onlyPatient().id).map(\.title).sorted()
    }

    // MARK: The issue's bundle

    func testDocumentsSharingAnIdentifierInOneBundleAreAllKept() throws {
        // The bundle of the issue, byte for byte in what it says.
        let report = try importing(try collection("issue.json", [ida, letter("doc1", "Letter 1"), letter("doc2", "Letter 2")]))
        XCTAssertEqual(try recordTitles(), ["Letter 1", "Letter 2"])
        XCTAssertEqual(report.byType["DocumentReference"]?.read, 2)
        XCTAssertEqual(report.byType["DocumentReference"]?.added, 2)
        XCTAssertEqual(report.totals.read, 3)
        XCTAssertEqual(report.totals.conflicts, 0, "two resources of one input are two things, not a conflict")
        let files = try store.records(patientID: try onlyPatient().id).compactMap { $0.file?.sha256 }
        XCTAssertEqual(Set(files).count, 2, "each letter keeps its own file")
    }

    func testWithoutTheIdentifiersTheSameBundleKeepsTheSameRecords() throws {
        try importing(try collection("plain.json", [ida, letter("doc1", "Letter 1", identifier: nil),
                                                    letter("doc2", "Letter 2", identifier: nil)]))
        XCTAssertEqual(try recordTitles(), ["Letter 1", "Letter 2"])
    }

    func testImportingTheIssuesBundleAgainChangesNothing() throws {
        let input = try collection("issue.json", [ida, letter("doc1", "Letter 1"), letter("doc2", "Letter 2")])
        try importing(input)
        let again = try importing(input)
        XCTAssertEqual(again.totals.unchanged, 3)
        XCTAssertEqual(again.totals.read, 3)
        XCTAssertEqual(try count("records"), 2)
    }

    func testSixDocumentsWithOneIdentifierAreSixRecords() throws {
        // As in HL7's US Core examples: six documents, different ids and content, one identifier.
        let letters = (1...6).map { letter("doc\($0)", "Document \($0)") }
        let report = try importing(try collection("uscore.json", [ida] + letters))
        XCTAssertEqual(try count("records"), 6)
        XCTAssertEqual(report.byType["DocumentReference"]?.added, 6)
        XCTAssertEqual(report.byType["DocumentReference"]?.unchanged, 0)
    }

    // MARK: Variants

    func testTheSameIdentifierAcrossTypesNeverJoinsThem() throws {
        var report_ = letter("rep1", "Report")
        report_["resourceType"] = "DiagnosticReport"
        report_["status"] = "final"
        report_["code"] = ["text": "Biopsy report"]
        report_["presentedForm"] = [["contentType": "text/plain", "data": Data("Biopsy".utf8).base64EncodedString()]]
        for key in ["description", "content"] { report_[key] = nil }
        var patient = ida
        patient["identifier"] = Self.sharedIdentifier
        var condition = FHIR.condition("c1", subject: "Patient/p1")
        condition["identifier"] = Self.sharedIdentifier
        let first = try importing(try collection("one.json", [patient, letter("doc1", "Letter 1"), report_, condition]))
        XCTAssertEqual(first.totals.added, 4)
        XCTAssertEqual(try recordTitles(), ["Biopsy report", "Letter 1"])
        XCTAssertEqual(try count("diagnoses"), 1)

        // A document from elsewhere without the identifier is one more record.
        let second = try importing(try collection("two.json", [ida, letter("doc9", "Letter 9", identifier: nil)]))
        XCTAssertEqual(second.byType["DocumentReference"]?.added, 1)
        XCTAssertEqual(try count("records"), 3)
    }

    func testAcrossImportsAnIdentifierMatchWhoseContentDisagreesIsAConflictAndBothAreKept() throws {
        try importing(try collection("first.json", [ida, letter("doc1", "Letter 1")]))
        let input = try collection("second.json", [ida, letter("doc2", "Letter 2")])
        let report = try importing(input)
        XCTAssertEqual(try recordTitles(), ["Letter 1", "Letter 2"], "both are kept")
        XCTAssertEqual(report.byType["DocumentReference"]?.conflicts, 1)
        XCTAssertEqual(report.byType["DocumentReference"]?.read, 1)
        let conflict = try XCTUnwrap(report.conflicts.first)
        XCTAssertTrue(conflict.place.contains("second.json entry 1 (DocumentReference/doc2)"), conflict.place)
        XCTAssertEqual(conflict.matchedBy, "identifier urn:ietf:rfc:3986|urn:oid:1.2.3")
        XCTAssertTrue(conflict.stored.hasPrefix("record "))
        XCTAssertNotEqual(conflict.stored, conflict.kept)
        let title = try XCTUnwrap(conflict.differences.first { $0.field == "title" })
        XCTAssertEqual(title.stored, "Letter 1")
        XCTAssertEqual(title.incoming, "Letter 2")
        XCTAssertTrue(conflict.differences.contains { $0.field == "file (SHA-256)" }, "the attachments differ too")

        // The conflicting resource is now known by its own place: importing it again changes nothing.
        let again = try importing(input)
        XCTAssertEqual(again.byType["DocumentReference"]?.unchanged, 1)
        XCTAssertEqual(again.totals.conflicts, 0)
        XCTAssertEqual(try count("records"), 2)
    }

    func testAcrossImportsAnIdentifierMatchThatAgreesIsMergedNotDuplicated() throws {
        try importing(try collection("first.json", [ida, letter("doc1", "Letter 1")]))
        // Another system's copy of the same letter: another id, the same identifier and content.
        let report = try importing(try collection("second.json", [ida, letter("copy-of-1", "Letter 1")]))
        XCTAssertEqual(try recordTitles(), ["Letter 1"])
        XCTAssertEqual(report.byType["DocumentReference"]?.merged, 1)
        XCTAssertEqual(report.byType["DocumentReference"]?.updated, 1)
        XCTAssertEqual(report.byType["DocumentReference"]?.unchanged, 0,
                       "unchanged is only for a content hash already stored for the resource's identity")
    }

    func testTheSameResourceReimportedWithANewIdentifierUpdatesItsRow() throws {
        try importing(try collection("portal.json", [ida, letter("doc1", "Letter 1", identifier: nil)]))
        let recordID = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first?.id)
        let report = try importing(try collection("portal.json", [ida, letter("doc1", "Letter 1")]))
        XCTAssertEqual(report.byType["DocumentReference"]?.updated, 0, "the same place, and its row already says it all")
        XCTAssertEqual(report.byType["DocumentReference"]?.unchanged, 1)
        XCTAssertEqual(try store.records(patientID: try onlyPatient().id).map(\.id), [recordID])

        // Then another letter of the same place takes the identifier the first one now has.
        let third = try importing(try collection("portal.json", [ida, letter("doc1", "Letter 1"), letter("doc2", "Letter 2")]))
        XCTAssertEqual(third.byType["DocumentReference"]?.added, 1)
        XCTAssertEqual(try recordTitles(), ["Letter 1", "Letter 2"])
    }

    func testAServerBaseChangeMatchesAgreeingResourcesAndKeepsDisagreeingOnesApart() throws {
        var patient = FHIR.patient("p1", identifier: ("urn:oid:1.2.3.4", "MRN-0042"))
        let doc = letter("doc1", "Letter 1")
        try importing(try writeJSON("old.json", FHIR.bundle(base: "https://old.invalid/fhir", [patient, doc])))
        let moved = try importing(try writeJSON("new.json", FHIR.bundle(base: "https://new.invalid/fhir", [patient, doc])))
        XCTAssertEqual(try count("patients"), 1)
        XCTAssertEqual(try count("records"), 1)
        XCTAssertEqual(moved.totals.merged, 2)
        XCTAssertEqual(moved.totals.added, 0)

        patient["birthDate"] = "1971-01-01"
        let changed = try importing(try writeJSON("newer.json", FHIR.bundle(base: "https://newer.invalid/fhir",
                                                                            [patient, letter("doc1", "Letter 1, revised")])))
        XCTAssertEqual(changed.totals.conflicts, 2)
        XCTAssertEqual(try count("patients"), 2)
        XCTAssertEqual(try count("records"), 2)
        let birth = try XCTUnwrap(changed.conflicts.first { $0.type == "Patient" }?.differences.first)
        XCTAssertEqual(birth.field, "birth date")
        XCTAssertEqual(birth.incoming, "1971-01-01")
    }

    func testPatientOneOfTwoFilesWithoutServerBaseAreTwoPatients() throws {
        try importing(try collection("clinic-a.json", [FHIR.patient("1", family: "Alpha", birthDate: "1950-01-01")]))
        let report = try importing(try collection("clinic-b.json", [FHIR.patient("1", family: "Beta", birthDate: "1980-02-02")]))
        XCTAssertEqual(try store.patients().map(\.name).sorted(), ["Ada Alpha", "Ada Beta"])
        XCTAssertEqual(report.byType["Patient"]?.conflicts, 1, "the same Type/id from elsewhere is evidence, and it disagrees")
    }

    func testAFileImportedAgainFromAnotherFolderAddsNothing() throws {
        let resources = [ida, letter("doc1", "Letter 1", identifier: nil)]
        try importing(try collection("downloads/portal.json", resources))
        let report = try importing(try collection("archive/portal.json", resources))
        XCTAssertEqual(report.totals.added, 0)
        XCTAssertEqual(report.totals.conflicts, 0)
        XCTAssertEqual(try count("records"), 1)
        XCTAssertEqual(try count("patients"), 1)
    }

    // MARK: Providers

    func testPractitionersSharingAnNPIInOneInputAreTwoProviders() throws {
        let report = try importing(try collection("staff.json", [FHIR.practitioner("d1", family: "First", npi: "1234567893"),
                                                                 FHIR.practitioner("d2", family: "Second", npi: "1234567893")]))
        XCTAssertEqual(try store.providers().map(\.name).sorted(), ["Dr. Grace First", "Dr. Grace Second"])
        XCTAssertEqual(report.byType["Practitioner"]?.added, 2)
    }

    func testAnNPIMatchWithADifferentNameIsAConflictAndBothAreKept() throws {
        try importing(try collection("a.json", [FHIR.practitioner("d1", family: "First", npi: "1234567893")]))
        let report = try importing(try collection("b.json", [FHIR.practitioner("x9", family: "Other", npi: "1234567893")]))
        XCTAssertEqual(try store.providers().count, 2)
        let conflict = try XCTUnwrap(report.conflicts.first)
        XCTAssertEqual(conflict.type, "Practitioner")
        XCTAssertTrue(conflict.matchedBy.contains("1234567893"), conflict.matchedBy)
        XCTAssertEqual(conflict.differences.map(\.field), ["name", "email"])

        // The same practitioner from a third system, with the same name: one provider, merged.
        let same = try importing(try collection("c.json", [FHIR.practitioner("zz", family: "First", npi: "1234567893",
                                                                              extra: ["telecom": []])]))
        XCTAssertEqual(same.byType["Practitioner"]?.merged, 1)
        XCTAssertEqual(try store.providers().count, 2)
    }

    // MARK: Incomplete resources

    func testAnEncounterWithoutAStartBecomesAnAppointmentWhoseTimeIsUnknown() throws {
        var encounter = FHIR.encounter("e1", subject: "Patient/p1", practitioner: nil)
        encounter["period"] = nil
        var appointment = FHIR.appointment("a1", patient: "Patient/p1", practitioner: "Practitioner/d1", minutes: nil,
                                           status: "proposed")
        appointment["start"] = nil
        let report = try importing(try collection("visits.json", [ida, FHIR.practitioner("d1"), encounter, appointment,
                                                                  FHIR.encounter("e2", subject: "Patient/p1", practitioner: "Practitioner/d1")]))
        XCTAssertEqual(report.byType["Encounter"]?.added, 2)
        XCTAssertEqual(report.byType["Appointment"]?.added, 1)
        XCTAssertEqual(report.appointmentsWithoutTime, 2)
        let appointments = try store.appointments(patientID: try onlyPatient().id)
        XCTAssertEqual(appointments.count, 3)
        XCTAssertEqual(appointments.map { $0.startsAt == nil }, [false, true, true], "time unknown comes last")
        XCTAssertEqual(appointments.last?.whenText, "date unknown")

        let again = try importing(try collection("visits.json", [ida, FHIR.practitioner("d1"), encounter, appointment,
                                                                 FHIR.encounter("e2", subject: "Patient/p1", practitioner: "Practitioner/d1")]))
        XCTAssertEqual(again.totals.unchanged, 5)
    }

    func testResourcesPhrMapsButCannotStoreAreEachListedWithTheReason() throws {
        var wrong = FHIR.condition("c9", subject: "Patient/p1", verification: "entered-in-error")
        wrong["id"] = "c9"
        let undated = FHIR.impression("i1", subject: "Patient/p1", problem: "Condition/c1", assessor: "Practitioner/d1")
            .merging(["date": NSNull()]) { $1 }
        let orphanRole = FHIR.role("r1", practitioner: "Practitioner/nobody", organization: nil, specialty: "Oncology")
        let report = try importing(try collection("mixed.json", [ida, FHIR.practitioner("d1"),
                                                                 FHIR.condition("c1", subject: "Patient/p1"),
                                                                 wrong, undated, orphanRole,
                                                                 ["resourceType": "Claim", "id": "o1", "status": "active"]]))
        XCTAssertEqual(report.notStoredCount, 3)
        let listed = Dictionary(uniqueKeysWithValues: report.notStored.map { ($0.place, $0.reason) })
        XCTAssertEqual(listed.first { $0.key.contains("(Condition/c9)") }?.value, "entered in error")
        XCTAssertEqual(listed.first { $0.key.contains("(ClinicalImpression/i1)") }?.value, "has no date")
        XCTAssertEqual(listed.first { $0.key.contains("(PractitionerRole/r1)") }?.value,
                       "names no practitioner or organization phr has")
        XCTAssertEqual(report.totals.skipped, 4, "three listed, and the Claim counted as a type phr does not import")
        XCTAssertEqual(report.totals.read, 7)
    }

    // MARK: Dry run and the audit

    func testADryRunShowsTheConflictsAndWritesNothing() throws {
        try importing(try collection("first.json", [ida, letter("doc1", "Letter 1")]))
        let before = try dump()
        let report = try importing(try collection("second.json", [ida, letter("doc2", "Letter 2")]), dryRun: true)
        XCTAssertTrue(report.dryRun)
        XCTAssertEqual(report.conflicts.count, 1)
        XCTAssertEqual(report.conflicts.first?.differences.first?.field, "title")
        XCTAssertEqual(try dump(), before)
    }

    func testCountsAddUpAcrossPassesAndFilesOfSkippedTypes() throws {
        // A bulk folder: a condition read before its patient (deferred), a Claim file that
        // also holds a Condition (read beside the import, then imported), a duplicate identifier.
        try writeNDJSON("bulk/Condition.000.ndjson", [FHIR.condition("c1", subject: "Patient/late"),
                                                      FHIR.condition("c2", subject: "Patient/late", verification: "entered-in-error")])
        try writeNDJSON("bulk/Claim.000.ndjson", [["resourceType": "Claim", "id": "o1", "status": "active"],
                                                        ["resourceType": "Claim", "id": "o2", "status": "active"],
                                                        FHIR.condition("c3", subject: "Patient/late", code: "C34.90")])
        try writeNDJSON("bulk/Patient.000.ndjson", [FHIR.patient("late")])
        try writeNDJSON("bulk/Practitioner.000.ndjson", [FHIR.practitioner("d1", npi: "1234567893"),
                                                         FHIR.practitioner("d2", family: "Other", npi: "1234567893")])
        let report = try importing(path("bulk"))
        XCTAssertEqual(report.byType["Condition"]?.read, 3)
        XCTAssertEqual(report.byType["Condition"]?.added, 2)
        XCTAssertEqual(report.byType["Condition"]?.skipped, 1)
        XCTAssertEqual(report.byType["Claim"]?.read, 2)
        XCTAssertEqual(report.byType["Practitioner"]?.added, 2)
        XCTAssertEqual(report.totals.read, 8)
        let again = try importing(path("bulk"))
        XCTAssertEqual(again.totals.read, 8)
        XCTAssertEqual(again.totals.unchanged, 5)
    }
}
