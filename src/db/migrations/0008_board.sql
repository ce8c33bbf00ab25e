-- The community board's panels and their votes, per allegation.
CREATE TABLE board_panels (
  case_id     uuid PRIMARY KEY REFERENCES cases(id),
  members     uuid[] NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE board_votes (
  case_id        uuid NOT NULL REFERENCES cases(id),
  allegation_id  uuid NOT NULL REFERENCES case_allegations(id),
  member_id      uuid NOT NULL REFERENCES users(id),
  vote           text CHECK (vote IN ('substantiated','unsubstantiated','exonerated','unfounded')),
  recused        boolean NOT NULL DEFAULT false,
  reason         text,
  at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (allegation_id, member_id)
);
