import Foundation
import PHRExchange
import PHRStore
import XCTest

/// Every input layout is found and read: single resources, bundles of each type, NDJSON (with
/// long lines, CRLF, blank lines, a byte order mark), bulk-data folders, packets.
final class ImportInputTests: ImportTestCase {
    func testASingleResourceFileImports() throws {
        let report = try importing(try writeJSON("patient.json", FHIR.patient("p1")))
        XCTAssertEqual(report.byType["Patient"]?.added, 1)
    }

    func testBundlesOfEveryTypeImport() throws {
        for (index, type) in ["transaction", "batch", "collection", "document", "searchset"].enumerated() {
            let input = try writeJSON("\(type).json", FHIR.bundle(type, [
                (nil, FHIR.patient("p\(index)", family: "Type\(index)", birthDate: "19\(50 + index)-01-01")),
            ]))
            XCTAssertEqual(try importing(input).byType["Patient"]?.added, 1, type)
        }
        XCTAssertEqual(try count("patients"), 5)
    }

    func testABulkDataFolderImportsInDependencyOrder() throws {
        try writeNDJSON("bulk/Condition.000.ndjson", [FHIR.condition("c1", subject: "Patient/p1", asserter: "Practitioner/d1")])
        try writeNDJSON("bulk/Patient.000.ndjson", [FHIR.patient("p1")])
        try writeNDJSON("bulk/Patient.001.ndjson", [FHIR.patient("p2", family: "Second", birthDate: "1970-01-01")])
        try writeNDJSON("bulk/Practitioner.000.ndjson", [FHIR.practitioner("d1")])
        try writeNDJSON("bulk/Claim.000.ndjson", [["resourceType": "Claim", "id": "o1", "status": "active"]])
        try writeText("bulk/manifest.txt", "not FHIR, passed over")
        let report = try importing(path("bulk"))
        XCTAssertEqual(report.files, 5)
        XCTAssertEqual(report.byType["Patient"]?.added, 2)
        XCTAssertEqual(report.byType["Condition"]?.added, 1)
        XCTAssertEqual(report.byType["Claim"]?.skipped, 1)
        XCTAssertEqual(report.unresolvedCount, 0)
    }

    func testAFileNamedAfterATypePhrSkipsStillGivesUpWhatPhrKeeps() throws {
        try writeNDJSON("bulk/Patient.000.ndjson", [FHIR.patient("p1")])
        try writeNDJSON("bulk/Claim.000.ndjson", [
            ["resourceType": "Claim", "id": "o1", "status": "active"],
            FHIR.condition("c1", subject: "Patient/p1"),
            ["resourceType": "Claim", "id": "o2", "status": "active"],
        ])
        let report = try importing(path("bulk"))
        XCTAssertEqual(report.byType["Claim"]?.skipped, 2)
        XCTAssertEqual(report.byType["Condition"]?.added, 1)
        XCTAssertEqual(try store.diagnoses(patientID: try onlyPatient().id).count, 1)
    }

    func testAnErrorInAFileOfSkippedTypesStopsTheWholeImport() throws {
        try writeNDJSON("bulk/Patient.000.ndjson", [FHIR.patient("p1")])
        try writeText("bulk/Claim.000.ndjson", #"{"resourceType":"Claim","id":"o1"}"# + "\n{not json\n")
        try assertImportFails(path("bulk"), mentioning: ["Claim.000.ndjson:2", "not valid JSON"])
    }

    func testNDJSONWithCRLFBlankLinesAByteOrderMarkAndLongLinesImports() throws {
        let long = FHIR.document("doc1", subject: "Patient/p1", bytes: (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0) })
        let lines = try [FHIR.patient("p1"), long, FHIR.condition("c1", subject: "Patient/p1")].map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
        }
        let input = try writeText("data.ndjson", "\u{FEFF}" + lines[0] + "\r\n\r\n   \n" + lines[1] + "\r\n" + lines[2])
        let report = try importing(input)
        XCTAssertEqual(report.totals.added, 3)
        XCTAssertEqual(try store.records(patientID: try onlyPatient().id).first?.file?.size, 3_000_000)
    }

    func testAnErrorOnALineAfterALongLineNamesTheRightLine() throws {
        let long = FHIR.document("doc1", subject: "Patient/p1", bytes: Array(repeating: 65, count: 2_500_000))
        let lines = try [FHIR.patient("p1"), long].map {
            String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
        }
        let input = try writeText("data.ndjson", lines.joined(separator: "\n") + "\n\n{broken\n")
        try assertImportFails(input, mentioning: ["\(input):4", "not valid JSON"])
    }

    func testAPacketFolderReadsAttachmentsFromItsRecords() throws {
        let bytes = Array("%PDF-1.4 synthetic pathology".utf8)
        try writeText("packet/records/2026-05-20_pathology-report_Core-biopsy.pdf", String(decoding: bytes, as: UTF8.self))
        try writeText("packet/summary.html", "<html></html>")
        try writeJSON("packet/fhir.json", FHIR.bundle("document", [
            ("urn:uuid:6f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f", FHIR.patient("6f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f")),
            ("urn:uuid:7f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f",
             FHIR.document("7f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f", subject: "urn:uuid:6f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f",
                           bytes: nil, url: "records/2026-05-20_pathology-report_Core-biopsy.pdf",
                           extra: ["content": [["attachment": [
                               "contentType": "application/pdf", "title": "Core biopsy",
                               "url": "records/2026-05-20_pathology-report_Core-biopsy.pdf", "size": bytes.count,
                               "hash": Data(sha1Digest(bytes)).base64EncodedString(),
                           ]]]])),
        ]))
        try importing(path("packet"))
        let record = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first)
        XCTAssertEqual(record.uuid, "7f1c4a52-0d8e-4f5c-9d7e-1a2b3c4d5e6f")
        XCTAssertEqual(record.file?.size, Int64(bytes.count))
        XCTAssertEqual(record.file?.originalName, "Core biopsy", "phr keeps the original name in the attachment title")
    }

    func testAPacketAttachmentURLCannotLeaveThePacket() throws {
        try writeText("secret.txt", "outside the packet")
        try writeJSON("packet/fhir.json", FHIR.bundle("document", [
            (nil, FHIR.patient("p1")),
            (nil, FHIR.document("doc1", subject: "Patient/p1", bytes: nil, url: "../secret.txt")),
        ]))
        // A packet's files are inside it: a path out of it is refused, never read nor kept as a note.
        try assertImportFails(path("packet"), mentioning: ["entry 1 (DocumentReference/doc1)", "points outside the packet"])
    }

    func testAPacketAttachmentCannotLinkOutOfThePacket() throws {
        try writeText("secret.txt", "outside the packet")
        try FileManager.default.createDirectory(atPath: path("packet/records"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path("packet/records/link.txt"), withDestinationPath: path("secret.txt"))
        try writeJSON("packet/fhir.json", FHIR.bundle("document", [
            (nil, FHIR.patient("p1")),
            (nil, FHIR.document("doc1", subject: "Patient/p1", bytes: nil, url: "records/link.txt")),
        ]))
        try assertImportFails(path("packet"), mentioning: ["entry 1 (DocumentReference/doc1)", "not in the packet"])
    }

    func testAPacketWhoseAttachmentIsMissingIsRefused() throws {
        try writeJSON("packet/fhir.json", FHIR.bundle("document", [
            (nil, FHIR.patient("p1")),
            (nil, FHIR.document("doc1", subject: "Patient/p1", bytes: nil, url: "records/gone.pdf")),
        ]))
        try assertImportFails(path("packet"), mentioning: ["entry 1 (DocumentReference/doc1)", "not in the packet"])
    }

    func testSeveralPathsImportAsOne() throws {
        let patients = try writeNDJSON("a/Patient.ndjson", [FHIR.patient("p1")])
        let conditions = try writeNDJSON("b/Condition.ndjson", [FHIR.condition("c1", subject: "Patient/p1")])
        let report = try importing([conditions, patients])
        XCTAssertEqual(report.totals.added, 2)
        XCTAssertEqual(try count("changes"), 1, "one import, one change")
    }
}

import Crypto

/// SHA-1, as FHIR R4's Attachment.hash uses it.
func sha1Digest(_ bytes: [UInt8]) -> [UInt8] {
    Array(Insecure.SHA1.hash(data: bytes))
}
