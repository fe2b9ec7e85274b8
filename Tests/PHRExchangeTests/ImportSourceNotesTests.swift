import Foundation
import PHRExchange
import PHRStore
import XCTest

/// What a source says of a diagnosis, result, medication, allergy, procedure, immunization, record,
/// appointment or opinion that has no field of its own goes into the row's source notes; the row's
/// notes are the patient's, and import never writes them.
final class ImportSourceNotesTests: ImportTestCase {
    /// One resource of each kind phr keeps source notes for, each with a `note` (`said` is its
    /// text) and a fact without a field of its own.
    private func portal(saying said: String) -> [[String: Any]] {
        let subject = FHIR.ref("Patient/p1")
        return [
            FHIR.patient("p1"),
            ["resourceType": "Condition", "id": "c1", "subject": subject, "code": ["text": "Invasive ductal carcinoma"],
             "abatementString": "after surgery", "note": [["text": "Condition: \(said)"]]],
            ["resourceType": "Observation", "id": "o1", "status": "registered", "subject": subject, "code": ["text": "Leukocytes"],
             "dataAbsentReason": ["text": "pending"], "note": [["text": "Observation: \(said)"]]],
            ["resourceType": "MedicationStatement", "id": "m1", "status": "active", "subject": subject,
             "medicationCodeableConcept": ["text": "Letrozole 2.5 mg tablet"], "note": [["text": "Medication: \(said)"]]],
            ["resourceType": "AllergyIntolerance", "id": "a1", "patient": subject, "code": ["text": "Penicillin"],
             "lastOccurrence": "2020-05-01", "note": [["text": "Allergy: \(said)"]]],
            ["resourceType": "Procedure", "id": "pr1", "status": "completed", "subject": subject, "code": ["text": "Lumpectomy"],
             "performedString": "Spring 2025", "note": [["text": "Procedure: \(said)"]]],
            ["resourceType": "Immunization", "id": "i1", "status": "completed", "patient": subject,
             "vaccineCode": ["text": "Influenza, seasonal"], "occurrenceDateTime": "2026-10-15",
             "protocolApplied": [["doseNumberPositiveInt": 2, "seriesDosesPositiveInt": 2]],
             "note": [["text": "Immunization: \(said)"]]],
            // A pathology report that came as its results, without its document: its conclusion
            // is what a second-opinion team reads first.
            ["resourceType": "DiagnosticReport", "id": "dr1", "status": "final", "subject": subject,
             "code": ["text": "Surgical pathology"], "effectiveDateTime": "2026-10-01",
             "conclusion": "Report: \(said)", "result": [FHIR.ref("Observation/o1")]],
            ["resourceType": "DocumentReference", "id": "d1", "status": "superseded", "subject": subject,
             "description": "Consult letter",
             "content": [["attachment": ["url": "https://portal.example/\(said.replacingOccurrences(of: " ", with: "-"))"]]]],
            ["resourceType": "Appointment", "id": "ap1", "status": "booked", "start": "2026-12-10T09:00:00Z",
             "end": "2026-12-10T09:30:00Z", "participant": [["actor": subject, "status": "accepted"]],
             "comment": "Appointment: \(said)"],
            ["resourceType": "ClinicalImpression", "id": "ci1", "status": "completed", "subject": subject,
             "problem": [FHIR.ref("Condition/c1")], "date": "2026-11-01", "summary": "Surgery first",
             "description": "Opinion: \(said)", "note": [["text": "Slides reviewed"]]],
        ]
    }

    /// Each row's (source notes, notes), by kind.
    private func notesByKind() throws -> [String: [String?]] {
        let patientID = try onlyPatient().id
        func pair(_ source: String?, _ own: String?) -> [String?] { [source, own] }
        return [
            "diagnosis": try store.diagnoses(patientID: patientID).map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "result": try store.results(patientID: patientID).map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "medication": try store.medications(patientID: patientID).map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "allergy": try store.allergies(patientID: patientID).map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "procedure": try store.procedures(patientID: patientID).map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "immunization": try store.immunizations(patientID: patientID).map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "report": try store.records(patientID: patientID).filter { $0.title == "Surgical pathology" }
                .map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "document": try store.records(patientID: patientID).filter { $0.title.hasPrefix("Consult letter") }
                .map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "appointment": try store.appointments(patientID: patientID).map { pair($0.sourceNotes, $0.notes) }.first ?? [],
            "opinion": try store.diagnoses(patientID: patientID).flatMap { try store.opinions(diagnosisID: $0.id) }
                .map { pair($0.sourceNotes, $0.notes) }.first ?? [],
        ]
    }

    private static let resultsNote = "No report document came with this report: its results are kept in phr as results of this record."
    private static let superseded = "Superseded: the source has a newer version of this document."

    func testWhatTheSourceSaidIsItsSourceNotesAndNeverThePatientsNotes() throws {
        try importing(try writeNDJSON("portal.ndjson", portal(saying: "as sent")))
        XCTAssertEqual(try notesByKind(), [
            "diagnosis": ["Condition: as sent\n\nResolved: after surgery", nil],
            "result": ["Observation: as sent\n\nNo value: pending", nil],
            "medication": ["Medication: as sent", nil],
            "allergy": ["Allergy: as sent\n\nLast reaction: 2020-05-01", nil],
            "procedure": ["Procedure: as sent\n\nPerformed: Spring 2025", nil],
            "immunization": ["Immunization: as sent\n\nDose 2 of 2", nil],
            "report": ["Report: as sent\n\n\(Self.resultsNote)", nil],
            "document": ["\(Self.superseded)\n\nFile kept elsewhere: https://portal.example/as-sent", nil],
            "appointment": ["Appointment: as sent", nil],
            "opinion": ["Opinion: as sent\n\nSlides reviewed", nil],
        ])
    }

    func testThePatientsOwnNoteOnAnImportedRowSurvivesImportingTheChangedSourceAgain() throws {
        let input = try writeNDJSON("portal.ndjson", portal(saying: "first version"))
        try importing(input)
        let patientID = try onlyPatient().id
        let mine = "Ask the new doctor about this."
        try store.write("my notes") {
            for var row in try store.diagnoses(patientID: patientID) { row.notes = mine; try store.updateDiagnosis(row) }
            for var row in try store.results(patientID: patientID) { row.notes = mine; try store.updateResult(row) }
            for var row in try store.medications(patientID: patientID) { row.notes = mine; try store.updateMedication(row) }
            for var row in try store.allergies(patientID: patientID) { row.notes = mine; try store.updateAllergy(row) }
            for var row in try store.procedures(patientID: patientID) { row.notes = mine; try store.updateProcedure(row) }
            for var row in try store.immunizations(patientID: patientID) { row.notes = mine; try store.updateImmunization(row) }
            for var row in try store.records(patientID: patientID) { row.notes = mine; _ = try store.updateRecord(row) }
            for var row in try store.appointments(patientID: patientID) { row.notes = mine; _ = try store.updateAppointment(row) }
            for diagnosis in try store.diagnoses(patientID: patientID) {
                for var row in try store.opinions(diagnosisID: diagnosis.id) { row.notes = mine; _ = try store.updateOpinion(row) }
            }
        }

        _ = try writeNDJSON("portal.ndjson", portal(saying: "corrected"))
        let report = try importing(input)
        XCTAssertEqual(report.byType.values.map(\.updated).reduce(0, +), 10, "every row takes what its source now says")
        XCTAssertEqual(try notesByKind(), [
            "diagnosis": ["Condition: corrected\n\nResolved: after surgery", mine],
            "result": ["Observation: corrected\n\nNo value: pending", mine],
            "medication": ["Medication: corrected", mine],
            "allergy": ["Allergy: corrected\n\nLast reaction: 2020-05-01", mine],
            "procedure": ["Procedure: corrected\n\nPerformed: Spring 2025", mine],
            "immunization": ["Immunization: corrected\n\nDose 2 of 2", mine],
            "report": ["Report: corrected\n\n\(Self.resultsNote)", mine],
            "document": ["\(Self.superseded)\n\nFile kept elsewhere: https://portal.example/corrected", mine],
            "appointment": ["Appointment: corrected", mine],
            "opinion": ["Opinion: corrected\n\nSlides reviewed", mine],
        ])
    }
}
