import Foundation
@testable import PHRExchange
import XCTest

/// A C-CDA document is converted an entry at a time while its XML is read, and each entry made is
/// handed to the import at once: the same resources, in the same order, as converting it whole.
final class CCDAStreamingTests: ImportTestCase {
    /// The sample CCD, with a section phr maps inside the one it does not (functional status).
    private func nestedDocument() -> String {
        CCDASample.document().replacingOccurrences(
            of: "<text>Independent in daily activities</text>",
            with: "<text>Independent in daily activities</text>\n" + CCDASample.vitalSigns)
    }

    private func reader(_ path: String) -> CCDADocumentReader {
        CCDADocumentReader(path: path, name: "ccd.xml", fileName: "ccd.xml")
    }

    private func json(_ entries: [[String: Any]]) throws -> [String] {
        try entries.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    }

    func testEntriesHandedOverOneAtATimeAreTheWholeDocumentsInItsOrder() throws {
        let path = try writeText("ccd.xml", nestedDocument())
        let whole = try reader(path).convert()
        var handed: [[String: Any]] = []
        let streamed = try reader(path).convert { handed.append($0) }

        let wholeEntries = try XCTUnwrap(whole.bundle["entry"] as? [[String: Any]])
        XCTAssertGreaterThan(wholeEntries.count, 15)
        XCTAssertEqual(try json(handed), try json(wholeEntries))
        XCTAssertEqual((streamed.bundle["entry"] as? [Any])?.count, 0, "what was handed over is not kept")
        XCTAssertEqual(streamed.sections, whole.sections)
        XCTAssertEqual(streamed.unmapped, whole.unmapped)
        XCTAssertEqual(streamed.patientKeys, whole.patientKeys)
        // The nested vital signs were read, and counted with the top-level ones.
        XCTAssertEqual(whole.sections[CCDASection.vitalSigns.rawValue]?.sections, 2)
        XCTAssertEqual(whole.unmapped, ["Functional status (LOINC 47420-5)": 1])
        // What an entry refers to comes before it: the patient first.
        XCTAssertEqual((handed.first?["resource"] as? [String: Any])?["resourceType"] as? String, "Patient")
    }

    func testAnErrorWhereAnEntryIsHandedOverStopsTheReadingAndIsThrown() throws {
        struct Refused: Error {}
        let path = try writeText("ccd.xml", nestedDocument())
        var calls = 0
        XCTAssertThrowsError(try reader(path).convert { _ in
            calls += 1
            if calls == 3 { throw Refused() }
        }) { XCTAssertTrue($0 is Refused, "\($0)") }
        XCTAssertEqual(calls, 3, "nothing is handed over after the error")
    }

    func testXMLThatBreaksAfterManyEntriesWereStoredLeavesTheStoreUnchanged() throws {
        // 80 results sections: more resources than two hand-over batches, stored before the break.
        let results = String(repeating: CCDASample.results(hemoglobin: "11.0"), count: 80)
        let document = CCDASample.document()
            .replacingOccurrences(of: CCDASample.plan, with: CCDASample.plan + results)
            .replacingOccurrences(of: "</structuredBody>", with: "</structuredBodyy>")
        let whole = try reader(try writeText("whole.xml", CCDASample.document().replacingOccurrences(
            of: CCDASample.plan, with: CCDASample.plan + results))).convert()
        XCTAssertGreaterThan((whole.bundle["entry"] as? [Any])?.count ?? 0, 2 * ResourceStream.batchSize)
        try assertImportFails(try writeText("broken.xml", document), mentioning: ["broken.xml", "not well-formed XML"])
        XCTAssertEqual(try count("patients"), 0)
        XCTAssertEqual(try count("results"), 0)
    }

    func testAStreamedDocumentImportsAsBeforeAndAgainChangesNothing() throws {
        let path = try writeText("ccd.xml", nestedDocument())
        let first = try importing(path)
        XCTAssertEqual(first.totals.read, first.totals.added)
        XCTAssertEqual(first.totals.skipped, 0)
        let again = try importing(path)
        XCTAssertEqual(again.totals.unchanged, first.totals.read)
        XCTAssertEqual(again.totals.added + again.totals.updated, 0)
    }
}

final class SafeXMLReaderStreamingTests: ImportTestCase {
    func testAStreamedChildIsHandedOverAloneWithItsRootAsReadSoFar() throws {
        let path = try writeText("list.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <root><list><head>h</head><item n="1">one</item><item n="2"><sub/></item><tail/></list></root>
            """)
        var parts: [(item: String?, rootSoFar: [String])] = []
        var kept: [XMLTreeElement] = []
        try SafeXMLReader(path: path, name: "list.xml").read(keep: { $0.count == 2 }, streams: { root, child in
            root == "list" && child == "item"
        }, part: { item, root in
            parts.append((item.attribute("n"), root.children.map(\.name)))
        }) { kept.append($0) }

        XCTAssertEqual(parts.map(\.item), ["1", "2"])
        XCTAssertEqual(parts.map(\.rootSoFar), [["head"], ["head"]])
        XCTAssertEqual(kept.map(\.name), ["list"])
        XCTAssertEqual(kept.first?.children.map(\.name), ["head", "tail"], "streamed children are not kept")
    }

    func testASnapshotDoesNotSeeWhatIsAddedLater() {
        let root = XMLTreeElement(name: "list", namespace: nil, attributes: [:])
        root.append(XMLTreeElement(name: "head", namespace: nil, attributes: [:]))
        let copy = root.snapshot()
        root.append(XMLTreeElement(name: "tail", namespace: nil, attributes: [:]))
        XCTAssertEqual(copy.children.map(\.name), ["head"])
        XCTAssertEqual(root.children.map(\.name), ["head", "tail"])
    }

    func testTheFirstErrorOfTheWorkerStopsTheWorkAfterItAndIsThrownAtTheEnd() {
        struct Failed: Error, Equatable { let piece: Int }
        let worker = InOrderWorker(label: "test", waiting: 2)
        let ran = NSLock()
        nonisolated(unsafe) var pieces: [Int] = []
        for piece in 0..<10 {
            worker.run {
                ran.withLock { pieces.append(piece) }
                if piece == 3 || piece == 6 { throw Failed(piece: piece) }
            }
        }
        XCTAssertThrowsError(try worker.finish()) { XCTAssertEqual($0 as? Failed, Failed(piece: 3)) }
        XCTAssertEqual(ran.withLock { pieces }, [0, 1, 2, 3])
        XCTAssertTrue(worker.failed)
    }
}
