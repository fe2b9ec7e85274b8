import Foundation
import PHRExchange
import PHRStore
import XCTest

/// FHIR FamilyMemberHistory → family history: one row per condition of the relative.
final class ImportFamilyHistoryTests: ImportTestCase {
    private static let roleCode = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
    private static let snomed = "http://snomed.info/sct"

    private func entries() throws -> [FamilyHistory] {
        try store.familyHistory(patientID: try onlyPatient().id)
    }

    private static func history(_ id: String, status: String = "completed", conditions: [[String: Any]],
                                extra: [String: Any] = [:]) -> [String: Any] {
        var resource: [String: Any] = [
            "resourceType": "FamilyMemberHistory", "id": id, "status": status, "patient": FHIR.ref("Patient/p1"),
            "date": "2026-09-14",
            "relationship": ["coding": [["system": roleCode, "code": "MTH", "display": "mother"]]],
            "condition": conditions,
        ]
        resource.merge(extra) { _, new in new }
        return resource
    }

    func testEachConditionOfARelativeIsARowWithTheRelationshipSexOnsetAndDeath() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            Self.history("f1", conditions: [
                ["code": FHIR.concept(Self.snomed, "254837009", "Malignant neoplasm of breast"),
                 "onsetAge": ["value": 45, "unit": "yr", "system": "http://unitsofmeasure.org", "code": "a"],
                 "note": [["text": "Left breast"]]],
                ["code": ["text": "Ovarian cancer"], "onsetRange": ["low": ["value": 50, "code": "a"], "high": ["value": 59, "code": "a"]],
                 "outcome": ["text": "died"], "contributedToDeath": true],
            ], extra: ["sex": FHIR.concept("http://hl7.org/fhir/administrative-gender", "female"),
                       "deceasedAge": ["value": 61, "unit": "years", "system": "http://unitsofmeasure.org", "code": "a"],
                       "note": [["text": "Tested BRCA1 positive"]]]),
            ["resourceType": "FamilyMemberHistory", "id": "f2", "status": "partial", "patient": FHIR.ref("Patient/p1"),
             "relationship": ["text": "Stiefvater"], "deceasedBoolean": false,
             "condition": [["code": FHIR.concept("http://hl7.org/fhir/sid/icd-10-cm", "C61", "Prostate cancer"),
                            "onsetString": "in his fifties"]]],
            ["resourceType": "FamilyMemberHistory", "id": "f3", "status": "completed", "patient": FHIR.ref("Patient/p1"),
             "relationship": ["coding": [["system": Self.roleCode, "code": "PGRMTH"]]], "deceasedString": "unknown",
             "condition": [["code": ["text": "Colon cancer"], "onsetAge": ["value": 6, "unit": "months", "code": "mo"]]]],
        ])
        let report = try importing(input)
        XCTAssertEqual(report.byType["FamilyMemberHistory"]?.added, 3, "one outcome per resource")
        let rows = Dictionary(uniqueKeysWithValues: try entries().map { ($0.condition, $0) })
        XCTAssertEqual(Set(rows.keys), ["Malignant neoplasm of breast", "Ovarian cancer", "Prostate cancer", "Colon cancer"])
        let breast = try XCTUnwrap(rows["Malignant neoplasm of breast"]), ovarian = try XCTUnwrap(rows["Ovarian cancer"])
        let prostate = try XCTUnwrap(rows["Prostate cancer"]), colon = try XCTUnwrap(rows["Colon cancer"])
        XCTAssertEqual(breast.relationship, "mother")
        XCTAssertEqual(breast.relationshipCode, "MTH")
        XCTAssertEqual(breast.relativeSex, .female)
        XCTAssertEqual(breast.code, "254837009")
        XCTAssertEqual(breast.codeSystem, .snomedCT)
        XCTAssertEqual(breast.onsetAge, "45")
        XCTAssertEqual(breast.deceased, .yes)
        XCTAssertEqual(breast.deceasedAge, "61")
        XCTAssertEqual(breast.recordedOn, try PartialDate(parsing: "2026-09-14"))
        XCTAssertEqual(breast.sourceNotes, "Tested BRCA1 positive\n\nLeft breast")
        XCTAssertNil(breast.notes, "import never writes the patient's notes")
        XCTAssertEqual(ovarian.relationship, "mother")
        XCTAssertEqual(ovarian.onsetAge, "50-59")
        XCTAssertEqual(ovarian.sourceNotes, "Tested BRCA1 positive\n\nOutcome: died\n\nContributed to death")

        XCTAssertEqual(prostate.relationship, "Stiefvater", "a relationship phr has no code for is kept as written")
        XCTAssertNil(prostate.relationshipCode)
        XCTAssertEqual(prostate.codeSystem, .icd10)
        XCTAssertEqual(prostate.onsetAge, "in his fifties")
        XCTAssertEqual(prostate.deceased, .no)
        XCTAssertEqual(prostate.status, .partial)

        XCTAssertEqual(colon.relationship, "paternal grandmother", "phr's word for a code without a text")
        XCTAssertEqual(colon.deceased, .unknown)
        XCTAssertEqual(colon.relationshipCode, "PGRMTH")
        XCTAssertEqual(colon.deceased, .unknown)
        XCTAssertEqual(colon.onsetAge, "6 months")
    }

    func testImportingTheSameAgainChangesNothingAndAChangedResourceUpdatesItsRows() throws {
        func input(onset: Int) throws -> String {
            try writeNDJSON("data.ndjson", [
                FHIR.patient("p1"),
                Self.history("f1", conditions: [
                    ["code": ["text": "Breast cancer"], "onsetAge": ["value": 45, "code": "a"]],
                    ["code": ["text": "Ovarian cancer"], "onsetAge": ["value": onset, "code": "a"]],
                ]),
            ])
        }
        try importing(try input(onset: 52))
        let first = try entries()
        XCTAssertEqual(first.count, 2)
        let again = try importing(try input(onset: 52))
        XCTAssertEqual(again.byType["FamilyMemberHistory"]?.unchanged, 1)
        XCTAssertEqual(try entries(), first)

        let changed = try importing(try input(onset: 53))
        XCTAssertEqual(changed.byType["FamilyMemberHistory"]?.updated, 1)
        let rows = try entries()
        XCTAssertEqual(rows.map(\.id), first.map(\.id), "the same rows, not new ones")
        XCTAssertEqual(rows.map(\.onsetAge), ["45", "53"])
    }

    func testEnteredInErrorIsSkippedOrTakesBackWhatAnEarlierImportMade() throws {
        let never = try writeNDJSON("never.ndjson", [
            FHIR.patient("p1"),
            Self.history("f9", status: "entered-in-error", conditions: [["code": ["text": "Melanoma"]]]),
        ])
        let skipped = try importing(never)
        XCTAssertEqual(skipped.notStored.map(\.reason), ["entered in error"])
        XCTAssertEqual(try entries(), [])

        func input(_ status: String) throws -> String {
            try writeNDJSON("data.ndjson", [
                FHIR.patient("p1"),
                Self.history("f1", status: status, conditions: [["code": ["text": "Breast cancer"]], ["code": ["text": "Ovarian cancer"]]]),
            ])
        }
        try importing(try input("completed"))
        let withdrawn = try importing(try input("entered-in-error"))
        XCTAssertEqual(withdrawn.byType["FamilyMemberHistory"]?.updated, 1)
        XCTAssertEqual(try entries().map(\.status), [.enteredInError, .enteredInError], "taken back, not deleted")
        XCTAssertEqual(try importing(try input("entered-in-error")).byType["FamilyMemberHistory"]?.unchanged, 1)
    }

    /// A later version of a FamilyMemberHistory that lists fewer conditions: the rows of the
    /// conditions it no longer lists are marked entered in error (kept, with their history), and
    /// a version listing them again brings them back.
    func testConditionsALaterVersionNoLongerListsAreTakenBack() throws {
        func input(_ conditions: [String]) throws -> String {
            try writeNDJSON("data.ndjson", [
                FHIR.patient("p1"),
                Self.history("f1", conditions: conditions.map { ["code": ["text": $0]] }),
            ])
        }
        try importing(try input(["Breast cancer", "Ovarian cancer", "Melanoma"]))
        let first = try entries()
        XCTAssertEqual(first.map(\.status), [.completed, .completed, .completed])

        let fewer = try importing(try input(["Breast cancer"]))
        XCTAssertEqual(fewer.byType["FamilyMemberHistory"]?.updated, 1, "one outcome for the resource")
        let rows = try entries()
        XCTAssertEqual(rows.map(\.id), first.map(\.id), "kept, not deleted")
        XCTAssertEqual(rows.map(\.status), [.completed, .enteredInError, .enteredInError])
        XCTAssertEqual(try importing(try input(["Breast cancer"])).byType["FamilyMemberHistory"]?.unchanged, 1)

        let again = try importing(try input(["Breast cancer", "Ovarian cancer"]))
        XCTAssertEqual(again.byType["FamilyMemberHistory"]?.updated, 1)
        XCTAssertEqual(try entries().map(\.id), first.map(\.id), "the same rows, not new ones")
        XCTAssertEqual(try entries().map(\.status), [.completed, .completed, .enteredInError])
    }

    /// An entered-in-error version takes back every row earlier versions made, also of conditions
    /// it no longer lists.
    func testEnteredInErrorTakesBackConditionsItNoLongerLists() throws {
        func input(_ status: String, _ conditions: [String]) throws -> String {
            try writeNDJSON("data.ndjson", [
                FHIR.patient("p1"),
                Self.history("f1", status: status, conditions: conditions.map { ["code": ["text": $0]] }),
            ])
        }
        try importing(try input("completed", ["Breast cancer", "Ovarian cancer", "Melanoma"]))
        let withdrawn = try importing(try input("entered-in-error", ["Breast cancer"]))
        XCTAssertEqual(withdrawn.byType["FamilyMemberHistory"]?.updated, 1)
        XCTAssertEqual(try entries().map(\.status), [.enteredInError, .enteredInError, .enteredInError])
    }

    /// A condition that contributed to the death says the relative died, when `deceased[x]` says
    /// nothing; what `deceased[x]` says is kept over it.
    func testAConditionThatContributedToDeathSaysTheRelativeDied() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "FamilyMemberHistory", "id": "f1", "status": "completed", "patient": FHIR.ref("Patient/p1"),
             "relationship": ["coding": [["system": Self.roleCode, "code": "FTH"]]],
             "condition": [["code": ["text": "Heart attack"]], ["code": ["text": "Lung cancer"], "contributedToDeath": true]]],
            ["resourceType": "FamilyMemberHistory", "id": "f2", "status": "completed", "patient": FHIR.ref("Patient/p1"),
             "relationship": ["coding": [["system": Self.roleCode, "code": "BRO"]]], "deceasedString": "unknown",
             "condition": [["code": ["text": "Melanoma"], "contributedToDeath": true]]],
        ])
        try importing(input)
        let rows = Dictionary(uniqueKeysWithValues: try entries().map { ($0.condition, $0.deceased) })
        XCTAssertEqual(rows, ["Heart attack": .yes, "Lung cancer": .yes, "Melanoma": .unknown])
    }

    func testAResourceWithoutAConditionIsSkippedSayingWhy() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "FamilyMemberHistory", "id": "f1", "status": "health-unknown", "patient": FHIR.ref("Patient/p1"),
             "relationship": ["coding": [["system": Self.roleCode, "code": "FTH"]]]],
        ])
        let report = try importing(input)
        XCTAssertEqual(report.notStored.map(\.reason), ["names no condition of the relative"])
        XCTAssertEqual(try entries(), [])
    }
}
