import Foundation
@testable import PHRStore
import XCTest

/// `ReadinessChecklist`: each item done and not done, the plain-words warnings, and which
/// diagnoses and appointments it covers.
final class ReadinessChecklistTests: TemporaryStoreTestCase {
    private func fixture() throws -> WorkflowFixture { try WorkflowFixture(store: openStore()) }

    /// Only the pathology report is needed, so other record kinds do not get in the way.
    private let reportOnly = WorkflowSettings(maxOpinions: 3, delayWeeks: 4, recentLabDays: 90, warnDays: 14,
                                              neededRecords: [.pathologyReport])

    // MARK: Diagnosis items

    func testOriginalDoctorToldIsMissingUntilRecorded() throws {
        let f = try fixture()
        XCTAssertEqual(try f.checklist().item("original-doctor-told")?.state, .missing)
        XCTAssertTrue(try f.checklist().item("original-doctor-told")?.detail.contains("tell Dr. First") == true)
        _ = try f.store.write("review") {
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: f.diagnosis.id,
                                                           originalDoctorToldOn: WorkflowFixture.date("2026-11-02")))
        }
        let item = try XCTUnwrap(f.checklist().item("original-doctor-told"))
        XCTAssertEqual(item.state, .done)
        XCTAssertEqual(item.detail, "told Dr. First on 2026-11-02")
    }

    func testSecondOpinionIsMissingUntilBookedOrGiven() throws {
        let f = try fixture()
        try f.opinion(f.first, on: "2026-10-28")
        XCTAssertEqual(try f.checklist().item("second-opinion")?.state, .missing)
        try f.secondOpinionAppointment(daysAhead: 8)
        XCTAssertEqual(try f.checklist().item("second-opinion")?.state, .done)
    }

    func testDaysSinceDiagnosisAndPlannedTreatmentStartAreReported() throws {
        let f = try fixture()
        XCTAssertEqual(try f.checklist().item("days-since-diagnosis")?.detail, "28 (diagnosed 2026-10-28)")
        XCTAssertEqual(try f.checklist().item("treatment-start")?.detail, "not planned yet")
        _ = try f.store.write("review") {
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: f.diagnosis.id,
                                                           treatmentPlannedOn: WorkflowFixture.date("2026-12-10")))
        }
        XCTAssertEqual(try f.checklist().item("treatment-start")?.detail, "planned for 2026-12-10 (in 15 days)")
    }

    func testTreatmentPlannedBeforeTheSecondOpinionIsAWarning() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 10)
        _ = try f.store.write("review") {
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: f.diagnosis.id,
                                                           treatmentPlannedOn: WorkflowFixture.date("2026-12-01")))
        }
        let warnings = try f.checklist().warnings
        XCTAssertTrue(warnings.contains {
            $0.hasPrefix("treatment is planned to start on 2026-12-01, before the second-opinion appointment on 2026-12-05")
        }, "\(warnings)")
    }

    func testWeeksWithoutTreatmentAreAWarning() throws {
        let f = try fixture()
        XCTAssertTrue(try f.checklist().warnings.contains(
            "4 weeks since the diagnosis and treatment has not started: more opinions cost time"))
    }

    // MARK: Appointment items

    func testInsuranceItemFollowsThePreApproval() throws {
        let f = try fixture()
        let appointment = try f.secondOpinionAppointment(daysAhead: 3)
        let expected: [(Appointment.Insurance?, ChecklistItem.State, String)] = [
            (nil, .missing, "unknown: call your insurer before the appointment"),
            (.pending, .pending, "pending"),
            (.denied, .missing, "denied: call your insurer about an appeal or another provider"),
            (.approved, .done, "approved"),
            (.notNeeded, .done, "not needed"),
        ]
        for (insurance, state, detail) in expected {
            try f.store.write("edit") { () throws -> Void in
                var changed = try f.store.requireAppointment(appointment.id)
                changed.insurance = insurance
                try f.store.updateAppointment(changed)
            }
            let item = try XCTUnwrap(f.checklist().item("insurance"))
            XCTAssertEqual(item.state, state, "\(String(describing: insurance))")
            XCTAssertEqual(item.detail, detail)
        }
    }

    func testReferralItemFollowsThePreparation() throws {
        let f = try fixture()
        let appointment = try f.secondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(try f.checklist().item("referral")?.state, .missing)
        let expected: [(AppointmentPreparation.Referral, ChecklistItem.State)] = [
            (.needed, .missing), (.requested, .pending), (.received, .done), (.notNeeded, .done),
        ]
        for (referral, state) in expected {
            _ = try f.store.write("prepare") {
                try f.store.setAppointmentPreparation(AppointmentPreparation(appointmentID: appointment.id, referral: referral))
            }
            XCTAssertEqual(try f.checklist().item("referral")?.state, state, referral.rawValue)
        }
    }

    func testQuestionsPreparedIsDoneOnceAQuestionIsWrittenForTheAppointment() throws {
        let f = try fixture()
        let appointment = try f.secondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(try f.checklist().item("questions")?.state, .info)  // the diagnosis's count comes first
        let appointmentItem = { try f.checklist().sections[1].items.first { $0.key == "questions" } }
        XCTAssertEqual(try appointmentItem()?.state, .missing)
        try f.store.write("question add") {
            _ = try f.store.addQuestion(Question(patientID: f.patient.id, text: "Do I need a sentinel node biopsy?",
                                                 appointmentID: appointment.id))
        }
        XCTAssertEqual(try appointmentItem()?.state, .done)
        XCTAssertEqual(try appointmentItem()?.detail, "1 question")
    }

    func testDaysUntilTheAppointmentAreReported() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        XCTAssertEqual(try f.checklist().item("days-until-appointment")?.detail, "3 (2026-11-28 09:30)")
        XCTAssertTrue(try f.checklist().sections[1].title.hasSuffix("(in 3 days)"))
    }

    // MARK: Records the new provider has not received

    func testARecordKindWithNoRecordIsMissing() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        let item = try XCTUnwrap(f.checklist().item("records.pathology-slides"))
        XCTAssertEqual(item.state, .missing)
        XCTAssertEqual(item.detail, "none recorded")
        XCTAssertTrue(try f.checklist().warnings.contains("appointment in 3 days and no pathology slides are recorded"))
    }

    func testSlidesNotSentGiveThePlainWarning() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        try f.record(.pathologySlides, "Core biopsy slides", from: f.lab)
        let item = try XCTUnwrap(f.checklist().item("records.pathology-slides"))
        XCTAssertEqual(item.state, .missing)
        XCTAssertEqual(item.detail, "not sent to Dr. Ortiz: 'Core biopsy slides'")
        XCTAssertTrue(try f.checklist().warnings.contains("appointment in 3 days and the pathology slides have not been sent"))
    }

    func testRequestedAndCourierSentSlidesArePendingAndReceivedSlidesAreDone() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        let slides = try f.record(.pathologySlides, "Core biopsy slides", from: f.lab)
        try f.transfer(slides, .request, from: f.lab, to: f.ortiz, on: "2026-11-18")
        XCTAssertEqual(try f.checklist().item("records.pathology-slides")?.state, .pending)
        XCTAssertTrue(try f.checklist().item("records.pathology-slides")?.detail.contains("requested from City Lab") == true)

        try f.transfer(slides, .send, from: f.lab, to: f.ortiz, via: .courier, on: "2026-11-20")
        XCTAssertEqual(try f.checklist().item("records.pathology-slides")?.state, .pending)
        XCTAssertTrue(try f.checklist().warnings.contains(
            "appointment in 3 days and the pathology slides have not been confirmed as received"))

        // Received by the Cancer Centre's pathology department: the same place as Dr. Ortiz.
        try f.transfer(slides, .receive, from: f.lab, to: f.centrePathology, on: "2026-11-22")
        let item = try XCTUnwrap(f.checklist().item("records.pathology-slides"))
        XCTAssertEqual(item.state, .done)
        XCTAssertEqual(item.detail, "'Core biopsy slides' received 2026-11-22")
    }

    func testAFileSentThroughThePortalCountsAsReceived() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        let report = try f.record(.pathologyReport, "Pathology report")
        try f.transfer(report, .send, to: f.ortiz, via: .portal)
        let item = try XCTUnwrap(f.checklist().item("records.pathology-report"))
        XCTAssertEqual(item.state, .done)
        XCTAssertEqual(item.detail, "'Pathology report' sent through the portal 2026-11-20")
    }

    func testAnExportPacketForTheProviderCountsAsSentButNotForSlides() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        let report = try f.store.write("add") { () throws -> Record in
            let source = path(of: "report.txt")
            try Data("Pathology".utf8).write(to: URL(fileURLWithPath: source))
            return try f.store.addRecord(Record(patientID: f.patient.id, kind: .pathologyReport, title: "Pathology report",
                                                diagnosisIDs: [f.diagnosis.id]), file: RecordFileSource(path: source))
        }
        let slides = try f.record(.pathologySlides, "Core biopsy slides", from: f.lab)
        func log(withFiles: Bool) throws {
            try f.store.write("export") {
                _ = try f.store.logSharedPacket(SharedPacket(
                    documentUUID: UUID().uuidString.lowercased(), patientID: f.patient.id, providerID: f.ortiz.id,
                    recipientName: f.ortiz.name, destination: "/tmp/packet", format: .folder, withFiles: withFiles,
                    scope: "everything", byteCount: 1, recordIDs: [report.id, slides.id]))
            }
        }
        try log(withFiles: false)
        XCTAssertEqual(try f.checklist().item("records.pathology-report")?.state, .missing, "a packet without files")
        try log(withFiles: true)
        let item = try XCTUnwrap(f.checklist().item("records.pathology-report"))
        XCTAssertEqual(item.state, .done)
        XCTAssertTrue(item.detail.contains("sent in an export packet"), item.detail)
        XCTAssertEqual(try f.checklist().item("records.pathology-slides")?.state, .missing, "slides do not travel in a packet")
        let movements = try f.store.recordMovements(patientID: f.patient.id)
        XCTAssertEqual(movements.map(\.via), [.packet])
        XCTAssertEqual(RecordDelivery.waiting(movements), [])
        let packets = try f.store.timeline(patientID: f.patient.id).entries.filter { $0.kind == .packet }
        XCTAssertEqual(packets.map(\.summary), ["Export packet for Dr. Ortiz (2 records, without files)",
                                                "Export packet for Dr. Ortiz (2 records)"])
    }

    func testSendingToAnotherProviderDoesNotCount() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        let report = try f.record(.pathologyReport, "Pathology report")
        try f.transfer(report, .send, to: f.lab, via: .portal)
        XCTAssertEqual(try f.checklist().item("records.pathology-report")?.state, .missing)
    }

    func testOnlyRecentLabsCount() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        let old = try f.record(.labResult, "Blood count", on: "2026-05-01")
        try f.transfer(old, .send, to: f.ortiz, via: .portal)
        let item = try XCTUnwrap(f.checklist().item("records.lab-result"))
        XCTAssertEqual(item.state, .missing)
        XCTAssertEqual(item.detail, "none from the last 90 days recorded")
        try f.record(.labResult, "Blood count", on: "2026-11-10")
        XCTAssertEqual(try f.checklist().item("records.lab-result")?.state, .missing)
        XCTAssertTrue(try f.checklist().item("records.lab-result")?.detail.hasPrefix("not sent") == true)
    }

    /// Lab results kept in phr count as recent labs: missing (next: a packet for the provider)
    /// until a packet for that provider carried every recent one; a packet for someone else, or
    /// one made before a result was added, does not count.
    func testRecentLabResultsCountUntilAPacketForTheProviderCarriesThem() throws {
        let f = try fixture()
        let appointment = try f.secondOpinionAppointment(daysAhead: 3)
        func addResult(_ name: String, on date: String) throws -> ClinicalResult {
            try f.store.write("result add") {
                try f.store.addResult(ClinicalResult(patientID: f.patient.id, name: name,
                                                     value: .quantity(12.1, unit: "g/dL", comparator: nil),
                                                     observedAt: .date(WorkflowFixture.date(date))))
            }
        }
        func logPacket(for provider: Provider, carrying results: [ClinicalResult]) throws {
            try f.store.write("export") {
                _ = try f.store.logSharedPacket(SharedPacket(
                    documentUUID: HealthStore.newUUID(), patientID: f.patient.id, providerID: provider.id,
                    recipientName: provider.name, destination: "/tmp/packet", format: .folder, withFiles: true,
                    scope: "all diagnoses", byteCount: 1, recordIDs: [], resultIDs: results.map(\.id)))
            }
        }
        XCTAssertEqual(try f.checklist().item("records.lab-result")?.detail, "none from the last 90 days recorded")

        let hemoglobin = try addResult("Hemoglobin", on: "2026-11-20")
        let missing = try XCTUnwrap(f.checklist().item("records.lab-result"))
        XCTAssertEqual(missing.state, .missing)
        XCTAssertEqual(missing.detail, "1 result from the last 90 days kept in phr, not sent to Dr. Ortiz; "
                       + "a packet exported for Dr. Ortiz carries them")
        XCTAssertEqual(missing.next, .exportPacket(providerID: appointment.providerID))

        try logPacket(for: f.first, carrying: [hemoglobin])
        XCTAssertEqual(try f.checklist().item("records.lab-result")?.state, .missing, "sent to another doctor")

        try logPacket(for: f.ortiz, carrying: [hemoglobin])
        let done = try XCTUnwrap(f.checklist().item("records.lab-result"))
        XCTAssertEqual(done.state, .done)
        XCTAssertTrue(done.detail.hasPrefix("1 result from the last 90 days sent to Dr. Ortiz in a packet ("), done.detail)

        _ = try addResult("Platelets", on: "2026-11-21")
        let partly = try XCTUnwrap(f.checklist().item("records.lab-result"))
        XCTAssertEqual(partly.state, .missing, "the packet did not carry the result added after it")
        XCTAssertTrue(partly.detail.hasPrefix("1 of the 2 results from the last 90 days kept in phr, not sent"), partly.detail)
    }

    func testResultsSentAreDatedByTheFirstPacketForTheProviderInTheLocalDay() throws {
        func packet(_ providerID: Int64, at exportedAt: String, _ resultIDs: [Int64]) -> SharedPacket {
            var packet = SharedPacket(documentUUID: HealthStore.newUUID(), patientID: 1, providerID: providerID,
                                      recipientName: "P", destination: "/tmp/p", format: .folder, withFiles: true,
                                      scope: "", byteCount: 0, recordIDs: [], resultIDs: resultIDs)
            packet.exportedAt = exportedAt
            return packet
        }
        let newYork = try XCTUnwrap(TimeZone(identifier: "America/New_York"))
        let sent = HealthStore.resultsSent(by: [packet(7, at: "2026-11-21T03:00:00.000Z", [1, 2]),
                                                packet(7, at: "2026-11-25T12:00:00.000Z", [2, 3]),
                                                packet(8, at: "2026-11-01T12:00:00.000Z", [4])],
                                           to: [7], timeZone: newYork)
        XCTAssertEqual(sent, [1: WorkflowFixture.date("2026-11-20"), 2: WorkflowFixture.date("2026-11-20"),
                              3: WorkflowFixture.date("2026-11-25")],
                       "03:00 UTC is the evening before in New York; result 4 went to someone else")
    }

    func testRecordsOfAnotherDiagnosisAreNotAskedFor() throws {
        let f = try fixture()
        try f.secondOpinionAppointment(daysAhead: 3)
        let other = try f.store.write("add") {
            try f.store.addDiagnosis(Diagnosis(patientID: f.patient.id, description: "Hypertension"))
        }
        try f.store.write("add") {
            _ = try f.store.addRecord(Record(patientID: f.patient.id, kind: .pathologyReport, title: "Unrelated",
                                             diagnosisIDs: [other.id]))
        }
        XCTAssertEqual(try f.checklist().item("records.pathology-report")?.detail, "none recorded")
    }

    // MARK: The whole checklist

    func testEverythingDoneMakesTheChecklistComplete() throws {
        let f = try fixture()
        try f.store.write("edit") { () throws -> Void in
            var diagnosis = f.diagnosis
            diagnosis.diagnosedOn = WorkflowFixture.date("2026-11-20")
            try f.store.updateDiagnosis(diagnosis)
        }
        let appointment = try f.secondOpinionAppointment(daysAhead: 3, insurance: .approved)
        try f.store.write("facts") { () throws -> Void in
            try f.store.setDiagnosisReview(DiagnosisReview(diagnosisID: f.diagnosis.id,
                                                           originalDoctorToldOn: WorkflowFixture.date("2026-11-21")))
            try f.store.setAppointmentPreparation(AppointmentPreparation(appointmentID: appointment.id, referral: .notNeeded))
            _ = try f.store.addQuestion(Question(patientID: f.patient.id, text: "Is surgery first right?",
                                                 appointmentID: appointment.id))
        }
        let report = try f.record(.pathologyReport, "Pathology report")
        XCTAssertFalse(try f.checklist(settings: reportOnly).isComplete)
        try f.transfer(report, .send, to: f.ortiz, via: .inPerson)
        let checklist = try f.checklist(settings: reportOnly)
        XCTAssertTrue(checklist.isComplete, "\(checklist.sections.flatMap(\.items).filter { $0.state != .done && $0.state != .info })")
        XCTAssertEqual(checklist.warnings, [])
    }

    func testFarAwayAppointmentsListItemsWithoutWarnings() throws {
        let f = try fixture()
        try f.store.write("edit") { () throws -> Void in
            var diagnosis = f.diagnosis
            diagnosis.diagnosedOn = WorkflowFixture.date("2026-11-20")
            try f.store.updateDiagnosis(diagnosis)
        }
        try f.secondOpinionAppointment(daysAhead: 30)
        let checklist = try f.checklist(settings: reportOnly)
        XCTAssertFalse(checklist.isComplete)
        XCTAssertEqual(checklist.warnings, [])
    }

    func testADecidedDiagnosisIsNoLongerUnderReviewUnlessAskedFor() throws {
        let f = try fixture()
        try f.store.write("decide") {
            _ = try f.store.addDecision(Decision(diagnosisID: f.diagnosis.id, treatment: "Surgery",
                                                 decidedOn: WorkflowFixture.date("2026-11-24")))
        }
        XCTAssertEqual(try f.checklist().sections, [])
        XCTAssertEqual(try f.checklist(scope: ReadinessScope(diagnosisID: f.diagnosis.id)).sections.count, 1)
    }

    func testPastAndCancelledAppointmentsAreLeftOut() throws {
        let f = try fixture()
        let appointment = try f.secondOpinionAppointment(daysAhead: 3)
        try f.secondOpinionAppointment(daysAhead: -2)
        try f.store.write("cancel") { _ = try f.store.setAppointmentStatus(id: appointment.id, .cancelled) }
        XCTAssertEqual(try f.checklist().sections.count, 1)  // just the diagnosis
    }

    func testOverdueSlidesAreAGeneralWarning() throws {
        let f = try fixture()
        let slides = try f.record(.pathologySlides, "Core biopsy slides", from: f.lab)
        try f.transfer(slides, .send, from: f.lab, to: f.ortiz, via: .courier, on: "2026-11-01", dueBack: "2026-11-20")
        let warnings = try f.checklist().generalWarnings
        XCTAssertEqual(warnings, ["'Core biopsy slides' (record \(slides.id)) was due back with City Lab on 2026-11-20 and is still with Dr. Ortiz"])
    }
}
