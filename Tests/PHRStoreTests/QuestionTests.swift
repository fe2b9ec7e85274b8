import Foundation
@testable import PHRStore
import XCTest

/// Questions for the doctors and their answers.
final class QuestionTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    func testAQuestionCollectsEachProvidersAnswer() throws {
        let f = try fixture()
        let question = try f.store.write("question add") {
            try f.store.addQuestion(Question(patientID: f.patient.id, text: "  Is breast-conserving surgery possible? ",
                                             diagnosisID: f.diagnosis.id))
        }
        XCTAssertEqual(question.text, "Is breast-conserving surgery possible?")
        XCTAssertTrue(question.isOpen)
        try f.store.write("answer") {
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.ortiz.id, text: "Yes, after chemotherapy",
                                             answeredOn: WorkflowFixture.date("2026-11-20")))
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.first.id, text: "Mastectomy is safer",
                                             answeredOn: WorkflowFixture.date("2026-11-02")))
        }
        let answered = try f.store.requireQuestion(question.id)
        XCTAssertFalse(answered.isOpen)
        XCTAssertEqual(answered.answers.map(\.providerID), [f.first.id, f.ortiz.id])
    }

    func testOpenFilterListsOnlyUnansweredQuestions() throws {
        let f = try fixture()
        let (asked, open) = try f.store.write("add") {
            (try f.store.addQuestion(Question(patientID: f.patient.id, text: "Which stage?")),
             try f.store.addQuestion(Question(patientID: f.patient.id, text: "How long can treatment wait?")))
        }
        try f.store.write("answer") {
            _ = try f.store.addAnswer(Answer(questionID: asked.id, providerID: f.first.id, text: "IIA",
                                             answeredOn: WorkflowFixture.date("2026-11-02")))
        }
        XCTAssertEqual(try f.store.questions(patientID: f.patient.id).map(\.id), [asked.id, open.id])
        XCTAssertEqual(try f.store.questions(patientID: f.patient.id, QuestionFilter(openOnly: true)).map(\.id), [open.id])
    }

    func testAQuestionNeedsTextAndTheSamePatientsAppointment() throws {
        let f = try fixture()
        XCTAssertThrowsError(try f.store.write("add") { try f.store.addQuestion(Question(patientID: f.patient.id, text: "  ")) }) {
            XCTAssertEqual("\($0)", "question: must not be empty")
        }
        let other = try f.store.write("add") { try f.store.addPatient(Patient(name: "Ben Other")) }
        let appointment = try f.secondOpinionAppointment(daysAhead: 3)
        XCTAssertThrowsError(try f.store.write("add") {
            try f.store.addQuestion(Question(patientID: other.id, text: "Why?", appointmentID: appointment.id))
        }) { XCTAssertEqual("\($0)", "appointment: appointment \(appointment.id) belongs to another patient") }
        XCTAssertEqual(try f.store.count("questions"), 0)
    }

    func testAnAnswerNeedsAKnownQuestionAndProvider() throws {
        let f = try fixture()
        XCTAssertThrowsError(try f.store.write("answer") {
            try f.store.addAnswer(Answer(questionID: 42, providerID: f.first.id, text: "Yes", answeredOn: WorkflowFixture.date("2026-11-02")))
        }) { XCTAssertEqual("\($0)", "no question with id 42") }
    }

    func testRemovingAQuestionRemovesItsAnswersAndUndoBringsBothBack() throws {
        let f = try fixture()
        let question = try f.store.write("add") { try f.store.addQuestion(Question(patientID: f.patient.id, text: "Which stage?")) }
        try f.store.write("answer") {
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.first.id, text: "IIA",
                                             answeredOn: WorkflowFixture.date("2026-11-02")))
        }
        let before = try f.store.requireQuestion(question.id)
        try f.store.write("question remove") { try f.store.removeQuestion(id: question.id) }
        XCTAssertEqual(try f.store.count("answers"), 0)
        try f.store.write("undo") { _ = try f.store.undoLastChange() }
        XCTAssertEqual(try f.store.requireQuestion(question.id), before)
    }

    func testRestoringARemovedQuestionBringsItsAnswersBack() throws {
        let f = try fixture()
        let question = try f.store.write("add") { try f.store.addQuestion(Question(patientID: f.patient.id, text: "Which stage?")) }
        try f.store.write("answer") {
            _ = try f.store.addAnswer(Answer(questionID: question.id, providerID: f.first.id, text: "IIA",
                                             answeredOn: WorkflowFixture.date("2026-11-02")))
        }
        try f.store.write("question remove") { try f.store.removeQuestion(id: question.id) }
        try f.store.write("other") { _ = try f.store.addProvider(Provider(name: "Dr. Later")) }
        try f.store.write("restore") { try f.store.restoreRemoved(table: "questions", rowID: question.id) }
        XCTAssertEqual(try f.store.requireQuestion(question.id).answers.map(\.text), ["IIA"])
    }
}
