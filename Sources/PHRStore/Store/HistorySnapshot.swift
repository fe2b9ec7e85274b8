import Foundation

/// A history entry's snapshot, decoded: the row's columns as they were, by name.
///
/// Snapshots are JSON objects written by the history triggers (`json_object`), so their values are
/// text, integers, reals or null. Decoding never throws: a snapshot that is not such an object has
/// no values, and callers show the raw text instead.
public struct HistorySnapshot: Sendable, Hashable {
    /// Column name → value. Empty when the snapshot could not be read.
    let values: [String: SQLiteValue]

    public init(json: String) {
        let decoded = try? JSONDecoder().decode([String: SnapshotValue].self, from: Data(json.utf8))
        values = decoded?.mapValues(\.value) ?? [:]
    }

    /// The value of `column` as text: text as it is, numbers in decimal; `nil` when absent or null.
    public func text(_ column: String) -> String? {
        switch values[column] {
        case .text(let text)?: return text
        case .integer(let number)?: return String(number)
        case .real(let number)?: return String(number)
        case .blob?, .null?, nil: return nil
        }
    }

    /// A short label for the row of `table` it holds: a setting's key; for a record's link to a
    /// diagnosis, which record and diagnosis it joined; otherwise the row's name, title,
    /// description, time or date. `nil` when the snapshot has none of them.
    public func label(table: String) -> String? {
        if table == "settings" { return text("key") }
        if table == "record_diagnoses" {
            guard let record = text("record_id"), let diagnosis = text("diagnosis_id") else { return nil }
            return "record \(record) ↔ diagnosis \(diagnosis)"
        }
        for column in ["name", "title", "description", "substance", "vaccine", "condition", "starts_at", "given_on", "text", "treatment", "occurred_on",
                       "organization"] {
            if case .text(let text)? = values[column], !text.isEmpty { return text }
        }
        return nil
    }
}

extension HistoryEntry {
    /// The snapshot, decoded.
    public var decodedSnapshot: HistorySnapshot { HistorySnapshot(json: snapshot) }
}

/// One JSON value of a snapshot.
private struct SnapshotValue: Decodable {
    let value: SQLiteValue

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let number = try? container.decode(Int64.self) {
            value = .integer(number)
        } else if let number = try? container.decode(Double.self) {
            value = .real(number)
        } else {
            value = .text(try container.decode(String.self))
        }
    }
}
