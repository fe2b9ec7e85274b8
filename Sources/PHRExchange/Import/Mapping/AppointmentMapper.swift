import Foundation
import PHRStore

/// Appointment → appointments: start (when given), duration (`minutesDuration`, else end − start),
/// status (fulfilled → completed, cancelled → cancelled, noshow → missed, otherwise scheduled),
/// the participants (the patient, the first practitioner, role or organization phr finds, a
/// location's name), purpose from phr's serviceType code, reason, the condition it is for, and as
/// source notes phr's `source-notes` extension and the comment (less the location and insurance
/// pre-approval phr's export writes there). The patient's notes are never written.
///
/// An appointment without a start is kept with its time unknown; one entered in error is not
/// stored (and listed).
struct AppointmentMapper: ResourceMapper {
    struct Prepared: PreparedResource {
        /// Participant actors that may be the patient or a provider, with the type they name.
        let actors: [(reference: FHIRReference, type: String?)]
        let reasons: [FHIRReference]
        let start: OffsetDateTime?
        let duration: Int?
        let status: Appointment.Status
        let purpose: Appointment.Purpose?
        let reason: String?
        let location: String?
        let comment: AppointmentComment
        let sourceNotes: String?

        func apply(_ resource: IncomingResource, keys: SourceKeys, prior: ImportSource?, session: ImportSession) throws {
            let references = ResourceReferences(resource, keys: keys, session: session)
            var patientID = session.forcedPatientID
            var providerID: Int64?
            for actor in actors {
                let accepting: Set<ImportedTable>
                switch actor.type {
                case "Patient":
                    if session.forcedPatientID != nil { continue }
                    accepting = [.patients]
                case nil:
                    accepting = [.patients, .providers]
                default:
                    accepting = [.providers]
                }
                guard let row = try references.row(actor.reference, field: "participant.actor", accepting: accepting) else {
                    continue
                }
                if row.table == .patients {
                    if patientID == nil { patientID = row.id }
                } else if providerID == nil {
                    providerID = row.id
                }
            }
            guard let patientID else {
                throw ImportError.badData(resource.place, "names no patient phr can find among its participants; "
                                          + "import the Patient too, or pass --patient NAME|ID")
            }
            let diagnosisID = try references.firstRow(reasons, field: "reasonReference", accepting: [.diagnoses])?.id
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
                                                         diagnosisID: diagnosisID, status: status,
                                                         insurance: comment.insurance,
                                                         insuranceReference: comment.insuranceReference,
                                                         sourceNotes: sourceNotes, uuid: uuid))
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
                    merge.optional(&appointment.sourceNotes, sourceNotes, "source notes")
                    merge.optional(&appointment.insurance, comment.insurance, "insurance")
                    merge.optional(&appointment.insuranceReference, comment.insuranceReference, "insurance reference")
                },
                save: { try store.updateAppointment($0) })
        }
    }

    func prepare(_ resource: IncomingResource) throws -> any PreparedResource {
        let body = resource.body
        if try Self.isEnteredInError(resource) { return SkippedResource(reason: "entered in error") }
        let start = try body.dateTime("start")
        var actors: [(FHIRReference, String?)] = []
        var location: String?
        for participant in try body.objects("participant") {
            guard let actor = try participant.reference("actor") else { continue }
            let type = Self.type(of: actor)
            switch type {
            case "Location":
                if location == nil { location = actor.display }
            case "RelatedPerson", "Device", "HealthcareService":
                continue
            default:
                actors.append((actor, type))
            }
        }
        var duration = try body.int("minutesDuration").flatMap { $0 > 0 ? $0 : nil }
        if duration == nil, let start, let end = try body.dateTime("end") {
            let minutes = Int((end.epochSeconds - start.epochSeconds) / 60)
            duration = minutes > 0 ? minutes : nil
        }
        let status: Appointment.Status
        switch try body.text("status") {
        case "fulfilled": status = .completed
        case "cancelled": status = .cancelled
        case "noshow": status = .missed
        default: status = .scheduled
        }
        let comment = try AppointmentComment(body.text("comment"))
        return Prepared(
            actors: actors, reasons: try body.references("reasonReference"), start: start, duration: duration,
            status: status, purpose: try AppointmentTiming.purpose(body.objects("serviceType")),
            reason: try body.objects("reasonCode").lazy.compactMap { try $0.conceptText() }.first ?? body.text("description"),
            location: location ?? comment.location, comment: comment,
            sourceNotes: FHIRObject.notes(try body.extensionValue(FHIRVocabulary.sourceNotesExtension, "valueString"),
                                          adding: comment.otherWords))
    }

    /// The resource type a participant reference names (`Patient/1`, `type`), if it says.
    static func type(of reference: FHIRReference) -> String? {
        if let type = reference.type { return type }
        guard let literal = reference.reference else { return nil }
        if literal.contains("?") { return String(literal.prefix { $0 != "?" }) }
        let parts = SourceKeys.withoutHistory(literal).split(separator: "/")
        return parts.count >= 2 ? String(parts[parts.count - 2]) : nil
    }
}

/// An Appointment.comment read back: phr's export writes the location and the insurance
/// pre-approval there (`Location: Building B. Insurance pre-approval: approved (reference
/// PA-1)`), since FHIR R4's Appointment has no field for either; anything else is what the source
/// said.
struct AppointmentComment {
    var location: String?
    var insurance: Appointment.Insurance?
    var insuranceReference: String?
    /// The rest of the comment.
    var otherWords: String?

    static let locationLabel = "Location: "
    static let insuranceLabel = "Insurance pre-approval: "

    init(_ comment: String?) {
        guard var text = comment else { return }
        if let range = text.range(of: Self.insuranceLabel, options: .backwards),
           range.lowerBound == text.startIndex || text[..<range.lowerBound].hasSuffix(". ") {
            let tail = text[range.upperBound...]
            let word = tail.prefix { $0 != " " }
            if let insurance = Appointment.Insurance(rawValue: String(word)) {
                let rest = tail.dropFirst(word.count)
                if rest.isEmpty {
                    self.insurance = insurance
                } else if rest.hasPrefix(" (reference "), rest.hasSuffix(")") {
                    self.insurance = insurance
                    self.insuranceReference = String(rest.dropFirst(" (reference ".count).dropLast())
                }
            }
            if self.insurance != nil {
                text = String(text[..<range.lowerBound])
                if text.hasSuffix(". ") { text.removeLast(2) }
            }
        }
        if text.hasPrefix(Self.locationLabel), !text.dropFirst(Self.locationLabel.count).isEmpty {
            location = String(text.dropFirst(Self.locationLabel.count))
            text = ""
        }
        otherWords = text.isEmpty ? nil : text
    }
}
