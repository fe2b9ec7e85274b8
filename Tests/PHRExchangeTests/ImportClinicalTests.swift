import Foundation
import PHRExchange
import PHRStore
import XCTest

/// Issue 11: medications (requested, stated, given), allergies, procedures, immunizations, the kind
/// of a diagnosis and the staging a condition names, imported from FHIR R4.
final class ImportClinicalTests: ImportTestCase {
    private static let rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm"

    private func medication(named name: String) throws -> Medication {
        try XCTUnwrap(try store.medications(patientID: try onlyPatient().id).first { $0.name == name }, "no medication \(name)")
    }

    // MARK: Medications

    func testAMedicationRequestKeepsNameCodeInstructionsDatePrescriberAndReason() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.practitioner("d1"), FHIR.condition("c1", subject: "Patient/p1"),
            ["resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
             "subject": FHIR.ref("Patient/p1"), "authoredOn": "2026-11-01T10:00:00+01:00",
             "medicationCodeableConcept": FHIR.concept(Self.rxnorm, "200064", "letrozole 2.5 MG Oral Tablet"),
             "dosageInstruction": [["text": "One tablet by mouth once daily"]],
             "requester": FHIR.ref("Practitioner/d1"), "reasonReference": [FHIR.ref("Condition/c1")],
             "note": [["text": "Take with food."]]],
        ])
        let report = try importing(input)
        let medication = try medication(named: "letrozole 2.5 MG Oral Tablet")
        XCTAssertEqual(medication.code, "200064")
        XCTAssertEqual(medication.codeSystem, .rxnorm)
        XCTAssertEqual(medication.instructions, "One tablet by mouth once daily")
        XCTAssertEqual(medication.startedOn, try PartialDate(parsing: "2026-11-01"))
        XCTAssertEqual(medication.status, .active)
        XCTAssertEqual(medication.providerID, try store.providers().first?.id)
        XCTAssertNotNil(medication.providerID)
        XCTAssertEqual(medication.diagnosisID, try store.diagnoses(patientID: try onlyPatient().id).first?.id)
        XCTAssertNotNil(medication.diagnosisID)
        XCTAssertEqual(medication.sourceNotes, "Take with food.")
        XCTAssertEqual(report.byType["MedicationRequest"]?.added, 1)
    }

    func testAContainedMedicationNamesTheRequest() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "MedicationRequest", "id": "m1", "status": "draft", "intent": "order",
             "subject": FHIR.ref("Patient/p1"), "medicationReference": FHIR.ref("#med"),
             "contained": [["resourceType": "Medication", "id": "med",
                            "code": FHIR.concept(Self.rxnorm, "1049221", "Tamoxifen 20 MG Oral Tablet")]]],
        ])
        try importing(input)
        let medication = try medication(named: "Tamoxifen 20 MG Oral Tablet")
        XCTAssertEqual(medication.code, "1049221")
        XCTAssertEqual(medication.status, .planned, "a draft is planned")
    }

    /// A timing's repeat reads as people say it ("twice a day", "once every 3 weeks"), and a plan
    /// the patient reports taking (US Core's self-prescribed medicine) is active, not planned.
    func testATimingReadsAsPeopleSayItAndAReportedPlanIsTaken() throws {
        func request(_ id: String, _ name: String, intent: String = "order", reported: Bool? = nil,
                     repeating: [String: Any]? = nil) -> [String: Any] {
            var resource: [String: Any] = ["resourceType": "MedicationRequest", "id": id, "status": "active", "intent": intent,
                                           "subject": FHIR.ref("Patient/p1"), "medicationCodeableConcept": ["text": name]]
            if let reported { resource["reportedBoolean"] = reported }
            if let repeating { resource["dosageInstruction"] = [["timing": ["repeat": repeating]]] }
            return resource
        }
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            request("m1", "Nizatidine", repeating: ["frequency": 2, "period": 1, "periodUnit": "d"]),
            request("m2", "Trastuzumab", repeating: ["frequency": 1, "period": 3, "periodUnit": "wk"]),
            request("m3", "Ondansetron", repeating: ["frequency": 3, "period": 1, "periodUnit": "d"]),
            request("m4", "Tylenol PM", intent: "plan", reported: true),
            request("m5", "Letrozole", intent: "plan"),
        ]))
        XCTAssertEqual(try medication(named: "Nizatidine").frequency, "twice a day")
        XCTAssertEqual(try medication(named: "Trastuzumab").frequency, "once every 3 weeks")
        XCTAssertEqual(try medication(named: "Ondansetron").frequency, "3 times a day")
        XCTAssertEqual(try medication(named: "Tylenol PM").status, .active, "reported as taken")
        XCTAssertEqual(try medication(named: "Letrozole").status, .planned, "a plan not begun")
    }

    /// What a dosage says about when and how much reaches the medication: as needed (and for
    /// what), ranges of dose and period, the number of doses, how long, HL7's abbreviations.
    func testADosageKeepsAsNeededRangesCountsAndDurations() throws {
        func request(_ id: String, _ name: String, _ dosage: [String: Any]) -> [String: Any] {
            ["resourceType": "MedicationRequest", "id": id, "status": "active", "intent": "order",
             "subject": FHIR.ref("Patient/p1"), "medicationCodeableConcept": ["text": name], "dosageInstruction": [dosage]]
        }
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            request("m1", "Ondansetron", ["timing": ["repeat": ["frequency": 1, "period": 8, "periodUnit": "h"]],
                                          "asNeededBoolean": true, "doseAndRate": [["doseQuantity": ["value": 8, "unit": "mg"]]]]),
            request("m2", "Oxycodone", ["timing": ["repeat": ["frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h"]],
                                        "asNeededCodeableConcept": ["text": "pain"],
                                        "doseAndRate": [["doseRange": ["low": ["value": 1, "unit": "tablet"],
                                                                       "high": ["value": 2, "unit": "tablet"]]]]]),
            request("m3", "Dexamethasone", ["timing": ["repeat": ["frequency": 2, "period": 1, "periodUnit": "d",
                                                                  "boundsDuration": ["value": 3, "unit": "days", "code": "d"]]]]),
            request("m4", "Paclitaxel", ["timing": ["repeat": ["period": 1, "periodUnit": "wk", "count": 12]]]),
            request("m5", "Letrozole", ["timing": ["code": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation",
                                                                        "code": "QD"]]]]]),
        ]))
        let ondansetron = try medication(named: "Ondansetron")
        XCTAssertEqual(ondansetron.frequency, "once every 8 hours as needed")
        XCTAssertEqual(ondansetron.dose, "8 mg")
        let oxycodone = try medication(named: "Oxycodone")
        XCTAssertEqual(oxycodone.frequency, "once every 4–6 hours as needed for pain")
        XCTAssertEqual(oxycodone.dose, "1–2 tablet")
        XCTAssertEqual(try medication(named: "Dexamethasone").frequency, "twice a day for 3 days")
        XCTAssertEqual(try medication(named: "Paclitaxel").frequency, "once a week, 12 doses", "a period alone is once per period")
        XCTAssertEqual(try medication(named: "Letrozole").frequency, "once a day")
    }

    /// A taper's later steps, and a second dose taken beside the first, are not lost: they follow
    /// the first dosage in the instructions, "then" (a later `sequence`) or "and" (the same one).
    func testLaterDosagesOfATaperFollowTheFirstInTheInstructions() throws {
        func step(_ sequence: Int, _ milligrams: Int, _ repeating: [String: Any], text: String? = nil) -> [String: Any] {
            var dosage: [String: Any] = ["sequence": sequence, "timing": ["repeat": repeating],
                                         "doseAndRate": [["doseQuantity": ["value": milligrams, "unit": "mg"]]]]
            if let text { dosage["text"] = text }
            return dosage
        }
        let days3: [String: Any] = ["frequency": 2, "period": 1, "periodUnit": "d", "boundsDuration": ["value": 3, "code": "d"]]
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order", "subject": FHIR.ref("Patient/p1"),
             "medicationCodeableConcept": ["text": "Dexamethasone 4 mg tablet"],
             "dosageInstruction": [step(1, 4, days3), step(2, 2, days3), step(3, 1, [:], text: "1 mg once a day for 3 days, then stop")]],
            ["resourceType": "MedicationStatement", "id": "m2", "status": "active", "subject": FHIR.ref("Patient/p1"),
             "medicationCodeableConcept": ["text": "Olanzapine"],
             "dosage": [step(1, 10, ["when": ["MORN"]]), step(1, 5, ["when": ["HS"]]), step(2, 5, [:], text: "Then 5 mg at bedtime only")]],
        ]))
        let taper = try medication(named: "Dexamethasone 4 mg tablet")
        XCTAssertEqual(taper.dose, "4 mg")
        XCTAssertEqual(taper.frequency, "twice a day for 3 days")
        XCTAssertEqual(taper.instructions,
                       "4 mg twice a day for 3 days; then 2 mg twice a day for 3 days; then 1 mg once a day for 3 days, then stop")
        XCTAssertEqual(try medication(named: "Olanzapine").instructions,
                       "10 mg in the morning; and 5 mg at bedtime; Then 5 mg at bedtime only", "a text saying how it follows keeps its word")
    }

    /// When in the day or week a dose is taken reaches the medication: its days of the week, times
    /// of day, and events (meals, bedtime, waking) with their offsets; half a day is 12 hours.
    func testADosageKeepsItsDaysTimesOfDayAndMealsAndBedtime() throws {
        func statement(_ id: String, _ name: String, _ repeating: [String: Any]) -> [String: Any] {
            ["resourceType": "MedicationStatement", "id": id, "status": "active", "subject": FHIR.ref("Patient/p1"),
             "medicationCodeableConcept": ["text": name], "dosage": [["timing": ["repeat": repeating]]]]
        }
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            statement("m1", "Capecitabine", ["frequency": 2, "period": 1, "periodUnit": "d", "when": ["PC"], "offset": 30]),
            statement("m2", "Insulin glargine", ["when": ["HS"]]),
            statement("m3", "Levothyroxine", ["frequency": 1, "period": 1, "periodUnit": "d", "when": ["ACM"], "offset": 60]),
            statement("m4", "Methotrexate", ["frequency": 1, "period": 1, "periodUnit": "wk", "dayOfWeek": ["mon"]]),
            statement("m5", "Dexamethasone", ["frequency": 2, "period": 1, "periodUnit": "d", "timeOfDay": ["08:00:00", "14:30:00"]]),
            statement("m6", "Mouthwash", ["frequency": 1, "period": 0.5, "periodUnit": "d"]),
            statement("m7", "Metformin", ["when": ["CM", "CV"]]),
        ]))
        XCTAssertEqual(try medication(named: "Capecitabine").frequency, "twice a day 30 minutes after meals")
        XCTAssertEqual(try medication(named: "Insulin glargine").frequency, "at bedtime")
        XCTAssertEqual(try medication(named: "Levothyroxine").frequency, "once a day 1 hour before breakfast")
        XCTAssertEqual(try medication(named: "Methotrexate").frequency, "once a week on Monday")
        XCTAssertEqual(try medication(named: "Dexamethasone").frequency, "twice a day at 08:00 and 14:30")
        XCTAssertEqual(try medication(named: "Mouthwash").frequency, "once every 12 hours")
        XCTAssertEqual(try medication(named: "Metformin").frequency, "with breakfast and with dinner")
    }

    /// What a source says of a time only in words or as an age, why a procedure was not done, and
    /// an allergy's last reaction have no field of their own: they go into the notes, not lost.
    func testTimesInWordsAgesAndReasonsAreKeptInTheNotes() throws {
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "Procedure", "id": "r1", "status": "completed", "subject": FHIR.ref("Patient/p1"),
             "code": ["text": "Port placement"], "performedString": "Spring 2025"],
            ["resourceType": "Procedure", "id": "r2", "status": "completed", "subject": FHIR.ref("Patient/p1"),
             "code": ["text": "Appendectomy"], "performedAge": ["value": 12, "unit": "yr", "system": "http://unitsofmeasure.org", "code": "a"]],
            ["resourceType": "Procedure", "id": "r3", "status": "not-done", "subject": FHIR.ref("Patient/p1"),
             "code": ["text": "Colonoscopy"], "statusReason": ["text": "Patient declined"]],
            ["resourceType": "AllergyIntolerance", "id": "a1", "patient": FHIR.ref("Patient/p1"), "code": ["text": "Shellfish"],
             "onsetString": "childhood", "lastOccurrence": "2020-05-01"],
            FHIR.condition("c1", subject: "Patient/p1", onset: nil, clinical: "resolved",
                           extra: ["onsetRange": ["low": ["value": 40, "code": "a"], "high": ["value": 45, "code": "a"]],
                                   "abatementDateTime": "2024-02-01"]),
        ]))
        let patientID = try onlyPatient().id
        let notes = Dictionary(uniqueKeysWithValues: try store.procedures(patientID: patientID).map { ($0.name, $0.sourceNotes) })
        XCTAssertEqual(notes["Port placement"], "Performed: Spring 2025")
        XCTAssertEqual(notes["Appendectomy"], "Performed at age 12 years")
        XCTAssertEqual(notes["Colonoscopy"], "Not done: Patient declined")
        XCTAssertEqual(try store.allergies(patientID: patientID).first?.sourceNotes, "Onset: childhood\n\nLast reaction: 2020-05-01")
        XCTAssertEqual(try store.diagnoses(patientID: patientID).first?.sourceNotes, "Onset: age 40–45 years\n\nResolved: 2024-02-01")
    }

    /// An mCODE primary cancer condition keeps what a second opinion reads first beside its code:
    /// the histology, the body site and its side; SNOMED CT's semantic tags ("(disorder)",
    /// "(qualifier value)", "(procedure)") leave diagnoses, stages and procedures; a social finding
    /// is still told by its tag.
    func testACancerConditionKeepsHistologySiteAndSideAndSNOMEDTagsLeaveNames() throws {
        func snomed(_ code: String, _ display: String) -> [String: Any] { FHIR.concept(FHIR.snomed, code, display) }
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.condition("c1", subject: "Patient/p1", code: "353431000119107", system: FHIR.snomed,
                           display: "Primary malignant neoplasm of female left breast (disorder)", extra: [
                "extension": [["url": FHIRVocabulary.mcodeHistologyExtension,
                               "valueCodeableConcept": snomed("413448000", "Adenocarcinoma, no subtype, intermediate grade (morphologic abnormality)")]],
                "bodySite": [["coding": [["system": FHIR.snomed, "code": "76752008", "display": "Breast structure (body structure)"]],
                              "extension": [["url": FHIRVocabulary.mcodeLateralityExtension,
                                             "valueCodeableConcept": snomed("7771000", "Left (qualifier value)")]]]],
                "stage": [["summary": snomed("261614003", "Stage 2A (qualifier value)")]],
            ]),
            FHIR.condition("c2", subject: "Patient/p1", code: "160903007", system: FHIR.snomed,
                           display: "Full-time employment (finding)"),
            ["resourceType": "Procedure", "id": "r1", "status": "completed", "subject": FHIR.ref("Patient/p1"),
             "code": snomed("392021009", "Lumpectomy of breast (procedure)"), "performedDateTime": "2026-10-20"],
        ]))
        let patientID = try onlyPatient().id
        let cancer = try XCTUnwrap(try store.diagnoses(patientID: patientID).first { $0.code == "353431000119107" })
        XCTAssertEqual(cancer.description, "Primary malignant neoplasm of female left breast")
        XCTAssertEqual(cancer.stage, "Stage 2A")
        XCTAssertEqual(cancer.sourceNotes, "Histology: Adenocarcinoma, no subtype, intermediate grade\n\nBody site: Breast structure, left")
        let work = try XCTUnwrap(try store.diagnoses(patientID: patientID).first { $0.code == "160903007" })
        XCTAssertEqual(work.description, "Full-time employment")
        XCTAssertEqual(work.kind, .socialFinding, "told by the display's tag")
        XCTAssertEqual(try store.procedures(patientID: patientID).first?.name, "Lumpectomy of breast")
    }

    /// A SNOMED CT fully specified name is for terminologists: another display names the medicine
    /// (as IPS examples code it), else the name loses its semantic tag; the SNOMED CT code is kept.
    func testASNOMEDFullySpecifiedNameGivesWayToAReadableOne() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "MedicationStatement", "id": "m1", "status": "active", "subject": FHIR.ref("Patient/p1"),
             "medicationCodeableConcept": ["coding": [
                 ["system": FHIR.snomed, "code": "108774000", "display": "Product containing anastrozole (medicinal product)"],
                 ["system": "urn:oid:2.16.840.1.113883.2.4.4.1", "code": "99872", "display": "ANASTROZOL 1MG TABLET"],
                 ["system": "http://www.whocc.no/atc", "code": "L02BG03", "display": "anastrozole"],
             ]]],
            ["resourceType": "AllergyIntolerance", "id": "a1", "patient": FHIR.ref("Patient/p1"),
             "code": FHIR.concept(FHIR.snomed, "373270004",
                                  "Substance with penicillin structure and antibacterial mechanism of action (substance)"),
             "reaction": [["manifestation": [FHIR.concept(FHIR.snomed, "39579001", "Anaphylaxis (disorder)")], "severity": "severe"]]],
        ])
        try importing(input)
        let medication = try medication(named: "ANASTROZOL 1MG TABLET")
        XCTAssertEqual(medication.code, "108774000")
        XCTAssertEqual(medication.codeSystem, .snomedCT)
        let allergy = try XCTUnwrap(try store.allergies(patientID: try onlyPatient().id).first)
        XCTAssertEqual(allergy.substance, "Substance with penicillin structure and antibacterial mechanism of action")
        XCTAssertEqual(allergy.substanceCode, "373270004")
        XCTAssertEqual(allergy.reaction, "Anaphylaxis", "a reaction's SNOMED CT tag leaves it too")
    }

    func testAMedicationStatementReadsTheBundlesMedicationAndComposesItsDosage() throws {
        let medicationURN = "urn:uuid:3c1f0b5e-9a7d-4e2b-8c6f-0d1e2f3a4b5c"
        let input = try writeJSON("bundle.json", FHIR.bundle("collection", [
            (nil, FHIR.patient("p1")),
            ("urn:uuid:7d2e1f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
             ["resourceType": "MedicationStatement", "status": "completed", "subject": FHIR.ref("Patient/p1"),
              "medicationReference": FHIR.ref(medicationURN),
              "effectivePeriod": ["start": "2026-01-10", "end": "2026-03-02"],
              "dosage": [["doseAndRate": [["doseQuantity": ["value": 2.5, "unit": "mg"]]],
                          "route": FHIR.concept(FHIR.snomed, "26643006", "Oral"),
                          "timing": ["repeat": ["frequency": 1, "period": 1, "periodUnit": "d"]]]]]),
            (medicationURN, ["resourceType": "Medication", "code": FHIR.concept(Self.rxnorm, "200064", "letrozole 2.5 MG")]),
        ]))
        let report = try importing(input)
        let medication = try medication(named: "letrozole 2.5 MG")
        XCTAssertEqual(medication.dose, "2.5 mg")
        XCTAssertEqual(medication.route, "Oral")
        XCTAssertEqual(medication.frequency, "once a day")
        XCTAssertEqual(medication.startedOn, try PartialDate(parsing: "2026-01-10"))
        XCTAssertEqual(medication.endedOn, try PartialDate(parsing: "2026-03-02"))
        XCTAssertEqual(medication.status, .completed)
        XCTAssertEqual(report.byType["Medication"]?.skipped, 1, "a Medication is read, not a row of its own")
        XCTAssertEqual(try store.medications(patientID: try onlyPatient().id).count, 1)
    }

    func testAChemotherapyAdministrationFindsAMedicationReadAfterIt() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.practitioner("d1"),
            ["resourceType": "MedicationAdministration", "id": "a1", "status": "completed",
             "subject": FHIR.ref("Patient/p1"), "medicationReference": FHIR.ref("Medication/doc"),
             "effectivePeriod": ["start": "2026-12-01T09:00:00-05:00", "end": "2026-12-01T10:00:00-05:00"],
             "performer": [["actor": FHIR.ref("Practitioner/d1")]],
             "dosage": ["text": "75 mg/m2 IV over 60 minutes", "dose": ["value": 130, "unit": "mg"]]],
            ["resourceType": "Medication", "id": "doc", "code": FHIR.concept(Self.rxnorm, "72962", "docetaxel")],
        ])
        let report = try importing(input)
        let medication = try medication(named: "docetaxel")
        XCTAssertEqual(medication.code, "72962")
        XCTAssertEqual(medication.dose, "130 mg")
        XCTAssertEqual(medication.instructions, "75 mg/m2 IV over 60 minutes")
        XCTAssertEqual(medication.startedOn, try PartialDate(parsing: "2026-12-01"))
        XCTAssertEqual(medication.status, .completed)
        XCTAssertNotNil(medication.providerID)
        XCTAssertEqual(report.unresolvedCount, 0)
    }

    func testAMatchedMedicationGainsNoInstructionsThatRepeatItsDosage() throws {
        let store = try self.store
        let (patient, stored) = try store.write("medication add") {
            let patient = try store.addPatient(Patient(name: "Ada Example"))
            return (patient, try store.addMedication(Medication(patientID: patient.id, name: "Letrozole 2.5 mg tablet",
                                                                dose: "2.5 mg", route: "by mouth", frequency: "once daily",
                                                                uuid: "5d6e7f80-1a2b-4c3d-8e4f-5a6b7c8d9e0f")))
        }
        let input = try writeNDJSON("data.ndjson", [
            ["resourceType": "MedicationStatement", "id": "m1", "status": "active",
             "identifier": [["system": "urn:ietf:rfc:3986", "value": "urn:uuid:5d6e7f80-1a2b-4c3d-8e4f-5a6b7c8d9e0f"]],
             "subject": FHIR.ref("Patient/elsewhere"), "medicationCodeableConcept": ["text": "Letrozole 2.5 mg tablet"],
             "dosage": [["text": "2.5 mg by mouth once daily", "route": ["text": "by mouth"]]]],
        ])
        let report = try importing(input, patient: patient.id)
        XCTAssertEqual(report.byType["MedicationStatement"]?.unchanged, 1, "a packet's own medication comes back unchanged")
        XCTAssertEqual(try store.medication(id: stored.id), stored)
    }

    // MARK: Allergies

    func testAnAllergyKeepsSubstanceReactionsSeverityAndStatus() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "AllergyIntolerance", "id": "a1", "patient": FHIR.ref("Patient/p1"),
             "clinicalStatus": FHIR.concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
             "type": "allergy", "category": ["medication"], "criticality": "high",
             "code": FHIR.concept(Self.rxnorm, "7980", "Penicillin G"), "recordedDate": "2019-05-14",
             "reaction": [["manifestation": [["text": "Hives"]], "severity": "moderate"],
                          ["manifestation": [["text": "Wheezing"]], "severity": "severe"]]],
        ])
        try importing(input)
        let allergy = try XCTUnwrap(try store.allergies(patientID: try onlyPatient().id).first)
        XCTAssertEqual(allergy.substance, "Penicillin G")
        XCTAssertEqual(allergy.substanceCode, "7980")
        XCTAssertEqual(allergy.substanceCodeSystem, .rxnorm)
        XCTAssertEqual(allergy.kind, .allergy)
        XCTAssertEqual(allergy.category, .medication)
        XCTAssertEqual(allergy.criticality, .high)
        XCTAssertEqual(allergy.reaction, "Hives; Wheezing")
        XCTAssertEqual(allergy.severity, .severe, "the worst reaction's severity")
        XCTAssertEqual(allergy.status, .active)
        XCTAssertEqual(allergy.recordedOn, try PartialDate(parsing: "2019-05-14"))
    }

    func testNoKnownAllergyIsTheStoresStatementAndOneEnteredInErrorIsSkipped() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "AllergyIntolerance", "id": "nka", "patient": FHIR.ref("Patient/p1"),
             "code": FHIR.concept(FHIR.snomed, "716186003", "No known allergy"), "recordedDate": "2026-10-02"],
            ["resourceType": "AllergyIntolerance", "id": "wrong", "patient": FHIR.ref("Patient/p1"),
             "verificationStatus": FHIR.concept("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                                                "entered-in-error"),
             "code": FHIR.concept(FHIR.snomed, "227493005", "Cashew nuts")],
        ])
        let report = try importing(input)
        let patientID = try onlyPatient().id
        XCTAssertEqual(try store.allergyStatus(patientID: patientID), .noneKnown(recordedOn: try PartialDate(parsing: "2026-10-02")))
        XCTAssertEqual(try store.allergies(patientID: patientID).count, 1, "the one entered in error is not stored")
        XCTAssertEqual(report.byType["AllergyIntolerance"]?.skipped, 1)
    }

    /// IPS 1.x's own codes for absent and unknown data: "no known allergies" is the store's
    /// statement; "no information" is skipped as what the store's "not recorded" already says.
    func testIPSAbsentCodesForAllergiesAreTheStatementOrNothing() throws {
        let ips = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "AllergyIntolerance", "id": "nka", "patient": FHIR.ref("Patient/p1"),
             "code": ["coding": [["system": ips, "code": "no-known-allergies"]]], "recordedDate": "2026-10-02"],
            ["resourceType": "AllergyIntolerance", "id": "noinfo", "patient": FHIR.ref("Patient/p1"),
             "code": ["coding": [["system": ips, "code": "no-allergy-info"]]]],
        ])
        let report = try importing(input)
        let patientID = try onlyPatient().id
        XCTAssertEqual(try store.allergyStatus(patientID: patientID), .noneKnown(recordedOn: try PartialDate(parsing: "2026-10-02")))
        XCTAssertEqual(try store.allergies(patientID: patientID).count, 1)
        XCTAssertEqual(report.notStored.map(\.reason), ["says “No information about allergies”, which is not an allergy"])
    }

    /// A source that now refutes an allergy it gave before takes it back: the row made from it
    /// becomes inactive (not deleted), and importing the same again changes nothing. A refuted
    /// allergy never imported before is skipped, as always.
    func testAnAllergyTheSourceNowRefutesBecomesInactive() throws {
        func allergy(_ id: String, verification: String?) -> [String: Any] {
            var resource: [String: Any] = ["resourceType": "AllergyIntolerance", "id": id, "patient": FHIR.ref("Patient/p1"),
                                           "code": FHIR.concept(FHIR.snomed, "764146007", "Penicillin")]
            if let verification {
                resource["verificationStatus"] = ["coding": [["system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                                                              "code": verification]]]
            }
            return resource
        }
        try importing(try writeNDJSON("data.ndjson", [FHIR.patient("p1"), allergy("a1", verification: "confirmed")]))
        let patientID = try onlyPatient().id
        XCTAssertEqual(try store.allergies(patientID: patientID, activeOnly: true).map(\.substance), ["Penicillin"])

        let refuted = try writeNDJSON("data.ndjson", [FHIR.patient("p1"), allergy("a1", verification: "refuted"),
                                                      allergy("a2", verification: "refuted")])
        let report = try importing(refuted)
        XCTAssertEqual(report.byType["AllergyIntolerance"]?.updated, 1)
        XCTAssertEqual(report.notStored.map(\.reason), ["refuted: the patient is not allergic to it"], "a2 was never imported")
        let rows = try store.allergies(patientID: patientID)
        XCTAssertEqual(rows.map(\.status), [.inactive], "taken back, not deleted")
        XCTAssertEqual(try store.allergyStatus(patientID: patientID), .notRecorded)

        let again = try importing(refuted)
        XCTAssertEqual(again.byType["AllergyIntolerance"]?.unchanged, 1)
        XCTAssertEqual(again.byType["AllergyIntolerance"]?.updated, 0)
    }

    /// A source that now marks a result, medication, procedure, immunization or condition entered
    /// in error takes back the row an earlier import made of it: the row is marked (entered in
    /// error; a diagnosis refuted), not deleted, with a blood pressure's parts; the timeline and the
    /// trend leave it out; importing the same again changes nothing. One never imported is skipped.
    func testWhatTheSourceNowMarksEnteredInErrorIsTakenBack() throws {
        func resources(_ status: (String) -> String, verification: String = "confirmed") -> [[String: Any]] {
            [
                FHIR.patient("p1"),
                FHIR.condition("c1", subject: "Patient/p1", verification: verification),
                ["resourceType": "Observation", "id": "o1", "status": status("final"), "subject": FHIR.ref("Patient/p1"),
                 "code": FHIR.concept("http://loinc.org", "85319-2", "HER2"), "effectiveDateTime": "2026-11-02",
                 "valueString": "3+"],
                ["resourceType": "Observation", "id": "o2", "status": status("final"), "subject": FHIR.ref("Patient/p1"),
                 "code": FHIR.concept("http://loinc.org", "85354-9", "Blood pressure"), "effectiveDateTime": "2026-11-02",
                 "component": [
                    ["code": FHIR.concept("http://loinc.org", "8480-6", "Systolic"),
                     "valueQuantity": ["value": 128, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"]],
                    ["code": FHIR.concept("http://loinc.org", "8462-4", "Diastolic"),
                     "valueQuantity": ["value": 82, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"]],
                 ]],
                ["resourceType": "MedicationStatement", "id": "m1", "status": status("active"), "subject": FHIR.ref("Patient/p1"),
                 "medicationCodeableConcept": ["text": "Letrozole 2.5 mg tablet"], "effectivePeriod": ["start": "2026-11-01"]],
                ["resourceType": "Procedure", "id": "r1", "status": status("completed"), "subject": FHIR.ref("Patient/p1"),
                 "code": ["text": "Lumpectomy"], "performedDateTime": "2026-10-20"],
                ["resourceType": "Immunization", "id": "i1", "status": status("completed"), "patient": FHIR.ref("Patient/p1"),
                 "vaccineCode": ["text": "Influenza vaccine"], "occurrenceDateTime": "2026-10-01"],
            ]
        }
        let utc = try XCTUnwrap(TimeZone(identifier: "UTC"))
        try importing(try writeNDJSON("data.ndjson", resources { $0 }))
        let patientID = try onlyPatient().id
        XCTAssertEqual(try store.timeline(patientID: patientID, timeZone: utc).entries.map(\.kind.rawValue).sorted(),
                       ["diagnosis", "immunization", "medication", "procedure", "result", "result"])

        let withdrawn = try writeNDJSON("data.ndjson", resources({ _ in "entered-in-error" }, verification: "entered-in-error")
                                            + [["resourceType": "Procedure", "id": "r2", "status": "entered-in-error",
                                                "subject": FHIR.ref("Patient/p1"), "code": ["text": "Mastectomy"]]])
        let report = try importing(withdrawn)
        for type in ["Condition", "MedicationStatement", "Procedure", "Immunization"] {
            XCTAssertEqual(report.byType[type]?.updated, 1, type)
        }
        XCTAssertEqual(report.byType["Observation"]?.updated, 2)
        XCTAssertEqual(report.notStored.map(\.reason), ["entered in error"], "r2 was never imported")
        XCTAssertEqual(try store.diagnoses(patientID: patientID).map(\.status), [.refuted])
        XCTAssertEqual(Set(try store.results(patientID: patientID).map(\.status)), [.enteredInError], "the parts too")
        XCTAssertEqual(try store.results(patientID: patientID).count, 4, "taken back, not deleted")
        XCTAssertEqual(try store.medications(patientID: patientID).map(\.status), [.enteredInError])
        XCTAssertEqual(try store.procedures(patientID: patientID).map(\.status), [.enteredInError])
        XCTAssertEqual(try store.immunizations(patientID: patientID).map(\.status), [.enteredInError])
        XCTAssertEqual(try store.timeline(patientID: patientID, timeZone: utc).entries.map(\.summary),
                       ["Diagnosed: Malignant neoplasm of left breast (C50.912) [refuted]"])

        let again = try importing(withdrawn)
        XCTAssertEqual(again.byType["Observation"]?.unchanged, 2)
        XCTAssertEqual(again.byType["MedicationStatement"]?.updated, 0)
        XCTAssertEqual(again.byType["MedicationStatement"]?.unchanged, 1)
    }

    /// "No known drug (food, environmental) allergy" is the store's statement of that kind, never
    /// its general "no known allergies", which would claim more beside a real allergy; "no known
    /// insect allergy", which the store has no statement for, is skipped, saying so. The same from
    /// IPS 1.x's codes.
    func testNoKnownAllergyOfOneKindIsTheStatementOfThatKind() throws {
        let ips = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "AllergyIntolerance", "id": "pen", "patient": FHIR.ref("Patient/p1"), "category": ["medication"],
             "code": FHIR.concept(FHIR.snomed, "764146007", "Penicillin")],
            ["resourceType": "AllergyIntolerance", "id": "nkfa", "patient": FHIR.ref("Patient/p1"),
             "code": FHIR.concept(FHIR.snomed, "429625007", "No known food allergy"), "recordedDate": "2026-10-02"],
            ["resourceType": "AllergyIntolerance", "id": "nkma", "patient": FHIR.ref("Patient/p1"),
             "code": ["coding": [["system": ips, "code": "no-known-medication-allergies"]]]],
            ["resourceType": "AllergyIntolerance", "id": "nkia", "patient": FHIR.ref("Patient/p1"),
             "code": FHIR.concept(FHIR.snomed, "428197003", "No known insect allergy")],
        ])
        let report = try importing(input)
        let patientID = try onlyPatient().id
        let stored = try store.allergies(patientID: patientID)
        XCTAssertEqual(stored.map(\.displayName), ["Penicillin", "No known food allergies", "No known drug allergies"])
        XCTAssertEqual(stored.map(\.entry), [.allergy, .noneKnown, .noneKnown])
        XCTAssertEqual(stored.map(\.category), [.medication, .food, .medication])
        XCTAssertEqual(stored.map(\.sourceNotes), [nil, nil, nil], "the statement's own words are not a note")
        XCTAssertEqual(report.notStored.map(\.reason), [
            "says “No known insect allergy”, which the store has no statement for (its “no known allergies” would claim more); record what is known with phr allergy add",
        ])
        // The source contradicts itself on drugs: the doctor reads the penicillin allergy, and
        // no known food allergies; never "no known allergies".
        XCTAssertEqual(try store.allergyStatus(patientID: patientID), .allergies([stored[0], stored[1]]))
    }

    /// A problem, a medication or a procedure coded as "none known" or "no information" (IPS 1.x
    /// codes, or IPS 2's SNOMED CT situations) is a statement, not an item: skipped, with what it said.
    func testAbsenceStatementsAreNotDiagnosesMedicationsOrProcedures() throws {
        let ips = "http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips"
        func coded(_ system: String, _ code: String) -> [String: Any] { ["coding": [["system": system, "code": code]]] }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "Condition", "id": "c1", "subject": FHIR.ref("Patient/p1"),
             "code": FHIR.concept(FHIR.snomed, "160245001", "No current problems or disability")],
            ["resourceType": "Condition", "id": "c2", "subject": FHIR.ref("Patient/p1"), "code": coded(ips, "no-problem-info")],
            ["resourceType": "MedicationStatement", "id": "m1", "status": "active", "subject": FHIR.ref("Patient/p1"),
             "medicationCodeableConcept": coded(ips, "no-known-medications")],
            ["resourceType": "MedicationStatement", "id": "m2", "status": "active", "subject": FHIR.ref("Patient/p1"),
             "contained": [["resourceType": "Medication", "id": "med", "code": FHIR.concept(FHIR.snomed, "787481004", "No known medications")]],
             "medicationReference": FHIR.ref("#med")],
            ["resourceType": "Procedure", "id": "r1", "status": "completed", "subject": FHIR.ref("Patient/p1"),
             "code": coded(ips, "no-known-procedures")],
            ["resourceType": "Condition", "id": "real", "subject": FHIR.ref("Patient/p1"),
             "code": FHIR.concept(FHIR.snomed, "254837009", "Malignant tumor of breast")],
        ])
        let report = try importing(input)
        let patientID = try onlyPatient().id
        XCTAssertEqual(try store.diagnoses(patientID: patientID).map(\.description), ["Malignant tumor of breast"])
        XCTAssertEqual(try store.medications(patientID: patientID), [])
        XCTAssertEqual(try store.procedures(patientID: patientID), [])
        XCTAssertEqual(Set(report.notStored.map(\.reason)), [
            "says “No current problems or disability”, which is not a diagnosis",
            "says “No information about problems”, which is not a diagnosis",
            "says “No known medications”, which is not a medication",
            "says “No known procedures”, which is not a procedure",
        ])
        XCTAssertEqual(report.notStoredCount, 5)
    }

    // MARK: Procedures and immunizations

    func testProceduresGetTheirCategoryDatesSiteReasonAndOutcome() throws {
        func procedure(_ id: String, _ code: [String: Any], profile: String? = nil, extra: [String: Any] = [:]) -> [String: Any] {
            var resource: [String: Any] = ["resourceType": "Procedure", "id": id, "status": "completed",
                                           "subject": FHIR.ref("Patient/p1"), "code": code, "performedDateTime": "2026-12-01"]
            if let profile { resource["meta"] = ["profile": [FHIR.mcode + profile]] }
            return resource.merging(extra) { $1 }
        }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.practitioner("d1"), FHIR.condition("c1", subject: "Patient/p1"),
            procedure("lump", FHIR.concept(FHIR.snomed, "392021009", "Lumpectomy of breast"),
                      profile: "mcode-cancer-related-surgical-procedure", extra: [
                        "performer": [["actor": FHIR.ref("Practitioner/d1")]], "bodySite": [["text": "Left breast"]],
                        "reasonReference": [FHIR.ref("Condition/c1")], "outcome": ["text": "Clear margins"]]),
            procedure("bx", FHIR.concept("http://www.ama-assn.org/go/cpt", "19083", "Breast biopsy, percutaneous")),
            procedure("rt", FHIR.concept(FHIR.snomed, "33195004", "External beam radiation therapy"),
                      profile: "mcode-radiotherapy-course-summary", extra: [
                        "performedDateTime": NSNull(), "performedPeriod": ["start": "2027-01-05", "end": "2027-02-09"]]),
            procedure("chemo", FHIR.concept(FHIR.snomed, "367336001", "Chemotherapy")),
            procedure("echo", FHIR.concept(FHIR.snomed, "40701008", "Echocardiography")),
            procedure("endo", ["text": "Endocrine therapy start"], extra: [
                "category": FHIR.concept(FHIRVocabulary.procedureCategorySystem, "systemic-therapy")]),
        ])
        try importing(input)
        let procedures = Dictionary(uniqueKeysWithValues: try store.procedures(patientID: try onlyPatient().id).map { ($0.name, $0) })
        let lumpectomy = try XCTUnwrap(procedures["Lumpectomy of breast"])
        XCTAssertEqual(lumpectomy.category, .surgery)
        XCTAssertEqual(lumpectomy.codeSystem, .snomedCT)
        XCTAssertEqual(lumpectomy.bodySite, "Left breast")
        XCTAssertEqual(lumpectomy.outcome, "Clear margins")
        XCTAssertNotNil(lumpectomy.providerID)
        XCTAssertEqual(lumpectomy.diagnosisID, try store.diagnoses(patientID: try onlyPatient().id).first?.id)
        XCTAssertEqual(lumpectomy.performedOn, .date(try PartialDate(parsing: "2026-12-01")))
        XCTAssertEqual(procedures["Breast biopsy, percutaneous"]?.category, .biopsy)
        XCTAssertEqual(procedures["Breast biopsy, percutaneous"]?.codeSystem, .cpt)
        let radiation = try XCTUnwrap(procedures["External beam radiation therapy"])
        XCTAssertEqual(radiation.category, .radiationTherapy)
        XCTAssertEqual(radiation.performedOn, .date(try PartialDate(parsing: "2027-01-05")))
        XCTAssertEqual(radiation.performedUntil, .date(try PartialDate(parsing: "2027-02-09")))
        XCTAssertEqual(procedures["Chemotherapy"]?.category, .systemicTherapy)
        XCTAssertEqual(procedures["Echocardiography"]?.category, .other)
        XCTAssertEqual(procedures["Endocrine therapy start"]?.category, .systemicTherapy, "phr's own category (its system)")
    }

    /// What radiation a patient has had limits what they can have again: an mCODE radiotherapy
    /// course summary's intent, modalities and techniques (an un-encoded one by its text), sessions
    /// and the dose to each volume reach the procedure's notes, as does why a surgery ended early.
    func testARadiotherapyCourseKeepsItsIntentTechniqueSessionsAndDoses() throws {
        func ext(_ name: String, _ value: [String: Any]) -> [String: Any] { value.merging(["url": FHIR.mcode + name]) { $1 } }
        let unencoded = ["system": "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "code": "UNC", "display": "un-encoded"]
        func dose(_ volume: String, _ cGy: Int, _ fractions: Int) -> [String: Any] {
            ext("mcode-radiotherapy-dose-delivered-to-volume", ["extension": [
                ["url": "volume", "valueReference": ["reference": "BodyStructure/\(volume)", "display": volume]],
                ["url": "totalDoseDelivered", "valueQuantity": ["value": cGy, "unit": "cGy", "system": "http://unitsofmeasure.org", "code": "cGy"]],
                ["url": "fractionsDelivered", "valueUnsignedInt": fractions],
            ]])
        }
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "Procedure", "id": "rt", "status": "completed", "subject": FHIR.ref("Patient/p1"),
             "meta": ["profile": [FHIR.mcode + "mcode-radiotherapy-course-summary"]],
             "code": FHIR.concept(FHIR.snomed, "1217123003", "Radiotherapy course of treatment (regime/therapy)"),
             "performedPeriod": ["start": "2026-08-15", "end": "2026-10-25"],
             "extension": [
                ext("mcode-radiotherapy-sessions", ["valueUnsignedInt": 31]),
                ext("mcode-procedure-intent", ["valueCodeableConcept": FHIR.concept(FHIR.snomed, "373808002", "Curative - procedure intent")]),
                ext("mcode-radiotherapy-modality-and-technique", ["extension": [
                    ["url": "modality", "valueCodeableConcept": FHIR.concept(FHIR.snomed, "45643008", "Teleradiotherapy using electrons")],
                    ["url": "technique", "valueCodeableConcept": ["coding": [unencoded], "text": "3D conformal, my clinic's own"]],
                ]]),
                ext("mcode-radiotherapy-modality-and-technique", ["extension": [
                    ["url": "modality", "valueCodeableConcept": ["coding": [unencoded]]],
                    ["url": "technique", "valueCodeableConcept": FHIR.concept(FHIR.snomed, "1156530009", "Volumetric Modulated Arc Therapy (procedure)")],
                ]]),
                dose("Chest wall", 6000, 30), dose("Regional nodes", 5000, 25),
             ]],
            ["resourceType": "Procedure", "id": "s1", "status": "stopped", "subject": FHIR.ref("Patient/p1"),
             "code": ["text": "Mastectomy"], "performedDateTime": "2026-07-01",
             "extension": [ext("mcode-treatment-termination-reason", ["valueCodeableConcept": ["text": "Patient became unstable"]])]],
        ]))
        let procedures = Dictionary(uniqueKeysWithValues: try store.procedures(patientID: try onlyPatient().id).map { ($0.name, $0) })
        XCTAssertEqual(try XCTUnwrap(procedures["Radiotherapy course of treatment"]).sourceNotes, """
            Intent: Curative - procedure intent

            Modality and technique: Teleradiotherapy using electrons, 3D conformal, my clinic's own; Volumetric Modulated Arc Therapy

            Sessions: 31

            Dose: 6000 cGy in 30 fractions to Chest wall; 5000 cGy in 25 fractions to Regional nodes
            """)
        XCTAssertEqual(procedures["Mastectomy"]?.sourceNotes, "Ended early: Patient became unstable")
    }

    func testAnImmunizationKeepsVaccineCodeDateAndStatus() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "Immunization", "id": "i1", "status": "completed", "patient": FHIR.ref("Patient/p1"),
             "vaccineCode": FHIR.concept("http://hl7.org/fhir/sid/cvx", "140", "Influenza, seasonal, injectable, preservative free"),
             "occurrenceDateTime": "2025-10-02T10:15:00-04:00", "note": [["text": "Left arm."]]],
            ["resourceType": "Immunization", "id": "i2", "status": "not-done", "patient": FHIR.ref("Patient/p1"),
             "vaccineCode": ["text": "Shingles"], "occurrenceDateTime": "2026"],
        ])
        try importing(input)
        let immunizations = try store.immunizations(patientID: try onlyPatient().id)
        let flu = try XCTUnwrap(immunizations.first { $0.code == "140" })
        XCTAssertEqual(flu.vaccine, "Influenza, seasonal, injectable, preservative free")
        XCTAssertEqual(flu.codeSystem, .cvx)
        XCTAssertEqual(flu.givenOn?.description, "2025-10-02T10:15:00-04:00")
        XCTAssertEqual(flu.status, .completed)
        XCTAssertEqual(flu.sourceNotes, "Left arm.")
        let shingles = try XCTUnwrap(immunizations.first { $0.vaccine == "Shingles" })
        XCTAssertEqual(shingles.status, .notDone)
        XCTAssertEqual(shingles.givenOn, .date(try PartialDate(parsing: "2026")))
    }

    /// Which dose of a series it was, why it was not given, a date given only in words and the lot
    /// number go into the notes: a second-opinion team asks whether vaccines were completed
    /// before chemotherapy.
    func testAnImmunizationsDoseReasonDateInWordsAndLotAreKeptInTheNotes() throws {
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "Immunization", "id": "i1", "status": "completed", "patient": FHIR.ref("Patient/p1"),
             "vaccineCode": ["text": "COVID-19 mRNA"], "occurrenceDateTime": "2021-04-10", "lotNumber": "EW0182",
             "protocolApplied": [["doseNumberPositiveInt": 2, "seriesDosesPositiveInt": 2]]],
            ["resourceType": "Immunization", "id": "i2", "status": "not-done", "patient": FHIR.ref("Patient/p1"),
             "vaccineCode": ["text": "Shingrix"], "occurrenceDateTime": "2026-09-01",
             "statusReason": ["text": "Deferred during chemotherapy"]],
            ["resourceType": "Immunization", "id": "i3", "status": "completed", "patient": FHIR.ref("Patient/p1"),
             "vaccineCode": ["text": "Tetanus"], "occurrenceString": "about 10 years ago"],
        ]))
        let notes = Dictionary(uniqueKeysWithValues: try store.immunizations(patientID: try onlyPatient().id).map { ($0.vaccine, $0.sourceNotes) })
        XCTAssertEqual(notes["COVID-19 mRNA"], "Dose 2 of 2\n\nLot EW0182")
        XCTAssertEqual(notes["Shingrix"], "Not given: Deferred during chemotherapy")
        XCTAssertEqual(notes["Tetanus"], "Given: about 10 years ago")
    }

    // MARK: Diagnoses

    func testAConditionsKindComesFromItsCategoryAndSocialFindingsAreKeptApart() throws {
        func condition(_ id: String, _ display: String, category: String) -> [String: Any] {
            FHIR.condition(id, subject: "Patient/p1", code: id, system: FHIR.snomed, display: display, extra: [
                "category": [FHIR.concept("http://terminology.hl7.org/CodeSystem/condition-category", category)]])
        }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            condition("254837009", "Malignant neoplasm of breast (disorder)", category: "problem-list-item"),
            condition("38341003", "Hypertension (disorder)", category: "encounter-diagnosis"),
            condition("160903007", "Full-time employment (finding)", category: "encounter-diagnosis"),
            condition("73595000", "Stress (finding)", category: "encounter-diagnosis"),
            condition("714628002", "Prediabetes (finding)", category: "encounter-diagnosis"),
            condition("161744009", "Past pregnancy history of miscarriage (situation)", category: "health-concern"),
        ])
        try importing(input)
        let kinds = Dictionary(uniqueKeysWithValues: try store.diagnoses(patientID: try onlyPatient().id).map { ($0.code ?? "", $0.kind) })
        XCTAssertEqual(kinds["254837009"], .problem)
        XCTAssertEqual(kinds["38341003"], .encounterDiagnosis)
        XCTAssertEqual(kinds["160903007"], .socialFinding)
        XCTAssertEqual(kinds["73595000"], .socialFinding)
        XCTAssertEqual(kinds["714628002"], .encounterDiagnosis, "a medical finding is not a social one")
        XCTAssertEqual(kinds["161744009"], .healthConcern)
    }

    func testAConditionsStageAssessmentLinksItsStagingResultsInEitherOrder() throws {
        func staging(_ id: String, _ code: String, _ display: String) -> [String: Any] {
            FHIR.observation(id, code: code, display: display, category: nil,
                             extra: ["valueCodeableConcept": ["text": display]])
        }
        var condition = FHIR.condition("c1", subject: "Patient/p1")
        condition["stage"] = [["summary": ["text": "IIA"], "assessment": [FHIR.ref("Observation/t"), FHIR.ref("Observation/g")]]]
        // The T category is imported before the condition, the stage group with it.
        try importing(try writeNDJSON("first.ndjson", [FHIR.patient("p1"), staging("t", "21905-5", "cT2")]))
        try importing(try writeNDJSON("first.ndjson", [FHIR.patient("p1"), staging("t", "21905-5", "cT2"),
                                                       condition, staging("g", "21908-9", "Stage IIA")]))
        let patientID = try onlyPatient().id
        let diagnosis = try XCTUnwrap(try store.diagnoses(patientID: patientID).first)
        let results = try store.results(patientID: patientID)
        XCTAssertEqual(results.count, 2)
        for result in results {
            XCTAssertEqual(result.diagnosisID, diagnosis.id, "\(result.name) stages the diagnosis")
            XCTAssertEqual(result.category, .staging)
        }
    }

    // MARK: The whole: idempotence

    func testImportingTheSameClinicalInputTwiceChangesNothing() throws {
        let input = try writeJSON("bundle.json", FHIR.bundle("collection", [
            (nil, FHIR.patient("p1")), (nil, FHIR.practitioner("d1")),
            (nil, FHIR.condition("c1", subject: "Patient/p1").merging(["stage": [["assessment": [FHIR.ref("Observation/t")]]]]) { $1 }),
            (nil, FHIR.observation("t", code: "21905-5", display: "Clinical T", extra: ["valueString": "cT2"])),
            (nil, FHIR.observation("bp", code: "85354-9", display: "Blood pressure", category: "vital-signs", extra: [
                "component": [["code": FHIR.concept(FHIR.loinc, "8480-6", "Systolic"), "valueQuantity": FHIR.quantity(120, "mm[Hg]")]]])),
            (nil, FHIR.observation("cbc", code: "58410-2", display: "CBC", extra: ["hasMember": [FHIR.ref("Observation/hgb")]])),
            (nil, FHIR.observation("hgb", code: "718-7", display: "Hemoglobin", extra: ["valueQuantity": FHIR.quantity(13, "g/dL")])),
            (nil, ["resourceType": "DiagnosticReport", "id": "r1", "status": "final", "subject": FHIR.ref("Patient/p1"),
                   "code": ["text": "Blood count"], "result": [FHIR.ref("Observation/cbc")]]),
            (nil, ["resourceType": "Medication", "id": "med", "code": FHIR.concept(Self.rxnorm, "200064", "letrozole")]),
            (nil, ["resourceType": "MedicationRequest", "id": "m1", "status": "active", "intent": "order",
                   "subject": FHIR.ref("Patient/p1"), "medicationReference": FHIR.ref("Medication/med")]),
            (nil, ["resourceType": "AllergyIntolerance", "id": "nka", "patient": FHIR.ref("Patient/p1"),
                   "code": FHIR.concept(FHIR.snomed, "716186003", "No known allergy")]),
            (nil, ["resourceType": "Procedure", "id": "pr", "status": "completed", "subject": FHIR.ref("Patient/p1"),
                   "code": ["text": "Lumpectomy"]]),
            (nil, ["resourceType": "Immunization", "id": "im", "status": "completed", "patient": FHIR.ref("Patient/p1"),
                   "vaccineCode": ["text": "Influenza"]]),
        ]))
        let first = try importing(input)
        XCTAssertEqual(first.byType["Observation"]?.added, 4)
        let before = try dump(excluding: ["changes", "sqlite_sequence"])
        let again = try importing(input)
        for type in ["Observation", "DiagnosticReport", "MedicationRequest", "AllergyIntolerance", "Procedure", "Immunization",
                     "Condition"] {
            let counts = try XCTUnwrap(again.byType[type], type)
            XCTAssertEqual(counts.unchanged, counts.read, "\(type): all unchanged")
        }
        XCTAssertEqual(again.byType["Medication"]?.skipped, 1, "a Medication is read again, never a row")
        XCTAssertEqual(again.totals.added + again.totals.updated, 0)
        XCTAssertEqual(try dump(excluding: ["changes", "sqlite_sequence"]), before, "nothing but the change log was written")
    }
}
