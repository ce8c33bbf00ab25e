-- Complaint search shows matches newest first, 25 at a time. With the sort key indexed,
-- a common word's first page is read in order and stops after 25 rows instead of
-- sorting every match.
CREATE INDEX IF NOT EXISTS complaints_on_date_idx
  ON complaints ((coalesce(incident_date, received_date)) DESC NULLS LAST, external_id);

-- A profile shows "more complaints than N% of the agency's M officers": M is counted once
-- when the statistics are rebuilt, not over the agency's officers on every profile view.
ALTER TABLE person_stats ADD COLUMN IF NOT EXISTS peer_count integer NOT NULL DEFAULT 0;
UPDATE person_stats s SET peer_count = peers.n
  FROM (SELECT agency_id, count(*)::int AS n FROM person_stats GROUP BY agency_id) peers
 WHERE peers.agency_id IS NOT DISTINCT FROM s.agency_id;

-- The text search parser reads "Operation/Personnel" as one file-path token, so neither
-- word found it. Slashes become spaces before indexing (the query side does the same).
DROP INDEX IF EXISTS complaints_search_idx;
ALTER TABLE complaints DROP COLUMN search;
ALTER TABLE complaints ADD COLUMN search tsvector
  GENERATED ALWAYS AS (to_tsvector('english', translate(search_text, '/', ' '))) STORED;
CREATE INDEX complaints_search_idx ON complaints USING gin (search);
