import Foundation
import XCTest

/// The smaller points of a patient's first hour: defaults that need no typing, values that clear,
/// warnings for dates that look wrong, the first use of the default store, a zip named as one.
final class ForgivingCommandsTests: WorkflowCommandTestCase {
    func testAnOpinionNeedsNoDiagnosisWhenThereIsOnlyOne() throws {
        try setUpCase()
        XCTAssertEqual(try succeed("opinion", "add", "--provider", "Chen", "--conclusion", "Agrees").stdout,
                       "Added opinion 1 (first opinion)\n")
        try succeed("diagnosis", "add", "Anaemia")
        try assertRefused(["opinion", "add", "--provider", "Chen", "--conclusion", "Agrees", "--again"], code: 64,
                          mentions: ["--diagnosis", "several", "Anaemia"])
    }

    func testAFilterThatMatchesNothingSaysSoRatherThanThatNothingIsRecorded() throws {
        try setUpCase()
        try succeed("medication", "add", "Letrozole 2.5 mg tablet", "--start", day(-30))
        try succeed("medication", "stop", "Letrozole")
        try succeed("result", "add", "CA 15-3", "25", "U/mL", "--range", "0-30", "--date", day(-3))
        try succeed("procedure", "add", "Core needle biopsy", "--category", "biopsy", "--date", day(-12))
        try succeed("allergy", "add", "penicillin", "--status", "inactive")
        // Each of these is there, and hidden by the filter.
        let filtered: [([String], String)] = [
            (["medication", "list", "--active"],
             "No medications match --active; phr medication list lists them all.\n"),
            (["result", "list", "--abnormal", "--category", "marker"],
             "No results match --category tumour-marker --abnormal; phr result list lists them all.\n"),
            (["procedure", "list", "--category", "surgery"],
             "No procedures match --category surgery; phr procedure list lists them all.\n"),
            (["allergy", "list", "--active"],
             "No allergy entries match --active; phr allergy list lists them all.\n"),
            (["diagnosis", "list", "--status", "resolved"],
             "No diagnoses match --status resolved; phr diagnosis list lists them all.\n"),
            (["opinion", "history", "--provider", "Chen"],
             "No opinions match --provider Chen; phr opinion history lists them all.\n"),
            (["decision", "list", "--diagnosis", "1"],
             "No decisions match --diagnosis 1; phr decision list lists them all.\n"),
        ]
        for (arguments, expected) in filtered {
            XCTAssertEqual(try succeed(arguments).stdout, expected, arguments.joined(separator: " "))
        }
        XCTAssertEqual(try succeed("diagnosis", "list", "--social").stdout, "No social findings recorded.\n")
        XCTAssertEqual(try succeed("result", "list", "--abnormal", "--format", "json").stdout, "[]\n", "data stays data")
        XCTAssertTrue(try succeed("record", "list").stdout.hasPrefix("No records yet. Add one:"), "unfiltered: nothing recorded")
    }

    /// A relative keeping a parent's record beside their own sees whose record each add went into;
    /// with one patient, nothing changes.
    func testAnAddNamesThePatientWhenTheStoreKeepsSeveral() throws {
        try succeed("init")
        try succeed("patient", "add", "Ana Lopez")
        XCTAssertEqual(try succeed("diagnosis", "add", "Invasive ductal carcinoma").stdout,
                       "Added diagnosis 1: Invasive ductal carcinoma\n")
        try succeed("patient", "add", "Luis Lopez")
        XCTAssertEqual(try succeed("diagnosis", "add", "Prostate adenocarcinoma", "--patient", "Luis").stdout,
                       "Added diagnosis 2 for Luis Lopez: Prostate adenocarcinoma\n")
        XCTAssertEqual(try succeed("medication", "add", "Letrozole 2.5 mg tablet").stdout,
                       "Added medication 1 for Ana Lopez: Letrozole 2.5 mg tablet\n", "the default patient, named")
        XCTAssertEqual(try succeed("allergy", "none", "--category", "drug", "--date", "2026-11-02", "--patient", "Luis").stdout,
                       "Recorded for Luis Lopez: no known drug allergies (2026-11-02, entry 1)\n")
        for (arguments, start) in [(["result", "add", "PSA", "6.1", "ng/mL"], "Added result 1 for Ana Lopez: "),
                                   (["procedure", "add", "Biopsy"], "Added procedure 1 for Ana Lopez: "),
                                   (["immunization", "add", "Influenza"], "Added immunization 1 for Ana Lopez: "),
                                   (["allergy", "add", "latex", "--patient", "Luis"], "Added allergy 2 for Luis Lopez: "),
                                   (["record", "add", "--no-file", "--title", "Slides", "--kind", "slides"], "Added record 1 for Ana Lopez: ")] {
            XCTAssertTrue(try succeed(arguments).stdout.hasPrefix(start), arguments.joined(separator: " "))
        }
        let status = try phr("status", "--patient", "Luis")
        XCTAssertTrue(status.stdout.hasPrefix("Patient: Luis Lopez (one of 2 in this store; --patient chooses)\n\nDiagnosis 2: "),
                      status.stdout)
    }

    func testICD10CodesAreStoredInCapitals() throws {
        try setUpPatientAndProviders()
        try succeed("diagnosis", "add", "Colon adenocarcinoma", "--code", "c18.7")
        XCTAssertEqual(try succeed("diagnosis", "show", "1", "--format", "json").jsonObject()["code"] as? String, "C18.7")
    }

    func testAnEmptyInsuranceClearsIt() throws {
        try setUpCase()
        try addSecondOpinionAppointment(daysAhead: 7, insurance: "pending")
        try succeed("appointment", "edit", "1", "--insurance", "")
        XCTAssertTrue(try succeed("appointment", "show", "1", "--format", "json").jsonObject()["insurance"] is NSNull)
        try succeed("appointment", "edit", "1", "--insurance", "none")
        XCTAssertEqual(try succeed("appointment", "show", "1", "--format", "json").jsonObject()["insurance"] as? String, "not-needed")
        try assertRefused(["appointment", "edit", "1", "--insurance", "maybe"], code: 64, mentions: ["pending", "approved", "clear"])
    }

    func testDatesThatLookWrongAreDoneWithAWarning() throws {
        try setUpCase()
        let future = try phr("opinion", "add", "--provider", "Chen", "--conclusion", "Agrees", "--date", day(3))
        XCTAssertEqual(future.status, 0, future.stderr)
        XCTAssertEqual(future.stderr, "phr: warning: opinion 1 is dated \(day(3)), after today (\(day(0))); fix it with phr opinion edit 1 --date DATE\n")
        let early = try phr("decision", "add", "--diagnosis", "1", "--treatment", "Surgery", "--based-on", "1", "--date", day(1))
        XCTAssertEqual(early.status, 0, early.stderr)
        XCTAssertTrue(early.stderr.contains("warning: decision 1 (\(day(1))) is dated before opinion 1 (\(day(3)))"), early.stderr)
        try addSecondOpinionAppointment(daysAhead: 7)
        let completed = try phr("appointment", "complete", "1")
        XCTAssertEqual(completed.status, 0, completed.stderr)
        XCTAssertTrue(completed.stderr.contains("warning: appointment 1 (\(day(7)) 09:30) has not happened yet"), completed.stderr)
    }

    func testTheTimelineShowsTheInsuranceApproval() throws {
        try setUpCase()
        try addSecondOpinionAppointment(daysAhead: 7, insurance: "approved")
        try succeed("appointment", "edit", "1", "--insurance-ref", "PA-2291")
        let timeline = try succeed("timeline").stdout
        XCTAssertTrue(timeline.contains("Second opinion appointment with Dr. Paul Chen (scheduled); insurance approved (PA-2291)"), timeline)
    }

    func testTheFirstWriteToTheDefaultStoreCreatesIt() throws {
        let added = try phr(["patient", "add", "Maria Rossi"], environment: ["PHR_DB": ""])
        let defaultStore = folder.appendingPathComponent(".local/share/phr/phr.sqlite").path
        XCTAssertEqual(added.status, 0, added.stderr)
        XCTAssertEqual(added.stdout, "Added patient 1: Maria Rossi\n")
        XCTAssertEqual(added.stderr, "phr: created your store at \(defaultStore) (first use; a backup is one copy of it)\n")
        let again = try phr(["patient", "list"], environment: ["PHR_DB": ""])
        XCTAssertEqual(again.stderr, "", "the notice comes once")
        // A store named with --db (or PHR_DB) must exist: a typo never makes a stray store.
        try assertRefused(["--db", folder.appendingPathComponent("typo.sqlite").path, "patient", "add", "Ana"], code: 66,
                          mentions: ["no store", "phr init"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("typo.sqlite").path))
    }

    /// `status` before any diagnosis says where to begin, and that nothing is missing yet (exit 0);
    /// once every diagnosis is decided it says only that nothing is under review.
    func testStatusBeforeAnyDiagnosisSaysWhereToBegin() throws {
        let fresh = ["PHR_DB": ""]
        try phr(["patient", "add", "Maria Rossi"], environment: fresh)
        let first = try phr(["status"], environment: fresh)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.hasPrefix("Nothing under review yet: no diagnosis is recorded."), first.stdout)
        XCTAssertTrue(first.stdout.contains("phr diagnosis add \"Invasive ductal carcinoma, left breast\" --code C50.412"), first.stdout)
        XCTAssertTrue(first.stdout.contains("phr guide"), first.stdout)

        try setUpCase()
        try succeed("decision", "add", "--diagnosis", "1", "--treatment", "Surgery")
        let decided = try phr("status")
        XCTAssertEqual(decided.status, 0, decided.stderr)
        XCTAssertTrue(decided.stdout.hasPrefix("Nothing under review: no diagnosis awaits"), decided.stdout)
    }

    func testAZipPacketIsNamedAsOneAndReadBack() throws {
        try setUpCase()
        let export = try succeed("export", "pk", "--zip").stdout
        XCTAssertTrue(export.contains("/pk.zip (zip"), export)
        let zip = folder.appendingPathComponent("pk.zip").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: zip))
        let other = folder.appendingPathComponent("other.sqlite").path
        try succeed("--db", other, "init")
        let renamed = folder.appendingPathComponent("packet-without-extension").path
        try FileManager.default.copyItem(atPath: zip, toPath: renamed)
        let imported = try succeed("--db", other, "import", renamed).stdout
        XCTAssertTrue(imported.hasPrefix("Imported"), imported)
        XCTAssertEqual(try succeed("--db", other, "diagnosis", "list", "--format", "json").jsonArray().first?["code"] as? String, "C50.412")
    }
}
