import { openDataKey, openText } from "../../src/db/data-key.js";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../src/audit/service.js";
import { connect } from "../../src/db/connect.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../e2e/harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * Submissions are never lost: a burst of complaints, the server killed with
 * SIGKILL in the middle, a restart, and every acknowledged complaint is there
 * exactly once, whole (case, allegations, first event, audit entry).
 */
describe(`intake survives a kill in the middle of a burst (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let dataDir: string;
  let pg: ThrowawayDatabase | null = null;
  let port: number;
  let server: ChildProcess | null = null;

  const env = () => ({ ...process.env, LOG_LEVEL: "silent", OVERSIGHT_INTAKE_RATE_LIMIT: "100000", DATABASE_URL: pg?.url ?? "" });
  async function start(): Promise<void> {
    server = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--port", String(port), "--data-dir", dataDir], { cwd: ROOT, env: env(), stdio: ["ignore", "pipe", "pipe"] });
    for (let i = 0; i < 300; i += 1) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/complaints/new`)).ok) return;
      } catch { /* not up yet */ }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("server did not start");
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "oversight-kill-"));
    if (process.env.DATABASE_URL) pg = await createThrowawayDatabase(process.env.DATABASE_URL);
    port = await freePort();
    await start();
  });
  after(async () => {
    server?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  it("keeps every acknowledged complaint exactly once after a SIGKILL and restart", async () => {
    const form = await fetch(`http://127.0.0.1:${port}/complaints/new`);
    const csrf = /oversight_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")![1];
    const acknowledged = new Map<string, string>();
    let failures = 0;
    const submit = async (n: number) => {
      const body = new URLSearchParams({ _csrf: csrf, narrative: `Burst complaint number ${n}: stopped and searched without reason.`, categories: "illegal_search", anonymous: "1" });
      try {
        const response = await fetch(`http://127.0.0.1:${port}/complaints/new`, { method: "POST", body, headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
        const html = await response.text();
        const caseNumber = /data-testid="case-number">([^<]+)</.exec(html)?.[1];
        if (response.ok && caseNumber) acknowledged.set(caseNumber, `Burst complaint number ${n}:`);
        else failures += 1;
      } catch {
        failures += 1;
      }
    };
    const TOTAL = 240;
    const CONCURRENCY = 8;
    let next = 0;
    const workers = Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const n = next++;
        if (n === 120) server!.kill("SIGKILL");
        await submit(n);
      }
    });
    await Promise.all(workers);
    assert.ok(acknowledged.size >= 50, `enough complaints were acknowledged before the kill (${acknowledged.size})`);
    assert.ok(failures > 0, "the kill interrupted the burst");
    if (server!.exitCode === null && server!.signalCode === null) await new Promise((resolve) => server!.once("exit", resolve));
    await start();
    await submit(TOTAL);
    server!.kill("SIGTERM");
    await new Promise((resolve) => server!.once("exit", resolve));
    server = null;

    const db = await connect(pg ? { databaseUrl: pg.url } : { dataDir });
    try {
      // Narratives are sealed at rest with the data key the server made in the data directory.
      await openDataKey(db, dataDir, {});
      const rows = (await db.query<{ case_number: string; narrative: string; allegations: number; events: number }>(
        `SELECT c.case_number, c.narrative,
                (SELECT count(*)::int FROM case_allegations a WHERE a.case_id = c.id) AS allegations,
                (SELECT count(*)::int FROM case_events e WHERE e.case_id = c.id AND e.kind = 'received') AS events
           FROM cases c`,
      )).map((row) => ({ ...row, narrative: openText(row.narrative) }));
      const byNumber = new Map(rows.map((row) => [row.case_number, row]));
      for (const [caseNumber, text] of acknowledged) {
        const row = byNumber.get(caseNumber);
        assert.ok(row, `acknowledged ${caseNumber} is stored`);
        assert.ok(row.narrative.startsWith(text), `${caseNumber} holds its own complaint`);
      }
      const narratives = rows.map((row) => row.narrative);
      assert.equal(new Set(narratives).size, narratives.length, "no complaint stored twice");
      assert.ok(rows.every((row) => row.allegations === 1 && row.events === 1), "every stored complaint is whole");
      const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'case.submit'");
      assert.equal(n, rows.length, "one audit entry per stored complaint");
      assert.equal((await verifyAuditLog(db)).ok, true, "the audit log verifies after the crash");
    } finally {
      await db.close();
    }
  });
});
