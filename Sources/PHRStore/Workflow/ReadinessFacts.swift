import Foundation

/// Everything the readiness checklist needs to know about one diagnosis under review.
public struct DiagnosisFacts: Sendable {
    public var diagnosis: Diagnosis
    /// The provider who made the diagnosis: the "original doctor".
    public var originalDoctor: Provider?
    public var review: DiagnosisReview
    public var opinions: [Opinion]
    public var decisions: [Decision]
    /// Questions about the diagnosis or for one of its appointments.
    public var questions: [Question]
    /// Providers by id, for names.
    public var providers: [Int64: Provider]

    public init(diagnosis: Diagnosis, originalDoctor: Provider? = nil, review: DiagnosisReview? = nil,
                opinions: [Opinion] = [], decisions: [Decision] = [], questions: [Question] = [],
                providers: [Int64: Provider] = [:]) {
        self.diagnosis = diagnosis
        self.originalDoctor = originalDoctor
        self.review = review ?? DiagnosisReview(diagnosisID: diagnosis.id)
        self.opinions = opinions
        self.decisions = decisions
        self.questions = questions
        self.providers = providers
    }
}

/// Everything the readiness checklist needs to know about one upcoming appointment.
public struct AppointmentFacts: Sendable {
    public var appointment: Appointment
    public var provider: Provider?
    /// The appointment's provider and the providers at the same place (same organization): a
    /// record received by any of them counts as received.
    public var recipients: Set<Int64>
    public var preparation: AppointmentPreparation
    /// Questions for this appointment, and open questions about its diagnosis.
    public var questions: [Question]
    /// The records the provider may need: those of its diagnosis and those of no diagnosis.
    public var records: [Record]
    /// Each record's transfers (export packets included), by record id.
    public var transfers: [Int64: [Transfer]]
    /// Providers by id, for names.
    public var providers: [Int64: Provider]

    /// The transfers of `record` and of every record with an identical file (same SHA-256): a
    /// file added twice was sent when either copy was.
    public func transfers(ofSameFileAs record: Record) -> [Transfer] {
        guard let sha256 = record.file?.sha256 else { return transfers[record.id] ?? [] }
        return records.filter { $0.file?.sha256 == sha256 }.flatMap { transfers[$0.id] ?? [] }
    }

    /// The lab and tumour-marker results kept in phr (not parts of a panel) that concern the
    /// appointment's diagnosis or none: "recent labs" counts these as well as lab files.
    public var labResults: [ClinicalResult]
    /// For each result a packet for one of `recipients` carried, the day of the first such packet.
    public var resultsSent: [Int64: PartialDate]

    public init(appointment: Appointment, provider: Provider? = nil, recipients: Set<Int64>? = nil,
                preparation: AppointmentPreparation? = nil, questions: [Question] = [], records: [Record] = [],
                transfers: [Int64: [Transfer]] = [:], providers: [Int64: Provider] = [:],
                labResults: [ClinicalResult] = [], resultsSent: [Int64: PartialDate] = [:]) {
        self.labResults = labResults
        self.resultsSent = resultsSent
        self.appointment = appointment
        self.provider = provider
        self.recipients = recipients ?? [appointment.providerID]
        self.preparation = preparation ?? AppointmentPreparation(appointmentID: appointment.id)
        self.questions = questions
        self.records = records
        self.transfers = transfers
        self.providers = providers
    }
}

/// Which diagnoses and appointments `phr status` looks at.
public struct ReadinessScope: Sendable {
    /// Only this diagnosis (reviewed or not) and its upcoming appointments.
    public var diagnosisID: Int64?
    /// Only this appointment.
    public var appointmentID: Int64?

    public init(diagnosisID: Int64? = nil, appointmentID: Int64? = nil) {
        self.diagnosisID = diagnosisID
        self.appointmentID = appointmentID
    }
}

extension HealthStore {
    /// The readiness checklist of a patient: every diagnosis under review (suspected or confirmed,
    /// no treatment decided yet) and every upcoming, scheduled second-opinion appointment; or
    /// just those in `scope`.
    public func readinessChecklist(patientID: Int64, scope: ReadinessScope = ReadinessScope(),
                                   settings: WorkflowSettings? = nil, now: ReferenceTime = ReferenceTime()) throws
        -> ReadinessChecklist
    {
        let settings = try settings ?? workflowSettings()
        let providers = Dictionary(uniqueKeysWithValues: try self.providers().map { ($0.id, $0) })
        let records = try self.records(patientID: patientID)
        let transfers = Dictionary(grouping: try recordMovements(patientID: patientID), by: \.recordID)
        let questions = try self.questions(patientID: patientID)
        let labResults = try results(patientID: patientID, ResultFilter(categories: [.laboratory, .tumourMarker], topLevelOnly: true))
            .filter { $0.status != .enteredInError && $0.status != .cancelled }
        let packets = try sharedPackets(patientID: patientID).filter { !$0.resultIDs.isEmpty }
        // One query for the patient's decisions, not two per diagnosis (which are kept, then theirs).
        let decisionsByDiagnosis = Dictionary(grouping: try decisions(patientID: patientID), by: \.diagnosisID)

        var appointments = try self.appointments(patientID: patientID, AppointmentFilter(from: now.instant, statuses: [.scheduled]))
            .filter { $0.purpose == .secondOpinion }
        var diagnoses: [Diagnosis]
        if let appointmentID = scope.appointmentID {
            let appointment = try requireAppointment(appointmentID)
            guard appointment.patientID == patientID else {
                throw StoreError.invalidField(field: "appointment", reason: "appointment \(appointmentID) belongs to another patient")
            }
            appointments = [appointment]
            diagnoses = []
        } else if let diagnosisID = scope.diagnosisID {
            let diagnosis = try requireDiagnosis(diagnosisID)
            guard diagnosis.patientID == patientID else {
                throw StoreError.invalidField(field: "diagnosis", reason: "diagnosis \(diagnosisID) belongs to another patient")
            }
            diagnoses = [diagnosis]
            appointments = appointments.filter { $0.diagnosisID == diagnosisID }
        } else {
            diagnoses = try medicalDiagnoses(patientID: patientID).filter { diagnosis in
                guard diagnosis.status == .suspected || diagnosis.status == .confirmed else { return false }
                return decisionsByDiagnosis[diagnosis.id] == nil
            }
        }

        let diagnosisFacts = try diagnoses.map { diagnosis in
            let appointmentIDs = Set(appointments.filter { $0.diagnosisID == diagnosis.id }.map(\.id))
            return DiagnosisFacts(
                diagnosis: diagnosis, originalDoctor: diagnosis.providerID.flatMap { providers[$0] },
                review: try diagnosisReview(diagnosisID: diagnosis.id), opinions: try opinions(diagnosisID: diagnosis.id),
                decisions: decisionsByDiagnosis[diagnosis.id] ?? [],
                questions: questions.filter { $0.diagnosisID == diagnosis.id || $0.appointmentID.map(appointmentIDs.contains) == true },
                providers: providers)
        }
        let appointmentFacts = try appointments.map { appointment in
            let recipients = Self.samePlace(as: appointment.providerID, among: providers)
            return AppointmentFacts(
                appointment: appointment, provider: providers[appointment.providerID],
                recipients: recipients,
                preparation: try appointmentPreparation(appointmentID: appointment.id),
                questions: questions.filter {
                    $0.appointmentID == appointment.id
                        || ($0.appointmentID == nil && $0.isOpen && $0.diagnosisID != nil && $0.diagnosisID == appointment.diagnosisID)
                },
                records: records.filter { record in
                    guard let diagnosisID = appointment.diagnosisID else { return true }
                    return record.diagnosisIDs.isEmpty || record.diagnosisIDs.contains(diagnosisID)
                },
                transfers: transfers, providers: providers,
                labResults: labResults.filter { $0.diagnosisID == nil || $0.diagnosisID == appointment.diagnosisID },
                resultsSent: Self.resultsSent(by: packets, to: recipients, timeZone: now.timeZone))
        }
        let physical = records.filter(RecordDelivery.isPhysical).map { record in
            (record, RecordDelivery.location(of: transfers[record.id] ?? [], origin: record.providerID))
        }
        return ReadinessChecklist(diagnoses: diagnosisFacts, appointments: appointmentFacts, physicalItems: physical,
                                  providers: providers, settings: settings, now: now)
    }

    /// The results export packets carried to any of `recipients`, each with the day (in
    /// `timeZone`) of the first packet that did.
    static func resultsSent(by packets: [SharedPacket], to recipients: Set<Int64>, timeZone: TimeZone) -> [Int64: PartialDate] {
        var sent: [Int64: PartialDate] = [:]
        for packet in packets {
            guard let providerID = packet.providerID, recipients.contains(providerID),
                  let exported = try? OffsetDateTime(parsing: packet.exportedAt) else { continue }
            let day = PartialDate(day: exported.instant, in: timeZone)
            for resultID in packet.resultIDs where sent[resultID].map({ day < $0 }) ?? true {
                sent[resultID] = day
            }
        }
        return sent
    }

    /// A provider and the providers at the same place: the same organization (by name, ignoring
    /// case), or the organization itself.
    static func samePlace(as providerID: Int64, among providers: [Int64: Provider]) -> Set<Int64> {
        guard let provider = providers[providerID] else { return [providerID] }
        func key(_ text: String?) -> String? {
            guard let text = text.map({ Field.trimmed($0).lowercased() }), !text.isEmpty else { return nil }
            return text
        }
        // The place a provider belongs to: its organization, or itself when it is one.
        func place(_ p: Provider) -> String? { key(p.organization) ?? (p.kind == .organization ? key(p.name) : nil) }
        var ids: Set<Int64> = [providerID]
        guard let home = place(provider) else { return ids }
        for other in providers.values where place(other) == home || key(other.name) == home {
            ids.insert(other.id)
        }
        return ids
    }

    /// Every movement of a patient's records: the transfers recorded with `phr transfer`, and the
    /// export packets made for a provider (`phr export --for P`), which count as sent to that
    /// provider `via: .packet` on the day of the export.
    ///
    /// A packet carries a record's file only when made with files, and never carries slides or
    /// discs, so those do not count as sent by it. A packet's sends have the negative of the
    /// export's id as their id (no transfer has one), and its document UUID as their UUID.
    public func recordMovements(patientID: Int64, timeZone: TimeZone = .current) throws -> [Transfer] {
        let records = Dictionary(uniqueKeysWithValues: try self.records(patientID: patientID).map { ($0.id, $0) })
        var movements = try transfers(patientID: patientID)
        for packet in try sharedPackets(patientID: patientID) {
            guard let providerID = packet.providerID,
                  let exported = try? OffsetDateTime(parsing: packet.exportedAt) else { continue }
            for recordID in packet.recordIDs {
                guard let record = records[recordID], !RecordDelivery.isPhysical(record),
                      record.file == nil || packet.withFiles else { continue }
                var send = Transfer(recordID: recordID, kind: .send, toProviderID: providerID, via: .packet,
                                    occurredOn: PartialDate(day: exported.instant, in: timeZone),
                                    reference: "export \(packet.id)", uuid: packet.documentUUID)
                send.id = -packet.id
                movements.append(send)
            }
        }
        return movements.sorted { ($0.occurredOn, $0.id) < ($1.occurredOn, $1.id) }
    }
}
