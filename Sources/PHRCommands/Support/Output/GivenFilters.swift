/// The filters a list command was given, as typed (`--since 2026-10`, `--abnormal`; a closed
/// list's value by its name, `--kind lab-result` for `lab`).
///
/// An empty listing of a filtered list says that nothing matched those filters, never "no results
/// yet": a patient who reads that their results are gone, when a filter hid them, fears the worst.
struct GivenFilters {
    private(set) var words: [String] = []

    var isEmpty: Bool { words.isEmpty }

    /// `--name VALUE`, when given.
    mutating func add(_ option: String, _ value: String?) {
        if let value { words.append("\(option) \(value)") }
    }

    /// `--name A,B`, when one or more were given.
    mutating func add<Value: RawRepresentable>(_ option: String, _ values: [Value]) where Value.RawValue == String {
        if !values.isEmpty { words.append("\(option) " + values.map(\.rawValue).joined(separator: ",")) }
    }

    /// `--flag`, when set.
    mutating func add(_ flag: String, when isSet: Bool) {
        if isSet { words.append(flag) }
    }

    /// What an empty listing says when filters were given: nothing of `plural` matches them, and
    /// `listCommand` lists everything; nil when none were.
    func noneMatch(plural: String, listCommand: String) -> String? {
        guard !isEmpty else { return nil }
        return "No \(plural) match \(words.joined(separator: " ")); \(listCommand) lists them all."
    }
}

extension Listing {
    /// With `filters` given, the message an empty listing prints: nothing of `plural` matches
    /// them, and `listCommand` lists everything.
    mutating func sayNoneMatch(_ filters: GivenFilters, plural: String, listCommand: String) {
        if let message = filters.noneMatch(plural: plural, listCommand: listCommand) { emptyMessage = message }
    }
}
