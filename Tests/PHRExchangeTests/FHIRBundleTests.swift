import Crypto
import Foundation
import PHRStore
import PHRTestSupport
import XCTest
@testable import PHRExchange

/// `fhir.json`: validated by an independent validator (fhir.resources from PyPI), references
/// resolved, and the details the issue names.
final class FHIRBundleTests: PacketTestCase {
    /// The validator's Python, in the virtual environment `.ci/run` creates.
    private func validatorPython() throws -> String {
        try RequiredTool.find([Self.repositoryRoot + "/.venv-fhir/bin/python"],
                              install: "set it up with scripts/test, or: python3 -m venv .venv-fhir && "
                                  + ".venv-fhir/bin/pip install -r scripts/requirements-fhir.txt")
    }

    private func validate(_ packet: String) throws {
        let python = try validatorPython()
        let result = try run(python, [Self.repositoryRoot + "/scripts/validate_fhir.py", packet + "/fhir.json"])
        XCTAssertEqual(result.status, 0, "fhir.json does not validate:\n\(result.error)")
    }

    func testBundleValidatesWithTheFhirResourcesR4BModels() throws {
        try export("packet", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        try validate(path("packet"))
    }

    func testBundleWithoutFilesOrRecipientValidates() throws {
        try export("packet", scope: ExportScope(patientID: sample.patient.id, includeFiles: false))
        try validate(path("packet"))
    }

    func testPacketOfAPatientWithNothingYetValidates() throws {
        let newcomer = try store.write("patient add") { try store.addPatient(Patient(name: "Bo Newcomer")) }
        let report = try export("packet", scope: ExportScope(patientID: newcomer.id))
        XCTAssertEqual(report.recordCount, 0)
        XCTAssertEqual(resources(try bundle(in: path("packet"))).count, 2, "Composition and Patient")
        try validate(path("packet"))
    }

    func testValidatorRejectsAnInvalidBundle() throws {
        let python = try validatorPython()
        try export("packet")
        // A Condition without its required subject: the validator must notice.
        var bundle = try bundle(in: path("packet"))
        var entries = try XCTUnwrap(bundle["entry"] as? [[String: Any]])
        let index = try XCTUnwrap(entries.firstIndex { ($0["resource"] as? [String: Any])?["resourceType"] as? String == "Condition" })
        var condition = try XCTUnwrap(entries[index]["resource"] as? [String: Any])
        condition.removeValue(forKey: "subject")
        entries[index]["resource"] = condition
        bundle["entry"] = entries
        try JSONSerialization.data(withJSONObject: bundle).write(to: URL(fileURLWithPath: path("broken.json")))
        let result = try run(python, [Self.repositoryRoot + "/scripts/validate_fhir.py", path("broken.json")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.error.contains("subject"), result.error)
    }

    func testDocumentBundleStartsWithCompositionAndHasIdentifierAndTimestamp() throws {
        let report = try export("packet", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        let bundle = try bundle(in: path("packet"))
        XCTAssertEqual(bundle["type"] as? String, "document")
        XCTAssertNotNil(bundle["timestamp"] as? String)
        let identifier = try XCTUnwrap(bundle["identifier"] as? [String: Any])
        XCTAssertEqual(identifier["system"] as? String, "urn:ietf:rfc:3986")
        XCTAssertEqual(identifier["value"] as? String, "urn:uuid:" + report.logged.documentUUID)
        let all = resources(bundle)
        XCTAssertEqual(all.first?["resourceType"] as? String, "Composition")
        let composition = all[0]
        let sections = try XCTUnwrap(composition["section"] as? [[String: Any]])
        let codes = sections.compactMap { (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String }
        XCTAssertEqual(codes, ["problems", "opinions", "appointments", "documents"])
        let recipientExtension = try XCTUnwrap((composition["extension"] as? [[String: Any]])?.first)
        XCTAssertEqual(recipientExtension["url"] as? String, FHIRVocabulary.packetRecipientExtension)
        XCTAssertEqual(Set(all.compactMap { $0["resourceType"] as? String }),
                       ["Composition", "Patient", "Condition", "ClinicalImpression", "Appointment", "DocumentReference",
                        "PractitionerRole", "Practitioner", "Organization"])
    }

    func testEveryReferenceResolvesToAFullUrlInsideTheBundle() throws {
        try export("packet", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        let bundle = try bundle(in: path("packet"))
        let entries = try XCTUnwrap(bundle["entry"] as? [[String: Any]])
        let fullUrls = entries.compactMap { $0["fullUrl"] as? String }
        XCTAssertEqual(fullUrls.count, entries.count, "every entry has a fullUrl")
        XCTAssertEqual(Set(fullUrls).count, fullUrls.count, "fullUrls are unique")
        for (entry, fullUrl) in zip(entries, fullUrls) {
            XCTAssertTrue(fullUrl.hasPrefix("urn:uuid:"))
            let resource = try XCTUnwrap(entry["resource"] as? [String: Any])
            XCTAssertEqual("urn:uuid:" + (resource["id"] as? String ?? ""), fullUrl, "id agrees with fullUrl")
        }
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["reference"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let array = value as? [Any] {
                array.forEach(collect)
            }
        }
        collect(entries.compactMap { $0["resource"] })
        XCTAssertGreaterThan(references.count, 20)
        let unresolved = references.filter { !fullUrls.contains($0) }
        XCTAssertEqual(unresolved, [], "references that resolve nowhere in the bundle")
    }

    func testFullUrlsComeFromTheStoresStableUUIDs() throws {
        try export("one")
        try export("two")
        let first = Set(resources(try bundle(in: path("one"))).filter { $0["resourceType"] as? String != "Composition" }
            .compactMap { $0["id"] as? String })
        let second = Set(resources(try bundle(in: path("two"))).filter { $0["resourceType"] as? String != "Composition" }
            .compactMap { $0["id"] as? String })
        XCTAssertEqual(first, second, "the same store gives the same resource ids in every export")
        XCTAssertTrue(first.contains(sample.patient.uuid))
        XCTAssertTrue(first.contains(sample.breastCancer.uuid))
        XCTAssertTrue(first.contains(sample.secondOpinion.uuid))
        XCTAssertTrue(first.contains(sample.pathology.uuid))
    }

    func testConditionCarriesCodeSystemStatusOnsetAsserterAndStage() throws {
        try export("packet")
        let bundle = try bundle(in: path("packet"))
        let condition = try XCTUnwrap(resources(bundle, type: "Condition").first { $0["id"] as? String == sample.breastCancer.uuid })
        let coding = try XCTUnwrap(((condition["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first)
        XCTAssertEqual(coding["system"] as? String, "http://hl7.org/fhir/sid/icd-10-cm")
        XCTAssertEqual(coding["code"] as? String, "C50.912")
        let verification = ((condition["verificationStatus"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
        XCTAssertEqual(verification?["code"] as? String, "confirmed")
        XCTAssertEqual(condition["onsetDateTime"] as? String, "2026-09-28")
        let asserter = try XCTUnwrap((condition["asserter"] as? [String: Any])?["reference"] as? String)
        XCTAssertEqual(asserter, "urn:uuid:" + FHIRBundleBuilder.roleUUID(of: sample.oncologist))
        let stage = (condition["stage"] as? [[String: Any]])?.first?["summary"] as? [String: Any]
        XCTAssertEqual(stage?["text"] as? String, "IIA (pT2 N0 M0)")

        let suspected = try XCTUnwrap(resources(bundle, type: "Condition").first { $0["id"] as? String == sample.anaemia.uuid })
        let suspectedStatus = ((suspected["verificationStatus"] as? [String: Any])?["coding"] as? [[String: Any]])?.first
        XCTAssertEqual(suspectedStatus?["code"] as? String, "provisional")
        XCTAssertEqual(suspected["onsetDateTime"] as? String, "2025-03")
    }

    func testClinicalImpressionHasAgreementExtensionPreviousAndProblem() throws {
        try export("packet")
        let impressions = resources(try bundle(in: path("packet")), type: "ClinicalImpression")
        XCTAssertEqual(impressions.count, 3)
        let second = try XCTUnwrap(impressions.first { $0["id"] as? String == sample.secondOpinion.uuid })
        let extensions = try XCTUnwrap(second["extension"] as? [[String: Any]])
        let agreement = try XCTUnwrap(extensions.first { $0["url"] as? String == FHIRVocabulary.agreementExtension })
        XCTAssertEqual(agreement["valueCode"] as? String, "partly")
        XCTAssertEqual((second["previous"] as? [String: Any])?["reference"] as? String, "urn:uuid:" + sample.firstOpinion.uuid)
        XCTAssertEqual(((second["problem"] as? [[String: Any]])?.first)?["reference"] as? String, "urn:uuid:" + sample.breastCancer.uuid)
        XCTAssertEqual(second["summary"] as? String, sample.secondOpinion.conclusion)
        XCTAssertEqual(second["date"] as? String, "2026-11-02")
        XCTAssertEqual((second["assessor"] as? [String: Any])?["reference"] as? String,
                       "urn:uuid:" + FHIRBundleBuilder.roleUUID(of: sample.surgeon))

        let first = try XCTUnwrap(impressions.first { $0["id"] as? String == sample.firstOpinion.uuid })
        let firstAgreement = (first["extension"] as? [[String: Any]])?.first { $0["url"] as? String == FHIRVocabulary.agreementExtension }
        XCTAssertEqual(firstAgreement?["valueCode"] as? String, "first")
        XCTAssertNil(first["previous"], "the first opinion has no previous one")
    }

    func testDocumentReferenceHasRelativeUrlSizeAndBase64SHA1Hash() throws {
        try export("packet")
        let documents = resources(try bundle(in: path("packet")), type: "DocumentReference")
        XCTAssertEqual(documents.count, 6)
        let pathology = try XCTUnwrap(documents.first { $0["id"] as? String == sample.pathology.uuid })
        let attachment = try XCTUnwrap(((pathology["content"] as? [[String: Any]])?.first)?["attachment"] as? [String: Any])
        XCTAssertEqual(attachment["contentType"] as? String, "application/pdf")
        XCTAssertEqual(attachment["size"] as? Int, sample.pathologyBytes.count)
        XCTAssertEqual(attachment["title"] as? String, "Pathologie Befund (final).pdf", "the original name is kept")
        XCTAssertEqual(attachment["creation"] as? String, "2026-10-02")
        let url = try XCTUnwrap(attachment["url"] as? String)
        XCTAssertTrue(url.hasPrefix("records/"))
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: path("packet") + "/" + url))
        XCTAssertEqual(Array(onDisk), sample.pathologyBytes)
        XCTAssertEqual(attachment["hash"] as? String, Data(Insecure.SHA1.hash(data: Data(sample.pathologyBytes))).base64EncodedString())

        let slides = try XCTUnwrap(documents.first { $0["id"] as? String == sample.slides.uuid })
        let slideAttachment = ((slides["content"] as? [[String: Any]])?.first)?["attachment"] as? [String: Any]
        XCTAssertEqual(slideAttachment?["title"] as? String, "Biopsy slides and blocks")
        XCTAssertNil(slideAttachment?["url"], "a record without a file links to nothing")
    }

    func testJSONTextEscapesQuotesBackslashesAndControlCharacters() {
        let value = JSONValue.object([("a", .string("quote \" backslash \\ newline \n tab \t bell \u{07} é"))])
        let text = value.rendered()
        XCTAssertTrue(text.contains(#""quote \" backslash \\ newline \n tab \t bell \u0007 é""#), text)
        let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        XCTAssertEqual(parsed?["a"], "quote \" backslash \\ newline \n tab \t bell \u{07} é")
    }

    func testNameBasedUUIDsAreStableVersion5UUIDs() {
        let one = NameBasedUUID.make(name: "organization:city hospital")
        XCTAssertEqual(one, NameBasedUUID.make(name: "organization:city hospital"))
        XCTAssertNotEqual(one, NameBasedUUID.make(name: "organization:university clinic"))
        XCTAssertEqual(one.count, 36)
        XCTAssertEqual(Array(one)[14], "5", "version 5")
        XCTAssertTrue("89ab".contains(Array(one)[19]), "RFC 4122 variant")
        // The RFC 9562 example: the DNS namespace and "www.example.com".
        XCTAssertEqual(NameBasedUUID.make(namespace: "6ba7b810-9dad-11d1-80b4-00c04fd430c8", name: "www.example.com"),
                       "2ed6657d-e927-568b-95e1-2665a8aea6a2")
    }
}
