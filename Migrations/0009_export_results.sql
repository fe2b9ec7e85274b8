-- phr schema, migration 9: the sharing log names the results a packet carried.
--
-- Packets now carry results (fhir.json's Observations, summary.html's labs and markers), so
-- `phr status` can count recent lab results as sent to a doctor once a packet for that doctor
-- held them, and only then. A log like export_records (0002): no history triggers, so `phr undo`
-- never removes the trace of a packet that has left the machine, and no foreign key to results,
-- so a result removed later stays named in the log.
CREATE TABLE export_results (
    export_id    INTEGER NOT NULL REFERENCES exports (id) ON DELETE CASCADE,
    result_id    INTEGER NOT NULL,
    result_uuid  TEXT NOT NULL CHECK (length(result_uuid) = 36),
    PRIMARY KEY (export_id, result_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX export_results_by_result ON export_results (result_id, export_id);
