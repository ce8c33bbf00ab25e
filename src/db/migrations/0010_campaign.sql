-- The campaign: coalitions and their organizations, demands tracked against the
-- officials and bodies that can act on them, meetings (and the promise of them),
-- and public votes of bodies with roll calls. Petitions live in their own tables.
--
-- Seeded rows carry a stable `key` or `slug`, so `oversight seed` can add what is
-- missing and never overwrite what people recorded since. `basis` says whether a
-- seeded claim is stated in the source ('stated') or an editorial assumption
-- ('assumption'), and `basis_note` says why; pages show the difference.

CREATE TABLE campaign_sources (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE,
  title       text NOT NULL,
  dated       date,
  url         text,
  note        text
);

CREATE TABLE campaign_coalitions (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  name_es     text NOT NULL,
  city        text NOT NULL,
  note_en     text,
  note_es     text
);

CREATE TABLE campaign_organizations (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug          text NOT NULL UNIQUE,
  name          text NOT NULL,
  abbreviation  text
);

CREATE TABLE campaign_coalition_members (
  coalition_id     uuid NOT NULL REFERENCES campaign_coalitions(id),
  organization_id  uuid NOT NULL REFERENCES campaign_organizations(id),
  position         integer NOT NULL,
  PRIMARY KEY (coalition_id, organization_id)
);

-- A numbered list of demands from one document: the coalition's letters, a petition.
CREATE TABLE campaign_demand_lists (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug          text NOT NULL UNIQUE,
  title_en      text NOT NULL,
  title_es      text NOT NULL,
  coalition_id  uuid REFERENCES campaign_coalitions(id),
  source_id     uuid REFERENCES campaign_sources(id),
  issued_on     date,
  -- Month precision ('2020-06') when only the month is known.
  began         text CHECK (began ~ '^\d{4}-\d{2}(-\d{2})?$'),
  position      integer NOT NULL DEFAULT 0
);

CREATE TABLE campaign_demands (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  list_id            uuid NOT NULL REFERENCES campaign_demand_lists(id),
  number             integer NOT NULL CHECK (number > 0),
  slug               text NOT NULL UNIQUE,
  text_en            text NOT NULL,
  text_es            text NOT NULL,
  -- True when text_es is our translation rather than the source's own words.
  text_es_translated boolean NOT NULL,
  priority_note_en   text,
  priority_note_es   text,
  UNIQUE (list_id, number)
);

-- Officials and bodies that can act on demands.
CREATE TABLE campaign_targets (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE,
  kind        text NOT NULL CHECK (kind IN ('person', 'body')),
  title_en    text NOT NULL,
  title_es    text NOT NULL,
  holder      text,
  note_en     text,
  note_es     text,
  position    integer NOT NULL DEFAULT 0
);

-- The current status of one demand at one target; its history is campaign_events.
CREATE TABLE campaign_demand_targets (
  demand_id     uuid NOT NULL REFERENCES campaign_demands(id),
  target_id     uuid NOT NULL REFERENCES campaign_targets(id),
  status        text NOT NULL CHECK (status IN ('unmet', 'in_progress', 'partly_met', 'met', 'rejected')),
  -- NULL when the date the demand was made is not known.
  status_since  date,
  basis         text NOT NULL CHECK (basis IN ('stated', 'assumption')),
  basis_note    text,
  basis_note_es text,
  PRIMARY KEY (demand_id, target_id)
);
CREATE INDEX campaign_demand_targets_target_idx ON campaign_demand_targets (target_id);

CREATE TABLE campaign_bodies (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE,
  name_en     text NOT NULL,
  name_es     text NOT NULL,
  seats       integer NOT NULL CHECK (seats > 0),
  -- NULL: a majority of the seats (Robert's Rules' default); else the number the bylaws fix.
  quorum      integer CHECK (quorum > 0),
  target_id   uuid REFERENCES campaign_targets(id),
  note_en     text,
  note_es     text
);

CREATE TABLE campaign_seats (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  body_id     uuid NOT NULL REFERENCES campaign_bodies(id),
  position    integer NOT NULL CHECK (position > 0),
  label_en    text NOT NULL,
  label_es    text NOT NULL,
  holder      text,
  target_id   uuid REFERENCES campaign_targets(id),
  note_en     text,
  note_es     text,
  UNIQUE (body_id, position)
);

-- A promise of recurring meetings, counted per month against the meetings held.
CREATE TABLE campaign_promises (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug          text NOT NULL UNIQUE,
  title_en      text NOT NULL,
  title_es      text NOT NULL,
  per_month     integer NOT NULL DEFAULT 1 CHECK (per_month > 0),
  since_month   text NOT NULL CHECK (since_month ~ '^\d{4}-\d{2}$'),
  until_month   text CHECK (until_month ~ '^\d{4}-\d{2}$'),
  basis         text NOT NULL CHECK (basis IN ('stated', 'assumption')),
  basis_note    text,
  basis_note_es text,
  source_id     uuid REFERENCES campaign_sources(id)
);

CREATE TABLE campaign_meetings (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key                 text UNIQUE,
  title_en            text NOT NULL,
  title_es            text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('officials_community', 'body', 'community')),
  format              text NOT NULL CHECK (format IN ('in_person', 'virtual', 'hybrid', 'unknown')),
  held_on             date NOT NULL,
  status              text NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled', 'skipped')),
  -- Who cancelled or skipped it: at most one of these.
  by_coalition_id     uuid REFERENCES campaign_coalitions(id),
  by_organization_id  uuid REFERENCES campaign_organizations(id),
  by_target_id        uuid REFERENCES campaign_targets(id),
  body_id             uuid REFERENCES campaign_bodies(id),
  promise_id          uuid REFERENCES campaign_promises(id),
  led_by_coalition_id uuid REFERENCES campaign_coalitions(id),
  participants_min    integer CHECK (participants_min >= 0),
  agenda              text,
  minutes             text,
  minutes_url         text,
  note_en             text,
  note_es             text,
  basis               text NOT NULL DEFAULT 'stated' CHECK (basis IN ('stated', 'assumption')),
  basis_note          text,
  basis_note_es       text,
  recorded_by         text NOT NULL,
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((by_coalition_id IS NOT NULL)::int + (by_organization_id IS NOT NULL)::int + (by_target_id IS NOT NULL)::int <= 1)
);
CREATE INDEX campaign_meetings_held_on_idx ON campaign_meetings (held_on);

-- Attendance by organization or by official.
CREATE TABLE campaign_attendance (
  meeting_id       uuid NOT NULL REFERENCES campaign_meetings(id),
  organization_id  uuid REFERENCES campaign_organizations(id),
  target_id        uuid REFERENCES campaign_targets(id),
  attended         boolean NOT NULL,
  CHECK ((organization_id IS NULL) <> (target_id IS NULL))
);
CREATE UNIQUE INDEX campaign_attendance_org_key ON campaign_attendance (meeting_id, organization_id) WHERE organization_id IS NOT NULL;
CREATE UNIQUE INDEX campaign_attendance_target_key ON campaign_attendance (meeting_id, target_id) WHERE target_id IS NOT NULL;

CREATE TABLE campaign_motions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key           text UNIQUE,
  body_id       uuid NOT NULL REFERENCES campaign_bodies(id),
  meeting_id    uuid REFERENCES campaign_meetings(id),
  title_en      text NOT NULL,
  title_es      text NOT NULL,
  moved_on      date NOT NULL,
  threshold     text NOT NULL CHECK (threshold IN ('majority_cast', 'majority_present', 'majority_membership', 'two_thirds_cast')),
  -- Set once, when the roll call is recorded.
  result        text CHECK (result IN ('passed', 'failed', 'no_quorum')),
  decided_on    date,
  recorded_by   text NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_motions_body_idx ON campaign_motions (body_id, moved_on);

CREATE TABLE campaign_roll_calls (
  motion_id   uuid NOT NULL REFERENCES campaign_motions(id),
  seat_id     uuid NOT NULL REFERENCES campaign_seats(id),
  vote        text NOT NULL CHECK (vote IN ('yes', 'no', 'abstain', 'absent', 'recused')),
  PRIMARY KEY (motion_id, seat_id)
);

-- Which demands a motion affects, and what its result does to a target's status.
CREATE TABLE campaign_motion_demands (
  motion_id       uuid NOT NULL REFERENCES campaign_motions(id),
  demand_id       uuid NOT NULL REFERENCES campaign_demands(id),
  target_id       uuid NOT NULL REFERENCES campaign_targets(id),
  status_if_pass  text CHECK (status_if_pass IN ('unmet', 'in_progress', 'partly_met', 'met', 'rejected')),
  status_if_fail  text CHECK (status_if_fail IN ('unmet', 'in_progress', 'partly_met', 'met', 'rejected')),
  PRIMARY KEY (motion_id, demand_id, target_id)
);

-- The dated timeline of each demand at each target: status changes and evidence.
-- `seq` orders the feed by recording; `occurred_on` orders the history by date.
CREATE TABLE campaign_events (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq            bigserial NOT NULL UNIQUE,
  key            text UNIQUE,
  demand_id      uuid NOT NULL REFERENCES campaign_demands(id),
  target_id      uuid NOT NULL REFERENCES campaign_targets(id),
  kind           text NOT NULL CHECK (kind IN ('demanded', 'status', 'evidence', 'vote')),
  occurred_on    date NOT NULL,
  status_from    text CHECK (status_from IN ('unmet', 'in_progress', 'partly_met', 'met', 'rejected')),
  status_to      text CHECK (status_to IN ('unmet', 'in_progress', 'partly_met', 'met', 'rejected')),
  -- Free text in the language the recorder wrote it in; the kind and statuses are rendered per language.
  summary        text NOT NULL,
  summary_lang   text NOT NULL DEFAULT 'en' CHECK (summary_lang IN ('en', 'es')),
  evidence_url   text,
  evidence_title text,
  source_id      uuid REFERENCES campaign_sources(id),
  motion_id      uuid REFERENCES campaign_motions(id),
  recorded_by    text NOT NULL,
  recorded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaign_events_demand_idx ON campaign_events (demand_id, occurred_on, seq);
