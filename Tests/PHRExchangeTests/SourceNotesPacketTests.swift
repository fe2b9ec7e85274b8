import Foundation
@testable import PHRStore
import PHRTestSupport
import XCTest
@testable import PHRExchange

/// A packet carries what an imported source said of each thing (its source notes) to the next
/// doctor: fhir.json as the resource's `note`, summary.html beside the item ("From the record: …"),
/// whether or not the patient's own notes are included; the patient's notes stay private, and
/// importing the packet gives back the source notes exactly.
final class SourceNotesPacketTests: PacketTestCase {
    private struct Rows {
        var diagnosis: Diagnosis
        var receptor: ClinicalResult
        /// Its source notes read as its detail does.
        var hemoglobin: ClinicalResult
        var medication: Medication
        var allergy: Allergy
        var procedure: Procedure
        var immunization: Immunization
        /// A pathology report that came without its document: its conclusion is its source notes.
        var record: Record
        var appointment: Appointment
        var opinion: Opinion

        /// Each row's resource id (its UUID) with its source notes, as fhir.json's `note` texts.
        var expectedNotes: [String: [String]] {
            [diagnosis.uuid: ["Histology: Adenocarcinoma, intermediate grade"],
             receptor.uuid: ["95% of cells", "Scored by the reference lab."],
             hemoglobin.uuid: ["fasting", "fasting"],
             medication.uuid: ["Dispensed as 30 tablets."],
             allergy.uuid: ["Last reaction: 2020-05-01"],
             procedure.uuid: ["Intent: Curative"],
             immunization.uuid: ["Dose 2 of 2\n\nLot AB123"],
             opinion.uuid: ["Slides reviewed at the reference centre."]]
        }

        /// The resources without a `note` (DocumentReference, Appointment), with their source
        /// notes as phr's `source-notes` extension.
        var expectedExtensions: [String: String] {
            [record.uuid: "Invasive ductal carcinoma, grade 2.\n\nFile kept elsewhere: https://portal.example/report/1",
             appointment.uuid: "Bring the slides."]
        }
    }

    /// A row of each kind with source notes and the patient's own notes (`PRIVATE-…`).
    private func addRowsWithSourceNotes() throws -> Rows {
        let patientID = sample.patient.id
        func date(_ text: String) throws -> DateOrTime { try DateOrTime(parsing: text) }
        return try store.write("rows with source notes") {
            var diagnosis = try store.requireDiagnosis(sample.breastCancer.id)
            diagnosis.sourceNotes = "Histology: Adenocarcinoma, intermediate grade"
            diagnosis.notes = "PRIVATE-diagnosis"
            diagnosis = try store.updateDiagnosis(diagnosis)
            return Rows(
                diagnosis: diagnosis,
                receptor: try store.addResult(ClinicalResult(
                    patientID: patientID, name: "Estrogen receptor", category: .biomarker, code: "16112-5", codeSystem: .loinc,
                    value: .coded(code: "10828004", system: .snomedCT, display: "Positive"), detail: "95% of cells",
                    observedAt: date("2026-10-02"), diagnosisID: sample.breastCancer.id, notes: "PRIVATE-result",
                    sourceNotes: "Scored by the reference lab.")),
                hemoglobin: try store.addResult(ClinicalResult(
                    patientID: patientID, name: "Hemoglobin", code: "718-7", codeSystem: .loinc,
                    value: .quantity(10.9, unit: "g/dL", comparator: nil), detail: "fasting",
                    range: ReferenceRange(low: 12, high: 16), observedAt: date("2026-11-18"), sourceNotes: "fasting")),
                medication: try store.addMedication(Medication(
                    patientID: patientID, name: "Letrozole 2.5 mg tablet", dose: "2.5 mg", frequency: "once daily",
                    notes: "PRIVATE-medication", sourceNotes: "Dispensed as 30 tablets.")),
                allergy: try store.addAllergy(Allergy(
                    patientID: patientID, substance: "Penicillin", reaction: "hives", notes: "PRIVATE-allergy",
                    sourceNotes: "Last reaction: 2020-05-01")),
                procedure: try store.addProcedure(Procedure(
                    patientID: patientID, name: "Lumpectomy", category: .surgery, performedOn: date("2026-11-15"),
                    notes: "PRIVATE-procedure", sourceNotes: "Intent: Curative")),
                immunization: try store.addImmunization(Immunization(
                    patientID: patientID, vaccine: "Influenza, seasonal", givenOn: date("2026-10-15"),
                    notes: "PRIVATE-immunization", sourceNotes: "Dose 2 of 2\n\nLot AB123")),
                record: try store.addRecord(Record(
                    patientID: patientID, kind: .pathologyReport, title: "Surgical pathology", recordedOn: PartialDate(parsing: "2026-10-01"),
                    notes: "PRIVATE-record",
                    sourceNotes: "Invasive ductal carcinoma, grade 2.\n\nFile kept elsewhere: https://portal.example/report/1")),
                appointment: try store.addAppointment(Appointment(
                    patientID: patientID, providerID: sample.oncologist.id,
                    startsAt: OffsetDateTime(parsing: "2026-12-10T09:00:00-05:00"), purpose: .secondOpinion,
                    notes: "PRIVATE-appointment", sourceNotes: "Bring the slides.")),
                opinion: try store.addOpinion(Opinion(
                    diagnosisID: sample.breastCancer.id, providerID: sample.oncologist.id, givenOn: PartialDate(parsing: "2026-11-20"),
                    conclusion: "Surgery first", notes: "PRIVATE-opinion", sourceNotes: "Slides reviewed at the reference centre.")))
        }
    }

    /// The `source-notes` extension of every resource of `packet` that has one, by resource id.
    private func sourceNotesExtensions(in packet: String) throws -> [String: String] {
        var found: [String: String] = [:]
        for resource in resources(try bundle(in: packet)) {
            guard let id = resource["id"] as? String, let extensions = resource["extension"] as? [[String: Any]] else { continue }
            for item in extensions where item["url"] as? String == FHIRVocabulary.sourceNotesExtension {
                found[id] = item["valueString"] as? String
            }
        }
        return found
    }

    /// The `note` texts of every resource of `packet` that has notes, by resource id.
    private func notes(in packet: String) throws -> [String: [String]] {
        var found: [String: [String]] = [:]
        for resource in resources(try bundle(in: packet)) {
            guard let id = resource["id"] as? String, let notes = resource["note"] as? [[String: Any]] else { continue }
            found[id] = notes.compactMap { $0["text"] as? String }
        }
        return found
    }

    func testFHIRCarriesTheSourceNotesAsNotesAndNeverThePatientsNotes() throws {
        let rows = try addRowsWithSourceNotes()
        try export("packet", scope: ExportScope(patientID: sample.patient.id, includeNotes: true))
        try validateFHIR(path("packet"))
        XCTAssertEqual(try notes(in: path("packet")), rows.expectedNotes,
                       "each resource's notes are its detail (a result's) and its source notes, nothing else")
        XCTAssertEqual(try sourceNotesExtensions(in: path("packet")), rows.expectedExtensions,
                       "a document's and an appointment's source notes are phr's extension (they have no note)")
        let text = try String(contentsOfFile: path("packet/fhir.json"), encoding: .utf8)
        XCTAssertFalse(text.contains("PRIVATE-"), "the patient's notes are never in fhir.json, even with --include-notes")
    }

    func testSummaryPrintsTheSourceNotesWithEachItemAndLeavesOutThePatientsNotes() throws {
        _ = try addRowsWithSourceNotes()
        try export("packet")
        let html = try String(contentsOfFile: path("packet/summary.html"), encoding: .utf8)
        for said in ["Histology: Adenocarcinoma, intermediate grade", "Scored by the reference lab.", "Dispensed as 30 tablets.",
                     "Last reaction: 2020-05-01", "Intent: Curative", "Dose 2 of 2<br>Lot AB123",
                     "Invasive ductal carcinoma, grade 2.<br>File kept elsewhere: https://portal.example/report/1",
                     "Bring the slides."] {
            XCTAssertTrue(html.contains("<span class=\"source-notes\">From the record: \(said)</span>"), said)
        }
        XCTAssertTrue(html.contains("<td>Lumpectomy<br><span class=\"source-notes\">From the record: Intent: Curative</span></td>"),
                      "printed with its item")
        XCTAssertTrue(html.contains("<td>Surgical pathology<br><span class=\"source-notes\">From the record: Invasive ductal carcinoma"),
                      "a report's conclusion is printed with the record, though it came without a document")
        let opinionRow = html.components(separatedBy: "\n").first { $0.hasPrefix("<tr><th scope=\"row\">From the record</th>") }
        XCTAssertTrue(opinionRow?.contains("<td>Slides reviewed at the reference centre.</td>") == true,
                      "an opinion's source notes are a row of the opinions table: \(opinionRow ?? "none")")
        XCTAssertFalse(html.contains("PRIVATE-"), "the patient's notes stay out")

        try export("with-notes", scope: ExportScope(patientID: sample.patient.id, includeNotes: true))
        let withNotes = try String(contentsOfFile: path("with-notes/summary.html"), encoding: .utf8)
        XCTAssertTrue(withNotes.contains("Patient's note: PRIVATE-diagnosis"))
        XCTAssertTrue(withNotes.contains("From the record: Histology: Adenocarcinoma, intermediate grade"))
        XCTAssertFalse(withNotes.contains("Patient's note: Histology"), "what the source said is never the patient's note")
    }

    /// The statement "no known allergies" prints what its source said of it, as every allergy does.
    func testANoKnownAllergiesStatementPrintsItsSourceNotes() throws {
        try store.write("none known") {
            _ = try store.addAllergy(Allergy.noneKnown(patientID: sample.patient.id, recordedOn: try PartialDate(parsing: "2026-10-01"),
                                                       notes: "PRIVATE-statement", sourceNotes: "Reviewed with the patient at intake."))
        }
        try export("packet")
        let html = try String(contentsOfFile: path("packet/summary.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<p><strong>No known allergies</strong> (recorded 2026-10-01)"
                                    + "<br><span class=\"source-notes\">From the record: Reviewed with the patient at intake.</span></p>"), html)
        XCTAssertFalse(html.contains("PRIVATE-"), "the patient's notes stay out")
    }

    func testSourceNotesSurviveExportImportExportExactly() throws {
        let rows = try addRowsWithSourceNotes()
        try export("first")
        let imported = try HealthStore(path: path("imported.sqlite"))
        let report = try FHIRImporter(store: imported).run([path("first")])
        assertCountsAddUp(report)
        let copy = try XCTUnwrap(try imported.patients().first)

        let diagnosis = try XCTUnwrap(try imported.diagnosis(uuid: rows.diagnosis.uuid))
        XCTAssertEqual([diagnosis.sourceNotes, diagnosis.notes], [rows.diagnosis.sourceNotes, nil])
        let receptor = try XCTUnwrap(try imported.results(patientID: copy.id).first { $0.uuid == rows.receptor.uuid })
        XCTAssertEqual([receptor.detail, receptor.sourceNotes, receptor.notes], ["95% of cells", "Scored by the reference lab.", nil],
                       "the detail's note is the detail only")
        let hemoglobin = try XCTUnwrap(try imported.results(patientID: copy.id).first { $0.uuid == rows.hemoglobin.uuid })
        XCTAssertEqual([hemoglobin.detail, hemoglobin.sourceNotes], ["fasting", "fasting"],
                       "source notes that read as the detail are still source notes")
        let medication = try XCTUnwrap(try imported.medications(patientID: copy.id).first { $0.uuid == rows.medication.uuid })
        XCTAssertEqual([medication.sourceNotes, medication.notes], [rows.medication.sourceNotes, nil])
        let allergy = try XCTUnwrap(try imported.allergy(uuid: rows.allergy.uuid))
        XCTAssertEqual([allergy.sourceNotes, allergy.notes], [rows.allergy.sourceNotes, nil])
        let procedure = try XCTUnwrap(try imported.procedures(patientID: copy.id).first { $0.uuid == rows.procedure.uuid })
        XCTAssertEqual([procedure.sourceNotes, procedure.notes], [rows.procedure.sourceNotes, nil])
        let immunization = try XCTUnwrap(try imported.immunizations(patientID: copy.id).first { $0.uuid == rows.immunization.uuid })
        XCTAssertEqual([immunization.sourceNotes, immunization.notes], [rows.immunization.sourceNotes, nil])
        let record = try XCTUnwrap(try imported.records(patientID: copy.id).first { $0.uuid == rows.record.uuid })
        XCTAssertEqual([record.sourceNotes, record.notes], [rows.record.sourceNotes, nil])
        let appointment = try XCTUnwrap(try imported.appointments(patientID: copy.id).first { $0.uuid == rows.appointment.uuid })
        XCTAssertEqual([appointment.sourceNotes, appointment.notes], [rows.appointment.sourceNotes, nil])
        let opinion = try XCTUnwrap(try imported.diagnoses(patientID: copy.id).flatMap { try imported.opinions(diagnosisID: $0.id) }
            .first { $0.uuid == rows.opinion.uuid })
        XCTAssertEqual([opinion.sourceNotes, opinion.notes], [rows.opinion.sourceNotes, nil])

        _ = try PacketWriter(store: imported, now: Self.exportedAt, timeZone: Self.exportZone)
            .write(PacketRequest(scope: ExportScope(patientID: copy.id), destination: path("second")))
        XCTAssertEqual(try notes(in: path("second")), try notes(in: path("first")), "the second packet's notes are the first's")
        XCTAssertEqual(try sourceNotesExtensions(in: path("second")), try sourceNotesExtensions(in: path("first")))

        // Into the store it came from: the same rows, nothing changed.
        let again = try FHIRImporter(store: store).run([path("first")])
        XCTAssertEqual(again.byType.values.map(\.updated).reduce(0, +), 0)
    }
}
