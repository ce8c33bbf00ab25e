-- Account security: sign-in throttling and lockout, idle sessions, re-authentication,
-- password resets and two-factor codes.

-- Failed sign-ins within the current window, counted in the database so a restart or a
-- second process does not reset them; `locked_until` refuses every attempt until it passes.
ALTER TABLE users ADD COLUMN IF NOT EXISTS failed_logins integer NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN IF NOT EXISTS last_failed_at timestamptz;
ALTER TABLE users ADD COLUMN IF NOT EXISTS locked_until timestamptz;
-- Two-factor (RFC 6238): the secret is stored encrypted with the server's key; enabled once confirmed.
-- `totp_last_step` is the time step of the last code accepted, so a code is never accepted twice.
ALTER TABLE users ADD COLUMN IF NOT EXISTS totp_secret text;
ALTER TABLE users ADD COLUMN IF NOT EXISTS totp_enabled_at timestamptz;
ALTER TABLE users ADD COLUMN IF NOT EXISTS totp_last_step bigint;

-- A session's public id (for listing and revoking; the token's hash never leaves the server),
-- when it was last used (the idle timeout), when its password was last entered (re-authentication
-- for sensitive actions), the browser it was opened in, and whether it still waits for a
-- two-factor code (such a session signs nobody in).
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS last_seen_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS authenticated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS user_agent text;
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS pending_totp boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX IF NOT EXISTS sessions_id_key ON sessions (id);

-- Password reset links: only the token's hash is kept; single use, short-lived.
CREATE TABLE IF NOT EXISTS password_resets (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX IF NOT EXISTS password_resets_user_idx ON password_resets (user_id);
