import assert from "node:assert/strict";
import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { after, before, describe, it } from "node:test";
import { currentTreeHead, verifyAuditLog } from "../../../audit/service.js";
import type { Db } from "../../../db/db.js";
import { openTestDb, testEngine } from "../../../db/test-db.js";
import { runImport, type ImportReport } from "../runner.js";
import { cpdpFormat } from "./format.js";

const DATA_DIR = fileURLToPath(new URL("../../../../../shared/data/chicago_cpdp/", import.meta.url));
const files = readdirSync(DATA_DIR).filter((name) => name.endsWith(".csv.gz")).sort().map((name) => DATA_DIR + name);

async function countRows(path: string): Promise<number> {
  let rows = 0;
  for await (const _ of createReadStream(path).pipe(createGunzip()).pipe(parse({ columns: true, skip_empty_lines: true }))) rows += 1;
  return rows;
}

async function tableCounts(db: Db) {
  const [row] = await db.query<Record<string, number>>(`SELECT
    (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM person_mentions)::int AS mentions,
    (SELECT count(*) FROM complaints)::int AS complaints, (SELECT count(*) FROM allegations)::int AS allegations,
    (SELECT count(*) FROM employment)::int AS employment, (SELECT count(*) FROM force_incidents)::int AS force,
    (SELECT count(*) FROM complainant_demographics)::int AS complainants`);
  return row;
}

/** Who the matcher put together, checked by hand against the files (zcat | grep). */
const HAND_CHECKED: { name: RegExp; mentions: [string, string][] }[] = [
  { name: /Mc ?Beth/i, mentions: [["roster_1969-2023_2023-07_p858785", "10026"], ["complaints-accused_2000-2023_2023-08_p053540", "1235"], ["complaints-accused_2000-2023_2023-09_p867849", "7171"], ["TRR-officers_2020-2021_2021-06_p660692", "1578"]] },
  { name: /Bansley/i, mentions: [["roster_1969-2023_2023-07_p858785", "886"], ["complaints-accused_2000-2023_2023-08_p053540", "10003"], ["complaints-accused_2000-2023_2023-09_p867849", "15202"], ["TRR-officers_2020-2021_2021-06_p660692", "500"]] },
  { name: /Wilson/i, mentions: [["roster_1969-2023_2023-07_p858785", "17435"], ["complaints-accused_2000-2023_2023-08_p053540", "4091"], ["complaints-accused_2000-2023_2023-09_p867849", "162"]] },
  { name: /Kuc/i, mentions: [["roster_1969-2023_2023-07_p858785", "8584"], ["complaints-accused_2000-2023_2023-08_p053540", "14105"], ["complaints-accused_2000-2023_2023-08_p053540", "8702"], ["TRR-officers_2020-2021_2021-06_p660692", "1611"]] },
  { name: /Chatman/i, mentions: [["roster_1969-2023_2023-07_p858785", "2637"], ["complaints-accused_2000-2023_2023-08_p053540", "4593"], ["complaints-accused_2000-2023_2023-09_p867849", "2614"], ["TRR-officers_2020-2021_2021-06_p660692", "14"]] },
];

describe(`CPDP import of the real Chicago files (${testEngine})`, () => {
  let db: Db;
  let report: ImportReport;
  before(async () => {
    db = await openTestDb();
    report = await runImport(db, cpdpFormat(), files);
  });
  after(() => db.close());

  it("reads and imports every row of every file, matching the source row counts", async () => {
    assert.equal(files.length, 8);
    for (const path of files) {
      const name = path.slice(DATA_DIR.length);
      const file = report.files.find((entry) => entry.file === name)!;
      const expected = await countRows(path);
      assert.equal(file.rowsRead, expected, `${name} rows read`);
      assert.equal(file.rowsImported, expected, `${name} rows imported`);
      assert.equal(file.rowsSkipped, 0);
    }
  });

  it("writes what the report says, each allegation shared by the two accused files once", async () => {
    const counts = await tableCounts(db);
    const extra = report.extra as { allegationsMergedAcrossAccusedFiles: number; complaintsRepeated: number; stubComplaints: number };
    // Shared allegations are written once, so what the report counts is what is stored.
    assert.equal(counts.allegations, report.tables.allegations);
    assert.ok(extra.allegationsMergedAcrossAccusedFiles > 10_000, "the accused files overlap");
    // The recommended file has no days column: days on its rows came from their partners in the penalty file.
    const [filled] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM allegations a JOIN source_files f ON f.sha256 = a.source_sha256 WHERE f.name LIKE '%p053540%' AND a.suspension_days IS NOT NULL",
    );
    assert.ok(filled.n > 100, `${filled.n} merged allegations carry the penalty file's suspension days`);
    const complaintRows = (await countRows(files.find((f) => f.includes("complaints-complaints_2000-2023_2023-08"))!)) + (await countRows(files.find((f) => f.includes("complaints-complaints_2000-2023_2023-09"))!));
    assert.equal(counts.complaints, complaintRows - extra.complaintsRepeated + extra.stubComplaints);
    assert.equal(counts.complainants, report.tables.complainant_demographics);
  });

  it("reports identity linking: linked, unlinked and ambiguous, and merges no ambiguous mention", async () => {
    const linking = (report.extra as { identityLinking: { mentions: number; linked: number; unlinked: number; ambiguous: number; ambiguousMentions: { mention: string }[] } }).identityLinking;
    assert.equal(linking.mentions, linking.linked + linking.unlinked + linking.ambiguous);
    assert.ok(linking.linked > 40_000);
    assert.equal(linking.ambiguousMentions.length, linking.ambiguous);
    for (const entry of linking.ambiguousMentions) {
      const [source, localId] = [entry.mention.slice(0, entry.mention.lastIndexOf(":")), entry.mention.slice(entry.mention.lastIndexOf(":") + 1)];
      const [row] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM person_mentions WHERE person_id = (SELECT person_id FROM person_mentions WHERE source = $1 AND local_id = $2)",
        [source, localId],
      );
      assert.equal(row.n, 1, `${entry.mention} stays alone`);
    }
  });

  it("links the five hand-checked officers across files, each to one person with that name", async () => {
    for (const officer of HAND_CHECKED) {
      const ids = new Set<string>();
      for (const [source, localId] of officer.mentions) {
        const [row] = await db.query<{ person_id: string; full_name: string }>(
          "SELECT m.person_id, p.full_name FROM person_mentions m JOIN people p ON p.id = m.person_id WHERE m.source = $1 AND m.local_id = $2",
          [source, localId],
        );
        assert.ok(row, `${source}:${localId} stored`);
        assert.match(row.full_name, officer.name);
        ids.add(row.person_id);
      }
      assert.equal(ids.size, 1, `${officer.name} is one person`);
    }
  });

  it("keeps provenance on every imported allegation, and complainants only as counts", async () => {
    const [row] = await db.query<{ missing: number }>("SELECT count(*)::int AS missing FROM allegations WHERE source_sha256 IS NULL OR source_row IS NULL");
    assert.equal(row.missing, 0);
    const columns = await db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'complainant_demographics'");
    assert.deepEqual(columns.map((c) => c.column_name).sort(), ["age_band", "complaint_id", "count", "gender", "import_run_id", "race", "source_sha256"]);
  });

  it("writes every complaint's search text with its own words and all its allegations' categories", async () => {
    // Every word a second pass over the stored rows would index must be there. The text may hold more: when the two
    // accused files describe one allegation, both files' category words stay searchable, though one row is kept.
    const [row] = await db.query<{ complaints: number; missing: number; searchable: number }>(
      `SELECT count(*)::int AS complaints,
              count(*) FILTER (WHERE NOT tsvector_to_array(to_tsvector('english', translate(concat_ws(' ', c.external_id, c.case_type, c.location,
                 c.investigating_agency, c.complainant_type, c.summary, (SELECT string_agg(DISTINCT a.category, ' ') FROM allegations a WHERE a.complaint_id = c.id)), '/', ' ')))
                 <@ tsvector_to_array(c.search))::int AS missing,
              count(*) FILTER (WHERE c.search @@ to_tsquery('english', 'personnel'))::int AS searchable
         FROM complaints c`,
    );
    assert.ok(row.complaints > 60_000);
    assert.equal(row.missing, 0);
    assert.ok(row.searchable > 1_000, "a category word finds complaints");
  });

  it("changes nothing when the same files are imported again", async () => {
    const before = await tableCounts(db);
    const head = await currentTreeHead(db);
    const again = await runImport(db, cpdpFormat(), files);
    assert.equal(again.runId, null);
    assert.ok(again.files.every((file) => file.status === "already imported"));
    assert.deepEqual(await tableCounts(db), before);
    assert.deepEqual(await currentTreeHead(db), head);
    assert.equal((await verifyAuditLog(db)).ok, true);
  });
});

describe(`CPDP complaints and their accused officers imported in separate runs (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("gives complaints stored earlier the categories of allegations that arrive later", async () => {
    const pick = (stem: string) => files.filter((path) => path.includes(stem));
    await runImport(db, cpdpFormat(), pick("complaints-complaints_2000-2023_2023-08_p053540"));
    const [before] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM complaints WHERE search @@ to_tsquery('english', 'verbal & abuse')");
    assert.equal(before.n, 0, "no categories before the accused file");
    await runImport(db, cpdpFormat(), pick("complaints-accused_2000-2023_2023-08_p053540"));
    const [after] = await db.query<{ n: number; expected: number }>(
      `SELECT count(*) FILTER (WHERE c.search @@ to_tsquery('english', 'verbal & abuse'))::int AS n,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM allegations a WHERE a.complaint_id = c.id AND a.category ILIKE '%verbal abuse%'))::int AS expected
         FROM complaints c`,
    );
    assert.ok(after.expected > 1_000);
    assert.ok(after.n >= after.expected, `${after.n} complaints found by "verbal abuse", ${after.expected} have such an allegation`);
  });
});

describe(`CPDP accused file read ahead with a broken row and --skip-bad-rows (${testEngine})`, () => {
  let db: Db;
  let dir: string;
  before(async () => {
    db = await openTestDb();
    dir = await mkdtemp(join(tmpdir(), "oversight-cpdp-"));
  });
  after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("rejects the broken row with its line, and numbers every other row as it stands in the file", async () => {
    const accused = files.find((path) => path.includes("complaints-accused_2000-2023_2023-08_p053540"))!;
    const lines: string[] = [];
    for await (const line of createInterface({ input: createReadStream(accused).pipe(createGunzip()) })) {
      lines.push(line);
      if (lines.length === 4) break;
    }
    const [header, ...rows] = lines;
    const path = join(dir, "accused-sample.csv");
    // Data row 2 (line 3) has one field too many.
    await writeFile(path, [header, rows[0], `${rows[1]},extra`, rows[1], rows[2]].join("\n") + "\n");
    const report = await runImport(db, cpdpFormat(), [path], { skipBadRows: true });
    const file = report.files[0];
    assert.deepEqual([file.rowsRead, file.rowsImported, file.rowsSkipped], [4, 3, 1]);
    const rejects = parseSync(readFileSync(file.rejectsFile!, "utf8"), { columns: true }) as { line: string; reason: string }[];
    assert.deepEqual(rejects.map((row) => [row.line, row.reason]), [["3", "the row has a different number of fields than the header"]]);
    const stored = await db.query<{ source_row: number }>("SELECT source_row FROM allegations ORDER BY source_row");
    assert.deepEqual(stored.map((row) => row.source_row), [1, 3, 4]);
  });
});
