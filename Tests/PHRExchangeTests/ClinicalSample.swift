import Foundation
import PHRStore
import XCTest

/// The clinical facts of the sample patient (synthetic), added by the tests that need them: a
/// tumour marker over three dates, TNM staging, receptors, labs (one low, one with a unit that
/// is not UCUM), a blood pressure with its two parts, medications, an allergy, procedures,
/// immunizations and a social finding.
struct ClinicalSample {
    let caMarkers: [ClinicalResult]
    let pT: ClinicalResult
    let pN: ClinicalResult
    let stageGroup: ClinicalResult
    let estrogenReceptor: ClinicalResult
    let her2: ClinicalResult
    /// Of no diagnosis, but part of the pathology report (linked to the cancer).
    let ki67: ClinicalResult
    /// Low, of no diagnosis and no report.
    let hemoglobin: ClinicalResult
    /// Normal; unit `x10^9/L` (not UCUM).
    let whiteCells: ClinicalResult
    /// Of the anaemia, 2025.
    let ferritin: ClinicalResult
    let bloodPressure: ClinicalResult
    let systolic: ClinicalResult
    let diastolic: ClinicalResult
    let employment: Diagnosis
    /// Active, for the cancer, from 2026-11-01.
    let letrozole: Medication
    /// Completed, for the anaemia, 2025-03-20 to 2025-09.
    let iron: Medication
    /// Active, of no diagnosis, since 2024.
    let vitaminD: Medication
    let penicillin: Allergy
    /// Biopsy, 2026-10-02, for the cancer.
    let biopsy: Procedure
    /// Radiotherapy, 2026-12-01 to 2026-12-20, for the cancer.
    let radiotherapy: Procedure
    /// 2024-06, of no diagnosis.
    let colonoscopy: Procedure
    /// 2026-10-15.
    let influenza: Immunization
    /// 2024-09.
    let covid: Immunization

    static func date(_ text: String) throws -> DateOrTime { try DateOrTime(parsing: text) }
    static func day(_ text: String) throws -> PartialDate { try PartialDate(parsing: text) }

    init(store: HealthStore, sample: SampleCase) throws {
        let patientID = sample.patient.id
        let cancer = sample.breastCancer.id
        func add(_ result: ClinicalResult) throws -> ClinicalResult { try store.addResult(result) }
        (caMarkers, pT, pN, stageGroup, estrogenReceptor, her2, ki67, hemoglobin, whiteCells, ferritin, bloodPressure,
         systolic, diastolic) = try store.write("results") {
            let markers = try [("2026-09-01", 25.0), ("2026-10-01", 38.0), ("2026-11-20", 42.0)].map { day, value in
                try add(ClinicalResult(patientID: patientID, name: "CA 15-3", category: .tumourMarker, code: "6875-9",
                                       codeSystem: .loinc, value: .quantity(value, unit: "U/mL", comparator: nil),
                                       range: ReferenceRange(low: 0, high: 30), observedAt: Self.date(day),
                                       diagnosisID: cancer))
            }
            let pT = try add(ClinicalResult(patientID: patientID, name: "pT category", category: .staging, code: "21899-0",
                                            codeSystem: .loinc, value: .text("pT2"), observedAt: Self.date("2026-10-02"),
                                            diagnosisID: cancer))
            let pN = try add(ClinicalResult(patientID: patientID, name: "pN category", category: .staging, code: "21900-6",
                                            codeSystem: .loinc, value: .text("pN0"), observedAt: Self.date("2026-10-02"),
                                            diagnosisID: cancer))
            let stage = try add(ClinicalResult(patientID: patientID, name: "Stage group", category: .staging, code: "21902-2",
                                               codeSystem: .loinc, value: .text("IIA"), observedAt: Self.date("2026-10-02"),
                                               diagnosisID: cancer))
            let er = try add(ClinicalResult(patientID: patientID, name: "Estrogen receptor", category: .biomarker,
                                            code: "16112-5", codeSystem: .loinc,
                                            value: .coded(code: "10828004", system: .snomedCT, display: "Positive"),
                                            detail: "95% of cells", observedAt: Self.date("2026-10-02"), diagnosisID: cancer))
            let her2 = try add(ClinicalResult(patientID: patientID, name: "HER2", category: .biomarker,
                                              value: .text("negative (IHC 1+)"), observedAt: Self.date("2026-10-02"),
                                              diagnosisID: cancer))
            let ki67 = try add(ClinicalResult(patientID: patientID, name: "Ki-67", category: .biomarker,
                                              value: .quantity(20, unit: "%", comparator: nil),
                                              observedAt: Self.date("2026-10-02"), recordID: sample.pathology.id))
            let hemoglobin = try add(ClinicalResult(patientID: patientID, name: "Hemoglobin", code: "718-7", codeSystem: .loinc,
                                                    value: .quantity(10.9, unit: "g/dL", comparator: nil),
                                                    range: ReferenceRange(low: 12, high: 16),
                                                    observedAt: Self.date("2026-11-18T08:15:00-05:00")))
            let white = try add(ClinicalResult(patientID: patientID, name: "White cells",
                                               value: .quantity(6.1, unit: "x10^9/L", comparator: nil),
                                               range: ReferenceRange(low: 4, high: 11), observedAt: Self.date("2026-11-18")))
            let ferritin = try add(ClinicalResult(patientID: patientID, name: "Ferritin", value: .quantity(8, unit: "ng/mL", comparator: nil),
                                                  range: ReferenceRange(low: 15, high: 150), observedAt: Self.date("2025-03-15"),
                                                  diagnosisID: sample.anaemia.id))
            let pressure = try add(ClinicalResult(patientID: patientID, name: "Blood pressure", category: .vitalSigns,
                                                  code: "85354-9", codeSystem: .loinc, observedAt: Self.date("2026-11-02")))
            let systolic = try add(ClinicalResult(patientID: patientID, name: "Systolic", category: .vitalSigns, code: "8480-6",
                                                  codeSystem: .loinc, value: .quantity(128, unit: "mm[Hg]", comparator: nil),
                                                  observedAt: Self.date("2026-11-02"), parentID: pressure.id))
            let diastolic = try add(ClinicalResult(patientID: patientID, name: "Diastolic", category: .vitalSigns, code: "8462-4",
                                                   codeSystem: .loinc, value: .quantity(82, unit: "mm[Hg]", comparator: nil),
                                                   observedAt: Self.date("2026-11-02"), parentID: pressure.id))
            return (markers, pT, pN, stage, er, her2, ki67, hemoglobin, white, ferritin, pressure, systolic, diastolic)
        }
        (employment, letrozole, iron, vitaminD, penicillin, biopsy, radiotherapy, colonoscopy, influenza, covid) = try store.write("facts") {
            let employment = try store.addDiagnosis(Diagnosis(patientID: patientID, description: "Full-time employment (finding)",
                                                              code: "160903007", codeSystem: .snomedCT, kind: .socialFinding))
            let letrozole = try store.addMedication(Medication(
                patientID: patientID, name: "Letrozole 2.5 mg tablet", code: "200064", codeSystem: .rxnorm, dose: "2.5 mg",
                route: "by mouth", frequency: "once daily", startedOn: Self.day("2026-11-01"), providerID: sample.oncologist.id,
                diagnosisID: cancer))
            let iron = try store.addMedication(Medication(
                patientID: patientID, name: "Ferrous sulfate 325 mg", dose: "325 mg", frequency: "twice daily",
                startedOn: Self.day("2025-03-20"), endedOn: Self.day("2025-09"), status: .completed,
                diagnosisID: sample.anaemia.id))
            let vitaminD = try store.addMedication(Medication(patientID: patientID, name: "Vitamin D3 1000 IU",
                                                              instructions: "one capsule daily", startedOn: Self.day("2024")))
            let penicillin = try store.addAllergy(Allergy(
                patientID: patientID, substance: "Penicillin", substanceCode: "7980", substanceCodeSystem: .rxnorm,
                kind: .allergy, category: .medication, criticality: .high, reaction: "hives; wheezing", severity: .moderate,
                recordedOn: Self.day("2020-05-01")))
            let biopsy = try store.addProcedure(Procedure(
                patientID: patientID, name: "Core needle biopsy of breast", code: "44578009", codeSystem: .snomedCT,
                category: .biopsy, performedOn: Self.date("2026-10-02"), providerID: sample.oncologist.id,
                bodySite: "Left breast", diagnosisID: cancer, outcome: "Invasive ductal carcinoma"))
            let radiotherapy = try store.addProcedure(Procedure(
                patientID: patientID, name: "Whole breast radiotherapy", category: .radiationTherapy,
                performedOn: Self.date("2026-12-01"), performedUntil: Self.date("2026-12-20"), diagnosisID: cancer,
                status: .inProgress))
            let colonoscopy = try store.addProcedure(Procedure(patientID: patientID, name: "Colonoscopy",
                                                               performedOn: Self.date("2024-06")))
            let influenza = try store.addImmunization(Immunization(patientID: patientID, vaccine: "Influenza, seasonal",
                                                                   code: "141", codeSystem: .cvx,
                                                                   givenOn: Self.date("2026-10-15")))
            let covid = try store.addImmunization(Immunization(patientID: patientID, vaccine: "COVID-19 vaccine",
                                                               givenOn: Self.date("2024-09")))
            return (employment, letrozole, iron, vitaminD, penicillin, biopsy, radiotherapy, colonoscopy, influenza, covid)
        }
    }
}

extension PacketTestCase {
    /// Adds `ClinicalSample` to the sample patient's store.
    @discardableResult
    func addClinicalFacts() throws -> ClinicalSample {
        try ClinicalSample(store: store, sample: sample)
    }
}
