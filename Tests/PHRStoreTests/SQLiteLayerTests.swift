import CSQLite
import Foundation
@testable import PHRStore
import XCTest

final class SQLiteLayerTests: TemporaryStoreTestCase {
    private struct Planned: Error {}

    // MARK: Binding and reading values

    func testEveryBindableTypeRoundTrips() throws {
        let db = try openConnection()
        try db.execute("""
            CREATE TABLE t (big INTEGER, small INTEGER, real REAL, text TEXT, bytes BLOB, flag INTEGER,
                            missing TEXT, explicit_null TEXT)
            """)
        let bytes: [UInt8] = [0, 1, 0x7F, 0x80, 0xFF]
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [Int64.min, Int(-42), 3.25, "héllo ✓ 中文 \u{1F600}", bytes, true, String?.none, SQLiteValue.null])

        var rowCount = 0
        try db.forEach("SELECT * FROM t") { row in
            rowCount += 1
            XCTAssertEqual(try row.get(0, as: Int64.self), Int64.min)
            XCTAssertEqual(try row.get(1, as: Int.self), -42)
            XCTAssertEqual(try row.get(2, as: Double.self), 3.25)
            XCTAssertEqual(try row.get(3, as: String.self), "héllo ✓ 中文 \u{1F600}")
            XCTAssertEqual(try row.get(4, as: [UInt8].self), bytes)
            XCTAssertEqual(try row.get(5, as: Bool.self), true)
            XCTAssertNil(try row.get(6, as: String?.self))
            XCTAssertNil(try row.get(7, as: String?.self))
            XCTAssertEqual(try row.value(at: 0), .integer(Int64.min))
            XCTAssertEqual(try row.value(at: 2), .real(3.25))
            XCTAssertEqual(try row.value(at: 4), .blob(bytes))
            XCTAssertEqual(try row.value(at: 6), .null)
            XCTAssertEqual(try row.value(at: 7), .null)
        }
        XCTAssertEqual(rowCount, 1)
        XCTAssertEqual(try db.scalar("SELECT typeof(flag) || ',' || typeof(missing) || ',' || typeof(explicit_null) FROM t",
                                     as: String?.self),
                       "integer,null,null")
    }

    func testOptionalBindsItsValueOrNull() throws {
        let db = try openConnection()
        let some: Int64? = 7
        let none: Int64? = nil
        XCTAssertEqual(try db.scalar("SELECT ?", [some], as: Int64?.self), 7)
        XCTAssertNil(try db.scalar("SELECT ?", [none], as: Int64?.self))
        XCTAssertEqual(try db.scalar("SELECT typeof(?)", [none], as: String?.self), "null")
        XCTAssertEqual(try db.scalar("SELECT ?", [false], as: Bool?.self), false)
    }

    func testEmptyBlobStaysAZeroLengthBlobNotNull() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (b BLOB)")
        try db.run("INSERT INTO t VALUES (?)", [[UInt8]()])
        XCTAssertEqual(try db.scalar("SELECT typeof(b) FROM t", as: String?.self), "blob")
        XCTAssertEqual(try db.scalar("SELECT length(b) FROM t", as: Int?.self), 0)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t WHERE b IS NULL", as: Int?.self), 0)
        XCTAssertEqual(try db.scalar("SELECT b FROM t", as: [UInt8]?.self), [])
    }

    func testEmptyStringStaysEmptyTextNotNull() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (s TEXT)")
        try db.run("INSERT INTO t VALUES (?)", [""])
        XCTAssertEqual(try db.scalar("SELECT typeof(s) FROM t", as: String?.self), "text")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t WHERE s = ''", as: Int?.self), 1)
        XCTAssertEqual(try db.scalar("SELECT s FROM t", as: String?.self), "")
    }

    func testTextWithNulAndNonASCIIKeepsEveryByte() throws {
        let db = try openConnection()
        let text = "a\u{0}b e\u{301} \u{1F9EC}"
        XCTAssertEqual(try db.scalar("SELECT length(CAST(? AS BLOB))", [text], as: Int?.self), text.utf8.count)
        let back = try XCTUnwrap(try db.scalar("SELECT ?", [text], as: String?.self))
        XCTAssertEqual(Array(back.utf8), Array(text.utf8))
    }

    func testReadingNullIntoANonOptionalThrowsMismatch() throws {
        let db = try openConnection()
        XCTAssertThrowsError(try db.query("SELECT NULL") { row in try row.get(0, as: Int64.self) }) { error in
            let sqliteError = error as? SQLiteError
            XCTAssertEqual(sqliteError?.extendedCode, 20, "\(error)")  // SQLITE_MISMATCH
            XCTAssertEqual(sqliteError?.sql, "SELECT NULL")
        }
        XCTAssertThrowsError(try db.query("SELECT NULL") { row in try row.get(0, as: String.self) }) { error in
            XCTAssertEqual((error as? SQLiteError)?.extendedCode, 20, "\(error)")
        }
    }

    func testReadingAValueOfTheWrongStorageClassThrowsMismatch() throws {
        let db = try openConnection()
        XCTAssertThrowsError(try db.scalar("SELECT 'text'", as: Int64?.self)) { error in
            XCTAssertEqual((error as? SQLiteError)?.extendedCode, 20, "\(error)")
        }
        XCTAssertThrowsError(try db.scalar("SELECT x'00'", as: String?.self)) { error in
            XCTAssertEqual((error as? SQLiteError)?.extendedCode, 20, "\(error)")
        }
    }

    func testInvalidUTF8TextIsRejectedOnRead() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (s TEXT)")
        try db.execute("INSERT INTO t VALUES (CAST(x'C328' AS TEXT))")
        XCTAssertEqual(try db.scalar("SELECT typeof(s) FROM t", as: String?.self), "text")
        XCTAssertThrowsError(try db.scalar("SELECT s FROM t", as: String?.self)) { error in
            let sqliteError = error as? SQLiteError
            XCTAssertNotNil(sqliteError, "\(error)")
            XCTAssertEqual(sqliteError?.extendedCode, 20)
            XCTAssertTrue(String(describing: error).contains("UTF-8"), "\(error)")
        }
        // The bytes are still there, untouched, for a reader that asks for them as bytes.
        XCTAssertEqual(try db.scalar("SELECT CAST(s AS BLOB) FROM t", as: [UInt8]?.self), [0xC3, 0x28])
    }

    // MARK: Columns by name

    func testColumnsAreReadByNameWhateverTheirOrder() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT)")
        try db.run("INSERT INTO t (id, name, note) VALUES (1, 'one', NULL), (2, 'two', 'second')")
        let rows = try db.query("SELECT note, name, id FROM t ORDER BY id") { row in
            (try row.get("id", as: Int64.self), try row.get("name", as: String.self), try row.get("note", as: String?.self))
        }
        XCTAssertEqual(rows.map(\.0), [1, 2])
        XCTAssertEqual(rows.map(\.1), ["one", "two"])
        XCTAssertEqual(rows.map(\.2), [nil, "second"])
    }

    func testAnUnknownColumnNameThrowsRangeAndNamesTheColumn() throws {
        let db = try openConnection()
        XCTAssertThrowsError(try db.query("SELECT 1 AS one") { try $0.get("two", as: Int64.self) }) { error in
            let error = error as? SQLiteError
            XCTAssertEqual(error?.extendedCode, 25, "SQLITE_RANGE")
            XCTAssertTrue(error?.message.contains("two") == true, error?.message ?? "")
        }
    }

    func testJoinedTablesAreReadThroughTheirScopes() throws {
        let db = try openConnection()
        try db.execute("""
            CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER, name TEXT);
            INSERT INTO a VALUES (1, 'parent');
            INSERT INTO b VALUES (7, 1, 'child');
            """)
        let sql = "SELECT \(SelectList.columns(["id", "name"], of: "b", scope: "child")), "
            + "\(SelectList.columns(["id", "name"], of: "a", scope: "parent")) FROM b JOIN a ON a.id = b.a_id"
        let pairs = try db.query(sql) { row in
            let child = row.scoped("child"), parent = row.scoped("parent")
            return "\(try child.get("id", as: Int64.self)) \(try child.get("name", as: String.self)) < "
                + "\(try parent.get("id", as: Int64.self)) \(try parent.get("name", as: String.self))"
        }
        XCTAssertEqual(pairs, ["7 child < 1 parent"])
        XCTAssertThrowsError(try db.query(sql) { try $0.scoped("child").get("a_id", as: Int64.self) },
                             "a scope holds only the columns aliased into it")
    }

    /// Columns are found by name whatever order a decoder reads them in (the lookup compares the
    /// column after the last one found first): in order, backwards, shuffled, twice over, one
    /// missing; a name two columns share gives the leftmost.
    func testColumnsAreFoundByNameInAnyOrderAndASharedNameGivesTheLeftmost() throws {
        let db = try openConnection()
        let names = ["a", "bb", "c", "dd", "e"]
        let sql = "SELECT " + names.enumerated().map { "\($0.offset) AS \($0.element)" }.joined(separator: ", ")
            + ", 99 AS c, 7 AS \"x.a\", 8 AS \"x.c\""
        let statement = try db.prepare(sql, cached: false)
        XCTAssertTrue(try statement.step())
        let row = statement.row
        var generator = SystemRandomNumberGenerator()
        let orders = [names, names.reversed(), names + names, ["c", "c", "a", "e", "a"]]
            + (0..<20).map { _ in names.shuffled(using: &generator) }
        for order in orders {
            for name in order {
                XCTAssertEqual(try row.get(name, as: Int64.self), Int64(names.firstIndex(of: name) ?? -1), "\(name) in \(order)")
            }
        }
        XCTAssertThrowsError(try row.get("b", as: Int64.self), "a name the query does not give")
        XCTAssertEqual(try row.get("a", as: Int64.self), 0, "found again after a miss")
        let scoped = row.scoped("x")
        XCTAssertEqual(try scoped.get("c", as: Int64.self), 8)
        XCTAssertEqual(try scoped.get("a", as: Int64.self), 7)
        XCTAssertThrowsError(try scoped.get("bb", as: Int64.self), "a scope holds only its own columns")
        statement.reset()
    }

    func testInsertAndUpdateBindEachValueToTheColumnNamedWithIt() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT)")
        try db.insert(into: "t", [.column("c", "see"), .column("a", "ay"), .column("b", 2)])
        XCTAssertEqual(try db.query("SELECT a, b, c FROM t") { "\(try $0.get("a", as: String.self)) "
            + "\(try $0.get("b", as: Int64.self)) \(try $0.get("c", as: String.self))" }, ["ay 2 see"])
        try db.update("t", set: [.column("c", String?.none), .column("b", 3)], where: .column("id", db.lastInsertRowID))
        XCTAssertEqual(try db.query("SELECT a, b, c FROM t") { "\(try $0.get("a", as: String.self)) "
            + "\(try $0.get("b", as: Int64.self)) \(try $0.get("c", as: String?.self) ?? "NULL")" }, ["ay 3 NULL"])
    }

    /// An insert first tries its table's last column list, comparing names as it binds: rows of
    /// shapes that alternate, differ only in order or only in their last column, each land in
    /// the columns named beside their values.
    func testInsertsOfAlternatingColumnListsEachBindToTheirOwnColumns() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT, d TEXT)")
        let rows: [[ColumnValue]] = [
            [.column("a", "a1"), .column("b", "b1"), .column("c", "c1")],
            [.column("b", "b2"), .column("a", "a2"), .column("c", "c2")],
            [.column("a", "a3"), .column("b", "b3"), .column("d", "d3")],
            [.column("a", "a4"), .column("b", "b4"), .column("c", "c4")],
            [.column("c", "c5")],
            [.column("a", "a6"), .column("b", "b6"), .column("d", "d6")],
        ]
        for row in rows { try db.insert(into: "t", Array(row.dropLast()), then: Array(row.suffix(1))) }
        XCTAssertEqual(try db.query("SELECT coalesce(a, '-') || coalesce(b, '-') || coalesce(c, '-') || coalesce(d, '-') FROM t ORDER BY id") {
            try $0.get(0, as: String.self)
        }, ["a1b1c1-", "a2b2c2-", "a3b3-d3", "a4b4c4-", "--c5-", "a6b6-d6"])
    }

    func testTextIsBoundByteForByteAndAnEmptyStringIsNotNull() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT")
        let values = ["", "a\u{0}b", "María José Núñez", "ER+ 95%", String(repeating: "x", count: 100_000)]
        for value in values { try db.insert(into: "t", [.column("v", value)]) }
        XCTAssertEqual(try db.query("SELECT v IS NULL, length(CAST(v AS BLOB)), v FROM t ORDER BY id") {
            "\(try $0.get(0, as: Int64.self)) \(try $0.get(1, as: Int64.self)) \(try $0.get(2, as: String.self).count)"
        }, values.map { "0 \($0.utf8.count) \($0.count)" })
        XCTAssertEqual(try db.query("SELECT v FROM t ORDER BY id") { try $0.get(0, as: String.self) }, values)
    }

    /// Texts are bound in place from bytes the statement keeps until its next bind: a cached
    /// statement run again with longer, shorter, empty and large texts (copied by SQLite) stores
    /// each run's own values, never a byte of an earlier run's, and a value used after the run
    /// (a row kept by a trigger, read after the statement is reset) is intact.
    func testTextsBoundInPlaceAreEachRunsOwnWhenACachedStatementRunsAgain() throws {
        let db = try openConnection()
        try db.execute("""
            CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT) STRICT;
            CREATE TABLE copy (a TEXT, b TEXT, c TEXT) STRICT;
            CREATE TRIGGER t_copy AFTER INSERT ON t BEGIN INSERT INTO copy VALUES (NEW.a, NEW.b, NEW.c); END;
            """)
        let runs: [[String?]] = [
            ["short", "ü", "中文 \u{1F600}"],
            [String(repeating: "long ", count: 200), "", nil],
            ["x", String(repeating: "é", count: 40_000), "y"],
            [String(repeating: "z", count: 70_000), "after a large text", "ok"],
            ["a", "b", "c"],
        ]
        for run in runs {
            try db.run("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", run)
        }
        // The cached statement's last bytes overwritten by an unrelated run of it must not reach
        // the rows already written.
        try db.run("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", ["overwrite", "overwrite", "overwrite"])
        let expected = runs + [["overwrite", "overwrite", "overwrite"]]
        for table in ["t", "copy"] {
            XCTAssertEqual(try db.query("SELECT a, b, c FROM \(table) ORDER BY rowid") { row in
                [try row.get(0, as: String?.self), try row.get(1, as: String?.self), try row.get(2, as: String?.self)]
            }, expected, table)
        }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t WHERE b = ''") as Int64?, 1, "an empty text is not NULL")
    }

    /// Texts bound in place end in a NUL of the statement's own, so SQL functions read them where
    /// they lie: whatever the length (filling the bytes kept for them, one under, one over), a
    /// function sees the whole text and nothing after it, and a text holding a NUL keeps every byte.
    func testFunctionsReadTextsBoundInPlaceWholeAtEveryLength() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL CHECK (length(trim(v)) > 0), n INTEGER) STRICT")
        var expected: [String] = []
        for round in 0 ..< 3 {
            for length in [1, 2, 254, 255, 256, 257, 511, 512, 513] {
                let value = String(repeating: "ab", count: length / 2) + (length % 2 == 1 ? "c" : "") + " "
                try db.run("INSERT INTO t (v, n) VALUES (?, length(?))", [value, value])
                expected.append("\(value.count) \(value.count)")
            }
            let withNul = "x\u{0}y\(round)"
            try db.run("INSERT INTO t (v, n) VALUES (?, length(CAST(? AS BLOB)))", [withNul, withNul])
            expected.append("\(withNul.utf8.count) \(withNul.utf8.count)")
        }
        XCTAssertEqual(try db.query("SELECT length(CAST(v AS BLOB)), n FROM t ORDER BY id") {
            "\(try $0.get(0, as: Int64.self)) \(try $0.get(1, as: Int64.self))"
        }, expected)
        XCTAssertThrowsError(try db.run("INSERT INTO t (v) VALUES (?)", ["   "]))
    }

    func testBindingTheWrongNumberOfValuesIsAnError() throws {
        let db = try openConnection()
        XCTAssertThrowsError(try db.run("SELECT ?, ?", [1])) { error in
            XCTAssertEqual((error as? SQLiteError)?.extendedCode, 25, "\(error)")  // SQLITE_RANGE
        }
    }

    // MARK: Errors

    func testConstraintErrorCarriesExtendedCodeAndSQLButNotTheBoundValues() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE people (name TEXT UNIQUE)")
        let sql = "INSERT INTO people (name) VALUES (?)"
        try db.run(sql, ["SECRET-VALUE-123"])
        XCTAssertThrowsError(try db.run(sql, ["SECRET-VALUE-123"])) { error in
            guard let error = error as? SQLiteError else { return XCTFail("not an SQLiteError: \(error)") }
            XCTAssertEqual(error.extendedCode, 2067)  // SQLITE_CONSTRAINT_UNIQUE
            XCTAssertEqual(error.primaryCode, 19)  // SQLITE_CONSTRAINT
            XCTAssertTrue(error.isConstraintViolation)
            XCTAssertFalse(error.isForeignKeyViolation)
            XCTAssertEqual(error.sql, sql)
            let description = String(describing: error)
            XCTAssertTrue(description.contains(sql), description)
            XCTAssertTrue(description.contains("2067"), description)
            XCTAssertFalse(description.contains("SECRET-VALUE-123"), description)
            XCTAssertFalse(error.message.contains("SECRET-VALUE-123"), error.message)
        }
    }

    func testStrictTypeErrorDoesNotRevealTheBoundValue() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER) STRICT")
        XCTAssertThrowsError(try db.run("INSERT INTO t VALUES (?)", ["SECRET-VALUE-123"])) { error in
            XCTAssertEqual((error as? SQLiteError)?.primaryCode, 19, "\(error)")
            XCTAssertFalse(String(describing: error).contains("SECRET-VALUE-123"), "\(error)")
        }
    }

    func testForeignKeyErrorIsRecognised() throws {
        let db = try openConnection()
        try db.execute("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));
            """)
        XCTAssertThrowsError(try db.run("INSERT INTO child VALUES (?)", [99])) { error in
            let sqliteError = error as? SQLiteError
            XCTAssertEqual(sqliteError?.extendedCode, 787, "\(error)")  // SQLITE_CONSTRAINT_FOREIGNKEY
            XCTAssertEqual(sqliteError?.isForeignKeyViolation, true)
        }
    }

    func testSyntaxErrorCarriesTheSQL() throws {
        let db = try openConnection()
        XCTAssertThrowsError(try db.prepare("SELEC 1")) { error in
            let sqliteError = error as? SQLiteError
            XCTAssertEqual(sqliteError?.primaryCode, 1, "\(error)")  // SQLITE_ERROR
            XCTAssertEqual(sqliteError?.sql, "SELEC 1")
        }
    }

    // MARK: Statements

    func testSameSQLReturnsTheCachedStatement() throws {
        let db = try openConnection()
        let first = try db.prepare("SELECT 1")
        let second = try db.prepare("SELECT 1")
        XCTAssertTrue(first === second)
        XCTAssertFalse(first === (try db.prepare("SELECT 2")))
        let uncached = try db.prepare("SELECT 1", cached: false)
        XCTAssertFalse(uncached === first)
        XCTAssertFalse(uncached === (try db.prepare("SELECT 1", cached: false)))
    }

    func testStatementsWhoseTextsDifferOnlyInTheMiddleAreCachedApart() throws {
        // The cache hashes a text's length and its first and last 32 bytes: these two share all of
        // those and must still be two statements, each returning its own value.
        let db = try openConnection()
        let ends = String(repeating: " ", count: StatementKey.endLength)
        let seven = "SELECT \(ends)7\(ends) AS v", eight = "SELECT \(ends)8\(ends) AS v"
        XCTAssertEqual(StatementKey(sql: seven).hashValue, StatementKey(sql: eight).hashValue)
        XCTAssertNotEqual(StatementKey(sql: seven), StatementKey(sql: eight))
        XCTAssertFalse(try db.prepare(seven) === (try db.prepare(eight)))
        XCTAssertEqual(try db.query(seven) { try $0.get("v", as: Int64.self) }, [7])
        XCTAssertEqual(try db.query(eight) { try $0.get("v", as: Int64.self) }, [8])
        XCTAssertEqual(try db.query(seven) { try $0.get("v", as: Int64.self) }, [7])
    }

    func testEqualStatementTextsHashAlikeWhateverTheirStorage() {
        // Native, small, and from Foundation: equal texts must hash alike, or the cache (a
        // Dictionary) would trap on them.
        let texts = ["SELECT 1", "SELECT id FROM results WHERE patient_id = ? AND observed_at >= ? ORDER BY observed_at"]
        for text in texts {
            let fromFoundation = NSString(string: text).appending("")
            let sliced = String(Substring(text))
            XCTAssertEqual(StatementKey(sql: fromFoundation), StatementKey(sql: text))
            XCTAssertEqual(StatementKey(sql: fromFoundation).hashValue, StatementKey(sql: text).hashValue)
            XCTAssertEqual(StatementKey(sql: sliced).hashValue, StatementKey(sql: text).hashValue)
        }
    }

    func testInsertBindsTheSecondListAfterTheFirst() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER, c TEXT, d TEXT)")
        try db.insert(into: "t", [.column("c", "see"), .column("a", "ay")], then: [.column("d", "dee"),
                                  .column("b", 2)])
        // The same columns split differently, and in another order, are other statements.
        try db.insert(into: "t", [.column("c", "see")], then: [.column("a", "ay"), .column("d", "dee"),
                                  .column("b", 3)])
        try db.insert(into: "t", [.column("a", "ay"), .column("c", "see")], then: [.column("b", 4),
                                  .column("d", "dee")])
        XCTAssertEqual(try db.query("SELECT a, b, c, d FROM t ORDER BY id") { row in
            "\(try row.get("a", as: String.self)) \(try row.get("b", as: Int64.self)) \(try row.get("c", as: String.self)) \(try row.get("d", as: String.self))"
        }, ["ay 2 see dee", "ay 3 see dee", "ay 4 see dee"])
    }

    func testCachedStatementIsResetBeforeReuse() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);")
        let statement = try db.prepare("SELECT n FROM t ORDER BY n")
        XCTAssertTrue(try statement.step())
        XCTAssertEqual(try statement.row.get(0, as: Int.self), 1)
        // Handing the cached statement out again starts it from its first row.
        let again = try db.prepare("SELECT n FROM t ORDER BY n")
        XCTAssertTrue(try again.step())
        XCTAssertEqual(try again.row.get(0, as: Int.self), 1)
        XCTAssertEqual(try db.query("SELECT n FROM t ORDER BY n") { try $0.get(0, as: Int.self) }, [1, 2, 3])
    }

    func testSameSQLInsideItsOwnLoopDoesNotCutTheOuterLoopShort() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);")
        let sql = "SELECT n FROM t WHERE n >= ? ORDER BY n"
        var outer: [Int] = []
        try db.forEach(sql, [1]) { row in
            outer.append(try row.get(0, as: Int.self))
            _ = try db.query(sql, [3]) { try $0.get(0, as: Int.self) }
        }
        XCTAssertEqual(outer, [1, 2, 3])
    }

    func testReleasedStatementNoLongerHoldsItsReadTransaction() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2), (3);")
        let other = try openConnection()
        try other.execute("PRAGMA busy_timeout = 0")

        do {
            let reading = try db.prepare("SELECT n FROM t", cached: false)
            XCTAssertTrue(try reading.step())
            // A statement in the middle of its rows holds a read snapshot: the WAL cannot be truncated.
            XCTAssertEqual(try other.scalar("PRAGMA wal_checkpoint(TRUNCATE)", as: Int?.self), 1, "expected busy")
        }
        // Released without a reset: only its deinit (sqlite3_finalize) can have ended the read.
        XCTAssertEqual(try other.scalar("PRAGMA wal_checkpoint(TRUNCATE)", as: Int?.self), 0, "expected not busy")
    }

    func testReleasingTheConnectionClosesTheDatabaseWithItsStatements() throws {
        let path = path(of: "bare.sqlite")
        do {
            let db = try openConnection()
            try db.execute("CREATE TABLE t (n INTEGER)")
            try db.run("INSERT INTO t VALUES (?)", [1])
            let statement = try db.prepare("SELECT n FROM t", cached: false)
            XCTAssertTrue(try statement.step())
            XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"))
        }
        // The last connection to close checkpoints and deletes the WAL; a leaked statement would
        // keep the connection open as a zombie and the WAL in place.
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + "-wal"))
        try FileManager.default.removeItem(atPath: path)
        let reopened = try openConnection()
        XCTAssertEqual(try reopened.scalar("SELECT count(*) FROM sqlite_schema", as: Int?.self), 0)
    }

    // MARK: Transactions

    func testTransactionCommitsWhenBodyReturns() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER)")
        let result = try db.transaction {
            try db.run("INSERT INTO t VALUES (?)", [1])
            XCTAssertFalse(db.isAutocommit)
            return "done"
        }
        XCTAssertEqual(result, "done")
        XCTAssertTrue(db.isAutocommit)
        let reader = try openConnection()
        XCTAssertEqual(try reader.scalar("SELECT count(*) FROM t", as: Int?.self), 1)
    }

    func testTransactionRollsBackWhenBodyThrows() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER)")
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t VALUES (?)", [1])
            throw Planned()
        }) { error in
            XCTAssertTrue(error is Planned, "the body's own error comes back: \(error)")
        }
        XCTAssertTrue(db.isAutocommit)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t", as: Int?.self), 0)
    }

    func testNestedTransactionIsASavepointWhoseFailureUndoesOnlyTheInnerWork() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER)")
        try db.transaction {
            try db.run("INSERT INTO t VALUES (?)", [1])
            XCTAssertThrowsError(try db.transaction {
                try db.run("INSERT INTO t VALUES (?)", [2])
                throw Planned()
            })
            XCTAssertFalse(db.isAutocommit, "the outer transaction carries on")
            try db.transaction { try db.run("INSERT INTO t VALUES (?)", [3]) }
        }
        XCTAssertEqual(try db.query("SELECT n FROM t ORDER BY n") { try $0.get(0, as: Int.self) }, [1, 3])
    }

    func testSavepointsNestSeveralLevelsDeep() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER)")
        try db.transaction {
            try db.savepoint {
                try db.run("INSERT INTO t VALUES (?)", [1])
                try? db.savepoint {
                    try db.run("INSERT INTO t VALUES (?)", [2])
                    try db.savepoint { try db.run("INSERT INTO t VALUES (?)", [3]) }
                    throw Planned()
                }
                try db.run("INSERT INTO t VALUES (?)", [4])
            }
        }
        XCTAssertEqual(try db.query("SELECT n FROM t ORDER BY n") { try $0.get(0, as: Int.self) }, [1, 4])
    }

    func testFailingOuterTransactionUndoesCommittedInnerSavepoint() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER)")
        XCTAssertThrowsError(try db.transaction {
            try db.transaction { try db.run("INSERT INTO t VALUES (?)", [1]) }
            throw Planned()
        })
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t", as: Int?.self), 0)
    }

    // MARK: Configuration

    /// A writer that finds another holding the write lock waits (`BusyWait`): it says so once
    /// after a second, gets the lock when the other lets go, and gives up after its limit.
    func testAWriterWaitsForAnotherUpToItsLimitAndSaysSoAfterASecond() throws {
        let holder = try openConnection("shared.sqlite")
        try holder.execute("CREATE TABLE t (n INTEGER)")
        final class Notices: @unchecked Sendable {
            private let lock = NSLock()
            private var count = 0
            func note() { lock.lock(); count += 1; lock.unlock() }
            var value: Int { lock.lock(); defer { lock.unlock() }; return count }
        }

        let impatient = try Connection(path: holder.path, mode: .readWrite, busyWait: BusyWait(limit: 0.3))
        try holder.execute("BEGIN IMMEDIATE")
        let start = Date()
        XCTAssertThrowsError(try impatient.transaction(.immediate) { try impatient.run("INSERT INTO t VALUES (1)") }) { error in
            XCTAssertTrue((error as? SQLiteError)?.isBusy == true, "\(error)")
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.3, "it waited its limit")

        let notices = Notices()
        let patient = try Connection(path: holder.path, mode: .readWrite, busyWait: BusyWait(limit: 10, notice: { notices.note() }))
        let released = expectation(description: "the holder lets go")
        let holderBox = UncheckedBox(holder)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) {
            try? holderBox.value.execute("COMMIT")
            released.fulfill()
        }
        try patient.transaction(.immediate) { try patient.run("INSERT INTO t VALUES (2)") }
        wait(for: [released], timeout: 10)
        XCTAssertEqual(notices.value, 1, "said once that it waits")
        XCTAssertEqual(try patient.scalar("SELECT count(*) FROM t", as: Int?.self), 1)
        XCTAssertEqual(BusyWait.limitFromEnvironment { ["PHR_BUSY_WAIT": "2.5"][$0] }, 2.5)
        XCTAssertEqual(BusyWait.limitFromEnvironment { ["PHR_BUSY_WAIT": "soon"][$0] }, BusyWait.defaultLimit)
    }

    private final class UncheckedBox<T>: @unchecked Sendable {
        let value: T
        init(_ value: T) { self.value = value }
    }

    func testConnectionIsConfiguredForDurabilityAndIntegrity() throws {
        let db = try openConnection()
        try assertConfigured(db)
    }

    func testStoreConnectionKeepsItsConfigurationAfterMigrating() throws {
        let store = try openStore()
        try assertConfigured(store.database)
    }

    private func assertConfigured(_ db: Connection, line: UInt = #line) throws {
        XCTAssertEqual(try db.scalar("PRAGMA journal_mode", as: String?.self), "wal", line: line)
        XCTAssertEqual(try db.scalar("PRAGMA foreign_keys", as: Int?.self), 1, line: line)
        XCTAssertEqual(try db.scalar("PRAGMA temp_store", as: Int?.self), 2, line: line)  // MEMORY
        XCTAssertEqual(try db.scalar("PRAGMA synchronous", as: Int?.self), 2, line: line)  // FULL
    }

    func testANewStoreHasSixteenKiBPages() throws {
        let store = try openStore()
        XCTAssertEqual(try store.database.scalar("PRAGMA page_size", as: Int?.self), 16384)
    }

    func testAStoreMadeWithFourKiBPagesKeepsThemAndOpensAsBefore() throws {
        // A store as phr made them before: its pages rewritten at 4 KiB, back in WAL mode.
        _ = try openStore().addPatientAndProvider(patient: "Ada Example")
        var handle: OpaquePointer?
        XCTAssertEqual(sqlite3_open(storePath, &handle), SQLITE_OK)
        XCTAssertEqual(sqlite3_exec(handle, "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL;",
                                    nil, nil, nil), SQLITE_OK)
        sqlite3_close(handle)

        let store = try openStore()
        XCTAssertEqual(try store.database.scalar("PRAGMA page_size", as: Int?.self), 4096)
        _ = try store.addPatientAndProvider(patient: "Bea Example", provider: "Dr. Second")
        XCTAssertEqual(try store.count("patients"), 2)
        XCTAssertEqual(try store.database.scalar("PRAGMA page_size", as: Int?.self), 4096)
        XCTAssertEqual(try store.database.scalar("PRAGMA integrity_check", as: String?.self), "ok")
    }

    func testDoubleQuotedStringIsNotASilentStringLiteral() throws {
        let db = try openConnection()
        try db.execute("CREATE TABLE t (n INTEGER)")
        XCTAssertThrowsError(try db.prepare("SELECT n FROM t WHERE n = \"not a column\""))
    }
}
