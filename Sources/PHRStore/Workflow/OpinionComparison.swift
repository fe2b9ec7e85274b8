import Foundation

/// The opinions on one diagnosis side by side, and a verdict the patient can understand.
///
/// The verdict follows the advice of cancer centres: when two opinions differ, a third,
/// tie-breaking opinion helps, and so does going back to the first doctor; from `maxOpinions`
/// opinions on, more opinions mostly cost time. Once `delayWeeks` have passed since the diagnosis
/// with treatment not started, a time note is added to that advice (it never replaces it). Both
/// thresholds come from `WorkflowSettings`.
///
/// Opinions differ when the patient marked one as differing or partly agreeing, when they give
/// different stages (an opinion by the provider who made the diagnosis gives the diagnosis's stage
/// unless it states another; stages are compared by what they say, `StageStatement`, so "IIA" and
/// "IIA (cT2 cN0)" agree; a stage difference is a difference whatever the agreement says), or
/// when they recommend different treatments (compared after ignoring case, punctuation and
/// "and"/"&"/"+"). Pure: the same input and `now` always give the same verdict.
public struct OpinionComparison: Sendable, Hashable {
    public enum Verdict: String, Sendable, Codable {
        case noOpinions = "no-opinions"
        case oneOpinion = "one-opinion"
        case allAgree = "all-agree"
        case differ
    }

    /// What opinions can differ on.
    public enum Aspect: String, Sendable, Codable {
        /// The conclusion, as the patient marked it (partly agrees, differs).
        case conclusion
        case stage
        case treatment
    }

    /// One side of a difference: a value and the providers who hold it.
    public struct Position: Sendable, Hashable {
        public let value: String
        public let providerNames: [String]
        public let opinionIDs: [Int64]
    }

    /// Opinions that differ on one aspect, and between whom.
    public struct Difference: Sendable, Hashable {
        public let aspect: Aspect
        public let positions: [Position]
        /// One plain sentence, e.g. "the stage: IIA (Dr. Lee) and IIB (Dr. Ortiz)".
        public let summary: String
    }

    /// One opinion with the provider who gave it.
    public struct Entry: Sendable, Hashable {
        public let opinion: Opinion
        public let provider: Provider?
        /// The stage this opinion gives (see `Opinion.stage(on:)`).
        public let stage: String?
        /// The stage is the diagnosis's, taken because this provider made the diagnosis.
        public let stageIsTheDiagnosis: Bool

        public var providerName: String { provider?.name ?? "provider \(opinion.providerID)" }
    }

    public let diagnosis: Diagnosis
    /// The opinions, in date order.
    public let entries: [Entry]
    public let verdict: Verdict
    public let differences: [Difference]
    /// A third, tie-breaking opinion is worth asking for.
    public let suggestsTieBreaker: Bool
    /// The plain note that more opinions cost time, when it applies.
    public let timeNote: String?
    /// Days since the diagnosis, when its date is known.
    public let daysSinceDiagnosis: Int?
    /// The treatment decided on, if any (the latest decision). Once there is one, no further
    /// opinion is suggested.
    public let decision: Decision?
    /// The verdict in one plain sentence.
    public let summary: String
    /// What to do next, in plain words (the decision is not repeated here).
    public let advice: [String]
    /// The steps the advice names, as data for the command line to spell out.
    public let nextSteps: [NextStep]
    /// The staging results on record (TNM categories, stage group) for the diagnosis or for no
    /// diagnosis, oldest first: what the opinions' stages can be read against.
    public let staging: [ClinicalResult]

    /// The staging results on record by the day `entry`'s opinion was given: what that doctor
    /// could have seen.
    public func staging(knownBy entry: Entry) -> [ClinicalResult] {
        staging.filter { result in result.observedAt.map { $0.date <= entry.opinion.givenOn } ?? true }
    }

    /// Compares `opinions` (any order) on `diagnosis`.
    ///
    /// - Parameters:
    ///   - providers: the providers of the opinions, by id (for names).
    ///   - decisions: the decisions on the diagnosis; the latest one is shown.
    ///   - treatmentStartedOn: when treatment started, if it has.
    ///   - staging: the staging results on record (see `staging`).
    public init(diagnosis: Diagnosis, opinions: [Opinion], providers: [Int64: Provider], decisions: [Decision] = [],
                treatmentStartedOn: PartialDate? = nil, staging: [ClinicalResult] = [],
                settings: WorkflowSettings = .defaults, now: ReferenceTime) {
        self.diagnosis = diagnosis
        self.staging = staging
        let entries = opinions.sorted { ($0.givenOn, $0.id) < ($1.givenOn, $1.id) }
            .map { opinion in
                Entry(opinion: opinion, provider: providers[opinion.providerID], stage: opinion.stage(on: diagnosis),
                      stageIsTheDiagnosis: opinion.stage == nil && opinion.stage(on: diagnosis) != nil)
            }
        self.entries = entries
        let decision = decisions.max { ($0.decidedOn, $0.id) < ($1.decidedOn, $1.id) }
        self.decision = decision
        let days = diagnosis.diagnosedOn.map { now.days(since: $0) }
        self.daysSinceDiagnosis = days

        let differences = entries.count < 2 ? [] : Self.differences(among: entries)
        self.differences = differences
        let verdict: Verdict
        switch entries.count {
        case 0: verdict = .noOpinions
        case 1: verdict = .oneOpinion
        default: verdict = differences.isEmpty ? .allAgree : .differ
        }
        self.verdict = verdict

        let settled = decision != nil || treatmentStartedOn != nil
        let tooMany = entries.count >= settings.maxOpinions
        let delayed = !settled && (days ?? 0) >= settings.delayWeeks * 7
        var timeNote: String?
        let passed = days.map { "\(DayWords.span($0)) have passed since the diagnosis and treatment has not started" }
        if !settled, tooMany {
            var reasons = ["there are already \(entries.count) opinions"]
            if delayed, let passed { reasons.append(passed) }
            timeNote = "More opinions cost time: \(reasons.joined(separator: " and ")). "
                + "Talk the differences through with your doctors and decide on a treatment."
        } else if delayed, let passed {
            timeNote = "Time matters: \(passed). Ask for a prompt appointment, and keep the planned treatment date in mind."
        }
        self.timeNote = timeNote
        self.suggestsTieBreaker = verdict == .differ && !settled && !tooMany

        let names = Wording.list(entries.map(\.providerName).uniqued())
        switch verdict {
        case .noOpinions:
            summary = "No opinions recorded on this diagnosis yet."
        case .oneOpinion:
            summary = "One opinion so far (\(names))."
        case .allAgree:
            summary = "All \(entries.count) opinions agree (\(names))."
        case .differ:
            summary = "The opinions differ on " + Wording.list(differences.map(\.summary)) + "."
        }

        var advice: [String] = []
        var nextSteps: [NextStep] = []
        let unstated = entries.dropFirst().filter { $0.opinion.agreement == nil }
        if verdict == .allAgree, !unstated.isEmpty {
            advice.append("How \(Wording.list(unstated.map(\.providerName).uniqued())) compares with the earlier opinions is not recorded; "
                          + "record whether it agrees, partly agrees or differs.")
            nextSteps.append(.stateAgreement(opinionIDs: unstated.map(\.opinion.id)))
        }
        if verdict == .oneOpinion, !settled, !delayed {
            advice.append("A second opinion is best had before treatment starts.")
        }
        if suggestsTieBreaker {
            advice.append("The two opinions differ: a third, tie-breaking opinion can help you decide.")
        }
        if let timeNote { advice.append(timeNote) }
        if verdict == .differ, let first = entries.first {
            advice.append("Go back to your first doctor (\(first.providerName)) and discuss the differences.")
        }
        self.advice = advice
        self.nextSteps = nextSteps
    }

    // MARK: Finding differences

    static func differences(among entries: [Entry]) -> [Difference] {
        var found: [Difference] = []

        // What the patient marked: an opinion that differs from, or partly agrees with, the earlier ones.
        let marked = entries.dropFirst().filter { $0.opinion.agreement == .differs || $0.opinion.agreement == .partly }
        if !marked.isEmpty {
            var sentences: [String] = []
            for entry in marked {
                let earlier = entries.prefix { $0.opinion.id != entry.opinion.id }.map(\.providerName).uniqued()
                    .filter { $0 != entry.providerName }
                let verb = entry.opinion.agreement == .differs ? "differs from" : "partly agrees with"
                let whom = earlier.isEmpty ? "the earlier opinions" : Wording.list(earlier)
                sentences.append("\(entry.providerName) \(verb) \(whom)")
            }
            found.append(Difference(
                aspect: .conclusion,
                positions: marked.map { Position(value: $0.opinion.agreement?.rawValue ?? "", providerNames: [$0.providerName],
                                                 opinionIDs: [$0.opinion.id]) },
                summary: "the conclusion (" + sentences.joined(separator: "; ") + ")"))
        }

        if let stage = difference(.stage, "the stage", among: entries, value: \.stage, read: StageStatement.init,
                                  agree: { $0.agrees(with: $1) }) {
            found.append(stage)
        }
        if let treatment = difference(.treatment, "the recommended treatment", among: entries,
                                      value: \.opinion.recommendation, read: normalizedTreatment, agree: ==) {
            found.append(treatment)
        }
        return found
    }

    /// The positions on one aspect, when the opinions that state it state more than one value.
    /// Each value, `read` into a comparable form, joins the first position every value of which it
    /// agrees with; the position shows the first value as written.
    private static func difference<Reading>(_ aspect: Aspect, _ label: String, among entries: [Entry],
                                            value: (Entry) -> String?, read: (String) -> Reading,
                                            agree: (Reading, Reading) -> Bool) -> Difference? {
        var groups: [(shown: String, readings: [Reading], names: [String], ids: [Int64])] = []
        for entry in entries {
            guard let text = value(entry).map(Field.trimmed), !text.isEmpty else {
                continue
            }
            let reading = read(text)
            let index: Int
            if let found = groups.firstIndex(where: { $0.readings.allSatisfy { agree($0, reading) } }) {
                index = found
            } else {
                groups.append((text, [], [], []))
                index = groups.count - 1
            }
            groups[index].readings.append(reading)
            if !groups[index].names.contains(entry.providerName) { groups[index].names.append(entry.providerName) }
            groups[index].ids.append(entry.opinion.id)
        }
        guard groups.count > 1 else { return nil }
        let positions = groups.map { Position(value: $0.shown, providerNames: $0.names, opinionIDs: $0.ids) }
        let sides = positions.map { "\($0.value) (\(Wording.list($0.providerNames)))" }
        return Difference(aspect: aspect, positions: positions, summary: "\(label): " + Wording.list(sides, conjunction: "versus"))
    }

    /// Case, punctuation and the way "and" is written do not make treatments differ.
    /// The words of `text` in lower case, one space apart; "&" and "+" are the word "and".
    /// (Read character by character: Foundation's `replacingOccurrences` cost `phr status` a
    /// million instructions at its first use.)
    static func normalizedTreatment(_ text: String) -> String {
        var words: [String] = []
        var word = ""
        func endWord() {
            if !word.isEmpty { words.append(word) }
            word = ""
        }
        for character in text.lowercased() {
            if character == "&" || character == "+" {
                endWord()
                words.append("and")
            } else if character.isLetter || character.isNumber {
                word.append(character)
            } else {
                endWord()
            }
        }
        endWord()
        return words.joined(separator: " ")
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each only the first time it appears.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}

extension HealthStore {
    /// Compares the opinions on a diagnosis, with this store's settings unless others are given.
    public func compareOpinions(diagnosisID: Int64, settings: WorkflowSettings? = nil,
                                now: ReferenceTime = ReferenceTime()) throws -> OpinionComparison {
        let diagnosis = try requireDiagnosis(diagnosisID)
        let opinions = try self.opinions(diagnosisID: diagnosisID)
        var providers: [Int64: Provider] = [:]
        for providerID in Set(opinions.map(\.providerID)) {
            providers[providerID] = try provider(id: providerID)
        }
        return OpinionComparison(diagnosis: diagnosis, opinions: opinions, providers: providers,
                                 decisions: try decisions(diagnosisID: diagnosisID),
                                 treatmentStartedOn: try diagnosisReview(diagnosisID: diagnosisID).treatmentStartedOn,
                                 staging: try results(patientID: diagnosis.patientID, ResultFilter(categories: [.staging]))
                                    .filter { $0.diagnosisID == nil || $0.diagnosisID == diagnosisID }
                                    .filter { $0.status != .enteredInError && $0.status != .cancelled },
                                 settings: try settings ?? workflowSettings(), now: now)
    }
}
