import Foundation
import XCTest

/// Closed lists show their values and aliases; the words patients use are understood.
final class VocabularyTests: WorkflowCommandTestCase {
    func testRecordsCanBeSentByEmail() throws {
        try setUpCase()
        try succeed("record", "add", try writeFile("report.txt", "Pathology report\n"), "--kind", "pathology")
        try succeed("transfer", "send", "1", "--to", "Chen", "--via", "email", "--date", day(-1))
        let rows = try succeed("transfer", "list", "--format", "json").jsonArray()
        XCTAssertEqual(rows.first?["via"] as? String, "email")
    }

    func testAWrongValueIsRefusedWithEveryValueAndAliasOnOneLine() throws {
        try setUpCase()
        try succeed("record", "add", try writeFile("report.txt", "Pathology report\n"), "--kind", "pathology")
        let refused = try assertRefused(["transfer", "send", "1", "--to", "Chen", "--via", "pigeon"], code: 64,
                                        mentions: ["pigeon", "mail", "fax", "email", "portal", "courier", "in-person", "post"])
        XCTAssertFalse(refused.stderr.contains("following:\n"), refused.stderr)
        try assertRefused(["appointment", "add", "--provider", "Chen", "--at", "2026-12-04 10:00", "--purpose", "lunch"], code: 64,
                          mentions: ["second-opinion", "third-opinion", "tie-break", "surgery"])
        try assertRefused(["record", "add", "--no-file", "--title", "CD", "--kind", "disc"], code: 64,
                          mentions: ["pathology-report", "xray"])
        try assertRefused(["patient", "edit", "Maria", "--sex", "q"], code: 64, mentions: ["female", "M", "F"])
        // The names lists and JSON show (`radiation-therapy`) are listed, not only the short forms.
        try assertRefused(["procedure", "add", "Lumpectomy", "--category", "operation room"], code: 64,
                          mentions: ["surgery", "radiation-therapy", "systemic-therapy", "chemotherapy"])
        let help = try succeed("transfer", "send", "--help").stdout
        XCTAssertTrue(help.contains("email") && help.contains("post"), help)
    }

    func testAliasesPeopleTypeAreUnderstood() throws {
        try setUpCase()
        try succeed("patient", "add", "Ana Lima", "--sex", "F")
        try succeed("patient", "edit", "Ana", "--sex", "M")
        let ana = try succeed("patient", "show", "Ana", "--format", "json").jsonObject()
        XCTAssertEqual(ana["sex"] as? String, "male")
        try succeed("appointment", "add", "--provider", "Berg", "--at", "\(day(3)) 10:00", "--purpose", "surgery")
        try succeed("appointment", "add", "--provider", "Chen", "--at", "\(day(5)) 10:00", "--purpose", "third opinion")
        try succeed("appointment", "add", "--provider", "Chen", "--at", "\(day(6)) 10:00", "--purpose", "tie-break")
        let purposes = try succeed("appointment", "list", "--format", "json").jsonArray().map { $0["purpose"] as? String }
        XCTAssertEqual(purposes, ["treatment", "second-opinion", "second-opinion"])
        try succeed("record", "add", "--no-file", "--title", "Chest X-ray", "--kind", "xray")
        XCTAssertEqual(try succeed("record", "list", "--format", "json").jsonArray().first?["kind"] as? String, "imaging-report")
    }
}
