import Foundation
@testable import PHRStore
import XCTest

/// `OpinionComparison`: every verdict, what the differences are and between whom, the tie-breaker
/// suggestion, the note that more opinions cost time, and the thresholds behind them.
final class OpinionComparisonTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    /// The diagnosis is four weeks old on 2026-11-25: move it to 2026-11-15 so no delay applies.
    private func recentDiagnosis(_ f: WorkflowFixture) throws {
        try f.store.write("edit") { () throws -> Void in
            var diagnosis = f.diagnosis
            diagnosis.diagnosedOn = WorkflowFixture.date("2026-11-15")
            try f.store.updateDiagnosis(diagnosis)
        }
    }

    func testNoOpinionsSaysSo() throws {
        let f = try fixture()
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.verdict, .noOpinions)
        XCTAssertTrue(comparison.entries.isEmpty)
        XCTAssertFalse(comparison.suggestsTieBreaker)
    }

    func testOneOpinionAdvisesASecondBeforeTreatment() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Lumpectomy and radiotherapy")
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.verdict, .oneOpinion)
        XCTAssertTrue(comparison.advice.contains { $0.contains("before treatment starts") })
    }

    func testTwoAgreeingOpinionsAllAgreeEvenWhenTreatmentIsWrittenDifferently() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Lumpectomy + radiotherapy", stage: "IIA")
        try f.opinion(f.ortiz, on: "2026-11-20", recommendation: "lumpectomy and radiotherapy.", stage: "Stage IIA",
                      agreement: .agrees)
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.verdict, .allAgree)
        XCTAssertEqual(comparison.differences, [])
        XCTAssertEqual(comparison.summary, "All 2 opinions agree (Dr. First and Dr. Ortiz).")
        XCTAssertFalse(comparison.suggestsTieBreaker)
        XCTAssertNil(comparison.timeNote)
    }

    /// A stage given with its TNM categories is the same stage as the group alone ("IIA" and
    /// "IIA (cT2 cN0)"); a group or category that contradicts is a difference, and each opinion
    /// joins the first position it agrees with entirely.
    func testStagesAreComparedByWhatTheySay() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Lumpectomy", stage: "IIA")
        try f.opinion(f.ortiz, on: "2026-11-20", recommendation: "lumpectomy", stage: "Stage IIA (cT2 cN0)", agreement: .agrees)
        let agreeing = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(agreeing.verdict, .allAgree)
        XCTAssertEqual(agreeing.differences, [])

        let third = try f.store.write("add") { try f.store.addProvider(Provider(name: "Dr. Third")) }
        try f.opinion(third, on: "2026-11-24", recommendation: "lumpectomy", stage: "IIA (cT1 cN0)", agreement: .agrees)
        let differing = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(differing.verdict, .differ)
        let stage = try XCTUnwrap(differing.differences.first { $0.aspect == .stage })
        XCTAssertEqual(stage.positions.map(\.value), ["IIA", "IIA (cT1 cN0)"])
        XCTAssertEqual(stage.positions.map(\.providerNames), [["Dr. First", "Dr. Ortiz"], ["Dr. Third"]])
        XCTAssertEqual(stage.summary, "the stage: IIA (Dr. First and Dr. Ortiz) versus IIA (cT1 cN0) (Dr. Third)")
    }

    func testTreatmentsAreComparedByTheirWordsWithAmpersandAndPlusReadAsAnd() {
        XCTAssertEqual(OpinionComparison.normalizedTreatment("Lumpectomy + radiotherapy"), "lumpectomy and radiotherapy")
        XCTAssertEqual(OpinionComparison.normalizedTreatment("lumpectomy and radiotherapy."), "lumpectomy and radiotherapy")
        XCTAssertEqual(OpinionComparison.normalizedTreatment("AC-T&trastuzumab,  4 cycles"), "ac t and trastuzumab 4 cycles")
        XCTAssertEqual(OpinionComparison.normalizedTreatment("Chirurgie+Strahlentherapie (Öffnung)"), "chirurgie and strahlentherapie öffnung")
        XCTAssertEqual(OpinionComparison.normalizedTreatment(" -- "), "")
        XCTAssertNotEqual(OpinionComparison.normalizedTreatment("Mastectomy"), OpinionComparison.normalizedTreatment("Lumpectomy"))
    }

    func testTwoDifferingOpinionsSayOnWhatAndBetweenWhomAndSuggestATieBreaker() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Mastectomy", stage: "IIA")
        try f.opinion(f.ortiz, on: "2026-11-20", recommendation: "Lumpectomy and radiotherapy", stage: "IIB",
                      agreement: .differs)
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.verdict, .differ)
        XCTAssertEqual(comparison.differences.map(\.aspect), [.conclusion, .stage, .treatment])
        let stage = try XCTUnwrap(comparison.differences.first { $0.aspect == .stage })
        XCTAssertEqual(stage.positions.map(\.value), ["IIA", "IIB"])
        XCTAssertEqual(stage.positions.map(\.providerNames), [["Dr. First"], ["Dr. Ortiz"]])
        XCTAssertEqual(stage.summary, "the stage: IIA (Dr. First) versus IIB (Dr. Ortiz)")
        let conclusion = try XCTUnwrap(comparison.differences.first { $0.aspect == .conclusion })
        XCTAssertTrue(conclusion.summary.contains("Dr. Ortiz differs from Dr. First"))
        XCTAssertTrue(comparison.suggestsTieBreaker)
        XCTAssertTrue(comparison.advice.contains { $0.contains("tie-breaking opinion") })
        XCTAssertTrue(comparison.advice.contains { $0.contains("Go back to your first doctor (Dr. First)") })
        XCTAssertNil(comparison.timeNote)
    }

    func testPartlyAgreeingIsADifferenceOnTheConclusion() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        try f.opinion(f.first, on: "2026-11-16")
        try f.opinion(f.ortiz, on: "2026-11-20", agreement: .partly)
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.verdict, .differ)
        XCTAssertEqual(comparison.differences.map(\.aspect), [.conclusion])
        XCTAssertTrue(comparison.summary.contains("Dr. Ortiz partly agrees with Dr. First"))
    }

    func testThreeOpinionsSayMoreOpinionsCostTimeInsteadOfSuggestingAnother() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        let third = try f.store.write("add") { try f.store.addProvider(Provider(name: "Dr. Third")) }
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Mastectomy")
        try f.opinion(f.ortiz, on: "2026-11-18", recommendation: "Lumpectomy", agreement: .differs)
        try f.opinion(third, on: "2026-11-20", recommendation: "Lumpectomy", agreement: .partly)
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.verdict, .differ)
        XCTAssertFalse(comparison.suggestsTieBreaker)
        let note = try XCTUnwrap(comparison.timeNote)
        XCTAssertTrue(note.contains("More opinions cost time: there are already 3 opinions"), note)
        let treatment = try XCTUnwrap(comparison.differences.first { $0.aspect == .treatment })
        XCTAssertEqual(treatment.positions.map(\.providerNames), [["Dr. First"], ["Dr. Ortiz", "Dr. Third"]])
    }

    func testWeeksSinceDiagnosisAddATimeNoteToTheTieBreakerAdvice() throws {
        let f = try fixture()  // diagnosed 2026-10-28: 28 days = 4 weeks before "now"
        try f.opinion(f.first, on: "2026-10-28", recommendation: "Mastectomy")
        try f.opinion(f.ortiz, on: "2026-11-20", recommendation: "Lumpectomy", agreement: .differs)
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.daysSinceDiagnosis, 28)
        XCTAssertEqual(comparison.verdict, .differ)
        XCTAssertTrue(comparison.suggestsTieBreaker, "two differing opinions: a third one helps, however long it has been")
        let note = try XCTUnwrap(comparison.timeNote)
        XCTAssertTrue(note.contains("4 weeks have passed since the diagnosis and treatment has not started"), note)
        XCTAssertFalse(note.contains("More opinions cost time"), note)
        XCTAssertEqual(comparison.advice.count, 3, "\(comparison.advice)")
        XCTAssertTrue(comparison.advice[0].contains("third, tie-breaking opinion"), "\(comparison.advice)")
        XCTAssertTrue(comparison.advice[1].contains("prompt appointment"), "\(comparison.advice)")
        XCTAssertTrue(comparison.advice[2].contains("Go back to your first doctor"), "\(comparison.advice)")
    }

    func testStartedTreatmentSilencesTheDelayNote() throws {
        let f = try fixture()
        try f.opinion(f.first, on: "2026-10-28")
        _ = try f.store.write("review") {
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: f.diagnosis.id,
                                                           treatmentStartedOn: WorkflowFixture.date("2026-11-10")))
        }
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertNil(comparison.timeNote)
    }

    func testThresholdsComeFromTheStoredSettings() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        let third = try f.store.write("add") { try f.store.addProvider(Provider(name: "Dr. Third")) }
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Mastectomy")
        try f.opinion(f.ortiz, on: "2026-11-18", recommendation: "Lumpectomy", agreement: .differs)
        try f.opinion(third, on: "2026-11-20", recommendation: "Lumpectomy", agreement: .partly)
        try f.store.write("config") { try f.store.setWorkflowSetting("compare.max-opinions", to: "4") }
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertNil(comparison.timeNote)
        XCTAssertTrue(comparison.suggestsTieBreaker)

        try f.store.write("config") { try f.store.setWorkflowSetting("compare.delay-weeks", to: "1") }
        let delayed = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertTrue(delayed.timeNote?.contains("10 days have passed") == true, delayed.timeNote ?? "nil")
    }

    func testSettingsRefuseValuesOutsideTheirRangeAndLeaveTheStoreUnchanged() throws {
        let store = try openStore()
        XCTAssertThrowsError(try store.write("config") { try store.setWorkflowSetting("compare.max-opinions", to: "1") }) { error in
            XCTAssertTrue("\(error)".contains("a whole number from 2 to 20"), "\(error)")
        }
        XCTAssertThrowsError(try store.write("config") { try store.setWorkflowSetting("compare.colour", to: "red") }) { error in
            XCTAssertTrue("\(error)".contains("compare.max-opinions"), "\(error)")
        }
        XCTAssertThrowsError(try store.write("config") { try store.setWorkflowSetting("status.needed-records", to: "slides") })
        XCTAssertEqual(try store.workflowSettings(), .defaults)
        try store.write("config") { try store.setWorkflowSetting("status.needed-records", to: "pathology-report, lab-result") }
        XCTAssertEqual(try store.workflowSettings().neededRecords, [.pathologyReport, .labResult])
        try store.write("config") { try store.resetWorkflowSetting("status.needed-records") }
        XCTAssertEqual(try store.workflowSettings(), .defaults)
    }

    func testAnAgreementNotStatedIsAdvisedAsATypedStepNamingTheOpinions() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Lumpectomy", stage: "IIA")
        let second = try f.opinion(f.ortiz, on: "2026-11-20", recommendation: "lumpectomy", stage: "IIA")
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.verdict, .allAgree)
        XCTAssertEqual(comparison.nextSteps, [.stateAgreement(opinionIDs: [second.id])])
        XCTAssertFalse(comparison.advice.joined().contains("phr "), "the store spells no command: \(comparison.advice)")
    }

    func testAStoredSettingPhrDoesNotAcceptIsReportedWithItsKey() throws {
        let store = try openStore()
        try store.write("by hand") { try store.database.run("INSERT INTO settings (key, value) VALUES ('compare.max-opinions', 'many')") }
        XCTAssertThrowsError(try store.workflowSettings()) { error in
            guard case StoreError.invalidSetting(key: "compare.max-opinions", accepted: let accepted) = error else {
                return XCTFail("expected invalidSetting, got \(error)")
            }
            XCTAssertEqual(accepted, "a whole number from 2 to 20")
        }
    }

    func testADecisionIsShownAndEndsTheTieBreakerSuggestion() throws {
        let f = try fixture()
        try recentDiagnosis(f)
        try f.opinion(f.first, on: "2026-11-16", recommendation: "Mastectomy")
        let second = try f.opinion(f.ortiz, on: "2026-11-20", recommendation: "Lumpectomy", agreement: .differs)
        try f.store.write("decision add") {
            _ = try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Lumpectomy",
                                                 decidedOn: WorkflowFixture.date("2026-11-24"), opinionIDs: [second.id]))
        }
        let comparison = try f.store.compareOpinions(diagnosisID: f.diagnosis.id, now: WorkflowFixture.now)
        XCTAssertEqual(comparison.decision?.treatment, "Lumpectomy")
        XCTAssertEqual(comparison.decision?.opinionIDs, [second.id])
        XCTAssertFalse(comparison.suggestsTieBreaker)
        XCTAssertEqual(comparison.decision?.decidedOn, WorkflowFixture.date("2026-11-24"))
        XCTAssertFalse(comparison.advice.contains { $0.contains("tie-breaking") })
    }

    func testOpinionsAreComparedInDateOrderWhateverTheOrderGiven() throws {
        let f = try fixture()
        let later = Opinion(diagnosisID: f.diagnosis.id, providerID: f.ortiz.id, givenOn: WorkflowFixture.date("2026-11-20"),
                            conclusion: "B", agreement: .differs)
        var earlier = Opinion(diagnosisID: f.diagnosis.id, providerID: f.first.id, givenOn: WorkflowFixture.date("2026-11-01"),
                              conclusion: "A")
        earlier.id = 2
        let comparison = OpinionComparison(diagnosis: f.diagnosis, opinions: [later, earlier],
                                           providers: [f.first.id: f.first, f.ortiz.id: f.ortiz], now: WorkflowFixture.now)
        XCTAssertEqual(comparison.entries.map(\.providerName), ["Dr. First", "Dr. Ortiz"])
    }
}
