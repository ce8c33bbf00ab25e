import { databaseSnapshot } from "../../db/snapshot.js";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import type { Db } from "../../db/db.js";
import { openTestDb, testEngine } from "../../db/test-db.js";
import { ImportError } from "./errors.js";
import { runImport, type ImportReport } from "./runner.js";
import { settlementsFormat } from "./settlements.js";

/** The real FiveThirtyEight files, beside the project; the test fails (never skips) without them. */
const DATA_DIR = fileURLToPath(new URL("../../../../shared/data/settlements_538/", import.meta.url));

type Row = Record<string, string>;
interface RealFile {
  name: string;
  path: string;
  header: string[];
  rows: Row[];
}

function readRealFiles(): RealFile[] {
  return readdirSync(DATA_DIR)
    .filter((name) => name.endsWith(".csv"))
    .sort()
    .map((name) => {
      const path = DATA_DIR + name;
      const table = parse(readFileSync(path), { bom: true, skip_empty_lines: true }) as string[][];
      const header = table[0].map((column) => column.trim());
      const rows = table.slice(1).map((fields) => Object.fromEntries(header.map((column, i) => [column, fields[i]])));
      return { name, path, header, rows };
    });
}

const isSettlementFile = (file: RealFile) => file.header.includes("amount_awarded");

/** Dollars to cents computed the plain way (float, rounded), independent of the importer's parser. */
const dollarsToCents = (value: string | undefined) => (value && value.trim() ? Math.round(Number(value) * 100) : 0);

const snapshot = databaseSnapshot;

describe(`settlements import of the real FiveThirtyEight files (${testEngine})`, () => {
  let db: Db;
  let files: RealFile[];
  let report: ImportReport;

  before(async () => {
    files = readRealFiles();
    db = await openTestDb();
    // Officer files named first on purpose: the format must still import settlements before them.
    report = await runImport(db, settlementsFormat(), files.map((file) => file.path).reverse());
  });
  after(() => db?.close());

  it("finds all 35 files", () => {
    assert.equal(files.length, 35);
    assert.equal(files.filter((file) => !isSettlementFile(file)).length, 5, "five files list the officers named per docket");
  });

  it("reads and imports every row of every file", () => {
    assert.ok(report.runId);
    assert.equal(report.files.length, files.length);
    for (const file of files) {
      const entry = report.files.find((f) => f.file === file.name);
      assert.ok(entry, `${file.name} is in the report`);
      assert.equal(entry.status, "imported");
      assert.equal(entry.rowsRead, file.rows.length, `${file.name}: rows read`);
      assert.equal(entry.rowsImported, file.rows.length, `${file.name}: rows imported`);
      assert.equal(entry.rowsSkipped, 0);
    }
    const total = files.reduce((sum, file) => sum + file.rows.length, 0);
    assert.equal(report.files.reduce((sum, f) => sum + f.rowsImported, 0), total);
  });

  it("writes one settlements row per settlement-file row, with provenance", async () => {
    const expected = files.filter(isSettlementFile).reduce((sum, file) => sum + file.rows.length, 0);
    const [row] = await db.query<{ n: number; sourced: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE source_sha256 IS NOT NULL AND source_row IS NOT NULL AND import_run_id = $1)::int AS sourced FROM settlements",
      [report.runId],
    );
    assert.equal(row.n, expected);
    assert.equal(row.sourced, expected);
    assert.equal(report.tables.settlements, expected);
  });

  it("sums each city's amounts as the CSV does", async () => {
    for (const [fileName, slug] of [["chicago_edited.csv", "chicago-il-city"], ["los_angeles_edited.csv", "los-angeles-ca-city"], ["charleston_edited.csv", "charleston-sc-city"]]) {
      const file = files.find((f) => f.name === fileName)!;
      const expected = {
        n: file.rows.length,
        amount: file.rows.reduce((sum, row) => sum + dollarsToCents(row.amount_awarded), 0),
        other: file.rows.reduce((sum, row) => sum + dollarsToCents(row.other_expenses), 0),
        total: file.rows.reduce((sum, row) => sum + dollarsToCents(row.total_incurred), 0),
      };
      const [actual] = await db.query<{ n: number; amount: number; other: number; total: number }>(
        `SELECT count(*)::int AS n, coalesce(sum(s.amount_cents), 0)::bigint AS amount,
                coalesce(sum(s.other_expenses_cents), 0)::bigint AS other, coalesce(sum(s.total_cents), 0)::bigint AS total
           FROM settlements s JOIN agencies a ON a.id = s.agency_id WHERE a.slug = $1`,
        [slug],
      );
      assert.deepEqual({ ...actual, amount: Number(actual.amount), other: Number(actual.other), total: Number(actual.total) }, expected, fileName);
    }
  });

  it("maps a real row's fields", async () => {
    const chicago = files.find((f) => f.name === "chicago_edited.csv")!;
    const source = chicago.rows[0];
    const [row] = await db.query<Record<string, unknown>>(
      `SELECT s.*, a.slug, a.name AS agency_name, a.city AS agency_city, a.state AS agency_state
         FROM settlements s JOIN agencies a ON a.id = s.agency_id JOIN source_files f ON f.sha256 = s.source_sha256
        WHERE f.name = 'chicago_edited.csv' AND s.source_row = 1`,
    );
    assert.equal(row.slug, "chicago-il-city");
    assert.equal(row.agency_name, "City of Chicago, IL");
    assert.equal(row.agency_city, "Chicago");
    assert.equal(row.agency_state, "IL");
    assert.equal(row.payer, "City of Chicago, IL");
    assert.equal(row.calendar_year, Number(source.calendar_year));
    assert.equal(row.closed_date, source.closed_date);
    assert.equal(Number(row.amount_cents), dollarsToCents(source.amount_awarded));
    assert.equal(row.docket_number, source.docket_number);
    assert.equal(row.matter_name, source.matter_name);
    assert.equal(row.case_outcome, source.case_outcome.trim());
    assert.equal(row.summary_allegations, source.summary_allegations);
    assert.equal(row.status, source.status);
    const dc = await db.query<{ name: string }>("SELECT name FROM agencies WHERE slug = 'washington-dc-city'");
    assert.deepEqual(dc, [{ name: "District of Columbia" }]);
  });

  it("rounds the sub-cent amounts of the real data to the cent and counts them", async () => {
    const subCent = files.filter(isSettlementFile).flatMap((file) => file.rows).filter((row) => /\.\d{3,}$/.test(row.amount_awarded ?? "")).length;
    assert.ok(subCent > 0);
    assert.deepEqual(report.extra.amountsRoundedToCent, { amount_awarded: subCent });
    const rows = await db.query<{ amount_cents: number }>(
      "SELECT s.amount_cents FROM settlements s JOIN agencies a ON a.id = s.agency_id WHERE a.slug = 'los-angeles-ca-city' AND s.amount_cents IN (75006, 150000000)",
    );
    assert.ok(rows.length >= 2);
  });

  it("links the officers named in the officer files to their settlements, without inventing people", async () => {
    const officerRows = files.filter((file) => !isSettlementFile(file)).reduce((sum, file) => sum + file.rows.length, 0);
    const [counts] = await db.query<{ n: number; linked: number }>(
      "SELECT count(*)::int AS n, count(person_id)::int AS linked FROM settlement_officers",
    );
    assert.equal(counts.linked, 0, "no officer is linked to a person");
    assert.ok(counts.n >= officerRows, "every officer row gives at least one name");
    assert.equal(report.extra.officerNames, counts.n);
    // Cambridge lists several officers in one field.
    const cambridge = await db.query<{ name_as_written: string }>(
      `SELECT o.name_as_written FROM settlement_officers o JOIN settlements s ON s.id = o.settlement_id
        WHERE s.docket_number = '1:16-cv-11151-DJC' ORDER BY o.name_as_written`,
    );
    assert.deepEqual(cambridge.map((r) => r.name_as_written), ["Asif Ali", "Edward Burke", "Lester Sullivan", "Nicholas Mochi"]);
    // A suffix stays with its name.
    const suffixed = await db.query("SELECT 1 FROM settlement_officers WHERE name_as_written = 'Charles Blacknell, Jr.'");
    assert.equal(suffixed.length, 1);
    // Roanoke has no docket numbers: matched on calendar year.
    const roanoke = await db.query<{ name_as_written: string; calendar_year: number }>(
      `SELECT o.name_as_written, s.calendar_year FROM settlement_officers o JOIN settlements s ON s.id = o.settlement_id
         JOIN agencies a ON a.id = s.agency_id WHERE a.slug = 'roanoke-va-city' ORDER BY s.calendar_year`,
    );
    assert.deepEqual(roanoke, [
      { name_as_written: "C. J. Witt", calendar_year: 2010 },
      { name_as_written: "R. E. Blevins", calendar_year: 2011 },
    ]);
  });

  it("changes nothing when the same files are imported again", async () => {
    const before = await snapshot(db);
    const again = await runImport(db, settlementsFormat(), files.map((file) => file.path));
    assert.equal(again.runId, null);
    assert.equal(again.files.length, files.length);
    for (const entry of again.files) {
      assert.equal(entry.status, "already imported", entry.file);
      assert.equal(entry.rowsImported, 0);
    }
    assert.deepEqual(await snapshot(db), before);
  });
});

describe(`settlements officer files (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db?.close());

  it("refuses an officer file whose settlements are not imported, naming the docket column", async () => {
    const file = readRealFiles().find((f) => f.name === "little_rock_police_edited.csv")!;
    const before = await snapshot(db);
    await assert.rejects(runImport(db, settlementsFormat(), [file.path]), (error: unknown) => {
      assert.ok(error instanceof ImportError);
      assert.equal(error.file, "little_rock_police_edited.csv");
      assert.equal(error.line, 2);
      assert.equal(error.column, "docket_number");
      assert.match(error.reason, /no settlement of City of Little Rock, AR has docket number/);
      return true;
    });
    assert.deepEqual(await snapshot(db), before);
  });

  it("links an officer file imported in a later run to settlements imported earlier", async () => {
    const real = readRealFiles();
    const city = real.find((f) => f.name === "little_rock_edited.csv")!;
    const officers = real.find((f) => f.name === "little_rock_police_edited.csv")!;
    await runImport(db, settlementsFormat(), [city.path]);
    const later = await runImport(db, settlementsFormat(), [officers.path]);
    assert.equal(later.files[0].rowsImported, officers.rows.length);
    const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM settlement_officers");
    assert.equal(row.n, officers.rows.length);
  });
});
