import Foundation
import XCTest

/// The new kinds in the second-opinion workflow: status's recent labs, opinion compare's staging,
/// the timeline, search, and social findings kept apart.
final class ClinicalWorkflowCommandTests: WorkflowCommandTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpCase()
    }

    /// Results kept in phr count as recent labs: missing until a packet for the provider carries
    /// them (the next step is that packet), done once one did.
    func testRecentLabsCountResultsKeptInPhrUntilAPacketForTheProviderCarriesThem() throws {
        try succeed("config", "set", "status.needed-records", "lab-result")
        try addSecondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(try statusItems().items["appointment.records.lab-result"]?["detail"] as? String,
                       "none from the last 90 days recorded")
        try succeed("result", "add", "Hemoglobin", "12.1", "g/dL", "--date", day(-200))
        XCTAssertEqual(try statusItems().items["appointment.records.lab-result"]?["detail"] as? String,
                       "none from the last 90 days recorded", "an old result is not recent")
        try succeed("result", "add", "CA 15-3", "42", "U/mL", "--range", "0-30", "--date", day(-3))
        let item = try XCTUnwrap(try statusItems().items["appointment.records.lab-result"])
        XCTAssertEqual(item["state"] as? String, "missing")
        XCTAssertEqual(item["detail"] as? String,
                       "1 result from the last 90 days kept in phr, not sent to Dr. Paul Chen; a packet exported for Dr. Paul Chen carries them")
        XCTAssertTrue((item["hint"] as? String)?.hasPrefix("phr export PACKET --for ") == true, "\(item)")
        try succeed("export", folder.appendingPathComponent("other").path, "--for", "Weber")
        XCTAssertEqual(try statusItems().items["appointment.records.lab-result"]?["state"] as? String, "missing",
                       "a packet for another doctor does not send them to this one")
        try succeed("export", folder.appendingPathComponent("packet").path, "--for", "Chen")
        let sent = try XCTUnwrap(try statusItems().items["appointment.records.lab-result"])
        XCTAssertEqual(sent["state"] as? String, "done")
        XCTAssertEqual(sent["detail"] as? String, "1 result from the last 90 days sent to Dr. Paul Chen in a packet (\(day(0)))")
    }

    func testOpinionCompareShowsTheStagingOnRecordBesideEachOpinionsStage() throws {
        try succeed("result", "add", "T category", "cT2", "--category", "staging", "--date", day(-9), "--diagnosis", "1")
        try succeed("result", "add", "Stage group", "IIA", "--category", "staging", "--date", day(-9))
        try succeed("result", "add", "T category", "pT2", "--category", "staging", "--date", day(-2), "--diagnosis", "1")
        try addOpinion("Weber", daysAgo: 8, recommendation: "Surgery first", stage: "IIA")
        try addOpinion("Chen", daysAgo: 1, recommendation: "Surgery first", stage: "IIB", agreement: "partly")
        let table = try succeed("opinion", "compare").stdout
        let row = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix("Staging on record") }, table)
        XCTAssertTrue(row.contains("cT2 stage IIA (\(day(-9)))"), String(row))
        XCTAssertTrue(row.contains("cT2 stage IIA (\(day(-9))); pT2 (\(day(-2)))"), "the later opinion saw the later staging: \(row)")
        let json = try succeed("opinion", "compare", "--format", "json").jsonObject()
        XCTAssertEqual((json["staging"] as? [[String: Any]])?.map { $0["value"] as? String }, ["cT2", "IIA", "pT2"])
        XCTAssertEqual((json["opinions"] as? [[String: Any]])?.map { $0["staging_on_record"] as? [Int] }, [[1, 2], [1, 2, 3]])
        let csv = try succeed("opinion", "compare", "--format", "csv").csvRecords().rows
        XCTAssertEqual(csv.first?["staging_on_record"], "cT2 stage IIA (\(day(-9)))")
    }

    func testTimelineAndSearchIncludeTheNewKinds() throws {
        try succeed("result", "add", "CA 15-3", "42", "U/mL", "--range", "0-30", "--date", day(-3))
        try succeed("procedure", "add", "Core needle biopsy", "--category", "biopsy", "--date", day(-12))
        try succeed("medication", "add", "Letrozole 2.5 mg tablet", "--frequency", "once daily", "--start", day(-1))
        try succeed("immunization", "add", "Influenza, seasonal", "--date", day(-30))
        try succeed("allergy", "add", "penicillin", "--reaction", "hives", "--date", day(-20))
        let timeline = try succeed("timeline", "--format", "json").jsonArray()
        let kinds = timeline.map { $0["kind"] as? String ?? "?" }
        XCTAssertEqual(kinds, ["immunization", "allergy", "procedure", "diagnosis", "result", "medication"])
        XCTAssertEqual(timeline.first { $0["kind"] as? String == "result" }?["summary"] as? String,
                       "Result: CA 15-3 42 U/mL (range 0–30, high)")
        for (word, kind) in [("letrozole", "medication"), ("penicillin", "allergy"), ("biopsy", "procedure"),
                             ("influenza", "immunization"), ("ca", "result")] {
            let hits = try succeed("search", word, "--format", "json").jsonArray()
            XCTAssertTrue(hits.contains { $0["kind"] as? String == kind }, "\(word): \(hits)")
        }
    }

    func testSocialFindingsAreKeptApartFromTheMedicalDiagnoses() throws {
        try succeed("diagnosis", "add", "Full-time employment (finding)", "--kind", "social-finding", "--date", day(-100))
        XCTAssertEqual(try succeed("diagnosis", "list", "--format", "json").jsonArray().map { $0["kind"] as? String }, ["problem"])
        XCTAssertEqual(try succeed("diagnosis", "list", "--social", "--format", "json").jsonArray().map { $0["description"] as? String },
                       ["Full-time employment (finding)"])
        XCTAssertEqual(try succeed("diagnosis", "list", "--all", "--format", "json").jsonArray().count, 2)
        XCTAssertFalse(try succeed("timeline").stdout.contains("employment"))
        let sections = try statusItems().json["sections"] as? [[String: Any]] ?? []
        XCTAssertFalse(sections.contains { ($0["title"] as? String)?.contains("employment") ?? false }, "\(sections)")
    }
}
