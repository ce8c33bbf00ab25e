-- Deleting or re-pointing allegations (the CPDP accused-file merge, merges and splits of people)
-- checks discipline.allegation_id for every row: without an index that is a scan per row.
CREATE INDEX IF NOT EXISTS discipline_allegation_idx ON discipline (allegation_id);
