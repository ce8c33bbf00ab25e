import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { openTestDb, testEngine } from "../db/test-db.js";
import { createTestApp } from "../web/test-app.js";
import { loadDemo } from "./demo.js";
import { exportRecords } from "./export.js";

const FORMULA = '=HYPERLINK("http://x","y")';

/** The officer's row in a CSV, found by id, and every cell of the file. */
function officerRow(csv: string, id: string): { row: Record<string, string>; cells: string[] } {
  const records = parse(csv, { columns: true }) as Record<string, string>[];
  const row = records.find((record) => record.id === id);
  assert.ok(row, "the officer is in the file");
  return { row, cells: records.flatMap((record) => Object.values(record)) };
}

/**
 * A name an importer took from a source file can be a spreadsheet formula: every
 * way out of the records (the API's CSV, the pages' download link, `oversight
 * export`) writes it defused, with a leading apostrophe.
 */
describe(`records CSV defuses spreadsheet formulas (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let officerId: string;
  before(async () => {
    const db = await openTestDb();
    await loadDemo(db);
    site = await createTestApp({ db, demo: true });
    [{ id: officerId }] = await db.query<{ id: string }>("SELECT id FROM people ORDER BY id LIMIT 1");
    await db.query("UPDATE people SET full_name = $1 WHERE id = $2", [FORMULA, officerId]);
  });
  after(() => site.close());

  const check = (csv: string) => {
    const { row, cells } = officerRow(csv, officerId);
    assert.equal(row.name, `'${FORMULA}`);
    assert.deepEqual(cells.filter((cell) => /^[=+\-@\t\r]/.test(cell)), [], "no cell starts a formula");
  };

  it("in the API's CSV", async () => {
    const response = await site.app.request("/api/v1/officers?per_page=500&format=csv");
    assert.equal(response.status, 200);
    check(await response.text());
  });

  it("in the download linked from the officers page", async () => {
    const page = await (await site.app.request("/officers?lang=en")).text();
    const href = /<a href="([^"]+format=csv[^"]*)" download/.exec(page)?.[1];
    assert.ok(href, "the page links a CSV download");
    const response = await site.app.request(href.replace(/&amp;/g, "&"));
    assert.equal(response.status, 200);
    check(await response.text());
  });

  it("in oversight export", async () => {
    let csv = "";
    await exportRecords(site.db, "officers", {}, "csv", (chunk) => (csv += chunk));
    check(csv);
  });
});
