/// What phr knows about each of its tables beyond what the migrations say: what people call its
/// rows, whether the history keeps them, which rows go with a row when it is removed, and which of
/// its fields the search index reads.
///
/// Column lists are never written here: they come from the live schema
/// (`SchemaCatalog.columns(of:in:)`, which reads `pragma_table_xinfo`), so a migration that adds a
/// column changes everything derived from the columns (history triggers, undo, restore) without
/// another line. Everything else that names phr's tables (history kinds on the command line, the
/// `info` counts, the tables import provenance may point to) is derived from `SchemaCatalog.tables`.
///
/// Adding a table: write its migration, add one `SchemaTable` to `tables` below, and give it an
/// entity file. The migrator then creates its history triggers and, when it has search fields, its
/// search index triggers; a test checks that every table of
/// the live schema is catalogued.
public enum SchemaCatalog {
    /// Every table of phr's schema; those `phr info` counts come first, in the order it lists them.
    public static let tables: [SchemaTable] = [
        SchemaTable("patients", singular: "patient", plural: "patients", role: .item, history: .byID,
                    removedWith: [.init(table: "patient_record_numbers", column: "patient_id")], inInfo: true),
        SchemaTable("providers", singular: "provider", plural: "providers", role: .item, history: .byID, inInfo: true),
        SchemaTable("diagnoses", singular: "diagnosis", plural: "diagnoses", role: .item, history: .byID,
                    removedWith: [.init(table: "record_diagnoses", column: "diagnosis_id"),
                                  .init(table: "diagnosis_reviews", column: "diagnosis_id")],
                    search: .init(kind: "diagnosis", code: 1, date: .column("diagnosed_on"),
                                  title: ["description"], body: ["code", "stage", "notes", "source_notes"]),
                    inInfo: true),
        SchemaTable("appointments", singular: "appointment", plural: "appointments", role: .item, history: .byID,
                    removedWith: [.init(table: "appointment_preparations", column: "appointment_id")],
                    search: .init(kind: "appointment", code: 3, date: .day("starts_at"),
                                  title: ["reason", "purpose"], body: ["location", "notes", "source_notes"]),
                    inInfo: true),
        SchemaTable("opinions", singular: "opinion", plural: "opinions", role: .item, history: .byID,
                    search: .init(kind: "opinion", code: 2, patient: .lookup(table: "diagnoses", value: "patient_id", key: "id", from: "diagnosis_id"),
                                  date: .column("given_on"), title: ["conclusion"], body: ["recommendation", "stage", "notes", "source_notes"]),
                    inInfo: true),
        SchemaTable("records", singular: "record", plural: "records", role: .item, history: .byID,
                    removedWith: [.init(table: "record_diagnoses", column: "record_id")],
                    search: .init(kind: "record", code: 4, date: .column("recorded_on"), title: ["title"], body: ["notes", "source_notes", "original_name"],
                                  bodyLookups: [.lookup(table: "file_texts", value: "text", key: "file_id", from: "file_id")]),
                    inInfo: true),
        SchemaTable("record_diagnoses", singular: "record link", plural: "record links", role: .part(of: "records"),
                    history: .init(key: ["record_id", "diagnosis_id"], rowID: "record_id"), inInfo: true),
        SchemaTable("files", singular: "file", plural: "files", role: .content, inInfo: true),
        SchemaTable("transfers", singular: "transfer", plural: "transfers", role: .item, history: .byID,
                    search: .init(kind: "transfer", code: 8, patient: .lookup(table: "records", value: "patient_id", key: "id", from: "record_id"),
                                  date: .column("occurred_on"), title: ["reference"], untitled: "", body: ["notes"]), inInfo: true),
        SchemaTable("questions", singular: "question", plural: "questions", role: .item, history: .byID,
                    removedWith: [.init(table: "answers", column: "question_id")],
                    search: .init(kind: "question", code: 5, date: .day("created_at"), title: ["text"], body: ["notes"]), inInfo: true),
        SchemaTable("answers", singular: "answer", plural: "answers", role: .item, history: .byID,
                    search: .init(kind: "answer", code: 6, patient: .lookup(table: "questions", value: "patient_id", key: "id", from: "question_id"),
                                  date: .column("answered_on"), title: ["text"], body: []), inInfo: true),
        SchemaTable("decisions", singular: "decision", plural: "decisions", role: .item, history: .byID,
                    removedWith: [.init(table: "decision_opinions", column: "decision_id")],
                    search: .init(kind: "decision", code: 7, patient: .lookup(table: "diagnoses", value: "patient_id", key: "id", from: "diagnosis_id"),
                                  date: .column("decided_on"), title: ["treatment"], body: ["notes"]), inInfo: true),
        SchemaTable("results", singular: "result", plural: "results", role: .item, history: .byID,
                    removedWith: [.init(table: "results", column: "parent_id")],
                    search: .init(kind: "result", code: 9, date: .day("observed_at"), title: ["name"],
                                  body: ["code", "value_text", "value_unit", "detail", "reference_text", "notes", "source_notes"]),
                    inInfo: true, listingIndexes: ["results_by_patient", "results_by_name", "results_by_code"]),
        SchemaTable("medications", singular: "medication", plural: "medications", role: .item, history: .byID,
                    search: .init(kind: "medication", code: 10, date: .column("started_on"), title: ["name"],
                                  body: ["code", "dose", "route", "frequency", "instructions", "notes", "source_notes"]),
                    inInfo: true),
        SchemaTable("allergies", singular: "allergy", plural: "allergies", role: .item, history: .byID,
                    search: .init(kind: "allergy", code: 11, date: .column("recorded_on"), title: ["substance"],
                                  untitled: "No known allergies", body: ["substance_code", "reaction", "notes", "source_notes"]),
                    inInfo: true),
        SchemaTable("procedures", singular: "procedure", plural: "procedures", role: .item, history: .byID,
                    search: .init(kind: "procedure", code: 12, date: .day("performed_on"), title: ["name"],
                                  body: ["code", "body_site", "outcome", "notes", "source_notes"]),
                    inInfo: true),
        SchemaTable("immunizations", singular: "immunization", plural: "immunizations", role: .item, history: .byID,
                    search: .init(kind: "immunization", code: 13, date: .day("given_on"), title: ["vaccine"], body: ["code", "notes", "source_notes"]), inInfo: true),
        SchemaTable("family_history", singular: "family-history", plural: "family-history entries", role: .item, history: .byID,
                    search: .init(kind: "family-history", code: 14, date: .column("recorded_on"), title: ["condition"],
                                  body: ["relationship", "code", "onset_age", "deceased_age", "notes", "source_notes"]),
                    inInfo: true),
        SchemaTable("exports", singular: "sent packet", plural: "sent packets", role: .log, inInfo: true),
        SchemaTable("import_sources", singular: "import source", plural: "import sources", role: .log, inInfo: true),
        SchemaTable("history", singular: "history entry", plural: "history entries", role: .log, inInfo: true),
        SchemaTable("decision_opinions", singular: "decision link", plural: "decision links",
                    role: .part(of: "decisions"), history: .init(key: ["decision_id", "opinion_id"], rowID: "decision_id")),
        SchemaTable("diagnosis_reviews", singular: "diagnosis checklist facts", plural: "diagnosis checklist facts",
                    role: .part(of: "diagnoses"), history: .init(key: ["diagnosis_id"], rowID: "diagnosis_id")),
        SchemaTable("appointment_preparations", singular: "appointment checklist facts",
                    plural: "appointment checklist facts", role: .part(of: "appointments"),
                    history: .init(key: ["appointment_id"], rowID: "appointment_id")),
        SchemaTable("patient_record_numbers", singular: "record number", plural: "record numbers",
                    role: .part(of: "patients"), history: .init(key: ["patient_id", "organization"], rowID: "patient_id")),
        SchemaTable("settings", singular: "setting", plural: "settings", role: .setting,
                    history: .init(key: ["key"], rowID: nil)),
        SchemaTable("file_chunks", singular: "file chunk", plural: "file chunks", role: .content),
        SchemaTable("file_texts", singular: "file text", plural: "file texts", role: .content),
        SchemaTable("export_records", singular: "sent record", plural: "sent records", role: .log),
        SchemaTable("export_results", singular: "sent result", plural: "sent results", role: .log),
        SchemaTable("changes", singular: "change", plural: "changes", role: .log),
    ]

    /// Tables that are not phr's data but SQLite's or the migrator's own bookkeeping, and the
    /// search index (kept by triggers; FTS5 adds shadow tables named after it).
    public static let bookkeepingTables: Set<String> = ["schema_migrations", "sqlite_sequence"]
    public static let searchIndexTable = "search_index"

    /// The catalog entry of `name`, or `nil` when phr has no such table.
    public static func table(named name: String) -> SchemaTable? {
        tablesByName[name]
    }

    /// The tables `phr info` counts, in its order.
    public static var infoTables: [SchemaTable] { tables.filter(\.inInfo) }

    /// The tables whose rows the history keeps.
    public static var historyTables: [SchemaTable] { tables.filter { $0.history != nil } }

    /// The kinds of item people add, edit, remove and restore by id (`phr history provider 3`,
    /// `phr restore record 4`): the catalogued tables with the role `item`.
    public static var itemTables: [SchemaTable] { tables.filter { $0.role == .item } }

    /// The item table people mean by `word`: its singular or plural (`provider`, `providers`),
    /// in any case. `nil` for anything else.
    public static func itemTable(named word: String) -> SchemaTable? {
        let lowered = word.lowercased()
        return itemTables.first { $0.singular == lowered || $0.plural == lowered }
    }

    /// The rows that go with a row of `table` when it is removed (by a cascade or by its remove
    /// method), so that restoring the row brings them back.
    public static func removedWith(_ table: String) -> [SchemaTable.Dependent] {
        tablesByName[table]?.removedWith ?? []
    }

    private static let tablesByName: [String: SchemaTable] =
        Dictionary(tables.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    // MARK: The live schema

    /// The columns of `table` as the store has them now, in their order (`pragma_table_xinfo`,
    /// generated and hidden columns left out: they cannot be written). Empty when the table does
    /// not exist.
    static func columns(of table: String, in db: Connection) throws -> [String] {
        try db.query("SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", [table]) {
            try $0.get(0, as: String.self)
        }
    }

    /// The tables of the live schema, bookkeeping and the search index's tables left out.
    static func liveTables(in db: Connection) throws -> [String] {
        try db.query("""
            SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
              AND name NOT LIKE ? ORDER BY name
            """, [searchIndexTable + "%"]) { try $0.get(0, as: String.self) }
            .filter { !bookkeepingTables.contains($0) }
    }

    /// The tables whose rows keep a row of `table` from being removed: their foreign keys to it
    /// are `ON DELETE RESTRICT` (or `NO ACTION`), in catalog order. Read from the live schema
    /// (`pragma_foreign_key_list`), for messages such as "patient 3 still has diagnoses or records".
    static func restrictingTables(of table: String, in db: Connection) throws -> [SchemaTable] {
        try tables.filter { candidate in
            let actions = try db.query(
                "SELECT on_delete FROM pragma_foreign_key_list(?) WHERE \"table\" = ?", [candidate.name, table]) {
                try $0.get(0, as: String.self)
            }
            return actions.contains { $0 == "RESTRICT" || $0 == "NO ACTION" }
        }
    }
}

/// One table of phr's schema, as the catalog describes it. Its columns are not here: see
/// `SchemaCatalog.columns(of:in:)`.
public struct SchemaTable: Sendable, Hashable {
    /// What the rows of a table are to the person using phr.
    public enum Role: Sendable, Hashable {
        /// Things people add, edit, remove and restore by id: patients, providers, diagnoses, …
        case item
        /// Rows that belong to a row of another table (a record's links to diagnoses): shown in its
        /// history, removed and restored with it.
        case part(of: String)
        /// The store's settings (the default patient, thresholds).
        case setting
        /// Stored content and what is derived from it (files, their chunks and text).
        case content
        /// Logs and bookkeeping that have no history of their own: the sharing log, import
        /// provenance, the history itself.
        case log
    }

    /// How the history keeps a table's rows.
    public struct History: Sendable, Hashable {
        /// The columns that identify a row: an insert's history holds these only, and undo finds
        /// the row by them.
        public let key: [String]
        /// The column stored as `history.row_id`, so that one item's history is found by its id
        /// (for a link, the id of the item it belongs to); `nil` stores 0 (settings have no id).
        public let rowID: String?

        public init(key: [String], rowID: String?) {
            self.key = key
            self.rowID = rowID
        }

        /// Rows identified by their integer `id`.
        public static let byID = History(key: ["id"], rowID: "id")
    }

    /// Rows of another table that go with a row of this one when it is removed.
    public struct Dependent: Sendable, Hashable {
        /// The other table.
        public let table: String
        /// Its column holding the removed row's id.
        public let column: String
    }

    /// What the search index reads of a table's rows; `SearchTriggers` generates the triggers
    /// that keep the index in step from it.
    public struct Search: Sendable, Hashable {
        /// Where a value of the index entry comes from.
        public enum Source: Sendable, Hashable {
            /// A column of the row.
            case column(String)
            /// The day (first ten characters) of a timestamp column of the row.
            case day(String)
            /// `value` of the row of `table` whose `key` equals the row's `from`
            /// (an opinion's patient: `patient_id` of the diagnosis whose `id` is its `diagnosis_id`).
            case lookup(table: String, value: String, key: String, from: String)
        }

        /// The kind of hit (`SearchKind`'s raw value).
        public let kind: String
        /// The entry's rowid is the row's id * 16 + `code`: unique per table, never reused.
        public let code: Int
        /// The patient the row belongs to.
        public let patient: Source
        /// The date shown with a hit.
        public let date: Source
        /// The columns searched as the title (the first that is set), weighted above the body.
        public let title: [String]
        /// The title when no title column is set; `nil` leaves a single title column as it is.
        public let untitled: String?
        /// The other columns searched.
        public let body: [String]
        /// Text of other tables searched with the body (a record's file text); a row is indexed
        /// again when such text arrives.
        public let bodyLookups: [Source]

        init(kind: String, code: Int, patient: Source = .column("patient_id"), date: Source,
             title: [String], untitled: String? = nil, body: [String], bodyLookups: [Source] = []) {
            self.kind = kind
            self.code = code
            self.patient = patient
            self.date = date
            self.title = title
            self.untitled = untitled
            self.body = body
            self.bodyLookups = bodyLookups
        }

        /// These fields with only the body columns among `columns`: a store being migrated may not
        /// have a column the catalog names yet.
        func keepingBody(_ columns: Set<String>) -> Search {
            Search(kind: kind, code: code, patient: patient, date: date, title: title, untitled: untitled,
                   body: body.filter(columns.contains), bodyLookups: bodyLookups)
        }
    }

    /// The table's name in SQL, e.g. `appointments`.
    public let name: String
    /// What one row is called, e.g. `appointment`.
    public let singular: String
    /// What several rows are called, e.g. `appointments`.
    public let plural: String
    public let role: Role
    /// How the history keeps its rows; `nil` when it keeps none.
    public let history: History?
    /// Rows removed with one of its rows, to bring back with it.
    public let removedWith: [Dependent]
    /// Its fields in the search index, if any.
    public let search: Search?
    /// Whether `phr info` counts its rows.
    public let inInfo: Bool
    /// Its indexes that only order and filter what people list (`phr result list`, `trend`):
    /// no statement of an import reads the table through them, so a bulk write into the table
    /// while it is empty builds them once at its end (`ListingIndexesSetAside`).
    public let listingIndexes: [String]

    init(_ name: String, singular: String, plural: String, role: Role, history: History? = nil,
         removedWith: [Dependent] = [], search: Search? = nil, inInfo: Bool = false, listingIndexes: [String] = []) {
        self.name = name
        self.singular = singular
        self.plural = plural
        self.role = role
        self.history = history
        self.removedWith = removedWith
        self.search = search
        self.inInfo = inInfo
        self.listingIndexes = listingIndexes
    }

    /// Whether the history keeps its rows.
    public var keepsHistory: Bool { history != nil }
}
