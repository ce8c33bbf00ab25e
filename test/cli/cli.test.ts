import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { CompactRange } from "../../src/audit/merkle.js";
import { readLeafHashes } from "../../src/audit/repo.js";
import { appendAudit } from "../../src/audit/service.js";
import { loadAuditKey } from "../../src/audit/signing-key.js";
import { submitComplaint } from "../../src/cases/service.js";
import { connect } from "../../src/db/connect.js";
import type { Db } from "../../src/db/db.js";
import { openDataKey } from "../../src/db/data-key.js";
import { migrate } from "../../src/db/migrate.js";
import { TEST_SECRET } from "../../src/web/test-app.js";
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

/**
 * `oversight audit head` and `audit verify --against / --rows` on their own
 * database: the tampering below would spoil the other tests' log.
 */
describe(`the oversight audit command against saved heads and rows (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let dataDir: string;
  let pg: ThrowawayDatabase | null = null;
  let caseId: string;
  const env = () => ({ ...process.env, LOG_LEVEL: "silent", OVERSIGHT_AUDIT_KEY: "", ...(pg ? { DATABASE_URL: pg.url } : { DATABASE_URL: "" }) });
  const oversight = (...args: string[]) => spawnSync(process.execPath, ["bin/oversight.js", ...args, "--data-dir", dataDir], { cwd: ROOT, env: env(), encoding: "utf8", timeout: 240_000 });
  const file = (name: string, content: string) => {
    writeFileSync(join(dataDir, name), content);
    return join(dataDir, name);
  };
  /** Changes the database as someone with direct access would, then closes it so the command can open it. */
  const tamper = async (fn: (db: Db) => Promise<unknown>) => {
    const db = await connect(pg ? { databaseUrl: pg.url } : { dataDir });
    try {
      await fn(db);
    } finally {
      await db.close();
    }
  };
  const appendSome = (db: Db, n: number, action: string) =>
    db.transaction(async (tx) => {
      for (let i = 0; i < n; i += 1) await appendAudit(tx, { actor: "test", action, entity: "thing", entityId: String(i) });
    });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "oversight-cli-audit-"));
    if (process.env.DATABASE_URL) pg = await createThrowawayDatabase(process.env.DATABASE_URL);
    await tamper(async (db) => {
      await migrate(db);
      // The data key the commands will load from the data directory.
      await openDataKey(db, dataDir, { ...process.env, OVERSIGHT_DATA_KEY: "" });
      caseId = (await submitComplaint(db, TEST_SECRET, { narrative: "Stopped and searched without a reason.", categories: ["discourtesy"], anonymous: true }, null)).caseId;
      await appendSome(db, 6, "create");
    });
  });
  after(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  let headFile: string;
  let head: { size: number; root: string; signature: string };

  it("prints a signed head that verify --against accepts, with the installation's key or a given public key", () => {
    const printed = oversight("audit", "head");
    assert.equal(printed.status, 0, printed.stderr);
    head = JSON.parse(printed.stdout);
    assert.equal(head.size, 7);
    headFile = file("HEAD.json", printed.stdout);
    const ok = oversight("audit", "verify", "--against", headFile, "--rows");
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /audit log verified: 7 entries, root [0-9a-f]{64}; it extends the saved head of 7 entries/);
    // The case, its allegation and its first event.
    assert.match(ok.stdout, /rows verified: every one of 3 rows of the complaints office's \d+ tables matches/);
    const publicKey = file("audit.pub", loadAuditKey(dataDir, {}).publicKeyPem);
    assert.equal(oversight("audit", "verify", "--against", headFile, "--public-key", publicKey).status, 0);
    const otherKey = file("other.pub", loadAuditKey("/nonexistent", { OVERSIGHT_AUDIT_KEY: "77".repeat(32) }).publicKeyPem);
    const refused = oversight("audit", "verify", "--against", headFile, "--public-key", otherKey);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /signed by key [0-9a-f]{16}, not by this log's key/);
  });

  it("refuses a saved head whose signature was tampered with, in a plain message", () => {
    const forged = file("FORGED.json", JSON.stringify({ ...head, size: head.size - 1 }));
    const result = oversight("audit", "verify", "--against", forged);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /audit log FAILED against .*FORGED\.json: the saved head's signature does not verify/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
    const notJson = oversight("audit", "verify", "--against", file("junk.json", "not json"));
    assert.equal(notJson.status, 1);
    assert.match(notJson.stderr, /^oversight: --against: .*junk\.json is not JSON/);
  });

  it("finds a case and an allegation changed directly in the database with --rows, naming table and row", async () => {
    let stored = "";
    let allegation = "";
    await tamper(async (db) => {
      [{ narrative: stored }] = await db.query<{ narrative: string }>("SELECT narrative FROM cases WHERE id = $1", [caseId]);
      [{ id: allegation }] = await db.query<{ id: string }>("SELECT id FROM case_allegations WHERE case_id = $1", [caseId]);
      await db.query("UPDATE cases SET narrative = 'x' WHERE id = $1", [caseId]);
      await db.query("UPDATE case_allegations SET category = 'other' WHERE id = $1", [allegation]);
    });
    const result = oversight("audit", "verify", "--rows");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /rows FAILED: 2 of 3 rows are not explained by the audit log/);
    assert.match(result.stderr, new RegExp(`\\n  cases ${caseId}: its content differs from what entry \\d+ recorded`));
    assert.match(result.stderr, new RegExp(`\\n  case_allegations ${allegation}: its content differs from what entry \\d+ recorded`));
    await tamper(async (db) => {
      await db.query("UPDATE cases SET narrative = $2 WHERE id = $1", [caseId, stored]);
      await db.query("UPDATE case_allegations SET category = 'discourtesy' WHERE id = $1", [allegation]);
    });
    assert.equal(oversight("audit", "verify", "--rows").status, 0);
  });

  it("catches a log cut back below the saved head, though the cut log verifies on its own", async () => {
    await tamper(async (db) => {
      const tree = new CompactRange();
      for (const leaf of await readLeafHashes(db, 5)) tree.append(leaf);
      await db.exec("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change");
      await db.query("DELETE FROM audit_log WHERE seq >= 5");
      await db.query("UPDATE audit_state SET size = 5, frontier = $1 WHERE id", [JSON.stringify(tree.frontier.map((h) => h.toString("hex")))]);
    });
    assert.equal(oversight("audit", "verify").status, 0, "the cut log is self-consistent");
    const result = oversight("audit", "verify", "--against", headFile);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /the log holds 5 entries but the saved head vouched for 7: entries were removed/);
  });

  it("catches a rewritten tail with every hash recomputed", async () => {
    await tamper((db) => appendSome(db, 4, "rewritten"));
    assert.equal(oversight("audit", "verify").status, 0, "the rewritten log is self-consistent");
    const result = oversight("audit", "verify", "--against", headFile);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /the log does not extend the saved head of 7 entries/);
  });
});
