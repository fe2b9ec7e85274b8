import Foundation
import PHRExchange
import PHRStore
import XCTest

/// Each kind of bad input gets an error that names the place and what was wrong, and writes
/// nothing.
final class ImportBadInputTests: ImportTestCase {
    func testMalformedJSONFileIsRefused() throws {
        let input = try writeText("bundle.json", #"{"resourceType": "Bundle", "entry": [ "#)
        try assertImportFails(input, mentioning: [input, "not valid JSON"])
    }

    func testAnNDJSONLineThatIsNotAnObjectIsRefused() throws {
        let input = try writeText("data.ndjson", """
            {"resourceType": "Patient", "id": "p1"}
            ["resourceType", "Patient"]
            """)
        try assertImportFails(input, mentioning: ["\(input):2", "not a JSON object"])
    }

    func testAResourceWithoutResourceTypeIsRefused() throws {
        let input = try writeText("data.ndjson", #"{"id": "p1", "name": [{"family": "Example"}]}"# + "\n")
        try assertImportFails(input, mentioning: ["\(input):1", "no resourceType"])
    }

    func testAnUnknownResourceTypeIsRefused() throws {
        let input = try writeJSON("bundle.json", FHIR.bundle("collection", [
            (nil, FHIR.patient("p1")), (nil, ["resourceType": "Patinet", "id": "p2"]),
        ]))
        try assertImportFails(input, mentioning: ["\(input) entry 1", "unknown resourceType 'Patinet'"])
    }

    func testImpossibleDatesAreRefused() throws {
        for (index, birthDate) in ["2023-02-30", "2023-13-01", "05/06/2023", "2023-05-06T10:00:00"].enumerated() {
            let input = try writeNDJSON("bad\(index).ndjson", [FHIR.patient("p1", birthDate: birthDate)])
            try assertImportFails(input, mentioning: ["\(input):1 (Patient/p1)", "Patient.birthDate", "FHIR dates are"])
        }
        let input = try writeNDJSON("start.ndjson", [
            FHIR.patient("p1"), FHIR.practitioner("d1"),
            FHIR.appointment("a1", patient: "Patient/p1", practitioner: "Practitioner/d1", start: "2026-12-03T25:30:00Z"),
        ])
        try assertImportFails(input, mentioning: ["\(input):3 (Appointment/a1)", "Appointment.start"])
    }

    func testBadBase64IsRefused() throws {
        var document = FHIR.document("doc1", subject: "Patient/p1")
        document["content"] = [["attachment": ["contentType": "text/plain", "data": "not*base64!"]]]
        let input = try writeNDJSON("data.ndjson", [FHIR.patient("p1"), document])
        try assertImportFails(input, mentioning: ["\(input):2 (DocumentReference/doc1)", "attachment.data", "not valid base64"])
    }

    func testAnAttachmentThatDoesNotMatchItsHashIsRefused() throws {
        var document = FHIR.document("doc1", subject: "Patient/p1", bytes: Array("the real bytes".utf8))
        document["content"] = [["attachment": ["contentType": "text/plain",
                                               "data": Data("the real bytes".utf8).base64EncodedString(),
                                               "hash": Data(repeating: 7, count: 20).base64EncodedString()]]]
        let input = try writeNDJSON("data.ndjson", [FHIR.patient("p1"), document])
        try assertImportFails(input, mentioning: ["attachment.hash", "does not match"])
    }

    func testAFolderWithoutFHIRIsRefused() throws {
        try writeText("notes/readme.txt", "nothing to import here")
        try assertImportFails(path("notes"), mentioning: ["no file phr reads"])
    }

    func testAMissingPathIsRefused() throws {
        try assertImportFails(path("no-such-file.ndjson"), mentioning: ["cannot read", "no-such-file.ndjson"])
    }

    func testAFileOfAnotherKindIsRefused() throws {
        let input = try writeText("report.pdf", "%PDF-1.4")
        try assertImportFails(input, mentioning: ["not a FHIR or C-CDA file"])
    }

    func testAFieldOfTheWrongTypeIsRefused() throws {
        let input = try writeNDJSON("data.ndjson", [FHIR.patient("p1", extra: ["birthDate": 1961])])
        try assertImportFails(input, mentioning: ["\(input):1 (Patient/p1)", "Patient.birthDate must be a string"])
    }

    func testErrorsDoNotRepeatTheValuesOfTheInput() throws {
        let input = try writeNDJSON("data.ndjson", [FHIR.patient("p1", birthDate: "1961-02-31")])
        do {
            try importing(input)
            XCTFail("should fail")
        } catch let error as ImportError {
            XCTAssertFalse(error.description.contains("1961"), "health data stays out of messages: \(error)")
            XCTAssertEqual(error.exitCode, 65)
        }
    }
}
