import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { jpegWithMetadata } from "../../src/cases/evidence/fixtures.js";
import { loadConfig } from "../../src/config.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../../src/db/test-db.js";
import { startServer, type RunningServer } from "../../src/server.js";

/**
 * Every filing survives: concurrent complaint submissions over real HTTP, in the
 * shapes real clients send (a browser's FormData; a hand-built body with a
 * non-ASCII `filename*=` as some HTTP libraries write it; unquoted field names),
 * each answered with its own case number and stored exactly once.
 */
describe(`concurrent complaint submissions (${process.env.DATABASE_URL ? "postgres" : "pglite"})`, () => {
  let dataDir: string;
  let pg: ThrowawayDatabase | null = null;
  let server: RunningServer;
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "oversight-concurrent-intake-"));
    if (process.env.DATABASE_URL) pg = await createThrowawayDatabase(process.env.DATABASE_URL);
    const env = { LOG_LEVEL: "silent", OVERSIGHT_INTAKE_RATE_LIMIT: "100000", DATABASE_URL: pg?.url ?? "" };
    server = await startServer(loadConfig({ dataDir, port: 0 }, env), { demo: false });
  });
  after(async () => {
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  });

  it("answers 120 concurrent submissions of mixed shapes each with a case, and stores each once", async () => {
    const form = await fetch(`${server.url}/complaints/new`);
    const csrf = /oversight_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")![1];
    const photo = Buffer.from(jpegWithMetadata());
    const narrative = (n: number) => `Concurrent complaint ${n}: an officer pushed me during a stop and would not give a name.`;
    const requestFor = (n: number): RequestInit => {
      const headers: Record<string, string> = { cookie: `oversight_csrf=${csrf}` };
      if (n % 3 === 0) {
        const body = new FormData();
        body.append("_csrf", csrf);
        body.append("narrative", narrative(n));
        body.append("categories", "excessive_force");
        body.append("anonymous", "1");
        body.append("evidence", new Blob([photo], { type: "image/jpeg" }), `foto ${n}.jpg`);
        return { method: "POST", body, headers };
      }
      const boundary = `----client${n}`;
      const field = (name: string, value: string, quoted = true) => `--${boundary}\r\nContent-Disposition: form-data; name=${quoted ? `"${name}"` : name}\r\n\r\n${value}\r\n`;
      const parts = [
        field("_csrf", csrf, n % 3 === 1),
        field("narrative", narrative(n)),
        field("categories", "excessive_force", false),
        field("anonymous", "1"),
      ].join("");
      const file = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename*=utf-8''foto%20n%C3%BAmero%20${n}.jpg\r\nContent-Type: image/jpeg\r\n\r\n`),
        photo,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      headers["content-type"] = `multipart/form-data; boundary=${boundary}`;
      return { method: "POST", body: Buffer.concat([Buffer.from(parts), file]), headers };
    };
    const statuses = new Map<number, number>();
    const caseNumbers = new Set<string>();
    let next = 0;
    await Promise.all(Array.from({ length: 12 }, async () => {
      while (next < 120) {
        const n = next++;
        const answer = await fetch(`${server.url}/complaints/new`, requestFor(n));
        const html = await answer.text();
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        const caseNumber = /data-testid="case-number">([^<]+)</.exec(html)?.[1];
        if (caseNumber) caseNumbers.add(caseNumber);
      }
    }));
    assert.deepEqual([...statuses], [[200, 120]]);
    assert.equal(caseNumbers.size, 120, "each submission got its own case");
    const [stored] = await server.db.query<{ cases: number; items: number }>(
      "SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM evidence_items) AS items",
    );
    assert.deepEqual(stored, { cases: 120, items: 120 }, "every case and its photo stored once");
  });
});
