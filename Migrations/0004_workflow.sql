-- phr schema, version 4: the second-opinion workflow.
--
-- Record transfers (who asked for, sent and received which record, and where physical items such
-- as slides are), questions for the doctors and their answers, treatment decisions and the
-- opinions they rest on, the facts the readiness checklist needs that 0001 lacks, and a full-text
-- search index kept in step by triggers. Conventions as in 0001_initial.sql (ids AUTOINCREMENT,
-- never reused).

-- A step in moving one record between the patient and providers. from/to NULL: the patient.
-- request: the patient asked `from` to release the record (to the patient, or to `to`);
-- send: the record left `from` for `to`; receive: `to` has the record (confirmed).
-- Physical items (pathology slides and blocks, imaging discs) are records without a file; their
-- current holder is the `to` of their latest send or receive, else the record's provider.
CREATE TABLE transfers (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid              TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    record_id         INTEGER NOT NULL REFERENCES records (id) ON DELETE RESTRICT,
    kind              TEXT NOT NULL CHECK (kind IN ('request', 'send', 'receive')),
    from_provider_id  INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    to_provider_id    INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    via               TEXT CHECK (via IN ('mail', 'fax', 'portal', 'courier', 'in-person', 'packet')),
    occurred_on       TEXT NOT NULL,
    -- tracking number, fax confirmation, portal message id
    reference         TEXT,
    -- for items lent out (slides, blocks, discs): when the holder must return them
    due_back_on       TEXT,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (kind <> 'request' OR from_provider_id IS NOT NULL),
    CHECK (kind <> 'send' OR (to_provider_id IS NOT NULL AND via IS NOT NULL)),
    CHECK (from_provider_id IS NULL OR to_provider_id IS NULL OR from_provider_id <> to_provider_id),
    CHECK (due_back_on IS NULL OR kind <> 'request')
) STRICT;

CREATE INDEX transfers_by_record ON transfers (record_id, occurred_on, id);
CREATE INDEX transfers_by_from ON transfers (from_provider_id);
CREATE INDEX transfers_by_to ON transfers (to_provider_id);

-- Questions the patient wants to ask, for an appointment and/or about a diagnosis.
CREATE TABLE questions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    text            TEXT NOT NULL CHECK (length(trim(text)) > 0),
    appointment_id  INTEGER REFERENCES appointments (id) ON DELETE SET NULL,
    diagnosis_id    INTEGER REFERENCES diagnoses (id) ON DELETE SET NULL,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX questions_by_patient ON questions (patient_id, id);
CREATE INDEX questions_by_appointment ON questions (appointment_id);
CREATE INDEX questions_by_diagnosis ON questions (diagnosis_id);

-- Each provider's answer to a question.
CREATE TABLE answers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid         TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    question_id  INTEGER NOT NULL REFERENCES questions (id) ON DELETE RESTRICT,
    provider_id  INTEGER NOT NULL REFERENCES providers (id) ON DELETE RESTRICT,
    text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
    answered_on  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE INDEX answers_by_question ON answers (question_id, answered_on, id);
CREATE INDEX answers_by_provider ON answers (provider_id);

-- The treatment the patient decided on for a diagnosis, and the opinions it rests on.
CREATE TABLE decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    diagnosis_id  INTEGER NOT NULL REFERENCES diagnoses (id) ON DELETE RESTRICT,
    treatment     TEXT NOT NULL CHECK (length(trim(treatment)) > 0),
    decided_on    TEXT NOT NULL,
    notes         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX decisions_by_diagnosis ON decisions (diagnosis_id, decided_on, id);

CREATE TABLE decision_opinions (
    decision_id  INTEGER NOT NULL REFERENCES decisions (id) ON DELETE CASCADE,
    opinion_id   INTEGER NOT NULL REFERENCES opinions (id) ON DELETE RESTRICT,
    PRIMARY KEY (decision_id, opinion_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX decision_opinions_by_opinion ON decision_opinions (opinion_id, decision_id);

-- Checklist facts about a diagnosis under review (one row at most per diagnosis).
CREATE TABLE diagnosis_reviews (
    diagnosis_id             INTEGER PRIMARY KEY REFERENCES diagnoses (id) ON DELETE CASCADE,
    -- when the patient told the original doctor about the second opinion; NULL: not yet
    original_doctor_told_on  TEXT,
    treatment_planned_on     TEXT,
    treatment_started_on     TEXT,
    notes                    TEXT,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL
) STRICT;

-- Checklist facts about an appointment (one row at most per appointment).
CREATE TABLE appointment_preparations (
    appointment_id      INTEGER PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
    referral            TEXT NOT NULL DEFAULT 'unknown'
                        CHECK (referral IN ('unknown', 'not-needed', 'needed', 'requested', 'received')),
    referral_reference  TEXT,
    notes               TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

-- Text of text-like record files (text/plain, text/markdown, text/csv, text/html without its
-- markup), extracted by phr when the record is added, for the search index. Derived data: never
-- edited, shared by every record with the same file.
CREATE TABLE file_texts (
    file_id  INTEGER PRIMARY KEY REFERENCES files (id) ON DELETE CASCADE,
    text     TEXT NOT NULL
) STRICT;

-- Full-text search over diagnoses, opinions, appointments, records (title, notes, file text),
-- questions, answers, decisions and transfers. Each row's rowid is its item's id * 16 + a code of
-- its kind, so the triggers below find it without a scan. kind/item_id/patient_id/on_date are
-- stored for display and filtering only.
CREATE VIRTUAL TABLE search_index USING fts5 (
    kind UNINDEXED, item_id UNINDEXED, patient_id UNINDEXED, on_date UNINDEXED, title, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- Keeping the search index in step.
CREATE TRIGGER diagnoses_search_insert AFTER INSERT ON diagnoses BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 1, 'diagnosis', NEW.id, NEW.patient_id, NEW.diagnosed_on, NEW.description, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.stage, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER diagnoses_search_update AFTER UPDATE ON diagnoses BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 1;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 1, 'diagnosis', NEW.id, NEW.patient_id, NEW.diagnosed_on, NEW.description, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.stage, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER diagnoses_search_delete AFTER DELETE ON diagnoses BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 1;
END;

CREATE TRIGGER opinions_search_insert AFTER INSERT ON opinions BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 2, 'opinion', NEW.id, (SELECT patient_id FROM diagnoses WHERE id = NEW.diagnosis_id), NEW.given_on, NEW.conclusion, trim(coalesce(NEW.recommendation, '') || ' ' || coalesce(NEW.stage, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER opinions_search_update AFTER UPDATE ON opinions BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 2;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 2, 'opinion', NEW.id, (SELECT patient_id FROM diagnoses WHERE id = NEW.diagnosis_id), NEW.given_on, NEW.conclusion, trim(coalesce(NEW.recommendation, '') || ' ' || coalesce(NEW.stage, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER opinions_search_delete AFTER DELETE ON opinions BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 2;
END;

CREATE TRIGGER appointments_search_insert AFTER INSERT ON appointments BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 3, 'appointment', NEW.id, NEW.patient_id, substr(NEW.starts_at, 1, 10), coalesce(NEW.reason, NEW.purpose), trim(coalesce(NEW.location, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER appointments_search_update AFTER UPDATE ON appointments BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 3;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 3, 'appointment', NEW.id, NEW.patient_id, substr(NEW.starts_at, 1, 10), coalesce(NEW.reason, NEW.purpose), trim(coalesce(NEW.location, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER appointments_search_delete AFTER DELETE ON appointments BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 3;
END;

CREATE TRIGGER records_search_insert AFTER INSERT ON records BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 4, 'record', NEW.id, NEW.patient_id, NEW.recorded_on, NEW.title, trim(coalesce(NEW.notes, '') || ' ' || coalesce(NEW.original_name, '') || ' ' || coalesce((SELECT text FROM file_texts WHERE file_id = NEW.file_id), '')));
END;
CREATE TRIGGER records_search_update AFTER UPDATE ON records BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 4;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 4, 'record', NEW.id, NEW.patient_id, NEW.recorded_on, NEW.title, trim(coalesce(NEW.notes, '') || ' ' || coalesce(NEW.original_name, '') || ' ' || coalesce((SELECT text FROM file_texts WHERE file_id = NEW.file_id), '')));
END;
CREATE TRIGGER records_search_delete AFTER DELETE ON records BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 4;
END;

CREATE TRIGGER questions_search_insert AFTER INSERT ON questions BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 5, 'question', NEW.id, NEW.patient_id, substr(NEW.created_at, 1, 10), NEW.text, trim(coalesce(NEW.notes, '')));
END;
CREATE TRIGGER questions_search_update AFTER UPDATE ON questions BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 5;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 5, 'question', NEW.id, NEW.patient_id, substr(NEW.created_at, 1, 10), NEW.text, trim(coalesce(NEW.notes, '')));
END;
CREATE TRIGGER questions_search_delete AFTER DELETE ON questions BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 5;
END;

CREATE TRIGGER answers_search_insert AFTER INSERT ON answers BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 6, 'answer', NEW.id, (SELECT patient_id FROM questions WHERE id = NEW.question_id), NEW.answered_on, NEW.text, '');
END;
CREATE TRIGGER answers_search_update AFTER UPDATE ON answers BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 6;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 6, 'answer', NEW.id, (SELECT patient_id FROM questions WHERE id = NEW.question_id), NEW.answered_on, NEW.text, '');
END;
CREATE TRIGGER answers_search_delete AFTER DELETE ON answers BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 6;
END;

CREATE TRIGGER decisions_search_insert AFTER INSERT ON decisions BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 7, 'decision', NEW.id, (SELECT patient_id FROM diagnoses WHERE id = NEW.diagnosis_id), NEW.decided_on, NEW.treatment, trim(coalesce(NEW.notes, '')));
END;
CREATE TRIGGER decisions_search_update AFTER UPDATE ON decisions BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 7;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 7, 'decision', NEW.id, (SELECT patient_id FROM diagnoses WHERE id = NEW.diagnosis_id), NEW.decided_on, NEW.treatment, trim(coalesce(NEW.notes, '')));
END;
CREATE TRIGGER decisions_search_delete AFTER DELETE ON decisions BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 7;
END;

CREATE TRIGGER transfers_search_insert AFTER INSERT ON transfers BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 8, 'transfer', NEW.id, (SELECT patient_id FROM records WHERE id = NEW.record_id), NEW.occurred_on, coalesce(NEW.reference, ''), trim(coalesce(NEW.notes, '')));
END;
CREATE TRIGGER transfers_search_update AFTER UPDATE ON transfers BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 8;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 8, 'transfer', NEW.id, (SELECT patient_id FROM records WHERE id = NEW.record_id), NEW.occurred_on, coalesce(NEW.reference, ''), trim(coalesce(NEW.notes, '')));
END;
CREATE TRIGGER transfers_search_delete AFTER DELETE ON transfers BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 8;
END;

-- Rows that existed before this migration.
INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
SELECT diagnoses.id * 16 + 1, 'diagnosis', diagnoses.id, diagnoses.patient_id, diagnoses.diagnosed_on, diagnoses.description, trim(coalesce(diagnoses.code, '') || ' ' || coalesce(diagnoses.stage, '') || ' ' || coalesce(diagnoses.notes, '')) FROM diagnoses;
INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
SELECT opinions.id * 16 + 2, 'opinion', opinions.id, (SELECT patient_id FROM diagnoses WHERE id = opinions.diagnosis_id), opinions.given_on, opinions.conclusion, trim(coalesce(opinions.recommendation, '') || ' ' || coalesce(opinions.stage, '') || ' ' || coalesce(opinions.notes, '')) FROM opinions;
INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
SELECT appointments.id * 16 + 3, 'appointment', appointments.id, appointments.patient_id, substr(appointments.starts_at, 1, 10), coalesce(appointments.reason, appointments.purpose), trim(coalesce(appointments.location, '') || ' ' || coalesce(appointments.notes, '')) FROM appointments;
INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
SELECT records.id * 16 + 4, 'record', records.id, records.patient_id, records.recorded_on, records.title, trim(coalesce(records.notes, '') || ' ' || coalesce(records.original_name, '') || ' ' || coalesce((SELECT text FROM file_texts WHERE file_id = records.file_id), '')) FROM records;

-- A file's text arriving after its record (addRecord stores the record, then extracts the text).
CREATE TRIGGER file_texts_search_insert AFTER INSERT ON file_texts BEGIN
    DELETE FROM search_index WHERE rowid IN (SELECT id * 16 + 4 FROM records WHERE file_id = NEW.file_id);
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    SELECT r.id * 16 + 4, 'record', r.id, r.patient_id, r.recorded_on, r.title, trim(coalesce(r.notes, '') || ' ' || coalesce(r.original_name, '') || ' ' || NEW.text)
    FROM records r WHERE r.file_id = NEW.file_id;
END;

-- History (see 0001_initial.sql): the previous version of every changed or removed row.
CREATE TRIGGER transfers_history_insert AFTER INSERT ON transfers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'transfers', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'record_id', NEW.record_id, 'kind', NEW.kind, 'from_provider_id', NEW.from_provider_id, 'to_provider_id', NEW.to_provider_id, 'via', NEW.via, 'occurred_on', NEW.occurred_on, 'reference', NEW.reference, 'due_back_on', NEW.due_back_on, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER transfers_history_update AFTER UPDATE ON transfers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'transfers', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'record_id', OLD.record_id, 'kind', OLD.kind, 'from_provider_id', OLD.from_provider_id, 'to_provider_id', OLD.to_provider_id, 'via', OLD.via, 'occurred_on', OLD.occurred_on, 'reference', OLD.reference, 'due_back_on', OLD.due_back_on, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER transfers_history_delete AFTER DELETE ON transfers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'transfers', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'record_id', OLD.record_id, 'kind', OLD.kind, 'from_provider_id', OLD.from_provider_id, 'to_provider_id', OLD.to_provider_id, 'via', OLD.via, 'occurred_on', OLD.occurred_on, 'reference', OLD.reference, 'due_back_on', OLD.due_back_on, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER questions_history_insert AFTER INSERT ON questions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'questions', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'patient_id', NEW.patient_id, 'text', NEW.text, 'appointment_id', NEW.appointment_id, 'diagnosis_id', NEW.diagnosis_id, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER questions_history_update AFTER UPDATE ON questions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'questions', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'text', OLD.text, 'appointment_id', OLD.appointment_id, 'diagnosis_id', OLD.diagnosis_id, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER questions_history_delete AFTER DELETE ON questions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'questions', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'text', OLD.text, 'appointment_id', OLD.appointment_id, 'diagnosis_id', OLD.diagnosis_id, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER answers_history_insert AFTER INSERT ON answers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'answers', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'question_id', NEW.question_id, 'provider_id', NEW.provider_id, 'text', NEW.text, 'answered_on', NEW.answered_on, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER answers_history_update AFTER UPDATE ON answers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'answers', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'question_id', OLD.question_id, 'provider_id', OLD.provider_id, 'text', OLD.text, 'answered_on', OLD.answered_on, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER answers_history_delete AFTER DELETE ON answers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'answers', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'question_id', OLD.question_id, 'provider_id', OLD.provider_id, 'text', OLD.text, 'answered_on', OLD.answered_on, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER decisions_history_insert AFTER INSERT ON decisions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'decisions', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'diagnosis_id', NEW.diagnosis_id, 'treatment', NEW.treatment, 'decided_on', NEW.decided_on, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER decisions_history_update AFTER UPDATE ON decisions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'decisions', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'diagnosis_id', OLD.diagnosis_id, 'treatment', OLD.treatment, 'decided_on', OLD.decided_on, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER decisions_history_delete AFTER DELETE ON decisions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'decisions', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'diagnosis_id', OLD.diagnosis_id, 'treatment', OLD.treatment, 'decided_on', OLD.decided_on, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER decision_opinions_history_insert AFTER INSERT ON decision_opinions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'decision_opinions', NEW.decision_id, 'insert', json_object('decision_id', NEW.decision_id, 'opinion_id', NEW.opinion_id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER decision_opinions_history_update AFTER UPDATE ON decision_opinions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'decision_opinions', OLD.decision_id, 'update', json_object('decision_id', OLD.decision_id, 'opinion_id', OLD.opinion_id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER decision_opinions_history_delete AFTER DELETE ON decision_opinions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'decision_opinions', OLD.decision_id, 'delete', json_object('decision_id', OLD.decision_id, 'opinion_id', OLD.opinion_id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER diagnosis_reviews_history_insert AFTER INSERT ON diagnosis_reviews BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'diagnosis_reviews', NEW.diagnosis_id, 'insert', json_object('diagnosis_id', NEW.diagnosis_id, 'original_doctor_told_on', NEW.original_doctor_told_on, 'treatment_planned_on', NEW.treatment_planned_on, 'treatment_started_on', NEW.treatment_started_on, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER diagnosis_reviews_history_update AFTER UPDATE ON diagnosis_reviews BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'diagnosis_reviews', OLD.diagnosis_id, 'update', json_object('diagnosis_id', OLD.diagnosis_id, 'original_doctor_told_on', OLD.original_doctor_told_on, 'treatment_planned_on', OLD.treatment_planned_on, 'treatment_started_on', OLD.treatment_started_on, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER diagnosis_reviews_history_delete AFTER DELETE ON diagnosis_reviews BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'diagnosis_reviews', OLD.diagnosis_id, 'delete', json_object('diagnosis_id', OLD.diagnosis_id, 'original_doctor_told_on', OLD.original_doctor_told_on, 'treatment_planned_on', OLD.treatment_planned_on, 'treatment_started_on', OLD.treatment_started_on, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER appointment_preparations_history_insert AFTER INSERT ON appointment_preparations BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'appointment_preparations', NEW.appointment_id, 'insert', json_object('appointment_id', NEW.appointment_id, 'referral', NEW.referral, 'referral_reference', NEW.referral_reference, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER appointment_preparations_history_update AFTER UPDATE ON appointment_preparations BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'appointment_preparations', OLD.appointment_id, 'update', json_object('appointment_id', OLD.appointment_id, 'referral', OLD.referral, 'referral_reference', OLD.referral_reference, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER appointment_preparations_history_delete AFTER DELETE ON appointment_preparations BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'appointment_preparations', OLD.appointment_id, 'delete', json_object('appointment_id', OLD.appointment_id, 'referral', OLD.referral, 'referral_reference', OLD.referral_reference, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

