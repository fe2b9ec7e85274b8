import Foundation
@testable import PHRStore
import XCTest

/// Every catalogued table's history, generated from its live columns, keeps every column: a row
/// with every column set is added, edited and removed, and each undo gives back exactly the row it
/// was (or no row, for the add).
final class HistoryRoundTripTests: TemporaryStoreTestCase {
    /// One row of every table that keeps history, every column set (ids 100 and up, so that they
    /// refer to the base rows of `addBaseRows` and nothing refers to them).
    static var fullRows: [String: [String: any SQLiteBindable]] { [
        "patients": ["id": 100, "uuid": uuid(1), "name": "Leaf Patient", "birth_date": "1970-01-02", "sex": "female",
                     "phone": "+1 555 0111", "email": "leaf@example.org", "address": "2 Leaf Road",
                     "notes": "patient notes", "created_at": stamp, "updated_at": stamp],
        "providers": ["id": 100, "uuid": uuid(2), "kind": "organization", "name": "Leaf Clinic", "specialty": "pathology",
                      "organization": "Leaf Health", "phone": "+1 555 0100", "email": "leaf@example.org",
                      "address": "1 Leaf Road", "identifier": "NPI|100", "notes": "provider notes",
                      "created_at": stamp, "updated_at": stamp],
        "diagnoses": ["id": 100, "uuid": uuid(3), "patient_id": 1, "description": "Leaf carcinoma", "code": "C50.9",
                      "code_system": "icd-10-cm", "diagnosed_on": "2026-01", "provider_id": 1, "status": "suspected",
                      "stage": "II", "notes": "diagnosis notes", "source_notes": "diagnosis source notes", "kind": "health-concern",
                      "created_at": stamp, "updated_at": stamp],
        "appointments": ["id": 100, "uuid": uuid(4), "patient_id": 1, "provider_id": 1,
                         "starts_at": "2026-02-03T09:00:00+01:00", "starts_at_epoch": 1_770_105_600,
                         "duration_minutes": 45, "location": "Room 4", "purpose": "second-opinion", "reason": "review",
                         "diagnosis_id": 1, "status": "completed", "insurance_status": "approved",
                         "insurance_reference": "INS-100", "notes": "appointment notes", "source_notes": "appointment source notes",
                         "created_at": stamp, "updated_at": stamp],
        "opinions": ["id": 100, "uuid": uuid(5), "diagnosis_id": 1, "provider_id": 1, "appointment_id": 1,
                     "given_on": "2026-02-03", "conclusion": "Agrees mostly", "recommendation": "surgery first",
                     "stage": "IIA", "agreement": "partly", "notes": "opinion notes", "source_notes": "opinion source notes",
                     "created_at": stamp, "updated_at": stamp],
        "records": ["id": 100, "uuid": uuid(6), "patient_id": 1, "kind": "lab-result", "title": "Leaf labs",
                    "recorded_on": "2026-01-15", "provider_id": 1, "file_id": 1, "original_name": "labs.txt",
                    "media_type": "text/plain", "notes": "record notes", "source_notes": "record source notes",
                    "referenced_at": "2026-01-15T10:00:00Z", "created_at": stamp, "updated_at": stamp],
        "record_diagnoses": ["record_id": 1, "diagnosis_id": 1],
        "patient_record_numbers": ["patient_id": 1, "organization": "Leaf Hospital", "value": "MRN-100"],
        "transfers": ["id": 100, "uuid": uuid(7), "record_id": 1, "kind": "send", "from_provider_id": 1,
                      "to_provider_id": 2, "via": "courier", "occurred_on": "2026-01-20", "reference": "TRACK-100",
                      "due_back_on": "2026-03-01", "notes": "transfer notes", "created_at": stamp, "updated_at": stamp],
        "questions": ["id": 100, "uuid": uuid(8), "patient_id": 1, "text": "Is surgery needed?", "appointment_id": 1,
                      "diagnosis_id": 1, "notes": "question notes", "created_at": stamp, "updated_at": stamp],
        "answers": ["id": 100, "uuid": uuid(9), "question_id": 1, "provider_id": 1, "text": "Yes",
                    "answered_on": "2026-02-03", "created_at": stamp, "updated_at": stamp],
        "decisions": ["id": 100, "uuid": uuid(10), "diagnosis_id": 1, "treatment": "Surgery", "decided_on": "2026-02-10",
                      "notes": "decision notes", "created_at": stamp, "updated_at": stamp],
        "decision_opinions": ["decision_id": 1, "opinion_id": 1],
        "diagnosis_reviews": ["diagnosis_id": 1, "original_doctor_told_on": "2026-01-25",
                              "treatment_planned_on": "2026-02-15", "treatment_started_on": "2026-02-20",
                              "notes": "review notes", "created_at": stamp, "updated_at": stamp],
        "appointment_preparations": ["appointment_id": 1, "referral": "requested", "referral_reference": "REF-1",
                                     "notes": "preparation notes", "created_at": stamp, "updated_at": stamp],
        "settings": ["key": "test_setting", "value": "on"],
        "results": ["id": 100, "uuid": uuid(11), "patient_id": 1, "category": "tumour-marker", "name": "CA 15-3",
                    "code": "6875-9", "code_system": "loinc", "value_type": "quantity", "value_number": 42.5,
                    "value_comparator": "<", "value_unit": "U/mL", "value_code": SQLiteValue.null,
                    "value_code_system": SQLiteValue.null, "value_text": "42.5 U/mL as printed", "detail": "serum",
                    "reference_low": 0.0, "reference_high": 30.0, "reference_text": "0-30", "interpretation": "high",
                    "observed_at": "2026-11-20T08:15:00+01:00", "status": "amended", "provider_id": 1,
                    "diagnosis_id": 1, "record_id": 1, "parent_id": 1, "notes": "result notes", "source_notes": "result source notes",
                    "created_at": stamp, "updated_at": stamp],
        "medications": ["id": 100, "uuid": uuid(12), "patient_id": 1, "name": "Letrozole 2.5 mg tablet",
                        "code": "72965", "code_system": "rxnorm", "dose": "2.5 mg", "route": "by mouth",
                        "frequency": "once daily", "instructions": "with water", "started_on": "2026-11-01",
                        "ended_on": "2027-11-01", "status": "on-hold", "provider_id": 1, "diagnosis_id": 1,
                        "notes": "medication notes", "source_notes": "medication source notes", "created_at": stamp, "updated_at": stamp],
        "allergies": ["id": 100, "uuid": uuid(13), "patient_id": 1, "entry": "allergy", "substance": "Penicillin",
                      "substance_code": "7980", "substance_code_system": "rxnorm", "type": "allergy",
                      "category": "medication", "criticality": "high", "reaction": "hives", "severity": "moderate",
                      "status": "resolved", "recorded_on": "2020-05", "notes": "allergy notes", "source_notes": "allergy source notes",
                      "created_at": stamp, "updated_at": stamp],
        "procedures": ["id": 100, "uuid": uuid(14), "patient_id": 1, "name": "Lumpectomy", "code": "392021009",
                       "code_system": "snomed-ct", "category": "surgery", "performed_on": "2026-12-01",
                       "performed_until": "2026-12-01T13:00:00+01:00", "provider_id": 1, "body_site": "left breast",
                       "diagnosis_id": 1, "outcome": "clear margins", "status": "completed",
                       "notes": "procedure notes", "source_notes": "procedure source notes", "created_at": stamp, "updated_at": stamp],
        "immunizations": ["id": 100, "uuid": uuid(15), "patient_id": 1, "vaccine": "Influenza, seasonal",
                          "code": "141", "code_system": "cvx", "given_on": "2025-10-02", "status": "completed",
                          "notes": "immunization notes", "source_notes": "immunization source notes", "created_at": stamp, "updated_at": stamp],
        "family_history": ["id": 100, "uuid": uuid(16), "patient_id": 1, "relationship": "maternal aunt",
                           "relationship_code": "MAUNT", "relative_sex": "female", "condition": "Ovarian cancer",
                           "code": "363443007", "code_system": "snomed-ct", "onset_age": "52", "deceased": "yes",
                           "deceased_age": "58", "status": "partial", "recorded_on": "2026-10",
                           "notes": "family history notes", "source_notes": "family history source notes",
                           "created_at": stamp, "updated_at": stamp],
    ] }

    /// Columns a full row leaves null because its CHECKs make them exclusive of others (a result's
    /// coded value beside its number).
    static let exclusiveColumns: [String: [String]] = ["results": ["value_code", "value_code_system"]]

    static let stamp = "2026-01-01T10:00:00.000Z"
    static func uuid(_ n: Int) -> String { "00000000-0000-4000-8000-" + String(format: "%012d", n) }

    /// The rows the full rows refer to: a patient, two providers, a diagnosis, an appointment, an
    /// opinion, a file, a record, a question, a decision and a result (a panel), all with id 1
    /// (provider 2 too).
    static func addBaseRows(_ store: HealthStore) throws {
        try store.write("base rows") {
            try store.database.execute("""
                INSERT INTO patients (id, uuid, name, created_at, updated_at)
                    VALUES (1, '\(uuid(901))', 'Base', '\(stamp)', '\(stamp)');
                INSERT INTO providers (id, uuid, name, created_at, updated_at)
                    VALUES (1, '\(uuid(902))', 'Dr. Base', '\(stamp)', '\(stamp)'),
                           (2, '\(uuid(903))', 'Dr. Other', '\(stamp)', '\(stamp)');
                INSERT INTO diagnoses (id, uuid, patient_id, description, created_at, updated_at)
                    VALUES (1, '\(uuid(904))', 1, 'Base diagnosis', '\(stamp)', '\(stamp)');
                INSERT INTO appointments (id, uuid, patient_id, provider_id, starts_at, starts_at_epoch, created_at, updated_at)
                    VALUES (1, '\(uuid(905))', 1, 1, '2026-02-01T09:00:00Z', 1769936400, '\(stamp)', '\(stamp)');
                INSERT INTO opinions (id, uuid, diagnosis_id, provider_id, given_on, conclusion, created_at, updated_at)
                    VALUES (1, '\(uuid(906))', 1, 1, '2026-02-01', 'Base opinion', '\(stamp)', '\(stamp)');
                INSERT INTO files (id, sha256, size, chunk_size, created_at) VALUES (1, NULL, 0, 65536, '\(stamp)');
                INSERT INTO records (id, uuid, patient_id, title, created_at, updated_at)
                    VALUES (1, '\(uuid(907))', 1, 'Base record', '\(stamp)', '\(stamp)');
                INSERT INTO questions (id, uuid, patient_id, text, created_at, updated_at)
                    VALUES (1, '\(uuid(908))', 1, 'Base question', '\(stamp)', '\(stamp)');
                INSERT INTO decisions (id, uuid, diagnosis_id, treatment, decided_on, created_at, updated_at)
                    VALUES (1, '\(uuid(909))', 1, 'Base treatment', '2026-02-02', '\(stamp)', '\(stamp)');
                INSERT INTO results (id, uuid, patient_id, name, created_at, updated_at)
                    VALUES (1, '\(uuid(910))', 1, 'Base panel', '\(stamp)', '\(stamp)');
                """)
        }
    }

    func testEveryTableWithHistoryHasAFullRowHere() throws {
        let store = try openStore()
        XCTAssertEqual(Set(Self.fullRows.keys), Set(SchemaCatalog.historyTables.map(\.name)))
        for (table, values) in Self.fullRows {
            XCTAssertEqual(Set(values.keys), Set(try SchemaCatalog.columns(of: table, in: store.database)),
                           "\(table): set every column")
        }
    }

    func testAddEditAndRemoveOfEveryTableAreUndoneToTheWholeRow() throws {
        let store = try openStore()
        try Self.addBaseRows(store)
        for table in SchemaCatalog.historyTables {
            let values = try XCTUnwrap(Self.fullRows[table.name], table.name)
            let history = try XCTUnwrap(table.history)
            let columns = try SchemaCatalog.columns(of: table.name, in: store.database)
            let key = try XCTUnwrap(values.filter { history.key.contains($0.key) }.jsonKey(history.key))

            try store.write("add \(table.name)") {
                try store.database.run("""
                    INSERT INTO \(table.name) (\(columns.joined(separator: ", ")))
                    VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
                    """, columns.map { values[$0] ?? SQLiteValue.null })
            }
            let added = try XCTUnwrap(store.rowJSON(table.name, key: key), table.name)
            XCTAssertEqual(try store.nullColumns(added), Self.exclusiveColumns[table.name] ?? [],
                           "\(table.name): every column set")
            let insert = try XCTUnwrap(store.history(table: table.name, limit: 1).first, table.name)
            XCTAssertEqual(insert.operation, .insert)
            XCTAssertEqual(try store.storedSnapshotKeys(ofHistory: insert.id), history.key, "\(table.name) insert")
            XCTAssertEqual(insert.snapshot, added, "\(table.name): the row as inserted is read back whole")

            // An edit: the column every edit sets (or, for a link, a column set to itself).
            let edited = columns.contains("updated_at") ? "updated_at" : columns.contains("value") ? "value" : columns[0]
            try store.write("edit \(table.name)") {
                try store.database.run("""
                    UPDATE \(table.name) SET \(edited) = CASE WHEN ?2 THEN \(edited) ELSE 'edited' END
                    WHERE \(Self.keyCondition(history.key))
                    """, [key, edited == columns[0] && history.key.contains(edited)])
            }
            let update = try XCTUnwrap(store.history(table: table.name, limit: 1).first)
            XCTAssertEqual(update.operation, .update)
            XCTAssertEqual(try store.storedSnapshotKeys(ofHistory: update.id), columns, "\(table.name) update")
            XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "edit \(table.name)")
            XCTAssertEqual(try store.rowJSON(table.name, key: key), added, "\(table.name): undo of an edit")

            try store.write("remove \(table.name)") {
                try store.database.run("DELETE FROM \(table.name) WHERE \(Self.keyCondition(history.key))", [key])
            }
            let delete = try XCTUnwrap(store.history(table: table.name, limit: 1).first)
            XCTAssertEqual(delete.operation, .delete)
            XCTAssertEqual(try store.storedSnapshotKeys(ofHistory: delete.id), columns, "\(table.name) delete")
            XCTAssertNil(try store.rowJSON(table.name, key: key))
            XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "remove \(table.name)")
            XCTAssertEqual(try store.rowJSON(table.name, key: key), added, "\(table.name): undo of a removal")

            XCTAssertEqual(try store.write("undo") { try store.undoLastChange() }.summary, "add \(table.name)")
            XCTAssertNil(try store.rowJSON(table.name, key: key), "\(table.name): undo of an add")
        }
    }

    static func keyCondition(_ key: [String]) -> String {
        key.map { "\($0) = json_extract(?1, '$.\($0)')" }.joined(separator: " AND ")
    }
}

extension Dictionary where Key == String, Value == any SQLiteBindable {
    /// The key columns' values as a JSON object, for binding as `?1`.
    func jsonKey(_ key: [String]) -> String? {
        var object: [String: Any] = [:]
        for column in key {
            guard let value = self[column]?.sqliteValue else { return nil }
            switch value {
            case .integer(let number): object[column] = number
            case .text(let text): object[column] = text
            default: return nil
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

extension HealthStore {
    /// The row of `table` with `key` (a JSON object of its key columns), as a JSON object of every
    /// live column in order; `nil` when there is no such row.
    func rowJSON(_ table: String, key: String) throws -> String? {
        let history = try XCTUnwrap(SchemaCatalog.table(named: table)?.history)
        let columns = try SchemaCatalog.columns(of: table, in: database)
        return try database.scalar("""
            SELECT json_object(\(columns.map { "'\($0)', \($0)" }.joined(separator: ", "))) FROM \(table)
            WHERE \(HistoryRoundTripTests.keyCondition(history.key))
            """, [key])
    }

    /// The keys of a JSON object that are null.
    func nullColumns(_ json: String) throws -> [String] {
        try database.query("SELECT key FROM json_each(?) WHERE type = 'null'", [json]) { try $0.get(0, as: String.self) }
    }

    /// The keys of a history row's snapshot as stored, in order.
    func storedSnapshotKeys(ofHistory id: Int64) throws -> [String] {
        try database.query("SELECT j.key FROM history h, json_each(h.snapshot) j WHERE h.id = ? ORDER BY j.id", [id]) {
            try $0.get(0, as: String.self)
        }
    }
}
