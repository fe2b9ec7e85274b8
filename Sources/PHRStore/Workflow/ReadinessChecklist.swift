/// One line of the readiness checklist: something done, underway, not done, or a fact to know.
public struct ChecklistItem: Sendable, Hashable {
    public enum State: String, Sendable, Codable {
        case done
        /// Underway but not finished: requested, sent and not confirmed, approval pending.
        case pending
        /// Not done.
        case missing
        /// A fact, not a task (days until the appointment, planned treatment start).
        case info
    }

    /// A stable identifier for scripts, e.g. `insurance`, `records.pathology-slides`.
    public let key: String
    /// What the item is, for people: "Insurance pre-approval".
    public let label: String
    public let state: State
    /// Where it stands, in plain words: "approved", "not sent: 'Core biopsy slides'".
    public let detail: String
    /// What moves it forward, when something does.
    public let next: NextStep?

    public init(key: String, label: String, state: State, detail: String, next: NextStep? = nil) {
        self.key = key
        self.label = label
        self.state = state
        self.detail = detail
        self.next = next
    }
}

/// The checklist of one diagnosis under review or of one upcoming appointment.
public struct ChecklistSection: Sendable, Hashable {
    public enum Subject: Sendable, Hashable {
        case diagnosis(Diagnosis)
        case appointment(Appointment)
    }

    public let subject: Subject
    /// "Diagnosis 1: Invasive ductal carcinoma" or "Second-opinion appointment 3 with Dr. Ortiz, …".
    public let title: String
    public let items: [ChecklistItem]
    /// Plain-words warnings, e.g. "appointment in 3 days and the pathology slides have not been sent".
    public let warnings: [String]

    /// Every task in it is done.
    public var isComplete: Bool { items.allSatisfy { $0.state == .done || $0.state == .info } }
}

/// What is done and what is not before a second opinion, for each diagnosis under review and each
/// upcoming second-opinion appointment, with warnings in plain words.
///
/// It turns cancer centres' advice into items: tell the original doctor; get insurance
/// pre-approval and any referral; make sure the new provider has received the pathology report and
/// slides, imaging reports and images, recent labs and consult notes; prepare questions; know how
/// many days remain and when treatment is planned to start. `isComplete` is `false` when any item
/// is missing or pending (`phr status` exits 1 then).
///
/// Pure: built from facts and `now`, so the same facts always give the same checklist.
public struct ReadinessChecklist: Sendable, Hashable {
    public let sections: [ChecklistSection]
    /// Warnings that belong to no one section: physical items overdue with the provider holding them.
    public let generalWarnings: [String]

    public var isComplete: Bool { sections.allSatisfy(\.isComplete) }
    /// Nothing is under review: no section and no warning.
    public var isEmpty: Bool { sections.isEmpty && generalWarnings.isEmpty }

    /// Every warning: the sections' in order, then the general ones.
    public var warnings: [String] { sections.flatMap(\.warnings) + generalWarnings }

    /// The checklist for `diagnoses`, each followed by its appointments among `appointments`; the
    /// appointments of no listed diagnosis come after them. `physicalItems` are checked for
    /// overdue returns.
    public init(diagnoses: [DiagnosisFacts], appointments: [AppointmentFacts],
                physicalItems: [(record: Record, location: RecordDelivery.Location)] = [],
                providers: [Int64: Provider] = [:], settings: WorkflowSettings = .defaults, now: ReferenceTime) {
        // Only appointments with a known time can be upcoming; those are the ones checked.
        let ordered = appointments.compactMap { facts in facts.appointment.startsAt.map { (facts: facts, start: $0) } }
            .sorted { ($0.start, $0.facts.appointment.id) < ($1.start, $1.facts.appointment.id) }
        var sections: [ChecklistSection] = []
        var covered = Set<Int64>()
        for facts in diagnoses {
            let own = ordered.filter { $0.facts.appointment.diagnosisID == facts.diagnosis.id }
            sections.append(Self.section(for: facts, upcoming: own.map { ($0.facts.appointment, $0.start) },
                                         settings: settings, now: now))
            for appointment in own {
                sections.append(Self.section(for: appointment.facts, startsAt: appointment.start, settings: settings, now: now))
                covered.insert(appointment.facts.appointment.id)
            }
        }
        for appointment in ordered where !covered.contains(appointment.facts.appointment.id) {
            sections.append(Self.section(for: appointment.facts, startsAt: appointment.start, settings: settings, now: now))
        }
        self.sections = sections

        var general: [String] = []
        for (record, location) in physicalItems where location.lenderID != nil && location.isOverdue(today: now.today) {
            let holder = location.holderID.map { Self.name($0, providers) } ?? "you"
            let lender = location.lenderID.map { Self.name($0, providers) } ?? "the lender"
            general.append("'\(record.title)' (record \(record.id)) was due back with \(lender) on \(location.dueBackOn?.description ?? "?") and is still with \(holder)")
        }
        self.generalWarnings = general
    }

    // MARK: Diagnosis

    static func section(for facts: DiagnosisFacts, upcoming: [(appointment: Appointment, start: OffsetDateTime)],
                        settings: WorkflowSettings,
                        now: ReferenceTime) -> ChecklistSection {
        let diagnosis = facts.diagnosis
        var items: [ChecklistItem] = []
        var warnings: [String] = []
        let next = upcoming.first
        let daysToNext = next.map { now.days(until: $0.start.date) }
        let soon = daysToNext.map { $0 <= settings.warnDays } ?? false
        let decided = !facts.decisions.isEmpty
        let started = facts.review.treatmentStartedOn

        // Original doctor told.
        let doctor = facts.originalDoctor?.name ?? "your original doctor"
        if let told = facts.review.originalDoctorToldOn {
            items.append(ChecklistItem(key: "original-doctor-told", label: "Original doctor told", state: .done,
                                       detail: "told \(doctor) on \(told)"))
        } else {
            items.append(ChecklistItem(key: "original-doctor-told", label: "Original doctor told", state: .missing,
                                       detail: "not yet: tell \(doctor) that you are getting a second opinion",
                                       next: .tellOriginalDoctor(diagnosisID: diagnosis.id)))
            if soon, let daysToNext {
                warnings.append("appointment \(DayWords.relative(daysToNext)) and \(doctor) has not been told about the second opinion")
            }
        }

        // Opinions so far, and whether a second one is on its way.
        let comparison = OpinionComparison(diagnosis: diagnosis, opinions: facts.opinions, providers: facts.providers,
                                           decisions: facts.decisions, treatmentStartedOn: started, settings: settings, now: now)
        var opinionsText: String
        switch comparison.verdict {
        case .noOpinions: opinionsText = "no opinions yet"
        case .oneOpinion: opinionsText = "1 opinion"
        case .allAgree: opinionsText = "\(facts.opinions.count) opinions, all agree"
        case .differ: opinionsText = "\(facts.opinions.count) opinions that differ"
        }
        if let next, let daysToNext {
            opinionsText += "; second-opinion appointment \(DayWords.relative(daysToNext)) (\(next.start.wallClockText))"
        }
        if facts.opinions.count >= 2 || next != nil || decided || started != nil {
            items.append(ChecklistItem(key: "second-opinion", label: "Second opinion", state: .done, detail: opinionsText,
                                       next: comparison.verdict == .differ ? .compareOpinions(diagnosisID: diagnosis.id) : nil))
        } else {
            items.append(ChecklistItem(key: "second-opinion", label: "Second opinion", state: .missing,
                                       detail: opinionsText + "; no second-opinion appointment booked",
                                       next: .bookSecondOpinion(diagnosisID: diagnosis.id)))
        }

        // Questions.
        let open = facts.questions.filter(\.isOpen).count
        items.append(ChecklistItem(key: "questions", label: "Questions", state: .info,
                                   detail: facts.questions.isEmpty ? "none written down"
                                       : "\(facts.questions.count) written down, \(open) not answered yet"))

        // Days since diagnosis.
        let days = diagnosis.diagnosedOn.map { now.days(since: $0) }
        if let days, let date = diagnosis.diagnosedOn {
            items.append(ChecklistItem(key: "days-since-diagnosis", label: "Days since diagnosis", state: .info,
                                       detail: "\(days) (diagnosed \(date))"))
        } else {
            items.append(ChecklistItem(key: "days-since-diagnosis", label: "Days since diagnosis", state: .info,
                                       detail: "unknown: the diagnosis has no date"))
        }

        // Planned treatment start.
        if let started {
            items.append(ChecklistItem(key: "treatment-start", label: "Treatment start", state: .info, detail: "started \(started)"))
        } else if let planned = facts.review.treatmentPlannedOn {
            let until = now.days(until: planned)
            items.append(ChecklistItem(key: "treatment-start", label: "Treatment start", state: .info,
                                       detail: "planned for \(planned) (\(DayWords.relative(until)))"))
            if let next, next.start.date > planned || next.start.date == planned {
                warnings.append("treatment is planned to start on \(planned), before the second-opinion appointment on \(next.start.date): "
                                + "ask whether treatment can wait, or move the appointment earlier")
            }
        } else {
            items.append(ChecklistItem(key: "treatment-start", label: "Treatment start", state: .info,
                                       detail: decided ? "decided, start date not recorded" : "not planned yet",
                                       next: .planTreatment(diagnosisID: diagnosis.id)))
        }

        // Delay.
        if !decided, started == nil, let days, days >= settings.delayWeeks * 7 {
            warnings.append("\(DayWords.span(days)) since the diagnosis and treatment has not started: more opinions cost time")
        }

        return ChecklistSection(subject: .diagnosis(diagnosis), title: "Diagnosis \(diagnosis.id): \(diagnosis.description)",
                                items: items, warnings: warnings)
    }

    // MARK: Appointment

    static func section(for facts: AppointmentFacts, startsAt: OffsetDateTime, settings: WorkflowSettings,
                        now: ReferenceTime) -> ChecklistSection {
        let appointment = facts.appointment
        let daysUntil = now.days(until: startsAt.date)
        let soon = daysUntil <= settings.warnDays
        let when = "appointment \(DayWords.relative(daysUntil))"
        var items: [ChecklistItem] = []
        var warnings: [String] = []
        func warn(_ text: String) { if soon { warnings.append("\(when) and \(text)") } }

        // Insurance pre-approval.
        let insuranceStep = NextStep.setInsurance(appointmentID: appointment.id)
        switch appointment.insurance {
        case .approved?:
            let reference = appointment.insuranceReference.map { " (\($0))" } ?? ""
            items.append(ChecklistItem(key: "insurance", label: "Insurance pre-approval", state: .done, detail: "approved\(reference)"))
        case .notNeeded?:
            items.append(ChecklistItem(key: "insurance", label: "Insurance pre-approval", state: .done, detail: "not needed"))
        case .pending?:
            items.append(ChecklistItem(key: "insurance", label: "Insurance pre-approval", state: .pending, detail: "pending",
                                       next: insuranceStep))
            warn("insurance pre-approval is still pending")
        case .denied?:
            items.append(ChecklistItem(key: "insurance", label: "Insurance pre-approval", state: .missing,
                                       detail: "denied: call your insurer about an appeal or another provider", next: insuranceStep))
            warnings.append("\(when) and your insurer denied pre-approval")
        case nil:
            items.append(ChecklistItem(key: "insurance", label: "Insurance pre-approval", state: .missing,
                                       detail: "unknown: call your insurer before the appointment", next: insuranceStep))
            warn("insurance pre-approval is unknown")
        }

        // Referral.
        let preparation = facts.preparation
        let referralStep = NextStep.setReferral(appointmentID: appointment.id)
        let referenceText = preparation.referralReference.map { " (\($0))" } ?? ""
        switch preparation.referral {
        case .received:
            items.append(ChecklistItem(key: "referral", label: "Referral", state: .done, detail: "received\(referenceText)"))
        case .notNeeded:
            items.append(ChecklistItem(key: "referral", label: "Referral", state: .done, detail: "not needed"))
        case .requested:
            items.append(ChecklistItem(key: "referral", label: "Referral", state: .pending,
                                       detail: "requested\(referenceText), not received yet", next: referralStep))
            warn("the referral has not arrived yet")
        case .needed:
            items.append(ChecklistItem(key: "referral", label: "Referral", state: .missing,
                                       detail: "needed, not requested yet", next: referralStep))
            warn("the referral has not been requested")
        case .unknown:
            items.append(ChecklistItem(key: "referral", label: "Referral", state: .missing,
                                       detail: "unknown: ask the new provider or your insurer whether one is needed", next: referralStep))
            warn("it is not known whether a referral is needed")
        }

        // Records the new provider has not received yet.
        for kind in settings.neededRecords {
            let (item, warning) = recordItem(kind, facts: facts, settings: settings, now: now)
            items.append(item)
            if let warning { warn(warning) }
        }

        // Questions prepared.
        if facts.questions.isEmpty {
            items.append(ChecklistItem(key: "questions", label: "Questions prepared", state: .missing, detail: "none yet",
                                       next: .addQuestion(appointmentID: appointment.id)))
            warn("no questions are prepared")
        } else {
            let count = facts.questions.count
            items.append(ChecklistItem(key: "questions", label: "Questions prepared", state: .done,
                                       detail: count == 1 ? "1 question" : "\(count) questions"))
        }

        items.append(ChecklistItem(key: "days-until-appointment", label: "Days until the appointment", state: .info,
                                   detail: "\(daysUntil) (\(startsAt.wallClockText))"))

        let provider = facts.provider.map { p in p.organization.map { "\(p.name) (\($0))" } ?? p.name }
            ?? "provider \(appointment.providerID)"
        let purpose = appointment.purpose == .secondOpinion ? "Second-opinion appointment" : "Appointment"
        let title = "\(purpose) \(appointment.id) with \(provider), \(startsAt.wallClockText) (\(DayWords.relative(daysUntil)))"
        return ChecklistSection(subject: .appointment(appointment), title: title, items: items, warnings: warnings)
    }

    /// The item for one kind of record, and the end of a warning sentence when it is not done.
    static func recordItem(_ kind: Record.Kind, facts: AppointmentFacts, settings: WorkflowSettings,
                           now: ReferenceTime) -> (ChecklistItem, String?) {
        let words = RecordWords(kind)
        let key = "records.\(kind.rawValue)"
        var candidates = facts.records.filter { $0.kind == kind }
        if kind == .labResult {
            candidates = candidates.filter { record in
                guard let date = record.recordedOn else { return false }
                return now.days(since: date) <= settings.recentLabDays
            }
        }
        if kind == .labResult, candidates.isEmpty, let item = resultsItem(key: key, label: words.label, facts: facts,
                                                                             settings: settings, now: now) {
            return item
        }
        guard !candidates.isEmpty else {
            let detail = kind == .labResult ? "none from the last \(settings.recentLabDays) days recorded" : "none recorded"
            let next = NextStep.addRecord(kind: kind, isPhysicalItem: kind == .pathologySlides || kind == .imagingStudy)
            return (ChecklistItem(key: key, label: words.label, state: .missing, detail: detail, next: next),
                    "no \(words.plain) \(words.isPlural ? "are" : "is") recorded")
        }

        var notSent: [Record] = []
        var underway: [String] = []
        var nextStep: NextStep?
        var done: [String] = []
        for record in candidates {
            let state = RecordDelivery.state(of: facts.transfers(ofSameFileAs: record), for: facts.recipients)
            switch state {
            case .received(let t):
                done.append("'\(record.title)' received \(t.occurredOn)")
            case .delivered(let t):
                done.append("'\(record.title)' sent \(t.via.map { "\(Transfer.words(for: $0)) " } ?? "")\(t.occurredOn)")
            case .inTransit(let t):
                underway.append("'\(record.title)' sent \(t.via.map { "\(Transfer.words(for: $0)) " } ?? "")\(t.occurredOn), receipt not confirmed")
                nextStep = nextStep ?? .confirmReceipt(recordID: record.id, providerID: t.toProviderID)
            case .requested(let t):
                let from = t.fromProviderID.map { name($0, facts.providers) } ?? "its holder"
                underway.append("'\(record.title)' requested from \(from) \(t.occurredOn), not sent yet")
                nextStep = nextStep ?? .sendRecord(recordID: record.id, fromProviderID: t.fromProviderID,
                                                   toProviderID: facts.appointment.providerID, via: .courier)
            case .notSent:
                notSent.append(record)
            }
        }
        let recipient = facts.provider?.name ?? "the provider"
        if !notSent.isEmpty {
            let titles = notSent.map { "'\($0.title)'" }.joined(separator: ", ")
            let first = notSent[0]
            let next = NextStep.sendRecord(recordID: first.id, fromProviderID: nil,
                                           toProviderID: facts.appointment.providerID, via: nil)
            let rest = (underway + done).isEmpty ? "" : "; " + (underway + done).joined(separator: "; ")
            return (ChecklistItem(key: key, label: words.label, state: .missing, detail: "not sent to \(recipient): \(titles)\(rest)", next: next),
                    "\(words.definite) \(words.isPlural ? "have" : "has") not been sent")
        }
        if !underway.isEmpty {
            let rest = done.isEmpty ? "" : "; " + done.joined(separator: "; ")
            return (ChecklistItem(key: key, label: words.label, state: .pending, detail: underway.joined(separator: "; ") + rest,
                                  next: nextStep),
                    "\(words.definite) \(words.isPlural ? "have" : "has") not been confirmed as received")
        }
        return (ChecklistItem(key: key, label: words.label, state: .done, detail: done.joined(separator: "; ")), nil)
    }

    /// "Recent labs" from the results kept in phr, when there are recent ones and no recent lab
    /// files: done when an export packet for the provider (or someone at the same place) carried
    /// every one of them; else missing, and the next step is a packet for the provider, which
    /// carries them. Never done on the strength of a packet that did not hold them (one made
    /// before they were added, or scoped without them).
    static func resultsItem(key: String, label: String, facts: AppointmentFacts, settings: WorkflowSettings,
                            now: ReferenceTime) -> (ChecklistItem, String?)? {
        let recent = facts.labResults.filter { result in
            guard let observed = result.observedAt else { return false }
            return now.days(since: observed.date) <= settings.recentLabDays
        }
        guard !recent.isEmpty else { return nil }
        let count = "\(recent.count) result\(recent.count == 1 ? "" : "s") from the last \(settings.recentLabDays) days"
        let recipient = facts.provider?.name ?? "the provider"
        let unsent = recent.filter { facts.resultsSent[$0.id] == nil }
        if unsent.isEmpty {
            let days = Set(recent.compactMap { facts.resultsSent[$0.id] }).sorted().map(\.description)
            return (ChecklistItem(key: key, label: label, state: .done,
                                  detail: "\(count) sent to \(recipient) in a packet (\(days.joined(separator: ", ")))"), nil)
        }
        let which = unsent.count == recent.count ? count : "\(unsent.count) of the \(count)"
        return (ChecklistItem(key: key, label: label, state: .missing,
                              detail: "\(which) kept in phr, not sent to \(recipient); a packet exported for \(recipient) carries them",
                              next: .exportPacket(providerID: facts.appointment.providerID)),
                "the recent lab results have not been sent")
    }

    static func name(_ providerID: Int64, _ providers: [Int64: Provider]) -> String {
        providers[providerID]?.name ?? "provider \(providerID)"
    }
}

/// How the checklist names a kind of record in a sentence.
struct RecordWords {
    let label: String
    /// With its article: "the pathology slides".
    let definite: String
    /// Without: "pathology slides".
    let plain: String
    let isPlural: Bool

    init(_ kind: Record.Kind) {
        switch kind {
        case .pathologyReport: (label, plain, isPlural) = ("Pathology report", "pathology report", false)
        case .pathologySlides: (label, plain, isPlural) = ("Pathology slides", "pathology slides", true)
        case .imagingReport: (label, plain, isPlural) = ("Imaging reports", "imaging reports", true)
        case .imagingStudy: (label, plain, isPlural) = ("Imaging (the images)", "images", true)
        case .labResult: (label, plain, isPlural) = ("Recent labs", "recent lab results", true)
        case .consultNote: (label, plain, isPlural) = ("Consult notes", "consult notes", true)
        case .letter: (label, plain, isPlural) = ("Letters", "letters", true)
        case .other: (label, plain, isPlural) = ("Other records", "other records", true)
        }
        definite = kind == .labResult ? plain : "the \(plain)"
    }
}
