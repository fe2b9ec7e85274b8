import Foundation
import XCTest

final class OpinionCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Invasive ductal carcinoma, left breast", "--code", "C50.412", "--stage", "IIA",
                    "--date", "2026-10-02", "--provider", "Weber")
    }

    func testFirstOpinionIsMarkedAndEveryFieldIsInJSON() throws {
        XCTAssertEqual(try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--date", "2026-10-05",
                                   "--conclusion", "Stage IIA, HR+ HER2-", "--recommendation", "Lumpectomy, then radiation",
                                   "--stage", "cT2 cN0", "--notes", "seen with Giulia").stdout,
                       "Added opinion 1 (first opinion)\n")
        let o = try succeed("opinion", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(o["id"] as? Int, 1)
        XCTAssertEqual((o["uuid"] as? String)?.count, 36)
        XCTAssertEqual(o["diagnosis_id"] as? Int, 1)
        XCTAssertEqual(o["diagnosis"] as? String, "Invasive ductal carcinoma, left breast")
        XCTAssertEqual(o["given_on"] as? String, "2026-10-05")
        XCTAssertEqual(o["provider_id"] as? Int, 1)
        XCTAssertEqual(o["provider"] as? String, "Dr. Anna Weber")
        XCTAssertEqual(o["specialty"] as? String, "medical oncology")
        XCTAssertEqual(o["conclusion"] as? String, "Stage IIA, HR+ HER2-")
        XCTAssertEqual(o["recommendation"] as? String, "Lumpectomy, then radiation")
        XCTAssertEqual(o["stage"] as? String, "cT2 cN0")
        XCTAssertEqual(o["agreement"] as? String, "first opinion")
        XCTAssertTrue(o["appointment_id"] is NSNull)
        XCTAssertEqual(o["notes"] as? String, "seen with Giulia")
    }

    func testOpinionAtAnAppointmentTakesItsDay() throws {
        try succeed("appointment", "add", "--provider", "Chen", "--at", "2026-11-20 09:30", "--purpose", "second-opinion")
        try succeed("opinion", "add", "--diagnosis", "C50", "--provider", "Chen", "--appointment", "1",
                    "--conclusion", "Agrees", "--agreement", "agrees")
        let o = try succeed("opinion", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(o["given_on"] as? String, "2026-11-20")
        XCTAssertEqual(o["appointment_id"] as? Int, 1)
    }

    /// The opinion history is in date order, whatever order the opinions were entered in, and the
    /// earliest is the first opinion.
    func testOpinionHistoryIsInDateOrder() throws {
        try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Chen", "--date", "2026-11-20",
                    "--conclusion", "Agrees with the diagnosis", "--recommendation", "Neoadjuvant chemotherapy first",
                    "--agreement", "partly")
        try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--date", "2026-10-05",
                    "--conclusion", "Stage IIA", "--recommendation", "Lumpectomy, then radiation")
        try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Berg", "--date", "2026-11-24",
                    "--conclusion", "Surgery can wait", "--agreement", "differs")
        // Chen's opinion stopped being the first when Weber's earlier one was entered; the store
        // then marks it "not stated" until the patient says how it compares.
        XCTAssertEqual(try succeed("opinion", "show", "1", "--format", "json").jsonObject()["agreement"] as? String, "not stated")
        try succeed("opinion", "edit", "1", "--agreement", "partly")

        let history = try succeed("opinion", "history", "--format", "json").jsonArray()
        XCTAssertEqual(history.map { $0["given_on"] as? String }, ["2026-10-05", "2026-11-20", "2026-11-24"])
        XCTAssertEqual(history.map { $0["provider"] as? String }, ["Dr. Anna Weber", "Dr. Paul Chen", "Dr. Anton Berg"])
        XCTAssertEqual(history.map { $0["agreement"] as? String }, ["first opinion", "partly agrees", "differs"])
        XCTAssertEqual(history.map { $0["specialty"] as? String }, ["medical oncology", "breast medical oncology", "breast surgery"])
        XCTAssertEqual(history[1]["recommendation"] as? String, "Neoadjuvant chemotherapy first")

        let csv = try succeed("opinion", "history", "--format", "csv").csvRecords()
        XCTAssertEqual(Array(csv.header.prefix(5)), ["id", "uuid", "diagnosis_id", "diagnosis", "given_on"])
        XCTAssertEqual(csv.rows.map { $0["id"] }, ["2", "1", "3"])
        XCTAssertEqual(csv.rows.map { $0["agreement"] }, ["first opinion", "partly agrees", "differs"])

        let table = try succeed("opinion", "history").lines
        XCTAssertEqual(table[0], "Invasive ductal carcinoma, left breast (C50.412), stage IIA, diagnosed 2026-10-02")
        XCTAssertTrue(table[1].hasPrefix("ID  Date"), table[1])
        let order = ["2026-10-05", "2026-11-20", "2026-11-24"].compactMap { date in table.firstIndex { $0.contains(date) } }
        XCTAssertEqual(order, order.sorted(), "table rows in date order")
        XCTAssertEqual(order.count, 3)
    }

    func testHistoryGroupsByDiagnosisAndFilters() throws {
        try succeed("diagnosis", "add", "Lymphoma", "--date", "2026-11-01")
        try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--date", "2026-10-05", "--conclusion", "A")
        try succeed("opinion", "add", "--diagnosis", "lymphoma", "--provider", "Chen", "--date", "2026-11-10", "--conclusion", "B")
        try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Chen", "--date", "2026-11-05", "--conclusion", "C")

        let all = try succeed("opinion", "history", "--format", "json").jsonArray()
        XCTAssertEqual(all.map { $0["conclusion"] as? String }, ["A", "C", "B"], "diagnosis by diagnosis, each in date order")
        XCTAssertEqual(all.map { $0["agreement"] as? String }, ["first opinion", "not stated", "first opinion"])
        let table = try succeed("opinion", "history").stdout
        XCTAssertTrue(table.contains("Invasive ductal carcinoma, left breast (C50.412)") && table.contains("Lymphoma, diagnosed 2026-11-01"), table)

        let lymphoma = try succeed("opinion", "history", "--diagnosis", "lymph", "--format", "json").jsonArray()
        XCTAssertEqual(lymphoma.map { $0["conclusion"] as? String }, ["B"])
        let chen = try succeed("opinion", "history", "--provider", "Chen", "--format", "json").jsonArray()
        XCTAssertEqual(chen.map { $0["conclusion"] as? String }, ["C", "B"])
        let list = try succeed("opinion", "list", "--provider", "Chen", "--format", "csv").csvRecords().rows
        XCTAssertEqual(list.map { $0["conclusion"] }, ["C", "B"])
    }

    func testEmptyHistorySaysHowToAdd() throws {
        XCTAssertTrue(try succeed("opinion", "history").stdout.hasPrefix("No opinions yet."))
        XCTAssertEqual(try succeed("opinion", "history", "--format", "json").stdout, "[]\n")
    }

    func testEditAndRemoveKeepTheFirstOpinionMarked() throws {
        try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--date", "2026-10-05", "--conclusion", "A")
        try succeed("opinion", "add", "--diagnosis", "invasive", "--provider", "Chen", "--date", "2026-11-05", "--conclusion", "B",
                    "--agreement", "agrees")
        XCTAssertEqual(try succeed("opinion", "edit", "2", "--agreement", "differs", "--recommendation", "Chemo first").stdout,
                       "Updated opinion 2 (differs)\n")
        XCTAssertEqual(try succeed("opinion", "show", "2", "--format", "json").jsonObject()["recommendation"] as? String, "Chemo first")
        XCTAssertEqual(try succeed("opinion", "remove", "1").stdout, "Removed opinion 1 (phr undo brings it back)\n")
        XCTAssertEqual(try succeed("opinion", "show", "2", "--format", "json").jsonObject()["agreement"] as? String, "first opinion",
                       "the earliest remaining opinion is the first")
        try succeed("undo")
        let history = try succeed("opinion", "history", "--format", "json").jsonArray()
        XCTAssertEqual(history.map { $0["agreement"] as? String }, ["first opinion", "differs"])
    }

    func testBadOpinionInputIsRefused() throws {
        try assertRefused(["opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--conclusion", "A", "--agreement", "maybe"],
                          code: 64, mentions: ["--agreement"])
        try assertRefused(["opinion", "add", "--diagnosis", "invasive", "--provider", "Weber"], code: 64, mentions: ["--conclusion"])
        try assertRefused(["opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--conclusion", " "], code: 65,
                          mentions: ["conclusion"])
        try assertRefused(["opinion", "add", "--diagnosis", "lymphoma", "--provider", "Weber", "--conclusion", "A"], code: 65,
                          mentions: ["--diagnosis", "lymphoma"])
        try assertRefused(["opinion", "add", "--diagnosis", "invasive", "--provider", "Nobody", "--conclusion", "A"], code: 65,
                          mentions: ["--provider"])
        try assertRefused(["opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--conclusion", "A", "--date", "2026-04-31"],
                          code: 65, mentions: ["--date", "2026-04-31"])
        try assertRefused(["opinion", "add", "--diagnosis", "invasive", "--provider", "Weber", "--conclusion", "A", "--appointment", "7"],
                          code: 65, mentions: ["appointment", "7"])
        try assertRefused(["opinion", "history", "--provider", "Dr. An"], code: 65, mentions: ["matches several"])
    }
}
