-- phr schema, migration 11: CHECK constraints compare with = instead of IN (...) lists; indexes on
-- links that are mostly empty hold only the rows that have one.
--
-- SQLite evaluates `x IN ('a', 'b', 'c')` with three or more constants by building a temporary
-- b-tree of the list, once for every execution of the statement: an INSERT into results checked
-- seven such lists, and built seven b-trees, for every row (about 55 of its 66 microseconds in a
-- test on this SQLite, 3.40). The same checks written `(x = 'a' OR x = 'b' OR x = 'c')` accept and
-- refuse exactly the same values (NULL included) and cost a comparison each.
--
-- A CHECK constraint can only change by rebuilding its table, the way SQLite documents for
-- changing a constraint (foreign keys are off during migrations): a new table, the rows copied
-- with their ids, the AUTOINCREMENT counter carried over (so no id is ever used twice), the old
-- table dropped, the new one renamed, its indexes made again. History and search triggers are
-- generated from the live schema after every migration, so they come back by themselves.
--
-- Generated from the schema of migrations 0001-0010. One more change: the indexes on a link that
-- most rows leave empty (a result's diagnosis, report, parent or provider; a medication's or a
-- procedure's provider and diagnosis; an appointment's diagnosis; a diagnosis's or a record's
-- provider) now hold only the rows that have one (`WHERE … IS NOT NULL`). Lookups by a link's
-- value, and SQLite's own foreign-key checks, use them as before; an import no longer writes an
-- empty entry into four of them for every result.
-- legacy_alter_table: the renames must not re-check the triggers of other tables, which name the
-- tables rebuilt here and are valid again once each rename is done.
PRAGMA legacy_alter_table = ON;

-- patients: 1 list
CREATE TABLE patients_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    birth_date  TEXT,
    sex         TEXT CHECK ((sex = 'female' OR sex = 'male' OR sex = 'other' OR sex = 'unknown')),
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
INSERT INTO patients_new (id, uuid, name, birth_date, sex, notes, created_at, updated_at)
SELECT id, uuid, name, birth_date, sex, notes, created_at, updated_at FROM patients;
DELETE FROM sqlite_sequence WHERE name = 'patients_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'patients_new', seq FROM sqlite_sequence WHERE name = 'patients';
DROP TABLE patients;
ALTER TABLE patients_new RENAME TO patients;
CREATE INDEX patients_by_birth_date ON patients (birth_date);

-- diagnoses: 3 lists
CREATE TABLE diagnoses_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id    INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    description   TEXT NOT NULL CHECK (length(trim(description)) > 0),
    code          TEXT,
    code_system   TEXT CHECK ((code_system = 'icd-10-cm' OR code_system = 'icd-o-3' OR code_system = 'snomed-ct')),
    diagnosed_on  TEXT,
    provider_id   INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    status        TEXT NOT NULL DEFAULT 'confirmed'
                  CHECK ((status = 'suspected' OR status = 'confirmed' OR status = 'refuted' OR status = 'resolved')),
    stage         TEXT,
    notes         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'problem'
    CHECK ((kind = 'problem' OR kind = 'encounter-diagnosis' OR kind = 'health-concern' OR kind = 'social-finding')),
    CHECK (code IS NULL OR code_system IS NOT NULL)
) STRICT;
INSERT INTO diagnoses_new (id, uuid, patient_id, description, code, code_system, diagnosed_on, provider_id, status, stage, notes, created_at, updated_at, kind)
SELECT id, uuid, patient_id, description, code, code_system, diagnosed_on, provider_id, status, stage, notes, created_at, updated_at, kind FROM diagnoses;
DELETE FROM sqlite_sequence WHERE name = 'diagnoses_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'diagnoses_new', seq FROM sqlite_sequence WHERE name = 'diagnoses';
DROP TABLE diagnoses;
ALTER TABLE diagnoses_new RENAME TO diagnoses;
CREATE INDEX diagnoses_by_patient ON diagnoses (patient_id, diagnosed_on);
CREATE INDEX diagnoses_by_provider ON diagnoses (provider_id) WHERE provider_id IS NOT NULL;

-- opinions: 1 list
CREATE TABLE opinions_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    diagnosis_id    INTEGER NOT NULL REFERENCES diagnoses (id) ON DELETE RESTRICT,
    provider_id     INTEGER NOT NULL REFERENCES providers (id) ON DELETE RESTRICT,
    appointment_id  INTEGER REFERENCES appointments (id) ON DELETE SET NULL,
    given_on        TEXT NOT NULL,
    conclusion      TEXT NOT NULL CHECK (length(trim(conclusion)) > 0),
    recommendation  TEXT,
    stage           TEXT,
    -- NULL: not stated. The earliest opinion on a diagnosis is 'first'.
    agreement       TEXT CHECK ((agreement = 'first' OR agreement = 'agrees' OR agreement = 'partly' OR agreement = 'differs')),
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
INSERT INTO opinions_new (id, uuid, diagnosis_id, provider_id, appointment_id, given_on, conclusion, recommendation, stage, agreement, notes, created_at, updated_at)
SELECT id, uuid, diagnosis_id, provider_id, appointment_id, given_on, conclusion, recommendation, stage, agreement, notes, created_at, updated_at FROM opinions;
DELETE FROM sqlite_sequence WHERE name = 'opinions_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'opinions_new', seq FROM sqlite_sequence WHERE name = 'opinions';
DROP TABLE opinions;
ALTER TABLE opinions_new RENAME TO opinions;
CREATE INDEX opinions_by_diagnosis_date ON opinions (diagnosis_id, given_on, id);
CREATE INDEX opinions_by_provider ON opinions (provider_id);
CREATE INDEX opinions_by_appointment ON opinions (appointment_id);

-- records: 1 list
CREATE TABLE records_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    kind            TEXT NOT NULL DEFAULT 'other'
                    CHECK ((kind = 'pathology-report' OR kind = 'pathology-slides' OR kind = 'imaging-report' OR kind = 'imaging-study' OR kind = 'lab-result' OR kind = 'consult-note' OR kind = 'letter' OR kind = 'other')),
    title           TEXT NOT NULL CHECK (length(trim(title)) > 0),
    recorded_on     TEXT,
    provider_id     INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    file_id         INTEGER REFERENCES files (id) ON DELETE RESTRICT,
    original_name   TEXT,
    media_type      TEXT,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (file_id IS NOT NULL OR (original_name IS NULL AND media_type IS NULL))
) STRICT;
INSERT INTO records_new (id, uuid, patient_id, kind, title, recorded_on, provider_id, file_id, original_name, media_type, notes, created_at, updated_at)
SELECT id, uuid, patient_id, kind, title, recorded_on, provider_id, file_id, original_name, media_type, notes, created_at, updated_at FROM records;
DELETE FROM sqlite_sequence WHERE name = 'records_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'records_new', seq FROM sqlite_sequence WHERE name = 'records';
DROP TABLE records;
ALTER TABLE records_new RENAME TO records;
CREATE INDEX records_by_patient_date ON records (patient_id, recorded_on);
CREATE INDEX records_by_provider ON records (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX records_by_file ON records (file_id);

-- history: 1 list
CREATE TABLE history_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   INTEGER REFERENCES changes (id),
    table_name  TEXT NOT NULL,
    row_id      INTEGER NOT NULL,
    operation   TEXT NOT NULL CHECK ((operation = 'insert' OR operation = 'update' OR operation = 'delete')),
    -- the row before the change (update, delete) or the row inserted (insert), as a JSON object
    snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
    changed_at  TEXT NOT NULL
) STRICT;
INSERT INTO history_new (id, change_id, table_name, row_id, operation, snapshot, changed_at)
SELECT id, change_id, table_name, row_id, operation, snapshot, changed_at FROM history;
DELETE FROM sqlite_sequence WHERE name = 'history_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'history_new', seq FROM sqlite_sequence WHERE name = 'history';
DROP TABLE history;
ALTER TABLE history_new RENAME TO history;
CREATE INDEX history_by_row ON history (table_name, row_id, id);
CREATE INDEX history_by_change ON history (change_id, id);

-- transfers: 2 lists
CREATE TABLE transfers_new (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid              TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    record_id         INTEGER NOT NULL REFERENCES records (id) ON DELETE RESTRICT,
    kind              TEXT NOT NULL CHECK ((kind = 'request' OR kind = 'send' OR kind = 'receive')),
    from_provider_id  INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    to_provider_id    INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    via               TEXT CHECK ((via = 'mail' OR via = 'fax' OR via = 'portal' OR via = 'courier' OR via = 'in-person' OR via = 'packet')),
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
INSERT INTO transfers_new (id, uuid, record_id, kind, from_provider_id, to_provider_id, via, occurred_on, reference, due_back_on, notes, created_at, updated_at)
SELECT id, uuid, record_id, kind, from_provider_id, to_provider_id, via, occurred_on, reference, due_back_on, notes, created_at, updated_at FROM transfers;
DELETE FROM sqlite_sequence WHERE name = 'transfers_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'transfers_new', seq FROM sqlite_sequence WHERE name = 'transfers';
DROP TABLE transfers;
ALTER TABLE transfers_new RENAME TO transfers;
CREATE INDEX transfers_by_record ON transfers (record_id, occurred_on, id);
CREATE INDEX transfers_by_from ON transfers (from_provider_id);
CREATE INDEX transfers_by_to ON transfers (to_provider_id);

-- appointment_preparations: 1 list
CREATE TABLE appointment_preparations_new (
    appointment_id      INTEGER PRIMARY KEY REFERENCES appointments (id) ON DELETE CASCADE,
    referral            TEXT NOT NULL DEFAULT 'unknown'
                        CHECK ((referral = 'unknown' OR referral = 'not-needed' OR referral = 'needed' OR referral = 'requested' OR referral = 'received')),
    referral_reference  TEXT,
    notes               TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;
INSERT INTO appointment_preparations_new (appointment_id, referral, referral_reference, notes, created_at, updated_at)
SELECT appointment_id, referral, referral_reference, notes, created_at, updated_at FROM appointment_preparations;
DROP TABLE appointment_preparations;
ALTER TABLE appointment_preparations_new RENAME TO appointment_preparations;

-- appointments: 3 lists
CREATE TABLE appointments_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id          INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    provider_id         INTEGER NOT NULL REFERENCES providers (id) ON DELETE RESTRICT,
    -- NULL: the time is unknown (an imported visit that did not say when).
    starts_at           TEXT,
    starts_at_epoch     INTEGER,
    duration_minutes    INTEGER CHECK (duration_minutes > 0),
    location            TEXT,
    purpose             TEXT NOT NULL DEFAULT 'consultation'
                        CHECK ((purpose = 'consultation' OR purpose = 'second-opinion' OR purpose = 'follow-up' OR purpose = 'test' OR purpose = 'treatment' OR purpose = 'other')),
    reason              TEXT,
    diagnosis_id        INTEGER REFERENCES diagnoses (id) ON DELETE SET NULL,
    status              TEXT NOT NULL DEFAULT 'scheduled'
                        CHECK ((status = 'scheduled' OR status = 'completed' OR status = 'cancelled' OR status = 'missed')),
    insurance_status    TEXT CHECK ((insurance_status = 'not-needed' OR insurance_status = 'pending' OR insurance_status = 'approved' OR insurance_status = 'denied')),
    insurance_reference TEXT,
    notes               TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK ((starts_at IS NULL) = (starts_at_epoch IS NULL))
) STRICT;
INSERT INTO appointments_new (id, uuid, patient_id, provider_id, starts_at, starts_at_epoch, duration_minutes, location, purpose, reason, diagnosis_id, status, insurance_status, insurance_reference, notes, created_at, updated_at)
SELECT id, uuid, patient_id, provider_id, starts_at, starts_at_epoch, duration_minutes, location, purpose, reason, diagnosis_id, status, insurance_status, insurance_reference, notes, created_at, updated_at FROM appointments;
DELETE FROM sqlite_sequence WHERE name = 'appointments_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'appointments_new', seq FROM sqlite_sequence WHERE name = 'appointments';
DROP TABLE appointments;
ALTER TABLE appointments_new RENAME TO appointments;
CREATE INDEX appointments_by_patient_time ON appointments (patient_id, starts_at_epoch);
CREATE INDEX appointments_by_provider ON appointments (provider_id);
CREATE INDEX appointments_by_diagnosis ON appointments (diagnosis_id) WHERE diagnosis_id IS NOT NULL;

-- results: 7 lists
CREATE TABLE results_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id          INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    category            TEXT NOT NULL DEFAULT 'laboratory'
                        CHECK ((category = 'laboratory' OR category = 'vital-signs' OR category = 'tumour-marker' OR category = 'biomarker' OR category = 'staging' OR category = 'performance-status' OR category = 'imaging' OR category = 'social-history' OR category = 'other')),
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code                TEXT,
    code_system         TEXT CHECK ((code_system = 'loinc' OR code_system = 'snomed-ct' OR code_system = 'other')),
    value_type          TEXT CHECK ((value_type = 'quantity' OR value_type = 'coded' OR value_type = 'text')),
    value_number        REAL,
    -- '<', '<=', '>=', '>' before the number (`<0.01`), as reported
    value_comparator    TEXT CHECK ((value_comparator = '<' OR value_comparator = '<=' OR value_comparator = '>=' OR value_comparator = '>')),
    value_unit          TEXT,
    value_code          TEXT,
    value_code_system   TEXT CHECK ((value_code_system = 'loinc' OR value_code_system = 'snomed-ct' OR value_code_system = 'other')),
    -- a text value, or a coded value's display
    value_text          TEXT,
    -- what qualifies the value, as written: "95%" of cells for a receptor, "Allred 8/8", "clinical"
    detail              TEXT,
    reference_low       REAL,
    reference_high      REAL,
    -- the range as written ("negative", "<35 U/mL"), kept beside or instead of low/high
    reference_text      TEXT,
    interpretation      TEXT CHECK ((interpretation = 'normal' OR interpretation = 'high' OR interpretation = 'low' OR interpretation = 'abnormal' OR interpretation = 'critical')),
    -- a PartialDate or an OffsetDateTime
    observed_at         TEXT,
    status              TEXT NOT NULL DEFAULT 'final'
                        CHECK ((status = 'registered' OR status = 'preliminary' OR status = 'final' OR status = 'amended' OR status = 'corrected' OR status = 'cancelled' OR status = 'entered-in-error' OR status = 'unknown')),
    provider_id         INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    diagnosis_id        INTEGER REFERENCES diagnoses (id) ON DELETE SET NULL,
    -- the report it belongs to (a DiagnosticReport is a record; its results hang off it)
    record_id           INTEGER REFERENCES records (id) ON DELETE SET NULL,
    -- a part of another result: a blood pressure's systolic value, a panel's member
    parent_id           INTEGER REFERENCES results (id) ON DELETE CASCADE,
    notes               TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (code_system IS NULL OR code IS NOT NULL),
    CHECK (value_type IS NOT NULL OR (value_number IS NULL AND value_code IS NULL AND value_text IS NULL)),
    CHECK (value_type <> 'quantity' OR (value_number IS NOT NULL AND value_code IS NULL)),
    CHECK (value_type = 'quantity' OR (value_number IS NULL AND value_comparator IS NULL AND value_unit IS NULL)),
    CHECK (value_type <> 'coded' OR value_code IS NOT NULL),
    CHECK (value_type = 'coded' OR (value_code IS NULL AND value_code_system IS NULL)),
    CHECK (value_type <> 'text' OR length(trim(value_text)) > 0),
    CHECK (reference_low IS NULL OR reference_high IS NULL OR reference_low <= reference_high),
    CHECK (parent_id IS NULL OR parent_id <> id)
) STRICT;
INSERT INTO results_new (id, uuid, patient_id, category, name, code, code_system, value_type, value_number, value_comparator, value_unit, value_code, value_code_system, value_text, detail, reference_low, reference_high, reference_text, interpretation, observed_at, status, provider_id, diagnosis_id, record_id, parent_id, notes, created_at, updated_at)
SELECT id, uuid, patient_id, category, name, code, code_system, value_type, value_number, value_comparator, value_unit, value_code, value_code_system, value_text, detail, reference_low, reference_high, reference_text, interpretation, observed_at, status, provider_id, diagnosis_id, record_id, parent_id, notes, created_at, updated_at FROM results;
DELETE FROM sqlite_sequence WHERE name = 'results_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'results_new', seq FROM sqlite_sequence WHERE name = 'results';
DROP TABLE results;
ALTER TABLE results_new RENAME TO results;
CREATE INDEX results_by_patient ON results (patient_id, observed_at, id);
CREATE INDEX results_by_name ON results (patient_id, name COLLATE NOCASE, observed_at);
CREATE INDEX results_by_code ON results (patient_id, code, observed_at);
CREATE INDEX results_by_diagnosis ON results (diagnosis_id) WHERE diagnosis_id IS NOT NULL;
CREATE INDEX results_by_record ON results (record_id) WHERE record_id IS NOT NULL;
CREATE INDEX results_by_parent ON results (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX results_by_provider ON results (provider_id) WHERE provider_id IS NOT NULL;

-- medications: 2 lists
CREATE TABLE medications_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code            TEXT,
    code_system     TEXT CHECK ((code_system = 'rxnorm' OR code_system = 'snomed-ct' OR code_system = 'atc' OR code_system = 'other')),
    dose            TEXT,
    route           TEXT,
    frequency       TEXT,
    instructions    TEXT,
    started_on      TEXT,
    ended_on        TEXT,
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK ((status = 'active' OR status = 'stopped' OR status = 'completed' OR status = 'planned' OR status = 'on-hold')),
    -- who prescribed it
    provider_id     INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    -- why: the diagnosis it treats
    diagnosis_id    INTEGER REFERENCES diagnoses (id) ON DELETE SET NULL,
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (code_system IS NULL OR code IS NOT NULL),
    CHECK (started_on IS NULL OR ended_on IS NULL OR substr(ended_on, 1, length(started_on)) >= substr(started_on, 1, length(ended_on)))
) STRICT;
INSERT INTO medications_new (id, uuid, patient_id, name, code, code_system, dose, route, frequency, instructions, started_on, ended_on, status, provider_id, diagnosis_id, notes, created_at, updated_at)
SELECT id, uuid, patient_id, name, code, code_system, dose, route, frequency, instructions, started_on, ended_on, status, provider_id, diagnosis_id, notes, created_at, updated_at FROM medications;
DELETE FROM sqlite_sequence WHERE name = 'medications_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'medications_new', seq FROM sqlite_sequence WHERE name = 'medications';
DROP TABLE medications;
ALTER TABLE medications_new RENAME TO medications;
CREATE INDEX medications_by_patient ON medications (patient_id, status, started_on, id);
CREATE INDEX medications_by_provider ON medications (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX medications_by_diagnosis ON medications (diagnosis_id) WHERE diagnosis_id IS NOT NULL;

-- allergies: 5 lists
CREATE TABLE allergies_new (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                   TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id             INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    entry                  TEXT NOT NULL DEFAULT 'allergy' CHECK (entry IN ('allergy', 'none-known')),
    substance              TEXT,
    substance_code         TEXT,
    substance_code_system  TEXT CHECK ((substance_code_system = 'rxnorm' OR substance_code_system = 'snomed-ct' OR substance_code_system = 'unii' OR substance_code_system = 'other')),
    type                   TEXT CHECK (type IN ('allergy', 'intolerance')),
    category               TEXT CHECK ((category = 'food' OR category = 'medication' OR category = 'environment' OR category = 'biologic')),
    criticality            TEXT CHECK ((criticality = 'low' OR criticality = 'high' OR criticality = 'unable-to-assess')),
    reaction               TEXT,
    severity               TEXT CHECK ((severity = 'mild' OR severity = 'moderate' OR severity = 'severe')),
    status                 TEXT NOT NULL DEFAULT 'active' CHECK ((status = 'active' OR status = 'inactive' OR status = 'resolved')),
    recorded_on            TEXT,
    notes                  TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    CHECK (entry <> 'allergy' OR length(trim(substance)) > 0),
    CHECK (entry <> 'none-known' OR (substance IS NULL AND substance_code IS NULL AND reaction IS NULL
                                     AND severity IS NULL AND type IS NULL AND category IS NULL
                                     AND criticality IS NULL)),
    CHECK (substance_code_system IS NULL OR substance_code IS NOT NULL),
    CHECK (severity IS NULL OR reaction IS NOT NULL)
) STRICT;
INSERT INTO allergies_new (id, uuid, patient_id, entry, substance, substance_code, substance_code_system, type, category, criticality, reaction, severity, status, recorded_on, notes, created_at, updated_at)
SELECT id, uuid, patient_id, entry, substance, substance_code, substance_code_system, type, category, criticality, reaction, severity, status, recorded_on, notes, created_at, updated_at FROM allergies;
DELETE FROM sqlite_sequence WHERE name = 'allergies_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'allergies_new', seq FROM sqlite_sequence WHERE name = 'allergies';
DROP TABLE allergies;
ALTER TABLE allergies_new RENAME TO allergies;
CREATE INDEX allergies_by_patient ON allergies (patient_id, status, id);

-- procedures: 3 lists
CREATE TABLE procedures_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid             TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id       INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code             TEXT,
    code_system      TEXT CHECK ((code_system = 'snomed-ct' OR code_system = 'cpt' OR code_system = 'icd-10-pcs' OR code_system = 'other')),
    category         TEXT NOT NULL DEFAULT 'other'
                     CHECK ((category = 'surgery' OR category = 'biopsy' OR category = 'radiation-therapy' OR category = 'systemic-therapy' OR category = 'other')),
    performed_on     TEXT,
    performed_until  TEXT,
    provider_id      INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    body_site        TEXT,
    -- why: the diagnosis it treats or investigates
    diagnosis_id     INTEGER REFERENCES diagnoses (id) ON DELETE SET NULL,
    outcome          TEXT,
    status           TEXT NOT NULL DEFAULT 'completed'
                     CHECK ((status = 'preparation' OR status = 'in-progress' OR status = 'not-done' OR status = 'on-hold' OR status = 'stopped' OR status = 'completed' OR status = 'entered-in-error' OR status = 'unknown')),
    notes            TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (code_system IS NULL OR code IS NOT NULL),
    CHECK (performed_until IS NULL OR performed_on IS NOT NULL)
) STRICT;
INSERT INTO procedures_new (id, uuid, patient_id, name, code, code_system, category, performed_on, performed_until, provider_id, body_site, diagnosis_id, outcome, status, notes, created_at, updated_at)
SELECT id, uuid, patient_id, name, code, code_system, category, performed_on, performed_until, provider_id, body_site, diagnosis_id, outcome, status, notes, created_at, updated_at FROM procedures;
DELETE FROM sqlite_sequence WHERE name = 'procedures_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'procedures_new', seq FROM sqlite_sequence WHERE name = 'procedures';
DROP TABLE procedures;
ALTER TABLE procedures_new RENAME TO procedures;
CREATE INDEX procedures_by_patient ON procedures (patient_id, performed_on, id);
CREATE INDEX procedures_by_provider ON procedures (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX procedures_by_diagnosis ON procedures (diagnosis_id) WHERE diagnosis_id IS NOT NULL;

-- immunizations: 2 lists
CREATE TABLE immunizations_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid         TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id   INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    vaccine      TEXT NOT NULL CHECK (length(trim(vaccine)) > 0),
    code         TEXT,
    code_system  TEXT CHECK ((code_system = 'cvx' OR code_system = 'snomed-ct' OR code_system = 'other')),
    -- a PartialDate or an OffsetDateTime
    given_on     TEXT,
    status       TEXT NOT NULL DEFAULT 'completed' CHECK ((status = 'completed' OR status = 'not-done' OR status = 'entered-in-error')),
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (code_system IS NULL OR code IS NOT NULL)
) STRICT;
INSERT INTO immunizations_new (id, uuid, patient_id, vaccine, code, code_system, given_on, status, notes, created_at, updated_at)
SELECT id, uuid, patient_id, vaccine, code, code_system, given_on, status, notes, created_at, updated_at FROM immunizations;
DELETE FROM sqlite_sequence WHERE name = 'immunizations_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'immunizations_new', seq FROM sqlite_sequence WHERE name = 'immunizations';
DROP TABLE immunizations;
ALTER TABLE immunizations_new RENAME TO immunizations;
CREATE INDEX immunizations_by_patient ON immunizations (patient_id, given_on, id);

PRAGMA legacy_alter_table = OFF;
