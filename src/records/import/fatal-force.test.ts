import { databaseSnapshot } from "../../db/snapshot.js";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { Db } from "../../db/db.js";
import { openTestDb, testEngine } from "../../db/test-db.js";
import { ImportError } from "./errors.js";
import { fatalForceFormat } from "./fatal-force.js";
import { runImport, type ImportReport } from "./runner.js";

/** The real Washington Post v1 file, beside the project; the test fails (never skips) without it. */
const FILE = fileURLToPath(new URL("../../../../shared/data/wapo_fatal_shootings/fatal-police-shootings-data_v1_2020-07.csv", import.meta.url));

type Row = Record<string, string>;

const snapshot = databaseSnapshot;

describe(`fatal-force import of the Washington Post v1 file (${testEngine})`, () => {
  let db: Db;
  let rows: Row[];
  let report: ImportReport;
  let dir: string;

  before(async () => {
    rows = parse(readFileSync(FILE), { bom: true, columns: true, skip_empty_lines: true }) as Row[];
    dir = await mkdtemp(join(tmpdir(), "oversight-fatal-force-"));
    db = await openTestDb();
    report = await runImport(db, fatalForceFormat(), [FILE]);
  });
  after(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reads and imports every row", async () => {
    assert.ok(rows.length > 5_000);
    assert.equal(report.files.length, 1);
    const [entry] = report.files;
    assert.equal(entry.status, "imported");
    assert.equal(entry.rowsRead, rows.length);
    assert.equal(entry.rowsImported, rows.length);
    assert.equal(entry.rowsSkipped, 0);
    assert.equal(report.tables.force_incidents, rows.length);
    const [counts] = await db.query<{ n: number; fatal: number; kind: number; no_agency: number; distinct_ids: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE fatal)::int AS fatal,
              count(*) FILTER (WHERE source_kind = 'wapo-fatal-shootings')::int AS kind,
              count(*) FILTER (WHERE agency_id IS NULL)::int AS no_agency,
              count(DISTINCT external_id)::int AS distinct_ids
         FROM force_incidents`,
    );
    assert.deepEqual(counts, { n: rows.length, fatal: rows.length, kind: rows.length, no_agency: rows.length, distinct_ids: rows.length });
  });

  it("maps a real row's fields", async () => {
    const source = rows.find((row) => row.id === "3")!;
    assert.ok(source);
    const [row] = await db.query<Record<string, unknown> & { details: Record<string, unknown> }>(
      "SELECT * FROM force_incidents WHERE source_kind = 'wapo-fatal-shootings' AND external_id = '3'",
    );
    assert.equal(row.occurred_date, source.date);
    assert.equal(row.city, source.city);
    assert.equal(row.state, source.state);
    assert.equal(row.force_type, source.manner_of_death);
    assert.equal(row.fatal, true);
    assert.equal(row.agency_id, null);
    assert.equal(row.source_row, rows.indexOf(source) + 1);
    assert.deepEqual(row.details, {
      subject_name: source.name,
      armed: source.armed,
      age: Number(source.age),
      gender: source.gender,
      race: source.race,
      signs_of_mental_illness: source.signs_of_mental_illness === "True",
      threat_level: source.threat_level,
      flee: source.flee,
      body_camera: source.body_camera === "True",
    });
    // The actual values of that row, as published.
    assert.deepEqual([row.occurred_date, row.city, row.state, row.details.subject_name, row.details.age], ["2015-01-02", "Shelton", "WA", "Tim Elliot", 53]);
  });

  it("keeps no placeholder name for the people the Post had not named yet", async () => {
    const placeholders = rows.filter((row) => /^tk tk$/i.test(row.name)).length;
    assert.ok(placeholders > 0);
    assert.equal(report.extra.unnamedSubjects, placeholders);
    const [row] = await db.query<{ unnamed: number; tk: number }>(
      `SELECT count(*) FILTER (WHERE details->>'subject_name' IS NULL)::int AS unnamed,
              count(*) FILTER (WHERE details->>'subject_name' ILIKE 'tk tk')::int AS tk
         FROM force_incidents`,
    );
    assert.deepEqual(row, { unnamed: placeholders, tk: 0 });
  });

  it("changes nothing when the file is imported again", async () => {
    const before = await snapshot(db);
    const again = await runImport(db, fatalForceFormat(), [FILE]);
    assert.equal(again.runId, null);
    assert.equal(again.files[0].status, "already imported");
    assert.equal(again.files[0].rowsImported, 0);
    assert.deepEqual(await snapshot(db), before);
  });

  it("refuses an id imported before from another version of the file, and can import just the new rows", async () => {
    const header = Object.keys(rows[0]);
    const newRow = { ...rows[0], id: "999999", name: "Test Person", date: "2020-08-01" };
    const path = join(dir, "fatal-police-shootings-newer.csv");
    await writeFile(path, stringify([header, header.map((c) => rows[0][c]), header.map((c) => newRow[c as keyof typeof newRow])]));

    const before = await snapshot(db);
    await assert.rejects(runImport(db, fatalForceFormat(), [path]), (error: unknown) => {
      assert.ok(error instanceof ImportError);
      assert.equal(error.file, "fatal-police-shootings-newer.csv");
      assert.equal(error.line, 2);
      assert.equal(error.column, "id");
      assert.match(error.reason, /already imported/);
      return true;
    });
    assert.deepEqual(await snapshot(db), before);

    const partial = await runImport(db, fatalForceFormat(), [path], { skipBadRows: true });
    assert.equal(partial.files[0].rowsImported, 1);
    assert.equal(partial.files[0].rowsSkipped, 1);
    assert.equal(partial.files[0].rejectsFile, `${path}.rejects.csv`);
    const [count] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM force_incidents");
    assert.equal(count.n, rows.length + 1);
  });
});
