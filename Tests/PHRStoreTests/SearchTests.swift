import Foundation
@testable import PHRStore
import XCTest

/// Full-text search: what it finds, in what order, how it marks matches, and how it refuses
/// queries FTS5 cannot read. The index follows every add, edit, removal and undo.
final class SearchTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    private func search(_ f: WorkflowFixture, _ text: String, kinds: [SearchKind]? = nil) throws -> [SearchHit] {
        try f.store.search(patientID: f.patient.id, SearchQuery(text, kinds: kinds))
    }

    private func addFile(_ f: WorkflowFixture, name: String, contents: String, kind: Record.Kind = .pathologyReport,
                         title: String = "Report") throws -> Record {
        let source = path(of: name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: source))
        return try f.store.write("record add") {
            try f.store.addRecord(Record(patientID: f.patient.id, kind: kind, title: title), file: RecordFileSource(path: source))
        }
    }

    func testFindsDiagnosesOpinionsQuestionsAnswersAndDecisions() throws {
        let f = try fixture()
        let opinion = try f.opinion(f.ortiz, on: "2026-11-20", conclusion: "Carcinoma confirmed",
                                    recommendation: "Neoadjuvant chemotherapy first")
        let question = try f.store.write("q") {
            try f.store.addQuestion(Question(patientID: f.patient.id, text: "Is chemotherapy before surgery better?"))
        }
        try f.store.write("a") {
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.ortiz.id, text: "Chemotherapy first shrinks it",
                                             answeredOn: WorkflowFixture.date("2026-11-20")))
            _ = try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Chemotherapy, then surgery",
                                                 decidedOn: WorkflowFixture.date("2026-11-24")))
        }
        let hits = try search(f, "chemotherapy")
        XCTAssertEqual(Set(hits.map(\.kind)), [.opinion, .question, .answer, .decision])
        XCTAssertTrue(hits.contains { $0.kind == .opinion && $0.itemID == opinion.id && $0.date == "2026-11-20" })
        XCTAssertEqual(try search(f, "ductal").map(\.kind), [.diagnosis])
        XCTAssertEqual(try search(f, "C50*").map(\.itemID), [f.diagnosis.id])
    }

    func testTitleMatchesRankAboveMatchesInTheText() throws {
        let f = try fixture()
        let inText = try addFile(f, name: "a.txt", contents: "Margins were clear. No lymphovascular invasion.", title: "Surgery report")
        let inTitle = try f.record(.imagingReport, "Lymphovascular invasion review")
        XCTAssertEqual(try search(f, "lymphovascular").map(\.itemID), [inTitle.id, inText.id])
        let hits = try search(f, "lymphovascular")
        XCTAssertLessThan(hits[0].rank, hits[1].rank)
    }

    func testSnippetsMarkTheMatchingWords() throws {
        let f = try fixture()
        _ = try addFile(f, name: "report.md", contents: "# Report\n\nThe tumour is **HER2 positive** and ER negative.", title: "Receptor status")
        let hit = try XCTUnwrap(search(f, "her2").first)
        XCTAssertTrue(hit.snippet.contains("[HER2]"), hit.snippet)
        XCTAssertEqual(hit.title, "Receptor status")
        let marked = try f.store.search(patientID: f.patient.id, SearchQuery("receptor", markStart: "<b>", markEnd: "</b>"))
        XCTAssertEqual(marked.first?.title, "<b>Receptor</b> status")
    }

    func testTextOfHTMLFilesIsIndexedWithoutItsMarkup() throws {
        let f = try fixture()
        _ = try addFile(f, name: "consult.html", contents: """
            <html><head><style>p { color: red }</style><script>var secretword = 1;</script></head>
            <body><p class="note">Discussed <b>tamoxifen</b> &amp; radiotherapy</p></body></html>
            """, kind: .consultNote, title: "Consult")
        XCTAssertEqual(try search(f, "tamoxifen").count, 1)
        XCTAssertEqual(try search(f, "radiotherapy").count, 1)
        XCTAssertEqual(try search(f, "secretword").count, 0)
        XCTAssertEqual(try search(f, "color").count, 0)
        XCTAssertEqual(try search(f, "class").count, 0)
    }

    func testBinaryFilesAreNotIndexed() throws {
        let f = try fixture()
        _ = try addFile(f, name: "scan.pdf", contents: "%PDF-1.4 tamoxifen", title: "Scan")
        XCTAssertEqual(try search(f, "tamoxifen").count, 0)
        XCTAssertEqual(try search(f, "scan").count, 1)
    }

    func testTheSameFileTwiceIsFoundForBothRecords() throws {
        let f = try fixture()
        let a = try addFile(f, name: "a.txt", contents: "anastrozole", title: "First copy")
        let b = try addFile(f, name: "b.txt", contents: "anastrozole", title: "Second copy")
        XCTAssertEqual(Set(try search(f, "anastrozole").map(\.itemID)), [a.id, b.id])
    }

    func testKindsNarrowTheSearch() throws {
        let f = try fixture()
        try f.opinion(f.ortiz, on: "2026-11-20", conclusion: "Carcinoma")
        XCTAssertEqual(try search(f, "carcinoma").map(\.kind).sorted { $0.rawValue < $1.rawValue }, [.diagnosis, .opinion])
        XCTAssertEqual(try search(f, "carcinoma", kinds: [.opinion]).map(\.kind), [.opinion])
        XCTAssertEqual(try search(f, "carcinoma", kinds: [.record, .question]).count, 0)
    }

    func testAnotherPatientsDataIsNotFound() throws {
        let f = try fixture()
        let other = try f.store.write("add") { try f.store.addPatient(Patient(name: "Ben Other")) }
        XCTAssertEqual(try f.store.search(patientID: other.id, SearchQuery("carcinoma")).count, 0)
    }

    func testTheIndexFollowsEditsRemovalsAndUndo() throws {
        let f = try fixture()
        try f.store.write("edit") { () throws -> Void in
            var diagnosis = f.diagnosis
            diagnosis.description = "Lobular carcinoma"
            try f.store.updateDiagnosis(diagnosis)
        }
        XCTAssertEqual(try search(f, "ductal").count, 0)
        XCTAssertEqual(try search(f, "lobular").count, 1)
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try search(f, "ductal").count, 1)
        XCTAssertEqual(try search(f, "lobular").count, 0)

        let record = try addFile(f, name: "n.txt", contents: "letrozole", title: "Plan")
        try f.store.write("remove") { try f.store.removeRecord(id: record.id) }
        XCTAssertEqual(try search(f, "letrozole").count, 0)
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try search(f, "letrozole").map(\.itemID), [record.id])
    }

    func testQuerySyntaxErrorsGiveAClearMessage() throws {
        let f = try fixture()
        for bad in ["\"unbalanced", "AND", "nosuchfield:x*", "(a"] {
            XCTAssertThrowsError(try search(f, bad), bad) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("search: '\(bad)'"), text)
                XCTAssertTrue(text.contains("use words, \"exact phrases\", prefix*, AND, OR, NOT"), text)
            }
        }
        XCTAssertThrowsError(try search(f, "   ")) { XCTAssertEqual("\($0)", "search: give one or more words to search for") }
    }

    func testPhrasesPrefixesAndBooleanOperatorsWork() throws {
        let f = try fixture()
        XCTAssertEqual(try search(f, "\"ductal carcinoma\"").count, 1)
        XCTAssertEqual(try search(f, "\"carcinoma ductal\"").count, 0)
        XCTAssertEqual(try search(f, "duct*").count, 1)
        XCTAssertEqual(try search(f, "ductal NOT breast").count, 0)
        XCTAssertEqual(try search(f, "lobular OR ductal").count, 1)
    }

    func testWordsWithPunctuationAreSearchedAsPhrases() throws {
        let f = try fixture()
        _ = try addFile(f, name: "ihc.txt", contents: "Ki-67: 20%. HER2/neu negative.", title: "IHC")
        XCTAssertEqual(try search(f, "ki-67").count, 1)
        XCTAssertEqual(try search(f, "her2/neu negative").count, 1)
        XCTAssertEqual(try search(f, "C50.912").map(\.kind), [.diagnosis])
        XCTAssertEqual(SearchQuery("ki-67 OR tumour").matchExpression, "\"ki-67\"* OR \"tumour\"*")
        XCTAssertEqual(SearchQuery("ER+ HER2-").matchExpression, "\"ER\"* \"HER2\"*")
        XCTAssertEqual(SearchQuery("\"as typed\" ki-67").matchExpression, "\"as typed\" ki-67")
    }

    func testFileTextExtractorDecodesEntitiesAndDropsMarkup() {
        XCTAssertEqual(FileTextExtractor.plainText(fromHTML: "<p>a &lt;b&gt; &#65;&#x42; &amp;&nbsp;c</p><br/>d"), "a <b> AB & c d")
        // Scripts and styles in any case, Unicode white space (no-break, ideographic, an entity
        // for one) collapsed, text outside tags kept, an unknown entity and a lone & kept as written.
        XCTAssertEqual(FileTextExtractor.plainText(fromHTML: """
              <HTML><Script type="x">var a = "<b>";</SCRIPT ><style>p { }</style>Tumour\u{00A0}size&#160;12\u{3000}mm
            <td>ER+ &unknown; & PR−</td>Ünïcödé
            """), "Tumour size 12 mm ER+ &unknown; & PR− Ünïcödé")
        XCTAssertEqual(FileTextExtractor.plainText(fromHTML: "a <b unclosed"), "a")
        XCTAssertEqual(FileTextExtractor.plainText(fromHTML: "<scripts>kept</scripts><script>dropped"), "kept")
        XCTAssertTrue(FileTextExtractor.isTextLike("text/plain; charset=utf-8"))
        XCTAssertTrue(FileTextExtractor.isTextLike("TEXT/CSV"))
        XCTAssertFalse(FileTextExtractor.isTextLike("application/pdf"))
    }
}
