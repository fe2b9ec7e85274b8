-- phr schema, migration 7: what the new doctor reads first.
--
-- Results (labs, vital signs, tumour markers, biomarkers, staging, performance status, imaging
-- findings), medications, allergies, procedures and immunizations, each a STRICT table with its
-- enumerations CHECKed; and the kind of each diagnosis, so that social findings no longer bury
-- the medical problems. Conventions as in 0001_initial.sql (ids AUTOINCREMENT, never reused; dates
-- as text in PartialDate's form; a date that may carry a time is a PartialDate or an
-- OffsetDateTime, keeping the precision it was given). History triggers are generated from
-- SchemaCatalog (see 0006_schema_catalog.sql); the search index triggers are below.

-- A diagnosis's kind (FHIR Condition.category; SNOMED CT's semantic tag for social findings).
-- Existing diagnoses are medical problems.
ALTER TABLE diagnoses ADD COLUMN kind TEXT NOT NULL DEFAULT 'problem'
    CHECK (kind IN ('problem', 'encounter-diagnosis', 'health-concern', 'social-finding'));

-- One observation. Its value is one of: a number with its unit (UCUM, or as written when not
-- UCUM: an unknown unit is kept, never refused), a coded value (code, system, display in
-- value_text), or text (ranges and ratios as written). No value at all: a panel or a blood
-- pressure whose parts (rows with parent_id) hold the values, or a result reported without one.
CREATE TABLE results (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id          INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    category            TEXT NOT NULL DEFAULT 'laboratory'
                        CHECK (category IN ('laboratory', 'vital-signs', 'tumour-marker', 'biomarker', 'staging',
                                            'performance-status', 'imaging', 'social-history', 'other')),
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code                TEXT,
    code_system         TEXT CHECK (code_system IN ('loinc', 'snomed-ct', 'other')),
    value_type          TEXT CHECK (value_type IN ('quantity', 'coded', 'text')),
    value_number        REAL,
    -- '<', '<=', '>=', '>' before the number (`<0.01`), as reported
    value_comparator    TEXT CHECK (value_comparator IN ('<', '<=', '>=', '>')),
    value_unit          TEXT,
    value_code          TEXT,
    value_code_system   TEXT CHECK (value_code_system IN ('loinc', 'snomed-ct', 'other')),
    -- a text value, or a coded value's display
    value_text          TEXT,
    -- what qualifies the value, as written: "95%" of cells for a receptor, "Allred 8/8", "clinical"
    detail              TEXT,
    reference_low       REAL,
    reference_high      REAL,
    -- the range as written ("negative", "<35 U/mL"), kept beside or instead of low/high
    reference_text      TEXT,
    interpretation      TEXT CHECK (interpretation IN ('normal', 'high', 'low', 'abnormal', 'critical')),
    -- a PartialDate or an OffsetDateTime
    observed_at         TEXT,
    status              TEXT NOT NULL DEFAULT 'final'
                        CHECK (status IN ('registered', 'preliminary', 'final', 'amended', 'corrected',
                                          'cancelled', 'entered-in-error', 'unknown')),
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

CREATE INDEX results_by_patient ON results (patient_id, observed_at, id);
CREATE INDEX results_by_name ON results (patient_id, name COLLATE NOCASE, observed_at);
CREATE INDEX results_by_code ON results (patient_id, code, observed_at);
CREATE INDEX results_by_diagnosis ON results (diagnosis_id);
CREATE INDEX results_by_record ON results (record_id);
CREATE INDEX results_by_parent ON results (parent_id);
CREATE INDEX results_by_provider ON results (provider_id);

-- A medication, prescribed, taken or given. Dose, route and frequency as written
-- ("50 mg", "by mouth", "twice daily"); instructions: the whole sig as written when it is not
-- split into those parts.
CREATE TABLE medications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code            TEXT,
    code_system     TEXT CHECK (code_system IN ('rxnorm', 'snomed-ct', 'atc', 'other')),
    dose            TEXT,
    route           TEXT,
    frequency       TEXT,
    instructions    TEXT,
    started_on      TEXT,
    ended_on        TEXT,
    status          TEXT NOT NULL DEFAULT 'active'
                    CHECK (status IN ('active', 'stopped', 'completed', 'planned', 'on-hold')),
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

CREATE INDEX medications_by_patient ON medications (patient_id, status, started_on, id);
CREATE INDEX medications_by_provider ON medications (provider_id);
CREATE INDEX medications_by_diagnosis ON medications (diagnosis_id);

-- An allergy or intolerance, or the statement "no known allergies" (entry 'none-known', with its
-- recorded date and no substance), which is distinct from nothing recorded at all.
-- reaction: the manifestations as written ("hives; wheezing"); severity: of the worst reaction.
CREATE TABLE allergies (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                   TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id             INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    entry                  TEXT NOT NULL DEFAULT 'allergy' CHECK (entry IN ('allergy', 'none-known')),
    substance              TEXT,
    substance_code         TEXT,
    substance_code_system  TEXT CHECK (substance_code_system IN ('rxnorm', 'snomed-ct', 'unii', 'other')),
    type                   TEXT CHECK (type IN ('allergy', 'intolerance')),
    category               TEXT CHECK (category IN ('food', 'medication', 'environment', 'biologic')),
    criticality            TEXT CHECK (criticality IN ('low', 'high', 'unable-to-assess')),
    reaction               TEXT,
    severity               TEXT CHECK (severity IN ('mild', 'moderate', 'severe')),
    status                 TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'resolved')),
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

CREATE INDEX allergies_by_patient ON allergies (patient_id, status, id);

-- A procedure: surgery, biopsy, radiation or systemic therapy, other. performed_on/performed_until:
-- a date, or a period (radiation over weeks); each a PartialDate or an OffsetDateTime.
CREATE TABLE procedures (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid             TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id       INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    name             TEXT NOT NULL CHECK (length(trim(name)) > 0),
    code             TEXT,
    code_system      TEXT CHECK (code_system IN ('snomed-ct', 'cpt', 'icd-10-pcs', 'other')),
    category         TEXT NOT NULL DEFAULT 'other'
                     CHECK (category IN ('surgery', 'biopsy', 'radiation-therapy', 'systemic-therapy', 'other')),
    performed_on     TEXT,
    performed_until  TEXT,
    provider_id      INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    body_site        TEXT,
    -- why: the diagnosis it treats or investigates
    diagnosis_id     INTEGER REFERENCES diagnoses (id) ON DELETE SET NULL,
    outcome          TEXT,
    status           TEXT NOT NULL DEFAULT 'completed'
                     CHECK (status IN ('preparation', 'in-progress', 'not-done', 'on-hold', 'stopped',
                                       'completed', 'entered-in-error', 'unknown')),
    notes            TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (code_system IS NULL OR code IS NOT NULL),
    CHECK (performed_until IS NULL OR performed_on IS NOT NULL)
) STRICT;

CREATE INDEX procedures_by_patient ON procedures (patient_id, performed_on, id);
CREATE INDEX procedures_by_provider ON procedures (provider_id);
CREATE INDEX procedures_by_diagnosis ON procedures (diagnosis_id);

-- A vaccination (CVX code, or another system, and the vaccine as written).
CREATE TABLE immunizations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid         TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id   INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    vaccine      TEXT NOT NULL CHECK (length(trim(vaccine)) > 0),
    code         TEXT,
    code_system  TEXT CHECK (code_system IN ('cvx', 'snomed-ct', 'other')),
    -- a PartialDate or an OffsetDateTime
    given_on     TEXT,
    status       TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'not-done', 'entered-in-error')),
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (code_system IS NULL OR code IS NOT NULL)
) STRICT;

CREATE INDEX immunizations_by_patient ON immunizations (patient_id, given_on, id);

-- Keeping the search index in step (rowid = id * 16 + the kind's code, as in 0004_workflow.sql).
CREATE TRIGGER results_search_insert AFTER INSERT ON results BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 9, 'result', NEW.id, NEW.patient_id, substr(NEW.observed_at, 1, 10), NEW.name, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.value_text, '') || ' ' || coalesce(NEW.value_unit, '') || ' ' || coalesce(NEW.detail, '') || ' ' || coalesce(NEW.reference_text, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER results_search_update AFTER UPDATE ON results BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 9;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 9, 'result', NEW.id, NEW.patient_id, substr(NEW.observed_at, 1, 10), NEW.name, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.value_text, '') || ' ' || coalesce(NEW.value_unit, '') || ' ' || coalesce(NEW.detail, '') || ' ' || coalesce(NEW.reference_text, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER results_search_delete AFTER DELETE ON results BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 9;
END;

CREATE TRIGGER medications_search_insert AFTER INSERT ON medications BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 10, 'medication', NEW.id, NEW.patient_id, NEW.started_on, NEW.name, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.dose, '') || ' ' || coalesce(NEW.route, '') || ' ' || coalesce(NEW.frequency, '') || ' ' || coalesce(NEW.instructions, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER medications_search_update AFTER UPDATE ON medications BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 10;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 10, 'medication', NEW.id, NEW.patient_id, NEW.started_on, NEW.name, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.dose, '') || ' ' || coalesce(NEW.route, '') || ' ' || coalesce(NEW.frequency, '') || ' ' || coalesce(NEW.instructions, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER medications_search_delete AFTER DELETE ON medications BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 10;
END;

CREATE TRIGGER allergies_search_insert AFTER INSERT ON allergies BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 11, 'allergy', NEW.id, NEW.patient_id, NEW.recorded_on, coalesce(NEW.substance, 'No known allergies'), trim(coalesce(NEW.substance_code, '') || ' ' || coalesce(NEW.reaction, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER allergies_search_update AFTER UPDATE ON allergies BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 11;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 11, 'allergy', NEW.id, NEW.patient_id, NEW.recorded_on, coalesce(NEW.substance, 'No known allergies'), trim(coalesce(NEW.substance_code, '') || ' ' || coalesce(NEW.reaction, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER allergies_search_delete AFTER DELETE ON allergies BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 11;
END;

CREATE TRIGGER procedures_search_insert AFTER INSERT ON procedures BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 12, 'procedure', NEW.id, NEW.patient_id, substr(NEW.performed_on, 1, 10), NEW.name, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.body_site, '') || ' ' || coalesce(NEW.outcome, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER procedures_search_update AFTER UPDATE ON procedures BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 12;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 12, 'procedure', NEW.id, NEW.patient_id, substr(NEW.performed_on, 1, 10), NEW.name, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.body_site, '') || ' ' || coalesce(NEW.outcome, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER procedures_search_delete AFTER DELETE ON procedures BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 12;
END;

CREATE TRIGGER immunizations_search_insert AFTER INSERT ON immunizations BEGIN
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 13, 'immunization', NEW.id, NEW.patient_id, substr(NEW.given_on, 1, 10), NEW.vaccine, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER immunizations_search_update AFTER UPDATE ON immunizations BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 13;
    INSERT INTO search_index (rowid, kind, item_id, patient_id, on_date, title, body)
    VALUES (NEW.id * 16 + 13, 'immunization', NEW.id, NEW.patient_id, substr(NEW.given_on, 1, 10), NEW.vaccine, trim(coalesce(NEW.code, '') || ' ' || coalesce(NEW.notes, '')));
END;
CREATE TRIGGER immunizations_search_delete AFTER DELETE ON immunizations BEGIN
    DELETE FROM search_index WHERE rowid = OLD.id * 16 + 13;
END;
