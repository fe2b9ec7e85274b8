import Foundation

/// The thresholds of the second-opinion workflow: when `compare` suggests a tie-breaking opinion or
/// says that more opinions cost time, and what the readiness checklist asks for; and who keeps the
/// record (the owner: a patient, or the relative helping them), named in every packet as the
/// person who prepared it and how to reach them (the patient when not set).
///
/// Each has a documented default and can be changed per store (`phr config set KEY VALUE`, kept in
/// the `settings` table) or per command with a flag. Values are validated when set and again
/// when read, so a hand-edited store cannot make the checklist misbehave.
public struct WorkflowSettings: Sendable, Hashable {
    /// From this many opinions on a diagnosis, compare no longer suggests another opinion and
    /// says plainly that more opinions cost time.
    public var maxOpinions: Int
    /// Weeks after the diagnosis, with treatment not started, after which compare and status say
    /// that more opinions cost time.
    public var delayWeeks: Int
    /// Lab results at most this many days old count as "recent labs".
    public var recentLabDays: Int
    /// Within this many days of an appointment, whatever is not done is also a warning.
    public var warnDays: Int
    /// The kinds of record a second-opinion provider needs to have received.
    public var neededRecords: [Record.Kind]
    /// Who keeps this record and prepares its packets, and how to reach them; `nil`: the patient.
    public var ownerName: String?
    public var ownerPhone: String?
    public var ownerEmail: String?

    public static let defaults = WorkflowSettings(
        maxOpinions: 3, delayWeeks: 4, recentLabDays: 90, warnDays: 14,
        neededRecords: [.pathologyReport, .pathologySlides, .imagingReport, .imagingStudy, .labResult, .consultNote])

    public init(maxOpinions: Int, delayWeeks: Int, recentLabDays: Int, warnDays: Int, neededRecords: [Record.Kind],
                ownerName: String? = nil, ownerPhone: String? = nil, ownerEmail: String? = nil) {
        self.maxOpinions = maxOpinions
        self.delayWeeks = delayWeeks
        self.recentLabDays = recentLabDays
        self.warnDays = warnDays
        self.neededRecords = neededRecords
        self.ownerName = ownerName
        self.ownerPhone = ownerPhone
        self.ownerEmail = ownerEmail
    }

    /// One stored setting: its key, what it means, and how its text is checked.
    public struct Key: Sendable, Hashable {
        public let name: String
        public let summary: String
        /// The accepted values, in words.
        public let accepted: String
        let apply: @Sendable (inout WorkflowSettings, String) -> Bool
        let read: @Sendable (WorkflowSettings) -> String

        public static func == (a: Key, b: Key) -> Bool { a.name == b.name }
        public func hash(into hasher: inout Hasher) { hasher.combine(name) }

        /// The value of this key in `settings`, as text.
        public func value(in settings: WorkflowSettings) -> String { read(settings) }
    }

    /// Every setting, in the order `phr config list` shows them.
    public static let keys: [Key] = [
        integerKey("compare.max-opinions", "from this many opinions, more opinions are said to cost time", 2...20, \.maxOpinions),
        integerKey("compare.delay-weeks", "weeks after diagnosis, treatment not started, after which delay is noted", 1...52, \.delayWeeks),
        integerKey("status.recent-lab-days", "lab results at most this many days old count as recent", 1...3650, \.recentLabDays),
        integerKey("status.warn-days", "within this many days of an appointment, anything not done is a warning", 0...365, \.warnDays),
        Key(name: "status.needed-records",
            summary: "record kinds a second-opinion provider needs (comma-separated)",
            accepted: "a comma-separated list of " + Record.Kind.allCases.map(\.rawValue).joined(separator: ", ")
                + ", or none",
            apply: { settings, text in
                let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                if parts == ["none"] {
                    settings.neededRecords = []
                    return true
                }
                let kinds = parts.compactMap(Record.Kind.init(rawValue:))
                guard !parts.isEmpty, kinds.count == parts.count else { return false }
                settings.neededRecords = kinds.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
                return true
            },
            read: { $0.neededRecords.isEmpty ? "none" : $0.neededRecords.map(\.rawValue).joined(separator: ",") }),
        textKey("owner.name", "who prepares the packets (default: the patient)", \.ownerName),
        textKey("owner.phone", "their phone number, printed on every packet (default: the patient's)", \.ownerPhone),
        textKey("owner.email", "their email address, printed on every packet (default: the patient's)", \.ownerEmail),
    ]

    public static func key(named name: String) -> Key? { keys.first { $0.name == name } }

    /// These settings with `name` set to `value`; throws `invalidField` naming the setting and
    /// what it accepts when either is wrong.
    public func setting(_ name: String, to value: String) throws -> WorkflowSettings {
        guard let key = Self.key(named: name) else {
            throw StoreError.invalidField(field: "key", reason: "'\(name)' is not a setting; use one of \(Self.keys.map(\.name).joined(separator: ", "))")
        }
        var changed = self
        guard key.apply(&changed, value) else {
            // A value typed with a line break is shown on one line: the message is one line.
            let shown = value.map { $0.isNewline ? "\\n" : String($0) }.joined()
            throw StoreError.invalidField(field: name, reason: "'\(shown)' is not \(key.accepted)")
        }
        return changed
    }

    /// A line of text (at most 200 characters); `read` gives "" while unset.
    private static func textKey(_ name: String, _ summary: String,
                                _ path: WritableKeyPath<WorkflowSettings, String?> & Sendable) -> Key {
        Key(name: name, summary: summary, accepted: "one line of text (at most 200 characters)",
            apply: { settings, text in
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, trimmed.count <= 200, !trimmed.contains(where: \.isNewline) else { return false }
                settings[keyPath: path] = trimmed
                return true
            },
            read: { $0[keyPath: path] ?? "" })
    }

    private static func integerKey(_ name: String, _ summary: String, _ range: ClosedRange<Int>,
                                   _ path: WritableKeyPath<WorkflowSettings, Int> & Sendable) -> Key {
        Key(name: name, summary: summary, accepted: "a whole number from \(range.lowerBound) to \(range.upperBound)",
            apply: { settings, text in
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else { return false }
                settings[keyPath: path] = value
                return true
            },
            read: { String($0[keyPath: path]) })
    }
}

extension HealthStore {
    /// The workflow settings of this store: the defaults, with every stored setting applied.
    /// A stored value that is not valid is reported, not silently ignored.
    public func workflowSettings() throws -> WorkflowSettings {
        var settings = WorkflowSettings.defaults
        for key in WorkflowSettings.keys {
            guard let text: String = try database.scalar("SELECT value FROM settings WHERE key = ?", [key.name]) else {
                continue
            }
            guard key.apply(&settings, text) else {
                throw StoreError.invalidSetting(key: key.name, accepted: key.accepted)
            }
        }
        return settings
    }

    /// Stores a workflow setting after checking its value. Run inside `write`.
    public func setWorkflowSetting(_ name: String, to value: String) throws {
        let probe = try WorkflowSettings.defaults.setting(name, to: value)
        let text = WorkflowSettings.key(named: name)?.value(in: probe) ?? value
        try database.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         [name, text])
    }

    /// Returns a workflow setting to its default. Run inside `write`.
    public func resetWorkflowSetting(_ name: String) throws {
        guard WorkflowSettings.key(named: name) != nil else {
            throw StoreError.invalidField(field: "key", reason: "'\(name)' is not a setting; use one of \(WorkflowSettings.keys.map(\.name).joined(separator: ", "))")
        }
        try database.run("DELETE FROM settings WHERE key = ?", [name])
    }

    /// Whether `name` has a value stored in this store (as opposed to its default).
    public func isWorkflowSettingStored(_ name: String) throws -> Bool {
        try database.scalar("SELECT 1 FROM settings WHERE key = ?", [name], as: Int64?.self) != nil
    }
}
