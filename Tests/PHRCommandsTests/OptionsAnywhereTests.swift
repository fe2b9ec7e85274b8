import Foundation
import XCTest

/// `--db`, `--patient`, `--format` and `-o` before the subcommand as well as after it, and the
/// commands the demo prints run as printed.
final class OptionsAnywhereTests: PHRTestCase {
    func testSharedOptionsWorkBeforeTheSubcommand() throws {
        let store = folder.appendingPathComponent("elsewhere.sqlite").path
        try succeed("--db", store, "init")
        try succeed("--db", store, "patient", "add", "Maria Rossi")
        try succeed("--db", store, "patient", "add", "Ana Lima")
        try succeed("--db", store, "--patient", "Ana", "diagnosis", "add", "Colon adenocarcinoma", "--date", "2026-10-20")
        let json = try succeed("--db=\(store)", "--format", "json", "--patient", "Ana", "diagnosis", "list").jsonArray()
        XCTAssertEqual(json.map { $0["description"] as? String }, ["Colon adenocarcinoma"])
        XCTAssertEqual(json.first?["patient_id"] as? Int, 2)
        // Between the group and the verb, too; and -o.
        try succeed("diagnosis", "--db", store, "--patient", "Ana", "-o", "d.csv", "list")
        let csv = try String(contentsOf: folder.appendingPathComponent("d.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("id,"), csv)
        XCTAssertFalse(FileManager.default.fileExists(atPath: storePath), "PHR_DB's store was never made")
    }

    func testAnOptionBeforeACommandThatDoesNotTakeItIsRefusedAsAfterIt() throws {
        try succeed("init")
        let result = try phr("--format", "json", "init")
        XCTAssertEqual(result.status, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--format"), result.stderr)
    }

    func testEveryCommandTheDemoPrintsRunsAsPrinted() throws {
        let demo = try succeed("demo").stdout
        let pattern = try NSRegularExpression(pattern: #"\((phr --db [^;)]+)[;)]"#)
        let range = NSRange(demo.startIndex..., in: demo)
        var commands = pattern.matches(in: demo, range: range).compactMap { Range($0.range(at: 1), in: demo).map { String(demo[$0]) } }
        let tryNext = try XCTUnwrap(demo.range(of: "Try next:\n"), demo)
        let store = try XCTUnwrap(demo.components(separatedBy: "export PHR_DB=").dropFirst().first?.split(separator: "\n").first)
        commands += demo[tryNext.upperBound...].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("phr ") }
        XCTAssertGreaterThanOrEqual(commands.count, 10, demo)
        for command in commands {
            let words = command.split(separator: " ").dropFirst().map(String.init)
            let result = try PHRRunner.run(words, environment: ["PHR_DB": String(store)], home: folder)
            // `phr status` answers with its exit status: 1 while something is missing.
            XCTAssertEqual(result.status, words.last == "status" ? 1 : 0, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stderr, "", command)
        }
    }
}
