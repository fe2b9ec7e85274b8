-- phr schema, migration 16: "no known drug allergies" (and food, environmental) is a statement of
-- its own.
--
-- Records from clinics in the United States write "no known drug allergies" (NKDA) far more often
-- than "no known allergies". The store had only the general statement, so an import dropped the
-- narrower one (keeping it as the general one would have claimed more than the source), and a
-- packet said "allergies not recorded" where the record said NKDA. A "none known" statement may
-- now name the one category it is about: medication, food or environment (the kinds SNOMED CT has
-- a "no known ... allergy" code for); without a category it is about every allergy, as before.
--
-- The allergies table's CHECK changes, which only a rebuild can do (as in migrations 11 and 14):
-- a new table, the rows copied with their ids, the AUTOINCREMENT counter carried over, the old
-- table dropped, the new one renamed, its index made again. History and search triggers are
-- generated from the live schema after every migration.
PRAGMA legacy_alter_table = ON;

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
                                     AND severity IS NULL AND type IS NULL AND criticality IS NULL
                                     AND (category IS NULL OR category <> 'biologic'))),
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

PRAGMA legacy_alter_table = OFF;
