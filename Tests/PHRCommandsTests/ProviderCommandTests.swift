import Foundation
import XCTest

final class ProviderCommandTests: PHRTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpPatientAndProviders()
    }

    func testAddedProviderKeepsEveryFieldInJSON() throws {
        XCTAssertEqual(try succeed("provider", "add", "Lakeside Pathology", "--kind", "organization", "--specialty", "pathology",
                                   "--phone", "+1 555 0100", "--email", "lab@lakeside.example", "--address", "1 Lake Dr",
                                   "--identifier", "NPI 1234567890", "--notes", "holds the slides").stdout,
                       "Added provider 4: Lakeside Pathology\n")
        let lab = try succeed("provider", "show", "4", "--format", "json").jsonObject()
        XCTAssertEqual(lab["id"] as? Int, 4)
        XCTAssertEqual(lab["kind"] as? String, "organization")
        XCTAssertEqual(lab["name"] as? String, "Lakeside Pathology")
        XCTAssertEqual(lab["specialty"] as? String, "pathology")
        XCTAssertTrue(lab["organization"] is NSNull)
        XCTAssertEqual(lab["phone"] as? String, "+1 555 0100")
        XCTAssertEqual(lab["email"] as? String, "lab@lakeside.example")
        XCTAssertEqual(lab["address"] as? String, "1 Lake Dr")
        XCTAssertEqual(lab["identifier"] as? String, "NPI 1234567890")
        XCTAssertEqual(lab["notes"] as? String, "holds the slides")
        XCTAssertEqual((lab["uuid"] as? String)?.count, 36)
    }

    func testListInAllThreeFormats() throws {
        let json = try succeed("provider", "list", "--format", "json").jsonArray()
        XCTAssertEqual(json.map { $0["name"] as? String }, ["Dr. Anna Weber", "Dr. Anton Berg", "Dr. Paul Chen"].sorted())
        XCTAssertEqual(json.first { $0["name"] as? String == "Dr. Paul Chen" }?["organization"] as? String,
                       "Lakeside Comprehensive Cancer Center")

        let csv = try succeed("provider", "list", "--format", "csv").csvRecords()
        XCTAssertEqual(csv.header, ["id", "uuid", "kind", "name", "specialty", "organization", "phone", "email", "address",
                                    "identifier", "notes", "created_at", "updated_at"])
        XCTAssertEqual(csv.rows.count, 3)
        XCTAssertEqual(csv.rows.first { $0["name"] == "Dr. Anna Weber" }?["specialty"], "medical oncology")

        let table = try succeed("provider", "list").lines
        XCTAssertTrue(table[0].hasPrefix("ID  Name"), table[0])
        XCTAssertFalse(table[0].contains("UUID"), "tables leave out the machine fields")
        XCTAssertTrue(table.contains { $0.contains("Dr. Anna Weber") && $0.contains("City Hospital") }, "\(table)")
    }

    func testCSVQuotesCommasQuotesAndNewlines() throws {
        try succeed("provider", "add", "Dr. \"Max\" Ode, MD", "--notes", "line one\nline two")
        let csv = try succeed("provider", "list", "--format", "csv")
        XCTAssertTrue(csv.stdout.contains("\"Dr. \"\"Max\"\" Ode, MD\""), csv.stdout)
        let max = try XCTUnwrap(try csv.csvRecords().rows.first { $0["id"] == "4" })
        XCTAssertEqual(max["name"], "Dr. \"Max\" Ode, MD")
        XCTAssertEqual(max["notes"], "line one\nline two")
        let json = try succeed("provider", "show", "4", "--format", "json").jsonObject()
        XCTAssertEqual(json["notes"] as? String, "line one\nline two")
    }

    func testOutputFileFormatComesFromItsExtension() throws {
        let jsonFile = folder.appendingPathComponent("providers.json").path
        XCTAssertEqual(try succeed("provider", "list", "-o", jsonFile).stdout, "")
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonFile))) as? [[String: Any]]
        XCTAssertEqual(parsed?.count, 3)
        let csvFile = folder.appendingPathComponent("providers.csv").path
        try succeed("provider", "list", "--output", csvFile)
        XCTAssertEqual(try CSVParser.parse(String(decoding: try Data(contentsOf: URL(fileURLWithPath: csvFile)), as: UTF8.self)).count, 4)
        let mode = try FileManager.default.attributesOfItem(atPath: csvFile)[.posixPermissions] as? Int
        XCTAssertEqual(mode.map { $0 & 0o777 }, 0o600, "output files are private")
    }

    func testProvidersAreFoundByIdExactNamePrefixOrWordPrefix() throws {
        XCTAssertEqual(try succeed("provider", "show", "3", "--format", "json").jsonObject()["name"] as? String, "Dr. Paul Chen")
        XCTAssertEqual(try succeed("provider", "show", "dr. anna", "--format", "json").jsonObject()["name"] as? String, "Dr. Anna Weber")
        XCTAssertEqual(try succeed("provider", "show", "chen", "--format", "json").jsonObject()["name"] as? String, "Dr. Paul Chen")
    }

    func testEditChangesTheGivenFields() throws {
        XCTAssertEqual(try succeed("provider", "edit", "Weber", "--phone", "+49 30 1234", "--organization", "").stdout,
                       "Updated provider 1: Dr. Anna Weber\n")
        let weber = try succeed("provider", "show", "1", "--format", "json").jsonObject()
        XCTAssertEqual(weber["phone"] as? String, "+49 30 1234")
        XCTAssertTrue(weber["organization"] is NSNull, "an empty value clears the field")
        XCTAssertEqual(weber["specialty"] as? String, "medical oncology")
    }

    func testRemoveAndUndo() throws {
        XCTAssertEqual(try succeed("provider", "remove", "Berg").stdout, "Removed provider 2: Dr. Anton Berg (phr undo brings it back)\n")
        XCTAssertEqual(try succeed("provider", "list", "--format", "json").jsonArray().count, 2)
        try succeed("undo")
        XCTAssertEqual(try succeed("provider", "show", "2", "--format", "json").jsonObject()["name"] as? String, "Dr. Anton Berg")
    }

    func testAmbiguousPrefixListsTheCandidatesAndChangesNothing() throws {
        // "Dr. An" starts both "Dr. Anna Weber" and "Dr. Anton Berg".
        try assertRefused(["provider", "edit", "Dr. An", "--phone", "1"], code: 65,
                          mentions: ["matches several", "Dr. Anna Weber (1)", "Dr. Anton Berg (2)", "the id"])
        try assertRefused(["diagnosis", "add", "Invasive ductal carcinoma", "--provider", "dr. an"], code: 65,
                          mentions: ["--provider", "matches several"])
    }

    func testUnknownProviderIsRefused() throws {
        try assertRefused(["provider", "show", "Nobody"], code: 65, mentions: ["no provider matches 'Nobody'", "phr provider list"])
        try assertRefused(["provider", "remove", "99"], code: 65, mentions: ["no provider with id 99"])
        try assertRefused(["diagnosis", "add", "Invasive ductal carcinoma", "--provider", "Nobody"], code: 65, mentions: ["--provider"])
    }

    func testProviderInUseIsNotRemoved() throws {
        try succeed("diagnosis", "add", "Invasive ductal carcinoma", "--provider", "Weber")
        try assertRefused(["provider", "remove", "Weber"], code: 65, mentions: ["provider 1", "referenced"])
    }

    func testUnknownKindIsAUsageError() throws {
        try assertRefused(["provider", "add", "X", "--kind", "robot"], code: 64, mentions: ["--kind"])
    }
}
