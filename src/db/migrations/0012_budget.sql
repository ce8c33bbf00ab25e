-- The budget module (src/budget/README.md): the city budget (the police share of the
-- general fund against the 20% cap) and People's Budget processes (participatory
-- budgeting) with secret ballots.
--
-- Money in the city budget is integer cents. People's Budget amounts (process budget,
-- proposal costs) are whole currency units, the unit the counting rules and the
-- pabulib format work in.
--
-- Secret ballots: who voted (pb_voters, pb_codes) and how (pb_ballots) are separate
-- tables with no shared id, no foreign key between them and no time of voting in
-- either; ballot ids are random (v4) UUIDs. See the README's "Secret ballot" section.

CREATE TABLE budget_years (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  city                text NOT NULL,
  fiscal_year         integer NOT NULL CHECK (fiscal_year BETWEEN 1900 AND 2200),
  label               text NOT NULL,
  -- NULL: the general fund total is not known (the share is then shown as unknown).
  general_fund_cents  bigint CHECK (general_fund_cents > 0),
  -- Where the total comes from: 'official' budget document, 'press' reports, 'admin' entry,
  -- 'assumption' (labelled as such on every page), 'demo' (synthetic).
  general_fund_basis  text CHECK (general_fund_basis IN ('official', 'press', 'admin', 'assumption', 'demo')),
  general_fund_source text,
  note_en             text,
  note_es             text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (city, fiscal_year),
  CHECK ((general_fund_cents IS NULL) = (general_fund_basis IS NULL))
);

CREATE TABLE budget_lines (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  year_id       uuid NOT NULL REFERENCES budget_years(id) ON DELETE CASCADE,
  position      integer NOT NULL,
  department    text NOT NULL CHECK (length(department) BETWEEN 1 AND 200),
  category      text NOT NULL DEFAULT '',
  amount_cents  bigint NOT NULL CHECK (amount_cents >= 0),
  -- How precise the figure is: 'exact', 'at_least' ("over $250 million"), 'about' ("about $10 million more").
  precision     text NOT NULL DEFAULT 'exact' CHECK (precision IN ('exact', 'at_least', 'about')),
  is_police     boolean NOT NULL DEFAULT false,
  basis         text NOT NULL CHECK (basis IN ('official', 'press', 'admin', 'import', 'assumption', 'demo')),
  -- A citation, or the imported file and row.
  source        text,
  note_en       text,
  note_es       text
);
CREATE INDEX budget_lines_year ON budget_lines (year_id, position);

CREATE TABLE pb_processes (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug                    text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,79}$'),
  title_en                text NOT NULL,
  title_es                text NOT NULL,
  description_en          text NOT NULL DEFAULT '',
  description_es          text NOT NULL DEFAULT '',
  city                    text NOT NULL DEFAULT '',
  currency                text NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  budget                  bigint NOT NULL CHECK (budget > 0),
  phase                   text NOT NULL CHECK (phase IN ('ideas', 'proposals', 'review', 'voting', 'results', 'implementation')),
  ballot_type             text NOT NULL CHECK (ballot_type IN ('approval_budget', 'pick_n', 'cumulative')),
  pick_n                  integer CHECK (pick_n > 0),
  points_total            integer CHECK (points_total > 0),
  -- The rule whose winners are funded; the results page shows every rule side by side.
  official_rule           text NOT NULL DEFAULT 'equal-shares' CHECK (official_rule IN ('greedy', 'equal-shares')),
  eligibility_zip         boolean NOT NULL DEFAULT false,
  eligibility_codes       boolean NOT NULL DEFAULT false,
  zips                    text[] NOT NULL DEFAULT '{}',
  -- Synthetic demonstration content: every page says so.
  demo                    boolean NOT NULL DEFAULT false,
  -- Set when the ballots were re-written at the close of voting (see the README).
  sealed                  boolean NOT NULL DEFAULT false,
  -- A pabulib import: the file name and sha256, its META entries in order and its columns,
  -- so `oversight pb export` writes the election back as it was published.
  source_file             text,
  source_sha256           text,
  source_meta             jsonb,
  source_project_columns  jsonb,
  source_vote_columns     jsonb,
  created_at              timestamptz NOT NULL DEFAULT now(),
  CHECK ((ballot_type = 'pick_n') = (pick_n IS NOT NULL)),
  CHECK ((ballot_type = 'cumulative') = (points_total IS NOT NULL))
);

CREATE TABLE pb_proposals (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  process_id          uuid NOT NULL REFERENCES pb_processes(id) ON DELETE CASCADE,
  -- The project id in pabulib exports; ties in counting are broken by it.
  code                text NOT NULL CHECK (code ~ '^[^;,"\r\n]{1,100}$' AND code = btrim(code)),
  position            integer NOT NULL,
  title_en            text NOT NULL,
  title_es            text NOT NULL DEFAULT '',
  description_en      text NOT NULL DEFAULT '',
  description_es      text NOT NULL DEFAULT '',
  category            text NOT NULL DEFAULT '',
  location            text NOT NULL DEFAULT '',
  -- Whole currency units; NULL while it is an idea without a cost estimate.
  cost                bigint CHECK (cost >= 0),
  -- idea → proposal → feasible (on the ballot) | infeasible; withdrawn at any time.
  status              text NOT NULL CHECK (status IN ('idea', 'proposal', 'feasible', 'infeasible', 'withdrawn')),
  review_note         text,
  implementation      text NOT NULL DEFAULT 'not_started' CHECK (implementation IN ('not_started', 'in_progress', 'done', 'stalled')),
  implementation_note text,
  -- A pabulib import: every column of the project's row as written.
  source_fields       jsonb,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (process_id, code),
  CHECK (status NOT IN ('feasible') OR cost IS NOT NULL)
);
CREATE INDEX pb_proposals_process ON pb_proposals (process_id, position);

-- Who may vote and has voted, by emailed link. Never linked to a ballot: no ballot id,
-- no time of voting. The address itself is only in the outbox's email.
CREATE TABLE pb_voters (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  process_id        uuid NOT NULL REFERENCES pb_processes(id) ON DELETE CASCADE,
  -- HMAC-SHA256 (server secret) of the normalised address: one ballot per address.
  email_hmac        text NOT NULL,
  -- The ZIP the voter gave; copied onto the ballot as its group and cleared here when they vote.
  zip               text,
  -- SHA-256 of the link's random token.
  token_hash        text NOT NULL UNIQUE,
  token_expires_at  timestamptz NOT NULL,
  voted             boolean NOT NULL DEFAULT false,
  UNIQUE (process_id, email_hmac)
);

-- Single-use codes handed out at events. `used` has no time and no ballot.
CREATE TABLE pb_codes (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  process_id  uuid NOT NULL REFERENCES pb_processes(id) ON DELETE CASCADE,
  -- HMAC-SHA256 (server secret) of the normalised code.
  code_hmac   text NOT NULL UNIQUE,
  -- Where the codes were handed out; it becomes the ballot's group.
  batch       text NOT NULL,
  used        boolean NOT NULL DEFAULT false
);
CREATE INDEX pb_codes_process ON pb_codes (process_id);

-- How people voted. No voter id, no time; ids are random.
CREATE TABLE pb_ballots (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  process_id        uuid NOT NULL REFERENCES pb_processes(id) ON DELETE CASCADE,
  -- Proposal ids in ballot order; points aligned with them for cumulative ballots.
  choices           uuid[] NOT NULL,
  points            integer[],
  -- A coarse group for the "what each group got" table: the ZIP, or the event of a code.
  voter_group       text,
  -- A pabulib import only: the file's voter_id, its other columns, and its row order.
  source_voter_id   text,
  source_fields     jsonb,
  source_position   integer,
  CHECK (points IS NULL OR cardinality(points) = cardinality(choices))
);
CREATE INDEX pb_ballots_process ON pb_ballots (process_id);
