import PHRStore
import XCTest

/// What a procedure's name says about its category.
final class ProcedureCategoryGuessTests: XCTestCase {
    func testTheNameGivesTheCategoryAway() {
        let expected: [(String, Procedure.Category?)] = [
            ("Core needle biopsy, left breast", .biopsy),
            ("Excisional biopsy", .biopsy),
            ("Colonoscopy, flexible; with biopsy, single or multiple", .biopsy),
            ("Fine needle aspiration of thyroid", .biopsy),
            ("Whole breast radiotherapy", .radiationTherapy),
            ("Radiation therapy, 50 Gy in 25 fractions", .radiationTherapy),
            ("HDR brachytherapy", .radiationTherapy),
            ("Neoadjuvant chemotherapy (AC-T)", .systemicTherapy),
            ("Immunotherapy with pembrolizumab", .systemicTherapy),
            ("Lumpectomy", .surgery),
            ("Laparoscopic appendectomy", .surgery),
            ("Wide local excision", .surgery),
            ("Bilateral mastectomies", .surgery),
            ("Breast reconstruction", .surgery),
            ("Electrocardiogram (12-Lead)", nil),
            ("Individual counseling for medical nutrition", nil),
            ("Radiologist review", nil),
        ]
        for (name, category) in expected {
            XCTAssertEqual(Procedure.Category.guess(fromName: name), category, name)
        }
    }
}
