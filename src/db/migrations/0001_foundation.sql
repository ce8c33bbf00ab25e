-- Foundation: the audit log, users and sessions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Append-only log hashed as an RFC 6962 Merkle tree. `entry` is the exact text
-- that was hashed; `leaf_hash` = SHA-256(0x00 || entry); `tree_root` is the root
-- of the tree of entries 0..seq, so the first altered entry can be named.
CREATE TABLE audit_log (
  seq        bigint PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  entity     text NOT NULL,
  entity_id  text,
  entry      text NOT NULL,
  leaf_hash  bytea NOT NULL,
  tree_root  bytea NOT NULL
);

-- One row: the tree's size and its frontier (the roots of its perfect subtrees),
-- enough to append in O(log n) without reading the log. Locked per append.
CREATE TABLE audit_state (
  id        boolean PRIMARY KEY DEFAULT true CHECK (id),
  size      bigint NOT NULL,
  frontier  jsonb NOT NULL
);
INSERT INTO audit_state (id, size, frontier) VALUES (true, 0, '[]');

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
-- Statement-level, so even a DELETE or TRUNCATE that matches no row is refused.
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL,
  display_name  text NOT NULL,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin','intake','investigator','board_member','organizer','public')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  disabled_at   timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

-- Only a hash of the session token is stored, so a database leak yields no live sessions.
CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_secret text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
