import Foundation
@testable import PHRExchange
import XCTest

/// A searchset bundle with a `next` link is one page of a search: the import says so (the rest
/// was never downloaded), and still imports the page.
final class SearchPageTests: ImportTestCase {
    private func text(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Search links as portals write them: the query names the patient.
    private let links = #"[{"relation":"self","url":"https://fhir.example/Condition?patient=p1&name=Example"},"#
        + #"{"relation":"next","url":"https://fhir.example/Condition?patient=p1&name=Example&page=2"}]"#

    private func searchPage(links: String?, linksFirst: Bool, type: String = "searchset", total: Int? = nil) throws -> String {
        let entries = try [FHIR.patient("p1"), FHIR.condition("c1", subject: "Patient/p1")]
            .map { #"{"fullUrl":"https://fhir.example/\#($0["resourceType"] as? String ?? "")/\#($0["id"] as? String ?? "")","resource":\#(try text($0))}"# }
            .joined(separator: ",")
        var members = [#""resourceType":"Bundle""#, #""type":"\#(type)""#]
        if let total { members.append(#""total":\#(total)"#) }
        let link = links.map { #""link":\#($0)"# }
        let entry = #""entry":[\#(entries)]"#
        members += linksFirst ? [link, entry].compactMap { $0 } : [entry, link].compactMap { $0 }
        return "{" + members.joined(separator: ",") + "}"
    }

    func testABundleWithANextLinkBeforeItsEntriesIsOnePageAndStillImports() throws {
        let path = try writeText("search.json", try searchPage(links: links, linksFirst: true, total: 40))
        let report = try importing(path)
        XCTAssertEqual(report.pagedBundles, [ImportReport.PagedBundle(place: path, total: 40)])
        XCTAssertEqual(report.pagedBundleCount, 1)
        XCTAssertEqual(report.totals.added, 2)
        XCTAssertEqual(try count("diagnoses"), 1)
    }

    func testABundleWithANextLinkAfterItsEntriesIsOnePage() throws {
        let path = try writeText("search.json", try searchPage(links: links, linksFirst: false))
        let report = try importing(path)
        XCTAssertEqual(report.pagedBundles, [ImportReport.PagedBundle(place: path, total: nil)])
        XCTAssertEqual(report.totals.added, 2)
    }

    /// Of bundles imported together, only the one with a `next` link is a page: not one whose
    /// only link is `self`, one without links, or a collection.
    func testOnlyTheBundleWithANextLinkIsOnePage() throws {
        let paged = try writeText("paged.json", try searchPage(links: links, linksFirst: false))
        let only = #"[{"relation":"self","url":"https://fhir.example/Condition?patient=p1"}]"#
        let others = [
            try writeText("whole.json", try searchPage(links: only, linksFirst: true, total: 2)),
            try writeText("none.json", try searchPage(links: nil, linksFirst: true)),
            try writeText("collection.json", try searchPage(links: nil, linksFirst: true, type: "collection")),
        ]
        let report = try importing(others + [paged])
        XCTAssertEqual(report.pagedBundles, [ImportReport.PagedBundle(place: paged, total: nil)])
        XCTAssertEqual(report.pagedBundleCount, 1)
    }

    /// A bundle parsed whole (one inside an NDJSON line) is read the same way.
    func testABundleInsideAnNDJSONLineWithANextLinkIsOnePage() throws {
        let page = try searchPage(links: links, linksFirst: true, total: 7)
        let path = try writeText("pages.ndjson", page + "\n" + (try searchPage(links: nil, linksFirst: true)) + "\n")
        let report = try importing(path)
        XCTAssertEqual(report.pagedBundles, [ImportReport.PagedBundle(place: "\(path):1", total: 7)])
    }

    /// A `link` that is not an array of links, or a relation that is not a string, is not a page
    /// and never stops the import (in a bundle file or an NDJSON line); a good one beside them is.
    func testAMalformedLinkIsIgnored() throws {
        var paths: [String] = []
        for (index, link) in [#""next""#, #"[{"relation":5}, "next", null]"#, #"{"relation":"next"}"#].enumerated() {
            paths.append(try writeText("odd\(index).json", try searchPage(links: link, linksFirst: true)))
            paths.append(try writeText("odd\(index).ndjson", try searchPage(links: link, linksFirst: false) + "\n"))
        }
        let paged = try writeText("paged.json", try searchPage(links: links, linksFirst: true))
        let report = try importing(paths + [paged])
        XCTAssertEqual(report.pagedBundles.map(\.place), [paged])
    }
}
