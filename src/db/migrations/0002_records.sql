-- Open records: agencies, people and their employment, complaints, allegations,
-- discipline, settlements, use of force. Every imported row carries provenance:
-- the import run, the source file's sha256 and the row number in that file.

CREATE TABLE import_runs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  format       text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  report       jsonb NOT NULL DEFAULT '{}'
);

CREATE TABLE source_files (
  sha256         text PRIMARY KEY,
  name           text NOT NULL,
  format         text NOT NULL,
  size_bytes     bigint NOT NULL,
  rows           integer NOT NULL,
  import_run_id  uuid NOT NULL REFERENCES import_runs(id)
);

CREATE TABLE agencies (
  id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug    text NOT NULL UNIQUE,
  name    text NOT NULL,
  city    text,
  state   text,
  is_demo boolean NOT NULL DEFAULT false
);

CREATE TABLE people (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  first_name   text NOT NULL,
  middle_name  text,
  last_name    text NOT NULL,
  suffix       text,
  full_name    text NOT NULL,
  birth_year   integer,
  race         text,
  gender       text,
  is_demo      boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_name_trgm ON people USING gin (full_name gin_trgm_ops);
CREATE INDEX people_last_name_idx ON people (lower(last_name));

-- Each appearance of a person in a source (a roster row, an accused officer id
-- local to one file). Identity linking joins mentions to people; merge and split
-- move mentions, so every link stays explainable and reversible.
CREATE TABLE person_mentions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id       uuid NOT NULL REFERENCES people(id),
  source          text NOT NULL,
  local_id        text NOT NULL,
  attributes      jsonb NOT NULL,
  link_rule       text NOT NULL,
  import_run_id   uuid REFERENCES import_runs(id),
  UNIQUE (source, local_id)
);
CREATE INDEX person_mentions_person_idx ON person_mentions (person_id);

CREATE TABLE employment (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id          uuid NOT NULL REFERENCES people(id),
  agency_id          uuid NOT NULL REFERENCES agencies(id),
  badge              text,
  rank               text,
  unit               text,
  start_date         date,
  end_date           date,
  separation_reason  text,
  import_run_id      uuid REFERENCES import_runs(id),
  source_sha256      text,
  source_row         integer
);
CREATE INDEX employment_person_idx ON employment (person_id);
CREATE INDEX employment_agency_idx ON employment (agency_id);
CREATE INDEX employment_badge_idx ON employment (badge);
CREATE INDEX employment_unit_idx ON employment (unit);

CREATE TABLE complaints (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id             uuid NOT NULL REFERENCES agencies(id),
  external_id           text NOT NULL,
  received_date         date,
  incident_date         date,
  closed_date           date,
  location              text,
  beat                  text,
  district              text,
  channel               text,
  case_type             text,
  investigating_agency  text,
  complainant_type      text,
  summary               text,
  search_text           text NOT NULL DEFAULT '',
  search                tsvector GENERATED ALWAYS AS (to_tsvector('english', search_text)) STORED,
  is_demo               boolean NOT NULL DEFAULT false,
  import_run_id         uuid REFERENCES import_runs(id),
  source_sha256         text,
  source_row            integer,
  UNIQUE (agency_id, external_id)
);
CREATE INDEX complaints_search_idx ON complaints USING gin (search);
CREATE INDEX complaints_received_idx ON complaints (agency_id, received_date);

-- Complainants are kept only as aggregate demographics per complaint: no names,
-- no addresses, no birth dates.
CREATE TABLE complainant_demographics (
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  race          text,
  gender        text,
  age_band      text,
  count         integer NOT NULL,
  import_run_id uuid REFERENCES import_runs(id),
  source_sha256 text
);
CREATE INDEX complainant_demographics_complaint_idx ON complainant_demographics (complaint_id);

CREATE TABLE allegations (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  complaint_id          uuid NOT NULL REFERENCES complaints(id),
  person_id             uuid REFERENCES people(id),
  category_code         text,
  category              text,
  investigator_finding  text,
  board_finding         text,
  final_finding         text,
  recommended_penalty   text,
  final_penalty         text,
  suspension_days       integer,
  rank_at_time          text,
  unit_at_time          text,
  is_demo               boolean NOT NULL DEFAULT false,
  import_run_id         uuid REFERENCES import_runs(id),
  source_sha256         text,
  source_row            integer
);
CREATE INDEX allegations_complaint_idx ON allegations (complaint_id);
CREATE INDEX allegations_person_idx ON allegations (person_id);
CREATE UNIQUE INDEX allegations_source_idx ON allegations (source_sha256, source_row) WHERE source_sha256 IS NOT NULL;

CREATE TABLE discipline (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id       uuid NOT NULL REFERENCES people(id),
  allegation_id   uuid REFERENCES allegations(id),
  kind            text NOT NULL,
  days            integer,
  with_pay        boolean,
  decided_date    date,
  import_run_id   uuid REFERENCES import_runs(id),
  source_sha256   text,
  source_row      integer
);
CREATE INDEX discipline_person_idx ON discipline (person_id);

CREATE TABLE settlements (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id            uuid NOT NULL REFERENCES agencies(id),
  calendar_year        integer,
  incident_date        date,
  filed_date           date,
  closed_date          date,
  amount_cents         bigint,
  other_expenses_cents bigint,
  total_cents          bigint,
  payer                text,
  case_outcome         text,
  docket_number        text,
  claim_number         text,
  court                text,
  matter_name          text,
  location             text,
  summary_allegations  text,
  status               text,
  is_demo              boolean NOT NULL DEFAULT false,
  import_run_id        uuid REFERENCES import_runs(id),
  source_sha256        text,
  source_row           integer
);
CREATE INDEX settlements_agency_idx ON settlements (agency_id, calendar_year);
CREATE UNIQUE INDEX settlements_source_idx ON settlements (source_sha256, source_row) WHERE source_sha256 IS NOT NULL;

CREATE TABLE settlement_officers (
  settlement_id  uuid NOT NULL REFERENCES settlements(id),
  person_id      uuid REFERENCES people(id),
  name_as_written text NOT NULL
);
CREATE INDEX settlement_officers_person_idx ON settlement_officers (person_id);

-- Use-of-force reports and fatal incidents share one table; `fatal` marks deaths.
CREATE TABLE force_incidents (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id      uuid REFERENCES agencies(id),
  external_id    text NOT NULL,
  source_kind    text NOT NULL,
  occurred_date  date,
  location       text,
  city           text,
  state          text,
  force_type     text,
  injury         text,
  fatal          boolean NOT NULL DEFAULT false,
  details        jsonb NOT NULL DEFAULT '{}',
  is_demo        boolean NOT NULL DEFAULT false,
  import_run_id  uuid REFERENCES import_runs(id),
  source_sha256  text,
  source_row     integer,
  UNIQUE (source_kind, external_id)
);
CREATE INDEX force_incidents_agency_idx ON force_incidents (agency_id, occurred_date);

CREATE TABLE force_officers (
  incident_id    uuid NOT NULL REFERENCES force_incidents(id),
  person_id      uuid REFERENCES people(id),
  rank_at_time   text,
  unit_at_time   text,
  duty_status    text,
  injured        text,
  import_run_id  uuid REFERENCES import_runs(id),
  source_sha256  text,
  source_row     integer
);
CREATE INDEX force_officers_person_idx ON force_officers (person_id);
CREATE INDEX force_officers_incident_idx ON force_officers (incident_id);
