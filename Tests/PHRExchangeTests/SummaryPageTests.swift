import Foundation
import PHRStore
import XCTest
@testable import PHRExchange

/// `summary.html`: self-contained, escaped, printable, opinions side by side, records linked.
final class SummaryPageTests: PacketTestCase {
    private func summary(scope: ExportScope? = nil) throws -> String {
        try export("packet", scope: scope)
        return try String(contentsOfFile: path("packet/summary.html"), encoding: .utf8)
    }

    func testHostileTitleShowsAsTextNotMarkup() throws {
        let html = try summary()
        XCTAssertFalse(html.contains("<script"), "no script element, whatever the store holds")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("&lt;b&gt;x&lt;/b&gt;.html"), "the original file name is escaped too")
    }

    func testEscapingCoversAttributesAndAmpersands() {
        XCTAssertEqual(HTML.escape(#"a & b <c> "d" 'e'"#), "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;")
        XCTAssertEqual(HTML.escapeKeepingLines("one <\ntwo"), "one &lt;<br>two")
    }

    func testEveryRecordFileIsLinkedByItsNameInThePacket() throws {
        let html = try summary()
        let files = listing(path("packet")).filter { $0.hasPrefix("records/") }
        XCTAssertEqual(files.count, 5)
        for file in files {
            XCTAssertTrue(html.contains("<a href=\"\(file)\">"), "\(file) is not linked")
        }
        XCTAssertTrue(html.contains("no file (held elsewhere)"), "the slides have no file")
        XCTAssertTrue(html.contains("Pathologie Befund (final).pdf"), "the original name is shown")
    }

    func testPageIsSelfContainedAndPrintable() throws {
        let html = try summary()
        for forbidden in ["<script", "<link", "<img", "<iframe", "src=", "http://", "https://", "@import", "url("] {
            XCTAssertFalse(html.lowercased().contains(forbidden), "\(forbidden) would load something or run code")
        }
        XCTAssertTrue(html.contains("<style>"))
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertTrue(html.contains("page-break-before: always"))
    }

    func testCoverNamesPatientBirthDateRecipientAndDate() throws {
        let html = try summary(scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        XCTAssertTrue(html.contains("Ada Example"))
        XCTAssertTrue(html.contains("1971-04-09"))
        XCTAssertTrue(html.contains("Prepared for</th><td>Dr. Chloé Martin, Radiation oncology, University Clinic"))
        XCTAssertTrue(html.contains("Prepared on</th><td>2026-12-31"), "the day in the export's time zone, not UTC's")
    }

    func testOpinionsStandSideBySideInDateOrder() throws {
        let html = try summary()
        let heading = try XCTUnwrap(html.range(of: "<h3>Invasive ductal carcinoma, left breast</h3>"))
        let table = String(html[heading.upperBound...].prefix { _ in true }).components(separatedBy: "</table>")[0]
        // One column per opinion: the oncologist's first, then the surgeon's.
        let header = try XCTUnwrap(table.components(separatedBy: "</thead>").first)
        let weber = try XCTUnwrap(header.range(of: "Dr. Anna Weber"))
        let okafor = try XCTUnwrap(header.range(of: "Dr. Ben Okafor"))
        XCTAssertLessThan(weber.lowerBound, okafor.lowerBound)
        // Each aspect is one row with both opinions in it.
        let conclusionRow = try XCTUnwrap(table.components(separatedBy: "<tr>").first { $0.contains(">Conclusion<") })
        XCTAssertTrue(conclusionRow.contains("Stage IIA; hormone receptor positive."))
        XCTAssertTrue(conclusionRow.contains("breast-conserving surgery"))
        let agreementRow = try XCTUnwrap(table.components(separatedBy: "<tr>").first { $0.contains(">Agreement<") })
        XCTAssertTrue(agreementRow.contains("first opinion"))
        XCTAssertTrue(agreementRow.contains("partly agrees"))
        XCTAssertTrue(table.contains("Lumpectomy with radiotherapy."))
    }

    func testAppointmentsShowTimeProviderAndInsurance() throws {
        let html = try summary()
        XCTAssertTrue(html.contains("2026-11-02 09:30 (60 min)"))
        XCTAssertTrue(html.contains("approved (PA-2026-0042)"))
        XCTAssertTrue(html.contains("Building B, floor 3"))
    }
}
