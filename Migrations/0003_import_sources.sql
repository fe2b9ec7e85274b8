-- phr schema, migration 3: where imported rows came from.
--
-- Each FHIR resource phr imports leaves one 'resource' row here, keyed by where it came from
-- (its absolute fullUrl, else `Type/id`, else its urn:uuid fullUrl, else its first identifier, else
-- its content hash), and 'alias' rows for the other names it can be referred to by (its urn:uuid
-- fullUrl, `Type?identifier=system|value` for each identifier). So:
-- * importing the same data again finds every resource here and adds nothing;
-- * a resource whose content hash changed updates the row it made (the history triggers of
--   0001_initial keep the old version);
-- * references between resources, relative, absolute, urn:uuid or conditional, resolve through
--   these keys, also against earlier imports.
--
-- A key names its row by table and id (ids are never reused, and an undo brings a row back with
-- its id). A key whose row no longer exists is ignored and taken over by the next import, so a
-- removed row comes back when its source is imported again.
--
-- `unresolved` keeps, as text, the references of the resource that pointed to nothing in the
-- input or the store (one `field: reference` a line), so that nothing the source said is lost.
--
-- The enumerations are written with OR rather than IN: SQLite builds a temporary table for an IN
-- list of more than two values each time a row is checked, which slowed imports by a tenth.
CREATE TABLE import_sources (
    source_key     TEXT PRIMARY KEY NOT NULL CHECK (length(source_key) > 0),
    kind           TEXT NOT NULL CHECK (kind = 'resource' OR kind = 'alias'),
    entity_table   TEXT NOT NULL CHECK (entity_table = 'patients' OR entity_table = 'providers'
                                        OR entity_table = 'diagnoses' OR entity_table = 'appointments'
                                        OR entity_table = 'opinions' OR entity_table = 'records'),
    row_id         INTEGER NOT NULL,
    resource_type  TEXT NOT NULL,
    -- SHA-256 (hex) of the resource as read: equal means unchanged since the last import.
    content_hash   TEXT CHECK (content_hash IS NULL OR length(content_hash) = 64),
    unresolved     TEXT,
    imported_at    TEXT NOT NULL,
    CHECK ((kind = 'resource') = (content_hash IS NOT NULL))
) STRICT, WITHOUT ROWID;

-- Matching an imported patient by birth date (then name), and a practitioner by its identifier.
CREATE INDEX patients_by_birth_date ON patients (birth_date);
CREATE INDEX providers_by_identifier ON providers (identifier);
