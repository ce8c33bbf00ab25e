import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { freePort, startTestSmtp, type TestSmtp } from "../../src/outbox/test-smtp.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../e2e/harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SLUG = "kc-chief-resignation";
const SIGNERS = 80;
const address = (n: number) => `kill.signer.${n}@example.org`;

/**
 * Confirmation emails are not held back by a crash: a real server process sends
 * petition confirmations to a loopback SMTP server that answers slowly, is killed
 * with SIGKILL while messages are in flight (claimed, leased, not yet recorded),
 * and restarted; every signer's confirmation then arrives within 30 s of the
 * restart, because a dead worker's lease is short and only a live worker renews it.
 */
describe(`confirmation emails after a SIGKILL mid-send (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, { timeout: 180_000 }, () => {
  let dataDir: string;
  let pg: ThrowawayDatabase | null = null;
  let port: number;
  let smtp: TestSmtp;
  let server: ChildProcess | null = null;

  const env = () => ({
    ...process.env, LOG_LEVEL: "silent", DATABASE_URL: pg?.url ?? "", SMTP_URL: smtp.url, EMAIL_FROM: "Oversight <no-reply@oversight.example>",
    OUTBOX_INTERVAL_MS: "200", OUTBOX_CONCURRENCY: "4",
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
    dataDir = mkdtempSync(join(tmpdir(), "oversight-outbox-kill-"));
    if (process.env.DATABASE_URL) pg = await createThrowawayDatabase(process.env.DATABASE_URL);
    // Each message is answered 250 ms after its DATA: at any moment several are in flight.
    smtp = await startTestSmtp({ replyDelayMs: 250 });
    port = await freePort();
  });
  after(async () => {
    server?.kill("SIGKILL");
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  it("delivers every confirmation within 30 s of the restart", async (t) => {
    await start();
    const page = await fetch(`http://127.0.0.1:${port}/petitions/${SLUG}`);
    const html = await page.text();
    const cookie = `oversight_csrf=${/oversight_csrf=([^;]+)/.exec(page.headers.get("set-cookie") ?? "")![1]}`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const form = /name="_form" value="([^"]+)"/.exec(html)![1];
    const sign = async (n: number) => {
      const body = new URLSearchParams({ _csrf: csrf, _form: form, name: `Kill Signer ${n}`, email: address(n), zip: "64106" });
      const response = await fetch(`http://127.0.0.1:${port}/petitions/${SLUG}/sign`, { method: "POST", body, headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
      await response.arrayBuffer();
      return response.status;
    };
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < SIGNERS) {
        const n = next++;
        assert.equal(await sign(n), 200, `signature ${n} is acknowledged`);
      }
    }));

    // Kill once some confirmations have arrived and others are in flight.
    await smtp.waitForMessages(4);
    await smtp.waitForData();
    server!.kill("SIGKILL");
    await new Promise((resolve) => server!.once("exit", resolve));
    const beforeKill = new Set(smtp.received.flatMap((mail) => mail.rcptTo)).size;
    assert.ok(beforeKill < SIGNERS, `the kill came before every confirmation was sent (${beforeKill} of ${SIGNERS})`);

    const restartedAt = performance.timeOrigin + performance.now();
    await start();
    const deadline = restartedAt + 30_000;
    const missing = () => Array.from({ length: SIGNERS }, (_, n) => address(n)).filter((to) => !smtp.received.some((mail) => mail.rcptTo.includes(to)));
    while (missing().length > 0 && performance.timeOrigin + performance.now() < deadline + 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.deepEqual(missing(), [], "every signer got a confirmation");
    const latest = Math.max(...Array.from({ length: SIGNERS }, (_, n) => Math.min(...smtp.received.filter((mail) => mail.rcptTo.includes(address(n))).map((mail) => mail.acceptedAt))));
    t.diagnostic(`sent before the kill: ${beforeKill}; last first-delivery ${((latest - restartedAt) / 1000).toFixed(1)} s after the restart began`);
    assert.ok(latest - restartedAt <= 30_000, `every confirmation arrived within 30 s of the restart (last after ${Math.round(latest - restartedAt)} ms)`);
  });
});
