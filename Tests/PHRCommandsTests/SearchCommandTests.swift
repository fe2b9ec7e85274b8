import Foundation
import XCTest

/// `phr search`, `phr timeline` and `phr config`.
final class SearchCommandTests: WorkflowCommandTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpCase()
    }

    func testResultsAreRankedWithHighlightedSnippets() throws {
        try succeed("record", "add", writeFile("note.md", "# Consult\n\nDiscussed **tamoxifen** for five years after surgery."),
                    "--kind", "consult", "--title", "Consult note")
        try succeed("record", "add", "--no-file", "--kind", "letter", "--title", "Tamoxifen prescription")
        let hits = try succeed("search", "tamoxifen", "--format", "json").jsonArray()
        XCTAssertEqual(hits.map { $0["id"] as? Int }, [2, 1], "a match in the title ranks first")
        XCTAssertEqual(hits[0]["title"] as? String, "Tamoxifen prescription", "the title as stored")
        XCTAssertEqual(hits[0]["title_marked"] as? String, "[Tamoxifen] prescription")
        XCTAssertTrue((hits[1]["snippet_marked"] as? String)?.contains("[tamoxifen]") == true, "\(hits[1])")
        let snippet = try XCTUnwrap(hits[1]["snippet"] as? String)
        let offsets = try XCTUnwrap(hits[1]["snippet_matches"] as? [[Int]])
        XCTAssertEqual(offsets.count, 1)
        let scalars = Array(snippet.unicodeScalars)
        XCTAssertEqual(String(String.UnicodeScalarView(scalars[offsets[0][0]..<offsets[0][0] + offsets[0][1]])), "tamoxifen")
        XCTAssertEqual(hits.map { $0["kind"] as? String }, ["record", "record"])
        let table = try succeed("search", "tamoxifen").stdout
        XCTAssertTrue(table.contains("[Tamoxifen] prescription"), table)
    }

    func testSearchCoversOpinionsQuestionsAndDecisionsAndFiltersByKind() throws {
        try addOpinion("Chen", daysAgo: 1, recommendation: "Neoadjuvant chemotherapy")
        try succeed("question", "add", "How long does chemotherapy take?")
        try succeed("decision", "add", "--diagnosis", "1", "--treatment", "Chemotherapy, then surgery")
        let kinds = try succeed("search", "chemotherapy", "--format", "json").jsonArray().compactMap { $0["kind"] as? String }
        XCTAssertEqual(Set(kinds), ["opinion", "question", "decision"])
        XCTAssertEqual(try succeed("search", "chemotherapy", "--kind", "question", "--format", "json").jsonArray().count, 1)
        let nothing = try succeed("search", "nothinglikethis", "--kind", "question").stdout
        XCTAssertTrue(nothing.hasPrefix("Nothing found for \"nothinglikethis\"* in question; to widen the search, try no --kind"), nothing)
        XCTAssertTrue(nothing.contains("no --kind"), nothing)
    }

    func testWordsMatchAsTheStartOfWordsAndKeepTheirPunctuation() throws {
        try succeed("diagnosis", "edit", "1", "--notes", "ER+ 95%, PR+ 80%, HER2- (IHC 1+), Ki-67 20%")
        try addOpinion("Chen", daysAgo: 1, recommendation: "Neoadjuvant chemotherapy")
        XCTAssertEqual(try succeed("search", "chemo", "--format", "json").jsonArray().map { $0["kind"] as? String }, ["opinion"])
        for typed in ["ER+", "HER2-", "Ki-67", "her2", "neoadj chemo"] {
            XCTAssertEqual(try succeed("search", typed, "--format", "json").jsonArray().count, 1, typed)
        }
    }

    func testSyntaxErrorsGiveAClearMessage() throws {
        try assertRefused(["search", "\"unbalanced"], code: 65, mentions: ["not a valid search", "exact phrases"])
        try assertRefused(["search", "nosuchfield:word*"], code: 65, mentions: ["field"])
        try assertRefused(["search", "x", "--kind", "planet"], code: 64, mentions: ["--kind"])
        try assertRefused(["search", "x", "--limit", "0"], code: 64, mentions: ["--limit"])
    }

    func testTimelineIsOneChronologicalList() throws {
        try succeed("record", "add", "--no-file", "--kind", "slides", "--title", "Biopsy slides", "--date", day(-12),
                    "--provider", "City Lab", "--diagnosis", "1")
        try addOpinion("Weber", daysAgo: 10, recommendation: "Mastectomy")
        try succeed("transfer", "send", "1", "--from", "City Lab", "--to", "Chen", "--via", "courier", "--date", day(-5))
        try succeed("appointment", "add", "--provider", "Chen", "--at", "\(day(-3)) 09:30", "--purpose", "second-opinion",
                    "--diagnosis", "1")
        try addOpinion("Chen", daysAgo: 3, recommendation: "Lumpectomy", agreement: "differs")
        try succeed("decision", "add", "--diagnosis", "1", "--treatment", "Lumpectomy", "--based-on", "2", "--date", day(-1))
        let rows = try succeed("timeline", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["kind"] as? String },
                       ["record", "diagnosis", "opinion", "transfer", "appointment", "opinion", "decision"])
        XCTAssertEqual(rows.map { $0["date"] as? String }, [day(-12), day(-10), day(-10), day(-5), day(-3), day(-3), day(-1)])
        XCTAssertEqual(rows[4]["time"] as? String, "09:30")
        XCTAssertEqual(try succeed("timeline", "--since", day(-4), "--format", "json").jsonArray().count, 3)
        XCTAssertTrue(try succeed("timeline").stdout.contains("Sent 'Biopsy slides' from City Lab to Dr. Paul Chen by courier"))
        try assertRefused(["timeline", "--since", "last week"], code: 65, mentions: ["--since"])
    }

    func testConfigListsSetsAndResetsThresholds() throws {
        let rows = try succeed("config", "list", "--format", "json").jsonArray()
        XCTAssertEqual(rows.map { $0["key"] as? String },
                       ["compare.max-opinions", "compare.delay-weeks", "status.recent-lab-days", "status.warn-days", "status.needed-records",
                        "owner.name", "owner.phone", "owner.email"])
        XCTAssertEqual(rows.first?["value"] as? String, "3")
        XCTAssertEqual(rows.first?["default"] as? Bool, true)
        XCTAssertEqual(try succeed("config", "set", "compare.delay-weeks", "6").stdout, "compare.delay-weeks = 6\n")
        XCTAssertEqual(try succeed("config", "get", "compare.delay-weeks").stdout, "6\n")
        try succeed("config", "unset", "compare.delay-weeks")
        XCTAssertEqual(try succeed("config", "get", "compare.delay-weeks").stdout, "4\n")
        try assertRefused(["config", "set", "compare.delay-weeks", "soon"], code: 65, mentions: ["compare.delay-weeks", "whole number"])
        try assertRefused(["config", "set", "colour", "red"], code: 65, mentions: ["not a setting"])
        try assertRefused(["config", "get", "colour"], code: 64, mentions: ["not a setting"])
    }

    func testConfigKeepsWhoPreparesThePackets() throws {
        XCTAssertEqual(try succeed("config", "get", "owner.name").stdout, "\n", "unset: the patient")
        XCTAssertEqual(try succeed("config", "set", "owner.name", "Tom Rossi (son)").stdout, "owner.name = Tom Rossi (son)\n")
        try succeed("config", "set", "owner.phone", "+1 555 0177")
        let rows = try succeed("config", "list", "--format", "json").jsonArray()
        XCTAssertEqual(rows.first { $0["key"] as? String == "owner.phone" }?["value"] as? String, "+1 555 0177")
        XCTAssertEqual(rows.first { $0["key"] as? String == "owner.email" }?["default"] as? Bool, true)
        try assertRefused(["config", "set", "owner.email", "a\nb"], code: 65, mentions: ["owner.email", "one line"])
    }

    func testTheDemoShowsCompareStatusAndTimeline() throws {
        let result = try succeed("demo", "--db", storePath + ".demo")
        let text = result.stdout
        for heading in ["The opinions side by side, with a verdict", "What is done and what is not before the tie-break opinion",
                        "Everything in date order"] {
            XCTAssertTrue(text.contains(heading), heading)
        }
        XCTAssertTrue(text.contains("Verdict: the opinions differ."), text)
        XCTAssertTrue(text.contains("Not ready:"), text)
        XCTAssertTrue(text.contains("Appointment in 9 days and the images have not been sent"), text)
        let status = try phr(["status"], environment: ["PHR_DB": storePath + ".demo"])
        XCTAssertEqual(status.status, 1, "the demo leaves things to do")
    }
}
