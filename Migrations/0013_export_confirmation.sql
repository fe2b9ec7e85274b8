-- phr schema, migration 13: an export is logged before its packet is put in place, and confirmed
-- after (issue 14).
--
-- A kill between the rename that puts a packet at OUT and the log's commit used to leave a packet
-- the store did not know about. Now the entry is written first, pending: it names the process
-- putting the packet in place (`<pid>-<start time>`) and the staged packet's file identity
-- (`<device>:<inode>`, which a rename keeps). Once the packet is in place the entry is confirmed
-- (both NULL). A later phr settles an entry whose process is gone by looking at OUT: the packet
-- it staged is there (confirm) or not (drop the entry, and put back a packet replaced with
-- --force).
ALTER TABLE exports ADD COLUMN pending_owner TEXT CHECK (pending_owner IS NULL OR length(pending_owner) > 0);
ALTER TABLE exports ADD COLUMN pending_identity TEXT
    CHECK ((pending_identity IS NULL) = (pending_owner IS NULL));

CREATE INDEX exports_pending ON exports (id) WHERE pending_owner IS NOT NULL;
