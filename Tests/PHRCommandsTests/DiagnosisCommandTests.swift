import Foundation
import XCTest

final class DiagnosisCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testAddedDiagnosisKeepsEveryFieldInJSON() throws {
        XCTAssertEqual(try succeed("diagnosis", "add", "Invasive ductal carcinoma, left breast", "--code", "C50.412",
                                   "--date", "2026-10-02", "--provider", "Weber", "--status", "confirmed", "--stage", "IIA",
                                   "--notes", "ER+ PR+ HER2-").stdout,
                       "Added diagnosis 1: Invasive ductal carcinoma, left breast\n")
        let diagnosis = try succeed("diagnosis", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(diagnosis["id"] as? Int, 1)
        XCTAssertEqual(diagnosis["patient_id"] as? Int, 1)
        XCTAssertEqual(diagnosis["description"] as? String, "Invasive ductal carcinoma, left breast")
        XCTAssertEqual(diagnosis["code"] as? String, "C50.412")
        XCTAssertEqual(diagnosis["code_system"] as? String, "icd-10-cm", "the system is guessed from the code's shape")
        XCTAssertEqual(diagnosis["diagnosed_on"] as? String, "2026-10-02")
        XCTAssertEqual(diagnosis["status"] as? String, "confirmed")
        XCTAssertEqual(diagnosis["stage"] as? String, "IIA")
        XCTAssertEqual(diagnosis["provider_id"] as? Int, 1)
        XCTAssertEqual(diagnosis["provider"] as? String, "Dr. Anna Weber")
        XCTAssertEqual(diagnosis["notes"] as? String, "ER+ PR+ HER2-")
    }

    func testCodeSystemsAndPartialDates() throws {
        try succeed("diagnosis", "add", "Ductal carcinoma morphology", "--code", "8500/3", "--date", "2026-10")
        try succeed("diagnosis", "add", "Breast cancer", "--code", "254837009", "--system", "snomed", "--date", "2026")
        try succeed("diagnosis", "add", "Suspected lesion", "--code", "X1", "--system", "icd10", "--status", "suspected")
        let rows = try succeed("diagnosis", "list", "--format", "csv").csvRecords().rows
        let byDescription = Dictionary(uniqueKeysWithValues: rows.map { ($0["description"] ?? "", $0) })
        XCTAssertEqual(byDescription["Ductal carcinoma morphology"]?["code_system"], "icd-o-3")
        XCTAssertEqual(byDescription["Ductal carcinoma morphology"]?["diagnosed_on"], "2026-10")
        XCTAssertEqual(byDescription["Breast cancer"]?["code_system"], "snomed-ct")
        XCTAssertEqual(byDescription["Breast cancer"]?["diagnosed_on"], "2026")
        XCTAssertEqual(byDescription["Suspected lesion"]?["status"], "suspected")
        XCTAssertEqual(byDescription["Suspected lesion"]?["diagnosed_on"], "")
        XCTAssertEqual(rows.map { $0["diagnosed_on"] }, ["2026", "2026-10", ""], "dated first, oldest first")
    }

    func testTodayYesterdayAndTomorrowAreLocalDays() throws {
        try succeed("diagnosis", "add", "Today", "--date", "today")
        try succeed("diagnosis", "add", "Yesterday", "--date", "yesterday")
        let rows = try succeed("diagnosis", "list", "--format", "json").jsonArray()
        let today = day(0)
        let yesterday = day(-1)
        XCTAssertEqual(rows.first { $0["description"] as? String == "Today" }?["diagnosed_on"] as? String, today)
        XCTAssertEqual(rows.first { $0["description"] as? String == "Yesterday" }?["diagnosed_on"] as? String, yesterday)
    }

    func testListTableAndStatusFilter() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412", "--stage", "IIA", "--provider", "Weber")
        try succeed("diagnosis", "add", "Benign cyst", "--status", "resolved")
        let table = try succeed("diagnosis", "list").lines
        XCTAssertTrue(table[0].hasPrefix("ID  Diagnosis"), table[0])
        XCTAssertTrue(table.contains { $0.contains("Invasive ductal carcinoma") && $0.contains("C50.412") && $0.contains("Dr. Anna Weber") })
        let confirmed = try succeed("diagnosis", "list", "--status", "confirmed", "--format", "json").jsonArray()
        XCTAssertEqual(confirmed.map { $0["description"] as? String }, ["Invasive ductal carcinoma"])
    }

    func testShowFindsByDescriptionOrCodePrefix() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412")
        XCTAssertEqual(try succeed("diagnosis", "show", "invasive", "--format", "json").jsonObject()["id"] as? Int, 1)
        XCTAssertEqual(try succeed("diagnosis", "show", "c50", "--format", "json").jsonObject()["id"] as? Int, 1)
        let table = try succeed("diagnosis", "show", "1").stdout
        XCTAssertTrue(table.contains("Code:") && table.contains("C50.412"), table)
    }

    func testEditAndRemoveWithUndo() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412", "--stage", "IIA")
        XCTAssertEqual(try succeed("diagnosis", "edit", "invasive", "--stage", "pT2 N1a M0", "--code", "").stdout,
                       "Updated diagnosis 1: Invasive ductal carcinoma\n")
        let edited = try succeed("diagnosis", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(edited["stage"] as? String, "pT2 N1a M0")
        XCTAssertTrue(edited["code"] is NSNull && edited["code_system"] is NSNull, "an empty --code clears code and system")
        try succeed("diagnosis", "remove", "1")
        XCTAssertEqual(try succeed("diagnosis", "list", "--format", "json").jsonArray().count, 0)
        try succeed("undo")
        XCTAssertEqual(try succeed("diagnosis", "list", "--format", "json").jsonArray().count, 1)
    }

    func testImpossibleDateIsRefused() throws {
        try assertRefused(["diagnosis", "add", "Invasive ductal carcinoma", "--date", "2026-02-30"], code: 65,
                          mentions: ["--date", "2026-02-30", "YYYY-MM-DD"])
        try assertRefused(["diagnosis", "add", "Invasive ductal carcinoma", "--date", "2026-13"], code: 65, mentions: ["--date"])
        try assertRefused(["diagnosis", "add", "Invasive ductal carcinoma", "--date", "next week"], code: 65, mentions: ["--date"])
    }

    func testUnknownProviderIsRefused() throws {
        try assertRefused(["diagnosis", "add", "Invasive ductal carcinoma", "--provider", "House"], code: 65,
                          mentions: ["--provider", "no provider matches 'House'"])
    }

    func testCodeOfUnknownShapeNeedsItsSystem() throws {
        try assertRefused(["diagnosis", "add", "Something", "--code", "abc"], code: 64, mentions: ["--code", "--system"])
        try assertRefused(["diagnosis", "add", "Something", "--code", "C50.9", "--system", "loinc"], code: 64, mentions: ["--system"])
    }

    func testAmbiguousDiagnosisPrefixIsRefused() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma")
        try succeed("diagnosis", "add", "Invasive lobular carcinoma")
        try assertRefused(["diagnosis", "edit", "invasive", "--stage", "I"], code: 65,
                          mentions: ["matches several", "Invasive ductal carcinoma (1)", "Invasive lobular carcinoma (2)"])
    }

    func testEmptyDescriptionIsRefused() throws {
        try assertRefused(["diagnosis", "add", "  "], code: 65, mentions: ["description"])
    }
}
