import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Db } from "../../../db/db.js";
import { openTestDb, testEngine } from "../../../db/test-db.js";
import { ImportError } from "../errors.js";
import { runImport, type ImportOptions } from "../runner.js";
import { csvMappingFormat, mappingFormat } from "./format.js";
import { parseMapping } from "./mapping.js";

const EXAMPLES = fileURLToPath(new URL("../../../../examples/mappings/", import.meta.url));
const COMPLAINTS_MAPPING = join(EXAMPLES, "cedar-hollow-complaints.yaml");
const COMPLAINTS_CSV = join(EXAMPLES, "cedar-hollow-complaints.synthetic.csv");
const ROSTER_MAPPING = join(EXAMPLES, "cedar-hollow-roster.yaml");
const ROSTER_CSV = join(EXAMPLES, "cedar-hollow-roster.synthetic.csv");
const TABLES = [
  "agencies", "people", "person_mentions", "employment", "complaints", "allegations", "settlements", "settlement_officers",
  "force_incidents", "force_officers", "source_files", "import_runs",
] as const;

const tmp = mkdtempSync(join(tmpdir(), "csv-mapping-test-"));
let fileCounter = 0;
/** Writes a CSV into the test's temporary folder (a fresh name each time, so the runner never skips it as known). */
function csvFile(text: string, name = "file.csv"): string {
  fileCounter += 1;
  const path = join(tmp, `${fileCounter}-${name}`);
  writeFileSync(path, text.replace(/^\n/, ""));
  return path;
}

async function importExample(db: Db, mappingPath: string, paths: string[], options: ImportOptions = {}) {
  return runImport(db, await csvMappingFormat(mappingPath), paths, options);
}

function importInline(db: Db, mappingYaml: string, paths: string[], options: ImportOptions = {}) {
  return runImport(db, mappingFormat(parseMapping(mappingYaml, "inline.yaml")), paths, options);
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) result[table] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
  return result;
}

async function importError(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  assert.fail("the import succeeded");
}

interface AllegationView {
  external_id: string;
  badge: string | null;
  category: string | null;
  investigator_finding: string | null;
  final_finding: string | null;
  final_penalty: string | null;
  suspension_days: number | null;
}

function allegationsOf(db: Db, sha256?: string): Promise<AllegationView[]> {
  return db.query<AllegationView>(
    `SELECT c.external_id, m.local_id AS badge, a.category, a.investigator_finding, a.final_finding, a.final_penalty, a.suspension_days
       FROM allegations a JOIN complaints c ON c.id = a.complaint_id
       LEFT JOIN person_mentions m ON m.person_id = a.person_id AND m.source = 'csv:cedar-hollow-example:badge'
      WHERE $1::text IS NULL OR a.source_sha256 = $1
      ORDER BY a.source_sha256, a.source_row`,
    [sha256 ?? null],
  );
}

/** The synthetic Cedar Hollow complaints file, row by row, as it should land. */
const EXPECTED_ALLEGATIONS: [string, string | null, string, string, string | null, string | null, number | null][] = [
  ["SYN-23-001", "122", "Excessive Force", "sustained", "sustained", "Suspension", 5],
  ["SYN-23-001", "122", "Discourtesy", "sustained", "sustained", "Suspension", 5],
  ["SYN-23-001", "114", "Failure to Supervise", "not_sustained", "not_sustained", null, null],
  ["SYN-23-002", "137", "Improper Search", "unfounded", "unfounded", null, null],
  ["SYN-23-003", "145", "Excessive Force", "sustained", "not_sustained", null, null],
  ["SYN-23-003", "160", "Excessive Force", "exonerated", "exonerated", null, null],
  ["SYN-23-004", null, "Discourtesy", "not_sustained", "not_sustained", null, null],
  ["SYN-23-005", "122", "Untruthfulness", "sustained", "sustained", "Termination", null],
  ["SYN-23-006", "188", "Improper Stop", "pending", null, null, null],
  ["SYN-23-007", "137", "Discourtesy", "closed_no_finding", "closed_no_finding", null, null],
  ["SYN-23-008", "171", "Improper Search", "other", "exonerated", null, null],
  ["SYN-23-008", "160", "Improper Search", "not_sustained", "not_sustained", null, null],
  ["SYN-23-009", "114", "Excessive Force", "sustained", "sustained", "Written Reprimand", null],
  ["SYN-23-009", "122", "Excessive Force", "sustained", "sustained", "Suspension", 10],
  ["SYN-23-010", "152", "Untruthfulness", "not_sustained", "not_sustained", null, null],
  ["SYN-23-011", "160", "Excessive Force", "sustained", "sustained", "Counseling", null],
  ["SYN-23-011", "188", "Excessive Force", "not_sustained", "not_sustained", null, null],
  ["SYN-23-012", "122", "Discourtesy", "unfounded", "unfounded", null, null],
  ["SYN-23-012", null, "Discourtesy", "unfounded", "unfounded", null, null],
  ["SYN-23-013", "171", "Improper Stop", "pending", null, null, null],
];

const asView = ([external_id, badge, category, investigator_finding, final_finding, final_penalty, suspension_days]: (typeof EXPECTED_ALLEGATIONS)[number]): AllegationView => ({
  external_id, badge, category, investigator_finding, final_finding, final_penalty, suspension_days,
});

after(() => rmSync(tmp, { recursive: true, force: true }));

describe(`csv mapping import: the synthetic Cedar Hollow release (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("imports every row with findings mapped, officers linked by badge and complaints shared by their allegations", async () => {
    const report = await importExample(db, COMPLAINTS_MAPPING, [COMPLAINTS_CSV]);
    assert.equal(report.files[0].rowsImported, 20);
    assert.deepEqual(report.tables, { complaints: 13, allegations: 20, people: 8, person_mentions: 8 });

    assert.deepEqual(await allegationsOf(db), EXPECTED_ALLEGATIONS.map(asView));

    const people = await db.query<{ full_name: string; first_name: string; last_name: string; local_id: string; source: string; stars: string[]; allegations: number }>(
      `SELECT p.full_name, p.first_name, p.last_name, m.local_id, m.source, m.attributes->'stars' AS stars,
              (SELECT count(*)::int FROM allegations a WHERE a.person_id = p.id) AS allegations
         FROM people p JOIN person_mentions m ON m.person_id = p.id ORDER BY m.local_id`,
    );
    assert.deepEqual(
      people.map((p) => [p.local_id, p.full_name, p.allegations]),
      [["114", "MICHAEL OKAFOR", 2], ["122", "KYLE BRANDT", 5], ["137", "ANA REYES", 2], ["145", "PETER KOWALSKI", 1], ["152", "LINH NGUYEN", 1], ["160", "JAMES MORRISON", 3], ["171", "TANYA PRICE", 2], ["188", "SAM DELACROIX", 2]],
    );
    assert.ok(people.every((p) => p.source === "csv:cedar-hollow-example:badge" && p.stars.length === 1 && p.stars[0] === p.local_id));

    const complaints = await db.query<Record<string, unknown>>(
      `SELECT c.external_id, c.received_date, c.incident_date, c.closed_date, c.location, c.district, c.channel, c.case_type, c.search_text,
              (SELECT count(*)::int FROM allegations a WHERE a.complaint_id = c.id) AS allegations, ag.slug, ag.name
         FROM complaints c JOIN agencies ag ON ag.id = c.agency_id ORDER BY c.external_id`,
    );
    assert.equal(complaints.length, 13);
    assert.deepEqual(complaints[0], {
      external_id: "SYN-23-001", received_date: "2023-01-09", incident_date: "2023-01-06", closed_date: "2023-04-18",
      location: "1200 block of ELM ST", district: "EAST", channel: "online", case_type: "Citizen complaint",
      search_text: "SYN-23-001 Citizen complaint 1200 block of ELM ST EAST Discourtesy Excessive Force Failure to Supervise",
      allegations: 3, slug: "cedar-hollow-example", name: "Cedar Hollow Police Department (synthetic example)",
    });
    const third = complaints.find((c) => c.external_id === "SYN-23-003")!;
    assert.equal(third.location, "MARKET SQ");
    assert.equal(third.channel, "in person");
    assert.equal(complaints.find((c) => c.external_id === "SYN-23-006")!.closed_date, null);
    assert.equal(complaints.find((c) => c.external_id === "SYN-23-004")!.channel, "email");

    const provenance = await db.query<{ rows: number; runs: number; sha: string }>(
      "SELECT count(DISTINCT source_row)::int AS rows, count(DISTINCT import_run_id)::int AS runs, min(source_sha256) AS sha FROM allegations",
    );
    assert.deepEqual(provenance[0], { rows: 20, runs: 1, sha: report.files[0].sha256 });
    assert.deepEqual((report.extra.csv_mapping as Record<string, unknown>).officers, {
      key: "csv:cedar-hollow-example:badge", people_created: 8, people_from_earlier_imports: 0, rows_without_officer_key: 2,
    });
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = await tableCounts(db);
    const report = await importExample(db, COMPLAINTS_MAPPING, [COMPLAINTS_CSV]);
    assert.equal(report.files[0].status, "already imported");
    assert.deepEqual(await tableCounts(db), before);
  });

  it("fails on a disposition word the map does not list, naming file, line, column and word, and writes nothing", async () => {
    const before = await tableCounts(db);
    const lines = readFileSync(COMPLAINTS_CSV, "utf8").split("\n");
    assert.match(lines[7], /^SYN-23-004,.*,Not Sustained,NS,,$/);
    lines[7] = lines[7].replace("Not Sustained", "Insufficient Evidence");
    const path = csvFile(lines.join("\n"), "cedar-hollow-bad-word.csv");
    const error = await importError(importExample(db, COMPLAINTS_MAPPING, [path]));
    assert.equal(error.file, `${fileCounter}-cedar-hollow-bad-word.csv`);
    assert.equal(error.line, 8);
    assert.equal(error.column, "IA Finding");
    assert.match(error.reason, /"Insufficient Evidence" is not in the value map "ia_findings" used by allegation.investigator_finding/);
    assert.match(error.message, /cedar-hollow-bad-word\.csv, line 8, column "IA Finding": "Insufficient Evidence"/);
    assert.deepEqual(await tableCounts(db), before);
  });

  it("lets the mapping leave unlisted words empty with unmapped: null", async () => {
    const text = readFileSync(COMPLAINTS_MAPPING, "utf8").replace("{ column: IA Finding, map: ia_findings }", "{ column: IA Finding, map: ia_findings, unmapped: null }");
    const csv = readFileSync(COMPLAINTS_CSV, "utf8").replace("SYN-23-013,12/01/2023,11/29/2023,,800,CEDAR AVE,EAST,Online,171,PRICE,TANYA,Improper Stop,Open", "SYN-23-014,12/02/2023,11/29/2023,,800,CEDAR AVE,EAST,Online,171,PRICE,TANYA,Improper Stop,Under Review");
    const path = csvFile(csv, "cedar-hollow-unmapped.csv");
    const report = await importInline(db, text, [path]);
    assert.equal(report.files[0].rowsImported, 20);
    const [row] = await db.query<{ investigator_finding: string | null }>(
      "SELECT a.investigator_finding FROM allegations a JOIN complaints c ON c.id = a.complaint_id WHERE c.external_id = 'SYN-23-014'",
    );
    assert.equal(row.investigator_finding, null);
    // The other 19 rows name complaints and officers the first import made: linked, not copied.
    const extra = report.extra.csv_mapping as { complaints: Record<string, number>; officers: Record<string, number> };
    assert.deepEqual(extra.complaints, { created: 1, from_earlier_imports: 12 });
    assert.equal(extra.officers.people_created, 0);
    assert.equal(extra.officers.people_from_earlier_imports, 8);
  });
});

describe(`csv mapping import: officers across imports (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  const personByBadge = async (badge: string) =>
    (await db.query<{ person_id: string }>("SELECT person_id FROM person_mentions WHERE source = 'csv:cedar-hollow-example:badge' AND local_id = $1", [badge]))[0]?.person_id;

  it("imports the roster: one person per badge, one employment row per spell", async () => {
    const report = await importExample(db, ROSTER_MAPPING, [ROSTER_CSV]);
    assert.deepEqual(report.tables, { people: 8, person_mentions: 8, employment: 9 });
    const [kyle] = await db.query<Record<string, unknown>>(
      "SELECT first_name, middle_name, last_name, full_name, birth_year, race, gender FROM people WHERE id = $1",
      [await personByBadge("122")],
    );
    assert.deepEqual(kyle, { first_name: "KYLE", middle_name: "J", last_name: "BRANDT", full_name: "KYLE J BRANDT", birth_year: 1989, race: "WHITE", gender: "MALE" });
    const spells = await db.query<Record<string, unknown>>(
      "SELECT badge, rank, unit, start_date, end_date, separation_reason FROM employment WHERE person_id = $1 ORDER BY start_date",
      [await personByBadge("122")],
    );
    assert.deepEqual(spells, [
      { badge: "122", rank: "OFFICER", unit: "PATROL EAST", start_date: "2013-08-19", end_date: "2022-06-30", separation_reason: "PROMOTED" },
      { badge: "122", rank: "CORPORAL", unit: "PATROL WEST", start_date: "2022-07-01", end_date: null, separation_reason: null },
    ]);
  });

  it("links a later complaints file to the roster's people instead of creating new ones", async () => {
    const roster = new Map<string, string>();
    for (const badge of ["114", "122", "137", "145", "152", "160", "171"]) roster.set(badge, await personByBadge(badge));
    const report = await importExample(db, COMPLAINTS_MAPPING, [COMPLAINTS_CSV]);
    assert.deepEqual(report.tables, { complaints: 13, allegations: 20, people: 1, person_mentions: 1 });
    assert.deepEqual((report.extra.csv_mapping as { officers: unknown }).officers, {
      key: "csv:cedar-hollow-example:badge", people_created: 1, people_from_earlier_imports: 7, rows_without_officer_key: 2,
    });
    const rows = await db.query<{ badge: string; person_id: string }>(
      "SELECT e.badge, a.person_id FROM allegations a JOIN (SELECT DISTINCT person_id, badge FROM employment) e ON e.person_id = a.person_id",
    );
    assert.equal(rows.length, 16); // 20 rows, less two unidentified officers and two naming badge 188 (not on the roster)
    for (const row of rows) assert.equal(row.person_id, roster.get(row.badge));
    assert.equal((await tableCounts(db)).people, 9);
    // Rows remember the mention they came through, so an admin's split moves them with it.
    const [links] = await db.query<{ linked: number; through_own_mention: number; employment_linked: number }>(
      `SELECT count(*) FILTER (WHERE a.person_id IS NOT NULL)::int AS linked,
              count(*) FILTER (WHERE m.person_id = a.person_id AND m.source = 'csv:cedar-hollow-example:badge')::int AS through_own_mention,
              (SELECT count(*)::int FROM employment e JOIN person_mentions em ON em.id = e.mention_id AND em.person_id = e.person_id) AS employment_linked
         FROM allegations a LEFT JOIN person_mentions m ON m.id = a.mention_id`,
    );
    assert.deepEqual(links, { linked: 18, through_own_mention: 18, employment_linked: 9 });
  });

  it("links a third file to officers and complaints from both earlier imports, filling a complaint's empty fields", async () => {
    const delacroix = await personByBadge("188");
    const halverson = await personByBadge("101");
    assert.ok(delacroix && halverson);
    const header = readFileSync(COMPLAINTS_CSV, "utf8").split("\n")[0];
    const path = csvFile(`${header}
SYN-23-013,12/01/2023,11/29/2023,01/15/2024,800,CEDAR AVE,EAST,Online,188,DELACROIX,SAM,Improper Stop,Not Sustained,NS,,
SYN-24-001,01/03/2024,01/02/2024,,40,HILL RD,WEST,Phone,101,HALVERSON,DANA,Failure to Supervise,Open,,,
`, "cedar-hollow-2024.csv");
    const before = await tableCounts(db);
    const report = await importExample(db, COMPLAINTS_MAPPING, [path]);
    assert.deepEqual(report.tables, { complaints: 1, allegations: 2 });
    const extra = report.extra.csv_mapping as { officers: Record<string, number>; complaints: Record<string, number> };
    assert.equal(extra.officers.people_from_earlier_imports, 2);
    assert.deepEqual(extra.complaints, { created: 1, from_earlier_imports: 1 });
    const after = await tableCounts(db);
    assert.equal(after.people, before.people);
    const rows = await db.query<{ external_id: string; person_id: string; closed_date: string | null; allegations: number }>(
      `SELECT c.external_id, a.person_id, c.closed_date, (SELECT count(*)::int FROM allegations x WHERE x.complaint_id = c.id) AS allegations
         FROM allegations a JOIN complaints c ON c.id = a.complaint_id WHERE a.source_sha256 = $1 ORDER BY a.source_row`,
      [report.files[0].sha256],
    );
    assert.deepEqual(rows, [
      { external_id: "SYN-23-013", person_id: delacroix, closed_date: "2024-01-15", allegations: 2 },
      { external_id: "SYN-24-001", person_id: halverson, closed_date: null, allegations: 1 },
    ]);
  });

  it("keeps roster spells it already has when a new roster release repeats them", async () => {
    const path = csvFile(`${readFileSync(ROSTER_CSV, "utf8")}E-2009,199,ABERNATHY,CHRIS,,OFFICER,TRAFFIC,06-Jan-2024,,,WHITE,X,1999\n`, "cedar-hollow-roster-2024.csv");
    const report = await importExample(db, ROSTER_MAPPING, [path]);
    assert.deepEqual(report.tables, { people: 1, person_mentions: 1, employment: 1 });
    const extra = report.extra.csv_mapping as Record<string, unknown>;
    assert.equal(extra.employment_spells_already_known, 9);
    assert.deepEqual(extra.officers, { key: "csv:cedar-hollow-example:badge", people_created: 1, people_from_earlier_imports: 8, rows_without_officer_key: 0 });
    const [chris] = await db.query<{ gender: string }>("SELECT gender FROM people WHERE id = $1", [await personByBadge("199")]);
    assert.equal(chris.gender, "NONBINARY");
  });

  it("refuses a roster row that does not identify its officer", async () => {
    const before = await tableCounts(db);
    const path = csvFile(`${readFileSync(ROSTER_CSV, "utf8")}E-2010,,DOE,JO,,OFFICER,TRAFFIC,06-Jan-2024,,,WHITE,F,1999\n`, "roster-no-badge.csv");
    const error = await importError(importExample(db, ROSTER_MAPPING, [path]));
    assert.equal(error.line, 11);
    assert.equal(error.column, "Badge");
    assert.match(error.reason, /officer key .* is empty/);
    assert.deepEqual(await tableCounts(db), before);
  });
});

describe(`csv mapping import: other kinds and errors (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  const AGENCY = "agency: { slug: test-pd, name: Test PD, city: Testville, state: TX }";

  it("names the mapping key when the file lacks a column it names", async () => {
    const before = await tableCounts(db);
    const path = csvFile("Case,Received\nA-1,2020-01-01\n");
    const error = await importError(importInline(db, `kind: complaints\n${AGENCY}\ncomplaint: { external_id: Case, received_date: Date Received }\n`, [path]));
    assert.equal(error.line, 1);
    assert.equal(error.column, "Date Received");
    assert.match(error.reason, /no column "Date Received", which the mapping names at complaint.received_date/);
    const twice = await importError(importInline(db, `kind: complaints\n${AGENCY}\ncomplaint: { external_id: Case }\n`, [csvFile("Case,Received,Case\nA-1,2020-01-01,A-2\n")]));
    assert.equal(twice.line, 1);
    assert.match(twice.reason, /more than one column named "Case"/);
    assert.deepEqual(await tableCounts(db), before);
  });

  it("complaints: one complaint per row; a repeated id is an error naming the first line", async () => {
    const mapping = `kind: complaints\n${AGENCY}\ncomplaint:\n  external_id: Case\n  received_date: { column: Received, transform: [{ date: DD.MM.YYYY }] }\n  summary: Summary\n`;
    const error = await importError(importInline(db, mapping, [csvFile("Case,Received,Summary\nC-1,01.02.2020,First\nC-2,03.02.2020,Second\nC-1,04.02.2020,Again\n", "dupes.csv")]));
    assert.equal(error.line, 4);
    assert.equal(error.column, "Case");
    assert.match(error.reason, /complaint "C-1" already appeared at \d+-dupes.csv, line 2/);

    const report = await importInline(db, mapping, [csvFile("Case,Received,Summary\nC-1,01.02.2020,First\nC-2,31.12.2019,\n")]);
    assert.deepEqual(report.tables, { complaints: 2 });
    const rows = await db.query("SELECT external_id, received_date, summary, search_text FROM complaints ORDER BY external_id");
    assert.deepEqual(rows, [
      { external_id: "C-1", received_date: "2020-02-01", summary: "First", search_text: "C-1 First" },
      { external_id: "C-2", received_date: "2019-12-31", summary: null, search_text: "C-2" },
    ]);
  });

  it("complaints: a later complaints file fills in a complaint an allegations file created", async () => {
    const allegations = `kind: allegations\n${AGENCY}\ncomplaint: { external_id: CR }\nallegation: { category: What }\nofficer: { key: { kind: employee_id, column: Emp }, full_name: Name }\n`;
    await importInline(db, allegations, [csvFile("CR,What,Emp,Name\nC-9,Search,77,Pat Lee\nC-2,Force,,\n")]);
    const complaints = `kind: complaints\n${AGENCY}\ncomplaint: { external_id: Case, summary: Summary, district: { constant: NORTH } }\n`;
    const report = await importInline(db, complaints, [csvFile("Case,Summary\nC-9,Filled in later\nC-1,Not used\n")]);
    assert.deepEqual(report.tables, {});
    assert.deepEqual((report.extra.csv_mapping as { complaints: unknown }).complaints, { created: 0, from_earlier_imports: 2 });
    const rows = await db.query("SELECT external_id, summary, district FROM complaints WHERE external_id IN ('C-1', 'C-9') ORDER BY external_id");
    // C-1 already had a summary ("First"), which is kept; its empty district is filled.
    assert.deepEqual(rows, [
      { external_id: "C-1", summary: "First", district: "NORTH" },
      { external_id: "C-9", summary: "Filled in later", district: "NORTH" },
    ]);
    // A complaint from an earlier import, named twice in one complaints file, is still a repeated row.
    const repeated = await importError(importInline(db, complaints, [csvFile("Case,Summary\nC-9,Once\nC-9,Twice\n", "repeat.csv")]));
    assert.equal(repeated.line, 3);
    assert.match(repeated.reason, /complaint "C-9" already appeared at \d+-repeat.csv, line 2/);
    const [person] = await db.query<{ full_name: string; first_name: string }>("SELECT p.full_name, p.first_name FROM people p JOIN person_mentions m ON m.person_id = p.id WHERE m.source = 'csv:test-pd:employee_id' AND m.local_id = '77'");
    assert.deepEqual(person, { full_name: "Pat Lee", first_name: "" });
  });

  it("force incidents: one incident per id, one row per officer involved, extra columns kept as details", async () => {
    const mapping = `
kind: force_incidents
${AGENCY}
force_incident:
  external_id: Incident
  occurred_date: { column: Date, transform: [{ date: M/D/YYYY }] }
  force_type: { column: Type, transform: [lower] }
  fatal: { column: Outcome, map: { Death: true, Injury: false, None: false } }
  details: [Weapon, Notes]
force_officer:
  injured: { column: Officer Injured, map: { Y: yes, N: no } }
officer:
  key: { kind: badge, column: Badge }
`;
    const report = await importInline(db, mapping, [csvFile(`
Incident,Date,Type,Outcome,Badge,Officer Injured,Weapon,Notes
F-1,3/7/2022,Taser,Injury,501,N,Taser,
F-1,3/8/2022,Taser,Death,502,Y,Taser,Second officer arrived
F-2,12/24/2022,Takedown,None,,N,,
F-3,12/25/2022,Takedown,None,,,,
`)]);
    assert.deepEqual(report.tables, { force_incidents: 3, force_officers: 3, people: 2, person_mentions: 2 });
    const incidents = await db.query("SELECT external_id, source_kind, occurred_date, force_type, fatal, details FROM force_incidents ORDER BY external_id");
    assert.deepEqual(incidents, [
      { external_id: "F-1", source_kind: "csv:test-pd", occurred_date: "2022-03-07", force_type: "taser", fatal: true, details: { Weapon: "Taser", Notes: "Second officer arrived" } },
      { external_id: "F-2", source_kind: "csv:test-pd", occurred_date: "2022-12-24", force_type: "takedown", fatal: false, details: {} },
      { external_id: "F-3", source_kind: "csv:test-pd", occurred_date: "2022-12-25", force_type: "takedown", fatal: false, details: {} },
    ]);
    const officers = await db.query<{ external_id: string; local_id: string | null; injured: string }>(
      `SELECT i.external_id, m.local_id, o.injured FROM force_officers o JOIN force_incidents i ON i.id = o.incident_id
         LEFT JOIN person_mentions m ON m.person_id = o.person_id ORDER BY o.source_row`,
    );
    assert.deepEqual(officers, [
      { external_id: "F-1", local_id: "501", injured: "no" },
      { external_id: "F-1", local_id: "502", injured: "yes" },
      { external_id: "F-2", local_id: null, injured: "no" },
    ]);
    const extra = report.extra.csv_mapping as Record<string, unknown>;
    assert.deepEqual(extra.conflicting_values, {
      note: "rows that repeat a complaint or incident with a different value; the first value was kept",
      count: 1,
      examples: [{ record: "incident F-1", field: "occurred_date", kept: "2022-03-07", ignored: "2022-03-08", where: `${fileCounter}-file.csv, line 3` }],
    });
  });

  it("settlements: money in dollars becomes cents; officers named without a key are kept as written", async () => {
    const mapping = `
kind: settlements
${AGENCY}
settlement:
  calendar_year: Year
  amount_cents: { column: Amount, transform: [dollars_to_cents] }
  docket_number: Case
  payer: { constant: City of Testville }
officer:
  full_name: Officer
`;
    const report = await importInline(db, mapping, [csvFile('Year,Amount,Case,Officer\n2021,"$12,500.00",21-CV-1,Sgt. J. Doe\n2022,"(1,000.50)",22-CV-9,\n')]);
    assert.deepEqual(report.tables, { settlements: 2, settlement_officers: 1 });
    const rows = await db.query(
      `SELECT s.calendar_year, s.amount_cents, s.docket_number, s.payer, o.name_as_written, o.person_id
         FROM settlements s LEFT JOIN settlement_officers o ON o.settlement_id = s.id ORDER BY s.calendar_year`,
    );
    assert.deepEqual(rows, [
      { calendar_year: 2021, amount_cents: 1250000, docket_number: "21-CV-1", payer: "City of Testville", name_as_written: "Sgt. J. Doe", person_id: null },
      { calendar_year: 2022, amount_cents: -100050, docket_number: "22-CV-9", payer: "City of Testville", name_as_written: null, person_id: null },
    ]);
  });

  it("with --skip-bad-rows, a rejected row leaves no person, complaint or count behind", async () => {
    const mapping = `kind: allegations\n${AGENCY}\ncomplaint: { external_id: CR }\nallegation: { final_finding: { column: Finding, map: { S: sustained } } }\nofficer: { key: { kind: star, column: Star }, last_name: Last }\n`;
    const path = csvFile("CR,Finding,Star,Last\nR-1,Maybe,999,FIRSTSEEN\nR-2,S,999,SECOND\nR-3,S,999,THIRD\n", "skip.csv");
    const report = await importInline(db, mapping, [path], { skipBadRows: true, fallbackRejectsDir: tmp });
    assert.equal(report.files[0].rowsSkipped, 1);
    assert.deepEqual(report.tables, { complaints: 2, allegations: 2, people: 1, person_mentions: 1 });
    const people = await db.query<{ last_name: string; local_id: string }>(
      "SELECT p.last_name, m.local_id FROM people p JOIN person_mentions m ON m.person_id = p.id WHERE m.source = 'csv:test-pd:star'",
    );
    assert.deepEqual(people, [{ last_name: "SECOND", local_id: "999" }]);
    assert.deepEqual(await db.query("SELECT external_id FROM complaints WHERE external_id LIKE 'R-%' ORDER BY external_id"), [{ external_id: "R-2" }, { external_id: "R-3" }]);
    assert.match(readFileSync(report.files[0].rejectsFile!, "utf8"), /Maybe/);
  });

  it("fills an officer's details from later rows when the first row lacked them", async () => {
    const mapping = `kind: allegations\n${AGENCY}\ncomplaint: { external_id: CR }\nofficer:\n  key: { kind: payroll, column: Payroll }\n  first_name: First\n  last_name: Last\n  race: Race\n  badge: Star\n`;
    await importInline(db, mapping, [csvFile("CR,Payroll,First,Last,Race,Star\nP-1,P100,,,,\nP-2,P100,ROSA,PARKS,BLACK,42\nP-3,P100,ROSA,PARKER,,43\n")]);
    const rows = await db.query(
      "SELECT p.first_name, p.last_name, p.full_name, p.race, m.attributes->'stars' AS stars, m.attributes->>'lastName' AS mention_last FROM people p JOIN person_mentions m ON m.person_id = p.id WHERE m.source = 'csv:test-pd:payroll'",
    );
    assert.deepEqual(rows, [{ first_name: "ROSA", last_name: "PARKS", full_name: "ROSA PARKS", race: "BLACK", stars: ["42", "43"], mention_last: "PARKS" }]);
  });
});
