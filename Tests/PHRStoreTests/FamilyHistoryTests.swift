import Foundation
import PHRStore
import XCTest

final class FamilyHistoryTests: TemporaryStoreTestCase {
    func testEveryFieldOfAFamilyHistoryEntryReadsBack() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let added = try store.write("test") {
            try store.addFamilyHistory(FamilyHistory(
                patientID: patient.id, relationship: "maternal aunt", condition: "Ovarian cancer", relationshipCode: "MAUNT",
                relativeSex: .female, code: "363443007", codeSystem: .snomedCT, onsetAge: "52", deceased: .yes,
                deceasedAge: "58", status: .partial, recordedOn: try day("2026-10"), notes: "ask about BRCA",
                sourceNotes: "Outcome: died"))
        }
        XCTAssertEqual(added.relationship, "maternal aunt")
        XCTAssertEqual(added.relationshipCode, "MAUNT")
        XCTAssertEqual(added.relativeSex, .female)
        XCTAssertEqual(added.condition, "Ovarian cancer")
        XCTAssertEqual(added.code, "363443007")
        XCTAssertEqual(added.codeSystem, .snomedCT)
        XCTAssertEqual(added.onsetAge, "52")
        XCTAssertEqual(added.deceased, .yes)
        XCTAssertEqual(added.deceasedAge, "58")
        XCTAssertEqual(added.status, .partial)
        XCTAssertEqual(added.recordedOn, try day("2026-10"))
        XCTAssertEqual(added.notes, "ask about BRCA")
        XCTAssertEqual(added.sourceNotes, "Outcome: died")
        XCTAssertEqual(try store.familyHistory(uuid: added.uuid), added)
        XCTAssertEqual(added.summary, "Maternal aunt: Ovarian cancer, onset at 52, died at 58")
    }

    func testAnEntryWithoutARelativeOrConditionOrWithACodeButNoSystemOrAnAgeAtDeathOfTheLivingIsRefused() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let refused = [
            FamilyHistory(patientID: patient.id, relationship: "mother", condition: " "),
            FamilyHistory(patientID: patient.id, relationship: "", condition: "Breast cancer"),
            FamilyHistory(patientID: patient.id, relationship: "mother", condition: "Breast cancer", code: "254837009"),
            FamilyHistory(patientID: patient.id, relationship: "mother", condition: "Breast cancer", deceased: .no, deceasedAge: "70"),
        ]
        for entry in refused {
            XCTAssertThrowsError(try store.write("test") { try store.addFamilyHistory(entry) })
        }
        XCTAssertEqual(try store.count("family_history"), 0)
    }

    func testUndoOfEditAndRemoveRestoresTheWholeEntry() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        let added = try store.write("add") {
            try store.addFamilyHistory(FamilyHistory(patientID: patient.id, relationship: "mother", condition: "Breast cancer",
                                                     relationshipCode: "MTH", onsetAge: "45", recordedOn: try day("2026")))
        }
        var edited = added
        edited.onsetAge = "44"
        edited.deceased = .yes
        _ = try store.write("edit") { try store.updateFamilyHistory(edited) }
        XCTAssertEqual(try store.requireFamilyHistory(added.id).onsetAge, "44")
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireFamilyHistory(added.id), added)
        try store.write("remove") { try store.removeFamilyHistory(id: added.id) }
        XCTAssertNil(try store.familyHistory(id: added.id))
        _ = try store.write("undo") { try store.undoLastChange() }
        XCTAssertEqual(try store.requireFamilyHistory(added.id), added)
        XCTAssertEqual(try store.familyHistory(patientID: patient.id, since: try day("2026")).map(\.id), [added.id])
    }

    func testFamilyHistoryIsSearchedAndOnTheTimelineOnTheDayItWasRecorded() throws {
        let store = try openStore()
        let (patient, _) = try store.addPatientAndProvider()
        try store.write("add") {
            _ = try store.addFamilyHistory(FamilyHistory(patientID: patient.id, relationship: "mother", condition: "Breast cancer",
                                                         onsetAge: "45", recordedOn: try day("2026-03-04")))
            _ = try store.addFamilyHistory(FamilyHistory(patientID: patient.id, relationship: "father", condition: "Melanoma",
                                                         status: .enteredInError, recordedOn: try day("2026-03-04")))
        }
        let hits = try store.search(patientID: patient.id, SearchQuery("breast"))
        XCTAssertEqual(hits.map(\.kind), [.familyHistory])
        XCTAssertEqual(hits.first?.storedTitle, "Breast cancer")
        let entries = try store.timeline(patientID: patient.id).entries.filter { $0.kind == .familyHistory }
        XCTAssertEqual(entries.map(\.summary), ["Family history: Mother: Breast cancer, onset at 45"])
        XCTAssertEqual(entries.first?.date, try day("2026-03-04"))
    }

    func testKnownRelationshipsHaveTheirRoleCodeAndOthersNone() {
        XCTAssertEqual(FamilyRelationship.code(for: "Mother"), "MTH")
        XCTAssertEqual(FamilyRelationship.code(for: "maternal  aunt"), "MAUNT")
        XCTAssertEqual(FamilyRelationship.code(for: "PGRMTH"), "PGRMTH")
        XCTAssertNil(FamilyRelationship.code(for: "godmother"))
        XCTAssertEqual(FamilyRelationship.word(for: "fth"), "father")
    }
}
