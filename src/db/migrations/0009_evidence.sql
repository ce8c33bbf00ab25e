-- Evidence files on cases, with their chain of custody.
--
-- Bytes are stored once per content, addressed by their sha256, in the database
-- itself (bytea): it works the same on PGlite and PostgreSQL, and a backup of the
-- database is a backup of the evidence. An item is one upload of some content to
-- one case; two uploads of the same bytes share one blob.
--
-- An item points at two blobs: the original as received (the evidence, never
-- changed, kept for its integrity) and the copy that people are shown — for
-- JPEG and PNG, stripped of metadata (location, device, dates); for PDF, MP4 and
-- MP3 the same blob as the original. Only the shared copy is ever served.

CREATE TABLE evidence_blobs (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size        bigint NOT NULL CHECK (size > 0),
  bytes       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (length(bytes) = size)
);
-- Photos, video and audio are already compressed: do not try again.
ALTER TABLE evidence_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL;

CREATE TABLE evidence_items (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id        uuid NOT NULL REFERENCES cases(id),
  sha256         text NOT NULL REFERENCES evidence_blobs(sha256),
  shared_sha256  text NOT NULL REFERENCES evidence_blobs(sha256),
  -- Confidential: a file name can name the complainant. Shown only to roles
  -- that may know who complained; never in an audit entry, a log or a download name.
  original_name  text NOT NULL,
  declared_type  text,
  detected_type  text NOT NULL CHECK (detected_type IN ('image/jpeg','image/png','application/pdf','video/mp4','audio/mpeg')),
  size           bigint NOT NULL CHECK (size > 0 AND size <= 20971520),
  -- 'complainant', or 'user:<uuid>' for staff (as case_events.actor).
  uploaded_by    text NOT NULL CHECK (uploaded_by = 'complainant' OR uploaded_by ~ '^user:[0-9a-f-]{36}$'),
  created_at     timestamptz NOT NULL DEFAULT now(),
  -- Insertion order, for listing (several files share one timestamp).
  seq            bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX evidence_items_case_idx ON evidence_items (case_id, seq);

-- Who added, stripped, viewed and exported each item, and which bytes (by sha256).
CREATE TABLE evidence_custody (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  evidence_id  uuid NOT NULL REFERENCES evidence_items(id),
  actor        text NOT NULL,
  action       text NOT NULL CHECK (action IN ('added','viewed','exported','stripped')),
  sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  at           timestamptz NOT NULL DEFAULT now(),
  seq          bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX evidence_custody_item_idx ON evidence_custody (evidence_id, seq);

-- Evidence and its custody are append-only: nothing is edited or deleted in place.
CREATE FUNCTION evidence_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER evidence_custody_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON evidence_custody
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_is_append_only();
CREATE TRIGGER evidence_items_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON evidence_items
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_is_append_only();
CREATE TRIGGER evidence_blobs_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON evidence_blobs
  FOR EACH STATEMENT EXECUTE FUNCTION evidence_is_append_only();
