import Foundation

/// What a search hit is.
public enum SearchKind: String, Sendable, Codable, CaseIterable {
    case diagnosis, opinion, appointment, record, question, answer, decision, transfer
    case result, medication, allergy, procedure, immunization
    case familyHistory = "family-history"
}

/// One match of a full-text search, best first.
public struct SearchHit: Sendable, Hashable {
    public let kind: SearchKind
    /// The id of the diagnosis, opinion, … it is.
    public let itemID: Int64
    /// Its date (ISO 8601, as stored), when it has one.
    public let date: String?
    /// Its title (a diagnosis's description, an opinion's conclusion, a record's title, …) with the
    /// matching words marked.
    public let title: String
    /// Its title as stored, without marks.
    public let storedTitle: String
    /// The best-matching fragment of its title or text, with the matching words marked.
    public let snippet: String
    /// bm25 rank: lower is better. Titles weigh ten times more than other text.
    public let rank: Double
}

/// A full-text search: the query in FTS5 syntax, what to look in, and how to mark matches.
public struct SearchQuery: Sendable {
    /// Words (all must match, each as the start of a word: `chemo` finds chemotherapy),
    /// `"exact phrases"`, `prefix*`, `AND`/`OR`/`NOT`, `NEAR(a b)`. Punctuation in a word (`ER+`,
    /// `HER2-`, `Ki-67`) is part of the word when the text uses no FTS5 syntax (see
    /// `matchExpression`).
    public var text: String
    /// Only these kinds; all when `nil`.
    public var kinds: [SearchKind]?
    public var limit: Int
    /// Put before and after each matching word in `title` and `snippet`.
    public var markStart: String
    public var markEnd: String

    public init(_ text: String, kinds: [SearchKind]? = nil, limit: Int = 50, markStart: String = "[", markEnd: String = "]") {
        self.text = text
        self.kinds = kinds
        self.limit = limit
        self.markStart = markStart
        self.markEnd = markEnd
    }

    /// The FTS5 expression searched: without FTS5 syntax (quotes, `*`, parentheses, braces, the
    /// operators AND, OR, NOT, NEAR), each word becomes the start of a word (`chemo*`) and
    /// punctuation is part of a word (`ER+` searches "er", `Ki-67` the phrase "ki 67"); with
    /// FTS5 syntax the text is searched as typed.
    public var matchExpression: String {
        let text = self.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let syntax = Set("\"*(){}")
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        let operators: Set<String> = ["AND", "OR", "NOT"]
        if text.contains(where: { syntax.contains($0) }) || words.contains(where: { $0.hasPrefix("NEAR(") }) { return text }
        return words.compactMap { word -> String? in
            if operators.contains(word) { return word }
            let trimmed = word.trimmingCharacters(in: CharacterSet.alphanumerics.inverted)
            guard !trimmed.isEmpty else { return nil }
            return "\"" + trimmed + "\"*"
        }.joined(separator: " ")
    }
}

extension HealthStore {
    /// Searches a patient's diagnoses, opinions, appointments, records (titles, notes, and the text
    /// of text-like files), questions, answers, decisions, transfers, results, medications,
    /// allergies, procedures, immunizations and family history, best match first
    /// (SQLite FTS5, bm25 ranking with titles weighted 10:1).
    ///
    /// Query text that FTS5 cannot parse throws `invalidField(field: "search", …)` saying what is
    /// accepted; it never reaches the user as an SQLite error.
    public func search(patientID: Int64, _ query: SearchQuery) throws -> [SearchHit] {
        let text = query.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw StoreError.invalidField(field: "search", reason: "give one or more words to search for")
        }
        guard query.limit > 0 else {
            throw StoreError.invalidField(field: "limit", reason: "must be a positive number")
        }
        let match = query.matchExpression
        guard !match.isEmpty else {
            throw StoreError.invalidField(field: "search", reason: "'\(text)' has no letters or digits to search for")
        }
        var sql = """
            SELECT kind, item_id, on_date, highlight(search_index, 4, ?1, ?2) AS title, search_index.title AS stored_title,
                   snippet(search_index, -1, ?1, ?2, '…', 16) AS snippet,
                   bm25(search_index, 0, 0, 0, 0, 10.0, 1.0) AS rank
            FROM search_index
            WHERE search_index MATCH ?3 AND patient_id = ?4
            """
        var bindings: [any SQLiteBindable] = [query.markStart, query.markEnd, match, patientID]
        if let kinds = query.kinds, !kinds.isEmpty {
            sql += " AND kind IN (\(kinds.indices.map { "?\($0 + 6)" }.joined(separator: ", ")))"
        }
        sql += " ORDER BY rank, kind, item_id LIMIT ?5"
        bindings.append(query.limit)
        bindings += (query.kinds ?? []).map(\.rawValue)
        do {
            return try database.query(sql, bindings) { row in
                SearchHit(kind: try Field.enumeration(row.get("kind"), column: "search_index.kind"),
                          itemID: try row.get("item_id"), date: try row.get("on_date"), title: try row.get("title"),
                          storedTitle: try row.get("stored_title"), snippet: try row.get("snippet"), rank: try row.get("rank"))
            }
        } catch let error as SQLiteError where error.primaryCode == 1 {
            // SQLITE_ERROR from MATCH means FTS5 could not parse the query.
            throw StoreError.invalidField(field: "search", reason: Self.explain(ftsError: error.message, query: text))
        }
    }

    /// FTS5's terse message, turned into what was wrong and what is accepted.
    static func explain(ftsError message: String, query: String) -> String {
        let problem: String
        if message.hasPrefix("fts5: syntax error near") {
            problem = "'\(query)' is not a valid search (\(message.dropFirst("fts5: ".count)))"
        } else if message.hasPrefix("no such column") {
            problem = "'\(query)' names a field that does not exist (a word before ':' is read as a field name)"
        } else {
            problem = "'\(query)' is not a valid search (\(message))"
        }
        return problem + "; use words, \"exact phrases\", prefix*, AND, OR, NOT; put text with punctuation in double quotes"
    }
}
