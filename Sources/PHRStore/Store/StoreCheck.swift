import Foundation

/// What `phr check` found: SQLite's own checks, every file against its SHA-256, the history, the
/// history and search triggers, the export log and scratch left by runs that were killed.
///
/// `problems` lists what is wrong now (empty for a healthy store); `notes` what was found and
/// already put right (by opening the store, or by `fix`) and what is in progress.
public struct StoreCheck: Sendable {
    public var problems: [String] = []
    public var notes: [String] = []
    /// Files checked against their SHA-256, and their bytes.
    public var filesChecked = 0
    public var bytesChecked: Int64 = 0
    /// The store file's size and its unused part (nil when they could not be read).
    public var space: StoreSpace?

    public var isHealthy: Bool { problems.isEmpty }
}

extension HealthStore {
    /// SQLite's `quick_check`: the b-trees' structure, without the slower index cross-checks.
    /// `nil` when it finds nothing, else its first findings.
    public func quickCheck() throws -> [String]? {
        var found: [String] = []
        do {
            try database.forEach("PRAGMA quick_check(20)") { row in found.append(try row.get(0, as: String.self)) }
        } catch let error as SQLiteError where error.isCorrupt && !found.isEmpty {
            found.append(error.message)
        }
        return found == ["ok"] ? nil : found.map(Self.oneLine)
    }

    /// SQLite's findings can span lines (`*** in database main ***\nPage 30: ...`).
    static func oneLine(_ finding: String) -> String {
        finding.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Checks the whole store, and copies its write-ahead log into the store file (`checkLog`).
    /// With `fix`, does only what is safe: puts back the history and search triggers phr generates
    /// when they differ, removes scratch of runs that are gone (and an older phr's owner-less
    /// scratch beside the store, untouched for an hour), and also truncates the WAL (finishing an
    /// erase another phr held up).
    /// Runs in one read transaction; a damaged file never stops the checks of the others.
    public func check(fix: Bool) throws -> StoreCheck {
        var report = StoreCheck()
        for settled in tidiedOnOpening.settledExports {
            report.notes.append("export \(settled.exportID) to \(settled.destination) was left unconfirmed by a phr that stopped: "
                                + (settled.outcome == .confirmed ? "the packet is in place, so it is now confirmed"
                                   : "the packet never got there, so it is no longer logged"))
        }
        for leftover in tidiedOnOpening.removedScratch {
            report.notes.append("removed scratch left by a phr that stopped: \(leftover.path)")
        }
        // Each part runs on its own: a damaged b-tree that stops one (SQLITE_CORRUPT) is reported,
        // and the others still run.
        func part(_ name: String, _ body: () throws -> Void) {
            do { try read(body) } catch let error as SQLiteError {
                report.problems.append("\(name) could not be checked: \(Self.oneLine(error.message)) (\(error.codeName))")
            } catch {
                report.problems.append("\(name) could not be checked: \(error)")
            }
        }
        part("SQLite integrity") {
            // On some damage SQLite gives its findings, then fails the next step: keep both.
            var integrity: [String] = []
            do {
                try database.forEach("PRAGMA integrity_check(100)") { row in integrity.append(try row.get(0, as: String.self)) }
            } catch let error as SQLiteError where error.isCorrupt && !integrity.isEmpty {
                integrity.append(error.message)
            }
            if integrity != ["ok"] {
                report.problems += integrity.map { "SQLite integrity check: \(Self.oneLine($0))" }
            }
        }
        part("foreign keys") {
            try database.forEach("PRAGMA foreign_key_check") { row in
                let table: String = try row.get(0)
                let rowID: Int64? = try row.get(1)
                let parent: String = try row.get(2)
                report.problems.append("foreign key: a row of \(table) (rowid \(rowID.map(String.init) ?? "?")) points at a missing row of \(parent)")
            }
        }
        part("record files") { try checkFiles(&report) }
        part("history") { try checkHistory(&report) }
        // An open trusts the schema stamp (`SchemaStamp`) and compares no trigger; the check does.
        var triggersDiffer = false
        part("triggers") {
            triggersDiffer = try !HistoryTriggers.isCurrent(in: database) || !SearchTriggers.isCurrent(in: database)
        }
        if triggersDiffer, fix {
            // The schema version changes, so the next open checks the store in full and stamps it.
            try database.transaction(.immediate) {
                try HistoryTriggers.update(in: database)
                try SearchTriggers.update(in: database)
            }
            report.notes.append("the history and search triggers differed from this phr's; they are put back")
        } else if triggersDiffer {
            report.problems.append("the history or search triggers differ from this phr's (edited by hand?): phr check --fix puts them back")
        }
        part("export log") {
            for pending in try pendingExports() {
                if ProcessOwner(pending.owner)?.isAlive ?? false {
                    report.notes.append("export \(pending.id) to \(pending.destination) is being put in place by a phr still running (process \(pending.owner))")
                } else {
                    report.problems.append("export \(pending.id) to \(pending.destination) is unconfirmed and its folder cannot be reached; "
                                           + "reconnect it and run phr again to settle it")
                }
            }
        }
        part("space") { report.space = try space() }
        if !isReadOnly { checkLog(truncating: fix, &report) }
        for leftover in Scratch.leftovers(besideStore: path, remove: fix) {
            let whose = leftover.owner.map { "a phr that stopped (process \($0.pid))" } ?? "an older phr"
            if leftover.removed {
                report.notes.append("removed scratch left by \(whose): \(leftover.path)")
            } else {
                let hint = leftover.owner == nil ? " (phr check --fix removes it once it is an hour old)" : " (phr check --fix removes it)"
                report.problems.append("scratch left by \(whose): \(leftover.path)\(hint)")
            }
        }
        return report
    }

    /// Copies the write-ahead log into the store file (as every phr does as it closes), and with
    /// `truncating` empties it; a log the disk has no room to copy is a problem, since a copy of
    /// the store file alone would lack the changes it holds.
    private func checkLog(truncating: Bool, _ report: inout StoreCheck) {
        do {
            switch try copyLogIntoStore(truncating: truncating) {
            case .complete:
                break
            case .heldByAnotherReader:
                if truncating { report.notes.append("the WAL could not be truncated: another phr is using the store") }
            case .noRoom(let logPath, let logBytes, let freeBytes):
                let free = freeBytes.map { ": \(StoreError.megabytes($0)) MB are free on its disk" } ?? ""
                report.problems.append("changes are waiting in \(logPath) (\(StoreError.megabytes(logBytes)) MB) beside the store, "
                                       + "for lack of room to copy them into it\(free); a copy of the store file alone lacks them: "
                                       + "free some space and run phr check again, and until then copy both files if you copy the store by hand")
            }
        } catch {
            report.problems.append("the write-ahead log could not be copied into the store: \(error)")
        }
    }

    /// Reads every stored file (chunk by chunk) and compares it with its SHA-256 and size.
    private func checkFiles(_ report: inout StoreCheck) throws {
        let files = try database.query("SELECT id, sha256, size FROM files ORDER BY id") { row in
            (id: try row.get("id", as: Int64.self), sha256: try row.get("sha256", as: String?.self), size: try row.get("size", as: Int64.self))
        }
        let fileStore = FileStore(database: database)
        for file in files {
            let users = try database.query("SELECT id FROM records WHERE file_id = ? ORDER BY id", [file.id]) { row in
                try row.get(0, as: Int64.self)
            }
            let named = users.isEmpty ? "file \(file.id) (no record uses it)" : "file of record " + users.map(String.init).joined(separator: ", ")
            guard let sha256 = file.sha256 else {
                report.problems.append("\(named) was never completely stored")
                continue
            }
            let intact = try fileStore.read(StoredFile(id: file.id, sha256: sha256, size: file.size)) { _ in }
            report.filesChecked += 1
            report.bytesChecked += file.size
            if !intact { report.problems.append("\(named) does not match its SHA-256: its bytes are damaged") }
        }
    }

    /// The history agrees with the rows: each names a table phr keeps history of, no undo points
    /// at a later change, and no row that exists has "removed" as its newest history.
    private func checkHistory(_ report: inout StoreCheck) throws {
        let known = SchemaCatalog.historyTables.map(\.name)
        let unknown = try database.query("SELECT DISTINCT table_name FROM history ORDER BY 1") { row in
            try row.get(0, as: String.self)
        }.filter { !known.contains($0) }
        for table in unknown { report.problems.append("history: rows of an unknown table \(table)") }
        let forward: Int64 = try database.scalar("SELECT count(*) FROM changes WHERE undoes >= id") ?? 0
        if forward > 0 { report.problems.append("history: \(forward) undo(s) naming a later change") }
        for table in SchemaCatalog.historyTables where table.history?.rowID == "id" {
            // Table names come from the catalog, never from input.
            let contradicted: Int64 = try database.scalar("""
                SELECT count(*) FROM \(table.name) t WHERE (SELECT operation FROM history h
                    WHERE h.table_name = ? AND h.row_id = t.id ORDER BY h.id DESC LIMIT 1) = 'delete'
                """, [table.name]) ?? 0
            if contradicted > 0 {
                report.problems.append("history: \(contradicted) \(table.plural) exist though their history says removed")
            }
        }
    }
}
