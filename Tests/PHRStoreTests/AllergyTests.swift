import Foundation
@testable import PHRStore
import XCTest

final class AllergyTests: TemporaryStoreTestCase {
    func testEveryFieldOfAnAllergyReadsBack() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let added = try store.write("test") {
            try store.addAllergy(Allergy(patientID: patient.id, substance: "Penicillin", substanceCode: "7980",
                                         substanceCodeSystem: .rxnorm, kind: .allergy, category: .medication,
                                         criticality: .high, reaction: "hives", severity: .moderate, status: .active,
                                         recordedOn: try day("2019-05"), notes: "as a child"))
        }
        XCTAssertEqual(added.entry, .allergy)
        XCTAssertEqual(added.substance, "Penicillin")
        XCTAssertEqual(added.substanceCode, "7980")
        XCTAssertEqual(added.substanceCodeSystem, .rxnorm)
        XCTAssertEqual(added.kind, .allergy)
        XCTAssertEqual(added.category, .medication)
        XCTAssertEqual(added.criticality, .high)
        XCTAssertEqual(added.reaction, "hives")
        XCTAssertEqual(added.severity, .moderate)
        XCTAssertEqual(added.status, .active)
        XCTAssertEqual(added.recordedOn, try day("2019-05"))
        XCTAssertEqual(added.notes, "as a child")
        XCTAssertEqual(try store.allergy(uuid: added.uuid), added)
    }

    func testAnAllergyWithoutASubstanceIsRefusedAndNothingIsWritten() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addAllergy(Allergy(patientID: patient.id, substance: " ", reaction: "hives"))
        }) { error in
            guard case StoreError.invalidField(field: "substance", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try store.count("allergies"), 0)
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .notRecorded)
    }

    func testNoKnownAllergiesIsDistinctFromNothingRecordedAndEndsWithTheFirstAllergy() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .notRecorded)
        try store.write("allergy none") {
            _ = try store.addAllergy(.noneKnown(patientID: patient.id, recordedOn: try day("2026-11-02")))
        }
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .noneKnown(recordedOn: try day("2026-11-02")))
        let penicillin = try store.write("allergy add") {
            try store.addAllergy(Allergy(patientID: patient.id, substance: "Penicillin", reaction: "hives", severity: .moderate))
        }
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .allergies([penicillin]))
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .noneKnown(recordedOn: try day("2026-11-02")))
    }

    /// "No known drug allergies" stands beside a food allergy; an allergy of its kind, or of an
    /// unknown kind, ends it; the general statement is not what it says.
    func testNoKnownAllergiesOfOneKindStandsBesideAllergiesOfAnother() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let (drugs, food) = try store.write("statements") {
            (try store.addAllergy(.noneKnown(patientID: patient.id, category: .medication, recordedOn: try day("2026-10-01"))),
             try store.addAllergy(.noneKnown(patientID: patient.id, category: .food, recordedOn: try day("2026-10-02"))))
        }
        XCTAssertEqual(drugs.displayName, "No known drug allergies")
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .allergies([drugs, food]), "not the general statement")
        let peanuts = try store.write("food allergy") {
            try store.addAllergy(Allergy(patientID: patient.id, substance: "Peanuts", category: .food, reaction: "swelling"))
        }
        XCTAssertEqual(try store.requireAllergy(drugs.id).status, .active, "a food allergy says nothing about drugs")
        XCTAssertEqual(try store.requireAllergy(food.id).status, .inactive)
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .allergies([peanuts, drugs]), "allergies first")
        let unknownKind = try store.write("allergy of unknown kind") {
            try store.addAllergy(Allergy(patientID: patient.id, substance: "Latex"))
        }
        XCTAssertEqual(try store.requireAllergy(drugs.id).status, .inactive, "latex could be any kind")
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .allergies([peanuts, unknownKind]))

        XCTAssertThrowsError(try store.write("biologic") {
            try store.addAllergy(.noneKnown(patientID: patient.id, category: .biologic, recordedOn: nil))
        }) { error in
            guard case StoreError.invalidField(field: "category", _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try store.database.run("""
            INSERT INTO allergies (uuid, patient_id, entry, category, status, created_at, updated_at)
            VALUES ('00000000-0000-4000-8000-000000000001', ?, 'none-known', 'biologic', 'active', 'x', 'x')
            """, [patient.id]), "the schema refuses it too")
    }

    func testASeverityWithoutAReactionIsRefused() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addAllergy(Allergy(patientID: patient.id, substance: "Peanuts", severity: .severe))
        })
        XCTAssertEqual(try store.count("allergies"), 0)
    }

    func testUndoOfEditAndRemoveRestoresTheWholeAllergy() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let added = try store.write("add") {
            try store.addAllergy(Allergy(patientID: patient.id, substance: "Peanuts", category: .food, reaction: "swelling",
                                         severity: .severe, recordedOn: try day("2020")))
        }
        var edited = added
        edited.status = .resolved
        edited.reaction = nil
        edited.severity = nil
        _ = try store.write("edit") { try store.updateAllergy(edited) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireAllergy(added.id), added)
        try store.write("remove") { try store.removeAllergy(id: added.id) }
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireAllergy(added.id), added)
    }
}
