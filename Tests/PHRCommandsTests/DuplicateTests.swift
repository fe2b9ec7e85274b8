import Foundation
import XCTest

/// A command run twice adds nothing twice: identical things are refused unless `--again`.
final class DuplicateTests: WorkflowCommandTestCase {
    func testRepeatingAnAddIsRefusedWithWhatIsAlreadyThere() throws {
        try setUpCase()
        let diagnosis = ["diagnosis", "add", "Invasive ductal carcinoma, left breast", "--code", "C50.412", "--stage", "IIA",
                         "--date", day(-10), "--provider", "Weber"]
        try assertRefused(diagnosis, code: 65, mentions: ["already there as diagnosis 1", "--again"])
        let appointment = ["appointment", "add", "--provider", "Chen", "--at", "\(day(7)) 09:30", "--purpose", "second-opinion"]
        try succeed(appointment)
        try assertRefused(appointment, code: 65, mentions: ["already there as appointment 1"])
        let opinion = ["opinion", "add", "--diagnosis", "1", "--provider", "Weber", "--date", day(-9), "--conclusion", "IDC"]
        try succeed(opinion)
        try assertRefused(opinion, code: 65, mentions: ["already there as opinion 1"])
        let decision = ["decision", "add", "--diagnosis", "1", "--treatment", "Lumpectomy", "--based-on", "1", "--date", day(0)]
        try succeed(decision)
        try assertRefused(decision, code: 65, mentions: ["already there as decision 1"])
        let slides = ["record", "add", "--no-file", "--kind", "slides", "--title", "Biopsy slides", "--provider", "City Lab"]
        try succeed(slides)
        try assertRefused(slides, code: 65, mentions: ["already there as record 1"])

        // Different fields are a different thing; --again adds a copy on purpose.
        try succeed("appointment", "add", "--provider", "Chen", "--at", "\(day(8)) 09:30", "--purpose", "second-opinion")
        try succeed(appointment + ["--again"])
        XCTAssertEqual(try succeed("appointment", "list", "--format", "json").jsonArray().count, 3)
    }

    func testTheSameFileIsTheSameRecordWhateverItsName() throws {
        try setUpCase()
        let first = try writeFile("pathology.txt", "Invasive ductal carcinoma, grade 2.\n")
        let copy = try writeFile("pathology (1).txt", "Invasive ductal carcinoma, grade 2.\n")
        try succeed("record", "add", first, "--kind", "pathology", "--diagnosis", "1")
        try assertRefused(["record", "add", copy, "--kind", "pathology", "--title", "Again"], code: 65,
                          mentions: ["already there as record 1"])
        try succeed("transfer", "send", "1", "--to", "Chen", "--via", "portal", "--date", day(-1))
        try addSecondOpinionAppointment(daysAhead: 7)
        try succeed("record", "add", copy, "--kind", "pathology", "--diagnosis", "1", "--again")
        let item = try XCTUnwrap(try statusItems().items["appointment.records.pathology-report"])
        XCTAssertEqual(item["state"] as? String, "done", "an identical file was sent: \(item)")
    }
}
