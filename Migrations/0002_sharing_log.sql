-- The sharing log: every packet phr exported, for whom, and which records went into it, so that
-- "what has this doctor already seen?" has an answer (`phr record list --sent-to`, `phr export --log`).
--
-- A log, not data the patient edits: these tables have no history triggers, so `phr undo` never
-- removes the trace of a packet that has already left the machine.

CREATE TABLE exports (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The packet's FHIR document identifier (Bundle.identifier), so a packet can be traced back.
    document_uuid   TEXT NOT NULL UNIQUE CHECK (length(document_uuid) = 36),
    -- The log is part of the patient's record: a patient with packets sent cannot be removed
    -- (a removal must never lose data, and the log has no history of its own).
    patient_id      INTEGER NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    -- The receiving provider, if named; the name is kept as it was, in case the provider is removed.
    provider_id     INTEGER REFERENCES providers (id) ON DELETE SET NULL,
    recipient_name  TEXT,
    exported_at     TEXT NOT NULL,
    -- Where the packet was written (absolute path), and whether it is a folder or a zip file.
    destination     TEXT NOT NULL CHECK (length(destination) > 0),
    format          TEXT NOT NULL CHECK (format IN ('folder', 'zip')),
    -- Whether the record files themselves were included (not with --no-files).
    with_files      INTEGER NOT NULL CHECK (with_files IN (0, 1)),
    -- The scope as the user gave it, e.g. "diagnoses 3; since 2026-01".
    scope           TEXT NOT NULL,
    -- Bytes written in all (the packet's files, or the zip).
    byte_count      INTEGER NOT NULL CHECK (byte_count >= 0),
    CHECK (provider_id IS NULL OR recipient_name IS NOT NULL)
) STRICT;

CREATE INDEX exports_by_patient ON exports (patient_id, exported_at);
CREATE INDEX exports_by_provider ON exports (provider_id, exported_at);

-- The records a packet described. No foreign key to records: a record removed later stays in the
-- log (and an undone removal brings back the same id, which the log still names).
CREATE TABLE export_records (
    export_id    INTEGER NOT NULL REFERENCES exports (id) ON DELETE CASCADE,
    record_id    INTEGER NOT NULL,
    record_uuid  TEXT NOT NULL CHECK (length(record_uuid) = 36),
    -- The record's place in the packet (0-based).
    position     INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (export_id, record_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX export_records_by_record ON export_records (record_id, export_id);
