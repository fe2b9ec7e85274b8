import ArgumentParser
import Foundation
import PHRStore

/// `phr search`: full-text search over what the store knows about the patient.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search diagnoses, opinions, notes, questions, answers, results, medications, allergies, procedures, immunizations, record titles and the text of text files.",
        discussion: """
            Best matches first (SQLite FTS5, bm25; titles count ten times more than other text), \
            with the matching words in [brackets]. Words must all match; also "exact phrase", \
            prefix*, OR, NOT, NEAR(a b). Text files (plain, Markdown, CSV, HTML) are searched \
            inside; PDFs and images by title only.
            Example:
              phr search chemotherapy
              phr search "sentinel node" --kind opinion --kind question
              phr search 'her2 OR "hormone receptor"' --format json
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var patient: PatientOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "What to look for.") var words: [String]
    @Option(help: ArgumentHelp("Only this kind: \(Wording.alternatives(SearchKind.allCases.map(\.rawValue))) (repeat for several)."))
    var kind: [SearchKind] = []
    // `.unconditional`: `--limit -1` is read as a value (and refused as one), not as an option.
    @Option(parsing: .unconditional, help: "At most this many results, 1 or more (default 50).") var limit: Int = 50

    func validate() throws {
        if words.joined().trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("give the words to search for") }
        if limit <= 0 { throw ValidationError("--limit must be a positive number; got \(limit)") }
    }

    func run() throws {
        let health = try store.open()
        let hits = try health.read { () throws -> [SearchHit] in
            let owner = try patient.resolve(in: health)
            return try health.search(patientID: owner.id, SearchQuery(words.joined(separator: " "),
                                                                      kinds: kind.isEmpty ? nil : kind, limit: limit))
        }
        var listing = Listing(columns: [
            .init(key: "kind", header: "Kind"),
            .init(key: "id", header: "ID"),
            .init(key: "date", header: "Date"),
            .init(key: "title", header: "Title", wraps: true),
            .init(key: "snippet", header: "Match", wraps: true),
        ], emptyMessage: "Nothing found.")
        for hit in hits {
            listing.append([.text(hit.kind.rawValue), .integer(hit.itemID), Cell(hit.date), .text(hit.title), .text(hit.snippet)])
        }
        try output.emit(listing)
    }
}

extension SearchKind: ExpressibleByArgument {
    public init?(argument: String) {
        let lowered = argument.lowercased()
        if lowered == "allergies" { self = .allergy; return }
        self.init(rawValue: lowered.hasSuffix("s") && lowered != "diagnosis" ? String(lowered.dropLast()) : lowered)
    }
}
