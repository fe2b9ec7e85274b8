-- phr schema, version 1: the health record store.
--
-- Conventions (see PartialDate and OffsetDateTime in Sources/PHRStore/Dates):
-- * every entity row has an integer id, a stable lowercase UUID for exchange with other systems,
--   and created_at / updated_at as UTC ISO 8601 text with milliseconds;
-- * clinical dates are ISO 8601 text keeping their precision: '2019', '2019-05', '2019-05-14';
-- * date-times are ISO 8601 text with their UTC offset, plus the instant in epoch seconds for
--   ordering;
-- * enumerations are CHECK constraints; every table is STRICT;
-- * ids are AUTOINCREMENT, never reused, so the history of an id is the history of one thing.

CREATE TABLE patients (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    name        TEXT NOT NULL CHECK (length(trim(name)) > 0),
    birth_date  TEXT,
    sex         TEXT CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE providers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    kind          TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organization')),
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    specialty     TEXT,
    organization  TEXT,
    phone         TEXT,
    email         TEXT,
    address       TEXT,
    identifier    TEXT,
    notes         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE INDEX providers_by_name ON providers (name COLLATE NOCASE);

CREATE TABLE diagnoses (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid          TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id    INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    description   TEXT NOT NULL CHECK (length(trim(description)) > 0),
    code          TEXT,
    code_system   TEXT CHECK (code_system IN ('icd-10-cm', 'icd-o-3', 'snomed-ct')),
    diagnosed_on  TEXT,
    provider_id   INTEGER REFERENCES providers (id) ON DELETE RESTRICT,
    status        TEXT NOT NULL DEFAULT 'confirmed'
                  CHECK (status IN ('suspected', 'confirmed', 'refuted', 'resolved')),
    stage         TEXT,
    notes         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (code IS NULL OR code_system IS NOT NULL)
) STRICT;

CREATE INDEX diagnoses_by_patient ON diagnoses (patient_id, diagnosed_on);
CREATE INDEX diagnoses_by_provider ON diagnoses (provider_id);

CREATE TABLE appointments (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid                TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id          INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    provider_id         INTEGER NOT NULL REFERENCES providers (id) ON DELETE RESTRICT,
    starts_at           TEXT NOT NULL,
    starts_at_epoch     INTEGER NOT NULL,
    duration_minutes    INTEGER CHECK (duration_minutes > 0),
    location            TEXT,
    purpose             TEXT NOT NULL DEFAULT 'consultation'
                        CHECK (purpose IN ('consultation', 'second-opinion', 'follow-up', 'test',
                                           'treatment', 'other')),
    reason              TEXT,
    diagnosis_id        INTEGER REFERENCES diagnoses (id) ON DELETE SET NULL,
    status              TEXT NOT NULL DEFAULT 'scheduled'
                        CHECK (status IN ('scheduled', 'completed', 'cancelled', 'missed')),
    insurance_status    TEXT CHECK (insurance_status IN ('not-needed', 'pending', 'approved', 'denied')),
    insurance_reference TEXT,
    notes               TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

-- Upcoming appointments of a patient: WHERE patient_id = ? AND starts_at_epoch >= ? ORDER BY starts_at_epoch.
CREATE INDEX appointments_by_patient_time ON appointments (patient_id, starts_at_epoch);
CREATE INDEX appointments_by_provider ON appointments (provider_id);
CREATE INDEX appointments_by_diagnosis ON appointments (diagnosis_id);

CREATE TABLE opinions (
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
    agreement       TEXT CHECK (agreement IN ('first', 'agrees', 'partly', 'differs')),
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

-- Opinions of a diagnosis in date order.
CREATE INDEX opinions_by_diagnosis_date ON opinions (diagnosis_id, given_on, id);
CREATE INDEX opinions_by_provider ON opinions (provider_id);
CREATE INDEX opinions_by_appointment ON opinions (appointment_id);

-- File contents, stored once per distinct SHA-256, in fixed-size chunks so that files of any
-- size go in and out with bounded memory. Immutable once written.
CREATE TABLE files (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256      TEXT UNIQUE CHECK (sha256 IS NULL OR length(sha256) = 64),
    size        INTEGER NOT NULL CHECK (size >= 0),
    chunk_size  INTEGER NOT NULL CHECK (chunk_size > 0),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE file_chunks (
    file_id  INTEGER NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL CHECK (seq >= 0),
    data     BLOB NOT NULL,
    PRIMARY KEY (file_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE records (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid            TEXT NOT NULL UNIQUE CHECK (length(uuid) = 36),
    patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    kind            TEXT NOT NULL DEFAULT 'other'
                    CHECK (kind IN ('pathology-report', 'pathology-slides', 'imaging-report',
                                    'imaging-study', 'lab-result', 'consult-note', 'letter', 'other')),
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

-- Records of a patient by date.
CREATE INDEX records_by_patient_date ON records (patient_id, recorded_on);
CREATE INDEX records_by_provider ON records (provider_id);
CREATE INDEX records_by_file ON records (file_id);

CREATE TABLE record_diagnoses (
    record_id     INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    diagnosis_id  INTEGER NOT NULL REFERENCES diagnoses (id) ON DELETE CASCADE,
    PRIMARY KEY (record_id, diagnosis_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX record_diagnoses_by_diagnosis ON record_diagnoses (diagnosis_id, record_id);

-- Settings of the store, such as the default patient.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- History: every change is one row in changes (one per command); the triggers below copy the
-- previous version of every changed or removed row into history, as JSON, under the latest change.
-- Nothing is lost by an edit or a removal, and a whole change can be undone.
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    summary     TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    undoes      INTEGER REFERENCES changes (id)
) STRICT;

CREATE TABLE history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    change_id   INTEGER REFERENCES changes (id),
    table_name  TEXT NOT NULL,
    row_id      INTEGER NOT NULL,
    operation   TEXT NOT NULL CHECK (operation IN ('insert', 'update', 'delete')),
    -- the row before the change (update, delete) or the row inserted (insert), as a JSON object
    snapshot    TEXT NOT NULL CHECK (json_valid(snapshot)),
    changed_at  TEXT NOT NULL
) STRICT;

CREATE INDEX history_by_row ON history (table_name, row_id, id);
CREATE INDEX history_by_change ON history (change_id, id);

CREATE TRIGGER patients_history_insert AFTER INSERT ON patients BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'patients', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'name', NEW.name, 'birth_date', NEW.birth_date, 'sex', NEW.sex, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER patients_history_update AFTER UPDATE ON patients BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'patients', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'name', OLD.name, 'birth_date', OLD.birth_date, 'sex', OLD.sex, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER patients_history_delete AFTER DELETE ON patients BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'patients', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'name', OLD.name, 'birth_date', OLD.birth_date, 'sex', OLD.sex, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER providers_history_insert AFTER INSERT ON providers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'providers', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'kind', NEW.kind, 'name', NEW.name, 'specialty', NEW.specialty, 'organization', NEW.organization, 'phone', NEW.phone, 'email', NEW.email, 'address', NEW.address, 'identifier', NEW.identifier, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER providers_history_update AFTER UPDATE ON providers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'providers', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'kind', OLD.kind, 'name', OLD.name, 'specialty', OLD.specialty, 'organization', OLD.organization, 'phone', OLD.phone, 'email', OLD.email, 'address', OLD.address, 'identifier', OLD.identifier, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER providers_history_delete AFTER DELETE ON providers BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'providers', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'kind', OLD.kind, 'name', OLD.name, 'specialty', OLD.specialty, 'organization', OLD.organization, 'phone', OLD.phone, 'email', OLD.email, 'address', OLD.address, 'identifier', OLD.identifier, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER diagnoses_history_insert AFTER INSERT ON diagnoses BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'diagnoses', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'patient_id', NEW.patient_id, 'description', NEW.description, 'code', NEW.code, 'code_system', NEW.code_system, 'diagnosed_on', NEW.diagnosed_on, 'provider_id', NEW.provider_id, 'status', NEW.status, 'stage', NEW.stage, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER diagnoses_history_update AFTER UPDATE ON diagnoses BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'diagnoses', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'description', OLD.description, 'code', OLD.code, 'code_system', OLD.code_system, 'diagnosed_on', OLD.diagnosed_on, 'provider_id', OLD.provider_id, 'status', OLD.status, 'stage', OLD.stage, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER diagnoses_history_delete AFTER DELETE ON diagnoses BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'diagnoses', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'description', OLD.description, 'code', OLD.code, 'code_system', OLD.code_system, 'diagnosed_on', OLD.diagnosed_on, 'provider_id', OLD.provider_id, 'status', OLD.status, 'stage', OLD.stage, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER appointments_history_insert AFTER INSERT ON appointments BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'appointments', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'patient_id', NEW.patient_id, 'provider_id', NEW.provider_id, 'starts_at', NEW.starts_at, 'starts_at_epoch', NEW.starts_at_epoch, 'duration_minutes', NEW.duration_minutes, 'location', NEW.location, 'purpose', NEW.purpose, 'reason', NEW.reason, 'diagnosis_id', NEW.diagnosis_id, 'status', NEW.status, 'insurance_status', NEW.insurance_status, 'insurance_reference', NEW.insurance_reference, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER appointments_history_update AFTER UPDATE ON appointments BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'appointments', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'provider_id', OLD.provider_id, 'starts_at', OLD.starts_at, 'starts_at_epoch', OLD.starts_at_epoch, 'duration_minutes', OLD.duration_minutes, 'location', OLD.location, 'purpose', OLD.purpose, 'reason', OLD.reason, 'diagnosis_id', OLD.diagnosis_id, 'status', OLD.status, 'insurance_status', OLD.insurance_status, 'insurance_reference', OLD.insurance_reference, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER appointments_history_delete AFTER DELETE ON appointments BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'appointments', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'provider_id', OLD.provider_id, 'starts_at', OLD.starts_at, 'starts_at_epoch', OLD.starts_at_epoch, 'duration_minutes', OLD.duration_minutes, 'location', OLD.location, 'purpose', OLD.purpose, 'reason', OLD.reason, 'diagnosis_id', OLD.diagnosis_id, 'status', OLD.status, 'insurance_status', OLD.insurance_status, 'insurance_reference', OLD.insurance_reference, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER opinions_history_insert AFTER INSERT ON opinions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'opinions', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'diagnosis_id', NEW.diagnosis_id, 'provider_id', NEW.provider_id, 'appointment_id', NEW.appointment_id, 'given_on', NEW.given_on, 'conclusion', NEW.conclusion, 'recommendation', NEW.recommendation, 'stage', NEW.stage, 'agreement', NEW.agreement, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER opinions_history_update AFTER UPDATE ON opinions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'opinions', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'diagnosis_id', OLD.diagnosis_id, 'provider_id', OLD.provider_id, 'appointment_id', OLD.appointment_id, 'given_on', OLD.given_on, 'conclusion', OLD.conclusion, 'recommendation', OLD.recommendation, 'stage', OLD.stage, 'agreement', OLD.agreement, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER opinions_history_delete AFTER DELETE ON opinions BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'opinions', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'diagnosis_id', OLD.diagnosis_id, 'provider_id', OLD.provider_id, 'appointment_id', OLD.appointment_id, 'given_on', OLD.given_on, 'conclusion', OLD.conclusion, 'recommendation', OLD.recommendation, 'stage', OLD.stage, 'agreement', OLD.agreement, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER records_history_insert AFTER INSERT ON records BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'records', NEW.id, 'insert', json_object('id', NEW.id, 'uuid', NEW.uuid, 'patient_id', NEW.patient_id, 'kind', NEW.kind, 'title', NEW.title, 'recorded_on', NEW.recorded_on, 'provider_id', NEW.provider_id, 'file_id', NEW.file_id, 'original_name', NEW.original_name, 'media_type', NEW.media_type, 'notes', NEW.notes, 'created_at', NEW.created_at, 'updated_at', NEW.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER records_history_update AFTER UPDATE ON records BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'records', OLD.id, 'update', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'kind', OLD.kind, 'title', OLD.title, 'recorded_on', OLD.recorded_on, 'provider_id', OLD.provider_id, 'file_id', OLD.file_id, 'original_name', OLD.original_name, 'media_type', OLD.media_type, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER records_history_delete AFTER DELETE ON records BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'records', OLD.id, 'delete', json_object('id', OLD.id, 'uuid', OLD.uuid, 'patient_id', OLD.patient_id, 'kind', OLD.kind, 'title', OLD.title, 'recorded_on', OLD.recorded_on, 'provider_id', OLD.provider_id, 'file_id', OLD.file_id, 'original_name', OLD.original_name, 'media_type', OLD.media_type, 'notes', OLD.notes, 'created_at', OLD.created_at, 'updated_at', OLD.updated_at), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER record_diagnoses_history_insert AFTER INSERT ON record_diagnoses BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'record_diagnoses', NEW.record_id, 'insert', json_object('record_id', NEW.record_id, 'diagnosis_id', NEW.diagnosis_id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER record_diagnoses_history_update AFTER UPDATE ON record_diagnoses BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'record_diagnoses', OLD.record_id, 'update', json_object('record_id', OLD.record_id, 'diagnosis_id', OLD.diagnosis_id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER record_diagnoses_history_delete AFTER DELETE ON record_diagnoses BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'record_diagnoses', OLD.record_id, 'delete', json_object('record_id', OLD.record_id, 'diagnosis_id', OLD.diagnosis_id), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- Settings (the default patient, thresholds) are part of the history too, so that `phr undo`
-- after `phr patient use` takes back exactly that. Settings have no integer id: row_id is 0.
CREATE TRIGGER settings_history_insert AFTER INSERT ON settings BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'settings', 0, 'insert', json_object('key', NEW.key, 'value', NEW.value), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER settings_history_update AFTER UPDATE ON settings BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'settings', 0, 'update', json_object('key', OLD.key, 'value', OLD.value), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
CREATE TRIGGER settings_history_delete AFTER DELETE ON settings BEGIN
    INSERT INTO history (change_id, table_name, row_id, operation, snapshot, changed_at)
    VALUES ((SELECT max(id) FROM changes), 'settings', 0, 'delete', json_object('key', OLD.key, 'value', OLD.value), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;
