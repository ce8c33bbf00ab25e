/**
 * npm run bench:outbox — how fast the email outbox drains into a loopback SMTP
 * server in three modes: one message at a time over a new connection each (the
 * outbox before concurrent delivery; fewer messages, it is slow), one at a time
 * over one pooled connection, and concurrently over pooled connections (the
 * worker's defaults). Two phases for each:
 *
 *  - backlog: N messages already queued, then the worker starts; messages/s
 *    until the last one is recorded as sent, and enqueue-to-accepted times;
 *  - surge: the worker running while N messages arrive at --rate per second (a
 *    petition-signing surge enqueues one confirmation email per signature);
 *    enqueue-to-accepted times, which is how long a signer waits for the email.
 *
 * "Accepted" is when the SMTP server accepted the message (it runs in a child
 * process, so its work does not share the worker's event loop). Each run checks
 * that every message arrived exactly once and has one email.sent audit entry,
 * and at the end the audit log verifies. Appends to bench/RESULTS.md.
 *
 * Without DATABASE_URL it runs on PGlite (a temp data directory), then runs itself
 * again under scripts/with-postgres.ts for PostgreSQL (unless --pglite-only); with
 * DATABASE_URL set it runs on that server only (in a throwaway database).
 *
 *   tsx bench/outbox.ts [--messages 20000] [--sequential-messages 500] [--rate 1000]
 *                       [--concurrency 8] [--batch 100] [--idle-interval-ms 5000]
 *                       [--smtp-delay-ms 0] [--pglite-only] [--no-append]
 *
 * --smtp-delay-ms makes the server answer DATA that much later, like a relay
 * further away than loopback.
 *
 * --no-append prints the results without appending them (for trial runs).
 */
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { verifyAuditLog } from "../src/audit/service.js";
import { connect } from "../src/db/connect.js";
import type { Db } from "../src/db/db.js";
import { migrate } from "../src/db/migrate.js";
import { createSmtpTransport, DEFAULT_CONCURRENCY, enqueueEmail, outboxStatusCounts, startOutboxWorker, type OutboxLogger } from "../src/outbox/index.js";
import { startTestSmtp } from "../src/outbox/test-smtp.js";
import { createThrowawayDatabase } from "../src/db/test-db.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const MESSAGES = option("messages", 20_000);
/** The mode with a new connection per message manages about 10 a second here (smtp-server pauses 100 ms before its greeting). */
const SEQUENTIAL_MESSAGES = Math.min(MESSAGES, option("sequential-messages", 500));
const BATCH = option("batch", 0) || undefined; // undefined: the worker's default
const RATE = option("rate", 1_000);
const CONCURRENCY = option("concurrency", 0) || undefined; // undefined: the worker's default
const SMTP_DELAY_MS = option("smtp-delay-ms", 0);
const ENGINE = process.env.DATABASE_URL ? "postgres" : "pglite";
const FROM = "Oversight <no-reply@oversight.example>";
const ENQUEUE_CHUNK = 500;
/** The worker's pause when the queue is empty: by default OUTBOX_INTERVAL_MS's default (src/config.ts). */
const IDLE_INTERVAL_MS = option("idle-interval-ms", 5_000);
/** A stalled run fails instead of hanging: no new message recorded for this long. */
const STALL_MS = 120_000;

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------
// The SMTP server, in a child process (the same file, started with --smtp-child).

type ChildReport = { received: number; unique: number; accepted: [string, number][]; maxSessions: number; maxInData: number };

async function smtpChild(): Promise<void> {
  const smtp = await startTestSmtp({ replyDelayMs: SMTP_DELAY_MS });
  process.send!({ url: smtp.url });
  process.on("message", async (message: string) => {
    if (message === "count") {
      process.send!(smtp.received.length);
    } else if (message === "collect") {
      const ids = smtp.received.map((mail) => /^<([^@]+)@/.exec(mail.headers.get("message-id") ?? "")?.[1] ?? "");
      const report: ChildReport = {
        received: smtp.received.length,
        unique: new Set(ids).size,
        accepted: smtp.received.map((mail, i) => [ids[i], mail.acceptedAt]),
        maxSessions: smtp.sessions.max,
        maxInData: smtp.inData.max,
      };
      smtp.received.length = 0;
      smtp.sessions.max = smtp.sessions.open;
      smtp.inData.max = smtp.inData.open;
      process.send!(report);
    } else if (message === "close") {
      await smtp.close();
      process.exit(0);
    }
  });
}

interface SmtpChild {
  child: ChildProcess;
  url: string;
  /** Messages received since the last collect(). */
  count(): Promise<number>;
  /** What was received since the last collect(), which it then forgets. */
  collect(): Promise<ChildReport>;
  close(): Promise<void>;
}

function startSmtpChild(): Promise<SmtpChild> {
  const child = fork(fileURLToPath(import.meta.url), ["--smtp-child", "--smtp-delay-ms", String(SMTP_DELAY_MS)], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("message", (first: { url: string }) => {
      resolve({
        child,
        url: first.url,
        count: () => new Promise<number>((done) => {
          child.once("message", (count: number) => done(count));
          child.send("count");
        }),
        collect: () => new Promise<ChildReport>((done) => {
          child.once("message", (report: ChildReport) => done(report));
          child.send("collect");
        }),
        close: () => new Promise<void>((done) => {
          child.once("exit", () => done());
          child.send("close");
        }),
      });
    });
  });
}

// ---------------------------------------------------------------------------

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

/** A petition confirmation, about the size of the real one. */
function confirmation(i: number) {
  return {
    to: `bench.signer.${i}@example.org`,
    subject: "Confirm your signature: Kansas City police chief must resign",
    text: [
      "Thank you for signing the petition \"Kansas City police chief must resign\".",
      "",
      "Your signature counts once you confirm your email address. Open this link within 7 days:",
      `https://oversight.example/petitions/confirm/${i.toString(36).padStart(12, "0")}${"x".repeat(40)}`,
      "",
      "If you did not sign, ignore this email: without confirmation the signature is removed.",
      "",
      "—",
      "Gracias por firmar la petición. Su firma cuenta cuando confirme su correo electrónico.",
      "",
      "Oversight",
    ].join("\n"),
    template: "petition.confirm",
    dedupeKey: `bench.confirm:${Date.now().toString(36)}:${i}`,
  };
}

/** Enqueues messages from..to-1 in one transaction; returns their outbox ids. */
async function enqueueRange(db: Db, from: number, to: number): Promise<string[]> {
  return db.transaction(async (tx) => {
    const ids: string[] = [];
    for (let i = from; i < to; i += 1) ids.push((await enqueueEmail(tx, confirmation(i)))!);
    return ids;
  });
}

const silent: OutboxLogger = { info() {}, warn() {}, error() {} };

interface Mode {
  name: string;
  concurrency: number | undefined;
  pooled: boolean;
  messages: number;
}

interface PhaseResult {
  perSecond: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  /** Surge: the waits of messages that arrived after the worker's first idle interval. */
  steady: { count: number; p50: number; p99: number };
  received: number;
  duplicates: number;
  sentAudits: number;
  maxSessions: number;
  maxInData: number;
  cpuMsPerMessage: number;
}

/**
 * Resolves when all `total` messages are recorded as sent. Watches the SMTP
 * server's count first (over IPC, no load on the database the worker uses) and
 * asks the database only for the last few.
 */
async function waitUntilDrained(db: Db, smtp: SmtpChild, total: number): Promise<number> {
  let last = -1;
  let lastChange = now();
  for (;;) {
    const received = await smtp.count();
    if (received >= total) break;
    if (received !== last) {
      last = received;
      lastChange = now();
    } else if (now() - lastChange > STALL_MS) throw new Error(`stalled at ${received} of ${total} received`);
    await sleep(20);
  }
  for (;;) {
    const counts = await outboxStatusCounts(db);
    if (counts.failed > 0) throw new Error(`${counts.failed} messages failed`);
    if (counts.sent >= total) return now();
    if (now() - lastChange > STALL_MS) throw new Error(`stalled at ${counts.sent} of ${total} recorded`);
    await sleep(20);
  }
}

async function runPhase(db: Db, smtp: SmtpChild, mode: Mode, phase: "backlog" | "surge"): Promise<PhaseResult> {
  const total = mode.messages;
  await db.query("DELETE FROM email_outbox");
  const [{ before }] = await db.query<{ before: number }>("SELECT count(*) AS before FROM audit_log WHERE action = 'email.sent'");
  const enqueuedAt = new Map<string, number>();
  if (phase === "backlog") {
    for (let from = 0; from < total; from += ENQUEUE_CHUNK) {
      const at = now();
      for (const id of await enqueueRange(db, from, Math.min(total, from + ENQUEUE_CHUNK))) enqueuedAt.set(id, at);
    }
  }
  // The sequential mode is the outbox as it was: one message at a time, a new SMTP connection for each.
  const transportOptions = mode.pooled ? { smtpUrl: smtp.url } : { transport: createSmtpTransport(smtp.url) };
  const cpuBefore = process.cpuUsage();
  const started = now();
  const worker = startOutboxWorker(db, { ...transportOptions, from: FROM, logger: silent, intervalMs: IDLE_INTERVAL_MS, concurrency: mode.concurrency, batchSize: BATCH } as Parameters<typeof startOutboxWorker>[1]);
  let done: number;
  try {
    if (phase === "surge") {
      // Signatures arrive at RATE per second; each tick enqueues what is due since the last, in one transaction
      // (as the petition batcher does). A message's clock starts at its scheduled arrival.
      let enqueued = 0;
      while (enqueued < total) {
        const due = Math.min(total, Math.floor(((now() - started) * RATE) / 1000));
        if (due > enqueued) {
          const ids = await enqueueRange(db, enqueued, due);
          ids.forEach((id, k) => enqueuedAt.set(id, started + ((enqueued + k) * 1000) / RATE));
          enqueued = due;
        }
        await sleep(10);
      }
    }
    done = await waitUntilDrained(db, smtp, total);
  } finally {
    await worker.stop();
    if (!mode.pooled) (transportOptions as { transport: { close(): void } }).transport.close();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const report = await smtp.collect();
  const waits = report.accepted.map(([id, at]) => at - (enqueuedAt.get(id) ?? NaN)).filter((ms) => Number.isFinite(ms)).sort((a, b) => a - b);
  const steady = report.accepted
    .filter(([id]) => (enqueuedAt.get(id) ?? 0) >= started + IDLE_INTERVAL_MS)
    .map(([id, at]) => at - enqueuedAt.get(id)!)
    .sort((a, b) => a - b);
  const [{ after }] = await db.query<{ after: number }>("SELECT count(*) AS after FROM audit_log WHERE action = 'email.sent'");
  const seconds = (done - started) / 1000;
  return {
    perSecond: Math.round(total / seconds),
    seconds: Number(seconds.toFixed(1)),
    p50: Math.round(percentile(waits, 50)),
    p99: Math.round(percentile(waits, 99)),
    max: Math.round(waits.at(-1) ?? NaN),
    steady: { count: steady.length, p50: Math.round(percentile(steady, 50)), p99: Math.round(percentile(steady, 99)) },
    received: report.received,
    duplicates: report.received - report.unique,
    sentAudits: Number(after) - Number(before),
    maxSessions: report.maxSessions,
    maxInData: report.maxInData,
    cpuMsPerMessage: Number(((cpu.user + cpu.system) / 1000 / total).toFixed(3)),
  };
}

const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "oversight-bench-outbox-"));
  const pg = process.env.DATABASE_URL ? await createThrowawayDatabase(process.env.DATABASE_URL, "oversight_bench_outbox") : null;
  const engineNote = pg ? await serverSettings(pg.url) : "PGlite in the worker's process, data in a temp directory";
  const db = await connect(pg ? { databaseUrl: pg.url } : { dataDir });
  const smtp = await startSmtpChild();
  try {
    await migrate(db);
    const modes: Mode[] = [
      { name: "one at a time, a new connection each (before)", concurrency: 1, pooled: false, messages: SEQUENTIAL_MESSAGES },
      { name: "one at a time, one pooled connection", concurrency: 1, pooled: true, messages: MESSAGES },
      { name: "concurrent, pooled connections", concurrency: CONCURRENCY, pooled: true, messages: MESSAGES },
    ];
    const rows: { mode: Mode; backlog: PhaseResult; surge: PhaseResult }[] = [];
    for (const mode of modes) {
      const backlog = await runPhase(db, smtp, mode, "backlog");
      console.log(JSON.stringify({ engine: ENGINE, mode: mode.name, phase: "backlog", ...backlog }));
      const surge = await runPhase(db, smtp, mode, "surge");
      console.log(JSON.stringify({ engine: ENGINE, mode: mode.name, phase: "surge", ...surge }));
      rows.push({ mode, backlog, surge });
    }
    const audit = await verifyAuditLog(db);
    const load = loadavg().map((value) => value.toFixed(1)).join(", ");
    const ok = audit.ok && rows.every((row) => [row.backlog, row.surge].every((r) => r.received === row.mode.messages && r.duplicates === 0 && r.sentAudits === row.mode.messages));
    const concurrency = (mode: Mode) => mode.concurrency ?? DEFAULT_CONCURRENCY;
    const machine = `Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}.`;
    const section = [
      "",
      `## Email outbox drain (${ENGINE}), ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
      "",
      `${machine} Command: \`tsx bench/outbox.ts${args.length ? ` ${args.join(" ")}` : ""}\`${ENGINE === "pglite" ? "" : " with DATABASE_URL set"} (\`npm run bench:outbox\` runs it on PGlite, then on PostgreSQL under scripts/with-postgres.ts). Database: ${engineNote}.`,
      `Petition confirmation emails (about 0.8 kB, a unique recipient and dedupe key each, enqueued with enqueueEmail and its audit entry) delivered by startOutboxWorker into smtp-server with AUTH on loopback, in a child process${SMTP_DELAY_MS ? `, answering DATA after ${SMTP_DELAY_MS} ms` : ""}; smtp-server pauses 100 ms before its greeting, as many real servers do. Worker settings: batch ${BATCH ?? 100}, idle interval ${IDLE_INTERVAL_MS / 1000} s (OUTBOX_INTERVAL_MS, default 5 s), 100 ms after a pass that found mail; the mode sets concurrency and transport. "Before" is the outbox as it was: one message at a time, a new connection each (${SEQUENTIAL_MESSAGES} messages: it manages about 10 a second).`,
      "",
      `Backlog: all messages queued (in transactions of ${ENQUEUE_CHUNK}) before the worker starts; messages/s until the last is recorded as sent; wait = from its enqueue to the SMTP server's acceptance.`,
      "",
      "| mode | messages | in flight | SMTP sessions at once | messages/s | p50 wait | p99 wait | worker CPU per message | delivered twice | email.sent entries |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...rows.map(({ mode, backlog: r }) =>
        `| ${mode.name} | ${mode.messages} | ${concurrency(mode)} | ${r.maxSessions} | ${r.perSecond} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.cpuMsPerMessage} ms | ${r.duplicates} | ${r.sentAudits} |`),
      "",
      `Surge: the worker running (idle) while the messages arrive at ${RATE}/s, enqueued every 10 ms in one transaction as the petition batcher does; wait = from a message's scheduled arrival to the SMTP server's acceptance (what a signer waits for the email). The first arrivals find the worker in its idle pause; "after the first ${IDLE_INTERVAL_MS / 1000} s" counts only messages arriving later.`,
      "",
      `| mode | messages | in flight | p50 wait | p99 wait | max wait | after the first ${IDLE_INTERVAL_MS / 1000} s: messages, p50, p99 | all delivered after the start | delivered twice | email.sent entries |`,
      "|---|---|---|---|---|---|---|---|---|---|",
      ...rows.map(({ mode, surge: r }) =>
        `| ${mode.name} | ${mode.messages} | ${concurrency(mode)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${r.steady.count ? `${r.steady.count}, ${ms(r.steady.p50)}, ${ms(r.steady.p99)}` : "none"} | ${r.seconds} s | ${r.duplicates} | ${r.sentAudits} |`),
      "",
      `Every message arrived ${ok ? "exactly once and has one email.sent entry" : "NOT exactly once (see the tables)"}; the audit log ${audit.ok ? "verifies" : "DOES NOT VERIFY"} (${audit.size} entries). Load average (1, 5, 15 min) at the end: ${load} on ${cpus().length} cores (other work on the machine shares them).`,
      "",
    ].join("\n");
    if (args.includes("--no-append")) console.log(section);
    else appendFileSync(join(ROOT, "bench/RESULTS.md"), section);
    if (!ok) throw new Error("messages lost, duplicated or unaudited");
  } finally {
    await smtp.close();
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
    await pg?.drop();
  }
}

if (args.includes("--smtp-child")) {
  void smtpChild();
} else {
  main().then(
    () => {
      if (!process.env.DATABASE_URL && !args.includes("--pglite-only")) {
        // Then PostgreSQL: the same run against a throwaway server.
        const again = spawnSync(process.execPath, ["--import", "tsx", "scripts/with-postgres.ts", process.execPath, "--import", "tsx", "bench/outbox.ts", ...args], { cwd: ROOT, stdio: "inherit" });
        process.exit(again.status ?? 1);
      }
    },
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
