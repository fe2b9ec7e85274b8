import ArgumentParser
import Foundation
import PHRStore

/// `phr history [KIND [ID]]`: what changed and when, newest first.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show what changed and when, newest first: every change, or one kind's or one item's.",
        discussion: """
            Without KIND, one line per change (one per command that changed the store), with the items \
            it added, changed or removed. With KIND (and ID), every version of those items: the values \
            before each edit or removal, or as added.
            `phr undo` takes back the last change; `phr restore KIND ID` brings back a removed item.
            Example:
              phr history
              phr history provider 3 --format json
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp(HistoryKind.choices + ".")) var kind: HistoryKind?
    @Argument(help: "The id of one item of that kind.") var id: Int64?
    // `.unconditional`: `--limit -1` is read as a value (and refused as one), not as an option.
    @Option(parsing: .unconditional, help: "Show at most this many lines (1 or more).") var limit = 50

    func validate() throws {
        if let id, id <= 0 { throw ValidationError("ID must be a positive number; got \(id)") }
        if limit <= 0 { throw ValidationError("--limit must be a positive number; got \(limit)") }
    }

    func run() throws {
        let health = try store.open()
        let listing = try health.read { () throws -> Listing in
            guard let kind else { return try Self.changesListing(health, limit: limit) }
            // An item's parts (a record's links to diagnoses) are part of its history: their row id is the item's.
            var entries: [HistoryEntry] = []
            for table in kind.historyTables {
                entries += try health.history(table: table, rowID: id, limit: limit)
            }
            entries = Array(entries.sorted { $0.id > $1.id }.prefix(limit))
            if let id, entries.isEmpty {
                throw CommandFailure("ID: no \(kind.name) with id \(id) in the store or its history; see `phr \(kind.name) list`",
                                     code: ExitStatus.dataError)
            }
            return Self.entriesListing(entries, kind: kind)
        }
        try output.emit(listing)
    }

    /// One row per change, newest first, with the items each change touched.
    static func changesListing(_ store: HealthStore, limit: Int) throws -> Listing {
        var listing = Listing(columns: [
            .init(key: "change", header: "Change"),
            .init(key: "changed_at", header: "When (UTC)"),
            .init(key: "summary", header: "What"),
            .init(key: "items", header: "Items", inTable: false),
            .init(key: "overview", header: "Items", wraps: true),
            .init(key: "undoes", header: "Undoes", inTable: false),
            .init(key: "undone_by", header: "Undone by"),
        ], emptyMessage: "No changes yet.")
        let changes = try store.changes(limit: limit)
        var undoneBy: [Int64: Int64] = [:]
        for change in changes { if let undone = change.undoes { undoneBy[undone] = change.id } }
        for change in changes {
            let entries = try store.history(changeID: change.id, limit: 10_000).reversed()
            listing.append([.integer(change.id), .text(change.changedAt), .text(change.summary),
                            .list(entries.map { .text(describe($0)) }), .text(overview(Array(entries))),
                            Cell(change.undoes), Cell(undoneBy[change.id])])
        }
        return listing
    }

    /// One row per version of an item, newest first.
    static func entriesListing(_ entries: [HistoryEntry], kind: HistoryKind) -> Listing {
        var listing = Listing(columns: [
            .init(key: "change", header: "Change"),
            .init(key: "changed_at", header: "When (UTC)"),
            .init(key: "summary", header: "What"),
            .init(key: "kind", header: "Kind"),
            .init(key: "id", header: "ID"),
            .init(key: "operation", header: "Operation"),
            .init(key: "label", header: "Item", wraps: true),
            .init(key: "snapshot", header: "Values", inTable: false),
        ], emptyMessage: "No history for \(kind.table.plural) yet.")
        for entry in entries {
            listing.append([Cell(entry.changeID), .text(entry.changedAt), Cell(entry.changeSummary),
                            .text(HistoryKind.name(ofTable: entry.table)), .integer(entry.rowID),
                            .text(entry.operation.rawValue),
                            Cell(HistoryKind.label(ofSnapshot: entry.snapshot, table: entry.table)), .text(entry.snapshot)])
        }
        return listing
    }

    /// A change's items in a few words: `added providers 1-5, diagnosis 1; changed opinion 1` (a
    /// demo or an import touches dozens of rows; `items` lists each one).
    static func overview(_ entries: [HistoryEntry]) -> String {
        guard entries.count > 3 else { return entries.map(describe).joined(separator: "; ") }
        var verbs: [String] = []
        var kinds: [String: [String]] = [:]
        var ids: [String: [String: Set<Int64>]] = [:]
        var settings: [String] = []
        for entry in entries {
            if entry.table == "settings" {
                // Settings have no ids worth showing: name them (`set default_patient`).
                let key = HistoryKind.label(ofSnapshot: entry.snapshot, table: entry.table) ?? "a setting"
                if !settings.contains(key) { settings.append(key) }
                continue
            }
            let verb: String
            switch entry.operation {
            case .insert: verb = entry.table == "record_diagnoses" ? "linked" : "added"
            case .update: verb = "changed"
            case .delete: verb = entry.table == "record_diagnoses" ? "unlinked" : "removed"
            }
            let kind = entry.table == "record_diagnoses" ? "record" : HistoryKind.name(ofTable: entry.table)
            if kinds[verb] == nil { verbs.append(verb) }
            if !(kinds[verb]?.contains(kind) ?? false) { kinds[verb, default: []].append(kind) }
            ids[verb, default: [:]][kind, default: []].insert(entry.rowID)
        }
        return verbs.map { verb in
            let groups = (kinds[verb] ?? []).map { kind -> String in
                let rows = (ids[verb]?[kind] ?? []).sorted()
                return "\(rows.count == 1 ? kind : plural(kind)) \(ranges(rows))"
            }
            return verb + " " + groups.joined(separator: ", ") + (verb.hasSuffix("linked") ? " (to diagnoses)" : "")
        }.joined(separator: "; ") + (settings.isEmpty ? "" : "; set " + settings.joined(separator: ", "))
    }

    /// `1-5, 7`.
    static func ranges(_ sorted: [Int64]) -> String {
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end > index ? "\(sorted[index])-\(sorted[end])" : "\(sorted[index])")
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }

    private static func plural(_ kind: String) -> String { HistoryKind.plural(ofName: kind) }

    /// `added provider 3`, `changed opinion 2`, `removed record 4`.
    static func describe(_ entry: HistoryEntry) -> String {
        let verb: String
        switch entry.operation {
        case .insert: verb = "added"
        case .update: verb = "changed"
        case .delete: verb = "removed"
        }
        if entry.table == "record_diagnoses", let label = HistoryKind.label(ofSnapshot: entry.snapshot, table: entry.table) {
            return "\(entry.operation == .delete ? "unlinked" : "linked") \(label)"
        }
        if entry.table == "settings" {
            return "set \(HistoryKind.label(ofSnapshot: entry.snapshot, table: entry.table) ?? "a setting")"
        }
        return "\(verb) \(HistoryKind.name(ofTable: entry.table)) \(entry.rowID)"
    }
}
