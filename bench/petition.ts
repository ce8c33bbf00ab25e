/**
 * npm run bench:petition — a burst of petition signatures over loopback HTTP
 * against a real server process: sustained accepted signatures per second, p50
 * and p99 latency, errors; then the server is stopped and the database is
 * checked: every acknowledged signature stored once, with its confirmation email
 * and audit entries, and the audit log verifies. Appends to bench/RESULTS.md.
 *
 * Without DATABASE_URL it runs on PGlite (a temp data directory), then runs
 * itself again under scripts/with-postgres.ts for PostgreSQL (unless
 * --pglite-only); with DATABASE_URL set it runs on that server only (in a
 * throwaway database).
 *
 *   tsx bench/petition.ts [--seconds 20] [--concurrency 64] [--pglite-only]
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { verifyAuditLog } from "../src/audit/service.js";
import { connect } from "../src/db/connect.js";
import { createThrowawayDatabase } from "../src/db/test-db.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const SECONDS = option("seconds", 20);
const CONCURRENCY = option("concurrency", 64);
const ENGINE = process.env.DATABASE_URL ? "postgres" : "pglite";
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

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);

/** One POST; the body is drained unread: 200 is the answer for an acknowledged signature, and only for that. */
function post(agent: Agent, port: number, path: string, body: string, cookie: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", agent, headers: { cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** CPU seconds (user + system) a process has used, from /proc (Linux); null elsewhere. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const sum = (values: (number | null)[]) => (values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0));

/** The PostgreSQL backend processes serving the server's connections to this database. */
/** The server's version and durability settings, so a result says what it was measured with. */
async function serverSettings(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql.unsafe("SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync");
    return `PostgreSQL ${row.version} with fsync=${row.fsync}, synchronous_commit=${row.sync}`;
  } finally {
    await sql.end();
  }
}

async function backendPids(url: string): Promise<number[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql.unsafe("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    return rows.map((row) => Number(row.pid));
  } finally {
    await sql.end();
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "oversight-bench-petition-"));
  const pg = process.env.DATABASE_URL ? await createThrowawayDatabase(process.env.DATABASE_URL, "oversight_bench") : null;
  const port = await freePort();
  const engineNote = pg ? await serverSettings(pg.url) : "PGlite in the server process, data in a temp directory";
  const env = {
    ...process.env, LOG_LEVEL: "silent", DATABASE_URL: pg?.url ?? "",
    // The bench raises the limits that protect a real petition: every request comes from 127.0.0.1.
    OVERSIGHT_PETITION_ADDRESS_LIMIT: "100000000", OVERSIGHT_PETITION_NETWORK_LIMIT: "100000000",
  };
  const server = spawn(process.execPath, ["--import", "tsx", "src/campaign/petitions/standalone.ts", "--port", String(port), "--data-dir", dataDir, "--seed"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "inherit"] });
  const base = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let stopped = false;
  const stopServer = async () => {
    if (stopped) return;
    stopped = true;
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
  };
  try {
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`${base}/petitions/${SLUG}`)).ok) break;
      } catch { /* starting */ }
      if (i > 600) throw new Error("server did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const page = await fetch(`${base}/petitions/${SLUG}`);
    const html = await page.text();
    const cookie = `oversight_csrf=${/oversight_csrf=([^;]+)/.exec(page.headers.get("set-cookie") ?? "")![1]}`;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const form = /name="_form" value="([^"]+)"/.exec(html)![1];
    const path = `/petitions/${SLUG}/sign`;
    const probe = await fetch(`${base}${path}`, { method: "POST", body: new URLSearchParams({ _csrf: csrf, _form: form, name: "Bench Probe", email: "bench.probe@example.org", zip: "64106" }), headers: { cookie } });
    if (probe.status !== 200 || !(await probe.text()).includes('data-testid="signed"')) throw new Error(`the first signature was not acknowledged (${probe.status})`);
    const acknowledgedNames: string[] = ["Bench Probe"];
    let n = 0;
    const signOnce = async (): Promise<{ ok: boolean; ms: number; name: string }> => {
      const i = n++;
      const name = `Bench Signer ${i}`;
      const body = new URLSearchParams({ _csrf: csrf, _form: form, name, email: `bench.signer.${i}@example.org`, zip: String(64100 + (i % 100)), show_publicly: i % 3 === 0 ? "1" : "" }).toString();
      try {
        const answer = await post(agent, port, path, body, cookie);
        return { ok: answer.status === 200, ms: answer.ms, name };
      } catch {
        return { ok: false, ms: 0, name };
      }
    };

    // Warm-up: the JIT, the connection pool, the first batches.
    const warmUntil = performance.now() + 2000;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < warmUntil) {
        const result = await signOnce();
        if (result.ok) acknowledgedNames.push(result.name);
      }
    }));

    // CPU used during the measured run: the server process, its PostgreSQL backends, this load generator.
    const backends = pg ? await backendPids(pg.url) : [];
    const cpuBefore = { server: cpuSeconds(server.pid!), pg: sum(backends.map(cpuSeconds)), client: process.cpuUsage() };
    const latencies: number[] = [];
    const perSecond = new Map<number, number>();
    let errors = 0;
    const started = performance.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const result = await signOnce();
        if (result.ok) {
          acknowledgedNames.push(result.name);
          latencies.push(result.ms);
          const second = Math.floor((performance.now() - started) / 1000);
          perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
        } else errors += 1;
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(cpuBefore.client);
    const cpuAfter = { server: cpuSeconds(server.pid!), pg: sum(backends.map(cpuSeconds)) };
    const perSignature = (before: number | null, after: number | null) => (before === null || after === null || !latencies.length ? null : Number(((1000 * (after - before)) / latencies.length).toFixed(3)));
    const cpu = {
      serverMs: perSignature(cpuBefore.server, cpuAfter.server),
      postgresMs: pg ? perSignature(cpuBefore.pg, cpuAfter.pg) : null,
      clientMs: Number(((clientCpu.user + clientCpu.system) / 1000 / Math.max(1, latencies.length)).toFixed(3)),
    };
    const load = loadavg()[0].toFixed(1);
    const acknowledged = acknowledgedNames.length;
    latencies.sort((a, b) => a - b);
    const seconds = [...perSecond.entries()].filter(([s]) => s < Math.floor(elapsed)).map(([, count]) => count).sort((a, b) => a - b);
    agent.destroy();
    await stopServer();

    // None lost: every acknowledged signature is stored once, with its email and audit entries.
    const db = await connect(pg ? { databaseUrl: pg.url } : { dataDir });
    let check: { stored: number; missing: number; twice: number; emails: number; signAudits: number; transactions: number; auditOk: boolean };
    try {
      const names = new Map<string, number>();
      for (const row of await db.query<{ name: string }>("SELECT name FROM petition_signatures")) names.set(row.name, (names.get(row.name) ?? 0) + 1);
      const [row] = await db.query<{ stored: number; emails: number; audits: number; transactions: number }>(
        `SELECT (SELECT count(*) FROM petition_signatures) AS stored,
                (SELECT count(*) FROM email_outbox WHERE template = 'petition.confirm') AS emails,
                (SELECT count(*) FROM audit_log WHERE action = 'petition.sign') AS audits,
                -- A batch's audit entries share one timestamp: distinct timestamps ≈ transactions.
                (SELECT count(DISTINCT at) FROM audit_log WHERE action = 'petition.sign') AS transactions`,
      );
      check = {
        stored: Number(row.stored), missing: acknowledgedNames.filter((name) => !names.has(name)).length, twice: [...names.values()].filter((count) => count > 1).length,
        emails: Number(row.emails), signAudits: Number(row.audits), transactions: Number(row.transactions), auditOk: (await verifyAuditLog(db)).ok };
    } finally {
      await db.close();
    }

    const summary = {
      engine: ENGINE, seconds: Number(elapsed.toFixed(1)), concurrency: CONCURRENCY, accepted: latencies.length, errors,
      perSecond: Number((latencies.length / elapsed).toFixed(0)),
      slowestSecond: seconds[0] ?? 0, medianSecond: seconds[Math.floor(seconds.length / 2)] ?? 0,
      p50: Number(percentile(latencies, 50).toFixed(1)), p99: Number(percentile(latencies, 99).toFixed(1)), max: Number((latencies.at(-1) ?? NaN).toFixed(1)),
      acknowledged, ...check, cpuMsPerSignature: cpu, loadAverage: Number(load),
    };
    console.log(JSON.stringify({ ...summary, database: engineNote }));
    const ok = check.missing === 0 && check.twice === 0 && check.emails === check.stored && check.signAudits === check.stored && check.auditOk;
    appendFileSync(join(ROOT, "bench/RESULTS.md"), [
      "",
      `## Petition signing burst (${ENGINE}), ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
      "",
      `Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}. Command: \`tsx bench/petition.ts --seconds ${SECONDS} --concurrency ${CONCURRENCY}\`${ENGINE === "pglite" ? "" : " with DATABASE_URL set"} (\`npm run bench:petition\` runs it on PGlite, then on PostgreSQL under scripts/with-postgres.ts).`,
      `Each signature is a form POST /petitions/${SLUG}/sign over loopback HTTP (keep-alive, ${CONCURRENCY} concurrent clients, CSRF and page tokens, a unique address) to a real server process (src/campaign/petitions/standalone.ts, default batching: up to 500 per transaction, 4 ms when idle), acknowledged only after its group commit: the signature row, its confirmation email in the outbox and two audit entries. Database: ${engineNote}. The load generator runs on the same machine. ${SECONDS} s after a 2 s warm-up; rate limits raised through the environment (every request comes from 127.0.0.1).`,
      "",
      "| engine | accepted | errors | signatures/s | slowest second | p50 ms | p99 ms | max ms | acknowledged (incl. warm-up and probe) | stored | acknowledged but missing | stored twice | audit log |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
      `| ${ENGINE} | ${summary.accepted} | ${summary.errors} | ${summary.perSecond} | ${summary.slowestSecond} | ${summary.p50} | ${summary.p99} | ${summary.max} | ${acknowledged} | ${check.stored} | ${check.missing} | ${check.twice} | ${check.auditOk ? "verifies" : "DOES NOT VERIFY"} |`,
      "",
      `${check.stored} signatures in about ${check.transactions} transactions (${(check.stored / Math.max(1, check.transactions)).toFixed(1)} per transaction on average). CPU per accepted signature: server process ${cpu.serverMs ?? "?"} ms${pg ? `, its PostgreSQL backends ${cpu.postgresMs ?? "?"} ms` : " (PGlite runs inside it)"}, load generator ${cpu.clientMs} ms. Load average (1 min) at the end of the run: ${load} on ${cpus().length} cores (other work on the machine shares them).`,
      "",
    ].join("\n"));
    if (!ok) throw new Error(`signatures lost or incomplete: ${JSON.stringify(summary)}`);
  } finally {
    agent.destroy();
    await stopServer();
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  }
}

main().then(
  () => {
    if (!process.env.DATABASE_URL && !args.includes("--pglite-only")) {
      // Then PostgreSQL: the same run against a throwaway server.
      const again = spawnSync(process.execPath, ["--import", "tsx", "scripts/with-postgres.ts", process.execPath, "--import", "tsx", "bench/petition.ts", ...args], { cwd: ROOT, stdio: "inherit" });
      process.exit(again.status ?? 1);
    }
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
