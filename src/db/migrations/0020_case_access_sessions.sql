-- The complainant's access to their case from one browser, opened with the case number and receipt.
-- The row is the access: "close on this device" deletes it, and it lapses after 30 minutes unused.
-- Only a hash of the random token in the browser's cookie is stored, so a database leak opens no case.
CREATE TABLE case_access_sessions (
  token_hash    text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  case_id       uuid NOT NULL REFERENCES cases(id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  -- However busy, an access ends this long after it was opened.
  expires_at    timestamptz NOT NULL
);
CREATE INDEX case_access_sessions_case_idx ON case_access_sessions (case_id);
CREATE INDEX case_access_sessions_seen_idx ON case_access_sessions (last_seen_at);
