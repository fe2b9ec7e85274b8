import Foundation
import XCTest

final class FamilyHistoryCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testEveryFieldIsKeptAndEditAndRemoveAreUndone() throws {
        XCTAssertEqual(try succeed("family-history", "add", "breast cancer", "--relative", "mother", "--onset-age", "45",
                                   "--date", "2026-10-02", "--code", "254837009", "--sex", "female",
                                   "--notes", "tested BRCA1 negative").stdout,
                       "Added family-history 1: Mother: breast cancer, onset at 45\n")
        let before = try succeed("family-history", "show", "breast", "--format", "json").stdout
        let entry = try succeed("family-history", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(entry["condition"] as? String, "breast cancer")
        XCTAssertEqual(entry["relationship"] as? String, "mother")
        XCTAssertEqual(entry["relationship_code"] as? String, "MTH")
        XCTAssertEqual(entry["relative_sex"] as? String, "female")
        XCTAssertEqual(entry["onset_age"] as? String, "45")
        XCTAssertEqual(entry["code"] as? String, "254837009")
        XCTAssertEqual(entry["code_system"] as? String, "snomed-ct")
        XCTAssertEqual(entry["recorded_on"] as? String, "2026-10-02")
        XCTAssertEqual(entry["status"] as? String, "completed")
        XCTAssertEqual(entry["notes"] as? String, "tested BRCA1 negative")
        XCTAssertTrue(entry["deceased"] is NSNull)

        XCTAssertEqual(try succeed("family-history", "edit", "mother", "--deceased-age", "62", "--onset-age", "44").stdout,
                       "Updated family-history 1: Mother: breast cancer, onset at 44, died at 62\n")
        let edited = try succeed("family-history", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(edited["deceased"] as? String, "yes")
        XCTAssertEqual(edited["deceased_age"] as? String, "62")
        try succeed("undo")
        XCTAssertEqual(try succeed("family-history", "show", "1", "--format", "json").stdout, before)
        try succeed("family-history", "remove", "1")
        XCTAssertEqual(try succeed("family-history", "list", "--format", "json").jsonArray().count, 0)
        try succeed("undo")
        XCTAssertEqual(try succeed("family-history", "show", "1", "--format", "json").stdout, before)
    }

    func testAnUnknownRelationshipIsKeptAsWrittenWithoutACode() throws {
        try succeed("family-history", "add", "colon cancer", "--relative", "Godmother", "--deceased")
        let entry = try succeed("family-history", "show", "colon", "--format", "json").jsonObject()
        XCTAssertEqual(entry["relationship"] as? String, "Godmother")
        XCTAssertTrue(entry["relationship_code"] is NSNull)
        XCTAssertEqual(entry["deceased"] as? String, "yes")
        let csv = try succeed("family-history", "list", "--format", "csv").csvRecords().rows
        XCTAssertEqual(csv.first?["relationship"], "Godmother")
        XCTAssertEqual(csv.first?["condition"], "colon cancer")
        XCTAssertEqual(csv.first?["relationship_code"], "")
    }

    func testBadInputIsRefusedWithOneLineAndTheStoreUnchanged() throws {
        try succeed("family-history", "add", "breast cancer", "--relative", "mother")
        try assertRefused(["family-history", "add", "--relative", "mother"], code: 64, mentions: ["condition"])
        try assertRefused(["family-history", "add", "breast cancer"], code: 64, mentions: ["--relative"])
        try assertRefused(["family-history", "add", "ovarian cancer", "--relative", "sister", "--date", "2026-13-01"],
                          code: 65, mentions: ["--date", "2026-13-01"])
        try assertRefused(["family-history", "add", "  ", "--relative", "sister"], code: 65, mentions: ["condition"])
        try assertRefused(["family-history", "add", "melanoma", "--relative", "father", "--code", "X-1"], code: 64, mentions: ["--system"])
        try assertRefused(["family-history", "add", "melanoma", "--relative", "father", "--living", "--deceased"],
                          code: 64, mentions: ["--living"])
        for age in ["-3", "45.5", "300", "49-40", "4 5"] {
            try assertRefused(["family-history", "add", "melanoma", "--relative", "father", "--onset-age=\(age)"],
                              code: 64, mentions: ["--onset-age", age, "whole years"])
        }
        try assertRefused(["family-history", "edit", "mother", "--deceased-age=-1"], code: 64, mentions: ["--deceased-age", "-1"])
        try assertRefused(["family-history", "edit", "9", "--onset-age", "50"], code: 65, mentions: ["9"])
        try assertRefused(["family-history", "remove", "lung"], code: 65, mentions: ["lung"])
    }

    /// Ages are kept as written: years, a range of years, words (which may hold digits), and ""
    /// clears one in edit.
    func testAgesAreKeptAsWritten() throws {
        for (index, age) in ["0", "45", "150", "40-49", "6 months", "in her forties", "about 50"].enumerated() {
            try succeed("family-history", "add", "cancer \(index)", "--relative", "sister", "--onset-age", age)
            XCTAssertEqual(try succeed("family-history", "show", "\(index + 1)", "--format", "json").jsonObject()["onset_age"] as? String, age)
        }
        try succeed("family-history", "edit", "1", "--onset-age", "")
        XCTAssertTrue(try succeed("family-history", "show", "1", "--format", "json").jsonObject()["onset_age"] is NSNull)
    }

    func testTimelineAndSearchIncludeFamilyHistory() throws {
        try succeed("family-history", "add", "ovarian cancer", "--relative", "maternal aunt", "--onset-age", "52", "--date", "2026-09-01")
        let timeline = try succeed("timeline", "--format", "json").jsonArray()
        let entry = try XCTUnwrap(timeline.first { $0["kind"] as? String == "family-history" })
        XCTAssertEqual(entry["summary"] as? String, "Family history: Maternal aunt: ovarian cancer, onset at 52")
        let hits = try succeed("search", "ovarian", "--kind", "family-history", "--format", "json").jsonArray()
        XCTAssertEqual(hits.map { $0["kind"] as? String }, ["family-history"])
    }
}
