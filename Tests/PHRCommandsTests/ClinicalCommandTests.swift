import Foundation
import XCTest

final class MedicationCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testTheIssuesExampleWorksAndEveryFieldIsKept() throws {
        XCTAssertEqual(try succeed("medication", "add", "Letrozole 2.5 mg tablet", "--frequency", "once daily",
                                   "--start", "2026-11-01").stdout, "Added medication 1: Letrozole 2.5 mg tablet\n")
        try succeed("diagnosis", "add", "Invasive ductal carcinoma")
        try succeed("medication", "edit", "letrozole", "--dose", "2.5 mg", "--route", "by mouth", "--prescriber", "Weber",
                    "--diagnosis", "invasive", "--code", "72965", "--notes", "with breakfast")
        let medication = try succeed("medication", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(medication["name"] as? String, "Letrozole 2.5 mg tablet")
        XCTAssertEqual(medication["dosage"] as? String, "2.5 mg by mouth once daily")
        XCTAssertEqual(medication["frequency"] as? String, "once daily")
        XCTAssertEqual(medication["started_on"] as? String, "2026-11-01")
        XCTAssertEqual(medication["status"] as? String, "active")
        XCTAssertEqual(medication["provider"] as? String, "Dr. Anna Weber")
        XCTAssertEqual(medication["diagnosis_id"] as? Int, 1)
        XCTAssertEqual(medication["code"] as? String, "72965")
        XCTAssertEqual(medication["code_system"] as? String, "rxnorm")
        XCTAssertEqual(medication["notes"] as? String, "with breakfast")
    }

    func testStopAndActiveList() throws {
        try succeed("medication", "add", "Letrozole 2.5 mg tablet", "--start", "2026-11-01")
        try succeed("medication", "add", "Ibuprofen 400 mg", "--frequency", "as needed")
        XCTAssertEqual(try succeed("medication", "stop", "ibuprofen").stdout, "Stopped medication 2: Ibuprofen 400 mg on \(day(0))\n")
        XCTAssertEqual(try succeed("medication", "list", "--active", "--format", "json").jsonArray().map { $0["name"] as? String },
                       ["Letrozole 2.5 mg tablet"])
        let all = try succeed("medication", "list", "--format", "csv").csvRecords().rows
        XCTAssertEqual(all.first { $0["name"] == "Ibuprofen 400 mg" }?["status"], "stopped")
        try succeed("undo")
        XCTAssertEqual(try succeed("medication", "list", "--active", "--format", "json").jsonArray().count, 2)
    }

    func testBadInputIsRefusedAndTheStoreUnchanged() throws {
        try assertRefused(["medication", "add", "Letrozole", "--start", "2026-11-01", "--end", "2026-10-01"], code: 65, mentions: ["end"])
        try assertRefused(["medication", "add", "Letrozole", "--status", "maybe"], code: 64, mentions: ["status"])
        try assertRefused(["medication", "add", "Letrozole", "--diagnosis", "nothing"], code: 65, mentions: ["diagnosis"])
        try assertRefused(["medication", "stop", "aspirin"], code: 65, mentions: ["medication"])
    }

    func testRemoveIsUndone() throws {
        try succeed("medication", "add", "Letrozole 2.5 mg tablet")
        let before = try succeed("medication", "show", "1", "--format", "json").stdout
        try succeed("medication", "remove", "letrozole")
        XCTAssertEqual(try succeed("medication", "list", "--format", "json").jsonArray().count, 0)
        try succeed("undo")
        XCTAssertEqual(try succeed("medication", "show", "1", "--format", "json").stdout, before)
    }
}

final class AllergyCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testTheIssuesExampleWorksAndEveryFieldIsKept() throws {
        XCTAssertEqual(try succeed("allergy", "add", "penicillin", "--reaction", "hives", "--severity", "moderate").stdout,
                       "Added allergy 1: penicillin\n")
        try succeed("allergy", "edit", "pen", "--type", "allergy", "--category", "drug", "--criticality", "high",
                    "--code", "7980", "--notes", "as a child")
        let allergy = try succeed("allergy", "show", "penicillin", "--format", "json").jsonObject()
        XCTAssertEqual(allergy["substance"] as? String, "penicillin")
        XCTAssertEqual(allergy["entry"] as? String, "allergy")
        XCTAssertEqual(allergy["reaction"] as? String, "hives")
        XCTAssertEqual(allergy["severity"] as? String, "moderate")
        XCTAssertEqual(allergy["type"] as? String, "allergy")
        XCTAssertEqual(allergy["category"] as? String, "medication")
        XCTAssertEqual(allergy["criticality"] as? String, "high")
        XCTAssertEqual(allergy["substance_code"] as? String, "7980")
        XCTAssertEqual(allergy["substance_code_system"] as? String, "rxnorm")
        XCTAssertEqual(allergy["status"] as? String, "active")
        XCTAssertEqual(allergy["recorded_on"] as? String, day(0))
        XCTAssertEqual(allergy["notes"] as? String, "as a child")
    }

    func testNoKnownAllergiesIsDatedAndDistinctFromNothingRecorded() throws {
        XCTAssertTrue(try succeed("allergy", "list").stdout.hasPrefix("Allergies not recorded."))
        XCTAssertEqual(try succeed("allergy", "none", "--date", "2026-11-02").stdout,
                       "Recorded: no known allergies (2026-11-02, entry 1)\n")
        let rows = try succeed("allergy", "list", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["entry"] as? String }, ["none-known"])
        XCTAssertEqual(rows.map { $0["substance"] as? String }, ["No known allergies"])
        XCTAssertEqual(rows.map { $0["recorded_on"] as? String }, ["2026-11-02"])
        try succeed("allergy", "add", "latex", "--reaction", "rash")
        let active = try succeed("allergy", "list", "--active", "--format", "json").jsonArray()
        XCTAssertEqual(active.map { $0["substance"] as? String }, ["latex"], "an allergy ends \"no known allergies\"")
        try assertRefused(["allergy", "none"], code: 65, mentions: ["latex"])
    }

    func testNoKnownDrugAllergiesStandsBesideAFoodAllergyUntilADrugMayBeInvolved() throws {
        try succeed("allergy", "add", "peanuts", "--category", "food", "--reaction", "swelling")
        XCTAssertEqual(try succeed("allergy", "none", "--category", "drug", "--date", "2026-11-02").stdout,
                       "Recorded: no known drug allergies (2026-11-02, entry 2)\n")
        let rows = try succeed("allergy", "list", "--active", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["substance"] as? String }, ["peanuts", "No known drug allergies"])
        XCTAssertEqual(rows.map { $0["category"] as? String }, ["food", "medication"])
        try assertRefused(["allergy", "none"], code: 65, mentions: ["peanuts"])
        try assertRefused(["allergy", "none", "--category", "biologic"], code: 64, mentions: ["drugs", "food", "environment"])

        try succeed("export", "packet")
        let summary = try String(contentsOfFile: folder.appendingPathComponent("packet/summary.html").path, encoding: .utf8)
        XCTAssertTrue(summary.contains("<li><strong>No known drug allergies</strong> (recorded 2026-11-02)</li>"), summary)
        XCTAssertTrue(summary.contains("<li><strong>peanuts</strong> (reaction: swelling; recorded \(day(0)))</li>\n"
                                       + "<li><strong>No known drug allergies</strong>"), "the allergy first: \(summary)")

        // Latex, of no known kind, may be a drug's: the statement no longer holds.
        try succeed("allergy", "add", "latex", "--reaction", "rash")
        XCTAssertEqual(try succeed("allergy", "list", "--active", "--format", "json").jsonArray().map { $0["substance"] as? String },
                       ["peanuts", "latex"])
        try assertRefused(["allergy", "none", "--category", "drug"], code: 65, mentions: ["latex", "may be drug allergies", "--category"])
    }

    func testAnAllergyWithoutASubstanceIsRefused() throws {
        try assertRefused(["allergy", "add", " ", "--reaction", "hives"], code: 65, mentions: ["substance"])
        try assertRefused(["allergy", "add", "peanuts", "--severity", "severe"], code: 65, mentions: ["reaction"])
        try assertRefused(["allergy", "add", "peanuts", "--severity", "deadly"], code: 64, mentions: ["severity"])
    }

    func testRemoveIsUndone() throws {
        try succeed("allergy", "add", "penicillin", "--reaction", "hives")
        let before = try succeed("allergy", "show", "1", "--format", "json").stdout
        try succeed("allergy", "remove", "penicillin")
        try succeed("undo")
        XCTAssertEqual(try succeed("allergy", "show", "1", "--format", "json").stdout, before)
    }
}

final class ProcedureCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testTheCategoryIsGuessedFromTheNameUnlessGiven() throws {
        try succeed("procedure", "add", "Lumpectomy")
        try succeed("procedure", "add", "Whole breast radiotherapy")
        try succeed("procedure", "add", "Electrocardiogram")
        try succeed("procedure", "add", "Mastectomy", "--category", "other")
        let categories = try succeed("procedure", "list", "--format", "json").jsonArray().map { $0["category"] as? String }
        XCTAssertEqual(categories, ["surgery", "radiation-therapy", "other", "other"])
    }

    func testEveryFieldIsKeptAndListsFilterByCategory() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma")
        XCTAssertEqual(try succeed("procedure", "add", "Whole-breast radiation", "--category", "radiation", "--date", "2027-01-10",
                                   "--until", "2027-02-14", "--provider", "Chen", "--site", "left breast",
                                   "--diagnosis", "invasive", "--outcome", "tolerated well", "--status", "in-progress",
                                   "--code", "33195004", "--notes", "25 fractions").stdout,
                       "Added procedure 1: Whole-breast radiation\n")
        try succeed("procedure", "add", "Lumpectomy", "--category", "surgery", "--date", "2026-12-01 09:30")
        let procedure = try succeed("procedure", "show", "whole", "--format", "json").jsonObject()
        XCTAssertEqual(procedure["category"] as? String, "radiation-therapy")
        XCTAssertEqual(procedure["performed_on"] as? String, "2027-01-10")
        XCTAssertEqual(procedure["performed_until"] as? String, "2027-02-14")
        XCTAssertEqual(procedure["provider"] as? String, "Dr. Paul Chen")
        XCTAssertEqual(procedure["body_site"] as? String, "left breast")
        XCTAssertEqual(procedure["diagnosis_id"] as? Int, 1)
        XCTAssertEqual(procedure["outcome"] as? String, "tolerated well")
        XCTAssertEqual(procedure["status"] as? String, "in-progress")
        XCTAssertEqual(procedure["code_system"] as? String, "snomed-ct")
        XCTAssertEqual(procedure["notes"] as? String, "25 fractions")
        let surgery = try succeed("procedure", "list", "--category", "surgery", "--format", "json").jsonArray()
        XCTAssertEqual(surgery.map { $0["performed_on"] as? String }, ["2026-12-01T09:30:00-05:00"])
    }

    func testBadInputIsRefusedAndRemoveIsUndone() throws {
        try assertRefused(["procedure", "add", "Radiation", "--date", "2027-02-01", "--until", "2027-01-01"], code: 65, mentions: ["until"])
        try assertRefused(["procedure", "add", "Radiation", "--until", "2027-01-01"], code: 65, mentions: ["start"])
        try succeed("procedure", "add", "Lumpectomy", "--category", "surgery")
        let before = try succeed("procedure", "show", "1", "--format", "json").stdout
        try succeed("procedure", "remove", "lumpectomy")
        try succeed("undo")
        XCTAssertEqual(try succeed("procedure", "show", "1", "--format", "json").stdout, before)
    }
}

final class ImmunizationCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testEveryFieldIsKeptAndEditAndRemoveAreUndone() throws {
        XCTAssertEqual(try succeed("immunization", "add", "Influenza, seasonal", "--date", "2025-10-02", "--code", "141",
                                   "--notes", "left arm").stdout, "Added immunization 1: Influenza, seasonal\n")
        let before = try succeed("immunization", "show", "influenza", "--format", "json").stdout
        let shot = try succeed("immunization", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(shot["vaccine"] as? String, "Influenza, seasonal")
        XCTAssertEqual(shot["given_on"] as? String, "2025-10-02")
        XCTAssertEqual(shot["code"] as? String, "141")
        XCTAssertEqual(shot["code_system"] as? String, "cvx")
        XCTAssertEqual(shot["status"] as? String, "completed")
        XCTAssertEqual(shot["notes"] as? String, "left arm")
        try succeed("immunization", "edit", "1", "--status", "not-done")
        try succeed("undo")
        XCTAssertEqual(try succeed("immunization", "show", "1", "--format", "json").stdout, before)
        try succeed("immunization", "remove", "1")
        try succeed("undo")
        XCTAssertEqual(try succeed("immunization", "show", "1", "--format", "json").stdout, before)
        try assertRefused(["immunization", "add", "Tdap", "--code", "X-1"], code: 64, mentions: ["--system"])
    }
}
