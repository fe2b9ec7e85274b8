import Foundation
import XCTest

final class ResultCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testTheIssuesExamplesWorkAsWrittenAndKeepEveryField() throws {
        XCTAssertEqual(try succeed("result", "add", "CA 15-3", "42", "U/mL", "--range", "0-30", "--date", "2026-11-20").stdout,
                       "Added result 1: CA 15-3 42 U/mL\n")
        XCTAssertEqual(try succeed("result", "add", "Estrogen receptor", "positive", "--category", "biomarker",
                                   "--detail", "95%").stdout,
                       "Added result 2: Estrogen receptor positive\n")
        let marker = try succeed("result", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(marker["name"] as? String, "CA 15-3")
        XCTAssertEqual(marker["category"] as? String, "tumour-marker", "a well-known tumour marker is recognised")
        XCTAssertEqual(marker["value_type"] as? String, "quantity")
        XCTAssertEqual(marker["value_number"] as? Int, 42)
        XCTAssertEqual(marker["value_unit"] as? String, "U/mL")
        XCTAssertEqual(marker["value"] as? String, "42 U/mL")
        XCTAssertEqual(marker["reference_low"] as? Int, 0)
        XCTAssertEqual(marker["reference_high"] as? Int, 30)
        XCTAssertEqual(marker["observed_at"] as? String, "2026-11-20")
        XCTAssertEqual(marker["interpretation"] as? String, "high", "judged from the range")
        XCTAssertEqual(marker["abnormal"] as? Bool, true)
        XCTAssertEqual(marker["status"] as? String, "final")
        let receptor = try succeed("result", "show", "Estrogen receptor", "--format", "json").jsonObject()
        XCTAssertEqual(receptor["category"] as? String, "biomarker")
        XCTAssertEqual(receptor["value_type"] as? String, "text")
        XCTAssertEqual(receptor["value_text"] as? String, "positive")
        XCTAssertEqual(receptor["detail"] as? String, "95%")
        XCTAssertEqual(receptor["abnormal"] as? Bool, false)
    }

    func testLinksCodesAndDateTimesAreKept() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--code", "C50.412")
        try succeed("result", "add", "Hemoglobin", "11.2", "g/dL", "--code", "718-7", "--range", "12-16",
                    "--date", "2026-11-20 08:15", "--provider", "Weber", "--diagnosis", "invasive", "--notes", "fasting")
        let result = try succeed("result", "show", "hemoglobin", "--format", "json").jsonObject()
        XCTAssertEqual(result["code"] as? String, "718-7")
        XCTAssertEqual(result["code_system"] as? String, "loinc", "guessed from the code's shape")
        XCTAssertEqual(result["value_number"] as? Double, 11.2)
        XCTAssertEqual(result["observed_at"] as? String, "2026-11-20T08:15:00-05:00", "local time with its offset")
        XCTAssertEqual(result["provider"] as? String, "Dr. Anna Weber")
        XCTAssertEqual(result["diagnosis_id"] as? Int, 1)
        XCTAssertEqual(result["notes"] as? String, "fasting")
        XCTAssertEqual(result["interpretation"] as? String, "low")
    }

    /// A lab or pathology report imported without its document is its results (its source notes
    /// say so): `--record` lists them.
    func testListOfARecordGivesTheResultsOfThatReportOnly() throws {
        try succeed("record", "add", "--no-file", "--kind", "lab", "--title", "Iron studies")
        try succeed("result", "add", "Ferritin", "8", "ng/mL", "--record", "1")
        try succeed("result", "add", "Transferrin saturation", "9", "%", "--record", "1")
        try succeed("result", "add", "Hemoglobin", "11.2", "g/dL")
        let listed = try succeed("result", "list", "--record", "1", "--format", "json").jsonArray()
        XCTAssertEqual(listed.compactMap { $0["name"] as? String }, ["Ferritin", "Transferrin saturation"])
        XCTAssertEqual(try succeed("result", "list", "--format", "json").jsonArray().count, 3, "without it, every result")
        try assertRefused(["result", "list", "--record", "9"], code: 65, mentions: ["no record with id 9"])
        try assertRefused(["result", "list", "--record", "iron"], code: 64, mentions: ["--record"])
    }

    func testAnUnknownUnitIsKeptAsWritten() throws {
        try succeed("result", "add", "Odd marker", "7", "Einheiten/ml")
        XCTAssertEqual(try succeed("result", "show", "1", "--format", "json").jsonObject()["value_unit"] as? String, "Einheiten/ml")
    }

    func testBadInputIsRefusedWithOneLineAndTheStoreUnchanged() throws {
        try assertRefused(["result", "add", "CA 15-3", "high", "U/mL"], code: 65, mentions: ["not a number", "U/mL"])
        try assertRefused(["result", "add", "CA 15-3", "42", "U/mL", "--diagnosis", "99"], code: 65, mentions: ["diagnosis"])
        try assertRefused(["result", "add", "CA 15-3", "42", "U/mL", "--range", "30-0"], code: 65, mentions: ["range"])
        try assertRefused(["result", "add", "CA 15-3", "42", "U/mL", "--date", "2026-13-01"], code: 65, mentions: ["--date"])
        try assertRefused(["result", "add", "CA 15-3", "42", "--category", "astrology"], code: 64, mentions: ["category"])
        try assertRefused(["result", "add", "  ", "42"], code: 65, mentions: ["name"])
        try assertRefused(["result", "remove", "7"], code: 65, mentions: ["result"])
    }

    func testEditAndRemoveAreUndoneWhole() throws {
        try succeed("result", "add", "CA 15-3", "42", "U/mL", "--range", "0-30", "--date", "2026-11-20")
        let before = try succeed("result", "show", "1", "--format", "json").stdout
        XCTAssertEqual(try succeed("result", "edit", "1", "--value", "38", "--range", "").stdout, "Updated result 1: CA 15-3 38 U/mL\n")
        let edited = try succeed("result", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(edited["value_number"] as? Int, 38)
        XCTAssertNil(edited["range"] as? String)
        try succeed("undo")
        XCTAssertEqual(try succeed("result", "show", "1", "--format", "json").stdout, before)
        try succeed("result", "remove", "1")
        XCTAssertEqual(try succeed("result", "list", "--format", "json").jsonArray().count, 0)
        try succeed("undo")
        XCTAssertEqual(try succeed("result", "show", "1", "--format", "json").stdout, before)
    }

    func testTrendShowsTheSeriesWithRangeFlagsAndAChart() throws {
        try succeed("result", "add", "CA 15-3", "42", "U/mL", "--range", "0-30", "--date", "2026-11-20")
        try succeed("result", "add", "CA 15-3", "21", "U/mL", "--range", "0-30", "--date", "2026-08-01")
        try succeed("result", "add", "CA 15-3", "31.5", "U/mL", "--range", "0-30", "--date", "2026-10-01")
        try succeed("result", "add", "CEA", "2.1", "ng/mL", "--date", "2026-10-01")
        let table = try succeed("result", "trend", "ca 15-3").stdout
        XCTAssertTrue(table.contains("CA 15-3 (tumour-marker), U/mL, range 0–30"), table)
        let lines = table.split(separator: "\n").map(String.init)
        let dated = lines.filter { $0.contains("2026-") }
        XCTAssertEqual(dated.count, 3, table)
        XCTAssertTrue(dated[0].contains("2026-08-01") && dated[2].contains("2026-11-20"), "oldest first: \(table)")
        XCTAssertTrue(dated[2].contains(" H "), "the high value is flagged: \(dated[2])")
        XCTAssertFalse(dated[0].contains(" H "), dated[0])
        XCTAssertTrue(dated[2].hasSuffix(String(repeating: "█", count: 20)), "the largest value has the full bar: \(dated[2])")
        XCTAssertTrue(dated[0].hasSuffix(" " + String(repeating: "█", count: 10)), "half the value, half the bar: \(dated[0])")
        XCTAssertFalse(table.contains("CEA"))

        let json = try succeed("result", "trend", "CA 15-3", "--since", "2026-09", "--format", "json").jsonArray()
        XCTAssertEqual(json.map { $0["value_number"] as? Double }, [31.5, 42])
        XCTAssertEqual(json.map { $0["abnormal"] as? Bool }, [true, true])
        XCTAssertNil(json.first?["chart"], "the chart is for people, not scripts")
        let csv = try succeed("result", "trend", "CA 15-3", "--format", "csv").csvRecords().rows
        XCTAssertEqual(csv.map { $0["observed_at"] }, ["2026-08-01", "2026-10-01", "2026-11-20"])
        XCTAssertEqual(csv.map { $0["flag"] }, ["", "H", "H"])
        try assertRefused(["result", "trend", "PSA"], code: 65, mentions: ["PSA"])
        // Known, but none since the date: an empty trend, not a mistyped name.
        XCTAssertEqual(try succeed("result", "trend", "CA 15-3", "--since", "2027", "--format", "json").jsonArray().count, 0)
        try assertRefused(["result", "trend", "PSA", "--since", "2026"], code: 65, mentions: ["PSA"])
    }

    /// A value its source took back (entered in error on a later import) is no point of the trend.
    func testTrendLeavesOutAValueItsSourceTookBack() throws {
        try succeed("result", "add", "CA 15-3", "21", "U/mL", "--date", "2026-08-01")
        func observation(_ status: String) throws -> String {
            try writeFile("portal-\(status).ndjson", #"{"resourceType":"Observation","id":"o1","status":"\#(status)","#
                          + #""code":{"text":"CA 15-3"},"effectiveDateTime":"2026-11-20","valueQuantity":{"value":99,"unit":"U/mL"}}"#)
        }
        try succeed("import", try observation("final"), "--patient", "Maria")
        let values = { try self.succeed("result", "trend", "CA 15-3", "--format", "json").jsonArray().map { $0["value_number"] as? Int } }
        XCTAssertEqual(try values(), [21, 99])
        try succeed("import", try observation("entered-in-error"), "--patient", "Maria")
        XCTAssertEqual(try values(), [21])
        let kept = try succeed("result", "list", "--format", "json").jsonArray().map { $0["status"] as? String }
        XCTAssertEqual(Set(kept), ["final", "entered-in-error"], "taken back, not deleted")
    }

    func testListFiltersByCategoryAndAbnormal() throws {
        try succeed("result", "add", "CA 15-3", "42", "U/mL", "--range", "0-30", "--date", "2026-11-20")
        try succeed("result", "add", "Hemoglobin", "13", "g/dL", "--range", "12-16", "--date", "2026-11-20")
        try succeed("result", "add", "pT", "pT2", "--date", "2026-10-02")
        let abnormal = try succeed("result", "list", "--abnormal", "--format", "json").jsonArray()
        XCTAssertEqual(abnormal.map { $0["name"] as? String }, ["CA 15-3"])
        let staging = try succeed("result", "list", "--category", "staging", "--format", "json").jsonArray()
        XCTAssertEqual(staging.map { $0["value"] as? String }, ["pT2"])
    }
}
