-- Complainants' data sealed at rest (see src/db/data-key.ts).
--
-- Identity, contact details, narrative, location, case history text, evidence
-- file names and evidence bytes are stored sealed (AES-256-GCM under a per-value
-- data key wrapped by a key that is never in the database). The columns keep
-- their types: a sealed text is a text starting `ov1.`; sealed bytes start `OVS1`.

-- The ids (never the keys) of the data keys this database holds sealed values under.
-- A start with a key that is not listed is refused.
CREATE TABLE IF NOT EXISTS data_keys (
  id          text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{16}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Sealed bytes are longer than the file; size stays the file's own size.
ALTER TABLE evidence_blobs DROP CONSTRAINT IF EXISTS evidence_blobs_check;
ALTER TABLE evidence_blobs ADD COLUMN IF NOT EXISTS sealed boolean NOT NULL DEFAULT false;
ALTER TABLE evidence_blobs DROP CONSTRAINT IF EXISTS evidence_blobs_size_check;
ALTER TABLE evidence_blobs ADD CONSTRAINT evidence_blobs_size_check CHECK (sealed OR length(bytes) = size);

-- Retention: contact details are deleted a set time after closing unless an
-- administrator has put the case under a legal hold.
ALTER TABLE cases ADD COLUMN IF NOT EXISTS legal_hold boolean NOT NULL DEFAULT false;
ALTER TABLE cases ADD COLUMN IF NOT EXISTS contact_deleted_at timestamptz;
CREATE INDEX IF NOT EXISTS cases_contact_retention_idx ON cases (closed_at) WHERE closed_at IS NOT NULL AND contact_deleted_at IS NULL;

-- A sent message keeps what the audit and a resend decision need (template,
-- dates, a hash of the recipient), not its bodies.
ALTER TABLE email_outbox ALTER COLUMN body_text DROP NOT NULL;
ALTER TABLE email_outbox DROP CONSTRAINT IF EXISTS email_outbox_body_until_sent;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_body_until_sent CHECK (body_text IS NOT NULL OR status = 'sent');
