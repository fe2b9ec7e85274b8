-- phr schema, migration 19: what an imported document, visit or opinion said beyond phr's fields is
-- kept apart from the patient's notes, as migration 18 did for the clinical tables.
--
-- Import wrote a report's conclusion (the words a second-opinion team reads first), the forms it
-- came in, where its file is kept, that a document was superseded, a visit's comment and an
-- opinion's annotations into `notes`, the patient's own notes. A packet keeps those private, so a
-- pathology report imported without its PDF reached the next doctor as a title alone, and
-- `--include-notes` labelled the pathologist's words as the patient's. `source_notes` holds the
-- source's words, written only by import and exported with the row; `notes` is the patient's alone.
--
-- Rows imported before keep what import wrote in `notes`, as in migration 18.
ALTER TABLE records ADD COLUMN source_notes TEXT;
ALTER TABLE appointments ADD COLUMN source_notes TEXT;
ALTER TABLE opinions ADD COLUMN source_notes TEXT;
