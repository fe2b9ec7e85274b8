import ArgumentParser
import Foundation
import PHRExchange
import PHRStore

/// `phr search`: full-text search over what the store knows about the patient.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search diagnoses, opinions, notes, questions, answers, results, medications, allergies, procedures, immunizations, family history, record titles and the text of text files.",
        discussion: """
            Best matches first (SQLite FTS5, bm25; titles count ten times more than other text), \
            with the matching words in [brackets]. Words must all match, each as the start of a \
            word (chemo finds chemotherapy); punctuation belongs to the word (ER+, HER2-, Ki-67). \
            Also "exact phrase", OR, NOT, NEAR(a b). Text files (plain, Markdown, CSV, HTML) are \
            searched inside; PDFs and images by title only. In JSON, title is as stored; snippet is \
            plain text, snippet_marked has [brackets], snippet_matches the [start, length] of each \
            match in Unicode code points.
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
        // Marks no stored text contains, so that the matches can be told apart from the text.
        let query = SearchQuery(words.joined(separator: " "), kinds: kind.isEmpty ? nil : kind, limit: limit,
                                markStart: "\u{2}", markEnd: "\u{3}")
        let hits = try health.read { () throws -> [SearchHit] in
            try health.search(patientID: try patient.resolve(in: health).id, query)
        }
        let searchedKinds = kind.isEmpty ? "everything" : kind.map(\.rawValue).joined(separator: ", ")
        var widen = ["fewer words", "a shorter start of a word", "OR between words (phr search 'chemo OR radiation')"]
        if !kind.isEmpty { widen.insert("no --kind", at: 0) }
        var listing = Listing(columns: [
            .init(key: "kind", header: "Kind"),
            .init(key: "id", header: "ID"),
            .init(key: "date", header: "Date"),
            .init(key: "title", header: "Title", wraps: true),
            .init(key: "title_marked", header: "Title (marked)", inTable: false),
            .init(key: "snippet", header: "Match", inTable: false),
            .init(key: "snippet_marked", header: "Match", wraps: true),
            .init(key: "snippet_matches", header: "Match offsets", inTable: false),
        ], emptyMessage: "Nothing found for \(query.matchExpression) in \(searchedKinds); to widen the search, try "
            + Wording.alternatives(widen) + ".")
        for hit in hits {
            let title = MarkedText(hit.title, start: "\u{2}", end: "\u{3}")
            let snippet = MarkedText(hit.snippet, start: "\u{2}", end: "\u{3}")
            listing.append([.text(hit.kind.rawValue), .integer(hit.itemID), Cell(hit.date),
                            .text(output.resolvedFormat == .table ? title.bracketed : hit.storedTitle), .text(title.bracketed),
                            .text(snippet.plain), .text(snippet.bracketed),
                            .text(snippet.matches.map { "\($0.start):\($0.length)" }.joined(separator: " "))])
        }
        if output.resolvedFormat == .json {
            try output.emit(text: JSONValue.array(hits.indices.map { index in
                let hit = hits[index]
                let snippet = MarkedText(hit.snippet, start: "\u{2}", end: "\u{3}")
                return .object([
                    ("kind", .string(hit.kind.rawValue)), ("id", .integer(hit.itemID)), ("date", JSONValue(hit.date)),
                    ("title", .string(hit.storedTitle)),
                    ("title_marked", .string(MarkedText(hit.title, start: "\u{2}", end: "\u{3}").bracketed)),
                    ("snippet", .string(snippet.plain)), ("snippet_marked", .string(snippet.bracketed)),
                    ("snippet_matches", .array(snippet.matches.map { .array([.integer(Int64($0.start)), .integer(Int64($0.length))]) })),
                ])
            }).rendered())
            return
        }
        try output.emit(listing)
    }
}

/// Text with its matches between two marks, read apart: the plain text, the matches' places in it
/// (in Unicode code points), and the text with the matches in [brackets] for people.
struct MarkedText {
    let plain: String
    let matches: [(start: Int, length: Int)]
    let bracketed: String

    init(_ marked: String, start: Unicode.Scalar, end: Unicode.Scalar) {
        var plain = String.UnicodeScalarView()
        var bracketed = String.UnicodeScalarView()
        var matches: [(Int, Int)] = []
        var opened: Int?
        for scalar in marked.unicodeScalars {
            if scalar == start {
                opened = plain.count
                bracketed.append("[")
            } else if scalar == end {
                if let opened { matches.append((opened, plain.count - opened)) }
                opened = nil
                bracketed.append("]")
            } else {
                plain.append(scalar)
                bracketed.append(scalar)
            }
        }
        self.plain = String(plain)
        self.bracketed = String(bracketed)
        self.matches = matches
    }
}

extension SearchKind: ExpressibleByArgument {
    public init?(argument: String) {
        let lowered = argument.lowercased()
        if lowered == "allergies" { self = .allergy; return }
        self.init(rawValue: lowered.hasSuffix("s") && lowered != "diagnosis" ? String(lowered.dropLast()) : lowered)
    }
}
