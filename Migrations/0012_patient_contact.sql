-- phr schema, migration 12: how to reach the patient, the record number each hospital gave them,
-- and the date of an imported document reference.
--
-- A new doctor's office files a packet under the patient's record number (MRN) at each hospital
-- and calls or writes to the patient: summary.html prints them on its first page, and fhir.json
-- carries them as Patient.telecom, Patient.address and Patient.identifier (the organization as
-- assigner), which phr's import reads back. Record numbers belong to their patient (removed and
-- restored with them); one number per organization, named as the organization is written.
ALTER TABLE patients ADD COLUMN phone TEXT;
ALTER TABLE patients ADD COLUMN email TEXT;
ALTER TABLE patients ADD COLUMN address TEXT;

CREATE TABLE patient_record_numbers (
    patient_id    INTEGER NOT NULL REFERENCES patients (id) ON DELETE CASCADE,
    organization  TEXT NOT NULL CHECK (length(trim(organization)) > 0),
    value         TEXT NOT NULL CHECK (length(trim(value)) > 0),
    PRIMARY KEY (patient_id, organization)
) STRICT, WITHOUT ROWID;

-- When the document reference a record was imported from was made (FHIR DocumentReference.date,
-- an instant as the source wrote it). phr's export writes it back, so that a packet imported and
-- exported again gives its documents the same date; NULL for records entered in phr, whose
-- reference is made when they are (created_at).
ALTER TABLE records ADD COLUMN referenced_at TEXT;
