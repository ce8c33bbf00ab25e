import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { loadDemo } from "./demo.js";
import { exportRecords } from "./export.js";

async function run(db: Db, table: Parameters<typeof exportRecords>[1], filters: Record<string, string>, format: "csv" | "json") {
  let text = "";
  const rows = await exportRecords(db, table, filters, format, (chunk) => (text += chunk));
  return { rows, text };
}

describe(`oversight export (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
    await loadDemo(db);
  });
  after(() => db.close());

  it("writes every allegation as CSV and as JSON, the same rows both ways", async () => {
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM allegations");
    const csv = await run(db, "allegations", {}, "csv");
    const json = await run(db, "allegations", {}, "json");
    assert.equal(csv.rows, n);
    const records = parse(csv.text, { columns: true }) as Record<string, string>[];
    assert.equal(records.length, n);
    const items = JSON.parse(json.text) as { id: string }[];
    assert.equal(items.length, n);
    assert.deepEqual(new Set(records.map((r) => r.id)), new Set(items.map((i) => i.id)));
    assert.ok("findings.final" in records[0] && "source.kind" in records[0]);
  });

  it("exports a search: only what the search finds", async () => {
    const [{ n }] = await db.query<{ n: number }>(
      "SELECT count(DISTINCT c.id)::int AS n FROM complaints c JOIN allegations a ON a.complaint_id = c.id WHERE a.final_finding = 'sustained'",
    );
    const out = await run(db, "complaints", { finding: "sustained" }, "json");
    assert.equal(out.rows, n);
    assert.ok(n > 0 && n < 160);
  });

  it("refuses a bad filter value by name", async () => {
    await assert.rejects(run(db, "complaints", { finding: "guilty" }, "csv"), /finding/);
  });
});
