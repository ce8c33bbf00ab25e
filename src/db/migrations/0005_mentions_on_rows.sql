-- Rows that name an officer remember which mention (source file + local id) they
-- came through, so an admin can split a wrongly linked person by moving mentions
-- and the rows follow. A merged person points at the one it was merged into.
ALTER TABLE employment ADD COLUMN mention_id uuid REFERENCES person_mentions(id);
ALTER TABLE allegations ADD COLUMN mention_id uuid REFERENCES person_mentions(id);
ALTER TABLE force_officers ADD COLUMN mention_id uuid REFERENCES person_mentions(id);
ALTER TABLE people ADD COLUMN merged_into uuid REFERENCES people(id);
CREATE INDEX allegations_mention_idx ON allegations (mention_id);
CREATE INDEX employment_mention_idx ON employment (mention_id);
CREATE INDEX force_officers_mention_idx ON force_officers (mention_id);
