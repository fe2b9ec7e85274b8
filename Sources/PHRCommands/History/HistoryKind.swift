import ArgumentParser
import PHRStore

/// A kind of thing whose history phr keeps, as people type it (`provider`, `providers`): one of
/// the catalog's item tables (`SchemaCatalog.itemTables`), so a new table is a kind here by its
/// catalog entry alone.
struct HistoryKind: ExpressibleByArgument, Equatable {
    /// The catalog entry of the table its rows are kept in.
    let table: SchemaTable

    init?(argument: String) {
        guard let table = SchemaCatalog.itemTable(named: argument) else { return nil }
        self.table = table
    }

    /// What one item is called, e.g. `provider`.
    var name: String { table.singular }

    /// Every kind, in catalog order.
    static var allKinds: [String] { SchemaCatalog.itemTables.map(\.singular) }

    static var allValueStrings: [String] { allKinds }

    /// `patient, provider, … or decision`, for help texts.
    static var choices: String { Wording.alternatives(allKinds) }

    /// The tables an item's history is read from: its own and those of its parts (a record's links
    /// to diagnoses), whose history rows carry the item's id.
    var historyTables: [String] {
        [table.name] + SchemaCatalog.historyTables.filter { $0.role == .part(of: table.name) }.map(\.name)
    }

    /// What people call the rows of `table`: `provider`, or `record link` for a record's link to
    /// a diagnosis.
    static func name(ofTable table: String) -> String {
        SchemaCatalog.table(named: table)?.singular ?? table
    }

    /// What people call several rows whose singular is `name`: `diagnoses`, `record links`.
    static func plural(ofName name: String) -> String {
        SchemaCatalog.tables.first { $0.singular == name }?.plural ?? name
    }

    /// How an item of this kind is named in messages, from the store as it is now.
    func label(of id: Int64, in store: HealthStore) throws -> String {
        switch table.name {
        case "patients": return try store.requirePatient(id).name
        case "providers": return try store.requireProvider(id).name
        case "diagnoses": return try store.requireDiagnosis(id).description
        case "appointments": return "on " + (try store.requireAppointment(id).whenText)
        case "opinions": return "given " + (try store.requireOpinion(id).givenOn.description)
        case "records": return try store.requireRecord(id).title
        case "transfers":
            let transfer = try store.requireTransfer(id)
            return "\(transfer.kind.rawValue) of record \(transfer.recordID) on \(transfer.occurredOn)"
        case "questions": return try store.requireQuestion(id).text
        case "decisions": return try store.requireDecision(id).treatment
        case "results": return try store.requireResult(id).name
        case "medications": return try store.requireMedication(id).name
        case "allergies": return try store.requireAllergy(id).displayName
        case "procedures": return try store.requireProcedure(id).name
        case "immunizations": return try store.requireImmunization(id).vaccine
        case "family_history": return try store.requireFamilyHistory(id).summary
        default: return "\(name) \(id)"
        }
    }

    /// A short label for a history snapshot (the row's JSON), decoded by the store.
    static func label(ofSnapshot snapshot: String, table: String) -> String? {
        HistorySnapshot(json: snapshot).label(table: table)
    }
}
