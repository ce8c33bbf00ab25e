import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { connect } from "../../src/db/connect.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../e2e/harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SETTLEMENTS = fileURLToPath(new URL("../../../shared/data/settlements_538/", import.meta.url));
const WAPO = fileURLToPath(new URL("../../../shared/data/wapo_fatal_shootings/", import.meta.url));

/**
 * The `oversight` command as a user runs it: a real process, on a PGlite data
 * directory, or on a throwaway PostgreSQL database when DATABASE_URL is set.
 */
describe(`the oversight command (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let dataDir: string;
  let pg: ThrowawayDatabase | null = null;
  const env = () => ({ ...process.env, LOG_LEVEL: "silent", ...(pg ? { DATABASE_URL: pg.url } : { DATABASE_URL: "" }) });
  const oversight = (...args: string[]) => spawnSync(process.execPath, ["bin/oversight.js", ...args, "--data-dir", dataDir], { cwd: ROOT, env: env(), encoding: "utf8", timeout: 240_000, maxBuffer: 256 * 1024 * 1024 });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "oversight-cli-"));
    if (process.env.DATABASE_URL) pg = await createThrowawayDatabase(process.env.DATABASE_URL);
  });
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  it("imports the settlements and fatal-force files with a reconciliation report, and a re-run changes nothing", () => {
    const files = readdirSync(SETTLEMENTS).filter((name) => name.endsWith(".csv")).map((name) => SETTLEMENTS + name);
    const first = oversight("import", "settlements", ...files);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /rows written per table:\s+settlements\s+\d+/);
    assert.match(first.stdout, /total\s+\d+\s+\d+\s+0/);
    const again = oversight("import", "settlements", ...files);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /nothing new to import/);
    const wapo = oversight("import", "fatal-force", WAPO + readdirSync(WAPO)[0], "--json");
    assert.equal(wapo.status, 0, wapo.stderr);
    const report = JSON.parse(wapo.stdout);
    assert.equal(report.files[0].rowsImported, 5475);
  });

  it("exports what it imported", () => {
    const out = oversight("export", "settlements", "--agency", "chicago-il-city", "--format", "json");
    assert.equal(out.status, 0, out.stderr);
    const items = JSON.parse(out.stdout) as { agency: { slug: string } }[];
    assert.ok(items.length > 1000);
    assert.ok(items.every((item) => item.agency.slug === "chicago-il-city"));
  });

  it("names the file, line and column of a bad row and writes nothing", () => {
    const bad = oversight("import", "fatal-force", join(ROOT, "package.json"));
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /import failed, nothing was written: package\.json/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, "no stack trace");
  });

  it("creates a staff account with the language of its emails, and names a bad option", async () => {
    const created = spawnSync(process.execPath, ["bin/oversight.js", "user", "create", "--email", "rosa@example.org", "--name", "Rosa Investigadora", "--role", "investigator", "--language", "es", "--data-dir", dataDir], { cwd: ROOT, env: env(), encoding: "utf8", input: "a long enough password\n", timeout: 60_000 });
    assert.equal(created.status, 0, created.stderr);
    assert.match(created.stdout, /created investigator account [0-9a-f-]{36}/);
    const refused = spawnSync(process.execPath, ["bin/oversight.js", "user", "create", "--email", "fr@example.org", "--name", "Fr", "--role", "investigator", "--language", "fr", "--data-dir", dataDir], { cwd: ROOT, env: env(), encoding: "utf8", input: "a long enough password\n", timeout: 60_000 });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^oversight: language: /);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, "no stack trace");
    const db = await connect(pg ? { databaseUrl: pg.url } : { dataDir });
    try {
      const users = await db.query<{ email: string; language: string | null }>("SELECT email, language FROM users ORDER BY email");
      assert.deepEqual(users, [{ email: "rosa@example.org", language: "es" }], "the refused account was not created");
    } finally {
      await db.close();
    }
  });

  it("verifies the audit log, and names the entry after a row is altered directly in the database", async () => {
    const ok = oversight("audit", "verify");
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /audit log verified: \d+ entries/);
    const db = await connect(pg ? { databaseUrl: pg.url } : { dataDir });
    try {
      await db.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
      await db.query("UPDATE audit_log SET entry = replace(entry, 'records.import', 'records.imported') WHERE seq = 0");
    } finally {
      await db.close();
    }
    const tampered = oversight("audit", "verify");
    assert.equal(tampered.status, 1);
    assert.match(tampered.stderr, /audit log FAILED at entry 0/);
  });
});
