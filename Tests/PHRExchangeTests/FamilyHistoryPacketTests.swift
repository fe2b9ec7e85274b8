import Foundation
import PHRExchange
import PHRStore
import XCTest

/// Family history in the packet: fhir.json's FamilyMemberHistory resources in their Composition
/// section (validated), summary.html's compact list after the active problems, the date scope.
final class FamilyHistoryPacketTests: PacketTestCase {
    private var mother: FamilyHistory!
    private var aunt: FamilyHistory!
    private var godmother: FamilyHistory!

    override func setUpWithError() throws {
        try super.setUpWithError()
        let patientID = sample.patient.id
        func day(_ text: String) throws -> PartialDate { try PartialDate(parsing: text) }
        try store.write("family history") {
            mother = try store.addFamilyHistory(FamilyHistory(
                patientID: patientID, relationship: "mother", condition: "Breast cancer", relationshipCode: "MTH",
                relativeSex: .female, code: "254837009", codeSystem: .snomedCT, onsetAge: "45", deceased: .yes, deceasedAge: "62",
                recordedOn: day("2026-11-03"), notes: "private: ask my sister", sourceNotes: "Tested BRCA1 positive"))
            aunt = try store.addFamilyHistory(FamilyHistory(
                patientID: patientID, relationship: "maternal aunt", condition: "Ovarian cancer", relationshipCode: "MAUNT",
                onsetAge: "50-59", status: .partial, recordedOn: day("2024-05")))
            godmother = try store.addFamilyHistory(FamilyHistory(patientID: patientID, relationship: "godmother",
                                                                 condition: "Colon cancer", onsetAge: "in her forties"))
            _ = try store.addFamilyHistory(FamilyHistory(patientID: patientID, relationship: "father", condition: "Melanoma",
                                                         status: .enteredInError, recordedOn: day("2026-11-03")))
        }
    }

    func testFHIRHasAFamilyMemberHistoryPerConditionInTheFamilyHistorySectionAndValidates() throws {
        try export("packet")
        try validateFHIR(path("packet"))
        let bundle = try bundle(in: path("packet"))
        let composition = try XCTUnwrap(resources(bundle, type: "Composition").first)
        let section = try XCTUnwrap((composition["section"] as? [[String: Any]])?.first { $0["title"] as? String == "Family history" })
        let codings = (section["code"] as? [String: Any])?["coding"] as? [[String: Any]] ?? []
        XCTAssertTrue(codings.contains { $0["system"] as? String == "http://loinc.org" && $0["code"] as? String == "10157-6" })
        XCTAssertEqual((section["entry"] as? [[String: Any]])?.compactMap { $0["reference"] as? String },
                       [godmother.uuid, aunt.uuid, mother.uuid].map { "urn:uuid:" + $0 }, "entered in error is left out")

        let histories = resources(bundle, type: "FamilyMemberHistory")
        XCTAssertEqual(histories.count, 3)
        let first = try XCTUnwrap(histories.first { $0["id"] as? String == mother.uuid })
        XCTAssertEqual(first["status"] as? String, "completed")
        XCTAssertEqual(first["date"] as? String, "2026-11-03")
        let relationship = try XCTUnwrap(first["relationship"] as? [String: Any])
        XCTAssertEqual(relationship["text"] as? String, "mother")
        XCTAssertEqual((relationship["coding"] as? [[String: Any]])?.first?["code"] as? String, "MTH")
        XCTAssertEqual((relationship["coding"] as? [[String: Any]])?.first?["system"] as? String,
                       "http://terminology.hl7.org/CodeSystem/v3-RoleCode")
        XCTAssertEqual(((first["sex"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String, "female")
        XCTAssertEqual((first["deceasedAge"] as? [String: Any])?["value"] as? Int, 62)
        XCTAssertEqual((first["note"] as? [[String: Any]])?.map { $0["text"] as? String }, ["Tested BRCA1 positive"])
        let condition = try XCTUnwrap((first["condition"] as? [[String: Any]])?.first)
        XCTAssertEqual((condition["code"] as? [String: Any])?["text"] as? String, "Breast cancer")
        XCTAssertEqual((condition["onsetAge"] as? [String: Any])?["code"] as? String, "a")
        XCTAssertFalse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path("packet/fhir.json"))), as: UTF8.self)
            .contains("ask my sister"), "the patient's notes stay private")

        let range = try XCTUnwrap(histories.first { $0["id"] as? String == aunt.uuid }?["condition"] as? [[String: Any]]).first
        XCTAssertEqual(((range?["onsetRange"] as? [String: Any])?["high"] as? [String: Any])?["value"] as? Int, 59)
        let words = try XCTUnwrap(histories.first { $0["id"] as? String == godmother.uuid })
        XCTAssertEqual((words["condition"] as? [[String: Any]])?.first?["onsetString"] as? String, "in her forties")
        XCTAssertNil((words["relationship"] as? [String: Any])?["coding"], "no code phr does not know")
    }

    func testSummaryListsFamilyHistoryAfterTheActiveProblems() throws {
        try export("packet")
        let html = try String(contentsOfFile: path("packet/summary.html"), encoding: .utf8)
        let problems = try XCTUnwrap(html.range(of: "<h2>Active problems</h2>"))
        let family = try XCTUnwrap(html.range(of: "<h2>Family history</h2>"))
        let medications = try XCTUnwrap(html.range(of: "<h2>Current medications</h2>"))
        XCTAssertLessThan(problems.lowerBound, family.lowerBound)
        XCTAssertLessThan(family.lowerBound, medications.lowerBound)
        let list = String(html[family.upperBound..<medications.lowerBound])
        XCTAssertTrue(list.contains("<li>Mother: Breast cancer, onset at 45, died at 62<br><span class=\"source-notes\">From the record: Tested BRCA1 positive</span></li>"), list)
        XCTAssertTrue(list.contains("<li>Maternal aunt: Ovarian cancer, onset at 50-59 <span class=\"note\">(partial)</span></li>"), list)
        XCTAssertTrue(list.contains("<li>Godmother: Colon cancer, onset (in her forties)</li>"), list)
        XCTAssertFalse(list.contains("Melanoma"), "entered in error")
        XCTAssertFalse(list.contains("ask my sister"), "the patient's notes only when asked")
    }

    /// Family history is context, as allergies are: a packet of any period or diagnosis carries
    /// all of it (but what was entered in error), however old or undated.
    func testEveryScopeKeepsTheWholeFamilyHistory() throws {
        let all = try exportedFamilyHistory("all", ExportScope(patientID: sample.patient.id))
        XCTAssertEqual(Set(all), Set([mother.uuid, aunt.uuid, godmother.uuid]))
        XCTAssertEqual(try exportedFamilyHistory("since", ExportScope(patientID: sample.patient.id, since: try PartialDate(parsing: "2026-01"))), all)
        XCTAssertEqual(try exportedFamilyHistory("until", ExportScope(patientID: sample.patient.id, until: try PartialDate(parsing: "2025"))), all)
        try validateFHIR(path("since"))
    }

    private func exportedFamilyHistory(_ name: String, _ scope: ExportScope) throws -> [String] {
        try export(name, scope: scope)
        return resources(try bundle(in: path(name)), type: "FamilyMemberHistory").compactMap { $0["id"] as? String }
    }
}
