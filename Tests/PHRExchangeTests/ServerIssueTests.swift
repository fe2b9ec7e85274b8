import Foundation
@testable import PHRExchange
import XCTest

/// An OperationOutcome in the input (a search's outcome entry, a bulk export's error file) is the
/// server's message about its export: its issues' words reach the summary, and it is counted as
/// skipped, never stored.
final class ServerIssueTests: ImportTestCase {
    private typealias Issue = ImportReport.ServerIssue

    private func issue(_ severity: Any, diagnostics: Any? = nil, details: String? = nil, code: String = "processing") -> [String: Any] {
        var issue: [String: Any] = ["severity": severity, "code": code]
        if let diagnostics { issue["diagnostics"] = diagnostics }
        if let details { issue["details"] = ["text": details] }
        return issue
    }

    /// A searchset of a patient and an outcome entry (`search.mode` outcome) with `issues`.
    private func search(_ name: String, _ issues: [Any]) throws -> String {
        try writeJSON(name, ["resourceType": "Bundle", "type": "searchset", "entry": [
            ["fullUrl": "https://fhir.example/Patient/p1", "resource": FHIR.patient("p1"), "search": ["mode": "match"]],
            ["resource": ["resourceType": "OperationOutcome", "id": "oo1", "issue": issues], "search": ["mode": "outcome"]],
        ]])
    }

    func testAnOutcomeEntryShowsItsDiagnosticsAndIsCountedAsSkipped() throws {
        let path = try search("search.json", [issue("warning", diagnostics: "Results limited to 1000")])
        let report = try importing(path)
        XCTAssertEqual(report.serverIssues, [Issue(severity: .warning, text: "Results limited to 1000",
                                                   place: "\(path) entry 1 (OperationOutcome/oo1)", times: 1)])
        XCTAssertEqual(report.byType["OperationOutcome"]?.read, 1)
        XCTAssertEqual(report.byType["OperationOutcome"]?.skipped, 1)
        XCTAssertEqual(report.skipReasons["OperationOutcome: a message from the server, not a record"], 1)
        XCTAssertEqual(report.byType["Patient"]?.added, 1)
    }

    /// `details.text` is the words meant for people: shown alone, and before `diagnostics`.
    func testDetailsTextIsShownWithoutDiagnosticsAndBeforeThem() throws {
        let report = try importing(try search("search.json", [
            issue("warning", details: "Some results were filtered for privacy", code: "suppressed"),
            issue("error", diagnostics: "java.lang.IllegalStateException at line 12", details: "Lab results could not be retrieved"),
        ]))
        XCTAssertEqual(report.serverIssues.map(\.text), ["Some results were filtered for privacy", "Lab results could not be retrieved"])
    }

    /// Every severity with words is shown, the most severe first; an information-level issue
    /// without words says nothing and is left out, while a warning or worse without words
    /// shows its code.
    func testIssuesAreShownMostSevereFirstAndInformationWithoutWordsIsLeftOut() throws {
        let report = try importing(try search("search.json", [
            issue("information", diagnostics: "Results include data from 2 sites"),
            issue("information", code: "informational"),
            issue("warning", diagnostics: "Some notes are not available"),
            issue("error", code: "too-costly"),
            issue("fatal", diagnostics: "Imaging service unavailable"),
        ]))
        XCTAssertEqual(report.serverIssuesBySeverity.map { "\($0.severity.rawValue): \($0.text)" }, [
            "fatal: Imaging service unavailable", "error: (issue code too-costly)", "warning: Some notes are not available",
            "information: Results include data from 2 sites",
        ])
        XCTAssertEqual(report.serverIssueCount, 4)
    }

    /// A repeated issue (every page of a search says it) is kept once with how often it came; a
    /// long or multi-line text becomes one line of at most `OutcomeIssues.textLimit` characters.
    func testRepeatedIssuesAreKeptOnceAndLongTextIsCut() throws {
        let long = "Partial results:\n" + String(repeating: "x", count: 400)
        let first = try search("page1.json", [issue("warning", diagnostics: "Results limited to 1000"), issue("warning", diagnostics: long)])
        let second = try search("page2.json", [issue("warning", diagnostics: " Results limited to 1000 ")])
        let report = try importing([first, second])
        XCTAssertEqual(report.serverIssues.map(\.times), [2, 1])
        XCTAssertEqual(report.serverIssueCount, 3)
        let cut = try XCTUnwrap(report.serverIssues.last?.text)
        XCTAssertEqual(cut.count, OutcomeIssues.textLimit)
        XCTAssertTrue(cut.hasPrefix("Partial results: xxx") && cut.hasSuffix("x…"), cut)
    }

    /// Issues that are not what FHIR says are passed over; the import goes on, and a good issue
    /// beside them is shown.
    func testAMalformedOutcomeIsIgnored() throws {
        let path = try search("search.json", [
            "not an issue", 5, NSNull(), issue(7, diagnostics: ["a list"]), issue("warning", details: nil, code: "x"),
            ["severity": "error", "details": "not an object", "diagnostics": "Server busy, try later"],
        ])
        let odd = try writeJSON("odd.json", ["resourceType": "OperationOutcome", "issue": "nothing"])
        let report = try importing([path, odd])
        XCTAssertEqual(report.serverIssues.map { "\($0.severity.rawValue): \($0.text)" },
                       ["warning: (issue code x)", "error: Server busy, try later"])
        XCTAssertEqual(report.byType["OperationOutcome"]?.skipped, 2)
    }

    /// A bulk export's error file, `OperationOutcome.ndjson`, is read for its words, not only
    /// counted like the files of other types phr skips.
    func testABulkExportErrorFileIsRead() throws {
        try writeNDJSON("export/Patient.000.ndjson", [FHIR.patient("p1")])
        try writeNDJSON("export/OperationOutcome.ndjson", [
            ["resourceType": "OperationOutcome", "issue": [issue("error", diagnostics: "Observation export failed: timeout")]],
        ])
        let report = try importing(path("export"))
        XCTAssertEqual(report.serverIssues.map(\.text), ["Observation export failed: timeout"])
        XCTAssertEqual(report.serverIssues.first?.place, "\(path("export"))/OperationOutcome.ndjson:1 (OperationOutcome)")
    }
}
