import Foundation
import XCTest

/// Each mistake gets a message that names the real problem (one line, a sysexits code, the store
/// unchanged), not a parser's guess such as "Missing value" or "its folder does not exist".
final class RefusalMessageTests: PHRTestCase {
    func testExportToAnExistingFolderNameSaysSo() throws {
        try setUpPatientAndProviders()
        for out in ["..", "/", "."] {
            try assertRefused(["export", out], code: 64, mentions: ["names a folder that is already there", "give a new name"])
        }
    }

    /// The words an option accepts are listed in its help and in the refusal of any other word
    /// (OutputFormat and Appointment.Status give their lists directly, not through
    /// argument-parser's defaults).
    func testAWrongWordIsRefusedWithTheWordsAccepted() throws {
        try setUpPatientAndProviders()
        try assertRefused(["appointment", "list", "--format", "xml"], code: 64,
                          mentions: ["'xml' is invalid for '--format <format>'", "'table', 'json' or 'csv'"])
        try assertRefused(["appointment", "list", "--status", "maybe"], code: 64,
                          mentions: ["'maybe' is invalid for '--status <status>'", "'scheduled', 'completed', 'cancelled' or 'missed'"])
        let help = try succeed("appointment", "list", "--help").stdout
        XCTAssertTrue(help.contains("(values: table, json, csv)"), help)
        XCTAssertTrue(help.contains("(values: scheduled, completed,"), help)
    }

    func testANegativeNumberIsJudgedAsAValueNotTakenForAnOption() throws {
        try setUpPatientAndProviders()
        try assertRefused(["history", "--limit", "-1"], code: 64, mentions: ["--limit must be a positive number; got -1"])
        try assertRefused(["search", "carcinoma", "--limit", "-1"], code: 64, mentions: ["--limit must be a positive number; got -1"])
        let refused = try assertRefused(["config", "set", "compare.delay-weeks", "-5"], code: 65, mentions: ["compare.delay-weeks"])
        XCTAssertFalse(refused.stderr.contains("Missing"), refused.stderr)
        try succeed("config", "set", "compare.delay-weeks", "6")
    }

    func testAnImportThatHoldsNothingOrANullEntryIsRefused() throws {
        try succeed("init")
        let empty = try writeFile("empty.ndjson", "")
        try assertRefused(["import", empty], code: 65, mentions: ["empty.ndjson", "holds no FHIR resources"])
        let nullEntry = try writeFile("null.json", #"{"resourceType":"Bundle","type":"collection","entry":[null]}"#)
        try assertRefused(["import", nullEntry], code: 65, mentions: ["null.json entry 0", "is null"])
    }

    func testAPacketWhoseAttachmentPointsOutsideItIsRefused() throws {
        try succeed("init")
        _ = try writeFile("outside.txt", "not part of the packet")
        let packet = folder.appendingPathComponent("packet")
        try FileManager.default.createDirectory(at: packet, withIntermediateDirectories: true)
        let bundle = #"""
            {"resourceType":"Bundle","type":"collection","entry":[
             {"fullUrl":"urn:uuid:0b7e2a53-86b6-4d53-a1b3-3a8f0c0f0001","resource":{"resourceType":"Patient","name":[{"family":"Testperson","given":["Alex"]}]}},
             {"resource":{"resourceType":"DocumentReference","id":"r1","status":"current","subject":{"reference":"urn:uuid:0b7e2a53-86b6-4d53-a1b3-3a8f0c0f0001"},
              "content":[{"attachment":{"contentType":"text/plain","url":"../outside.txt","title":"report.txt"}}]}}]}
            """#
        try Data(bundle.utf8).write(to: packet.appendingPathComponent("fhir.json"))
        try assertRefused(["import", packet.path], code: 65, mentions: ["points outside the packet"])
    }
}
