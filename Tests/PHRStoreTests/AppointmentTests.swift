import Foundation
import PHRStore
import XCTest

final class AppointmentTests: TemporaryStoreTestCase {
    func testAddedAppointmentReadsBackWithEveryField() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let added = try store.write("test") {
            let diagnosis = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Melanoma"))
            return try store.addAppointment(Appointment(
                patientID: patient.id, providerID: provider.id, startsAt: try moment("2026-12-03T09:30:00-05:00"),
                durationMinutes: 45, location: "Room 4", purpose: .secondOpinion, reason: "review slides",
                diagnosisID: diagnosis.id, insurance: .pending, insuranceReference: "PA-1", notes: "bring CD"))
        }
        let read = try XCTUnwrap(try store.appointment(id: added.id))
        XCTAssertEqual(read, added)
        XCTAssertEqual(read.startsAt?.description, "2026-12-03T09:30:00-05:00", "the wall clock and offset are kept")
        XCTAssertEqual(read.durationMinutes, 45)
        XCTAssertEqual(read.location, "Room 4")
        XCTAssertEqual(read.purpose, .secondOpinion)
        XCTAssertEqual(read.reason, "review slides")
        XCTAssertEqual(read.status, .scheduled)
        XCTAssertEqual(read.insurance, .pending)
        XCTAssertEqual(read.insuranceReference, "PA-1")
        XCTAssertEqual(read.notes, "bring CD")
        XCTAssertEqual(read.endsAt, read.startsAt?.instant.addingTimeInterval(45 * 60))
        XCTAssertEqual(try store.appointment(uuid: added.uuid), added)
    }

    func testUpdateAndStatusChangeAreStored() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        var appointment = try store.write("test") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: provider.id,
                                                 startsAt: try moment("2026-01-05T10:00Z")))
        }
        appointment.startsAt = try moment("2026-01-06T11:15+02:00")
        appointment.location = "Clinic B"
        let updated = try store.write("test") { try store.updateAppointment(appointment) }
        XCTAssertEqual(updated.startsAt, try moment("2026-01-06T11:15+02:00"))
        XCTAssertEqual(updated.location, "Clinic B")

        let completed = try store.write("test") { try store.setAppointmentStatus(id: appointment.id, .completed) }
        XCTAssertEqual(completed.status, .completed)
        XCTAssertEqual(try store.requireAppointment(appointment.id).status, .completed)
    }

    func testAppointmentIsRemoved() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let appointment = try store.write("test") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: provider.id,
                                                 startsAt: try moment("2026-01-05T10:00Z")))
        }
        try store.write("test") { try store.removeAppointment(id: appointment.id) }
        XCTAssertNil(try store.appointment(id: appointment.id))
        XCTAssertThrowsError(try store.write("test") { try store.removeAppointment(id: appointment.id) }) { error in
            guard case StoreError.notFound(entity: "appointment", _) = error else { return XCTFail("\(error)") }
        }
    }

    func testRemovingAnAppointmentKeepsItsOpinionsWithoutTheLink() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        let (appointment, opinion) = try store.write("test") {
            let diagnosis = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Melanoma"))
            let appointment = try store.addAppointment(Appointment(
                patientID: patient.id, providerID: provider.id, startsAt: try moment("2026-01-05T10:00Z")))
            let opinion = try store.addOpinion(Opinion(diagnosisID: diagnosis.id, providerID: provider.id,
                                                       appointmentID: appointment.id, givenOn: try day("2026-01-05"),
                                                       conclusion: "Stage IIA"))
            return (appointment, opinion)
        }
        try store.write("test") { try store.removeAppointment(id: appointment.id) }
        let kept = try XCTUnwrap(try store.opinion(id: opinion.id))
        XCTAssertNil(kept.appointmentID)
        XCTAssertEqual(kept.conclusion, "Stage IIA")
    }

    func testNonPositiveDurationIsRefused() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        for minutes in [0, -30] {
            XCTAssertThrowsError(try store.write("test") {
                try store.addAppointment(Appointment(patientID: patient.id, providerID: provider.id,
                                                     startsAt: try moment("2026-01-05T10:00Z"), durationMinutes: minutes))
            }) { error in
                guard case StoreError.invalidField(field: "duration", _) = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(try store.count("appointments"), 0)
    }

    func testUnknownProviderOrDiagnosisIsNotFound() throws {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        XCTAssertThrowsError(try store.write("test") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: 404,
                                                 startsAt: try moment("2026-01-05T10:00Z")))
        }) { error in
            guard case StoreError.notFound(entity: "provider", id: 404) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try store.write("test") {
            try store.addAppointment(Appointment(patientID: patient.id, providerID: provider.id,
                                                 startsAt: try moment("2026-01-05T10:00Z"), diagnosisID: 404))
        }) { error in
            guard case StoreError.notFound(entity: "diagnosis", id: 404) = error else { return XCTFail("\(error)") }
        }
    }

    // MARK: Listing

    private struct Schedule {
        let store: HealthStore
        let patientID: Int64
        let otherProviderID: Int64
        let diagnosisID: Int64
    }

    /// Four appointments of one patient (and one of another patient), each named by its `reason`.
    private func makeSchedule() throws -> Schedule {
        let store = try openStore()
        let (patient, provider) = try store.addPatientAndProvider()
        return try store.write("test") {
            let other = try store.addProvider(Provider(name: "Dr. Second"))
            let stranger = try store.addPatient(Patient(name: "Someone else"))
            let diagnosis = try store.addDiagnosis(Diagnosis(patientID: patient.id, description: "Melanoma"))
            func add(_ reason: String, _ time: String, provider: Int64, patient: Int64, diagnosis: Int64? = nil,
                     status: Appointment.Status = .scheduled) throws {
                try store.addAppointment(Appointment(patientID: patient, providerID: provider,
                                                     startsAt: try moment(time), reason: reason,
                                                     diagnosisID: diagnosis, status: status))
            }
            // Added out of order; "tokyo" reads earliest on the wall clock but is 2026-03-01T23:00Z.
            try add("march", "2026-03-10T09:00-05:00", provider: other.id, patient: patient.id, diagnosis: diagnosis.id)
            try add("january", "2026-01-10T09:00Z", provider: provider.id, patient: patient.id, status: .completed)
            try add("tokyo", "2026-03-02T08:00+09:00", provider: provider.id, patient: patient.id, diagnosis: diagnosis.id)
            try add("february", "2026-02-10T09:00+01:00", provider: other.id, patient: patient.id, status: .cancelled)
            try add("stranger", "2026-02-11T09:00Z", provider: provider.id, patient: stranger.id)
            return Schedule(store: store, patientID: patient.id, otherProviderID: other.id, diagnosisID: diagnosis.id)
        }
    }

    private func reasons(_ schedule: Schedule, _ filter: AppointmentFilter = AppointmentFilter()) throws -> [String] {
        try schedule.store.appointments(patientID: schedule.patientID, filter).map { $0.reason ?? "?" }
    }

    func testAppointmentsAreInInstantOrderAcrossOffsets() throws {
        let schedule = try makeSchedule()
        XCTAssertEqual(try reasons(schedule), ["january", "february", "tokyo", "march"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(newestFirst: true)), ["march", "tokyo", "february", "january"])
    }

    func testAppointmentsFilterByTimeWindow() throws {
        let schedule = try makeSchedule()
        let from = try moment("2026-02-10T08:00Z").instant  // february starts exactly then
        let before = try moment("2026-03-01T23:00Z").instant  // tokyo starts exactly then: excluded
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(from: from, before: before)), ["february"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(from: from)), ["february", "tokyo", "march"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(before: before.addingTimeInterval(1))),
                       ["january", "february", "tokyo"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(from: from.addingTimeInterval(0.5))), ["tokyo", "march"])
    }

    func testAppointmentsFilterByProviderDiagnosisAndStatus() throws {
        let schedule = try makeSchedule()
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(providerID: schedule.otherProviderID)), ["february", "march"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(diagnosisID: schedule.diagnosisID)), ["tokyo", "march"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(statuses: [.scheduled])), ["tokyo", "march"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(statuses: [.completed, .cancelled])), ["january", "february"])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(statuses: [])), [])
        XCTAssertEqual(try reasons(schedule, AppointmentFilter(providerID: schedule.otherProviderID,
                                                               diagnosisID: schedule.diagnosisID)), ["march"])
    }
}
