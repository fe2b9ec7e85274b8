import Foundation
@testable import PHRStore
import XCTest

/// The workflow's entities are kept in the history like the others: an undo takes back an add,
/// an edit or a removal of a transfer, question, answer, decision or checklist fact.
final class WorkflowUndoTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    func testUndoTakesBackANewTransfer() throws {
        let f = try fixture()
        let report = try f.record(.pathologyReport, "Pathology report")
        try f.transfer(report, .send, to: f.ortiz, via: .mail)
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try f.store.count("transfers"), 0)
    }

    func testUndoOfATransferEditRestoresTheOldValues() throws {
        let f = try fixture()
        let report = try f.record(.pathologyReport, "Pathology report")
        let send = try f.transfer(report, .send, to: f.ortiz, via: .mail)
        try f.store.write("transfer edit") { () throws -> Void in
            var changed = send
            changed.via = .courier
            changed.reference = "FX-1"
            try f.store.updateTransfer(changed)
        }
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try f.store.requireTransfer(send.id), send)
    }

    func testUndoBringsBackARemovedTransfer() throws {
        let f = try fixture()
        let report = try f.record(.pathologyReport, "Pathology report")
        let send = try f.transfer(report, .send, to: f.ortiz, via: .mail)
        try f.store.write("transfer remove") { try f.store.removeTransfer(id: send.id) }
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try f.store.requireTransfer(send.id), send)
    }

    func testUndoTakesBackAnAnswerAndLeavesTheQuestion() throws {
        let f = try fixture()
        let question = try f.store.write("add") { try f.store.addQuestion(Question(patientID: f.patient.id, text: "Which stage?")) }
        try f.store.write("answer") {
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.first.id, text: "IIA",
                                             answeredOn: WorkflowFixture.date("2026-11-02")))
        }
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertTrue(try f.store.requireQuestion(question.id).isOpen)
    }

    func testUndoOfADecisionRemovesItAndItsLinks() throws {
        let f = try fixture()
        let opinion = try f.opinion(f.first, on: "2026-10-28")
        try f.store.write("decision add") {
            _ = try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Surgery",
                                                 decidedOn: WorkflowFixture.date("2026-11-24"), opinionIDs: [opinion.id]))
        }
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try f.store.count("decisions"), 0)
        XCTAssertEqual(try f.store.count("decision_opinions"), 0)
    }

    func testUndoOfAChecklistFactRestoresThePreviousOne() throws {
        let f = try fixture()
        let appointment = try f.secondOpinionAppointment(daysAhead: 3)
        try f.store.write("set") {
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: f.diagnosis.id,
                                                           treatmentPlannedOn: WorkflowFixture.date("2026-12-10")))
            try f.store.setAppointmentPreparation(AppointmentPreparation(appointmentID: appointment.id, referral: .requested))
        }
        try f.store.write("set") {
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: f.diagnosis.id,
                                                           originalDoctorToldOn: WorkflowFixture.date("2026-11-20"),
                                                           treatmentPlannedOn: WorkflowFixture.date("2026-12-20")))
            try f.store.setAppointmentPreparation(AppointmentPreparation(appointmentID: appointment.id, referral: .received))
        }
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try f.store.diagnosisReview(diagnosisID: f.diagnosis.id),
                       DiagnosisReview(diagnosisID: f.diagnosis.id, treatmentPlannedOn: WorkflowFixture.date("2026-12-10")))
        XCTAssertEqual(try f.store.appointmentPreparation(appointmentID: appointment.id).referral, .requested)
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try f.store.count("diagnosis_reviews"), 0)
        XCTAssertEqual(try f.store.appointmentPreparation(appointmentID: appointment.id).referral, .unknown)
    }

    func testEveryWorkflowTableIsKeptInTheHistory() {
        for table in ["transfers", "questions", "answers", "decisions", "decision_opinions", "diagnosis_reviews",
                      "appointment_preparations"] {
            XCTAssertEqual(SchemaCatalog.table(named: table)?.keepsHistory, true, table)
        }
    }
}
