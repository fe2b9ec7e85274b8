import Foundation
import PHRStore
import XCTest
@testable import PHRExchange

/// `--diagnosis`, `--since` and `--until`: what goes into the packet.
final class ExportScopeTests: PacketTestCase {
    private func ids(_ bundle: [String: Any], _ type: String) -> Set<String> {
        Set(resources(bundle, type: type).compactMap { $0["id"] as? String })
    }

    func testDiagnosisScopeKeepsOnlyThatDiagnosisAndWhatIsLinkedToIt() throws {
        let report = try export("packet", scope: ExportScope(patientID: sample.patient.id, diagnosisIDs: [sample.breastCancer.id]))
        let bundle = try bundle(in: path("packet"))
        XCTAssertEqual(ids(bundle, "Condition"), [sample.breastCancer.uuid])
        XCTAssertEqual(ids(bundle, "ClinicalImpression"), [sample.firstOpinion.uuid, sample.secondOpinion.uuid])
        XCTAssertEqual(ids(bundle, "Appointment"), [sample.secondOpinionVisit.uuid])
        XCTAssertEqual(ids(bundle, "DocumentReference"),
                       [sample.pathology.uuid, sample.imaging.uuid, sample.hostile.uuid, sample.slides.uuid])
        XCTAssertEqual(report.recordFileCount, 3)
        XCTAssertFalse(listing(path("packet")).contains { $0.contains("lab-result") })
        XCTAssertEqual(Set(report.logged.recordIDs), [sample.pathology.id, sample.imaging.id, sample.hostile.id, sample.slides.id])
    }

    func testDateScopeKeepsOpinionsAppointmentsAndRecordsInThePeriod() throws {
        let scope = ExportScope(patientID: sample.patient.id, since: try PartialDate(parsing: "2026-10"),
                                until: try PartialDate(parsing: "2026-10-31"))
        try export("packet", scope: scope)
        let bundle = try bundle(in: path("packet"))
        XCTAssertEqual(ids(bundle, "ClinicalImpression"), [sample.firstOpinion.uuid])
        XCTAssertEqual(ids(bundle, "Appointment"), [])
        XCTAssertEqual(ids(bundle, "DocumentReference"), [sample.pathology.uuid, sample.hostile.uuid, sample.slides.uuid],
                       "the September mammogram, the 2025 blood count and the undated letter are out")
        XCTAssertEqual(ids(bundle, "Condition"), [sample.breastCancer.uuid, sample.anaemia.uuid], "diagnoses are context, not limited by date")
    }

    func testPreviousOpinionOutsideTheDatesIsNotReferenced() throws {
        try export("packet", scope: ExportScope(patientID: sample.patient.id, since: try PartialDate(parsing: "2026-11")))
        let impressions = resources(try bundle(in: path("packet")), type: "ClinicalImpression")
        XCTAssertEqual(impressions.count, 1)
        XCTAssertNil(impressions[0]["previous"], "the earlier opinion is not in the bundle, so it is not referenced")
    }

    func testPeriodsOverlapAtTheirPrecision() throws {
        let scope = ExportScope(patientID: 1, since: try PartialDate(parsing: "2026-05"), until: try PartialDate(parsing: "2026-05-31"))
        XCTAssertTrue(scope.includes(try PartialDate(parsing: "2026")), "a record dated only 2026 may be from May")
        XCTAssertTrue(scope.includes(try PartialDate(parsing: "2026-05-31")))
        XCTAssertFalse(scope.includes(try PartialDate(parsing: "2026-04-30")))
        XCTAssertFalse(scope.includes(try PartialDate(parsing: "2026-06")))
        XCTAssertFalse(scope.includes(nil), "undated things are out once a limit is set")
        XCTAssertTrue(ExportScope(patientID: 1).includes(nil))
    }

    func testDiagnosisScopeKeepsTheClinicalFactsOfThatDiagnosis() throws {
        let facts = try addClinicalFacts()
        try export("packet", scope: ExportScope(patientID: sample.patient.id, diagnosisIDs: [sample.breastCancer.id]))
        let bundle = try bundle(in: path("packet"))
        XCTAssertEqual(ids(bundle, "Observation"),
                       Set((facts.caMarkers + [facts.pT, facts.pN, facts.stageGroup, facts.estrogenReceptor, facts.her2, facts.ki67]).map(\.uuid)),
                       "the anaemia's ferritin is out; so are unlinked results (haemoglobin, the blood pressure), "
                       + "except Ki-67, which belongs to the cancer's pathology report")
        XCTAssertEqual(ids(bundle, "MedicationStatement"), [facts.letrozole.uuid, facts.vitaminD.uuid],
                       "the anaemia's iron is out; a drug of no diagnosis stays: a new doctor must know every drug taken")
        XCTAssertEqual(ids(bundle, "Procedure"), [facts.biopsy.uuid, facts.radiotherapy.uuid], "the unlinked colonoscopy is out")
        XCTAssertEqual(ids(bundle, "Immunization"), [facts.influenza.uuid, facts.covid.uuid], "immunizations concern no diagnosis")
        XCTAssertEqual(ids(bundle, "AllergyIntolerance"), [facts.penicillin.uuid], "allergies always travel")
        XCTAssertEqual(ids(bundle, "Condition"), [sample.breastCancer.uuid], "the social finding was not asked for")
    }

    func testDateScopeKeepsResultsProceduresMedicationsAndImmunizationsInThePeriod() throws {
        let facts = try addClinicalFacts()
        let scope = ExportScope(patientID: sample.patient.id, since: try PartialDate(parsing: "2026-10"),
                                until: try PartialDate(parsing: "2026-10-31"))
        try export("packet", scope: scope)
        let bundle = try bundle(in: path("packet"))
        XCTAssertEqual(ids(bundle, "Observation"),
                       Set([facts.caMarkers[1], facts.pT, facts.pN, facts.stageGroup, facts.estrogenReceptor, facts.her2, facts.ki67].map(\.uuid)),
                       "by the day observed")
        XCTAssertEqual(ids(bundle, "Procedure"), [facts.biopsy.uuid], "by the day (or period) performed")
        XCTAssertEqual(ids(bundle, "MedicationStatement"), [facts.vitaminD.uuid],
                       "vitamin D, taken since 2024, is still taken in October; letrozole starts in November, iron ended in 2025")
        XCTAssertEqual(ids(bundle, "Immunization"), [facts.influenza.uuid])
        XCTAssertEqual(ids(bundle, "AllergyIntolerance"), [facts.penicillin.uuid], "allergies are not limited by date")
    }

    func testAPeriodOfTreatmentOverlappingTheDatesIsIn() throws {
        let facts = try addClinicalFacts()
        try export("packet", scope: ExportScope(patientID: sample.patient.id, since: try PartialDate(parsing: "2026-12-15")))
        let bundle = try bundle(in: path("packet"))
        XCTAssertEqual(ids(bundle, "Procedure"), [facts.radiotherapy.uuid], "radiotherapy runs to 2026-12-20")
        XCTAssertEqual(ids(bundle, "MedicationStatement"), [facts.letrozole.uuid, facts.vitaminD.uuid], "current ones run to now")
        XCTAssertEqual(ids(bundle, "Observation"), [], "no result since")
    }

    func testEnteredInErrorIsNeverExported() throws {
        let facts = try addClinicalFacts()
        try store.write("mark") {
            var wrong = facts.hemoglobin
            wrong.status = .enteredInError
            _ = try store.updateResult(wrong)
        }
        try export("packet")
        XCTAssertFalse(ids(try bundle(in: path("packet")), "Observation").contains(facts.hemoglobin.uuid))
    }

    func testDiagnosisOfAnotherPatientIsRefused() throws {
        let other = try store.write("other") {
            let patient = try store.addPatient(Patient(name: "Bo Other"))
            return try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Something"))
        }
        XCTAssertThrowsError(try export("packet", scope: ExportScope(patientID: sample.patient.id, diagnosisIDs: [other.id])))
        XCTAssertEqual(try entriesBesideStore(), [])
    }
}
