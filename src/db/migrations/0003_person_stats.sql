-- Derived per-officer figures, rebuilt after each import so profiles read one row
-- instead of counting a million allegations per request.
CREATE TABLE person_stats (
  person_id             uuid PRIMARY KEY REFERENCES people(id),
  agency_id             uuid REFERENCES agencies(id),
  complaint_count       integer NOT NULL,
  allegation_count      integer NOT NULL,
  sustained_count       integer NOT NULL,
  -- Share of the agency's officers with fewer complaints, 0..100.
  complaint_percentile  numeric(5, 2) NOT NULL
);
CREATE INDEX person_stats_agency_idx ON person_stats (agency_id, complaint_count);

-- Every star/badge number a person has held, from every source, for badge search.
CREATE TABLE person_badges (
  person_id  uuid NOT NULL REFERENCES people(id),
  agency_id  uuid REFERENCES agencies(id),
  badge      text NOT NULL,
  PRIMARY KEY (person_id, badge)
);
CREATE INDEX person_badges_badge_idx ON person_badges (badge);
