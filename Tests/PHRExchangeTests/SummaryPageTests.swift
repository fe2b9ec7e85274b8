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

    func testARecordWithoutAFileWhoseResultsAreInThePacketSaysSo() throws {
        try store.write("report made of its results") {
            let report = try store.addRecord(Record(patientID: sample.patient.id, kind: .labResult, title: "Iron studies",
                                                    recordedOn: PartialDate(parsing: "2025-03-15")))
            try store.addResult(ClinicalResult(patientID: sample.patient.id, name: "Ferritin",
                                               value: .quantity(8, unit: "ng/mL", comparator: nil), recordID: report.id))
        }
        let html = try summary()
        let row = try XCTUnwrap(html.components(separatedBy: "\n").first { $0.contains("Iron studies") })
        XCTAssertTrue(row.contains("no file: its results are in this packet"), row)
        let slides = try XCTUnwrap(html.components(separatedBy: "\n").first { $0.contains("Biopsy slides and blocks") })
        XCTAssertTrue(slides.contains("no file (held elsewhere)"), "a record of no results is still held elsewhere: \(slides)")
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

    // MARK: Clinical content

    /// The HTML from `start` up to the next `<h2>` (or the end of its section).
    private func part(_ html: String, from start: String) throws -> String {
        let found = try XCTUnwrap(html.range(of: start), "no \(start)")
        let rest = html[found.upperBound...]
        let end = [rest.range(of: "<h2>")?.lowerBound, rest.range(of: "</section>")?.lowerBound].compactMap { $0 }.min()
        return String(rest[..<(end ?? rest.endIndex)])
    }

    func testAllergiesAreOnTheFirstPageBeforeEverythingClinical() throws {
        try addClinicalFacts()
        let html = try summary()
        let allergies = try part(html, from: "<h2>Allergies</h2>")
        XCTAssertTrue(allergies.contains("<strong>Penicillin</strong>"), allergies)
        XCTAssertTrue(allergies.contains("reaction: hives; wheezing"), allergies)
        XCTAssertTrue(allergies.contains("high criticality"), allergies)
        let cover = try XCTUnwrap(html.range(of: "<section class=\"cover\">"))
        let allergiesAt = try XCTUnwrap(html.range(of: "<h2>Allergies</h2>"))
        let coverEnd = try XCTUnwrap(html.range(of: "</section>", range: cover.upperBound..<html.endIndex))
        XCTAssertTrue(allergiesAt.lowerBound < coverEnd.lowerBound, "allergies are inside the cover section")
        XCTAssertLessThan(allergiesAt.lowerBound, try XCTUnwrap(html.range(of: "<h2>Diagnoses</h2>")).lowerBound)
    }

    func testAllergiesNotRecordedIsNotNoKnownAllergies() throws {
        let html = try summary()
        XCTAssertTrue(try part(html, from: "<h2>Allergies</h2>").contains("Allergies not recorded"))
        XCTAssertFalse(html.contains("No known allergies"))

        try store.write("allergy") {
            _ = try store.addAllergy(Allergy.noneKnown(patientID: sample.patient.id, recordedOn: try PartialDate(parsing: "2026-10-01")))
        }
        try FileManager.default.removeItem(atPath: path("packet"))
        let stated = try part(try summary(), from: "<h2>Allergies</h2>")
        XCTAssertTrue(stated.contains("<strong>No known allergies</strong> (recorded 2026-10-01)"), stated)
        XCTAssertFalse(stated.contains("not recorded"))
    }

    func testCoverCountsTheClinicalFacts() throws {
        try addClinicalFacts()
        XCTAssertTrue(try summary().contains("6 records, 13 results, 3 medications, 3 procedures, 2 immunizations"),
                      "a blood pressure with its two parts is one result")
    }

    func testSocialFindingsAreShownApartFromTheDiagnoses() throws {
        try addClinicalFacts()
        let html = try summary()
        let diagnoses = try part(html, from: "<h2>Diagnoses</h2>")
        let table = try XCTUnwrap(diagnoses.components(separatedBy: "</table>").first)
        XCTAssertFalse(table.contains("employment"), "not among the diagnoses")
        XCTAssertTrue(diagnoses.contains("Social findings (kept apart from the diagnoses): Full-time employment (finding)"), diagnoses)
    }

    func testCurrentMedicationsShowDoseAndFrequencyAndLeaveOutPastOnes() throws {
        try addClinicalFacts()
        let medications = try part(try summary(), from: "<h2>Current medications</h2>")
        XCTAssertTrue(medications.contains("<td>Letrozole 2.5 mg tablet</td><td>2.5 mg by mouth once daily</td><td>2026-11-01</td>"),
                      medications)
        XCTAssertTrue(medications.contains("one capsule daily"), "instructions stand in for dose and frequency")
        XCTAssertFalse(medications.contains("Ferrous"), "a completed medication is not current")
    }

    func testStagingWithTNMAndReceptorsAreKeyFacts() throws {
        try addClinicalFacts()
        try store.write("ecog") {
            _ = try store.addResult(ClinicalResult(patientID: sample.patient.id, name: "ECOG performance status",
                                                   category: .performanceStatus, value: .text("1"),
                                                   observedAt: try DateOrTime(parsing: "2026-10-05")))
        }
        let html = try summary()
        let stage = try part(html, from: "<h3>Stage and performance status</h3>")
        for row in ["<td>pT category</td><td><strong>pT2</strong></td>", "<td>pN category</td><td><strong>pN0</strong></td>",
                    "<td>Stage group</td><td><strong>IIA</strong></td>",
                    "<td>ECOG performance status</td><td><strong>1</strong></td>"] {
            XCTAssertTrue(stage.contains(row), "\(row) in \(stage)")
        }
        let receptors = try part(html, from: "<h3>Receptor status and biomarkers</h3>")
        XCTAssertTrue(receptors.contains("<td>Estrogen receptor</td><td>Positive</td><td>95% of cells</td>"), receptors)
        XCTAssertTrue(receptors.contains("negative (IHC 1+)"))
        XCTAssertTrue(receptors.contains("<td>Ki-67</td><td>20 %</td>"), receptors)
    }

    func testTumourMarkerShowsTheLatestValueAndAnInlineSVGWithOnePointPerValue() throws {
        try addClinicalFacts()
        let html = try summary()
        let markers = try part(html, from: "<h3>Tumour markers</h3>")
        let row = try XCTUnwrap(markers.components(separatedBy: "<tr>").first { $0.contains("<td>CA 15-3</td>") }, markers)
        XCTAssertTrue(row.contains("<strong>42 U/mL</strong> <strong class=\"flag\">! high</strong>"), row)
        XCTAssertTrue(row.contains("<td>2026-11-20</td>"), "the latest value's date")
        let svg = try XCTUnwrap(row.components(separatedBy: "<svg").dropFirst().first, row)
        XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 3, "one point per value")
        XCTAssertTrue(svg.contains("2026-09-01: 25 U/mL; 2026-10-01: 38 U/mL; 2026-11-20: 42 U/mL"), "its title lists the values")
        XCTAssertTrue(svg.contains("stroke-dasharray"), "the upper limit of normal is drawn")
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("http"), "the SVG needs no namespace URL inside HTML")
    }

    func testRecentLabsMarkAbnormalValuesWithAWordNotOnlyAColour() throws {
        try addClinicalFacts()
        let labs = try part(try summary(), from: "<h2>Recent labs</h2>")
        let rows = labs.components(separatedBy: "<tr>")
        let hemoglobin = try XCTUnwrap(rows.first { $0.contains("<td>Hemoglobin</td>") }, labs)
        XCTAssertTrue(hemoglobin.contains("<strong>10.9 g/dL</strong> <strong class=\"flag\">! low</strong>"), hemoglobin)
        XCTAssertTrue(hemoglobin.contains("<td>12–16</td>"))
        XCTAssertTrue(hemoglobin.contains("<td>2026-11-18 08:15</td>"), "a time as the patient's clock read it")
        let white = try XCTUnwrap(rows.first { $0.contains("<td>White cells</td>") })
        XCTAssertFalse(white.contains("!"), "a value inside its range is not marked")
        XCTAssertFalse(labs.contains("Systolic"), "vital signs are not labs")
        XCTAssertLessThan(try XCTUnwrap(labs.range(of: "Hemoglobin")).lowerBound, try XCTUnwrap(labs.range(of: "Ferritin")).lowerBound,
                          "latest first")
    }

    func testProceduresAndTreatmentSoFar() throws {
        try addClinicalFacts()
        let procedures = try part(try summary(), from: "<h2>Procedures and treatment so far</h2>")
        XCTAssertTrue(procedures.contains("<td>2026-10-02</td><td>Core needle biopsy of breast</td><td>biopsy</td><td>Left breast</td>"
                                          + "<td>Invasive ductal carcinoma</td><td>completed</td><td>Dr. Anna Weber</td>"), procedures)
        XCTAssertTrue(procedures.contains("<td>2026-12-01 to 2026-12-20</td><td>Whole breast radiotherapy</td>"))
    }

    func testClinicalTextIsEscaped() throws {
        try store.write("hostile") {
            _ = try store.addMedication(Medication(patientID: sample.patient.id, name: "<img src=x onerror=alert(1)>",
                                                   dose: "1 & 2"))
            for day in ["2026-10-01", "2026-11-01"] {
                _ = try store.addResult(ClinicalResult(patientID: sample.patient.id, name: "<b>CA 125</b>", category: .tumourMarker,
                                                       value: .quantity(12, unit: "U/<i>mL", comparator: nil),
                                                       observedAt: try DateOrTime(parsing: day)))
            }
        }
        let html = try summary()
        XCTAssertFalse(html.contains("<img"))
        XCTAssertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        XCTAssertTrue(html.contains("1 &amp; 2"))
        XCTAssertTrue(html.contains("&lt;b&gt;CA 125&lt;/b&gt;"))
        XCTAssertFalse(html.contains("<i>"), "nor in the chart's title")
        XCTAssertTrue(html.contains("<title>&lt;b&gt;CA 125&lt;/b&gt;: 2026-10-01: 12 U/&lt;i&gt;mL"), "the chart's title is escaped")
    }
}
