import Crypto
import Foundation
import PHRStore
import PHRTestSupport
import XCTest
@testable import PHRExchange

/// `fhir.json`: validated by an independent validator (fhir.resources from PyPI), references
/// resolved, and the details the issue names.
final class FHIRBundleTests: PacketTestCase {
    func testBundleValidatesWithTheFhirResourcesR4BModels() throws {
        try export("packet", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        try validateFHIR(path("packet"))
    }

    func testPatientCarriesRecordNumbersWithTheirAssignerContactAndAddress() throws {
        try store.write("identity") {
            var patient = try store.requirePatient(sample.patient.id)
            patient.phone = "+1 555 0123"
            patient.email = "ada@example.org"
            patient.address = "12 Elm Street, Springfield"
            patient.recordNumbers = [RecordNumber(organization: "Comprehensive Cancer Centre", value: "CCC 7781"),
                                     RecordNumber(organization: "Riverside Community Hospital", value: "12345")]
            try store.updatePatient(patient)
            var centre = try store.requireProvider(sample.cancerCentre.id)
            centre.organization = "Springfield Health System"
            try store.updateProvider(centre)
        }
        try export("packet")
        try validateFHIR(path("packet"))
        let bundle = try bundle(in: path("packet"))
        let patient = try XCTUnwrap(resources(bundle, type: "Patient").first)
        let identifiers = patient["identifier"] as? [[String: Any]] ?? []
        let numbers = identifiers.filter { (($0["type"] as? [String: Any])?["text"] as? String) == "MRN" }
        XCTAssertEqual(numbers.compactMap { $0["value"] as? String }, ["CCC 7781", "12345"])
        let centreAssigner = try XCTUnwrap(numbers.first?["assigner"] as? [String: Any])
        XCTAssertEqual(centreAssigner["display"] as? String, "Comprehensive Cancer Centre")
        XCTAssertEqual(centreAssigner["reference"] as? String, "urn:uuid:" + sample.cancerCentre.uuid, "the Organization in the bundle")
        let otherAssigner = try XCTUnwrap(numbers.last?["assigner"] as? [String: Any])
        XCTAssertEqual(otherAssigner as NSDictionary, ["display": "Riverside Community Hospital"] as NSDictionary,
                       "an organization not in the bundle is named")
        let type = try XCTUnwrap((numbers.first?["type"] as? [String: Any])?["coding"] as? [[String: Any]]).first
        XCTAssertEqual(type?["code"] as? String, "MR")
        XCTAssertEqual((patient["telecom"] as? [[String: Any]])?.compactMap { $0["value"] as? String }, ["+1 555 0123", "ada@example.org"])
        XCTAssertEqual(((patient["address"] as? [[String: Any]])?.first)?["text"] as? String, "12 Elm Street, Springfield")
        let centre = try XCTUnwrap(resources(bundle, type: "Organization").first { $0["id"] as? String == sample.cancerCentre.uuid })
        let parent = try XCTUnwrap(centre["partOf"] as? [String: Any])
        XCTAssertEqual(parent["display"] as? String, "Springfield Health System")
        let parentID = String((parent["reference"] as? String ?? "").dropFirst("urn:uuid:".count))
        XCTAssertTrue(resources(bundle, type: "Organization").contains { $0["id"] as? String == parentID }, "the parent is in the bundle")
    }

    func testBundleWithoutFilesOrRecipientValidates() throws {
        try export("packet", scope: ExportScope(patientID: sample.patient.id, includeFiles: false))
        try validateFHIR(path("packet"))
    }

    func testPacketOfAPatientWithNothingYetValidates() throws {
        let newcomer = try store.write("patient add") { try store.addPatient(Patient(name: "Bo Newcomer")) }
        let report = try export("packet", scope: ExportScope(patientID: newcomer.id))
        XCTAssertEqual(report.recordCount, 0)
        let types = resources(try bundle(in: path("packet"))).compactMap { $0["resourceType"] as? String }
        XCTAssertEqual(types, ["Composition", "Patient", "PractitionerRole", "Practitioner", "Organization"],
                       "Composition and Patient, and the provider nothing refers to yet (Dr. Chloé Martin, at her workplace)")
        try validateFHIR(path("packet"))
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
        let codes = sections.compactMap { section in
            ((section["code"] as? [String: Any])?["coding"] as? [[String: Any]])?
                .first { $0["system"] as? String == FHIRVocabulary.packetSectionSystem }?["code"] as? String
        }
        XCTAssertEqual(codes, ["problems", "allergies", "medications", "opinions", "appointments", "documents"],
                       "IPS's medications and allergies sections are written even when empty")
        let recipientExtension = try XCTUnwrap((composition["extension"] as? [[String: Any]])?.first)
        XCTAssertEqual(recipientExtension["url"] as? String, FHIRVocabulary.packetRecipientExtension)
        XCTAssertEqual(Set(all.compactMap { $0["resourceType"] as? String }),
                       ["Composition", "Patient", "Condition", "ClinicalImpression", "Appointment", "DocumentReference",
                        "PractitionerRole", "Practitioner", "Organization"])
    }

    func testEveryReferenceResolvesToAFullUrlInsideTheBundle() throws {
        try addClinicalFacts()
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

    // MARK: Clinical content

    /// The Composition's sections by phr's code: (LOINC code, entry references, emptyReason code).
    private func sections(_ bundle: [String: Any]) throws -> [String: (loinc: String?, entries: [String], emptyReason: String?)] {
        let composition = try XCTUnwrap(resources(bundle, type: "Composition").first)
        var result: [String: (loinc: String?, entries: [String], emptyReason: String?)] = [:]
        for section in composition["section"] as? [[String: Any]] ?? [] {
            let codings = (section["code"] as? [String: Any])?["coding"] as? [[String: Any]] ?? []
            let phrCode = try XCTUnwrap(codings.first { $0["system"] as? String == FHIRVocabulary.packetSectionSystem }?["code"] as? String)
            let loinc = codings.first { $0["system"] as? String == "http://loinc.org" }?["code"] as? String
            let entries = (section["entry"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }
            let reason = ((section["emptyReason"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String
            result[phrCode] = (loinc, entries, reason)
        }
        return result
    }

    private func resource(_ bundle: [String: Any], _ uuid: String) throws -> [String: Any] {
        try XCTUnwrap(resources(bundle).first { $0["id"] as? String == uuid }, "no resource \(uuid)")
    }

    private func firstCoding(_ concept: Any?) -> [String: Any]? {
        ((concept as? [String: Any])?["coding"] as? [[String: Any]])?.first
    }

    func testPacketWithEveryClinicalKindValidatesAndHasNoEmptyElement() throws {
        try addClinicalFacts()
        try export("packet", scope: ExportScope(patientID: sample.patient.id, recipientID: sample.recipient.id))
        let bundle = try bundle(in: path("packet"))
        let types = Set(resources(bundle).compactMap { $0["resourceType"] as? String })
        XCTAssertTrue(types.isSuperset(of: ["Observation", "MedicationStatement", "AllergyIntolerance", "Procedure", "Immunization"]))
        var empty: [String] = []
        func visit(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                if object.isEmpty { empty.append(path) }
                for (key, member) in object { visit(member, path + "." + key) }
            } else if let array = value as? [Any] {
                if array.isEmpty { empty.append(path) }
                for (index, element) in array.enumerated() { visit(element, path + "[\(index)]") }
            } else if let text = value as? String, text.trimmingCharacters(in: .whitespaces).isEmpty {
                empty.append(path)
            } else if value is NSNull {
                empty.append(path)
            }
        }
        visit(bundle, "Bundle")
        XCTAssertEqual(empty, [], "FHIR JSON forbids empty and null elements")
        try validateFHIR(path("packet"))
    }

    func testEachClinicalSectionHasItsIPSLOINCCodeAndItsEntries() throws {
        let facts = try addClinicalFacts()
        try export("packet")
        let bundle = try bundle(in: path("packet"))
        let sections = try sections(bundle)
        let expected: [(String, String, [String])] = [
            ("problems", "11450-4", [sample.anaemia.uuid, sample.breastCancer.uuid]),
            ("allergies", "48765-2", [facts.penicillin.uuid]),
            ("medications", "10160-0", [facts.vitaminD.uuid, facts.iron.uuid, facts.letrozole.uuid]),
            ("procedures", "47519-4", [facts.colonoscopy.uuid, facts.biopsy.uuid, facts.radiotherapy.uuid]),
            ("immunizations", "11369-6", [facts.covid.uuid, facts.influenza.uuid]),
            ("social-history", "29762-2", [facts.employment.uuid]),
        ]
        for (code, loinc, uuids) in expected {
            let section = try XCTUnwrap(sections[code], code)
            XCTAssertEqual(section.loinc, loinc, code)
            XCTAssertEqual(section.entries, uuids.map { "urn:uuid:" + $0 }, code)
        }
        let results = try XCTUnwrap(sections["results"])
        XCTAssertEqual(results.loinc, "30954-2")
        let topLevel = facts.caMarkers + [facts.pT, facts.pN, facts.stageGroup, facts.estrogenReceptor, facts.her2, facts.ki67,
                                          facts.hemoglobin, facts.whiteCells, facts.ferritin, facts.bloodPressure]
        XCTAssertEqual(Set(results.entries), Set(topLevel.map { "urn:uuid:" + $0.uuid }),
                       "top-level results only: the blood pressure's parts are its members")
        XCTAssertFalse(sections["problems"]?.entries.contains("urn:uuid:" + facts.employment.uuid) ?? true,
                       "a social finding is not a problem")
        let social = try resource(bundle, facts.employment.uuid)
        XCTAssertEqual(firstCoding((social["category"] as? [Any])?.first)?["code"] as? String, "sdoh")
    }

    func testEmptyMedicationsAndAllergiesSectionsSayWhyAndValidate() throws {
        try export("packet")
        let sections = try sections(try bundle(in: path("packet")))
        XCTAssertEqual(sections["medications"]?.emptyReason, "unavailable")
        XCTAssertEqual(sections["medications"]?.entries, [])
        XCTAssertEqual(sections["allergies"]?.emptyReason, "unavailable")
        XCTAssertNil(sections["results"], "other clinical sections are left out when empty")
        XCTAssertNil(sections["procedures"])
        try validateFHIR(path("packet"))
    }

    func testNoKnownAllergiesIsTheIPSSnomedCodeNotAnEmptySection() throws {
        let statement = try store.write("allergy") {
            try store.addAllergy(Allergy.noneKnown(patientID: sample.patient.id, recordedOn: try PartialDate(parsing: "2026-10-01")))
        }
        try export("packet")
        let bundle = try bundle(in: path("packet"))
        let sections = try sections(bundle)
        XCTAssertEqual(sections["allergies"]?.entries, ["urn:uuid:" + statement.uuid])
        XCTAssertNil(sections["allergies"]?.emptyReason)
        let allergy = try resource(bundle, statement.uuid)
        let coding = firstCoding(allergy["code"])
        XCTAssertEqual(coding?["system"] as? String, "http://snomed.info/sct")
        XCTAssertEqual(coding?["code"] as? String, "716186003")
        XCTAssertEqual(allergy["recordedDate"] as? String, "2026-10-01")
        XCTAssertEqual(firstCoding(allergy["clinicalStatus"])?["code"] as? String, "active")
        try validateFHIR(path("packet"))
    }

    func testObservationCarriesCodeQuantityRangeInterpretationAndDatePrecision() throws {
        let facts = try addClinicalFacts()
        try export("packet")
        let bundle = try bundle(in: path("packet"))

        let hemoglobin = try resource(bundle, facts.hemoglobin.uuid)
        XCTAssertEqual(firstCoding(hemoglobin["code"])?["system"] as? String, "http://loinc.org")
        XCTAssertEqual(firstCoding(hemoglobin["code"])?["code"] as? String, "718-7")
        XCTAssertEqual(hemoglobin["effectiveDateTime"] as? String, "2026-11-18T08:15:00-05:00", "the time and offset are kept")
        let quantity = try XCTUnwrap(hemoglobin["valueQuantity"] as? [String: Any])
        XCTAssertEqual(quantity["value"] as? Double, 10.9)
        XCTAssertEqual(quantity["unit"] as? String, "g/dL")
        XCTAssertEqual(quantity["system"] as? String, "http://unitsofmeasure.org")
        XCTAssertEqual(quantity["code"] as? String, "g/dL")
        XCTAssertEqual(firstCoding((hemoglobin["interpretation"] as? [Any])?.first)?["code"] as? String, "L")
        let range = try XCTUnwrap((hemoglobin["referenceRange"] as? [[String: Any]])?.first)
        XCTAssertEqual((range["low"] as? [String: Any])?["value"] as? Double, 12)
        XCTAssertEqual((range["high"] as? [String: Any])?["value"] as? Double, 16)
        let categories = (hemoglobin["category"] as? [Any] ?? []).compactMap { firstCoding($0)?["code"] as? String }
        XCTAssertEqual(categories, ["laboratory", "laboratory"], "the standard category and phr's")

        let white = try resource(bundle, facts.whiteCells.uuid)
        let whiteQuantity = try XCTUnwrap(white["valueQuantity"] as? [String: Any])
        XCTAssertEqual(whiteQuantity["unit"] as? String, "x10^9/L")
        XCTAssertNil(whiteQuantity["system"], "a unit that is not UCUM does not claim to be")
        XCTAssertNil(white["interpretation"], "a value inside its range is not flagged")

        let receptor = try resource(bundle, facts.estrogenReceptor.uuid)
        let value = firstCoding(receptor["valueCodeableConcept"])
        XCTAssertEqual(value?["system"] as? String, "http://snomed.info/sct")
        XCTAssertEqual(value?["code"] as? String, "10828004")
        XCTAssertEqual(receptor["effectiveDateTime"] as? String, "2026-10-02")
        XCTAssertEqual((receptor["note"] as? [[String: Any]])?.first?["text"] as? String, "95% of cells",
                       "what qualifies the value travels with it")

        let stage = try resource(bundle, facts.stageGroup.uuid)
        XCTAssertEqual(stage["valueString"] as? String, "IIA")

        let ki67 = try resource(bundle, facts.ki67.uuid)
        XCTAssertEqual((ki67["derivedFrom"] as? [[String: Any]])?.first?["reference"] as? String, "urn:uuid:" + sample.pathology.uuid)

        let pressure = try resource(bundle, facts.bloodPressure.uuid)
        XCTAssertNil(pressure["valueQuantity"])
        XCTAssertEqual((pressure["hasMember"] as? [[String: Any]])?.compactMap { $0["reference"] as? String },
                       ["urn:uuid:" + facts.systolic.uuid, "urn:uuid:" + facts.diastolic.uuid])
        XCTAssertEqual((try resource(bundle, facts.systolic.uuid)["valueQuantity"] as? [String: Any])?["code"] as? String, "mm[Hg]")
    }

    func testMedicationAllergyProcedureAndImmunizationCarryTheirDetails() throws {
        let facts = try addClinicalFacts()
        try export("packet")
        let bundle = try bundle(in: path("packet"))

        let letrozole = try resource(bundle, facts.letrozole.uuid)
        XCTAssertEqual(letrozole["resourceType"] as? String, "MedicationStatement")
        XCTAssertEqual(letrozole["status"] as? String, "active")
        XCTAssertEqual(firstCoding(letrozole["medicationCodeableConcept"])?["system"] as? String,
                       "http://www.nlm.nih.gov/research/umls/rxnorm")
        XCTAssertEqual(firstCoding(letrozole["medicationCodeableConcept"])?["code"] as? String, "200064")
        XCTAssertEqual((letrozole["dosage"] as? [[String: Any]])?.first?["text"] as? String, "2.5 mg by mouth once daily")
        XCTAssertEqual((letrozole["effectivePeriod"] as? [String: Any])?["start"] as? String, "2026-11-01")
        XCTAssertEqual((letrozole["reasonReference"] as? [[String: Any]])?.first?["reference"] as? String,
                       "urn:uuid:" + sample.breastCancer.uuid)
        let iron = try resource(bundle, facts.iron.uuid)
        XCTAssertEqual(iron["status"] as? String, "completed")
        XCTAssertEqual((iron["effectivePeriod"] as? [String: Any])?["end"] as? String, "2025-09")

        let penicillin = try resource(bundle, facts.penicillin.uuid)
        XCTAssertEqual(penicillin["type"] as? String, "allergy")
        XCTAssertEqual(penicillin["category"] as? [String], ["medication"])
        XCTAssertEqual(penicillin["criticality"] as? String, "high")
        XCTAssertEqual(firstCoding(penicillin["code"])?["code"] as? String, "7980")
        let reaction = try XCTUnwrap((penicillin["reaction"] as? [[String: Any]])?.first)
        XCTAssertEqual((reaction["manifestation"] as? [[String: Any]])?.compactMap { $0["text"] as? String }, ["hives", "wheezing"])
        XCTAssertEqual(reaction["severity"] as? String, "moderate")

        let radiotherapy = try resource(bundle, facts.radiotherapy.uuid)
        XCTAssertEqual(radiotherapy["status"] as? String, "in-progress")
        XCTAssertEqual((radiotherapy["performedPeriod"] as? [String: Any])?["end"] as? String, "2026-12-20")
        let biopsy = try resource(bundle, facts.biopsy.uuid)
        XCTAssertEqual(biopsy["performedDateTime"] as? String, "2026-10-02")
        XCTAssertEqual(firstCoding(biopsy["code"])?["system"] as? String, "http://snomed.info/sct")
        XCTAssertEqual(((biopsy["bodySite"] as? [[String: Any]])?.first)?["text"] as? String, "Left breast")
        XCTAssertEqual((biopsy["outcome"] as? [String: Any])?["text"] as? String, "Invasive ductal carcinoma")
        XCTAssertEqual(firstCoding(biopsy["category"])?["code"] as? String, "biopsy")

        let influenza = try resource(bundle, facts.influenza.uuid)
        XCTAssertEqual(firstCoding(influenza["vaccineCode"])?["system"] as? String, "http://hl7.org/fhir/sid/cvx")
        XCTAssertEqual(firstCoding(influenza["vaccineCode"])?["code"] as? String, "141")
        XCTAssertEqual(influenza["occurrenceDateTime"] as? String, "2026-10-15")
        XCTAssertEqual(influenza["status"] as? String, "completed")
    }

    func testUCUMCheckTellsCodesFromUnitsAsWritten() {
        for unit in ["g/dL", "U/mL", "10*3/uL", "%", "mm[Hg]", "mL/min/{1.73_m2}", "kg/m2", "/min", "ng/mL", "[IU]/L", "mmol/L"] {
            XCTAssertTrue(UCUMUnit.isUCUM(unit), unit)
        }
        for unit in ["x10^9/L", "mmHg", "IU/L", "cells/uL", "bpm", "mEq/L", "", "g /dL", "{open"] {
            XCTAssertFalse(UCUMUnit.isUCUM(unit), unit)
        }
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
