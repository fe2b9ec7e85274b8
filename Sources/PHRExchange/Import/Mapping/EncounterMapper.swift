import PHRStore

/// Encounter → appointments: `period` (the start, when given; end gives the duration, else `length`),
/// status (finished → completed, cancelled → cancelled, otherwise scheduled), purpose from
/// phr's serviceType code (else consultation), reason, the condition it was for, the first
/// location (else the service provider's name), and the participant practitioner (else the service
/// provider).
///
/// An encounter without a start is kept as an appointment whose time is unknown; one entered in
/// error is not stored (and listed). One whose provider phr cannot find is kept with the
/// placeholder "Unknown provider".
struct EncounterMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        let subject: FHIRReference?
        let providers: [FHIRReference]
        let conditions: [FHIRReference]
        let start: OffsetDateTime?
        let duration: Int?
        let status: Appointment.Status
        let purpose: Appointment.Purpose?
        let reason: String?
        let location: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            let patientID = try references.patient(subject, field: "subject")
            let providerID = try references.firstRow(providers, field: "participant", accepting: [.providers])?.id
            let diagnosisID = try references.firstRow(conditions, field: "reasonReference", accepting: [.diagnoses])?.id
            let chosenProvider = try providerID ?? session.placeholderProvider()
            let store = session.store
            if start == nil { session.report.appointmentsWithoutTime += 1 }
            try session.upsert(
                resource, keys: keys, prior: prior, table: .appointments, references: references,
                load: { try store.appointment(id: $0) },
                create: { uuid in
                    try store.insertAppointment(Appointment(patientID: patientID, providerID: chosenProvider, startsAt: start,
                                                         durationMinutes: duration, location: location,
                                                         purpose: purpose ?? .consultation, reason: reason,
                                                         diagnosisID: diagnosisID, status: status, uuid: uuid))
                },
                merge: { appointment, merge in
                    merge.required(&appointment.patientID, patientID, "patient")
                    merge.required(&appointment.providerID, chosenProvider)
                    merge.optional(&appointment.startsAt, start, "start")
                    merge.required(&appointment.status, status, "status")
                    merge.required(&appointment.purpose, purpose ?? appointment.purpose, "purpose")
                    merge.optional(&appointment.durationMinutes, duration, "duration")
                    merge.optional(&appointment.location, location, "location")
                    merge.optional(&appointment.reason, reason, "reason")
                    merge.optional(&appointment.diagnosisID, diagnosisID)
                },
                save: { try store.updateAppointment($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) { return SkippedResource(reason: "entered in error") }
        let period = try body.object("period")
        let start = try period?.dateTime("start")
        var duration: Int?
        if let start, let end = try period?.dateTime("end") {
            let minutes = Int((end.epochSeconds - start.epochSeconds) / 60)
            duration = minutes > 0 ? minutes : nil
        } else if let length = try body.object("length") {
            duration = try AppointmentTiming.minutes(length)
        }
        let status: Appointment.Status
        switch try body.text("status") {
        case "finished": status = .completed
        case "cancelled": status = .cancelled
        default: status = .scheduled
        }
        let individuals = try body.objects("participant").compactMap { try $0.reference("individual") }
        return Prepared(
            subject: try body.reference("subject"),
            providers: individuals + [try body.reference("serviceProvider")].compactMap { $0 },
            conditions: try body.references("reasonReference") + body.objects("diagnosis").compactMap { try $0.reference("condition") },
            start: start, duration: duration, status: status,
            purpose: try AppointmentTiming.purpose(body.objects("serviceType")),
            reason: try body.objects("reasonCode").lazy.compactMap { try $0.conceptText() }.first,
            // Where: the location's name, else the service provider's (the clinic, as a portal names it).
            location: try body.objects("location").lazy.compactMap { try $0.reference("location")?.display }.first
                ?? body.reference("serviceProvider")?.display)
    }
}

enum AppointmentTiming {
    /// A FHIR `Duration` in whole minutes; `nil` for units that are not time or amounts ≤ 0.
    static func minutes(_ duration: FHIRObject) throws -> Int? {
        guard let value = try duration.number("value"), value > 0 else { return nil }
        let unit = try duration.text("code") ?? duration.text("unit") ?? "min"
        let factor: Double
        switch unit {
        case "min", "minute", "minutes": factor = 1
        case "h", "hour", "hours": factor = 60
        case "s", "second", "seconds": factor = 1.0 / 60
        case "d", "day", "days": factor = 24 * 60
        default: return nil
        }
        let minutes = Int((value * factor).rounded())
        return minutes > 0 ? minutes : nil
    }

    /// phr's purpose from a serviceType coding in phr's own system; `nil` when there is none.
    static func purpose(_ concepts: [FHIRObject]) throws -> Appointment.Purpose? {
        for concept in concepts {
            if let code = try concept.code(in: FHIRVocabulary.appointmentPurposeSystem),
               let purpose = Appointment.Purpose(rawValue: code) {
                return purpose
            }
        }
        return nil
    }
}
