/**
 * The example mappings for real releases, run on the real files in ../shared/data
 * (never copied into the project). Every expected figure is counted from the
 * source file here, not written down.
 */
import assert from "node:assert/strict";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse";
import { parse as parseYaml } from "yaml";
import type { Db } from "../../../db/db.js";
import { openTestDb, testEngine } from "../../../db/test-db.js";
import { runImport } from "../runner.js";
import { csvMappingFormat } from "./format.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const DATA = process.env.OVERSIGHT_SHARED_DATA ?? join(ROOT, "..", "shared", "data");
const ACCUSED = join(DATA, "chicago_cpdp", "complaints-accused_2000-2023_2023-09_p867849.csv.gz");
const SETTLEMENTS = join(DATA, "settlements_538", "chicago_edited.csv");
const ACCUSED_MAPPING = join(ROOT, "examples", "mappings", "chicago-cpdp-accused-p867849.yaml");
const SETTLEMENTS_MAPPING = join(ROOT, "examples", "mappings", "fivethirtyeight-settlements-chicago.json");

async function* records(path: string): AsyncGenerator<Record<string, string>> {
  const raw = createReadStream(path);
  const text = path.endsWith(".gz") ? raw.pipe(createGunzip()) : raw;
  yield* text.pipe(parse({ columns: (header: string[]) => header.map((name) => name.trim()), bom: true, skip_empty_lines: true })) as AsyncIterable<Record<string, string>>;
}

const count = async (db: Db, sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params))[0].n;

describe(`csv mapping on real releases (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("imports the whole CPDP accused file (p867849) as allegations, and every count matches the source", { skip: !existsSync(ACCUSED) && "the shared CPDP file is not present" }, async () => {
    const findingsMap = (parseYaml(readFileSync(ACCUSED_MAPPING, "utf8")) as { value_maps: { cpdp_findings: Record<string, string> } }).value_maps.cpdp_findings;
    let rows = 0;
    let withoutKey = 0;
    let days = 0;
    const complaints = new Set<string>();
    const keys = new Set<string>();
    const findings = new Map<string, number>();
    for await (const row of records(ACCUSED)) {
      rows += 1;
      complaints.add(row.cr_id.trim());
      const parts = [row.first_name_NS.trim().toUpperCase(), row.last_name_NS.trim().toUpperCase(), row.birth_year.trim().replace(/\.0+$/, ""), row.appointed_date.trim()];
      if (parts.every(Boolean)) keys.add(parts.join("|"));
      else withoutKey += 1;
      const word = row.finding.trim().toUpperCase();
      const finding = word ? findingsMap[word] : "(none)";
      assert.ok(finding, `the mapping lacks the finding "${word}"`);
      findings.set(finding, (findings.get(finding) ?? 0) + 1);
      if (row.days.trim()) days += Number(row.days);
    }
    assert.ok(rows > 40_000 && complaints.size > 10_000 && keys.size > 5_000);

    const report = await runImport(db, await csvMappingFormat(ACCUSED_MAPPING), [ACCUSED]);
    assert.equal(report.files[0].rowsRead, rows);
    assert.equal(report.files[0].rowsImported, rows);
    assert.deepEqual(report.tables, { complaints: complaints.size, allegations: rows, people: keys.size, person_mentions: keys.size });
    assert.deepEqual((report.extra.csv_mapping as { officers: unknown }).officers, {
      key: "csv:chicago-pd:name-birth-appointed", people_created: keys.size, people_from_earlier_imports: 0, rows_without_officer_key: withoutKey,
    });

    const agency = "(SELECT id FROM agencies WHERE slug = 'chicago-pd')";
    assert.equal(await count(db, `SELECT count(*)::int AS n FROM complaints WHERE agency_id = ${agency}`), complaints.size);
    assert.equal(await count(db, "SELECT count(*)::int AS n FROM allegations WHERE source_sha256 = $1", [report.files[0].sha256]), rows);
    assert.equal(await count(db, "SELECT count(DISTINCT source_row)::int AS n FROM allegations WHERE source_sha256 = $1", [report.files[0].sha256]), rows);
    assert.equal(await count(db, "SELECT count(*)::int AS n FROM allegations WHERE person_id IS NULL"), withoutKey);
    assert.equal(await count(db, "SELECT count(DISTINCT person_id)::int AS n FROM allegations"), keys.size);
    assert.equal(await count(db, "SELECT count(*)::int AS n FROM person_mentions WHERE source = 'csv:chicago-pd:name-birth-appointed'"), keys.size);
    assert.equal(await count(db, "SELECT coalesce(sum(suspension_days), 0)::int AS n FROM allegations"), days);
    const byFinding = await db.query<{ finding: string; n: number }>("SELECT coalesce(final_finding, '(none)') AS finding, count(*)::int AS n FROM allegations GROUP BY 1");
    assert.deepEqual(new Map(byFinding.map((row) => [row.finding, row.n])), findings);
    assert.equal(await count(db, "SELECT count(*)::int AS n FROM people WHERE full_name = '' OR last_name = ''"), 0);
  });

  it("imports FiveThirtyEight's Chicago settlements file, amounts in cents", { skip: !existsSync(SETTLEMENTS) && "the shared settlements file is not present" }, async () => {
    let rows = 0;
    let cents = 0n;
    const years = new Map<number, number>();
    for await (const row of records(SETTLEMENTS)) {
      rows += 1;
      if (row.amount_awarded.trim()) cents += BigInt(Math.round(Number(row.amount_awarded) * 100));
      const year = Number(row.calendar_year);
      years.set(year, (years.get(year) ?? 0) + 1);
    }
    const report = await runImport(db, await csvMappingFormat(SETTLEMENTS_MAPPING), [SETTLEMENTS]);
    assert.deepEqual(report.tables, { settlements: rows });
    const [sum] = await db.query<{ total: string }>("SELECT sum(amount_cents)::text AS total FROM settlements WHERE source_sha256 = $1", [report.files[0].sha256]);
    assert.equal(BigInt(sum.total), cents);
    const byYear = await db.query<{ calendar_year: number; n: number }>("SELECT calendar_year, count(*)::int AS n FROM settlements GROUP BY 1");
    assert.deepEqual(new Map(byYear.map((row) => [row.calendar_year, row.n])), years);
    assert.equal(await count(db, "SELECT count(*)::int AS n FROM settlements s JOIN agencies a ON a.id = s.agency_id WHERE a.slug = 'chicago-il-city'"), rows);
  });
});
