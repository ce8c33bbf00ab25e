-- The complaints office. Complainant identity lives only in case_people (and
-- free text the complainant wrote, in cases.narrative): neither is ever part of
-- a public answer. Public records are written to the records tables at closing.

CREATE TABLE cases (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_number         text NOT NULL UNIQUE,
  -- HMAC-SHA256 of the receipt under the server's secret: a stolen database
  -- cannot be turned back into receipts.
  receipt_hash        text NOT NULL,
  state               text NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('online','phone','mail','in_person','email')),
  language            text NOT NULL DEFAULT 'en',
  anonymous           boolean NOT NULL DEFAULT false,
  third_party         boolean NOT NULL DEFAULT false,
  incident_date       date,
  incident_time       text,
  location            text,
  district            text,
  narrative           text NOT NULL,
  received_at         timestamptz NOT NULL DEFAULT now(),
  acknowledged_at     timestamptz,
  first_contact_at    timestamptz,
  classified_at       timestamptz,
  closed_at           timestamptz,
  closed_reason       text,
  assigned_to         uuid REFERENCES users(id),
  published_complaint uuid REFERENCES complaints(id),
  entered_by          uuid REFERENCES users(id),
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_state_idx ON cases (state);

-- People on a case: the complainant, witnesses. Everything here is confidential.
CREATE TABLE case_people (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id       uuid NOT NULL REFERENCES cases(id),
  role          text NOT NULL CHECK (role IN ('complainant','witness','victim')),
  name          text,
  email         text,
  phone         text,
  address       text,
  contact_ok    boolean NOT NULL DEFAULT false,
  notes         text
);
CREATE INDEX case_people_case_idx ON case_people (case_id);

-- Officers as the complainant described them; person_id once identified.
CREATE TABLE case_officers (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id       uuid NOT NULL REFERENCES cases(id),
  person_id     uuid REFERENCES people(id),
  name          text,
  badge         text,
  vehicle       text,
  description   text
);
CREATE INDEX case_officers_case_idx ON case_officers (case_id);

CREATE TABLE case_allegations (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id               uuid NOT NULL REFERENCES cases(id),
  case_officer_id       uuid REFERENCES case_officers(id),
  category              text NOT NULL,
  is_force              boolean NOT NULL DEFAULT false,
  is_criminal           boolean NOT NULL DEFAULT false,
  is_death              boolean NOT NULL DEFAULT false,
  investigator_finding  text,
  board_finding         text,
  recommended_penalty   text,
  final_finding         text,
  final_penalty         text,
  deviated              boolean
);
CREATE INDEX case_allegations_case_idx ON case_allegations (case_id);

-- The case's history: every state change, note, message and contact, in order.
CREATE TABLE case_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL REFERENCES cases(id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  kind        text NOT NULL,
  from_state  text,
  to_state    text,
  body        text,
  -- Messages marked visible are what the complainant sees on the status page.
  visible_to_complainant boolean NOT NULL DEFAULT false
);
CREATE INDEX case_events_case_idx ON case_events (case_id, at);

-- Tolling: periods that pause the discipline clock (criminal case, waiver, litigation).
CREATE TABLE case_tolling (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL REFERENCES cases(id),
  kind        text NOT NULL CHECK (kind IN ('criminal_case','waiver','litigation')),
  starts_on   date NOT NULL,
  ends_on     date,
  note        text
);
CREATE INDEX case_tolling_case_idx ON case_tolling (case_id);

CREATE TABLE referrals (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL REFERENCES cases(id),
  to_body     text NOT NULL,
  reason      text NOT NULL,
  referred_at timestamptz NOT NULL DEFAULT now()
);

-- Officers the department reports reinstated while a case against them is open.
CREATE TABLE reinstatement_flags (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id     uuid NOT NULL REFERENCES people(id),
  case_id       uuid NOT NULL REFERENCES cases(id),
  reported_on   date NOT NULL,
  reasons       text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Office settings, one row per key (e.g. the discipline window).
CREATE TABLE office_settings (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);

-- Sequence for readable case numbers.
CREATE SEQUENCE case_number_seq;
