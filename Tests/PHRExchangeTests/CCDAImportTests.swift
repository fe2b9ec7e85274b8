import Foundation
@testable import PHRExchange
@testable import PHRStore
import XCTest
import ZIPFoundation

/// C-CDA documents, XDM zips and FHIR XML, imported through the FHIR import's machinery. Every
/// document is synthetic (`CCDASample`).
final class CCDAImportTests: ImportTestCase {
    private func importSample(_ text: String = CCDASample.document(), name: String = "ccd.xml") throws -> (ImportReport, Patient) {
        let report = try importing(try writeText(name, text))
        return (report, try onlyPatient())
    }

    func testHeaderGivesThePatientAndTheProviders() throws {
        let (_, patient) = try importSample()
        XCTAssertEqual(patient.name, "Ada Example")
        XCTAssertEqual(patient.birthDate?.description, "1970-04-12")
        XCTAssertEqual(patient.sex, .female)
        let providers = try store.providers().map(\.name).sorted()
        // The planned visit names no one: the import's stand-in provider takes it.
        XCTAssertEqual(providers, ["Dr. Henry Example", "Lena Legal", "Omar Oncologist", "Springfield Example Clinic",
                                   "Unknown provider"])
    }

    func testEverySectionBecomesItsRows() throws {
        let (report, patient) = try importSample()
        let diagnoses = try store.diagnoses(patientID: patient.id)
        let cancer = try XCTUnwrap(diagnoses.first { $0.code == "C50.912" })
        XCTAssertEqual(cancer.description, "Ductal carcinoma of left breast", "originalText resolved into the narrative")
        XCTAssertEqual(cancer.codeSystem, .icd10cm, "the translation's code, by its OID")
        XCTAssertEqual(cancer.diagnosedOn?.description, "2023-01")
        XCTAssertEqual(cancer.status, .confirmed)
        let asthma = try XCTUnwrap(diagnoses.first { $0.code == "195967001" })
        XCTAssertEqual(asthma.status, .resolved, "the problem status observation says resolved")
        XCTAssertEqual(asthma.diagnosedOn?.description, "2005-06-01")

        let medication = try XCTUnwrap(try store.medications(patientID: patient.id).first)
        XCTAssertEqual(medication.code, "198240")
        XCTAssertEqual(medication.dose, "20 mg")
        XCTAssertEqual(medication.route, "ORAL")
        XCTAssertEqual(medication.startedOn?.description, "2023-02-01")
        XCTAssertNil(medication.endedOn, "a high with a nullFlavor is no end")
        XCTAssertEqual(medication.status, .active)
        XCTAssertEqual(medication.instructions, "Take one tablet by mouth every 12 hours")

        let allergy = try XCTUnwrap(try store.allergies(patientID: patient.id).first)
        XCTAssertEqual(allergy.substance, "Penicillin G benzathine")
        XCTAssertEqual(allergy.substanceCode, "7982")
        XCTAssertEqual(allergy.reaction, "Hives all over")
        XCTAssertEqual(allergy.severity, .severe)
        XCTAssertEqual(allergy.category, .medication)
        XCTAssertEqual(allergy.recordedOn?.description, "2019")

        let results = try store.results(patientID: patient.id)
        let hemoglobin = try XCTUnwrap(results.first { $0.code == "718-7" })
        XCTAssertEqual(hemoglobin.category, .laboratory)
        XCTAssertEqual(hemoglobin.value, .quantity(10.2, unit: "g/dL", comparator: nil))
        XCTAssertEqual(hemoglobin.range?.low, 12)
        XCTAssertEqual(hemoglobin.range?.high, 15.5)
        XCTAssertEqual(hemoglobin.assessedInterpretation, .low, "L, which the value and range imply")
        XCTAssertEqual(hemoglobin.observedAt?.description, "2024-03-01T08:00:00-05:00",
                       "a time without an offset takes the document's")
        let platelets = try XCTUnwrap(results.first { $0.code == "26515-7" })
        XCTAssertNil(platelets.value, "a value with a nullFlavor is no value")
        XCTAssertEqual(platelets.observedAt?.description, "2024-03-01T08:00:00-05:00", "the organizer's time")
        XCTAssertEqual(results.first { $0.code == "29463-7" }?.category, .vitalSigns)
        let smoking = try XCTUnwrap(results.first { $0.code == "72166-2" })
        XCTAssertEqual(smoking.category, .socialHistory)
        XCTAssertEqual(smoking.name, "Tobacco smoking status", "the template's code named, though the document gives the code alone")

        let procedure = try XCTUnwrap(try store.procedures(patientID: patient.id).first)
        XCTAssertEqual(procedure.code, "392021009")
        XCTAssertEqual(procedure.performedOn?.description, "2023-02-15", "an IVL_TS center")
        XCTAssertEqual(procedure.bodySite, "Left breast structure")

        let immunization = try XCTUnwrap(try store.immunizations(patientID: patient.id).first)
        XCTAssertEqual(immunization.code, "140")
        XCTAssertEqual(immunization.givenOn?.description, "2023-10-10")

        let relative = try XCTUnwrap(try store.familyHistory(patientID: patient.id).first)
        XCTAssertEqual(relative.summary, "Mother: Malignant neoplasm of breast, onset at 45")
        XCTAssertEqual(relative.relationshipCode, "MTH")

        let appointments = try store.appointments(patientID: patient.id)
        let visit = try XCTUnwrap(appointments.first { $0.status == .completed })
        XCTAssertEqual(visit.startsAt?.description, "2024-02-20T14:00:00-05:00")
        XCTAssertEqual(visit.durationMinutes, 30)
        XCTAssertEqual(visit.location, "Example Cancer Centre")
        XCTAssertEqual(try store.providers().first { $0.id == visit.providerID }?.name, "Dr. Henry Example")
        XCTAssertTrue(appointments.contains { $0.status == .scheduled && $0.reason == "Follow-up visit" },
                      "the plan's follow-up visit is a planned appointment")

        let records = try store.records(patientID: patient.id)
        let document = try XCTUnwrap(records.first { $0.title == "Continuity of Care Document" })
        XCTAssertEqual(document.recordedOn?.description, "2024-03-15")
        XCTAssertEqual(document.file?.originalName, "ccd.xml")
        XCTAssertEqual(document.file?.mediaType, "text/xml")
        XCTAssertTrue(records.contains { $0.title == "Plan of treatment" }, "the plan's narrative is kept as a note")
        let planned = try XCTUnwrap(try store.medications(patientID: patient.id).first { $0.code == "56946" },
                                    "the plan's medication is a row")
        XCTAssertEqual(planned.status, .planned)
        XCTAssertEqual(planned.startedOn?.description, "2024-04-01")
        let surgery = try XCTUnwrap(try store.procedures(patientID: patient.id).first { $0.code == "396487001" },
                                    "the plan's procedure is a row")
        XCTAssertEqual(surgery.status, .preparation)
        XCTAssertFalse(try store.results(patientID: patient.id).contains { $0.code == "24606-6" },
                       "an ordered test is no result: it stays in the plan's note")

        XCTAssertEqual(report.documents, 1)
        XCTAssertEqual(report.sectionNames, CCDASection.allCases.map(\.rawValue))
        XCTAssertEqual(report.documentSections["Problems"]?.resources, 2)
        XCTAssertEqual(report.unmappedSections, ["Functional status (LOINC 47420-5)": 1])
    }

    func testNarrativeIsSearchable() throws {
        let (_, patient) = try importSample()
        let hits = try store.search(patientID: patient.id, SearchQuery("benzathine", kinds: [.record]))
        XCTAssertEqual(hits.map(\.title), ["Continuity of Care Document"])
    }

    func testNoKnownAllergiesIsTheNegation() throws {
        let (_, patient) = try importSample(CCDASample.noKnownAllergies())
        guard case .noneKnown = try store.allergyStatus(patientID: patient.id) else {
            return XCTFail("a negated allergy observation means no known allergies")
        }
    }

    /// "No known drug allergy" as the observation's value is the statement of that kind, never
    /// "no known allergies".
    func testNoKnownDrugAllergyIsNotNoKnownAllergies() throws {
        try assertOnlyNoKnownDrugAllergies(CCDASample.noKnownAllergies(value: ("409137002", "No known drug allergy")))
    }

    /// So is a negated "drug allergy" observation.
    func testANegatedDrugAllergyIsNoKnownDrugAllergies() throws {
        try assertOnlyNoKnownDrugAllergies(CCDASample.noKnownAllergies(value: ("416098002", "Drug allergy"), negated: true))
    }

    /// "Not allergic to peanuts" (a negated observation naming its substance) is neither an
    /// allergy nor "no known (food) allergies": nothing is stored, and the import says why.
    func testNotAllergicToPeanutsIsNoStatementAboutOtherFoods() throws {
        let report = try importing(try writeText("peanuts.xml", CCDASample.noKnownAllergies(
            value: ("414285001", "Allergy to food"), negated: true, substance: ("762952008", "Peanut"))))
        let patient = try XCTUnwrap(try store.patients().first)
        XCTAssertEqual(try store.allergies(patientID: patient.id), [])
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .notRecorded)
        XCTAssertEqual(report.notStored.map(\.reason), ["refuted: the patient is not allergic to it"])
    }

    /// Only the observations a concern act holds as its subject are items: a reaction put beside
    /// the allergy is not an allergy of its own.
    func testAReactionBesideAnAllergyIsNoAllergy() throws {
        try importing(try writeText("stray.xml", CCDASample.allergyConcernWithAReactionBeside()))
        let patient = try XCTUnwrap(try store.patients().first)
        XCTAssertEqual(try store.allergies(patientID: patient.id).map(\.displayName), ["Penicillin G"])
    }

    /// A severity beside the allergy in its concern act is the allergy's severity, not an allergy
    /// to "Moderate to severe".
    func testASeverityBesideAnAllergyIsItsSeverityNotAnAllergy() throws {
        try importing(try writeText("severity.xml", CCDASample.allergyConcernWithASeverityBeside()))
        let allergies = try store.allergies(patientID: try XCTUnwrap(try store.patients().first).id)
        XCTAssertEqual(allergies.map(\.displayName), ["Penicillin G"])
        XCTAssertEqual(allergies.first?.reaction, "Hives")
        XCTAssertEqual(allergies.first?.severity, .severe, "moderate to severe counts as the worse")
    }

    /// C-CDA's "no known problems" and "no medications" are statements, not a refuted problem
    /// named "Problem" and a medication named "Drug or medicament": skipped, saying what they said.
    func testNoKnownProblemsOrMedicationsAreNoItems() throws {
        let report = try importing(try writeText("none.xml", CCDASample.noKnownProblemsOrMedications()))
        let patient = try XCTUnwrap(try store.patients().first)
        XCTAssertEqual(try store.diagnoses(patientID: patient.id, kinds: Diagnosis.Kind.allCases), [])
        XCTAssertEqual(try store.medications(patientID: patient.id), [])
        XCTAssertEqual(Set(report.notStored.map(\.reason)), [
            "says “No current problems or disability”, which is not a diagnosis",
            "says “No known medications”, which is not a medication",
        ])
    }

    /// A document's LOINC code gives its record's kind as a FHIR document type's does: an imaging
    /// report counts as the imaging report the checklist asks for, a pathology study as the
    /// pathology report, a referral note is a letter.
    func testADocumentsCodeGivesItsRecordsKind() throws {
        var expected: [Record.Kind] = []
        for (code, kind) in [("18748-4", Record.Kind.imagingReport), ("11526-1", .pathologyReport), ("57133-1", .letter),
                             ("34133-9", .other)] {
            try importing(try writeText("\(code).xml", CCDASample.document(setID: code, documentID: code, code: code)))
            expected.append(kind)
            let records = try store.records(patientID: try XCTUnwrap(try store.patients().first).id)
            let documents = records.filter { $0.title == "Continuity of Care Document" }  // not its plan of treatment
            XCTAssertEqual(documents.sorted { $0.id < $1.id }.map(\.kind), expected, code)
        }
    }

    /// A medication with no code and no name is named by its instructions, never dropped.
    func testAMedicationKnownOnlyByItsWordsIsKept() throws {
        try importing(try writeText("free.xml", CCDASample.freeTextMedication()))
        let patient = try XCTUnwrap(try store.patients().first)
        let medications = try store.medications(patientID: patient.id)
        XCTAssertEqual(medications.map(\.name), ["Experimental '150 cure-all drug', take one tab by mouth every morning"])
        XCTAssertEqual(medications.map(\.status), [.active])
    }

    /// A sig says as needed (and for what), how often (four times a day where the institution
    /// places the doses; every 4 to 6 hours), at bedtime or before breakfast, and counts its dose in puffs or tablets.
    func testAMedicationSigKeepsAsNeededEventsAndTheAdministrationUnit() throws {
        try importing(try writeText("sigs.xml", CCDASample.medicationSigs()))
        let patient = try XCTUnwrap(try store.patients().first)
        let byName = Dictionary(uniqueKeysWithValues: try store.medications(patientID: patient.id).map { ($0.name, $0) })
        XCTAssertEqual(byName["Ondansetron 8 mg tablet"]?.frequency, "once every 8 hours as needed for Nausea")
        XCTAssertEqual(byName["Ibuprofen 600 mg tablet"]?.frequency, "4 times a day as needed")
        XCTAssertEqual(byName["Ibuprofen 600 mg tablet"]?.dose, "1 tablet")
        XCTAssertEqual(byName["Insulin glargine 100 unit/mL"]?.frequency, "at bedtime")
        XCTAssertEqual(byName["Levothyroxine 50 mcg tablet"]?.frequency, "30 minutes before breakfast")
        XCTAssertEqual(byName["Pseudoephedrine 30 mg tablet"]?.frequency, "once every 4–6 hours")
        XCTAssertEqual(byName["Metformin 500 mg tablet"]?.frequency, "with dinner", "an offset beyond reason is left out, never a crash")
        XCTAssertEqual(byName["Albuterol inhaler"]?.frequency, "once every 12 hours")
        XCTAssertEqual(byName["Albuterol inhaler"]?.dose, "2 puff")
        XCTAssertEqual(byName["Albuterol inhaler"]?.route, "inhalation", "FDA's route name without 'Route of Administration'")
    }

    /// ">500 mg/dL" and "<=5 pg/mL" are numbers with their comparator; a number in a unit outside
    /// UCUM keeps its number and the lab's unit, and so does its range. A trace is a value; a
    /// missing value says why: pending, or what its null flavor says. A privacy label is no result.
    func testResultsBeyondPlainNumbersKeepTheirValues() throws {
        try importing(try writeText("values.xml", CCDASample.resultsBeyondPlainNumbers()))
        let patient = try XCTUnwrap(try store.patients().first)
        let results = try store.results(patientID: patient.id, ResultFilter())
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
        XCTAssertEqual(byName["Glucose"]?.value, .quantity(500, unit: "mg/dL", comparator: .greaterThan))
        XCTAssertEqual(byName["BNP"]?.value, .quantity(5, unit: "pg/mL", comparator: .lessOrEqual))
        XCTAssertEqual(byName["Platelets"]?.value, .quantity(152, unit: "THOUS/MCL", comparator: nil))
        XCTAssertEqual(byName["Platelets"]?.range?.low, 150)
        XCTAssertEqual(byName["Platelets"]?.range?.high, 400)
        XCTAssertEqual(byName["Urine protein"]?.value, .text("trace"), "a trace is a value")
        XCTAssertNil(byName["Leukocytes"]?.value)
        XCTAssertEqual(byName["Leukocytes"]?.sourceNotes, "No value: pending")
        XCTAssertEqual(byName["Hemoglobin A1c"]?.sourceNotes, "No value: temporarily unavailable")
        XCTAssertNil(byName["Security Classification"], "a privacy label is no result")
        XCTAssertEqual(results.count, 6)
    }

    /// An entry that is itself "no information" is no immunization; the real one beside it is.
    func testAnEntryWithNoInformationIsNoItem() throws {
        try importing(try writeText("vaccines.xml", CCDASample.immunizationWithNoInformation()))
        let patient = try XCTUnwrap(try store.patients().first)
        XCTAssertEqual(try store.immunizations(patientID: patient.id).map(\.vaccine), ["Influenza virus vaccine"])
    }

    /// An entry of a mapped section that makes nothing is named with its line and why, so the
    /// summary accounts for every entry; a plan's order is kept in the plan's note, not named.
    func testEntriesThatMakeNothingAreNamedWithTheirLineAndWhy() throws {
        let text = CCDASample.entriesThatMakeNothing()
        let path = try writeText("results.xml", text)
        let report = try importing(path)
        let lines = text.components(separatedBy: "\n")
        func line(of fragment: String) -> Int {
            // The entry's tag is on the line before its statement's id (or on the statement's own).
            (lines.firstIndex { $0.contains(fragment) } ?? -1) + 1
        }
        let uncoded = line(of: "2d59e2350") - 1, ordered = line(of: "2d59e2351") - 1, empty = line(of: #"nullFlavor="NI""#)
        XCTAssertEqual(report.entriesNotRead, [
            CCDAEntryNotRead(place: "\(path):\(uncoded)", section: "Results", reason: "nothing phr can read in it (no code, name or value)"),
            CCDAEntryNotRead(place: "\(path):\(ordered)", section: "Results", reason: "a test ordered, not a result"),
            CCDAEntryNotRead(place: "\(path):\(empty)", section: "Results", reason: "says only that there is no information (nullFlavor)"),
        ])
        XCTAssertEqual(report.entriesNotReadCount, 3)
        XCTAssertEqual(report.documentSections["Results"]?.entries, 4)
        XCTAssertEqual(report.documentSections["Results"]?.resources, 1)
        XCTAssertEqual(report.documentSections["Results"]?.entriesNotRead, 3)
        XCTAssertEqual(report.documentSections["Plan of treatment"]?.entriesNotRead, 0, "an order stays in the plan's note")
        let patient = try onlyPatient()
        XCTAssertEqual(try store.results(patientID: patient.id).map(\.name), ["Hemoglobin"])
    }

    /// Every entry of the whole sample makes something: its privacy label sits in an organizer
    /// with results, and the test its plan orders is in the plan's note.
    func testEveryEntryOfTheWholeSampleMakesSomething() throws {
        let (report, _) = try importSample()
        XCTAssertEqual(report.entriesNotRead, [])
        XCTAssertEqual(report.entriesNotReadCount, 0)
    }

    /// A negated assertion is named by what it asserts, and says it is absent ("Pregnancy:
    /// absent", never a result "ASSERTION" valued "Pregnancy"); a negated value is "not" it.
    func testNegatedSocialHistorySaysWhatIsNotSo() throws {
        try importing(try writeText("social.xml", CCDASample.negatedSocialHistory()))
        let patient = try XCTUnwrap(try store.patients().first)
        let results = try store.results(patientID: patient.id, ResultFilter())
        XCTAssertEqual(results.map(\.name), ["Pregnancy", "Tobacco smoking status"])
        XCTAssertEqual(results.map(\.value), [.text("absent"), .text("not Smokes tobacco daily")])
        XCTAssertEqual(results.map(\.category), [.socialHistory, .socialHistory])
    }

    private func assertOnlyNoKnownDrugAllergies(_ document: String, line: UInt = #line) throws {
        try importing(try writeText("nkda.xml", document))
        let patient = try XCTUnwrap(try store.patients().first)
        let statements = try store.allergies(patientID: patient.id)
        XCTAssertEqual(statements.map(\.displayName), ["No known drug allergies"], line: line)
        XCTAssertEqual(statements.map(\.category), [.medication], line: line)
        XCTAssertEqual(try store.allergyStatus(patientID: patient.id), .allergies(statements), line: line)
    }

    func testAnAllergyTheSameEntryNowNegatesBecomesNoKnownAllergies() throws {
        try importing(try writeText("v1.xml", CCDASample.document()))
        let (_, patient) = try importSample(CCDASample.noKnownAllergies(observationID: "4adc1020-7b14-11db-9fe1-0800200c9a66"),
                                            name: "v2.xml")
        guard case .noneKnown = try store.allergyStatus(patientID: patient.id) else {
            return XCTFail("the entry that named penicillin now says there are none")
        }
    }

    /// A later version of the document whose entries are `nullified` (HL7 v3's "recorded in error")
    /// takes back what the first version gave: marked, never deleted.
    func testANullifiedEntryTakesBackWhatAnEarlierVersionGave() throws {
        try importing(try writeText("v1.xml", CCDASample.document()))
        var text = CCDASample.document(version: 2, documentID: "doc-2")
        let entries = ["cdbd33f0-6cde-11db-9fe1-0800200c9a66", "107c2dc0-67a5-11db-bd13-0800200c9a66",
                       "d68b7e32-7810-4f5b-9cc2-acd54b0fd85d", "e6f1ba43-c0ed-4b9b-9f12-f435d8ad8f92",
                       "ab1791b0-5c71-11db-b0de-0800200c9a66", "4adc1020-7b14-11db-9fe1-0800200c9a66"]
        for id in entries {
            let entry = try XCTUnwrap(text.range(of: "<id root=\"\(id)\"/>"), id)
            let status = try XCTUnwrap(text.range(of: #"<statusCode code="[a-z]+"/>"#, options: .regularExpression,
                                                  range: entry.upperBound..<text.endIndex), id)
            text.replaceSubrange(status, with: #"<statusCode code="nullified"/>"#)
        }
        let report = try importing(try writeText("v2.xml", text))
        for type in ["MedicationStatement", "Procedure", "Immunization", "Condition", "AllergyIntolerance"] {
            XCTAssertEqual(report.byType[type]?.updated, 1, type)
        }
        let patient = try onlyPatient()
        XCTAssertEqual(try store.medications(patientID: patient.id).first { $0.code == "198240" }?.status, .enteredInError)
        XCTAssertEqual(try store.procedures(patientID: patient.id).first { $0.code == "392021009" }?.status, .enteredInError)
        XCTAssertEqual(try store.immunizations(patientID: patient.id).map(\.status), [.enteredInError])
        XCTAssertEqual(try store.results(patientID: patient.id).first { $0.code == "718-7" }?.status, .enteredInError)
        XCTAssertEqual(try store.diagnoses(patientID: patient.id).first { $0.code == "C50.912" }?.status, .refuted)
        XCTAssertEqual(try store.allergies(patientID: patient.id).first { $0.substance?.contains("Penicillin") == true }?.status,
                       .inactive)
    }

    func testSameDocumentTwiceAddsNothing() throws {
        let path = try writeText("ccd.xml", CCDASample.document())
        try importing(path)
        let before = try dump(excluding: ["changes", "sqlite_sequence"])
        let again = try importing(path)
        XCTAssertEqual(again.totals.added + again.totals.updated, 0)
        XCTAssertEqual(again.totals.unchanged, again.totals.read)
        XCTAssertEqual(try dump(excluding: ["changes", "sqlite_sequence"]), before, "nothing but the change log was written")
    }

    func testNewerVersionOfTheSameSetUpdates() throws {
        try importing(try writeText("v1.xml", CCDASample.document()))
        let report = try importing(try writeText("v2.xml", CCDASample.document(version: 2, documentID: "doc-2", hemoglobin: "11.4")))
        XCTAssertEqual(report.byType["Observation"]?.updated, 1)
        XCTAssertEqual(report.totals.added, 0, "\(report.byType)")
        let patient = try onlyPatient()
        let hemoglobin = try XCTUnwrap(try store.results(patientID: patient.id).first { $0.code == "718-7" })
        XCTAssertEqual(hemoglobin.value, .quantity(11.4, unit: "g/dL", comparator: nil))
        XCTAssertEqual(try store.records(patientID: patient.id).filter { $0.title == "Continuity of Care Document" }.count, 1)
    }

    func testSectionRegistryNamesEachTemplateAndCodeOnce() {
        let templates = CCDASection.allCases.flatMap(\.templateIDs)
        XCTAssertEqual(Set(templates).count, templates.count, "a templateId names one section")
        let codes = CCDASection.allCases.flatMap(\.loincCodes)
        XCTAssertEqual(Set(codes).count, codes.count, "a LOINC code names one section")
        for section in CCDASection.allCases {
            XCTAssertEqual(section.loincCodes.first, section.loincCode, "\(section): its own code comes first")
        }
    }

    func testDischargeMedicationsAndDiagnosesCountAsTheirSections() throws {
        let dischargeSections = CCDASample.section("11.1", "10183-2", "Discharge medications", text: "Tamoxifen",
            entries: """
            <entry><act classCode="ACT" moodCode="EVN"><code code="10183-2" codeSystem="\(CCDASample.loinc)"/>
              <entryRelationship typeCode="SUBJ"><substanceAdministration classCode="SBADM" moodCode="EVN">
                <id root="1.2.3.4" extension="dm-1"/><statusCode code="active"/>
                <consumable><manufacturedProduct><manufacturedMaterial>
                  <code code="198240" codeSystem="2.16.840.1.113883.6.88" displayName="Tamoxifen 20 MG Oral Tablet"/>
                </manufacturedMaterial></manufacturedProduct></consumable>
              </substanceAdministration></entryRelationship></act></entry>
            """)
        let document = CCDASample.noKnownAllergies().replacingOccurrences(of: "</structuredBody>", with: dischargeSections + "</structuredBody>")
        let (report, patient) = try importSample(document)
        XCTAssertEqual(try store.medications(patientID: patient.id).map(\.code), ["198240"])
        XCTAssertEqual(report.documentSections["Medications"]?.resources, 1)
    }

    func testAnEntryInTwoDocumentsOfOneImportIsReadFromTheNewest() throws {
        // Same entry ids, another document (setId); the newer one written to the file read last.
        try writeText("docs/a.xml", CCDASample.document(setID: "june", documentID: "d-june",
                                                        effectiveTime: "20240615", hemoglobin: "11.9"))
        try writeText("docs/b.xml", CCDASample.document(setID: "jan", documentID: "d-jan",
                                                        effectiveTime: "20240110", hemoglobin: "9.1"))
        let first = try importing(path("docs"))
        XCTAssertEqual(first.byType["Observation"]?.skipped, first.byType["Observation"].map { $0.read / 2 })
        let patient = try onlyPatient()
        let hemoglobin = try XCTUnwrap(try store.results(patientID: patient.id).first { $0.code == "718-7" })
        XCTAssertEqual(hemoglobin.value, .quantity(11.9, unit: "g/dL", comparator: nil), "the June document's value")
        let again = try importing(path("docs"))
        XCTAssertEqual(again.totals.added + again.totals.updated, 0, "importing them again changes nothing")
    }

    func testAnUnstructuredDocumentsFileIsARecordOfItsOwn() throws {
        let note = "Surgical consult: no intervention for now."
        let document = CCDASample.noKnownAllergies().replacingOccurrences(
            of: #"<component><structuredBody>"#,
            with: #"<component><nonXMLBody><text mediaType="text/plain" representation="B64">"#
                + Data(note.utf8).base64EncodedString() + "</text></nonXMLBody></component><!--")
            .replacingOccurrences(of: "</structuredBody></component>", with: "-->")
        let (_, patient) = try importSample(document)
        let records = try store.records(patientID: patient.id)
        let embedded = try XCTUnwrap(records.first { $0.file?.mediaType == "text/plain" })
        XCTAssertEqual(embedded.title, "Summary")
        XCTAssertEqual(embedded.file?.originalName, "Summary.txt")
        XCTAssertEqual(embedded.file?.size, Int64(note.utf8.count))
        XCTAssertTrue(records.contains { $0.file?.mediaType == "text/xml" }, "the document itself is kept too")
    }

    /// A document's kind comes from its LOINC code when phr knows it, else from the words of the
    /// code's `displayName` or the title: an oncology consult note under any specialty's code is a
    /// consult note.
    func testADocumentsKindComesFromItsCodeElseFromItsName() throws {
        let consult = CCDASample.shortDocument("consult-1", "").replacingOccurrences(
            of: #"<code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/>"#,
            with: #"<code code="34847-4" codeSystem="2.16.840.1.113883.6.1" displayName="Surgery Consult note"/>"#)
        XCTAssertNotEqual(consult, CCDASample.shortDocument("consult-1", ""))
        let titled = CCDASample.shortDocument("path-1", "").replacingOccurrences(
            of: #"<code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/>"#,
            with: #"<code code="99999-9" codeSystem="2.16.840.1.113883.6.1"/>"#)
            .replacingOccurrences(of: "<title>Summary</title>", with: "<title>Cytology report</title>")
        let plain = CCDASample.shortDocument("summary-1", "")
        let folder = path("kinds")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in [("consult", consult), ("cytology", titled), ("summary", plain)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/\(name).xml"))
        }
        try importing(folder)
        let records = try store.records(patientID: try onlyPatient().id)
        XCTAssertEqual(records.count, 3, "\(records.map(\.title))")
        XCTAssertEqual(records.first { $0.file?.originalName == "consult.xml" }?.kind, .consultNote)
        XCTAssertEqual(records.first { $0.file?.originalName == "cytology.xml" }?.kind, .pathologyReport)
        XCTAssertEqual(records.first { $0.file?.originalName == "summary.xml" }?.kind, .other)
    }

    func testTimeForms() {
        XCTAssertEqual(CCDATime.fhir("2019", defaultOffset: "-05:00"), "2019")
        XCTAssertEqual(CCDATime.fhir("201903", defaultOffset: nil), "2019-03")
        XCTAssertEqual(CCDATime.fhir("20190302", defaultOffset: nil), "2019-03-02")
        XCTAssertEqual(CCDATime.fhir("2019030214", defaultOffset: "+01:00"), "2019-03-02T14:00:00+01:00")
        XCTAssertEqual(CCDATime.fhir("201903021430", defaultOffset: nil), "2019-03-02", "no offset anywhere: the date only")
        XCTAssertEqual(CCDATime.fhir("20190302143015.123-0500", defaultOffset: nil), "2019-03-02T14:30:15-05:00")
        XCTAssertEqual(CCDATime.fhir("20190302143015+0000", defaultOffset: nil), "2019-03-02T14:30:15Z")
        XCTAssertNil(CCDATime.fhir("2019-03-02", defaultOffset: nil))
    }

    func testXDMZipIsReadAndItsOtherFilesAreNamed() throws {
        let staging = path("xdm")
        try writeText("xdm/METADATA.XML", #"<?xml version="1.0"?><SubmitObjectsRequest xmlns="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"/>"#)
        try writeText("xdm/IHE_XDM/SUBSET01/DOC0001.XML", CCDASample.document())
        try writeText("xdm/IHE_XDM/SUBSET01/CDA.XSL", #"<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"/>"#)
        try writeText("xdm/INDEX.HTM", "<html><body>Index</body></html>")
        let zip = path("MyRecord.zip")
        let archive = try Archive(url: URL(fileURLWithPath: zip), accessMode: .create)
        for name in ["METADATA.XML", "IHE_XDM/SUBSET01/DOC0001.XML", "IHE_XDM/SUBSET01/CDA.XSL", "INDEX.HTM"] {
            try archive.addEntry(with: name, relativeTo: URL(fileURLWithPath: staging))
        }
        let report = try importing(zip)
        XCTAssertEqual(report.documents, 1)
        XCTAssertEqual(try onlyPatient().name, "Ada Example")
        XCTAssertEqual(Set(report.unreadFiles.map { ($0.path as NSString).lastPathComponent }), ["METADATA.XML", "CDA.XSL", "INDEX.HTM"])
    }

    func testFolderNamesTheFilesItCannotRead() throws {
        try writeText("docs/a-document.txt", CCDASample.document())
        try writeText("docs/notes.txt", "not a record")
        let report = try importing(path("docs"))
        XCTAssertEqual(report.documents, 1, "recognised by content, not extension")
        XCTAssertEqual(report.unreadFiles.map { ($0.path as NSString).lastPathComponent }, ["notes.txt"])
    }

    func testFHIRXMLResourceAndBundle() throws {
        try writeText("patient.xml", """
            <Patient xmlns="http://hl7.org/fhir"><id value="p1"/>
              <identifier><system value="urn:oid:1.2.3"/><value value="0042"/></identifier>
              <name><family value="Example"/><given value="Bea"/></name><gender value="female"/>
              <birthDate><extension url="http://hl7.org/fhir/StructureDefinition/data-absent-reason"><valueCode value="unknown"/></extension></birthDate>
            </Patient>
            """)
        try importing(path("patient.xml"))
        XCTAssertEqual(try onlyPatient().name, "Bea Example")
        XCTAssertNil(try onlyPatient().birthDate, "a primitive with only a data-absent extension has no value")
        try writeText("bundle.xml", """
            <Bundle xmlns="http://hl7.org/fhir"><type value="collection"/>
              <entry><fullUrl value="urn:uuid:0b9f3c1e-1d2a-4c44-9a6e-3f1b2c3d4e5f"/><resource><Observation>
                <status value="final"/>
                <code><coding><system value="http://loinc.org"/><code value="718-7"/><display value="Hemoglobin"/></coding></code>
                <subject><reference value="Patient/p1"/></subject>
                <effectiveDateTime value="2024-03-01"/>
                <valueQuantity><value value="12.5"/><unit value="g/dL"/><system value="http://unitsofmeasure.org"/><code value="g/dL"/></valueQuantity>
              </Observation></resource></entry>
            </Bundle>
            """)
        try importing(path("bundle.xml"), patient: try onlyPatient().id)
        let result = try XCTUnwrap(try store.results(patientID: try onlyPatient().id).first)
        XCTAssertEqual(result.value, .quantity(12.5, unit: "g/dL", comparator: nil))
    }

    func testExternalEntityIsRefused() throws {
        let secret = try writeText("secret.txt", "secret")
        let path = try writeText("xxe.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE ClinicalDocument [<!ENTITY xxe SYSTEM "file://\(secret)">]>
            <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&xxe;</title></ClinicalDocument>
            """)
        try assertImportFails(path, mentioning: ["xxe.xml", "DTD"])
    }

    func testEntityBombIsRefused() throws {
        let path = try writeText("bomb.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
            <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol3;</title></ClinicalDocument>
            """)
        try assertImportFails(path, mentioning: ["bomb.xml", "DTD"])
    }

    func testMalformedXMLIsNamedWithLineAndColumn() throws {
        let path = try writeText("broken.xml", "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n  <title>x</titel>\n</ClinicalDocument>\n")
        try assertImportFails(path, mentioning: ["broken.xml", "not well-formed XML", "line 2"])
    }

    /// Found by fuzzing: Foundation's XMLParser stopped phr on an element name that is not UTF-8.
    func testXMLThatIsNotTheUTF8ItSaysIsRefusedNotACrash() throws {
        var bytes = Array(CCDASample.document().utf8)
        let at = try XCTUnwrap(bytes.indices.first { bytes[$0...].starts(with: Array("<effectiveTime".utf8)) })
        bytes[at + 1] = 0xFF
        let path = try writeText("bad.xml", "")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try assertImportFails(path, mentioning: ["bad.xml", "is not valid UTF-8 (byte \(at + 1))"])
    }

    /// Found by fuzzing: a declaration that names no encoding properly (`<?xml encoding?>`) was
    /// taken for one naming another encoding, so the bytes went unchecked to XMLParser, which
    /// stopped phr on an attribute name that is not UTF-8. Such a file is UTF-8's, checked, and
    /// refused; a well-formed declaration of another encoding is still read in it.
    func testAMalformedEncodingDeclarationIsCheckedAsUTF8() throws {
        let declarations = ["<?xml encoding?>", "<?xml version=\"1.0\" encoding=\"\u{FFFD}-9\"?>",
                            "<?xml version=\"1.0\" encoding=ISO-8859-1\"?>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1?>"]
        for (index, declaration) in declarations.enumerated() {
            let bytes = Array(declaration.utf8) + Array("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"<".utf8) + [0xEA]
                + Array("\"\">".utf8)
            let path = try writeText("declared-\(index).xml", "")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            try assertImportFails(path, mentioning: ["declared-\(index).xml", "is not valid UTF-8"])
        }
        XCTAssertFalse(UTF8Check.declaresUTF8(Array("<?xml version='1.0' encoding = 'windows-1252' ?><a/>".utf8)))
        XCTAssertTrue(UTF8Check.declaresUTF8(Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>".utf8)))
        XCTAssertTrue(UTF8Check.declaresUTF8(Array("<a encoding=\"latin1\"/>".utf8)), "no declaration: UTF-8")
    }

    func testXMLInTheLatin1ItDeclaresImports() throws {
        let text = CCDASample.document(given: "Ren\u{E9}e").replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
        let path = try writeText("latin1.xml", "")
        try XCTUnwrap(text.data(using: .isoLatin1)).write(to: URL(fileURLWithPath: path))
        try importing(path)
        let name = try onlyPatient().name
        XCTAssertTrue(name.hasPrefix("Ren\u{E9}e"), name)
    }

    func testDocumentWithoutPatientIsRefused() throws {
        let path = try writeText("nobody.xml", CCDASample.document(patient: false))
        try assertImportFails(path, mentioning: ["nobody.xml", "without a patient"])
    }

    func testTwoPatientsNeedThePatientOption() throws {
        try writeText("two/a.xml", CCDASample.document())
        try writeText("two/b.xml", CCDASample.document(setID: "set-2", documentID: "doc-9", patientID: "MRN-2", given: "Cy"))
        try assertImportFails(path("two"), mentioning: ["2 different patients", "--patient"])
        let patient = try store.write("patient") { try store.addPatient(Patient(name: "Ada Example")) }
        try importing(path("two"), patient: patient.id)
        XCTAssertEqual(try store.patients().count, 1)
    }

    func testDryRunWritesNothing() throws {
        let path = try writeText("ccd.xml", CCDASample.document())
        let before = try dump()
        let report = try importing(path, dryRun: true)
        XCTAssertTrue(report.dryRun)
        XCTAssertGreaterThan(report.totals.added, 10)
        XCTAssertEqual(try dump(), before)
    }
}
