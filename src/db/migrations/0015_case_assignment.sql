-- Case assignment to an investigator (cases.assigned_to already exists).

-- "Assigned to me": an investigator's own open cases, read by assignee.
CREATE INDEX IF NOT EXISTS cases_assigned_to_idx ON cases (assigned_to) WHERE assigned_to IS NOT NULL;

-- The staff member an event is about (whom a case was assigned to or taken from),
-- kept as an id so the history can name them even after a display name changes.
ALTER TABLE case_events ADD COLUMN IF NOT EXISTS subject_user uuid REFERENCES users(id);

-- The language a staff member reads the office's emails in; NULL means English.
ALTER TABLE users ADD COLUMN IF NOT EXISTS language text CHECK (language IN ('en', 'es'));
