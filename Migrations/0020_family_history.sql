-- phr schema, migration 20: family history, one row per condition of one relative.
--
-- A second opinion on a cancer asks who in the family had which cancer and how young (hereditary
-- risk, whether BRCA or panel testing is due). FHIR's FamilyMemberHistory lists a relative with
-- several conditions; here each condition is a row, so that each is listed, searched, edited and
-- exported on its own, and the relative is repeated on each.
--
-- The relative is kept as written (`relationship`: "mother", "Tante mütterlicherseits"), with the
-- FHIR v3-RoleCode code (`relationship_code`: MTH, FTH, SIS, MAUNT, …) when it is known; a
-- relationship phr has no code for is kept without one. `onset_age` and `deceased_age` are ages as
-- written: a number of years ("45"), a range ("40-49") or words ("in her forties"). `deceased`
-- says whether the relative has died (yes, no, unknown), `deceased_age` at what age. The statuses
-- are FHIR's. `source_notes` is what an imported source said that has no field of its own, as in
-- migration 18. History and search triggers are generated from the live schema after every
-- migration.
CREATE TABLE family_history (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid               TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id         INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    relationship       TEXT NOT NULL CHECK (length(trim(relationship)) > 0),
    relationship_code  TEXT CHECK (relationship_code IS NULL OR length(relationship_code) > 0),
    relative_sex       TEXT CHECK ((relative_sex = 'female' OR relative_sex = 'male' OR relative_sex = 'other'
                                    OR relative_sex = 'unknown')),
    condition          TEXT NOT NULL CHECK (length(trim(condition)) > 0),
    code               TEXT,
    code_system        TEXT CHECK ((code_system = 'snomed-ct' OR code_system = 'icd-10' OR code_system = 'other')),
    onset_age          TEXT,
    deceased           TEXT CHECK ((deceased = 'yes' OR deceased = 'no' OR deceased = 'unknown')),
    deceased_age       TEXT,
    status             TEXT NOT NULL DEFAULT 'completed'
                       CHECK ((status = 'partial' OR status = 'completed' OR status = 'entered-in-error'
                               OR status = 'health-unknown')),
    -- a PartialDate
    recorded_on        TEXT,
    notes              TEXT,
    source_notes       TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    CHECK (code_system IS NULL OR code IS NOT NULL),
    CHECK (deceased_age IS NULL OR deceased = 'yes')
) STRICT;

CREATE INDEX family_history_by_patient ON family_history (patient_id, recorded_on, id);
