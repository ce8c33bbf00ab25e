import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../src/audit/service.js";
import { connect } from "../../src/db/connect.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../e2e/harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SLUG = "kc-chief-resignation";

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
 * Signatures are never lost: a burst of signatures over HTTP to a real server
 * process, the server killed with SIGKILL in the middle, a restart, every failed
 * signature sent again; then every acknowledged signature is stored exactly once,
 * whole (its confirmation email and audit entries), the tally equals the rows and
 * the audit log verifies.
 */
describe(`petition signing survives a kill in the middle of a burst (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let dataDir: string;
  let pg: ThrowawayDatabase | null = null;
  let port: number;
  let server: ChildProcess | null = null;
  let agent: Agent;

  const env = () => ({
    ...process.env, LOG_LEVEL: "silent", DATABASE_URL: pg?.url ?? "",
    OVERSIGHT_PETITION_ADDRESS_LIMIT: "1000000", OVERSIGHT_PETITION_NETWORK_LIMIT: "1000000",
  });
  async function start(): Promise<void> {
    server = spawn(process.execPath, ["--import", "tsx", "src/campaign/petitions/standalone.ts", "--port", String(port), "--data-dir", dataDir, "--seed"], { cwd: ROOT, env: env(), stdio: ["ignore", "ignore", "pipe"] });
    for (let i = 0; i < 600; i += 1) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/petitions/${SLUG}`)).ok) return;
      } catch { /* not up yet */ }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("server did not start");
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "oversight-petition-kill-"));
    if (process.env.DATABASE_URL) pg = await createThrowawayDatabase(process.env.DATABASE_URL);
    port = await freePort();
    agent = new Agent({ keepAlive: true, maxSockets: 32 });
    await start();
  });
  after(async () => {
    agent.destroy();
    server?.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  it("keeps every acknowledged signature exactly once after a SIGKILL and restart", async (t) => {
    const page = await fetch(`http://127.0.0.1:${port}/petitions/${SLUG}`);
    const html = await page.text();
    const cookie = `oversight_csrf=${/oversight_csrf=([^;]+)/.exec(page.headers.get("set-cookie") ?? "")![1]}`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const form = /name="_form" value="([^"]+)"/.exec(html)![1];

    const post = (n: number) => new Promise<number>((resolve) => {
      const body = new URLSearchParams({ _csrf: csrf, _form: form, name: `Burst Signer ${n}`, email: `burst.${n}@example.org`, zip: "64106" }).toString();
      const req = request({ host: "127.0.0.1", port, path: `/petitions/${SLUG}/sign`, method: "POST", agent, headers: { cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(0));
      });
      req.on("error", () => resolve(0));
      req.end(body);
    });

    const acknowledged = new Set<number>();
    const failed: number[] = [];
    const TOTAL = 1500;
    const KILL_AT = 600;
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < TOTAL) {
        const n = next++;
        if (n === KILL_AT) server!.kill("SIGKILL");
        const status = await post(n);
        if (status === 200) acknowledged.add(n);
        else failed.push(n);
      }
    }));
    assert.ok(acknowledged.size >= 300, `enough signatures were acknowledged before the kill (${acknowledged.size})`);
    assert.ok(failed.length > 0, "the kill interrupted the burst");
    if (server!.exitCode === null && server!.signalCode === null) await new Promise((resolve) => server!.once("exit", resolve));
    const beforeRestart = acknowledged.size;

    await start();
    // Everyone whose request failed tries again: stored now, or refused as already signed.
    const retried = new Map<number, number>();
    for (const n of failed) retried.set(n, await post(n));
    assert.ok([...retried.values()].every((status) => status === 200 || status === 409), `retries answer 200 or 409: ${JSON.stringify([...new Set(retried.values())])}`);
    for (const [n, status] of retried) if (status === 200) acknowledged.add(n);
    const committedButUnanswered = [...retried.values()].filter((status) => status === 409).length;
    t.diagnostic(`acknowledged before the kill: ${beforeRestart}; failed: ${failed.length}, of which committed but unanswered (409 on retry): ${committedButUnanswered}`);

    server!.kill("SIGTERM");
    await new Promise((resolve) => server!.once("exit", resolve));
    server = null;

    const db = await connect(pg ? { databaseUrl: pg.url } : { dataDir });
    try {
      const rows = await db.query<{ id: string; name: string; status: string }>("SELECT id, name, status FROM petition_signatures");
      const byName = new Map<string, number>();
      for (const row of rows) byName.set(row.name, (byName.get(row.name) ?? 0) + 1);
      for (const n of acknowledged) assert.equal(byName.get(`Burst Signer ${n}`), 1, `acknowledged signature ${n} is stored exactly once`);
      assert.equal(rows.length, byName.size, "no signature stored twice");
      assert.equal(rows.length, TOTAL, "every signer is stored once in the end");
      assert.ok(committedButUnanswered >= 0);

      const mail = await db.query<{ dedupe_key: string }>("SELECT dedupe_key FROM email_outbox WHERE template = 'petition.confirm'");
      const mailed = new Set(mail.map((m) => m.dedupe_key));
      assert.ok(rows.every((row) => mailed.has(`petition.confirm:${row.id}`)), "every stored signature has its confirmation email");
      const [{ n: signAudits }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE action = 'petition.sign'");
      assert.equal(signAudits, rows.length, "one audit entry per stored signature");
      const [tally] = await db.query<{ pending: number }>("SELECT pending FROM petition_tallies");
      assert.equal(Number(tally.pending), rows.length, "the tally equals the rows");
      assert.equal((await verifyAuditLog(db)).ok, true, "the audit log verifies after the crash");
    } finally {
      await db.close();
    }
  });
});
