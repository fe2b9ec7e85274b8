import Foundation
import PHRTestSupport
import XCTest

/// The demo's packet as a receiving doctor's office prints it: summary.html printed to PDF by
/// headless Chromium, read back with pdftotext. (CI installs both; a missing one fails the test.)
final class PrintedPacketTests: PHRTestCase {
    /// The demo with a treatment decision resting on the second opinion, exported.
    private func printedDemo() throws -> [String] {
        try succeed("demo", "--db", storePath)
        try succeed("decision", "add", "--diagnosis", "invasive", "--treatment", "Neoadjuvant TC x4, then lumpectomy",
                    "--based-on", "2")
        try succeed("export", folder.appendingPathComponent("packet").path)
        return try HeadlessChromium.printedPages(of: folder.appendingPathComponent("packet/summary.html").path,
                                                 to: folder.appendingPathComponent("summary.pdf").path, scratch: folder.path)
    }

    /// Words as pdftotext gives them, with every run of white space made one space.
    private func flat(_ page: String) -> String {
        page.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    func testDemoPrintsOnAtMostThreePagesWithTheCaseOnPageOne() throws {
        let pages = try printedDemo()
        XCTAssertGreaterThanOrEqual(pages.count, 1)
        XCTAssertLessThanOrEqual(pages.count, 3, "the demo prints on at most 3 pages, not \(pages.count)")
        let first = flat(pages[0])
        for expected in ["Invasive ductal carcinoma, left breast, upper-outer quadrant", "Stage IIA",
                         "Dr. Anna Weber", "Dr. Priya Raman", "first opinion", "partly agrees",
                         "Decision", "Neoadjuvant TC x4, then lumpectomy", "Penicillin", "1971-03-14"] {
            XCTAssertTrue(first.contains(expected), "page 1 holds '\(expected)':\n\(first)")
        }
        XCTAssertTrue(first.contains("based on Dr. Priya Raman"), "the decision names the opinion it rests on:\n\(first)")
        let all = pages.map(flat).joined(separator: " ")
        XCTAssertTrue(all.contains("Family history Mother: Breast cancer, onset at 46"), "the demo's family history is printed:\n\(all)")
    }

    func testEveryPrintedPageCarriesThePatientAndItsPageNumber() throws {
        let pages = try printedDemo()
        for (index, page) in pages.enumerated() {
            let text = flat(page)
            XCTAssertTrue(text.contains("Elena Marsh (demo), born 1971-03-14"), "page \(index + 1) names the patient:\n\(text)")
            XCTAssertTrue(text.contains("page \(index + 1) of \(pages.count)"), "page \(index + 1) is numbered:\n\(text)")
        }
    }
}
