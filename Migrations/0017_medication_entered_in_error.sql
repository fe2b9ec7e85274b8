-- phr schema, migration 17: a medication may be "entered in error".
--
-- When a portal takes back a medication it listed (FHIR's status `entered-in-error`), an earlier
-- import of it must stop saying the patient takes it. Results, procedures and immunizations
-- already had that status; a medication could only be "stopped", which says it was taken. The row
-- is kept (its history, and undo), marked as its source now says.
--
-- The medications table's CHECK changes, which only a rebuild can do (as in migrations 11 and
-- 16): a new table, the rows copied with their ids, the AUTOINCREMENT counter carried over, the
-- old table dropped, the new one renamed, its indexes made again. No other table refers to it.
-- History and search triggers are generated from the live schema after every migration.
PRAGMA legacy_alter_table = ON;

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
                    CHECK ((status = 'active' OR status = 'stopped' OR status = 'completed' OR status = 'planned'
                            OR status = 'on-hold' OR status = 'entered-in-error')),
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

PRAGMA legacy_alter_table = OFF;
