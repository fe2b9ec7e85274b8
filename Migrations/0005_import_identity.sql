-- phr schema, migration 5: imported visits whose time is unknown, and the rows an import made.
--
-- An Encounter or Appointment without a start used to be left out of an import. It is kept now,
-- as an appointment whose time is unknown: `starts_at` and `starts_at_epoch` are NULL together
-- (lists show "date unknown" and put such appointments last; time filters never match them).
--
-- SQLite cannot drop a NOT NULL constraint, so `appointments` is rebuilt the way SQLite's
-- documentation says (new table, copy, drop, rename): ids, and with them every reference and every
-- history entry, stay as they were. The migrator runs this with foreign keys off and checks them
-- afterwards. The old table's indexes and triggers go with it: its indexes are made again here
-- exactly as 0001_initial made them, and its history and search triggers by the migrator, which
-- generates them from SchemaCatalog after every migration (0006). The copy and the
-- drop write no history.
CREATE TABLE appointments_rebuilt (
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
    updated_at          TEXT NOT NULL,
    CHECK ((starts_at IS NULL) = (starts_at_epoch IS NULL))
) STRICT;

INSERT INTO appointments_rebuilt (id, uuid, patient_id, provider_id, starts_at, starts_at_epoch, duration_minutes,
                                  location, purpose, reason, diagnosis_id, status, insurance_status,
                                  insurance_reference, notes, created_at, updated_at)
SELECT id, uuid, patient_id, provider_id, starts_at, starts_at_epoch, duration_minutes, location, purpose, reason,
       diagnosis_id, status, insurance_status, insurance_reference, notes, created_at, updated_at
FROM appointments;
-- AUTOINCREMENT's counter goes along, so that the id of a removed appointment is never given again
-- (undo brings a row back with its id).
DELETE FROM sqlite_sequence WHERE name = 'appointments_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'appointments_rebuilt', seq FROM sqlite_sequence WHERE name = 'appointments';

DROP TABLE appointments;
ALTER TABLE appointments_rebuilt RENAME TO appointments;

CREATE INDEX appointments_by_patient_time ON appointments (patient_id, starts_at_epoch);
CREATE INDEX appointments_by_provider ON appointments (provider_id);
CREATE INDEX appointments_by_diagnosis ON appointments (diagnosis_id);

