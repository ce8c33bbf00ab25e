import { databaseSnapshot } from "../../db/snapshot.js";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import type { Db } from "../../db/db.js";
import { openTestDb, testEngine } from "../../db/test-db.js";
import { ImportError } from "./errors.js";
import { runImport } from "./runner.js";
import { SETTLEMENT_COLUMNS, settlementsFormat } from "./settlements.js";

/**
 * Bad input through the whole import path (runner, source, sink) with the
 * settlements format, on small files generated in a temp dir. After every refused
 * import the database must be exactly as it was: the row count of every table and
 * the audit tree head.
 */

const HEADER = [...SETTLEMENT_COLUMNS];

function settlement(overrides: Partial<Record<(typeof SETTLEMENT_COLUMNS)[number], string>> = {}): string[] {
  const row: Record<string, string> = {
    city: "Kansas City",
    state: "MO",
    calendar_year: "2019",
    incident_date: "2017-06-01",
    filed_date: "2018-01-15",
    closed_date: "2019-03-02",
    amount_awarded: "25000",
    other_expenses: "",
    total_incurred: "",
    case_outcome: "Settled",
    docket_number: `4:18-cv-${randomBytes(3).toString("hex")}`,
    court: "W.D. Mo.",
    matter_name: "Doe v. Officer Roe",
    location: "",
    summary_allegations: "Excessive force",
    ...overrides,
  };
  return HEADER.map((column) => row[column]);
}

const csv = (rows: string[][]) => stringify(rows);

const snapshot = databaseSnapshot;

/** Bytes this process has read through read() syscalls so far (Linux), or null elsewhere. */
function bytesReadByProcess(): number | null {
  try {
    const match = /^rchar:\s*(\d+)/m.exec(readFileSync("/proc/self/io", "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

describe(`import runner on bad input (${testEngine})`, () => {
  let db: Db;
  let dir: string;

  before(async () => {
    db = await openTestDb();
    dir = await mkdtemp(join(tmpdir(), "oversight-import-"));
    // Something already in the database, so "unchanged" is not "empty".
    await runImport(db, settlementsFormat(), [await file("seed.csv", csv([HEADER, settlement(), settlement()]))]);
  });
  after(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function file(name: string, body: string | Buffer): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, body);
    return path;
  }

  /** Runs the import, expects an ImportError like `expected`, and checks the database did not change. */
  async function refused(paths: string[], expected: { file: string; line: number | null; column: string | null; reason: RegExp }, options = {}) {
    const before = await snapshot(db);
    let caught: unknown;
    try {
      await runImport(db, settlementsFormat(), paths, options);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ImportError, `expected an ImportError, got ${String(caught)}`);
    assert.equal(caught.file, expected.file);
    assert.equal(caught.line, expected.line);
    assert.equal(caught.column, expected.column);
    assert.match(caught.reason, expected.reason);
    assert.ok(caught.message.startsWith(expected.file), caught.message);
    assert.deepEqual(await snapshot(db), before, "the database is exactly as before");
    return caught;
  }

  it("refuses a file missing a required column, naming the file, line 1 and the column", async () => {
    const header = HEADER.filter((column) => column !== "amount_awarded");
    const path = await file("no-amount.csv", csv([header, settlement().filter((_, i) => HEADER[i] !== "amount_awarded")]));
    await refused([path], { file: "no-amount.csv", line: 1, column: "amount_awarded", reason: /missing required column "amount_awarded"/ });
  });

  it("refuses a file with a different header altogether", async () => {
    const path = await file("other.csv", "name,date\nsomeone,2020-01-01\n");
    await refused([path], { file: "other.csv", line: 1, column: "city", reason: /missing required columns/ });
  });

  it("refuses a bad date, naming the file, the line (not the row) and the column", async () => {
    const path = await file(
      "bad-date.csv",
      csv([HEADER, settlement({ summary_allegations: "spans\ntwo lines" }), settlement(), settlement({ closed_date: "2019-02-30" }), settlement()]),
    );
    // Header is line 1; the first row takes lines 2-3, so the bad row ends on line 5.
    await refused([path], { file: "bad-date.csv", line: 5, column: "closed_date", reason: /"2019-02-30" is not a real calendar date/ });
  });

  it("refuses a bad amount", async () => {
    const path = await file("bad-amount.csv", csv([HEADER, settlement({ amount_awarded: "about $5k" })]));
    await refused([path], { file: "bad-amount.csv", line: 2, column: "amount_awarded", reason: /not an amount of money/ });
  });

  it("refuses broken quoting", async () => {
    const good = csv([HEADER, settlement()]);
    const path = await file("quoting.csv", `${good}Kansas City,MO,2019,,,,100,,,"Settl"ed,x,,,,\n`);
    await refused([path], { file: "quoting.csv", line: 3, column: "case_outcome", reason: /broken quoting/ });
  });

  it("refuses a row with more fields than the header", async () => {
    const path = await file("fields.csv", `${csv([HEADER, settlement()])}${[...settlement(), "extra"].join(",")}\n`);
    await refused([path], { file: "fields.csv", line: 3, column: null, reason: /different number of fields/ });
  });

  it("refuses a binary file", async () => {
    const bytes = randomBytes(64 * 1024);
    bytes[0] = 0x41; // never the gzip magic
    bytes[100] = 0;
    // Random bytes may hold a NUL before byte 100: the error names the line of the first one.
    const firstNul = bytes.indexOf(0);
    const line = bytes.subarray(0, firstNul).filter((b) => b === 10).length + 1;
    const path = await file("binary.csv", bytes);
    await refused([path], { file: "binary.csv", line, column: null, reason: /binary data/ });
  });

  it("refuses a file that turns binary after many good rows, and writes none of them", async () => {
    const rows = Array.from({ length: 6_000 }, () => settlement());
    const text = csv([HEADER, ...rows]);
    const garbage = randomBytes(4096);
    garbage[0] = 0;
    const path = await file("turns-binary.csv", Buffer.concat([Buffer.from(text), garbage]));
    const error = await refused([path], { file: "turns-binary.csv", line: rows.length + 2, column: null, reason: /binary data/ });
    assert.ok(error);
  });

  it("refuses an empty file", async () => {
    const path = await file("empty.csv", "");
    await refused([path], { file: "empty.csv", line: null, column: null, reason: /empty/ });
  });

  it("refuses a file of blank lines as having no header", async () => {
    const path = await file("blank.csv", "\n\n\n");
    await refused([path], { file: "blank.csv", line: 1, column: null, reason: /no header/ });
  });

  it("refuses a huge (2 GB, sparse) file quickly, on its first chunk, without reading it all", async () => {
    const path = join(dir, "huge.csv");
    await writeFile(path, "");
    await truncate(path, 2 * 1024 ** 3);
    const readBefore = bytesReadByProcess();
    const started = Date.now();
    await refused([path], { file: "huge.csv", line: 1, column: null, reason: /binary data \(a NUL byte\)/ });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5_000, `took ${elapsed} ms`);
    const readAfter = bytesReadByProcess();
    if (readBefore !== null && readAfter !== null) {
      assert.ok(readAfter - readBefore < 16 * 1024 ** 2, `read ${readAfter - readBefore} bytes of a 2 GB file`);
    }
    await rm(path);
  });

  it("refuses a file that does not exist", async () => {
    await refused([join(dir, "missing.csv")], { file: "missing.csv", line: null, column: null, reason: /does not exist/ });
  });

  it("leaves nothing of the first file when the second is bad", async () => {
    const good = await file("first-good.csv", csv([HEADER, settlement(), settlement(), settlement()]));
    const bad = await file("second-bad.csv", csv([HEADER, settlement(), settlement({ incident_date: "June 2017" })]));
    await refused([good, bad], { file: "second-bad.csv", line: 3, column: "incident_date", reason: /is not a date/ });
    // The good file was not recorded as imported: it imports on its own afterwards.
    const report = await runImport(db, settlementsFormat(), [good]);
    assert.equal(report.files[0].status, "imported");
    assert.equal(report.files[0].rowsImported, 3);
  });

  it("with skipBadRows imports the good rows and writes the bad ones, with line and reason, beside the input", async () => {
    const [before] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM settlements");
    const body =
      csv([HEADER, settlement(), settlement({ closed_date: "2019-13-01" }), settlement()]) +
      `${[...settlement(), "extra"].join(",")}\n` +
      csv([settlement({ amount_awarded: "n/a" }), settlement({ state: "Missouri" }), settlement()]);
    const path = await file("partly-bad.csv", body);
    const report = await runImport(db, settlementsFormat(), [path], { skipBadRows: true });
    const [entry] = report.files;
    assert.equal(entry.rowsRead, 7);
    assert.equal(entry.rowsImported, 3);
    assert.equal(entry.rowsSkipped, 4);
    assert.equal(entry.rejectsFile, `${path}.rejects.csv`);
    assert.ok(existsSync(`${path}.rejects.csv`));
    const rejects = parse(readFileSync(`${path}.rejects.csv`), { columns: true }) as Record<string, string>[];
    const reasons = new Map(rejects.map((r) => [Number(r.line), r.reason]));
    assert.deepEqual([...reasons.keys()].sort((a, b) => a - b), [3, 5, 6, 7]);
    assert.match(reasons.get(3)!, /^closed_date: "2019-13-01" is not/);
    assert.match(reasons.get(5)!, /length|fields/i);
    assert.match(reasons.get(6)!, /^amount_awarded: "n\/a" is not an amount/);
    assert.match(reasons.get(7)!, /^state: "Missouri" is not a two-letter state/);
    // Rows rejected for a value keep their fields, so they can be fixed and imported.
    assert.equal(rejects.find((r) => r.line === "6")!.city, "Kansas City");
    const [afterCount] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM settlements");
    assert.equal(afterCount.n, before.n + 3);
    assert.equal(report.tables.settlements, 3);
  });

  it("imports the same file named twice in one command once", async () => {
    const path = await file("twice.csv", csv([HEADER, settlement(), settlement()]));
    const [before] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM settlements");
    const report = await runImport(db, settlementsFormat(), [path, path]);
    assert.equal(report.files.length, 1);
    assert.equal(report.files[0].rowsImported, 2);
    const [afterCount] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM settlements");
    assert.equal(afterCount.n, before.n + 2);
    // A copy under another name is the same file (same sha256): also imported once.
    const copy = await file("twice-copy.csv", readFileSync(path));
    const snap = await snapshot(db);
    const again = await runImport(db, settlementsFormat(), [copy, path]);
    assert.equal(again.runId, null);
    assert.deepEqual(again.files.map((f) => f.status), ["already imported", "already imported"]);
    assert.deepEqual(await snapshot(db), snap);
  });
});
