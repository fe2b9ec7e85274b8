import Foundation
import PHRStore
import PHRTestSupport
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
        XCTAssertTrue(html.contains("held by <strong>Comprehensive Cancer Centre</strong>"), "the slides have no file: who holds them")
        XCTAssertTrue(html.contains("Pathologie Befund (final).pdf"), "the original name is shown")
    }

    func testARecordWithoutAFileWhoseResultsAreInThePacketSaysSo() throws {
        try store.write("report made of its results") {
            // As import keeps a DiagnosticReport without a document: its conclusion, then why.
            let report = try store.addRecord(Record(patientID: sample.patient.id, kind: .labResult, title: "Iron studies",
                                                    recordedOn: PartialDate(parsing: "2025-03-15"),
                                                    sourceNotes: "Iron deficiency.\n\n" + DiagnosticReportMapper.resultsNote))
            try store.addResult(ClinicalResult(patientID: sample.patient.id, name: "Ferritin",
                                               value: .quantity(8, unit: "ng/mL", comparator: nil), recordID: report.id))
        }
        let html = try summary()
        let row = try XCTUnwrap(html.components(separatedBy: "\n").first { $0.contains("Iron studies") })
        XCTAssertTrue(row.contains("no file: its results are in this packet"), row)
        XCTAssertTrue(row.contains("From the record: Iron deficiency.</span>"), "its conclusion is printed: \(row)")
        XCTAssertFalse(row.contains("kept in phr"), "the row says once, for the doctor, where its content is: \(row)")
        let slides = try XCTUnwrap(html.components(separatedBy: "\n").first { $0.contains("Biopsy slides and blocks") })
        XCTAssertTrue(slides.contains("held by <strong>Comprehensive Cancer Centre</strong>"), "the slides are where they are: \(slides)")
    }

    func testPageIsSelfContainedAndPrintable() throws {
        let html = try summary()
        for forbidden in ["<script", "<link", "<img", "<iframe", "src=", "http://", "https://", "@import", "url("] {
            XCTAssertFalse(html.lowercased().contains(forbidden), "\(forbidden) would load something or run code")
        }
        XCTAssertTrue(html.contains("<style>"))
        XCTAssertTrue(html.contains("@media print"))
    }

    func testPrintedSectionsFlowAndEveryPageIsLabelled() throws {
        let html = try summary()
        XCTAssertFalse(html.contains("page-break-before: always"), "no forced page break before each section")
        XCTAssertFalse(html.contains("break-before: page"))
        XCTAssertTrue(html.contains("tr, li"), "table rows are kept whole")
        XCTAssertTrue(html.contains(".date, td.date { white-space: nowrap; }"), "dates never wrap")
        XCTAssertTrue(html.contains(#"@top-left { content: "Ada Example, born 1971-04-09";"#), html)
        XCTAssertTrue(html.contains(#"@bottom-right { content: "page " counter(page) " of " counter(pages);"#))
        let dates = html.components(separatedBy: "<td class=\"date\">").count - 1
        XCTAssertGreaterThan(dates, 5, "date cells are marked so that they do not wrap")
    }

    func testCoverNamesPatientBirthDateRecipientAndDate() throws {
        let html = try summary(scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        XCTAssertTrue(html.contains("Ada Example"))
        XCTAssertTrue(html.contains("1971-04-09"))
        XCTAssertTrue(html.contains("Prepared for <strong>Dr. Chloé Martin, Radiation oncology, University Clinic</strong>"))
        XCTAssertTrue(html.contains(#"on <span class="date">2026-12-31</span>"#), "the day in the export's time zone, not UTC's")
    }

    func testOpinionsStandSideBySideInDateOrder() throws {
        let html = try summary()
        let heading = try XCTUnwrap(html.range(of: "<strong>Invasive ductal carcinoma, left breast</strong>"))
        let opinions = try XCTUnwrap(html.range(of: "<table class=\"opinions\">", range: heading.upperBound..<html.endIndex))
        let table = String(html[opinions.upperBound...]).components(separatedBy: "</table>")[0]
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
        // The diagnosing oncologist's opinion has the diagnosis's stage, said to be that, as
        // `opinion compare` shows it; the surgeon's states its own.
        let stageRow = try XCTUnwrap(table.components(separatedBy: "<tr>").first { $0.contains(">Stage<") })
        XCTAssertTrue(stageRow.contains("<td>IIA (pT2 N0 M0) (as diagnosed)</td><td>IIA</td>"), stageRow)
    }

    func testAppointmentsShowTimeProviderAndInsurance() throws {
        let html = try summary()
        XCTAssertTrue(html.contains(#"<span class="date">2026-11-02 09:30</span> <span class="note">(60 min)</span>"#))
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
        let cover = try XCTUnwrap(html.range(of: "<section class=\"case\">"))
        let allergiesAt = try XCTUnwrap(html.range(of: "<h2>Allergies</h2>"))
        let coverEnd = try XCTUnwrap(html.range(of: "</section>", range: cover.upperBound..<html.endIndex))
        XCTAssertTrue(allergiesAt.lowerBound < coverEnd.lowerBound, "allergies are inside the cover section")
        XCTAssertLessThan(allergiesAt.lowerBound, try XCTUnwrap(html.range(of: "<h2>Diagnosis under review</h2>")).lowerBound)
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

    func testScopeIsSaidInWords() throws {
        let html = try summary(scope: ExportScope(patientID: sample.patient.id, diagnosisIDs: [sample.breastCancer.id],
                                                  since: try PartialDate(parsing: "2026-10-01")))
        XCTAssertTrue(html.contains("Scope: Invasive ductal carcinoma, left breast; since 2026-10-01."), html)
        try FileManager.default.removeItem(atPath: path("packet"))
        XCTAssertTrue(try summary().contains("Scope: the whole record."))
    }

    func testADiagnosisWithASecondOpinionBookedIsUnderReviewBeforeAnyOpinion() throws {
        // A second diagnosis, without opinions or a decision: only the appointment booked for its
        // second opinion (in the packet's week) makes it the packet's subject.
        try store.write("second diagnosis") {
            let nodule = try store.addDiagnosis(Diagnosis(patientID: sample.patient.id, description: "Thyroid nodule, right lobe",
                                                          diagnosedOn: try PartialDate(parsing: "2026-12-01")))
            _ = try store.addDiagnosis(Diagnosis(patientID: sample.patient.id, description: "Seasonal hay fever",
                                                 diagnosedOn: try PartialDate(parsing: "2026-12-02")))
            _ = try store.addAppointment(Appointment(patientID: sample.patient.id, providerID: sample.recipient.id,
                                                     startsAt: try OffsetDateTime(parsing: "2027-01-05T10:00:00-05:00"),
                                                     purpose: .secondOpinion, diagnosisID: nodule.id))
        }
        let html = try summary()
        let cases = html.components(separatedBy: "<h2>Diagnosis under review</h2>").dropFirst()
        XCTAssertEqual(cases.count, 2, "the breast cancer (its opinions) and the nodule (its appointment)")
        XCTAssertTrue(cases.first?.hasPrefix("\n<p class=\"diagnosis\"><strong>Thyroid nodule, right lobe</strong>") == true,
                      "the coming appointment is the latest event: \(cases.first ?? "")")
        XCTAssertFalse(cases.contains { $0.contains("<strong>Seasonal hay fever</strong>") }, "nothing makes it under review")
        XCTAssertFalse(html.contains("No diagnosis in this packet has opinions"))
    }

    func testSocialFindingsAreShownApartFromTheDiagnoses() throws {
        try addClinicalFacts()
        let html = try summary()
        let diagnoses = try part(html, from: "<h2>Active problems</h2>")
        let table = try XCTUnwrap(diagnoses.components(separatedBy: "</table>").first)
        XCTAssertFalse(table.contains("employment"), "not among the diagnoses")
        XCTAssertTrue(diagnoses.contains("Social findings (not diagnoses): Full-time employment (finding)"), diagnoses)
        XCTAssertFalse(try part(html, from: "<h2>Diagnosis under review</h2>").contains("employment"))
    }

    func testCurrentMedicationsShowDoseAndFrequencyAndLeaveOutPastOnes() throws {
        try addClinicalFacts()
        let medications = try part(try summary(), from: "<h2>Current medications</h2>")
        XCTAssertTrue(medications.contains("<td>Letrozole 2.5 mg tablet</td><td>2.5 mg by mouth once daily</td><td class=\"date\">2026-11-01</td>"),
                      medications)
        XCTAssertTrue(medications.contains("one capsule daily"), "instructions stand in for dose and frequency")
        XCTAssertFalse(medications.contains("Ferrous"), "a completed medication is not current")
    }

    /// Instructions that say more than dose and frequency (a taper's later steps) are printed
    /// under them; ones that only repeat them are not printed twice.
    func testATapersLaterStepsArePrintedUnderItsDose() throws {
        try addClinicalFacts()
        try store.write("taper") {
            _ = try store.addMedication(Medication(
                patientID: sample.patient.id, name: "Dexamethasone 4 mg tablet", dose: "4 mg", frequency: "twice a day for 3 days",
                instructions: "4 mg twice a day for 3 days; then 2 mg twice a day for 3 days", startedOn: try PartialDate(parsing: "2026-11-02")))
            _ = try store.addMedication(Medication(
                patientID: sample.patient.id, name: "Ondansetron 8 mg tablet", dose: "8 mg", frequency: "as needed",
                instructions: "8 mg as needed", startedOn: try PartialDate(parsing: "2026-11-02")))
        }
        let medications = try part(try summary(), from: "<h2>Current medications</h2>")
        XCTAssertTrue(medications.contains("<td>4 mg twice a day for 3 days<br><span class=\"note\">4 mg twice a day for 3 days; "
                                           + "then 2 mg twice a day for 3 days</span></td>"), medications)
        XCTAssertTrue(medications.contains("<td>8 mg as needed</td>"), "instructions that repeat the dose are not printed twice")
    }

    /// A medication entered in error (its source took it back) is neither current nor past.
    func testAMedicationEnteredInErrorIsLeftOut() throws {
        try addClinicalFacts()
        try store.write("withdrawn") {
            _ = try store.addMedication(Medication(patientID: sample.patient.id, name: "Tamoxifen 20 mg tablet",
                                                      startedOn: try PartialDate(parsing: "2026-10-01"), status: .enteredInError))
        }
        XCTAssertFalse(try summary().contains("Tamoxifen"))
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
        XCTAssertTrue(row.contains("<td class=\"date\">2026-11-20</td>"), "the latest value's date")
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
        XCTAssertTrue(hemoglobin.contains("<td class=\"date\">2026-11-18 08:15</td>"), "a time as the patient's clock read it")
        let white = try XCTUnwrap(rows.first { $0.contains("<td>White cells</td>") })
        XCTAssertFalse(white.contains("!"), "a value inside its range is not marked")
        XCTAssertFalse(labs.contains("Systolic"), "vital signs are not labs")
        XCTAssertLessThan(try XCTUnwrap(labs.range(of: "Hemoglobin")).lowerBound, try XCTUnwrap(labs.range(of: "White cells")).lowerBound,
                          "latest first")
        XCTAssertFalse(labs.contains("Ferritin"), "a test last done 21 months ago is earlier history")
    }

    /// A panel's tests of one date keep the order they were added in (its report's), under the
    /// latest date first.
    func testLabsOfOneDateKeepTheirReportsOrder() throws {
        try addClinicalFacts()
        let patientID = sample.patient.id
        try store.write("panel") {
            for (name, value) in [("Sodium", 139.0), ("Potassium", 4.1), ("Chloride", 101.0)] {
                _ = try store.addResult(ClinicalResult(patientID: patientID, name: name, value: .quantity(value, unit: "mmol/L", comparator: nil),
                                                       observedAt: try ClinicalSample.date("2026-11-25")))
            }
        }
        let labs = try part(try summary(), from: "<h2>Recent labs</h2>")
        let order = ["Sodium", "Potassium", "Chloride", "Hemoglobin", "White cells"].map { labs.range(of: "<td>\($0)</td>")?.lowerBound }
        XCTAssertFalse(order.contains(nil), labs)
        XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted(), labs)
    }

    // MARK: Imaging, vital signs, social history, other results

    /// Adds `results` to the sample patient's store.
    private func add(_ results: [ClinicalResult]) throws {
        try store.write("results") {
            for result in results { try store.addResult(result) }
        }
    }

    /// A result of the sample patient.
    private func result(_ name: String, _ category: ClinicalResult.Category, _ value: ResultValue?, on day: String,
                        detail: String? = nil, interpretation: ClinicalResult.Interpretation? = nil,
                        status: ClinicalResult.Status = .final, diagnosisID: Int64? = nil,
                        sourceNotes: String? = nil) throws -> ClinicalResult {
        ClinicalResult(patientID: sample.patient.id, name: name, category: category, value: value, detail: detail,
                       interpretation: interpretation, observedAt: try ClinicalSample.date(day), status: status,
                       diagnosisID: diagnosisID, sourceNotes: sourceNotes)
    }

    /// Imaging findings of the last months follow the key facts, before procedures and labs:
    /// each finding (two scans of one name are two findings), latest first, with its text or
    /// coded value, what qualifies it, an abnormal one marked in words, and its source notes.
    func testRecentImagingFindingsFollowTheKeyFactsWithTheirText() throws {
        try addClinicalFacts()
        try add([
            try result("CT chest", .imaging, .text("No pulmonary nodules"), on: "2026-08-20"),
            try result("CT chest", .imaging, .text("2.1 cm spiculated mass"), on: "2026-11-10", detail: "right upper lobe",
                       interpretation: .abnormal, sourceNotes: "Compared with the CT of 2026-08-20."),
            try result("Bone scan", .imaging, .coded(code: "281900007", system: .snomedCT, display: "No evidence of metastatic disease"),
                       on: "2026-12-01"),
        ])
        let html = try summary()
        let imaging = try part(html, from: "<h2>Recent imaging results</h2>")
        let rows = imaging.components(separatedBy: "<tr>")
        let mass = try XCTUnwrap(rows.first { $0.contains("spiculated") }, imaging)
        XCTAssertTrue(mass.contains("<td>CT chest<br><span class=\"source-notes\">From the record: Compared with the CT of 2026-08-20.</span></td>"),
                      mass)
        XCTAssertTrue(mass.contains("<td><strong>2.1 cm spiculated mass</strong> <strong class=\"flag\">! abnormal</strong>"
                                    + "<br><span class=\"note\">right upper lobe</span></td><td class=\"date\">2026-11-10</td>"), mass)
        XCTAssertTrue(imaging.contains("<td>No pulmonary nodules</td>"), "an earlier scan of the same name is a finding of its own")
        let order = ["No evidence of metastatic disease", "spiculated", "No pulmonary nodules"].map { imaging.range(of: $0)?.lowerBound }
        XCTAssertFalse(order.contains(nil), imaging)
        XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted(), "latest first")
        let headings = ["<h2>Key facts</h2>", "<h2>Recent imaging results</h2>", "<h2>Procedures and treatment, last 6 months</h2>",
                        "<h2>Recent labs</h2>"].map { html.range(of: $0)?.lowerBound }
        XCTAssertFalse(headings.contains(nil))
        XCTAssertEqual(headings.compactMap { $0 }, headings.compactMap { $0 }.sorted(), "imaging follows the key facts, before procedures and labs")
    }

    /// Imaging older than the last months is in the appendix, not among what is current.
    func testEarlierImagingGoesToTheAppendix() throws {
        try add([
            try result("Mammogram", .imaging, .text("BI-RADS 2, benign findings"), on: "2025-01-20"),
            try result("Breast ultrasound", .imaging, .text("Irregular hypoechoic mass, 18 mm"), on: "2026-09-28"),
        ])
        let html = try summary()
        let appendixAt = try XCTUnwrap(html.range(of: "<h2>Appendix: earlier history</h2>")).lowerBound
        let earlier = try part(String(html[appendixAt...]), from: "<h3>Earlier imaging results</h3>")
        XCTAssertTrue(earlier.contains("<td>Mammogram</td><td>BI-RADS 2, benign findings</td><td class=\"date\">2025-01-20</td>"), earlier)
        XCTAssertFalse(earlier.contains("Breast ultrasound"), "a recent finding is not earlier history")
        XCTAssertFalse(html[..<appendixAt].contains("BI-RADS"), "an old finding is not among what is current")
        XCTAssertTrue(try part(html, from: "<h2>Recent imaging results</h2>").contains("Irregular hypoechoic mass, 18 mm"))
    }

    /// The latest value of each vital sign, after the labs (page one stays the case's), a blood
    /// pressure with its two parts in one row; an earlier weight is not repeated.
    func testVitalSignsShowTheLatestOfEachAfterTheLabs() throws {
        try addClinicalFacts()
        try add([
            try result("Body weight", .vitalSigns, .quantity(71, unit: "kg", comparator: nil), on: "2026-09-01"),
            try result("Body weight", .vitalSigns, .quantity(68.5, unit: "kg", comparator: nil), on: "2026-11-20"),
            try result("Body height", .vitalSigns, .quantity(165, unit: "cm", comparator: nil), on: "2026-09-01"),
        ])
        let html = try summary()
        let vitals = try part(html, from: "<h2>Vital signs</h2>")
        XCTAssertTrue(vitals.contains("<table class=\"vital-signs compact\">"), vitals)
        XCTAssertTrue(vitals.contains("<td>Body weight</td><td>68.5 kg</td><td class=\"date\">2026-11-20</td>"), vitals)
        XCTAssertFalse(html.contains("71 kg"), "only the latest weight")
        XCTAssertTrue(vitals.contains("<td>Body height</td><td>165 cm</td>"), vitals)
        XCTAssertTrue(vitals.contains("<td>Blood pressure</td><td>Systolic 128 mmHg; Diastolic 82 mmHg</td><td class=\"date\">2026-11-02</td>"),
                      "a blood pressure is one row with its parts: \(vitals)")
        XCTAssertEqual(html.components(separatedBy: "Systolic").count - 1, 1, "its parts are not rows of their own")
        let labsAt = try XCTUnwrap(html.range(of: "<h2>Recent labs</h2>")).lowerBound
        XCTAssertLessThan(labsAt, try XCTUnwrap(html.range(of: "<h2>Vital signs</h2>")).lowerBound, "vital signs come after the labs")
    }

    /// The latest of each social-history item (a smoking status stays true until another is
    /// recorded, so an old one is still shown among what is current); an earlier one is not.
    func testSocialHistoryShowsTheLatestOfEach() throws {
        try add([
            try result("Tobacco smoking status", .socialHistory,
                       .coded(code: "449868002", system: .snomedCT, display: "Smokes tobacco daily"), on: "2012-03-01"),
            try result("Tobacco smoking status", .socialHistory,
                       .coded(code: "8517006", system: .snomedCT, display: "Ex-smoker"), on: "2024-05-10", detail: "20 pack-years"),
            try result("Alcohol use", .socialHistory, .text("2 drinks per week"), on: "2026-11-02"),
        ])
        let html = try summary()
        let appendixAt = try XCTUnwrap(html.range(of: "<h2>Appendix: earlier history</h2>")).lowerBound
        let social = try part(String(html[..<appendixAt]), from: "<h2>Social history</h2>")
        XCTAssertTrue(social.contains("<td>Tobacco smoking status</td><td>Ex-smoker<br><span class=\"note\">20 pack-years</span></td>"
                                      + "<td class=\"date\">2024-05-10</td>"), social)
        XCTAssertTrue(social.contains("<td>Alcohol use</td><td>2 drinks per week</td>"), social)
        XCTAssertFalse(html.contains("Smokes tobacco daily"), "only the latest smoking status")
    }

    /// Results of the category "other" are in the appendix, the latest of each.
    func testOtherResultsShowTheLatestOfEachInTheAppendix() throws {
        try add([
            try result("Audiogram", .other, .text("Mild high-frequency loss"), on: "2025-02-01"),
            try result("Audiogram", .other, .text("Moderate high-frequency loss"), on: "2026-11-15"),
        ])
        let html = try summary()
        let appendixAt = try XCTUnwrap(html.range(of: "<h2>Appendix: earlier history</h2>")).lowerBound
        let other = try part(String(html[appendixAt...]), from: "<h3>Other results (the latest of each, of any date)</h3>")
        XCTAssertTrue(other.contains("<td>Audiogram</td><td>Moderate high-frequency loss</td>"), other)
        XCTAssertFalse(html.contains("Mild high-frequency loss"), "only the latest of each")
    }

    /// An imaging result entered in error (its source took it back) or cancelled is nowhere in
    /// the summary; the others are.
    func testAnImagingResultEnteredInErrorOrCancelledIsLeftOut() throws {
        try add([
            try result("CT abdomen", .imaging, .text("No liver lesions"), on: "2026-11-12"),
            try result("CT chest", .imaging, .text("Mass in the left lung"), on: "2026-11-12", status: .enteredInError),
            try result("MRI brain", .imaging, .text("Not done: patient declined"), on: "2026-11-14", status: .cancelled),
        ])
        let html = try summary()
        XCTAssertTrue(try part(html, from: "<h2>Recent imaging results</h2>").contains("No liver lesions"))
        XCTAssertFalse(html.contains("Mass in the left lung"), "entered in error")
        XCTAssertFalse(html.contains("MRI brain"), "cancelled")
    }

    /// The export's scope holds for these results too: `--since` leaves out earlier ones,
    /// `--diagnosis` those of another diagnosis.
    func testImagingAndVitalSignsKeepToTheExportScope() throws {
        try add([
            try result("Chest X-ray", .imaging, .text("Clear lungs"), on: "2026-09-15"),
            try result("CT chest", .imaging, .text("2.1 cm spiculated mass"), on: "2026-11-10", diagnosisID: sample.breastCancer.id),
            try result("Abdominal ultrasound", .imaging, .text("Splenomegaly"), on: "2026-11-11", diagnosisID: sample.anaemia.id),
            try result("Body weight", .vitalSigns, .quantity(68, unit: "kg", comparator: nil), on: "2026-11-20",
                       diagnosisID: sample.breastCancer.id),
        ])
        let since = try summary(scope: ExportScope(patientID: sample.patient.id, since: try PartialDate(parsing: "2026-10-01")))
        XCTAssertTrue(since.contains("2.1 cm spiculated mass"), "in the period")
        XCTAssertTrue(since.contains("68 kg"), "in the period")
        XCTAssertFalse(since.contains("Clear lungs"), "before the period")
        try FileManager.default.removeItem(atPath: path("packet"))
        let cancer = try summary(scope: ExportScope(patientID: sample.patient.id, diagnosisIDs: [sample.breastCancer.id]))
        XCTAssertTrue(cancer.contains("2.1 cm spiculated mass"), "of the diagnosis")
        XCTAssertFalse(cancer.contains("Splenomegaly"), "of another diagnosis")
    }

    /// Whatever its category, a result reaches the summary somewhere (fhir.json carries them all).
    func testEveryCategoryOfResultReachesTheSummary() throws {
        try add(try ClinicalResult.Category.allCases.map { category in
            try result("Result of category \(category.rawValue)", category, .text("value of \(category.rawValue)"), on: "2026-11-15")
        })
        let html = try summary()
        for category in ClinicalResult.Category.allCases {
            XCTAssertTrue(html.contains("Result of category \(category.rawValue)"), "\(category.rawValue) is shown")
            XCTAssertTrue(html.contains("value of \(category.rawValue)"), "\(category.rawValue)'s value is shown")
        }
    }

    /// The registry of result tables: every category the key facts do not show is listed by
    /// exactly one table.
    func testEveryCategoryTheKeyFactsDoNotShowIsListedByExactlyOneTable() {
        let keyFacts: [ClinicalResult.Category] = [.staging, .performanceStatus, .biomarker, .tumourMarker]
        let listed = ResultListing.all.flatMap(\.categories)
        XCTAssertEqual(listed.count, Set(listed).count, "no category is listed twice")
        XCTAssertEqual(Set(listed).union(keyFacts), Set(ClinicalResult.Category.allCases))
        XCTAssertTrue(Set(listed).isDisjoint(with: keyFacts))
    }

    func testProceduresAndTreatmentSoFar() throws {
        try addClinicalFacts()
        let procedures = try part(try summary(), from: "<h2>Procedures and treatment, last 6 months</h2>")
        XCTAssertTrue(procedures.contains("<td class=\"date\">2026-10-02</td><td>Core needle biopsy of breast</td><td>biopsy</td><td>Left breast</td>"
                                          + "<td>Invasive ductal carcinoma</td><td>completed</td><td>Dr. Anna Weber</td>"), procedures)
        XCTAssertTrue(procedures.contains("<td class=\"date\">2026-12-01 to 2026-12-20</td><td>Whole breast radiotherapy</td>"))
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

    // MARK: The case on page one

    /// The HTML of the first page's section.
    private func casePage(_ html: String) throws -> String {
        let start = try XCTUnwrap(html.range(of: "<section class=\"case\">"))
        let end = try XCTUnwrap(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        return String(html[start.upperBound..<end.lowerBound])
    }

    func testPageOneHoldsThePatientDiagnosisStageKeyResultsOpinionsAndDecision() throws {
        try addClinicalFacts()
        try store.write("identity and decision") {
            var patient = try store.requirePatient(sample.patient.id)
            patient.phone = "+1 555 0123"
            patient.email = "ada@example.org"
            patient.address = "12 Elm Street, Springfield"
            patient.recordNumbers = [RecordNumber(organization: "City Hospital", value: "CH-0042")]
            try store.updatePatient(patient)
            try store.addDecision(Decision(diagnosisID: sample.breastCancer.id, treatment: "Lumpectomy, then radiotherapy",
                                           decidedOn: try PartialDate(parsing: "2026-11-20"), opinionIDs: [sample.secondOpinion.id]))
        }
        let page = try casePage(try summary())
        for expected in ["<h1>Ada Example</h1>", "1971-04-09", "female", "City Hospital: <strong>CH-0042</strong>",
                         "+1 555 0123 · ada@example.org", "12 Elm Street, Springfield", "<h2>Allergies</h2>",
                         "<strong>Invasive ductal carcinoma, left breast</strong>", "<strong>Stage IIA (pT2 N0 M0)</strong>",
                         "Key results:", "pT category: pT2", "Estrogen receptor: Positive (95% of cells)", "CA 15-3: <strong>42 U/mL</strong>",
                         "<table class=\"opinions\">", "<strong>Dr. Anna Weber</strong>", "+1 555 0100<br>weber<wbr>@example<wbr>.org",
                         "<strong>Dr. Ben Okafor</strong>", "<h3>Decision</h3>", "<strong>Lumpectomy, then radiotherapy</strong>",
                         "based on Dr. Ben Okafor’s opinion of <span class=\"date\">2026-11-02</span>"] {
            XCTAssertTrue(page.contains(expected), "page 1 holds \(expected)")
        }
        XCTAssertFalse(page.contains("Iron deficiency anaemia"), "a diagnosis whose only opinion is of 2025 is not under review")
        XCTAssertFalse(page.contains("Mild; oral iron."), "…its opinion is in the appendix")
        let appendix = try part(try String(contentsOfFile: path("packet/summary.html"), encoding: .utf8),
                                from: "<h2>Appendix: earlier history</h2>")
        XCTAssertTrue(appendix.contains("<h3>Opinions on Iron deficiency anaemia</h3>"), appendix)
    }

    func testNoDecisionYetIsSaid() throws {
        XCTAssertTrue(try casePage(try summary()).contains("No treatment decision yet."))
    }

    func testPreparedByThePatientUnlessTheOwnerIsSet() throws {
        try store.write("phone") {
            var patient = try store.requirePatient(sample.patient.id)
            patient.phone = "+1 555 0123"
            try store.updatePatient(patient)
        }
        XCTAssertTrue(try casePage(try summary()).contains("by Ada Example (the patient), +1 555 0123, on"))
        try store.write("owner") {
            try store.setWorkflowSetting("owner.name", to: "Tom Example (son)")
            try store.setWorkflowSetting("owner.email", to: "tom@example.org")
        }
        try FileManager.default.removeItem(atPath: path("packet"))
        let html = try summary()
        XCTAssertTrue(try casePage(html).contains("by Tom Example (son), tom@example.org, on"))
        XCTAssertTrue(html.contains("Prepared with phr by Tom Example (son)"))
    }

    func testQuestionsOpenAndAnsweredByProvider() throws {
        try store.write("questions") {
            let answered = try store.addQuestion(Question(patientID: sample.patient.id, text: "Is radiotherapy needed after a lumpectomy?",
                                                          appointmentID: sample.secondOpinionVisit.id, diagnosisID: sample.breastCancer.id))
            try store.addAnswer(Answer(questionID: answered.id, providerID: sample.surgeon.id, text: "Yes, usually whole-breast.",
                                       answeredOn: try PartialDate(parsing: "2026-11-02")))
            try store.addQuestion(Question(patientID: sample.patient.id, text: "How long can surgery wait?", diagnosisID: sample.breastCancer.id))
        }
        let questions = try part(try summary(), from: "<h2>Questions</h2>")
        let open = try part(questions, from: "<h3>Open questions</h3>").components(separatedBy: "<h3>Answered</h3>")[0]
        XCTAssertTrue(open.contains("How long can surgery wait?"), questions)
        XCTAssertFalse(open.contains("radiotherapy needed"))
        XCTAssertTrue(questions.contains("<strong>Dr. Ben Okafor</strong> (<span class=\"date\">2026-11-02</span>): Yes, usually whole-breast."),
                      questions)
    }

    func testSlidesSayWhoHoldsThemAndSinceWhen() throws {
        try store.write("slides move") {
            try store.addTransfer(Transfer(recordID: sample.slides.id, kind: .send, fromProviderID: sample.cancerCentre.id,
                                           toProviderID: sample.recipient.id, via: .courier, occurredOn: try PartialDate(parsing: "2026-12-10"),
                                           dueBackOn: try PartialDate(parsing: "2027-01-31")))
            try store.addTransfer(Transfer(recordID: sample.slides.id, kind: .receive, fromProviderID: sample.cancerCentre.id,
                                           toProviderID: sample.recipient.id, occurredOn: try PartialDate(parsing: "2026-12-12")))
        }
        let html = try summary()
        let row = try XCTUnwrap(html.components(separatedBy: "\n").first { $0.contains("Biopsy slides and blocks") })
        XCTAssertTrue(row.contains("held by <strong>Dr. Chloé Martin</strong> since <span class=\"date\">2026-12-12</span>"), row)
        XCTAssertTrue(row.contains("lent by Comprehensive Cancer Centre, due back <span class=\"date\">2027-01-31</span>"), row)
    }

    func testProviderPhoneAndEmailStandBesideAppointments() throws {
        let html = try summary()
        let appointments = try part(html, from: "<h2>Appointments</h2>")
        XCTAssertTrue(appointments.contains("<strong>Dr. Ben Okafor</strong><br><span class=\"note\">Breast surgery, Comprehensive Cancer Centre</span>"),
                      appointments)
        // A narrow column may break the address before its "@" or a ".", never inside a word.
        XCTAssertTrue(html.contains("+1 555 0100<br>weber<wbr>@example<wbr>.org"), "the oncologist's phone and email beside her opinion")
    }

    // MARK: Notes

    func testNotesArePrivateByDefaultAndTheFooterSaysSo() throws {
        try store.write("notes") {
            var opinion = try store.requireOpinion(sample.firstOpinion.id)
            opinion.notes = "She seemed rushed; ask about genetics."
            try store.updateOpinion(opinion)
        }
        let html = try summary()
        XCTAssertFalse(html.contains("She seemed rushed"))
        XCTAssertTrue(html.contains("The patient’s own notes are not included in this packet."))
        try FileManager.default.removeItem(atPath: path("packet"))
        let withNotes = try summary(scope: ExportScope(patientID: sample.patient.id, includeNotes: true))
        XCTAssertTrue(withNotes.contains("She seemed rushed; ask about genetics."))
        XCTAssertTrue(withNotes.contains("This packet includes the patient’s own notes"))
    }

    // MARK: Long histories

    func testWhatIsCurrentComesFirstAndTheLongTailGoesToTheAppendix() throws {
        try addClinicalFacts()
        let html = try summary()
        let appendixAt = try XCTUnwrap(html.range(of: "<h2>Appendix: earlier history</h2>")).lowerBound
        let appendix = String(html[appendixAt...])
        let main = String(html[..<appendixAt])
        XCTAssertTrue(appendix.contains("Ferritin"), "a lab of 2025 is in the appendix")
        XCTAssertTrue(appendix.contains("Ferrous sulfate 325 mg"), "a medication no longer taken is in the appendix")
        XCTAssertTrue(appendix.contains("<h3>Earlier appointments</h3>"), "the visit of 2025 is in the appendix")
        XCTAssertTrue(appendix.contains("Blood count"), "a record of 2025 of no diagnosis under review is in the appendix")
        XCTAssertFalse(main.contains("Ferrous sulfate"))
        XCTAssertFalse(main.contains("2025-03-14"), "nothing of the old visit before the appendix")
        XCTAssertLessThan(try XCTUnwrap(html.range(of: "<h2>Current medications</h2>")).lowerBound, appendixAt)
        XCTAssertLessThan(try XCTUnwrap(html.range(of: "<h2>Recent labs</h2>")).lowerBound, appendixAt)
    }

    func testAProblemRecordedAtEveryVisitIsOneRowWithItsFirstAndLatestDate() throws {
        try store.write("a long history") {
            for day in ["2019-03-02", "2021-06-10", "2024-01-15"] {
                try store.addDiagnosis(Diagnosis(patientID: sample.patient.id, description: "Essential hypertension", code: "I10",
                                                 codeSystem: .icd10cm, diagnosedOn: try PartialDate(parsing: day)))
            }
        }
        let problems = try part(try summary(), from: "<h2>Active problems</h2>")
        XCTAssertEqual(problems.components(separatedBy: "Essential hypertension").count - 1, 1, problems)
        XCTAssertTrue(problems.contains(#"<span class="date">2019-03-02</span> to <span class="date">2024-01-15</span>"#
                                        + #"<br><span class="note">recorded 3 times</span>"#), problems)
    }

    func testUndatedThingsAreNotLedWith() throws {
        let html = try summary()
        let appendixAt = try XCTUnwrap(html.range(of: "<h2>Appendix: earlier history</h2>")).lowerBound
        XCTAssertFalse(html[..<appendixAt].contains("Old referral letter"), "an undated record is not known to be current")
        XCTAssertTrue(html[appendixAt...].contains("Old referral letter"))
    }

    // MARK: Escaping everywhere

    /// Markup, a script, an ampersand and quotes, labelled so that each field's text is found.
    private static func hostile(_ label: String) -> String {
        "<b>\(label)</b><script>alert('\(label)')</script> & \"\(label)\""
    }

    func testEveryTextFieldShowsAsTextAndNothingRuns() throws {
        let h = Self.hostile
        var shown: [String] = []
        func text(_ label: String) -> String {
            shown.append(label)
            return h(label)
        }
        try store.write("hostile everything") {
            var patient = try store.requirePatient(sample.patient.id)
            patient.name = text("patient-name")
            patient.phone = text("patient-phone")
            patient.email = text("patient-email")
            patient.address = text("patient-address")
            patient.recordNumbers = [RecordNumber(organization: text("mrn-organization"), value: text("mrn-value"))]
            patient.notes = h("patient-notes")
            try store.updatePatient(patient)
            let doctor = try store.addProvider(Provider(name: text("provider-name"), specialty: text("provider-specialty"),
                                                        organization: text("provider-organization"), phone: text("provider-phone"),
                                                        email: text("provider-email"), address: h("provider-address")))
            let diagnosis = try store.addDiagnosis(Diagnosis(patientID: sample.patient.id, description: text("diagnosis-description"),
                                                             code: text("diagnosis-code"), codeSystem: .icd10cm,
                                                             diagnosedOn: try PartialDate(parsing: "2026-12-01"), providerID: doctor.id,
                                                             stage: text("diagnosis-stage"), notes: text("diagnosis-notes")))
            try store.addDiagnosis(Diagnosis(patientID: sample.patient.id, description: text("social-finding"), kind: .socialFinding))
            let opinion = try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: doctor.id,
                                                       givenOn: try PartialDate(parsing: "2026-12-02"), conclusion: text("opinion-conclusion"),
                                                       recommendation: text("opinion-recommendation"), stage: text("opinion-stage"),
                                                       notes: text("opinion-notes")))
            try store.addDecision(Decision(diagnosisID: diagnosis.id, treatment: text("decision-treatment"),
                                           decidedOn: try PartialDate(parsing: "2026-12-03"), opinionIDs: [opinion.id],
                                           notes: text("decision-notes")))
            let visit = try store.addAppointment(Appointment(patientID: sample.patient.id, providerID: doctor.id,
                                                             startsAt: try OffsetDateTime(parsing: "2026-12-05T09:00:00-05:00"),
                                                             location: text("appointment-location"), reason: text("appointment-reason"),
                                                             diagnosisID: diagnosis.id, insurance: .approved,
                                                             insuranceReference: text("appointment-insurance"), notes: text("appointment-notes")))
            let source = path("hostile-source")
            XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: Data("<script>alert(1)</script>".utf8)))
            let record = try store.addRecord(Record(patientID: sample.patient.id, kind: .letter, title: text("record-title"),
                                                    recordedOn: try PartialDate(parsing: "2026-12-04"), providerID: doctor.id,
                                                    diagnosisIDs: [diagnosis.id], notes: text("record-notes")),
                                             file: RecordFileSource(path: source, originalName: text("record-file-name"), mediaType: "text/plain"))
            let slides = try store.addRecord(Record(patientID: sample.patient.id, kind: .pathologySlides, title: text("slides-title"),
                                                    recordedOn: try PartialDate(parsing: "2026-12-04"), providerID: doctor.id,
                                                    diagnosisIDs: [diagnosis.id]))
            try store.addTransfer(Transfer(recordID: slides.id, kind: .send, toProviderID: doctor.id, via: .courier,
                                           occurredOn: try PartialDate(parsing: "2026-12-06"), reference: h("transfer-reference")))
            _ = record
            for (category, label) in [(ClinicalResult.Category.staging, "staging"), (.biomarker, "biomarker"),
                                      (.tumourMarker, "marker"), (.laboratory, "lab")] {
                try store.addResult(ClinicalResult(patientID: sample.patient.id, name: text("\(label)-name"), category: category,
                                                   // Labs show their value and range, not the detail.
                                                   value: .text(text("\(label)-value")),
                                                   detail: category == .laboratory ? h("\(label)-detail") : text("\(label)-detail"),
                                                   // Ranges are shown for markers and labs only.
                                                   range: ReferenceRange(text: category == .tumourMarker || category == .laboratory
                                                                         ? text("\(label)-range") : h("\(label)-range")),
                                                   observedAt: try DateOrTime(parsing: "2026-12-04"), diagnosisID: diagnosis.id))
            }
            try store.addMedication(Medication(patientID: sample.patient.id, name: text("medication-name"), dose: text("medication-dose"),
                                               route: text("medication-route"), frequency: text("medication-frequency"),
                                               startedOn: try PartialDate(parsing: "2026-12-01"), providerID: doctor.id,
                                               diagnosisID: diagnosis.id))
            try store.addMedication(Medication(patientID: sample.patient.id, name: text("past-medication"),
                                               startedOn: try PartialDate(parsing: "2020-01-01"), endedOn: try PartialDate(parsing: "2020-02-01"),
                                               status: .completed))
            try store.addAllergy(Allergy(patientID: sample.patient.id, substance: text("allergy-substance"), reaction: text("allergy-reaction")))
            try store.addProcedure(Procedure(patientID: sample.patient.id, name: text("procedure-name"),
                                             performedOn: try DateOrTime(parsing: "2026-12-04"), providerID: doctor.id,
                                             bodySite: text("procedure-site"), diagnosisID: diagnosis.id, outcome: text("procedure-outcome")))
            try store.addImmunization(Immunization(patientID: sample.patient.id, vaccine: text("vaccine")))
            let question = try store.addQuestion(Question(patientID: sample.patient.id, text: text("question-text"),
                                                          appointmentID: visit.id, diagnosisID: diagnosis.id, notes: text("question-notes")))
            try store.addAnswer(Answer(questionID: question.id, providerID: doctor.id, text: text("answer-text"),
                                       answeredOn: try PartialDate(parsing: "2026-12-05")))
            try store.setWorkflowSetting("owner.name", to: text("owner-name"))
            try store.setWorkflowSetting("owner.phone", to: text("owner-phone"))
            try store.setWorkflowSetting("owner.email", to: text("owner-email"))
        }
        let html = try summary(scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id, includeNotes: true))

        for label in shown {
            let escaped = HTML.escape(h(label))
            XCTAssertTrue(html.contains(escaped), "\(label) is shown as text")
        }
        // Nothing but phr's own markup: every tag is one the page is made of, no attribute runs code.
        let allowed: Set<String> = ["html", "head", "meta", "title", "style", "body", "section", "h1", "h2", "h3", "p", "table", "thead",
                                    "tbody", "tr", "th", "td", "span", "strong", "br", "ul", "li", "a", "footer", "code", "div",
                                    "svg", "line", "polyline", "circle", "wbr"]
        let tags = try NSRegularExpression(pattern: "<\\s*/?\\s*([A-Za-z][A-Za-z0-9-]*)")
        for match in tags.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            guard let range = Range(match.range(at: 1), in: html) else { continue }
            XCTAssertTrue(allowed.contains(html[range].lowercased()), "unexpected element <\(html[range])>")
        }
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertNil(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression), "no event handler attribute")
        // The style sheet's running head carries the name as CSS escapes: it cannot close <style>.
        let style = try XCTUnwrap(html.components(separatedBy: "<style>").dropFirst().first?.components(separatedBy: "</style>").first)
        XCTAssertFalse(style.contains("<"), "no < inside the style sheet")
        XCTAssertTrue(style.contains("\\3c b\\3e patient-name"), "the name in the running head is escaped for CSS")

        // And in a real browser: printed, the markup is there as text (white space aside, as lines wrap).
        let pages = try HeadlessChromium.printedPages(of: path("packet/summary.html"), to: path("hostile.pdf"), scratch: folder)
        let printed = pages.joined().filter { !$0.isWhitespace }
        for label in ["patient-name", "opinion-conclusion", "decision-treatment", "diagnosis-stage"] {
            XCTAssertTrue(printed.contains(h(label).filter { !$0.isWhitespace }), "\(label) prints as text")
        }
        XCTAssertTrue(pages.allSatisfy { $0.filter { !$0.isWhitespace }.contains(h("patient-name").filter { !$0.isWhitespace }) },
                      "the running head prints the hostile name as text on every page")
    }
}
