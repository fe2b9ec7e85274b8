import Foundation

/// One event of the timeline.
public struct TimelineEntry: Sendable, Hashable {
    /// What happened. The order of the cases is the order of events on the same day:
    /// tests and procedures come before their reports; records are gathered and sent and
    /// questions written before an appointment; the opinion and answers come at it; the decision
    /// and the medications it starts after.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case diagnosis, allergy
        case familyHistory = "family-history"
        case immunization, procedure, result, record, transfer, packet
        /// The day the patient told the original doctor about the second opinion.
        case toldDoctor = "told-doctor"
        case question, appointment, opinion, answer, decision, medication
    }

    public let date: PartialDate
    /// Local wall-clock time `HH:MM`, for appointments.
    public let time: String?
    public let kind: Kind
    /// The id of the diagnosis, record, … (for an answer: the answer's id).
    public let itemID: Int64
    /// What happened, in one line.
    public let summary: String
    /// The provider involved, by name.
    public let provider: String?

    public init(date: PartialDate, time: String? = nil, kind: Kind, itemID: Int64, summary: String, provider: String? = nil) {
        self.date = date
        self.time = time
        self.kind = kind
        self.itemID = itemID
        self.summary = summary
        self.provider = provider
    }
}

/// One chronological view of a patient's diagnoses (social findings left out), appointments,
/// opinions, transfers (export packets included), records, questions, answers, decisions,
/// results, procedures, medications (started and ended), immunizations, allergies and family
/// history (on the day it was recorded).
///
/// Guarantees the order: by date (a date known only to the month or year comes before the days
/// within it), then kind (`TimelineEntry.Kind`'s order: an opinion given at an appointment comes
/// after it), then time of day, then id.
public struct Timeline: Sendable, Hashable {
    public let entries: [TimelineEntry]

    public init(_ entries: [TimelineEntry]) {
        // The entries' order keys, sorted in place of the entries (which are copied once, at the
        // end, not at every move of the sort). The comparison is the entries' own, so the stable
        // sort puts them in the same order.
        let keys = entries.indices.map { SortKey(entries[$0], at: $0) }
        let sorted = keys.sorted { a, b in
            if a.day != b.day { return a.day < b.day }
            if a.kindRank != b.kindRank { return a.kindRank < b.kindRank }
            if a.timed || b.timed {
                let (x, y) = (entries[a.index].time, entries[b.index].time)
                if x != y { return (x ?? "") < (y ?? "") }
            }
            return a.itemID < b.itemID
        }
        self.entries = sorted.map { entries[$0.index] }
    }

    /// What the order compares, but for the time of day, which is read from the entry when one
    /// of the two has it.
    private struct SortKey {
        /// The date as a number that orders as `PartialDate` does (a missing month or day is 0,
        /// before any real one).
        let day: Int
        /// The kind's place in `TimelineEntry.Kind.allCases`.
        let kindRank: Int
        let timed: Bool
        let itemID: Int64
        /// The entry's place in the unsorted entries.
        let index: Int

        init(_ entry: TimelineEntry, at index: Int) {
            day = entry.date.year * 10_000 + (entry.date.month ?? 0) * 100 + (entry.date.day ?? 0)
            kindRank = Self.ranks[entry.kind] ?? 0
            timed = entry.time != nil
            itemID = entry.itemID
            self.index = index
        }

        private static let ranks = Dictionary(uniqueKeysWithValues: TimelineEntry.Kind.allCases.enumerated().map { ($1, $0) })
    }
}

extension HealthStore {
    /// A patient's timeline; with `diagnosisID`, only what concerns that diagnosis (its
    /// appointments, opinions, linked records and their transfers, questions and decisions); with
    /// `since`, only events on or after that date. Undated records are left out.
    ///
    /// With `since`, results, procedures, medications and immunizations are read from the
    /// since-date (`DayRange`: a date known to its month or year that reaches it is read too), and
    /// appointments, records and diagnoses from the start of its year, through their
    /// patient-and-date indexes where they have one, so a long history costs little before it;
    /// older diagnoses told about or decided on since, the parts of the panels shown and a
    /// transferred record's title are looked up by id. The exact cut (`PartialDate.reaches`) is
    /// made at the end; the many (results, appointments, records, procedures, medications,
    /// immunizations) are cut before their summaries are written, as well.
    public func timeline(patientID: Int64, diagnosisID: Int64? = nil, since: PartialDate? = nil,
                         timeZone: TimeZone = .current) throws -> Timeline {
        let sinceYear = try since.map { try PartialDate(year: $0.year) }
        let providers = Dictionary(uniqueKeysWithValues: try self.providers().map { ($0.id, $0) })
        func name(_ id: Int64?) -> String? { id.map { providers[$0]?.name ?? "provider \($0)" } }
        func concerns(_ id: Int64?) -> Bool { diagnosisID == nil || id == diagnosisID }
        func shown(_ date: PartialDate) -> Bool { since.map(date.reaches) ?? true }

        var entries: [TimelineEntry] = []
        // One query each for the patient's reviews and decisions, not two per diagnosis.
        let reviews = try diagnosisReviews(patientID: patientID)
        let decisions = Dictionary(grouping: try self.decisions(patientID: patientID), by: \.diagnosisID)
        var diagnoses = try self.medicalDiagnoses(patientID: patientID, since: sinceYear)
        if sinceYear != nil {
            // An older diagnosis may have been told about or decided on since.
            let dated = Set(diagnoses.map(\.id))
            diagnoses += try self.diagnoses(ids: Set(reviews.keys).union(decisions.keys).subtracting(dated))
                .values.filter { $0.kind.isMedical && $0.patientID == patientID }
        }
        for diagnosis in diagnoses where concerns(diagnosis.id) {
            if let date = diagnosis.diagnosedOn {
                var text = "Diagnosed: \(diagnosis.description)"
                if let code = diagnosis.code { text += " (\(code))" }
                if let stage = diagnosis.stage { text += ", stage \(stage)" }
                if diagnosis.status == .refuted { text += " [refuted]" }
                entries.append(TimelineEntry(date: date, kind: .diagnosis, itemID: diagnosis.id, summary: text,
                                             provider: name(diagnosis.providerID)))
            }
            if let told = reviews[diagnosis.id]?.originalDoctorToldOn {
                let doctor = name(diagnosis.providerID)
                entries.append(TimelineEntry(date: told, kind: .toldDoctor, itemID: diagnosis.id,
                                             summary: "Told \(doctor ?? "the original doctor") about the second opinion on \(diagnosis.description)",
                                             provider: doctor))
            }
            for decision in decisions[diagnosis.id] ?? [] {
                var text = "Decision: \(decision.treatment)"
                let basis = decision.opinionIDs.compactMap { try? opinion(id: $0) }.compactMap { name($0.providerID) }.uniqued()
                if !basis.isEmpty { text += " (based on the opinions of \(Wording.list(basis)))" }
                entries.append(TimelineEntry(date: decision.decidedOn, kind: .decision, itemID: decision.id, summary: text))
            }
        }

        let appointments = try self.appointments(patientID: patientID, AppointmentFilter(from: sinceYear.map(Self.dayBefore)))
        for appointment in appointments where concerns(appointment.diagnosisID) {
            // A timeline is dated: an appointment whose time is unknown has no place on it.
            guard let start = appointment.startsAt, shown(start.date) else { continue }
            let purpose = appointment.purpose.rawValue.replacingOccurrences(of: "-", with: " ")
            var text = "\(purpose.prefix(1).uppercased())\(purpose.dropFirst()) appointment with \(name(appointment.providerID) ?? "?")"
            if let location = appointment.location { text += " at \(location)" }
            text += " (\(appointment.status.rawValue))"
            switch appointment.insurance {
            case .approved?, .denied?, .pending?:
                text += "; insurance \(appointment.insurance?.rawValue ?? "")"
                    + (appointment.insuranceReference.map { " (\($0))" } ?? "")
            case .notNeeded?, nil:
                break
            }
            entries.append(TimelineEntry(date: start.date, time: String(start.wallClockText.suffix(5)), kind: .appointment,
                                         itemID: appointment.id, summary: text, provider: name(appointment.providerID)))
        }

        for entry in try opinionHistory(patientID: patientID, diagnosisID: diagnosisID) {
            let opinion = entry.opinion
            var text = "Opinion of \(entry.provider.name): \(opinion.conclusion)"
            if let recommendation = opinion.recommendation { text += "; recommends \(recommendation)" }
            if let agreement = opinion.agreement { text += " [\(agreement.rawValue)]" }
            entries.append(TimelineEntry(date: opinion.givenOn, kind: .opinion, itemID: opinion.id, summary: text,
                                         provider: entry.provider.name))
        }

        let records = try self.records(patientID: patientID, RecordFilter(diagnosisID: diagnosisID, since: sinceYear))
        // The records transfers and packets may concern: all the patient's, or those of the
        // diagnosis (nil: all, whatever their date).
        let recordScope = try diagnosisID.map { Set(try self.recordIDs(patientID: patientID, diagnosisID: $0)) }
        for record in records {
            guard let date = record.recordedOn, shown(date) else { continue }
            entries.append(TimelineEntry(date: date, kind: .record, itemID: record.id,
                                         summary: "Record (\(record.kind.rawValue)): \(record.title)", provider: name(record.providerID)))
        }
        let titles = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0.title) })
        func title(_ recordID: Int64) throws -> String { try titles[recordID] ?? record(id: recordID)?.title ?? "?" }
        for transfer in try transfers(patientID: patientID) where recordScope?.contains(transfer.recordID) ?? true {
            entries.append(TimelineEntry(date: transfer.occurredOn, kind: .transfer, itemID: transfer.id,
                                         summary: Self.describe(transfer, title: try title(transfer.recordID), name: name),
                                         provider: name(transfer.toProviderID ?? transfer.fromProviderID)))
        }

        // Export packets made for a provider (the sharing log), with the records in scope.
        for packet in try sharedPackets(patientID: patientID) {
            let existing = try self.recordIDs(patientID: patientID, among: packet.recordIDs)
            let included = packet.recordIDs.filter { existing.contains($0) && recordScope?.contains($0) ?? true }
            guard diagnosisID == nil || !included.isEmpty,
                  let exported = try? OffsetDateTime(parsing: packet.exportedAt) else { continue }
            var text = "Export packet"
            if let recipient = packet.recipientName { text += " for \(recipient)" }
            text += " (\(included.count) record\(included.count == 1 ? "" : "s")\(packet.withFiles ? "" : ", without files"))"
            entries.append(TimelineEntry(date: PartialDate(day: exported.instant, in: timeZone), kind: .packet, itemID: packet.id,
                                         summary: text, provider: packet.recipientName))
        }

        let appointmentIDs = Set(appointments.filter { concerns($0.diagnosisID) }.map(\.id))
        for question in try questions(patientID: patientID) {
            guard diagnosisID == nil || question.diagnosisID == diagnosisID
                    || question.appointmentID.map(appointmentIDs.contains) == true else { continue }
            // Questions carry no date of their own: the day they were written down, or the day of
            // their first answer when that was earlier (written down afterwards).
            if let created = try? OffsetDateTime(parsing: question.createdAt) {
                let written = PartialDate(day: created.instant, in: timeZone)
                let date = question.answers.map(\.answeredOn).filter { $0 < written }.min() ?? written
                entries.append(TimelineEntry(date: date, kind: .question, itemID: question.id, summary: "Question: \(question.text)"))
            }
            for answer in question.answers {
                entries.append(TimelineEntry(date: answer.answeredOn, kind: .answer, itemID: answer.id,
                                             summary: "Answer from \(name(answer.providerID) ?? "?") to \"\(question.text)\": \(answer.text)",
                                             provider: name(answer.providerID)))
            }
        }

        entries += try clinicalEntries(patientID: patientID, since: since, concerns: concerns, shown: shown, name: name)

        if let since { entries.removeAll { !$0.date.reaches(since) } }
        return Timeline(entries)
    }

    /// Results (a panel with its parts in one line), procedures, medications started and ended,
    /// immunizations, allergies and family history, each on its date; undated ones are left out,
    /// and so are those entered in error (they did not happen, as far as the record goes). With a
    /// diagnosis in scope, only those linked to it (immunizations, allergies and family history
    /// concern none). Read from `since`; entries dated where `shown` is false are left out but for
    /// allergies and family history (the caller cuts those).
    private func clinicalEntries(patientID: Int64, since: PartialDate?, concerns: (Int64?) -> Bool,
                                 shown: (PartialDate) -> Bool, name: (Int64?) -> String?) throws -> [TimelineEntry]
    {
        var entries: [TimelineEntry] = []
        // The results are read one at a time (a long history would be thousands of values held at
        // once). A panel's parts, whatever their own dates, are then looked up by the ids of the
        // results shown and added to their lines.
        var shownResults: [(id: Int64, entry: Int)] = []
        try forEachResult(patientID: patientID, ResultFilter(since: since, topLevelOnly: true)) { result in
            guard concerns(result.diagnosisID), result.status != .enteredInError, let observed = result.observedAt,
                  shown(observed.date) else { return }
            shownResults.append((result.id, entries.count))
            entries.append(TimelineEntry(date: observed.date, kind: .result, itemID: result.id,
                                         summary: "Result: " + Self.describe(result, parts: []), provider: name(result.providerID)))
        }
        let parts = Dictionary(grouping: try results(partsOf: shownResults.map(\.id)), by: { $0.parentID ?? 0 })
        for (id, index) in shownResults {
            guard let its = parts[id] else { continue }
            let entry = entries[index]
            entries[index] = TimelineEntry(date: entry.date, kind: entry.kind, itemID: entry.itemID,
                                           summary: entry.summary + Self.describe(parts: its), provider: entry.provider)
        }
        for procedure in try procedures(patientID: patientID, ProcedureFilter(since: since))
            where concerns(procedure.diagnosisID) && procedure.status != .enteredInError {
            guard let performed = procedure.performedOn, shown(performed.date) else { continue }
            var text = "Procedure (\(procedure.category.rawValue)): \(procedure.name)"
            if let site = procedure.bodySite { text += ", \(site)" }
            if let until = procedure.performedUntil { text += ", until \(until.date)" }
            if procedure.status != .completed { text += " [\(procedure.status.rawValue)]" }
            if let outcome = procedure.outcome { text += "; \(outcome)" }
            entries.append(TimelineEntry(date: performed.date, kind: .procedure, itemID: procedure.id, summary: text,
                                         provider: name(procedure.providerID)))
        }
        for medication in try medications(patientID: patientID, MedicationFilter(startedOrEndedSince: since))
            where concerns(medication.diagnosisID) && medication.status != .enteredInError {
            let dosage = medication.dosageText.map { " " + $0 } ?? ""
            if let started = medication.startedOn, shown(started) {
                entries.append(TimelineEntry(date: started, kind: .medication, itemID: medication.id,
                                             summary: "Medication started: \(medication.name)\(dosage)",
                                             provider: name(medication.providerID)))
            }
            if let ended = medication.endedOn, shown(ended) {
                entries.append(TimelineEntry(date: ended, kind: .medication, itemID: medication.id,
                                             summary: "Medication \(medication.status == .completed ? "completed" : "stopped"): \(medication.name)",
                                             provider: name(medication.providerID)))
            }
        }
        guard concerns(nil) else { return entries }
        for immunization in try immunizations(patientID: patientID, since: since) where immunization.status != .enteredInError {
            guard let given = immunization.givenOn, shown(given.date) else { continue }
            entries.append(TimelineEntry(date: given.date, kind: .immunization, itemID: immunization.id,
                                         summary: "Immunization: \(immunization.vaccine)"
                                            + (immunization.status == .completed ? "" : " [\(immunization.status.rawValue)]")))
        }
        for allergy in try allergies(patientID: patientID) {
            guard let recorded = allergy.recordedOn else { continue }
            var text = allergy.entry == .noneKnown ? allergy.displayName : "Allergy: \(allergy.displayName)"
            if let reaction = allergy.reaction { text += " (\(reaction)\(allergy.severity.map { ", \($0.rawValue)" } ?? ""))" }
            if allergy.status != .active { text += " [\(allergy.status.rawValue)]" }
            entries.append(TimelineEntry(date: recorded, kind: .allergy, itemID: allergy.id, summary: text))
        }
        for entry in try familyHistory(patientID: patientID) where entry.status != .enteredInError {
            guard let recorded = entry.recordedOn else { continue }
            entries.append(TimelineEntry(date: recorded, kind: .familyHistory, itemID: entry.id,
                                         summary: "Family history: \(entry.summary)"))
        }
        return entries
    }

    /// A day before `date` begins in UTC: every appointment whose own wall-clock date is `date` or
    /// later starts after it, whatever its offset (offsets are within ±14 hours).
    static func dayBefore(_ date: PartialDate) -> Date {
        let day = OffsetDateTime.days(fromCivil: date.year, date.month ?? 1, date.day ?? 1)
        return Date(timeIntervalSince1970: TimeInterval((day - 1) * 86_400))
    }

    /// "CA 15-3 42 U/mL (range 0–30, high)"; a panel: "Blood pressure: Systolic 128 mm[Hg], Diastolic 82 mm[Hg]".
    /// Written into one String, piece by piece: a timeline describes thousands.
    static func describe(_ result: ClinicalResult, parts: [ClinicalResult]) -> String {
        var text = result.name
        if let value = result.value {
            text += " "
            text += value.displayText
        }
        if let detail = result.detail {
            text += " ("
            text += detail
            text += ")"
        }
        let range = result.range?.displayText ?? ""
        let flag = result.assessedInterpretation.flatMap { $0.isAbnormal ? $0.rawValue : nil }
        if !range.isEmpty || flag != nil {
            text += " ("
            if !range.isEmpty {
                text += "range "
                text += range
            }
            if let flag {
                if !range.isEmpty { text += ", " }
                text += flag
            }
            text += ")"
        }
        return parts.isEmpty ? text : text + describe(parts: parts)
    }

    /// What a panel's line says of its parts: ": Systolic 128 mmHg, Diastolic 82 mmHg".
    static func describe(parts: [ClinicalResult]) -> String {
        var text = ""
        for (index, part) in parts.enumerated() {
            text += index == 0 ? ": " : ", "
            text += part.name
            if let value = part.value {
                text += " "
                text += value.displayText
            }
        }
        return text
    }

    /// "Sent 'Core biopsy slides' from City Lab to Cancer Centre by courier (FX123), due back 2027-01-15".
    static func describe(_ transfer: Transfer, title: String, name: (Int64?) -> String?) -> String {
        let from = name(transfer.fromProviderID)
        let to = name(transfer.toProviderID)
        var text: String
        switch transfer.kind {
        case .request:
            text = "Requested '\(title)' from \(from ?? "?")"
            if let to { text += " for \(to)" }
        case .send:
            text = "Sent '\(title)'"
            if let from { text += " from \(from)" }
            text += " to \(to ?? "you")"
        case .receive:
            text = "'\(title)' received by \(to ?? "you")"
            if let from { text += " from \(from)" }
        }
        if let via = transfer.via { text += " " + Transfer.words(for: via) }
        if let reference = transfer.reference { text += " (\(reference))" }
        if let due = transfer.dueBackOn { text += ", due back \(due)" }
        return text
    }
}
