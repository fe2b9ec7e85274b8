import Foundation
@testable import PHRExchange
import PHRStore
import XCTest

extension FHIR {
    static let loinc = "http://loinc.org"
    static let snomed = "http://snomed.info/sct"
    static let mcode = "http://hl7.org/fhir/us/mcode/StructureDefinition/"

    static func quantity(_ value: Any, _ unit: String, ucum: Bool = true) -> [String: Any] {
        ucum ? ["value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit] : ["value": value, "unit": unit]
    }

    static func observation(_ id: String, subject: String? = "Patient/p1", code: String, display: String,
                            system: String = loinc, category: String? = "laboratory", effective: String? = "2026-11-20",
                            extra: [String: Any] = [:]) -> [String: Any] {
        var resource: [String: Any] = ["resourceType": "Observation", "id": id, "status": "final",
                                       "code": concept(system, code, display)]
        if let subject { resource["subject"] = ref(subject) }
        if let category {
            resource["category"] = [concept("http://terminology.hl7.org/CodeSystem/observation-category", category)]
        }
        if let effective { resource["effectiveDateTime"] = effective }
        return resource.merging(extra) { $1 }
    }
}

/// Issue 11: Observations of every category become results, with their values, ranges, parts,
/// categories and links to reports and diagnoses.
final class ImportResultTests: ImportTestCase {
    private func results() throws -> [ClinicalResult] {
        try store.results(patientID: try onlyPatient().id)
    }

    private func result(named name: String) throws -> ClinicalResult {
        try XCTUnwrap(try results().first { $0.name == name }, "no result \(name)")
    }

    func testALabResultKeepsValueUnitRangeInterpretationDateAndPerformer() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.practitioner("d1"),
            FHIR.observation("o1", code: "718-7", display: "Hemoglobin", effective: "2026-11-20T08:15:00-05:00", extra: [
                "valueQuantity": FHIR.quantity(10.2, "g/dL"),
                "referenceRange": [["low": FHIR.quantity(12, "g/dL"), "high": FHIR.quantity(16, "g/dL")]],
                "interpretation": [FHIR.concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "L")],
                "performer": [FHIR.ref("Practitioner/d1")], "note": [["text": "Drawn fasting."]],
            ]),
        ])
        let report = try importing(input)
        let result = try result(named: "Hemoglobin")
        XCTAssertEqual(result.category, .laboratory)
        XCTAssertEqual(result.code, "718-7")
        XCTAssertEqual(result.codeSystem, .loinc)
        XCTAssertEqual(result.value, .quantity(10.2, unit: "g/dL", comparator: nil))
        XCTAssertEqual(result.range, ReferenceRange(low: 12, high: 16))
        XCTAssertNil(result.interpretation, "a low the value and range imply is left to the store to work out")
        XCTAssertEqual(result.assessedInterpretation, .low)
        XCTAssertEqual(result.observedAt?.description, "2026-11-20T08:15:00-05:00", "the time and its offset as written")
        XCTAssertEqual(result.status, .final)
        XCTAssertEqual(result.providerID, try store.providers().first?.id)
        XCTAssertNotNil(result.providerID)
        XCTAssertEqual(result.sourceNotes, "Drawn fasting.")
        XCTAssertEqual(report.byType["Observation"]?.added, 1)
    }

    /// A source's reference range whose low end is above its high end (US Core's own hematocrit
    /// example) is kept as written, with no bounds to judge the value by: the value and the rest of
    /// the import stand. A patient who reported their own answers (performer: the Patient) names
    /// no one unresolved.
    func testAnInvertedRangeIsKeptAsWrittenAndThePatientAsPerformerIsNoUnresolvedReference() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", code: "4544-3", display: "Hematocrit", extra: [
                "valueQuantity": FHIR.quantity(45, "%"),
                "referenceRange": [["low": FHIR.quantity(46, "%"), "high": FHIR.quantity(38, "%")]],
                "performer": [FHIR.ref("Patient/p1")],
            ]),
            FHIR.observation("o2", code: "718-7", display: "Hemoglobin", extra: [
                "valueQuantity": FHIR.quantity(13, "g/dL"), "performer": [FHIR.ref("Practitioner/nobody")],
            ]),
        ])
        let report = try importing(input)
        XCTAssertEqual(report.byType["Observation"]?.added, 2)
        let hematocrit = try result(named: "Hematocrit")
        XCTAssertEqual(hematocrit.range, ReferenceRange(text: "46–38 %"))
        XCTAssertNil(hematocrit.assessedInterpretation)
        XCTAssertNil(hematocrit.providerID)
        XCTAssertEqual(report.unresolved.map(\.reference), ["performer: Practitioner/nobody"],
                       "the patient is someone phr has, just not a provider")
    }

    func testAnInterpretationTheValueDoesNotImplyIsKept() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", code: "2823-3", display: "Potassium", extra: [
                "valueQuantity": FHIR.quantity(6.9, "mmol/L"),
                "referenceRange": [["low": FHIR.quantity(3.5, "mmol/L"), "high": FHIR.quantity(5.1, "mmol/L")]],
                "interpretation": [FHIR.concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "HH")],
            ]),
        ])
        try importing(input)
        XCTAssertEqual(try result(named: "Potassium").interpretation, .critical)
    }

    func testAUnitPhrDoesNotKnowIsKeptAsWrittenWithItsComparatorAndADateKeepsItsPrecision() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", code: "6875-9", display: "CA 15-3", effective: "2026-11", extra: [
                "valueQuantity": ["value": 35, "comparator": "<", "unit": "units per mL (lab's own)"],
                "referenceRange": [["text": "below 30 in most adults"]],
            ]),
        ])
        try importing(input)
        let result = try result(named: "CA 15-3")
        XCTAssertEqual(result.value, .quantity(35, unit: "units per mL (lab's own)", comparator: .lessThan))
        XCTAssertEqual(result.range, ReferenceRange(text: "below 30 in most adults"))
        XCTAssertEqual(result.observedAt, .date(try PartialDate(parsing: "2026-11")), "a month stays a month")
    }

    func testOtherValuesAreKeptAsTextAndAMissingValueSaysWhy() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", code: "5048-4", display: "ANA titer", extra: ["valueRatio": [
                "numerator": ["value": 1], "denominator": ["value": 160]]]),
            FHIR.observation("o2", code: "X-1", display: "Comment", system: "urn:example:local", extra: ["valueString": "Haemolysed"]),
            FHIR.observation("o3", code: "X-2", display: "Fasting", system: "urn:example:local", extra: ["valueBoolean": true]),
            FHIR.observation("o4", code: "2345-7", display: "Glucose", extra: ["dataAbsentReason": ["text": "Sample clotted"]]),
            FHIR.observation("o5", code: "11524-6", display: "EKG study", extra: ["valueSampledData": [
                "origin": ["value": 2048], "period": 10, "dimensions": 1, "data": "2041 2043 2047"]]),
        ])
        try importing(input)
        XCTAssertEqual(try result(named: "ANA titer").value, .text("1/160"))
        let comment = try result(named: "Comment")
        XCTAssertEqual(comment.value, .text("Haemolysed"))
        XCTAssertEqual(comment.codeSystem, .other, "another system's code is kept as other")
        XCTAssertEqual(try result(named: "Fasting").value, .text("true"))
        let glucose = try result(named: "Glucose")
        XCTAssertNil(glucose.value)
        XCTAssertEqual(glucose.sourceNotes, "No value: Sample clotted", "why a value is missing is kept")
        XCTAssertEqual(try result(named: "EKG study").sourceNotes, "No value: a waveform (sampled data), not kept here")
    }

    /// A coded value reads as a person says it: SNOMED CT's semantic tag leaves its display (from
    /// the coding or from the concept's text, where C-CDA's display name goes); the code stays.
    func testACodedValueLosesSNOMEDsSemanticTag() throws {
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", code: "8884-9", display: "Heart rate rhythm", category: "vital-signs",
                             extra: ["valueCodeableConcept": FHIR.concept(FHIR.snomed, "248651005", "Heart irregularly irregular (finding)")]),
            FHIR.observation("o2", code: "94500-6", display: "SARS-CoV-2 RNA",
                             extra: ["valueCodeableConcept": ["coding": [["system": FHIR.snomed, "code": "260373001"]],
                                                              "text": "Detected (qualifier value)"]]),
        ]))
        XCTAssertEqual(try result(named: "Heart rate rhythm").value,
                       .coded(code: "248651005", system: .snomedCT, display: "Heart irregularly irregular"))
        XCTAssertEqual(try result(named: "SARS-CoV-2 RNA").value, .coded(code: "260373001", system: .snomedCT, display: "Detected"))
    }

    func testABloodPressureComponentsBecomeItsParts() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("bp", code: "85354-9", display: "Blood pressure panel", category: "vital-signs", extra: [
                "component": [
                    ["code": FHIR.concept(FHIR.loinc, "8480-6", "Systolic blood pressure"), "valueQuantity": FHIR.quantity(128, "mm[Hg]"),
                     "interpretation": [FHIR.concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "H")]],
                    ["code": FHIR.concept(FHIR.loinc, "8462-4", "Diastolic blood pressure"), "valueQuantity": FHIR.quantity(82, "mm[Hg]")],
                ],
            ]),
        ])
        try importing(input)
        let panel = try result(named: "Blood pressure panel")
        XCTAssertEqual(panel.category, .vitalSigns)
        XCTAssertNil(panel.value)
        let parts = try store.results(parentID: panel.id)
        XCTAssertEqual(parts.map(\.name), ["Systolic blood pressure", "Diastolic blood pressure"])
        XCTAssertEqual(parts.map(\.value), [.quantity(128, unit: "mm[Hg]", comparator: nil), .quantity(82, unit: "mm[Hg]", comparator: nil)])
        XCTAssertEqual(parts.first?.interpretation, .high)
        XCTAssertEqual(parts.map(\.category), [.vitalSigns, .vitalSigns])
        XCTAssertEqual(parts.first?.observedAt, panel.observedAt)
    }

    func testAChangedBloodPressureUpdatesItsPartsInPlace() throws {
        func bloodPressure(systolic: Int, date: String) -> [String: Any] {
            FHIR.observation("bp", code: "85354-9", display: "Blood pressure panel", category: "vital-signs", effective: date, extra: [
                "component": [
                    ["code": FHIR.concept(FHIR.loinc, "8480-6", "Systolic blood pressure"), "valueQuantity": FHIR.quantity(systolic, "mm[Hg]")],
                    ["code": FHIR.concept(FHIR.loinc, "8462-4", "Diastolic blood pressure"), "valueQuantity": FHIR.quantity(82, "mm[Hg]")],
                ],
            ])
        }
        try importing(try writeNDJSON("data.ndjson", [FHIR.patient("p1"), bloodPressure(systolic: 128, date: "2026-11-20")]))
        let first = try store.results(parentID: try result(named: "Blood pressure panel").id)
        let report = try importing(try writeNDJSON("data.ndjson", [FHIR.patient("p1"), bloodPressure(systolic: 131, date: "2026-11-21")]))
        XCTAssertEqual(report.byType["Observation"]?.updated, 1)
        let parts = try store.results(parentID: try result(named: "Blood pressure panel").id)
        XCTAssertEqual(parts.map(\.id), first.map(\.id), "the same parts, updated")
        XCTAssertEqual(parts.first?.value, .quantity(131, unit: "mm[Hg]", comparator: nil))
        XCTAssertEqual(parts.map(\.observedAt), [.date(try PartialDate(parsing: "2026-11-21")), .date(try PartialDate(parsing: "2026-11-21"))])
    }

    func testAPanelsMembersBecomeItsPartsInEitherOrder() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("wbc", code: "6690-2", display: "Leukocytes", extra: ["valueQuantity": FHIR.quantity(6.1, "10*3/uL")]),
            FHIR.observation("cbc", code: "58410-2", display: "CBC panel", extra: [
                "hasMember": [FHIR.ref("Observation/wbc"), FHIR.ref("Observation/hgb")],
            ]),
            FHIR.observation("hgb", code: "718-7", display: "Hemoglobin", extra: ["valueQuantity": FHIR.quantity(13.5, "g/dL")]),
        ])
        try importing(input)
        let panel = try result(named: "CBC panel")
        XCTAssertEqual(Set(try store.results(parentID: panel.id).map(\.name)), ["Leukocytes", "Hemoglobin"],
                       "a member read before the panel and one read after are both its parts")
    }

    func testTNMCategoriesAndStageGroupsAreStagingClinicalOrPathological() throws {
        func tnm(_ id: String, _ code: String, _ display: String, value: String, system: String = FHIR.loinc,
                 profile: String? = nil) -> [String: Any] {
            var extra: [String: Any] = ["valueCodeableConcept": FHIR.concept(FHIR.snomed, "\(id)-value", value)]
            if let profile { extra["meta"] = ["profile": [FHIR.mcode + profile]] }
            return FHIR.observation(id, code: code, display: display, system: system, category: "survey", extra: extra)
        }
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            tnm("t", "21905-5", "Clinical T", value: "cT2"),
            tnm("n", "21906-3", "Clinical N", value: "cN0"),
            tnm("m", "21907-1", "Clinical M", value: "cM0"),
            tnm("g", "21908-9", "Clinical stage group", value: "Stage IIA"),
            tnm("pt", "999999-1", "Pathological T", value: "pT2", system: "urn:example:local",
                profile: "mcode-tnm-pathological-primary-tumor-category"),
        ])
        try importing(input)
        for name in ["Clinical T", "Clinical N", "Clinical M", "Clinical stage group"] {
            let result = try result(named: name)
            XCTAssertEqual(result.category, .staging, name)
            XCTAssertEqual(result.detail, "clinical", name)
        }
        XCTAssertEqual(try result(named: "Clinical T").value, .coded(code: "t-value", system: .snomedCT, display: "cT2"))
        let pathological = try result(named: "Pathological T")
        XCTAssertEqual(pathological.category, .staging, "the mCODE profile says so, whatever the code")
        XCTAssertEqual(pathological.detail, "pathological")
    }

    func testTumourMarkersBiomarkersPerformanceStatusAndSocialHistoryGetTheirCategories() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("tm", code: "83050-5", display: "HE4", extra: [
                "meta": ["profile": [FHIR.mcode + "mcode-tumor-marker-test"]], "valueQuantity": FHIR.quantity(50, "pmol/L")]),
            FHIR.observation("ca", code: "6875-9", display: "CA 15-3", extra: ["valueQuantity": FHIR.quantity(42, "U/mL")]),
            FHIR.observation("er", code: "16112-5", display: "Estrogen receptor",
                             extra: ["valueCodeableConcept": FHIR.concept(FHIR.snomed, "10828004", "Positive")]),
            FHIR.observation("pr", code: "85339-0", display: "Progesterone receptor",
                             extra: ["valueCodeableConcept": FHIR.concept(FHIR.snomed, "260385009", "Negative")]),
            FHIR.observation("her2", code: "48676-1", display: "HER2", extra: ["valueString": "1+"]),
            FHIR.observation("var", code: "69548-6", display: "Genetic variant assessment", extra: [
                "meta": ["profile": [FHIR.mcode + "mcode-genomic-variant"]], "valueString": "BRCA1 c.68_69del"]),
            FHIR.observation("ecog", code: "89247-1", display: "ECOG performance status", category: "survey",
                             extra: ["valueInteger": 1]),
            FHIR.observation("smoke", code: "72166-2", display: "Tobacco smoking status", category: "social-history",
                             extra: ["valueCodeableConcept": FHIR.concept(FHIR.snomed, "8517006", "Ex-smoker")]),
            FHIR.observation("hvs", code: "88124-3", display: "Food insecurity risk", category: "survey", extra: [
                "category": [FHIR.concept("http://terminology.hl7.org/CodeSystem/observation-category", "survey"),
                             FHIR.concept("http://hl7.org/fhir/us/core/CodeSystem/us-core-category", "sdoh")],
                "valueCodeableConcept": FHIR.concept("http://loinc.org", "LA19952-3", "At risk")]),
            FHIR.observation("status", code: "97509-4", display: "Cancer disease status", category: nil, extra: [
                "meta": ["profile": [FHIR.mcode + "mcode-cancer-disease-status"]],
                "valueCodeableConcept": FHIR.concept(FHIR.snomed, "268910001", "Improving")]),
        ])
        try importing(input)
        let expected: [String: ClinicalResult.Category] = [
            "HE4": .tumourMarker, "CA 15-3": .tumourMarker, "Estrogen receptor": .biomarker, "Progesterone receptor": .biomarker,
            "HER2": .biomarker, "Genetic variant assessment": .biomarker, "ECOG performance status": .performanceStatus,
            "Tobacco smoking status": .socialHistory, "Cancer disease status": .other,
            "Food insecurity risk": .socialHistory,
        ]
        for (name, category) in expected {
            XCTAssertEqual(try result(named: name).category, category, name)
        }
        XCTAssertEqual(try result(named: "ECOG performance status").value, .text("1"))
        XCTAssertEqual(try result(named: "Estrogen receptor").value, .coded(code: "10828004", system: .snomedCT, display: "Positive"))
    }

    func testAnObservationEnteredInErrorIsSkipped() throws {
        var wrong = FHIR.observation("o1", code: "718-7", display: "Hemoglobin", extra: ["valueQuantity": FHIR.quantity(1, "g/dL")])
        wrong["status"] = "entered-in-error"
        let report = try importing(try writeNDJSON("data.ndjson", [FHIR.patient("p1"), wrong]))
        XCTAssertEqual(try results().count, 0)
        XCTAssertEqual(report.byType["Observation"]?.skipped, 1)
        XCTAssertEqual(report.notStored.first?.reason, "entered in error")
    }

    func testAReportsResultsBelongToItsRecord() throws {
        let input = try writeJSON("bundle.json", FHIR.bundle("collection", [
            (nil, FHIR.observation("o1", code: "718-7", display: "Hemoglobin", extra: ["valueQuantity": FHIR.quantity(13, "g/dL")])),
            (nil, FHIR.patient("p1")),
            (nil, ["resourceType": "DiagnosticReport", "id": "r1", "status": "final", "subject": FHIR.ref("Patient/p1"),
                   "code": ["text": "Blood count"], "effectiveDateTime": "2026-11-20",
                   "presentedForm": [["contentType": "text/plain", "data": Data("synthetic report".utf8).base64EncodedString()]],
                   "result": [FHIR.ref("Observation/o1")]]),
        ]))
        try importing(input)
        let record = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first)
        XCTAssertNotNil(record.file)
        XCTAssertEqual(try result(named: "Hemoglobin").recordID, record.id)
    }

    /// A report's other presented forms (a PDF copy on the portal) are named in its notes, not
    /// dropped without a word; coded conclusions stand in for a missing conclusion.
    func testAReportsOtherFormsAndCodedConclusionsAreNamedInItsSourceNotes() throws {
        try importing(try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            ["resourceType": "DiagnosticReport", "id": "r1", "status": "final", "subject": FHIR.ref("Patient/p1"),
             "code": ["text": "Surgical pathology"], "effectiveDateTime": "2026-10-21",
             "conclusionCode": [["text": "Invasive ductal carcinoma"], ["text": "Grade 2"]],
             "presentedForm": [["contentType": "text/plain", "data": Data("synthetic report".utf8).base64EncodedString(),
                                "title": "Pathology report"],
                               ["contentType": "application/pdf", "url": "https://portal.example/report.pdf", "title": "PDF copy"]]],
        ]))
        let record = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first)
        XCTAssertNotNil(record.file)
        XCTAssertEqual(record.sourceNotes, "Invasive ductal carcinoma; Grade 2\n\n"
                       + "Also presented as, not kept here: PDF copy (https://portal.example/report.pdf)")
    }

    func testAReportWithoutADocumentSaysItsResultsAreItsContent() throws {
        // The observation comes first in the file: the report links a result already stored.
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", code: "2039-6", display: "CEA", extra: ["valueQuantity": FHIR.quantity(2.1, "ng/mL")]),
            ["resourceType": "DiagnosticReport", "id": "r1", "status": "final", "subject": FHIR.ref("Patient/p1"),
             "code": ["text": "Tumour markers"], "effectiveDateTime": "2026-11-20", "result": [FHIR.ref("Observation/o1")]],
        ])
        try importing(input)
        let record = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first)
        XCTAssertNil(record.file)
        XCTAssertEqual(record.sourceNotes, DiagnosticReportMapper.resultsNote)
        XCTAssertEqual(try result(named: "CEA").recordID, record.id)
        XCTAssertEqual(try store.results(patientID: try onlyPatient().id, ResultFilter(recordID: record.id)).count, 1)
    }

    func testAnObservationDerivedFromADocumentBelongsToItsRecordAndPhrsOwnCategoryIsRead() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.document("doc1", subject: "Patient/p1"),
            FHIR.observation("o1", code: "X-3", display: "PD-L1", system: "urn:example:local", extra: [
                "category": [FHIR.concept("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory"),
                             FHIR.concept(FHIRVocabulary.resultCategorySystem, "biomarker")],
                "valueString": "CPS 12", "derivedFrom": [FHIR.ref("DocumentReference/doc1")]]),
        ])
        let report = try importing(input)
        let record = try XCTUnwrap(try store.records(patientID: try onlyPatient().id).first)
        let result = try result(named: "PD-L1")
        XCTAssertEqual(result.recordID, record.id)
        XCTAssertEqual(result.category, .biomarker, "phr's own category, as its packets write it (its system)")
        XCTAssertEqual(report.unresolvedCount, 0)
    }

    func testAnObservationsFocusIsItsDiagnosis() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"), FHIR.condition("c1", subject: "Patient/p1"),
            FHIR.observation("o1", code: "6875-9", display: "CA 15-3", extra: [
                "valueQuantity": FHIR.quantity(42, "U/mL"), "focus": [FHIR.ref("Condition/c1")]]),
        ])
        try importing(input)
        let diagnosis = try XCTUnwrap(try store.diagnoses(patientID: try onlyPatient().id).first)
        XCTAssertEqual(try result(named: "CA 15-3").diagnosisID, diagnosis.id)
    }

    // MARK: Bad input

    func testAValueThatIsNotANumberIsRefusedAndNothingIsWritten() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", code: "718-7", display: "Hemoglobin", extra: ["valueQuantity": ["value": "13", "unit": "g/dL"]]),
        ])
        try assertImportFails(input, mentioning: ["\(input):2 (Observation/o1)", "Observation.valueQuantity.value must be a number"])
    }

    func testAnObservationAboutNoPatientIsRefusedAndNothingIsWritten() throws {
        let input = try writeNDJSON("data.ndjson", [
            FHIR.patient("p1"),
            FHIR.observation("o1", subject: nil, code: "718-7", display: "Hemoglobin", extra: ["valueQuantity": FHIR.quantity(13, "g/dL")]),
        ])
        try assertImportFails(input, mentioning: ["\(input):2 (Observation/o1)", "has no subject"])
    }
}

