/// An entity kept as one row of a catalogued item table (`immunizations`, `patients`, …), and
/// what the store's shared reads of such a row need: its table, what messages call one, the
/// columns read back and how a row decodes.
///
/// The public reads of the kinds that conform (`immunization(id:)`, `requirePatient`, …) are
/// written over the `HealthStore` methods below, once for all of them. Questions and records keep
/// reads of their own (a question with its answers, a record with its file's columns).
protocol StoredRow {
    /// The table its rows live in (a catalogued item table).
    static var table: String { get }
    /// What messages call one: `immunization` in "no immunization with id 4".
    static var entityName: String { get }
    /// The columns read back, as `init(row:)` reads them.
    static var selectList: String { get }
    init(row: Row) throws
}

/// A `StoredRow` a caller writes through the store's shared insert and update: its id and UUID,
/// and the checked values a caller sets. (Patients and providers check theirs without the store,
/// and are written by their own methods.)
protocol StoredItem: StoredRow {
    var id: Int64 { get }
    var uuid: String { get }
    /// The columns a caller sets, checked: a value the store refuses throws `StoreError` before
    /// anything is written.
    func validatedValues(in store: HealthStore) throws -> [ColumnValue]
}

extension HealthStore {
    /// Adds `item` after its checks and returns only its row id: for writers that need nothing
    /// else back (an import stores thousands of rows and reads none of them back).
    func insertItem<Item: StoredItem>(_ item: Item) throws -> Int64 {
        try insertRow(Item.table, try item.validatedValues(in: self), uuid: item.uuid)
    }

    /// Replaces every field of row `item.id` a caller sets, after the same checks; returns the row
    /// as stored. Throws `notFound` when there is no such row.
    func updateItem<Item: StoredItem>(_ item: Item) throws -> Item {
        try requireRow(Item.table, Item.entityName, id: item.id)
        try updateRow(Item.table, try item.validatedValues(in: self), id: item.id)
        return try requireItem(Item.self, id: item.id)
    }

    /// The row `id` of `Item`'s table, or nil.
    func item<Item: StoredRow>(_: Item.Type, id: Int64) throws -> Item? {
        try database.query("SELECT \(Item.selectList) FROM \(Item.table) WHERE id = ?", [id], Item.init).first
    }

    /// The row `id` of `Item`'s table; `notFound` when there is none.
    func requireItem<Item: StoredRow>(_: Item.Type, id: Int64) throws -> Item {
        guard let item = try item(Item.self, id: id) else { throw StoreError.notFound(entity: Item.entityName, id: id) }
        return item
    }

    /// The row of `Item`'s table with `uuid`, or nil.
    func item<Item: StoredRow>(_: Item.Type, uuid: String) throws -> Item? {
        try database.query("SELECT \(Item.selectList) FROM \(Item.table) WHERE uuid = ?", [uuid], Item.init).first
    }
}
