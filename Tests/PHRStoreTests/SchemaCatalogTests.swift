import Foundation
@testable import PHRStore
import XCTest

/// The catalog describes every table of the live schema once, and what it says agrees with it.
final class SchemaCatalogTests: TemporaryStoreTestCase {
    func testEveryTableOfTheSchemaIsCataloguedAndEveryCataloguedTableExists() throws {
        let store = try openStore()
        let live = try SchemaCatalog.liveTables(in: store.database)
        XCTAssertEqual(Set(live), Set(SchemaCatalog.tables.map(\.name)))
        XCTAssertEqual(live.count, SchemaCatalog.tables.count, "a table is catalogued twice")
    }

    func testEveryImportedTableIsACataloguedItemTable() {
        for table in ImportedTable.allCases {
            XCTAssertEqual(SchemaCatalog.table(named: table.rawValue)?.role, .item, table.rawValue)
            XCTAssertEqual(table.rowName, SchemaCatalog.table(named: table.rawValue)?.singular)
        }
    }

    func testNamesPeopleUseAreUniqueAndFindTheirTable() {
        let items = SchemaCatalog.itemTables
        XCTAssertEqual(Set(items.map(\.singular)).count, items.count)
        XCTAssertEqual(Set(items.map(\.plural)).count, items.count)
        XCTAssertEqual(SchemaCatalog.itemTable(named: "Appointment")?.name, "appointments")
        XCTAssertEqual(SchemaCatalog.itemTable(named: "diagnoses")?.name, "diagnoses")
        XCTAssertNil(SchemaCatalog.itemTable(named: "settings"), "settings are not items")
        XCTAssertNil(SchemaCatalog.itemTable(named: "history"))
        XCTAssertEqual(items.map(\.singular), ["patient", "provider", "diagnosis", "appointment", "opinion", "record",
                                               "transfer", "question", "answer", "decision", "result", "medication",
                                               "allergy", "procedure", "immunization", "family-history"])
    }

    func testHistoryKeysDependentsAndSearchFieldsAreColumnsOfTheLiveSchema() throws {
        let store = try openStore()
        for table in SchemaCatalog.tables {
            let columns = try SchemaCatalog.columns(of: table.name, in: store.database)
            XCTAssertFalse(columns.isEmpty, table.name)
            if let history = table.history {
                XCTAssertTrue(Set(history.key).isSubset(of: columns), table.name)
                if let rowID = history.rowID { XCTAssertTrue(columns.contains(rowID), table.name) }
            }
            if case .part(let owner) = table.role {
                XCTAssertNotNil(SchemaCatalog.table(named: owner), table.name)
            }
            for dependent in table.removedWith {
                let other = try SchemaCatalog.columns(of: dependent.table, in: store.database)
                XCTAssertTrue(other.contains(dependent.column), "\(dependent.table).\(dependent.column)")
                XCTAssertEqual(SchemaCatalog.table(named: dependent.table)?.keepsHistory, true, dependent.table)
            }
            if let search = table.search {
                XCTAssertNotNil(SearchKind(rawValue: search.kind), table.name)
                let trigger: String = try XCTUnwrap(store.database.scalar(
                    "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?", [table.name + "_search_insert"]))
                for column in search.title + search.body {
                    XCTAssertTrue(columns.contains(column), "\(table.name).\(column)")
                    XCTAssertTrue(trigger.contains("NEW.\(column)"), "\(table.name).\(column) is not in its search trigger")
                }
            }
        }
        let searchKinds = SchemaCatalog.tables.compactMap(\.search?.kind)
        XCTAssertEqual(Set(searchKinds), Set(SearchKind.allCases.map(\.rawValue)))
    }

    /// A listing index is one of its table's, and an ordinary one: a unique index keeps rows out
    /// and a partial one is cheap to keep, so neither is worth setting aside (`ListingIndexesSetAside`).
    func testListingIndexesAreOrdinaryIndexesOfTheirTable() throws {
        let store = try openStore()
        let listed = SchemaCatalog.tables.flatMap { table in table.listingIndexes.map { (table.name, $0) } }
        XCTAssertEqual(listed.map(\.1), ["results_by_patient", "results_by_name", "results_by_code"])
        for (table, index) in listed {
            let sql: String? = try store.database.scalar(
                "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ? AND tbl_name = ?", [index, table])
            let create = try XCTUnwrap(sql, "\(index) is an index of \(table)")
            XCTAssertTrue(create.hasPrefix("CREATE INDEX "), create)
            XCTAssertFalse(create.contains(" WHERE "), create)
        }
    }

    func testInfoCountsTheDataTablesInItsOrder() {
        XCTAssertEqual(HealthStore.dataTables, ["patients", "providers", "diagnoses", "appointments", "opinions",
                                                "records", "record_diagnoses", "files", "transfers", "questions",
                                                "answers", "decisions", "results", "medications", "allergies",
                                                "procedures", "immunizations", "family_history", "exports", "import_sources",
                                                "history"])
    }

    func testRestrictingTablesComeFromTheForeignKeys() throws {
        let store = try openStore()
        XCTAssertEqual(try SchemaCatalog.restrictingTables(of: "patients", in: store.database).map(\.plural),
                       ["diagnoses", "appointments", "records", "questions", "results", "medications", "allergies",
                        "procedures", "immunizations", "family-history entries", "sent packets"])
        XCTAssertEqual(try SchemaCatalog.restrictingTables(of: "diagnoses", in: store.database).map(\.name),
                       ["opinions", "decisions"])
    }

    func testARemovalRefusedByForeignKeysNamesTheTablesThatKeepTheRow() throws {
        let store = try openStore()
        try HistoryRoundTripTests.addBaseRows(store)
        XCTAssertThrowsError(try store.write("remove") { try store.deleteRow("diagnoses", id: 1) }) { error in
            guard case StoreError.inUse(let entity, let id, let dependents) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(entity, "diagnosis")
            XCTAssertEqual(id, 1)
            XCTAssertEqual(dependents, "opinions or decisions")
        }
        XCTAssertEqual(try store.count("diagnoses"), 1)
    }
}
