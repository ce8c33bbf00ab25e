/**
 * Synthetic complaints, allegations and officers drawn from the distributions of
 * the imported CPDP rows, so the query benchmarks run at a million allegations.
 *
 * Everything synthetic belongs to the agency `synthetic-bench` and to one
 * import run whose format is `synthetic-bench`; complaint ids start with `SYN-`.
 *
 * Model (a configuration model over the real data):
 *  - each synthetic officer gets a complaint quota drawn from the real
 *    complaints-per-officer counts (zeros included, heavy tail as it is);
 *  - each synthetic complaint copies the "shape" of a random real complaint
 *    (how many accused officers, how many allegations each, how many against an
 *    unidentified officer) and fills the officer slots from the shuffled quotas;
 *  - each allegation copies category, findings, penalties, rank and unit of a
 *    random real allegation (jointly, so findings and penalties stay consistent),
 *    with its discipline row when the real one had one;
 *  - each complaint copies dates, place, case type and channel fields of a random
 *    real complaint; search_text is built as refreshComplaintSearchText builds it;
 *  - names recombine real first and last names; demographics and employment
 *    copy a random real person's and a random real employment row.
 */
import { randomUUID } from "node:crypto";
import type { Db, Queryable } from "../../src/db/db.js";
import { log, pick, rng, shuffle } from "./util.js";

export const SYNTHETIC_SLUG = "synthetic-bench";

interface Shape {
  officers: number[];
  unknown: number;
}

type Value = string | number | boolean | null;
type Obj = Record<string, Value>;

interface Real {
  shapes: Shape[];
  quotas: number[];
  allegations: Obj[];
  complaints: Obj[];
  people: Obj[];
  firstNames: string[];
  lastNames: string[];
  employment: Obj[];
}

export interface SyntheticReport {
  targetAllegations: number;
  realAllegations: number;
  allegations: number;
  complaints: number;
  people: number;
  discipline: number;
  batches: number;
  seconds: number;
  /** Secondary indexes dropped before the COPYs and rebuilt after (included in seconds). */
  indexesRebuilt: string[];
  rebuildSeconds: number;
  /** Complaints per synthetic officer: mean, max (the heavy tail carried over). */
  complaintsPerOfficer: { mean: number; p99: number; max: number };
}

const TABLES = {
  people: ["id", "first_name", "middle_name", "last_name", "suffix", "full_name", "birth_year", "race", "gender"],
  person_mentions: ["id", "person_id", "source", "local_id", "attributes", "link_rule", "import_run_id"],
  employment: ["id", "person_id", "mention_id", "agency_id", "badge", "rank", "unit", "start_date", "end_date", "separation_reason", "import_run_id"],
  complaints: ["id", "agency_id", "external_id", "received_date", "incident_date", "closed_date", "location", "beat", "case_type", "investigating_agency", "complainant_type", "search_text", "import_run_id"],
  allegations: ["id", "complaint_id", "person_id", "mention_id", "category_code", "category", "investigator_finding", "board_finding", "final_finding", "recommended_penalty", "final_penalty", "suspension_days", "rank_at_time", "unit_at_time", "import_run_id"],
  discipline: ["id", "person_id", "allegation_id", "kind", "days", "import_run_id"],
} as const;
type Table = keyof typeof TABLES;

/** Only the columns the current schema has (mention_id arrived in a later migration). */
async function columnsPresent(db: Queryable): Promise<Record<Table, string[]>> {
  const rows = await db.query<{ table_name: string; column_name: string }>(
    "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ANY($1::text[])",
    [Object.keys(TABLES)],
  );
  const have = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  const result = {} as Record<Table, string[]>;
  for (const [table, columns] of Object.entries(TABLES) as [Table, readonly string[]][]) result[table] = columns.filter((column) => have.has(`${table}.${column}`));
  return result;
}

async function readReal(db: Queryable): Promise<Real> {
  const perComplaint = await db.query<{ complaint_id: string; person_id: string | null; n: number }>(
    "SELECT complaint_id, person_id, count(*)::int AS n FROM allegations GROUP BY complaint_id, person_id",
  );
  const byComplaint = new Map<string, Shape>();
  for (const row of perComplaint) {
    let shape = byComplaint.get(row.complaint_id);
    if (!shape) byComplaint.set(row.complaint_id, (shape = { officers: [], unknown: 0 }));
    if (row.person_id) shape.officers.push(row.n);
    else shape.unknown += row.n;
  }
  const quotas = (
    await db.query<{ n: number }>(
      `SELECT count(DISTINCT a.complaint_id)::int AS n FROM people p LEFT JOIN allegations a ON a.person_id = p.id GROUP BY p.id`,
    )
  ).map((row) => row.n);
  const allegations = await db.query<Obj>(
    `SELECT a.category_code, a.category, a.investigator_finding, a.board_finding, a.final_finding, a.recommended_penalty,
            a.final_penalty, a.suspension_days, a.rank_at_time, a.unit_at_time, d.kind AS discipline_kind, d.days AS discipline_days
       FROM allegations a
       LEFT JOIN (SELECT DISTINCT ON (allegation_id) allegation_id, kind, days FROM discipline WHERE allegation_id IS NOT NULL ORDER BY allegation_id) d
         ON d.allegation_id = a.id`,
  );
  const complaints = await db.query<Obj>(
    `SELECT received_date, incident_date, closed_date, location, beat, case_type, investigating_agency, complainant_type
       FROM complaints c WHERE EXISTS (SELECT 1 FROM allegations a WHERE a.complaint_id = c.id)`,
  );
  const people = await db.query<Obj>("SELECT first_name, middle_name, last_name, suffix, birth_year, race, gender FROM people");
  const employment = await db.query<Obj>("SELECT rank, unit, start_date, end_date, separation_reason FROM employment");
  const clean = (names: unknown[]) => names.filter((name): name is string => typeof name === "string" && /^[A-Z][A-Z' -]+$/.test(name) && name !== "UNKNOWN");
  return {
    shapes: [...byComplaint.values()],
    quotas,
    allegations,
    complaints,
    people,
    firstNames: clean(people.map((person) => person.first_name)),
    lastNames: clean(people.map((person) => person.last_name)),
    employment,
  };
}

const titleCase = (name: string) => name.toLowerCase().replace(/(^|[\s'-])([a-z])/g, (_, lead: string, letter: string) => lead + letter.toUpperCase());

/** Generates and COPYs synthetic records until the database holds at least targetAllegations allegations. */
export async function loadSynthetic(db: Db, targetAllegations: number, seed = 20240601): Promise<SyntheticReport> {
  const started = performance.now();
  const random = rng(seed);
  const real = await readReal(db);
  log(`synthetic: read the real distributions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const columns = await columnsPresent(db);
  const [{ n: realAllegations }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM allegations");
  const [{ id: agencyId }] = await db.query<{ id: string }>(
    `INSERT INTO agencies (slug, name, city, state) VALUES ($1, 'Synthetic benchmark agency (generated, not real records)', NULL, NULL)
     ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id`,
    [SYNTHETIC_SLUG],
  );
  const [{ id: runId }] = await db.query<{ id: string }>(
    "INSERT INTO import_runs (format, finished_at, report) VALUES ($1, now(), $2) RETURNING id",
    [SYNTHETIC_SLUG, JSON.stringify({ synthetic: true, note: "generated by bench/records.ts from the CPDP distributions" })],
  );
  log(`synthetic: ${real.shapes.length} complaint shapes, ${real.quotas.length} officer quotas, ${real.allegations.length} allegation templates; target ${targetAllegations} allegations (real: ${realAllegations})`);

  // Secondary indexes are dropped for the bulk load and rebuilt after it (the usual bulk-load practice, and
  // minutes faster here); constraint indexes (primary keys, unique constraints) stay, so foreign keys are checked.
  const secondary = await db.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [Object.keys(TABLES)],
  );
  for (const index of secondary) await db.exec(`DROP INDEX ${index.indexname}`);

  let total = realAllegations;
  const counts = { allegations: 0, complaints: 0, people: 0, discipline: 0, batches: 0 };
  const officerComplaints: number[] = [];
  const officersPerBatch = 12_000;
  let complaintSeq = 0;
  let personSeq = 0;

  while (total < targetAllegations) {
    const rows: Record<Table, Obj[]> = { people: [], person_mentions: [], employment: [], complaints: [], allegations: [], discipline: [] };
    const officers: { id: string; mentionId: string; got: number }[] = [];
    const stubs: number[] = [];
    for (let i = 0; i < officersPerBatch; i++) {
      const id = randomUUID();
      const mentionId = randomUUID();
      const demo = pick(random, real.people);
      const first = pick(random, real.firstNames);
      const last = pick(random, real.lastNames);
      const middle = random() < 0.55 ? String.fromCharCode(65 + Math.floor(random() * 26)) : null;
      personSeq += 1;
      rows.people.push({
        id, first_name: first, middle_name: middle, last_name: last, suffix: null,
        full_name: titleCase([first, middle, last].filter(Boolean).join(" ")),
        birth_year: demo.birth_year, race: demo.race, gender: demo.gender,
      });
      rows.person_mentions.push({ id: mentionId, person_id: id, source: SYNTHETIC_SLUG, local_id: String(personSeq), attributes: "{}", link_rule: SYNTHETIC_SLUG, import_run_id: runId });
      const job = pick(random, real.employment);
      rows.employment.push({ id: randomUUID(), person_id: id, mention_id: mentionId, agency_id: agencyId, badge: String(10_000 + Math.floor(random() * 90_000)), ...job, import_run_id: runId });
      const index = officers.push({ id, mentionId, got: 0 }) - 1;
      const quota = pick(random, real.quotas);
      for (let q = 0; q < quota; q++) stubs.push(index);
    }
    shuffle(random, stubs);

    while (total < targetAllegations) {
      const shape = pick(random, real.shapes);
      if (shape.officers.length > stubs.length) break;
      const complaintId = randomUUID();
      complaintSeq += 1;
      const externalId = `SYN-${String(complaintSeq).padStart(7, "0")}`;
      const categories = new Set<string>();
      const accused: { officer: (typeof officers)[number] | null; n: number }[] = shape.officers.map((n) => ({ officer: officers[stubs.pop()!], n }));
      if (shape.unknown) accused.push({ officer: null, n: shape.unknown });
      const seen = new Set<string>();
      for (const { officer, n } of accused) {
        if (officer && !seen.has(officer.id)) {
          seen.add(officer.id);
          officer.got += 1;
        }
        for (let k = 0; k < n; k++) {
          const template = pick(random, real.allegations);
          const allegationId = randomUUID();
          if (typeof template.category === "string" && template.category) categories.add(template.category);
          rows.allegations.push({
            id: allegationId, complaint_id: complaintId, person_id: officer?.id ?? null, mention_id: officer?.mentionId ?? null,
            category_code: template.category_code, category: template.category, investigator_finding: template.investigator_finding,
            board_finding: template.board_finding, final_finding: template.final_finding, recommended_penalty: template.recommended_penalty,
            final_penalty: template.final_penalty, suspension_days: template.suspension_days, rank_at_time: template.rank_at_time,
            unit_at_time: template.unit_at_time, import_run_id: runId,
          });
          if (officer && template.discipline_kind) {
            rows.discipline.push({ id: randomUUID(), person_id: officer.id, allegation_id: allegationId, kind: template.discipline_kind, days: template.discipline_days, import_run_id: runId });
          }
          total += 1;
        }
      }
      const place = pick(random, real.complaints);
      const searchText = [externalId, place.case_type, place.location, place.investigating_agency, place.complainant_type, ...[...categories].sort()]
        .filter((part) => part !== null && part !== "")
        .join(" ");
      rows.complaints.push({ id: complaintId, agency_id: agencyId, external_id: externalId, ...place, search_text: searchText, import_run_id: runId });
    }

    const copyStart = performance.now();
    await db.transaction(async (tx) => {
      for (const table of Object.keys(TABLES) as Table[]) {
        const cols = columns[table];
        if (rows[table].length) await db.copyRows(tx, table, cols, rows[table].map((row) => cols.map((column) => row[column] ?? null)));
      }
    });
    counts.batches += 1;
    counts.people += rows.people.length;
    counts.complaints += rows.complaints.length;
    counts.allegations += rows.allegations.length;
    counts.discipline += rows.discipline.length;
    for (const officer of officers) officerComplaints.push(officer.got);
    log(`synthetic batch ${counts.batches}: ${total.toLocaleString("en-US")} allegations in the database (COPY ${((performance.now() - copyStart) / 1000).toFixed(1)} s)`);
  }
  const rebuildStart = performance.now();
  for (const index of secondary) await db.exec(index.indexdef);
  const rebuildSeconds = (performance.now() - rebuildStart) / 1000;
  log(`synthetic: rebuilt ${secondary.length} secondary indexes in ${rebuildSeconds.toFixed(1)} s`);
  officerComplaints.sort((a, b) => a - b);
  return {
    targetAllegations,
    realAllegations,
    ...counts,
    seconds: (performance.now() - started) / 1000,
    indexesRebuilt: secondary.map((index) => index.indexname),
    rebuildSeconds,
    complaintsPerOfficer: {
      mean: officerComplaints.reduce((sum, x) => sum + x, 0) / (officerComplaints.length || 1),
      p99: officerComplaints[Math.floor(officerComplaints.length * 0.99)] ?? 0,
      max: officerComplaints[officerComplaints.length - 1] ?? 0,
    },
  };
}
