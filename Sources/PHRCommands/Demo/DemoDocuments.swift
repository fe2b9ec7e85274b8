import Foundation

/// The small synthetic documents of the demo case: a pathology report (plain text) and an imaging
/// report (a minimal, valid one-page PDF). Every document says it is synthetic.
enum DemoDocuments {
    static func pathologyReport(collectedOn: String, reportedOn: String) -> String {
        """
        SYNTHETIC DEMO DOCUMENT - NOT A REAL PATIENT
        Riverside Pathology Lab - Surgical Pathology Report

        Patient: Elena Marsh (demo)            Specimen collected: \(collectedOn)
        Accession: DEMO-S26-0412               Reported: \(reportedOn)

        Specimen: Left breast, 2 o'clock, ultrasound-guided core needle biopsy (3 cores).

        Diagnosis:
          Invasive ductal carcinoma (no special type), Nottingham grade 2 (3+2+1).
          Largest core length involved: 11 mm. No lymphovascular invasion seen.

        Biomarkers:
          Estrogen receptor: positive (95%, strong)
          Progesterone receptor: positive (80%, moderate)
          HER2 (IHC): 1+ (negative)
          Ki-67: 20%

        Slides and blocks DEMO-S26-0412 A1-A3 are retained by Riverside Pathology Lab.

        """
    }

    static func imagingReportLines(examinedOn: String) -> [String] {
        [
            "SYNTHETIC DEMO DOCUMENT - NOT A REAL PATIENT",
            "Riverside Community Hospital - Breast Imaging",
            "Diagnostic mammogram and left breast ultrasound, \(examinedOn)",
            "Findings: irregular hypoechoic mass, left breast 2 o'clock,",
            "  8 cm from the nipple, 2.4 x 1.9 x 1.7 cm. Axillary nodes normal.",
            "Impression: BI-RADS 5, highly suggestive of malignancy.",
            "Recommendation: ultrasound-guided core biopsy.",
        ]
    }

    /// A one-page PDF 1.4 showing `lines` in Helvetica, with a correct cross-reference table.
    static func pdf(lines: [String]) -> Data {
        let escaped = lines.map {
            $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                .replacingOccurrences(of: ")", with: "\\)")
        }
        var content = "BT /F1 11 Tf 56 780 Td 15 TL\n"
        for line in escaped { content += "(\(line)) Tj T*\n" }
        content += "ET\n"
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream",
        ]
        var out = "%PDF-1.4\n"
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.utf8.count)
            out += "\(index + 1) 0 obj\n\(object)\nendobj\n"
        }
        let xref = out.utf8.count
        out += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { out += String(format: "%010d 00000 n \n", offset) }
        out += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return Data(out.utf8)
    }
}
