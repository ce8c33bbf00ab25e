-- Petitions: a petition with its sponsors, points and thresholds; signatures
-- (online, confirmed by an emailed link, or paper, added by staff); running
-- tallies; counts of rejected attempts. See src/campaign/petitions/README.md.
--
-- Personal data lives only in petition_signatures (name, zip, and the address
-- as an HMAC) and in the outbox's confirmation emails; both are wiped by the
-- anonymisation job a configurable time after the petition closes.

CREATE TABLE petitions (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Stable and readable: /petitions/<slug>. Words the routes use are refused.
  slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,79}$' AND slug NOT IN ('new', 'confirm', 'assets')),
  title_en            text NOT NULL,
  title_es            text NOT NULL,
  text_en             text NOT NULL,
  text_es             text NOT NULL,
  -- True when the Spanish text is our translation, not the organizers' words.
  text_es_translated  boolean NOT NULL DEFAULT false,
  target_en           text NOT NULL,
  target_es           text NOT NULL,
  -- Where threshold notices go; NULL when no address is on file (the threshold is still recorded).
  target_email        text,
  -- 'assumption' when the sources do not say who the petition is addressed to.
  target_basis        text NOT NULL DEFAULT 'stated' CHECK (target_basis IN ('stated', 'assumption')),
  target_note_en      text,
  target_note_es      text,
  goal                integer NOT NULL CHECK (goal > 0),
  opens_at            timestamptz NOT NULL,
  -- NULL: open until someone closes it.
  closes_at           timestamptz,
  -- Set by the anonymisation job once every signer's data is gone.
  anonymised_at       timestamptz,
  created_by          text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (closes_at IS NULL OR closes_at > opens_at)
);

CREATE TABLE petition_sponsors (
  petition_id        uuid NOT NULL REFERENCES petitions(id),
  position           integer NOT NULL CHECK (position > 0),
  name               text NOT NULL,
  -- The campaign's organization (campaign_organizations.slug) when it is one; not a foreign
  -- key, so a petition can be created before the campaign's seed runs.
  organization_slug  text,
  PRIMARY KEY (petition_id, position)
);

-- The petition's numbered demands, linked to the campaign's tracked demands when they exist.
CREATE TABLE petition_points (
  petition_id  uuid NOT NULL REFERENCES petitions(id),
  number       integer NOT NULL CHECK (number > 0),
  text_en      text NOT NULL,
  text_es      text NOT NULL,
  demand_slug  text,
  PRIMARY KEY (petition_id, number)
);

-- "At N verified signatures, the target must respond": reached once, notified once.
CREATE TABLE petition_thresholds (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  petition_id  uuid NOT NULL REFERENCES petitions(id),
  signatures   integer NOT NULL CHECK (signatures > 0),
  label_en     text NOT NULL,
  label_es     text NOT NULL,
  reached_at   timestamptz,
  -- The notice's outbox message; NULL when reached with no address on file.
  notice_id    uuid,
  UNIQUE (petition_id, signatures)
);

CREATE TABLE petition_paper_batches (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  petition_id  uuid NOT NULL REFERENCES petitions(id),
  file_sha256  text NOT NULL,
  rows         integer NOT NULL CHECK (rows >= 0),
  uploaded_by  text NOT NULL,
  uploaded_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (petition_id, file_sha256)
);

-- One row per signature. Ids are made by the server before the row is written, so a
-- batch can build its confirmation emails without reading anything back.
CREATE TABLE petition_signatures (
  id                  uuid PRIMARY KEY,
  petition_id         uuid NOT NULL REFERENCES petitions(id),
  source              text NOT NULL CHECK (source IN ('online', 'paper')),
  status              text NOT NULL CHECK (status IN ('pending', 'verified', 'invalidated', 'expired')),
  -- Personal data: NULL after anonymisation.
  name                text,
  zip                 text CHECK (zip ~ '^\d{5}$'),
  -- HMAC-SHA256 (server secret) of the normalised address: catches duplicates without
  -- keeping the address. NULL for paper signatures without an address, and after anonymisation.
  email_hash          text,
  -- The signer's /24 (IPv4) or /48 (IPv6) network, for reviewing floods; NULL for paper.
  network             text,
  show_publicly       boolean NOT NULL DEFAULT false,
  lang                text NOT NULL DEFAULT 'en' CHECK (lang IN ('en', 'es')),
  signed_at           timestamptz NOT NULL,
  verified_at         timestamptz,
  invalidated_at      timestamptz,
  invalidated_reason  text CHECK (invalidated_reason IN ('duplicate', 'fraud', 'signer_request', 'ineligible', 'other')),
  paper_batch_id      uuid REFERENCES petition_paper_batches(id),
  anonymised_at       timestamptz,
  CHECK (status <> 'verified' OR verified_at IS NOT NULL),
  CHECK (status <> 'pending' OR verified_at IS NULL),
  CHECK ((status = 'invalidated') = (invalidated_at IS NOT NULL)),
  CHECK (source = 'online' OR paper_batch_id IS NOT NULL)
);
-- One signature per person per petition; NULLs (paper without an address, anonymised rows) never clash.
CREATE UNIQUE INDEX petition_signatures_email_key ON petition_signatures (petition_id, email_hash);
CREATE INDEX petition_signatures_status_idx ON petition_signatures (petition_id, status);
CREATE INDEX petition_signatures_public_idx ON petition_signatures (petition_id, verified_at DESC) WHERE status = 'verified' AND show_publicly;
CREATE INDEX petition_signatures_anonymise_idx ON petition_signatures (petition_id) WHERE anonymised_at IS NULL;

-- Running counts, changed in the same transaction as the signatures they count, so a
-- page or the live stream reads one row instead of counting.
CREATE TABLE petition_tallies (
  petition_id  uuid PRIMARY KEY REFERENCES petitions(id),
  pending      integer NOT NULL DEFAULT 0 CHECK (pending >= 0),
  verified     integer NOT NULL DEFAULT 0 CHECK (verified >= 0),
  paper        integer NOT NULL DEFAULT 0 CHECK (paper >= 0),
  invalidated  integer NOT NULL DEFAULT 0 CHECK (invalidated >= 0),
  expired      integer NOT NULL DEFAULT 0 CHECK (expired >= 0)
);

-- Attempts refused as duplicates or likely automated, by reason: statistics, not records
-- (no address, no network), flushed from memory every few seconds.
CREATE TABLE petition_rejections (
  petition_id  uuid NOT NULL REFERENCES petitions(id),
  reason       text NOT NULL CHECK (reason IN ('duplicate', 'rate_limited_address', 'rate_limited_network', 'missing_token', 'honeypot')),
  count        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (petition_id, reason)
);
