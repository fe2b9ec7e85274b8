import Crypto
import Foundation
import PHRExchange
import PHRStore
import XCTest

/// Each resource type phr imports lands in its table with each field it maps.
final class ImportMappingTests: ImportTestCase {
    func testPatientKeepsOfficialNameBirthDateAndSex() throws {
        let input = try writeNDJSON("Patient.ndjson", [
            FHIR.patient("p1", family: "Rossi", given: "Maria", birthDate: "1968-04", gender: "female",
                         extra: ["name": [["use": "nickname", "text": "Mia"],
                                          ["use": "official", "family": "Rossi", "given": ["Maria", "Luisa"]]]]),
        ])
        let report = try importing(input)
        let patient = try onlyPatient()
        XCTAssertEqual(patient.name, "Maria Luisa Rossi")
        XCTAssertEqual(patient.birthDate, try PartialDate(parsing: "1968-04"))
        XCTAssertEqual(patient.sex, .female)
        XCTAssertEqual(report.byType["Patient"]?.added, 1)
    }

    func testPractitionerRoleGivesItsPractitionerSpecialtyAndOrganization() throws {
        let input = try writeNDJSON("mixed.ndjson", [
            FHIR.organization("o1", name: "Example Cancer Centre"),
            FHIR.practitioner("d1", family: "Weber", given: "Anna", npi: "1234567893"),
            FHIR.role("r1", practitioner: "Practitioner/d1", organization: "Organization/o1", specialty: "Medical oncology"),
        ])
        let report = try importing(input)
        let providers = try store.providers()
        XCTAssertEqual(providers.count, 2, "the role adds to its practitioner, it is not a provider of its own")
        let doctor = try XCTUnwrap(providers.first { $0.kind == .person })
        XCTAssertEqual(doctor.name, "Dr. Anna Weber")
        XCTAssertEqual(doctor.identifier, "1234567893")
        XCTAssertEqual(doctor.phone, "555-0100")
        XCTAssertEqual(doctor.email, "d1@clinic.invalid")
        XCTAssertEqual(doctor.specialty, "Medical oncology")
        XCTAssertEqual(doctor.organization, "Example Cancer Centre")
        let centre = try XCTUnwrap(providers.first { $0.kind == .organization })
        XCTAssertEqual(centre.name, "Example Cancer Centre")
        XCTAssertEqual(centre.address, "1 Example Way, Springfield, US")
        XCTAssertEqual(report.byType["PractitionerRole"]?.updated, 1)
    }

    /// A phone or e-mail written as a URI (`tel:+6478539191`, as an IPS example does) is kept
    /// without its scheme.
    func testAContactWrittenAsAURIIsKeptWithoutItsScheme() throws {
        let input = try writeNDJSON("doctor.ndjson", [
            FHIR.practitioner("d1", extra: ["telecom": [["system": "phone", "value": "tel:+6478539191"],
                                                        ["system": "email", "value": "MAILTO:kildare@clinic.invalid"]]]),
        ])
        try importing(input)
        let doctor = try XCTUnwrap(try store.providers().first)
        XCTAssertEqual(doctor.phone, "+6478539191")
        XCTAssertEqual(doctor.email, "kildare@clinic.invalid")
    }

    func testConditionKeepsCodeSystemDateStageStatusAndAsserter() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.practitioner("d1"),
            FHIR.condition("c1", subject: "Patient/p1", text: "Left breast cancer", onset: "2026-05-14T11:00:00+02:00",
                           stage: "IIA", asserter: "Practitioner/d1",
                           extra: ["note": [["text": "Found at screening."]]]),
        ])
        try importing(input)
        let diagnosis = try XCTUnwrap(try store.diagnoses(patientID: try onlyPatient().id).first)
        XCTAssertEqual(diagnosis.description, "Left breast cancer")
        XCTAssertEqual(diagnosis.code, "C50.912")
        XCTAssertEqual(diagnosis.codeSystem, .icd10cm)
        XCTAssertEqual(diagnosis.diagnosedOn, try PartialDate(parsing: "2026-05-14"), "the date as written, not converted")
        XCTAssertEqual(diagnosis.stage, "IIA")
        XCTAssertEqual(diagnosis.status, .confirmed)
        XCTAssertEqual(diagnosis.sourceNotes, "Found at screening.")
        XCTAssertEqual(try store.provider(id: try XCTUnwrap(diagnosis.providerID))?.name, "Dr. Grace First")
    }

    func testConditionStatusesMapFromVerificationAndClinicalStatus() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.condition("refuted", subject: "Patient/p1", code: "C34.1", verification: "refuted"),
            FHIR.condition("resolved", subject: "Patient/p1", code: "C34.2", clinical: "resolved"),
            FHIR.condition("suspected", subject: "Patient/p1", code: "C34.3", verification: "provisional"),
            FHIR.condition("snomed", subject: "Patient/p1", code: "254837009", system: "http://snomed.info/sct",
                           display: "Breast cancer"),
            FHIR.condition("error", subject: "Patient/p1", code: "C34.9", verification: "entered-in-error"),
        ])
        let report = try importing(input)
        let byCode = Dictionary(uniqueKeysWithValues: try store.diagnoses(patientID: try onlyPatient().id).map { ($0.code ?? "", $0) })
        XCTAssertEqual(byCode["C34.1"]?.status, .refuted)
        XCTAssertEqual(byCode["C34.2"]?.status, .resolved)
        XCTAssertEqual(byCode["C34.3"]?.status, .suspected)
        XCTAssertEqual(byCode["254837009"]?.codeSystem, .snomedCT)
        XCTAssertEqual(byCode["254837009"]?.description, "Breast cancer")
        XCTAssertNil(byCode["C34.9"], "a condition entered in error is not imported")
        XCTAssertEqual(report.byType["Condition"]?.skipped, 1)
    }

    func testConditionInAnotherCodeSystemKeepsItsCodeInTheNotes() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.condition("c1", subject: "Patient/p1", code: "174.9", system: "http://hl7.org/fhir/sid/icd-9-cm",
                           display: "Breast cancer, female"),
        ])
        try importing(input)
        let diagnosis = try XCTUnwrap(try store.diagnoses(patientID: try onlyPatient().id).first)
        XCTAssertNil(diagnosis.code)
        XCTAssertEqual(diagnosis.description, "Breast cancer, female")
        XCTAssertEqual(diagnosis.sourceNotes, "Coded as 174.9 (http://hl7.org/fhir/sid/icd-9-cm)")
    }

    /// `evidence` (codes and details) is kept in the notes, after the note the source wrote, each
    /// item once: a code as people read it (SNOMED CT's tag left out), a detail by its display,
    /// else by its reference.
    func testConditionKeepsItsEvidenceInTheNotes() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.condition("c1", subject: "Patient/p1", extra: [
                "note": [["text": "Seen at the breast clinic."]],
                "evidence": [
                    ["code": [FHIR.concept("http://snomed.info/sct", "126926005", "Neoplasm of breast (disorder)")],
                     "detail": [FHIR.ref("DiagnosticReport/dr1", display: "Core biopsy report"), FHIR.ref("Observation/o7")]],
                    ["code": [FHIR.concept(nil, "mass", text: "Palpable mass")]],
                    ["detail": [FHIR.ref("DiagnosticReport/dr1", display: "Core biopsy report")]],
                ],
            ]),
        ])
        try importing(input)
        let diagnosis = try XCTUnwrap(try store.diagnoses(patientID: try onlyPatient().id).first)
        XCTAssertEqual(diagnosis.sourceNotes, "Seen at the breast clinic.\n\n"
                       + "Evidence: Neoplasm of breast; Core biopsy report; Observation/o7; Palpable mass")
    }

    func testEncounterBecomesAppointmentWithStatusDurationReasonAndLocation() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.practitioner("d1"),
            FHIR.condition("c1", subject: "Patient/p1"),
            FHIR.encounter("e1", subject: "Patient/p1", practitioner: "Practitioner/d1", reasonReference: "Condition/c1",
                           extra: ["reasonCode": [["text": "Biopsy results"]]]),
            FHIR.encounter("e2", subject: "Patient/p1", practitioner: "Practitioner/d1", start: "2026-07-01T08:00:00Z",
                           end: nil, status: "cancelled"),
            FHIR.encounter("e3", subject: "Patient/p1", practitioner: nil, start: "2026-08-01T08:00:00Z",
                           extra: ["location": [], "serviceProvider": ["display": "City Cancer Center"]]),
        ])
        try importing(input)
        let appointments = try store.appointments(patientID: try onlyPatient().id)
        XCTAssertEqual(appointments.count, 3)
        let first = appointments[0]
        XCTAssertEqual(first.startsAt?.description, "2026-06-01T09:30:00-05:00")
        XCTAssertEqual(first.durationMinutes, 60)
        XCTAssertEqual(first.status, .completed)
        XCTAssertEqual(first.reason, "Biopsy results")
        XCTAssertEqual(first.location, "Clinic B, room 4")
        XCTAssertNotNil(first.diagnosisID)
        XCTAssertEqual(try store.provider(id: first.providerID)?.name, "Dr. Grace First")
        XCTAssertEqual(appointments[1].status, .cancelled)
        XCTAssertNil(appointments[1].durationMinutes)
        XCTAssertEqual(appointments[2].location, "City Cancer Center", "the service provider's name says where, when no location does")
    }

    func testAppointmentKeepsParticipantsPurposeStatusAndComment() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.practitioner("d2", family: "Second"),
            FHIR.appointment("a1", patient: "Patient/p1", practitioner: "Practitioner/d2",
                             extra: ["serviceType": [FHIR.concept(FHIRVocabulary.appointmentPurposeSystem, "second-opinion")],
                                     "comment": "Bring the slides.", "description": "Second opinion on treatment"]),
            FHIR.appointment("a3", patient: "Patient/p1", practitioner: "Practitioner/d2", start: "2026-12-10T10:00:00Z",
                             extra: ["participant": [["actor": FHIR.ref("Patient/p1")], ["actor": FHIR.ref("Practitioner/d2")]],
                                     "comment": "Location: St. Mary's, Building B. Insurance pre-approval: approved (reference PA-7 (b))"]),
            FHIR.appointment("a2", patient: "Patient/p1", practitioner: "Practitioner/d2",
                             start: "2026-01-10T10:00:00Z", minutes: nil, status: "noshow"),
        ])
        try importing(input)
        let appointments = try store.appointments(patientID: try onlyPatient().id)
        XCTAssertEqual(appointments.count, 3)
        let booked = try XCTUnwrap(appointments.first { $0.status == .scheduled })
        let exported = try XCTUnwrap(appointments.last)
        XCTAssertEqual(exported.location, "St. Mary's, Building B", "phr's export writes the location into the comment")
        XCTAssertEqual(exported.insurance, .approved)
        XCTAssertEqual(exported.insuranceReference, "PA-7 (b)")
        XCTAssertNil(exported.notes)
        XCTAssertEqual(booked.purpose, .secondOpinion)
        XCTAssertEqual(booked.durationMinutes, 60)
        XCTAssertEqual(booked.location, "Comprehensive Cancer Centre")
        XCTAssertEqual(booked.sourceNotes, "Bring the slides.")
        XCTAssertNil(booked.notes, "the patient's notes are never written by import")
        XCTAssertEqual(booked.reason, "Second opinion on treatment")
        XCTAssertEqual(try store.provider(id: booked.providerID)?.name, "Dr. Grace Second")
        XCTAssertEqual(appointments.first { $0.status != .scheduled }?.status, .missed)
    }

    func testClinicalImpressionBecomesOpinionWithPhrExtensions() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.practitioner("d1"),
            FHIR.practitioner("d2", family: "Second"),
            FHIR.condition("c1", subject: "Patient/p1"),
            FHIR.encounter("e1", subject: "Patient/p1", practitioner: "Practitioner/d2"),
            FHIR.impression("i1", subject: "Patient/p1", problem: "Condition/c1", assessor: "Practitioner/d1",
                            date: "2026-05-20", summary: "Stage IIA; surgery first."),
            FHIR.impression("i2", subject: "Patient/p1", problem: "Condition/c1", assessor: "Practitioner/d2",
                            date: "2026-06-02", summary: "Stage IIB; chemotherapy first.", extra: [
                                "encounter": FHIR.ref("Encounter/e1"),
                                "extension": [
                                    ["url": FHIRVocabulary.agreementExtension, "valueCode": "partly"],
                                    ["url": FHIRVocabulary.recommendationExtension, "valueString": "Neoadjuvant chemotherapy"],
                                    ["url": FHIRVocabulary.opinionStageExtension, "valueString": "IIB"],
                                ],
                            ]),
        ])
        try importing(input)
        let diagnosis = try XCTUnwrap(try store.diagnoses(patientID: try onlyPatient().id).first)
        let opinions = try store.opinions(diagnosisID: diagnosis.id)
        XCTAssertEqual(opinions.map(\.conclusion), ["Stage IIA; surgery first.", "Stage IIB; chemotherapy first."])
        XCTAssertEqual(opinions[0].agreement, .first)
        XCTAssertEqual(opinions[1].agreement, .partly)
        XCTAssertEqual(opinions[1].recommendation, "Neoadjuvant chemotherapy")
        XCTAssertEqual(opinions[1].stage, "IIB")
        XCTAssertEqual(opinions[1].givenOn, try PartialDate(parsing: "2026-06-02"))
        XCTAssertNotNil(opinions[1].appointmentID)
        XCTAssertEqual(try store.provider(id: opinions[1].providerID)?.name, "Dr. Grace Second")
    }

    func testDocumentReferenceStoresDecodedAttachmentWithItsSHA256() throws {
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.practitioner("d1"),
            FHIR.condition("c1", subject: "Patient/p1"),
            FHIR.document("doc1", subject: "Patient/p1", bytes: bytes, title: "Core biopsy report",
                          author: "Practitioner/d1", related: ["Condition/c1"],
                          extra: ["description": "Report of the core biopsy"]),
            FHIR.document("doc2", subject: "Patient/p1", bytes: nil, title: "Slides held by the lab",
                          extra: ["context": ["period": ["start": "2026-05-21"]]]),
        ])
        try importing(input)
        let patient = try onlyPatient()
        let records = try store.records(patientID: patient.id)
        XCTAssertEqual(records.first?.title, "Slides held by the lab")
        XCTAssertEqual(records.first?.recordedOn, try PartialDate(parsing: "2026-05-21"))
        XCTAssertNil(records.first?.file)
        let record = try XCTUnwrap(records.last)
        XCTAssertEqual(record.kind, .pathologyReport)
        XCTAssertEqual(record.title, "Report of the core biopsy", "the description is the title")
        XCTAssertEqual(record.file?.originalName, "Core biopsy report", "the attachment's title is the file's name")
        XCTAssertNil(record.recordedOn, "DocumentReference.date is when the reference was made, not the document")
        XCTAssertEqual(record.diagnosisIDs, try store.diagnoses(patientID: patient.id).map(\.id))
        XCTAssertNotNil(record.providerID)
        let file = try XCTUnwrap(record.file)
        XCTAssertEqual(file.size, Int64(bytes.count))
        XCTAssertEqual(file.mediaType, "text/plain")
        XCTAssertEqual(file.sha256, SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        var read: [UInt8] = []
        try store.readRecordFile(id: record.id) { read += $0 }
        XCTAssertEqual(read, bytes)
    }

    func testBase64WithLineBreaksOrWithoutPaddingDecodes() throws {
        let bytes = Array("synthetic report text, long enough to wrap: ".utf8) + Array(repeating: UInt8(ascii: "x"), count: 200)
        let encoded = Data(bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        var wrapped = FHIR.document("doc1", subject: "Patient/p1")
        wrapped["content"] = [["attachment": ["contentType": "text/plain", "data": encoded]]]
        var unpadded = FHIR.document("doc2", subject: "Patient/p1")
        unpadded["content"] = [["attachment": ["contentType": "text/plain",
                                               "data": Data(Array("abcd".utf8)).base64EncodedString().replacingOccurrences(of: "=", with: "")]]]
        try importing(try writeNDJSON("data.ndjson", [FHIR.patient("p1"), wrapped, unpadded]))
        var contents: [[UInt8]] = []
        for record in try store.records(patientID: try onlyPatient().id) {
            var read: [UInt8] = []
            try store.readRecordFile(id: record.id) { read += $0 }
            contents.append(read)
        }
        XCTAssertEqual(Set(contents), [bytes, Array("abcd".utf8)])
    }

    func testDocumentReferenceWithAURLElsewhereKeepsTheURLInTheSourceNotes() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.document("doc1", subject: "Patient/p1", bytes: nil, url: "https://portal.invalid/Binary/77"),
        ])
        try importing(input)
        let record = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first)
        XCTAssertNil(record.file)
        XCTAssertEqual(record.sourceNotes, "File kept elsewhere: https://portal.invalid/Binary/77")
        XCTAssertNil(record.notes)
    }

    /// A superseded document is kept, but neither the store nor a packet shows it as current: its
    /// title says "(superseded)" and its notes why; the version that replaces it says so.
    func testASupersededDocumentIsKeptAndMarkedWhereverItIsShown() throws {
        let old = FHIR.document("doc1", subject: "Patient/p1", title: "Pathology report")
        try importing(try writeNDJSON("data.ndjson", [FHIR.patient("p1"), old]))
        // The source then replaces it: the old version is superseded, the new one says what it replaces.
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            old.merging(["status": "superseded"]) { $1 },
            FHIR.document("doc2", subject: "Patient/p1", bytes: Array("amended pathology report".utf8), title: "Pathology report",
                          extra: ["relatesTo": [["code": "replaces", "target": FHIR.ref("DocumentReference/doc1")]]]),
        ])
        XCTAssertEqual(try importing(input).byType["DocumentReference"]?.updated, 1)
        let records = try store.records(patientID: try onlyPatient().id).sorted { $0.id < $1.id }
        XCTAssertEqual(records.map(\.title), ["Pathology report (superseded)", "Pathology report"])
        XCTAssertEqual(records.map(\.sourceNotes), ["Superseded: the source has a newer version of this document.",
                                               "Replaces an earlier version of this document."])
        XCTAssertEqual(try importing(input).totals.unchanged, 3, "importing it again changes nothing")
        // A `relatesTo` that is not what FHIR says is passed over, never a failure of the import.
        let odd = FHIR.document("doc3", subject: "Patient/p1", title: "Letter", extra: ["relatesTo": ["replaces", 7]])
        XCTAssertEqual(try importing(try writeNDJSON("odd.ndjson", [FHIR.patient("p1"), odd])).byType["DocumentReference"]?.added, 1)

        _ = try PacketWriter(store: store).write(PacketRequest(scope: ExportScope(patientID: try onlyPatient().id),
                                                               destination: path("packet")))
        let bundle = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("packet/fhir.json"))))
            as? [String: Any])
        let descriptions = (bundle["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            .filter { $0["resourceType"] as? String == "DocumentReference" }.compactMap { $0["description"] as? String }
        XCTAssertEqual(descriptions.sorted(), ["Letter", "Pathology report", "Pathology report (superseded)"])
    }

    func testDiagnosticReportKeepsPresentedFormConclusionAndCategory() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "DiagnosticReport", "id": "dr1", "status": "final", "subject": FHIR.ref("Patient/p1"),
             "category": [FHIR.concept(FHIRVocabulary.diagnosticServiceSystem, "RAD")],
             "code": FHIR.concept("http://loinc.org", "24606-6", "MG Breast Screening"),
             "effectiveDateTime": "2026-04-30T08:00:00Z", "conclusion": "BI-RADS 4.",
             "presentedForm": [["contentType": "application/pdf", "data": Data("%PDF-1.4 synthetic".utf8).base64EncodedString()]]],
        ])
        try importing(input)
        let record = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first)
        XCTAssertEqual(record.kind, .imagingReport)
        XCTAssertEqual(record.title, "MG Breast Screening")
        XCTAssertEqual(record.sourceNotes, "BI-RADS 4.")
        XCTAssertNil(record.notes)
        XCTAssertEqual(record.recordedOn, try PartialDate(parsing: "2026-04-30"))
        XCTAssertEqual(record.file?.mediaType, "application/pdf")
        XCTAssertEqual(record.file?.size, Int64("%PDF-1.4 synthetic".utf8.count))
    }

    /// LOINC names each document type by what it is about and what it is: a type phr has no code
    /// for is known by the words of its name (a coding's display or the concept's text), and one
    /// whose words say nothing stays "other".
    func testADocumentTypeWithoutAKnownCodeIsKnownByItsName() throws {
        func typed(_ id: String, _ type: [String: Any]) -> [String: Any] {
            FHIR.document(id, subject: "Patient/p1", title: id, extra: ["type": type, "description": id])
        }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            typed("surgery-consult", FHIR.concept("http://loinc.org", "34847-4", "Surgery Consult note")),
            typed("pathology", FHIR.concept("http://loinc.org", "11529-5", "Surgical pathology study")),
            typed("radiology", ["text": "Radiology report"]),
            typed("lab", FHIR.concept("http://example.org/local", "LAB9", "Outside laboratory report")),
            typed("discharge", FHIR.concept("http://loinc.org", "18842-5x", "Discharge summary")),
            typed("known-code", FHIR.concept("http://loinc.org", "11526-1", "Consult note")),
            ["resourceType": "DiagnosticReport", "id": "dr-no-category", "status": "final", "subject": FHIR.ref("Patient/p1"),
             "code": ["text": "Surgical pathology report"], "effectiveDateTime": "2026-04-30"],
            ["resourceType": "DiagnosticReport", "id": "dr-panel", "status": "final", "subject": FHIR.ref("Patient/p1"),
             "code": FHIR.concept("http://loinc.org", "58410-2", "CBC panel"), "effectiveDateTime": "2026-04-30"],
        ])
        try importing(input)
        let kinds = Dictionary(uniqueKeysWithValues: try store.records(patientID: try onlyPatient().id).map { ($0.title, $0.kind) })
        XCTAssertEqual(kinds["surgery-consult"], .consultNote)
        XCTAssertEqual(kinds["pathology"], .pathologyReport)
        XCTAssertEqual(kinds["radiology"], .imagingReport)
        XCTAssertEqual(kinds["lab"], .labResult)
        XCTAssertEqual(kinds["discharge"], .other)
        XCTAssertEqual(kinds["known-code"], .pathologyReport, "a code phr knows is taken before the words")
        XCTAssertEqual(kinds["Surgical pathology report"], .pathologyReport, "a report with no category: its code's words")
        XCTAssertEqual(kinds["CBC panel"], .other)
    }

    func testTypesPhrDoesNotKeepAreCountedAndSkipped() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "Claim", "id": "o1", "status": "active"],
            ["resourceType": "Claim", "id": "o2", "status": "active"],
            ["resourceType": "CarePlan", "id": "m1"],
        ])
        let report = try importing(input)
        XCTAssertEqual(report.byType["Claim"]?.skipped, 2)
        XCTAssertEqual(report.byType["CarePlan"]?.skipped, 1)
        XCTAssertEqual(report.skipReasons["Claim: not a type phr imports"], 2)
        XCTAssertEqual(report.totals.added, 1)
    }
}
