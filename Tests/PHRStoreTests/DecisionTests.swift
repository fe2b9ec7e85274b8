import Foundation
@testable import PHRStore
import XCTest

/// Treatment decisions and the opinions they rest on.
final class DecisionTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    func testADecisionKeepsTheOpinionsItRestsOn() throws {
        let f = try fixture()
        let first = try f.opinion(f.first, on: "2026-10-28")
        let second = try f.opinion(f.ortiz, on: "2026-11-20", agreement: .partly)
        let decision = try f.store.write("decision add") {
            try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Lumpectomy and radiotherapy",
                                             decidedOn: WorkflowFixture.date("2026-11-24"),
                                             opinionIDs: [second.id, first.id, second.id], notes: "after talking to both"))
        }
        XCTAssertEqual(decision.opinionIDs, [first.id, second.id])
        XCTAssertEqual(try f.store.decisions(diagnosisID: f.diagnosis.id), [decision])
        XCTAssertEqual(try f.store.decisions(patientID: f.patient.id), [decision])
    }

    func testADecisionCannotRestOnAnOpinionAboutAnotherDiagnosis() throws {
        let f = try fixture()
        let other = try f.store.write("add") {
            try f.store.addDiagnosis(Diagnosis(patientID: f.patient.id, description: "Hypertension"))
        }
        let opinion = try f.store.write("add") {
            try f.store.addOpinion(Opinion(diagnosisID: other.id, providerID: f.first.id, givenOn: WorkflowFixture.date("2026-01-01"),
                                           conclusion: "Mild"))
        }
        XCTAssertThrowsError(try f.store.write("decision add") {
            try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Surgery",
                                             decidedOn: WorkflowFixture.date("2026-11-24"), opinionIDs: [opinion.id]))
        }) { XCTAssertEqual("\($0)", "based-on: opinion \(opinion.id) is about another diagnosis than \(f.diagnosis.id)") }
        XCTAssertEqual(try f.store.count("decisions"), 0)
        XCTAssertThrowsError(try f.store.write("decision add") {
            try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: " ", decidedOn: WorkflowFixture.date("2026-11-24")))
        }) { XCTAssertEqual("\($0)", "treatment: must not be empty") }
    }

    func testAnOpinionADecisionRestsOnCannotBeRemoved() throws {
        let f = try fixture()
        let opinion = try f.opinion(f.first, on: "2026-10-28")
        try f.store.write("decision add") {
            _ = try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Surgery",
                                                 decidedOn: WorkflowFixture.date("2026-11-24"), opinionIDs: [opinion.id]))
        }
        XCTAssertThrowsError(try f.store.write("remove") { try f.store.removeOpinion(id: opinion.id) })
        XCTAssertNotNil(try f.store.opinion(id: opinion.id))
    }

    func testRestoringARemovedDecisionBringsItsOpinionLinksBack() throws {
        let f = try fixture()
        let opinion = try f.opinion(f.first, on: "2026-10-28")
        let decision = try f.store.write("decision add") {
            try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Surgery",
                                             decidedOn: WorkflowFixture.date("2026-11-24"), opinionIDs: [opinion.id]))
        }
        try f.store.write("decision remove") { try f.store.removeDecision(id: decision.id) }
        XCTAssertEqual(try f.store.count("decision_opinions"), 0)
        try f.store.write("other") { _ = try f.store.addProvider(Provider(name: "Dr. Later")) }
        try f.store.write("restore") { try f.store.restoreRemoved(table: "decisions", rowID: decision.id) }
        XCTAssertEqual(try f.store.requireDecision(decision.id), decision)
    }
}
