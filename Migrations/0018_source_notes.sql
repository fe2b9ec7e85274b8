-- phr schema, migration 18: what an imported record said that has no field of its own is kept apart
-- from the patient's notes.
--
-- Import wrote what a source said beyond phr's fields (histology and laterality, a condition's
-- evidence and abatement, a code phr does not keep, a date in words, why something was not done, a
-- vaccine's dose number and lot, a radiotherapy course's doses, the source's own note annotations)
-- into `notes`, which also holds the patient's own notes. A packet keeps the patient's notes
-- private (fhir.json never carries them, summary.html only when asked), so what the source said
-- never reached the next doctor, and a patient's note on an imported row was overwritten when its
-- source changed. `source_notes` holds the source's words, written only by import and exported with
-- the row; `notes` is the patient's alone.
--
-- Rows imported before keep what import wrote in `notes`: nothing is moved, since a patient may
-- have edited those notes, and they stay private. History and search triggers are generated from
-- the live schema after every migration.
ALTER TABLE diagnoses ADD COLUMN source_notes TEXT;
ALTER TABLE results ADD COLUMN source_notes TEXT;
ALTER TABLE medications ADD COLUMN source_notes TEXT;
ALTER TABLE allergies ADD COLUMN source_notes TEXT;
ALTER TABLE procedures ADD COLUMN source_notes TEXT;
ALTER TABLE immunizations ADD COLUMN source_notes TEXT;
