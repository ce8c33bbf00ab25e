/**
 * The benchmark's steps, each run in its own process so each process's peak RSS
 * (process.resourceUsage().maxRSS) belongs to one step:
 *  - load:  migrate a fresh database, time the CPDP import, (PostgreSQL) the plain
 *           COPY baseline, then grow to ≥ 1M allegations with synthetic rows,
 *           refresh derived stats and ANALYZE;
 *  - query: open that database as a server would and time profiles and searches
 *           through the service functions, then a smaller sample over HTTP.
 */
import { readdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "../../src/db/connect.js";
import type { Db } from "../../src/db/db.js";
import { migrate } from "../../src/db/migrate.js";
import { refreshDerived } from "../../src/records/derived-repo.js";
import { cpdpFormat } from "../../src/records/import/cpdp/format.js";
import { runImport } from "../../src/records/import/runner.js";
import { complaintQuerySchema, officerQuerySchema } from "../../src/records/schema.js";
import { officerProfile, searchComplaints, searchOfficers } from "../../src/records/service.js";
import { backendCpu, backendCpuDelta, nodeCpuSeconds } from "./cpu.js";
import { copyBaseline, LOADED_TABLES, type BaselineReport } from "./copy-baseline.js";
import { loadSynthetic, type SyntheticReport } from "./synthetic.js";
import { exclusiveTimings, kbToMiB, log, pick, rng, statementKey, summarize, timingDb, weightedSampler, type Latency, type StatementTiming } from "./util.js";

export const CPDP_DIR = "/work/shared/data/chicago_cpdp";

export interface Target {
  engine: "pglite" | "postgres";
  dataDir?: string;
  databaseUrl?: string;
}

export interface StatementSummary {
  statement: string;
  n: number;
  totalMs: number;
  p50: number;
  p99: number;
  max: number;
}

function summarizeStatements(timings: StatementTiming[], top = 12): StatementSummary[] {
  const groups = new Map<string, number[]>();
  for (const timing of timings) {
    const key = statementKey(timing.text);
    const list = groups.get(key);
    if (list) list.push(timing.ms);
    else groups.set(key, [timing.ms]);
  }
  return [...groups]
    .map(([statement, ms]) => {
      const latency = summarize(ms);
      return { statement, n: ms.length, totalMs: ms.reduce((sum, x) => sum + x, 0), p50: latency.p50, p99: latency.p99, max: latency.max };
    })
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top);
}

async function serverVersion(db: Db): Promise<string> {
  const [row] = await db.query<{ server_version: string }>("SHOW server_version");
  return row.server_version;
}

async function tableCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of LOADED_TABLES) {
    try {
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      counts[table] = row.n;
    } catch {
      // a table a future migration drops
    }
  }
  return counts;
}

export interface LoadResult {
  engine: "pglite" | "postgres";
  serverVersion: string;
  import: {
    seconds: number;
    sourceRows: number;
    files: { file: string; rowsRead: number; rowsImported: number }[];
    /** Rows the RowSink COPYed (before the accused-file merge deleted duplicates). */
    rowsStaged: number;
    /** Rows in the database after the import, per table. */
    tables: Record<string, number>;
    statements: StatementSummary[];
    /** Time inside SQL statements and COPY (the rest is parsing, identity linking and row building in Node). */
    sqlSeconds: number;
    loadavg: number[];
    cpu: ImportCpu;
    /** From the start to the first COPY: reading headers and linking officer identities across the files. */
    prepareSeconds: number | null;
  };
  baseline?: BaselineReport;
  synthetic: SyntheticReport;
  refreshDerivedSeconds: number;
  analyzeSeconds: number;
  finalCounts: Record<string, number>;
  maxRssMiB: number;
}

export interface ImportCpu {
  nodeSeconds: number;
  /** The database's backends (PostgreSQL only; null when the server's /proc is not readable). */
  backendSeconds: number | null;
}

const CPDP_FILES = () => readdirSync(CPDP_DIR).filter((name) => name.endsWith(".csv.gz")).sort().map((name) => join(CPDP_DIR, name));

/** runImport of every CPDP file, timed: wall, CPU of this process and of the server's backends. */
async function timedImport(raw: Db, engine: string, files: string[], onStatement: (timing: StatementTiming) => void) {
  let firstCopy: number | null = null;
  const db = timingDb(raw, (timing) => {
    if (firstCopy === null && timing.text.startsWith("COPY ")) firstCopy = timing.start;
    onStatement(timing);
  });
  log(`${engine}: importing ${files.length} CPDP files`);
  const load = loadavg();
  const backendBefore = raw.kind === "postgres" ? await backendCpu(raw) : null;
  const nodeBefore = nodeCpuSeconds();
  const start = performance.now();
  const report = await runImport(db, cpdpFormat(), files, { fallbackRejectsDir: tmpdir() });
  const seconds = (performance.now() - start) / 1000;
  const nodeSeconds = nodeCpuSeconds() - nodeBefore;
  const backendSeconds = raw.kind === "postgres" ? backendCpuDelta(backendBefore, await backendCpu(raw)) : null;
  const sourceRows = report.files.reduce((sum, file) => sum + file.rowsRead, 0);
  log(`${engine}: import took ${seconds.toFixed(1)} s (${Math.round(sourceRows / seconds)} source rows/s; CPU: node ${nodeSeconds.toFixed(1)} s, server ${backendSeconds?.toFixed(1) ?? "n/a"} s)`);
  const prepareSeconds = firstCopy === null ? null : ((firstCopy as number) - start) / 1000;
  return { report, seconds, sourceRows, cpu: { nodeSeconds, backendSeconds }, loadavg: load, prepareSeconds };
}

export async function loadWorker(target: Target, options: { targetAllegations: number; baselineUrl?: string }): Promise<LoadResult> {
  const files = CPDP_FILES();
  const raw = await connect({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
  try {
    await migrate(raw);
    const version = await serverVersion(raw);
    const timings: StatementTiming[] = [];
    const imported = await timedImport(raw, target.engine, files, (timing) => timings.push(timing));
    const { report, seconds, sourceRows, cpu, loadavg: load, prepareSeconds } = imported;
    const tables = await tableCounts(raw);

    let baseline: BaselineReport | undefined;
    if (target.engine === "postgres" && options.baselineUrl && target.databaseUrl) {
      log("postgres: plain COPY baseline of the same rows into a fresh database");
      baseline = await copyBaseline(target.databaseUrl, options.baselineUrl);
      log(`postgres: baseline COPY took ${(baseline.totalMs / 1000).toFixed(1)} s for ${baseline.totalRows} rows`);
    }

    const synthetic = await loadSynthetic(raw, options.targetAllegations);
    log(`${target.engine}: synthetic rows loaded in ${synthetic.seconds.toFixed(1)} s; refreshing derived stats`);
    let t = performance.now();
    await raw.transaction((tx) => refreshDerived(tx));
    const refreshDerivedSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    await raw.exec("ANALYZE");
    const analyzeSeconds = (performance.now() - t) / 1000;
    if (target.engine === "pglite") await raw.exec("CHECKPOINT");
    return {
      engine: target.engine,
      serverVersion: version,
      import: {
        seconds,
        sourceRows,
        files: report.files.map((file) => ({ file: file.file, rowsRead: file.rowsRead, rowsImported: file.rowsImported })),
        rowsStaged: Object.values(report.tables).reduce((sum, n) => sum + (n ?? 0), 0),
        tables,
        statements: summarizeStatements(timings),
        sqlSeconds: timings.reduce((sum, timing) => sum + timing.ms, 0) / 1000,
        loadavg: load,
        cpu,
        prepareSeconds,
      },
      baseline,
      synthetic,
      refreshDerivedSeconds,
      analyzeSeconds,
      finalCounts: await tableCounts(raw),
      maxRssMiB: kbToMiB(process.resourceUsage().maxRSS),
    };
  } finally {
    await raw.close();
  }
}

// ---------------------------------------------------------------- queries

export interface RequestTiming {
  label: string;
  ms: number;
  /** The slowest statement inside the request, for EXPLAIN. */
  slowest?: StatementTiming;
  detail?: Record<string, unknown>;
}

export interface QueryResult {
  engine: "pglite" | "postgres";
  counts: Record<string, number>;
  profile: {
    all: Latency;
    heavy: Latency;
    uniform: Latency;
    statements: StatementSummary[];
    slowest: { id: string; ms: number; allegations: number }[];
  };
  textSearch: { latency: Latency; statements: StatementSummary[]; matches: { p50: number; max: number }; examples: string[]; slowest: { q: string; ms: number; total: number }[] };
  nameSearch: { latency: Latency; typoRecovered: number; examples: string[]; slowest: { q: string; ms: number; total: number }[] };
  http: Record<string, Latency>;
  explainFile: string;
  /** Written to explainFile by the orchestrator when the run is appended to RESULTS.md. */
  explainText: string;
  maxRssMiB: number;
  serverMemory?: { sharedBuffers: string; backends: number; maxBackendHwmMiB: number | null; backendPrivateRssMiB: number | null };
  loadavg: number[];
  prototypes?: PrototypeResult[];
}

export interface PrototypeResult {
  name: string;
  sql: string[];
  before: Latency;
  after: Latency;
  note?: string;
}

const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv", "v"]);
const STOP = new Set(["with", "from", "into", "other", "than", "under", "that", "this", "allegation", "process", "pending", "violation", "violations"]);

function misspell(random: () => number, word: string): string {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(random() * (word.length - 2));
  switch (Math.floor(random() * 4)) {
    case 0:
      return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // transposed
    case 1:
      return word.slice(0, i) + word.slice(i + 1); // dropped
    case 2:
      return word.slice(0, i) + "aeiou"[Math.floor(random() * 5)] + word.slice(i + 1); // substituted
    default:
      return word.slice(0, i) + word[i] + word.slice(i); // doubled
  }
}

async function timeRequest(db: Db, sink: StatementTiming[], fn: () => Promise<unknown>): Promise<{ ms: number; slowest?: StatementTiming; result: unknown }> {
  const before = sink.length;
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  // On PGlite the statements of one request queue behind each other: blame the one that ran longest, not the one that waited.
  const inside = db.kind === "pglite" ? exclusiveTimings(sink.slice(before)) : sink.slice(before);
  const slowest = inside.reduce<StatementTiming | undefined>((worst, timing) => (!worst || timing.ms > worst.ms ? timing : worst), undefined);
  return { ms, slowest, result };
}

async function explain(db: Db, timing: StatementTiming): Promise<string> {
  const rows = await db.query<Record<string, string>>(`EXPLAIN (ANALYZE, BUFFERS) ${timing.text}`, timing.params);
  return rows.map((row) => Object.values(row)[0]).join("\n");
}

export interface QueryPlan {
  profiles: number;
  textSearches: number;
  nameSearches: number;
  http: number;
  explainFile: string;
  prototype: boolean;
}

export async function queryWorker(target: Target, plan: QueryPlan): Promise<QueryResult> {
  const random = rng(7);
  const load = loadavg();
  const raw = await connect({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
  const timings: StatementTiming[] = [];
  const db = timingDb(raw, (timing) => timings.push(timing));
  let closed = false;
  try {
    const counts = await tableCounts(raw);
    log(`${target.engine}: ${counts.allegations?.toLocaleString("en-US")} allegations, ${counts.complaints?.toLocaleString("en-US")} complaints, ${counts.people?.toLocaleString("en-US")} people`);

    // Samples: officers by allegation count (heavy) and uniformly; category words; names to misspell.
    const stats = await raw.query<{ person_id: string; allegation_count: number; full_name: string }>(
      "SELECT s.person_id, s.allegation_count, p.full_name FROM person_stats s JOIN people p ON p.id = s.person_id",
    );
    const heavy = weightedSampler(stats.map((row) => row.allegation_count));
    const allegationsOf = new Map(stats.map((row) => [row.person_id, row.allegation_count]));
    const categories = await raw.query<{ category: string; n: number }>(
      "SELECT category, count(*)::int AS n FROM allegations WHERE category IS NOT NULL AND category <> '' GROUP BY category",
    );
    const words = [...new Set(categories.flatMap((row) => row.category.toLowerCase().split(/[^a-z]+/)).filter((word) => word.length >= 4 && !STOP.has(word)))];
    const byFrequency = weightedSampler(categories.map((row) => row.n));

    const profileIds = Array.from({ length: plan.profiles }, (_, i) => ({
      id: i % 2 === 0 ? stats[heavy(random)].person_id : pick(random, stats).person_id,
      mix: i % 2 === 0 ? "heavy" : "uniform",
    }));
    const textQueries = Array.from({ length: plan.textSearches }, () => {
      const roll = random();
      if (roll < 0.5) return pick(random, words);
      const category = categories[byFrequency(random)].category.toLowerCase().split(/[^a-z]+/).filter((word) => word.length >= 4 && !STOP.has(word));
      if (roll < 0.8 || category.length < 2) return category.slice(0, 3).join(" ") || pick(random, words);
      return `${pick(random, category)} ${pick(random, words)}`;
    });
    const nameQueries = Array.from({ length: plan.nameSearches }, (_, i) => {
      const person = i % 2 === 0 ? stats[heavy(random)] : pick(random, stats);
      const parts = person.full_name.split(" ").filter((part) => !SUFFIXES.has(part.toLowerCase()));
      const last = parts[parts.length - 1] ?? person.full_name;
      const q = random() < 0.5 ? misspell(random, last) : `${parts[0]} ${misspell(random, last)}`;
      return { q, intended: person.full_name, last };
    });

    // Warm-up: first touches of tables and indexes are not what a running server sees.
    for (const { id } of profileIds.slice(0, 20)) await officerProfile(db, id);
    for (const q of textQueries.slice(0, 10)) await searchComplaints(db, complaintQuerySchema.parse({ q }));
    for (const { q } of nameQueries.slice(0, 10)) await searchOfficers(db, officerQuerySchema.parse({ q }));
    timings.length = 0;

    log(`${target.engine}: ${plan.profiles} officer profiles`);
    const profileRuns: (RequestTiming & { id: string })[] = [];
    const profileStatementsStart = timings.length;
    for (const { id, mix } of profileIds) {
      const { ms, slowest, result } = await timeRequest(db, timings, () => officerProfile(db, id));
      if (!result) throw new Error(`profile ${id} not found`);
      profileRuns.push({ label: mix, ms, slowest, id });
    }
    // On PGlite the profile's 8 queries queue behind each other: count each one's own time, not its wait.
    const profileTimings = timings.slice(profileStatementsStart);
    const profileStatements = summarizeStatements(target.engine === "pglite" ? exclusiveTimings(profileTimings) : profileTimings, 10);

    log(`${target.engine}: ${plan.textSearches} full-text complaint searches`);
    const textStart = timings.length;
    const textRuns: (RequestTiming & { q: string; total: number })[] = [];
    for (const q of textQueries) {
      const { ms, slowest, result } = await timeRequest(db, timings, () => searchComplaints(db, complaintQuerySchema.parse({ q })));
      textRuns.push({ label: "text", ms, slowest, q, total: (result as { total: number }).total });
    }
    const textStatements = summarizeStatements(timings.slice(textStart), 5);

    log(`${target.engine}: ${plan.nameSearches} officer name searches with misspellings`);
    const nameRuns: (RequestTiming & { q: string; total: number; found: boolean })[] = [];
    for (const { q, intended, last } of nameQueries) {
      const { ms, slowest, result } = await timeRequest(db, timings, () => searchOfficers(db, officerQuerySchema.parse({ q })));
      const page = result as { total: number; items: { full_name: string }[] };
      const found = q.includes(" ") ? page.items.some((item) => item.full_name === intended) : page.items[0]?.full_name.toLowerCase().endsWith(last.toLowerCase()) ?? false;
      nameRuns.push({ label: "name", ms, slowest, q, total: page.total, found });
    }

    // Plans of the slowest requests' slowest statements.
    const explained: string[] = [];
    const worst = [
      ...[...profileRuns].sort((a, b) => b.ms - a.ms).slice(0, 3),
      ...[...textRuns].sort((a, b) => b.ms - a.ms).slice(0, 2),
      ...[...nameRuns].sort((a, b) => b.ms - a.ms).slice(0, 1),
    ];
    for (const run of worst) {
      if (!run.slowest) continue;
      try {
        explained.push(`### ${target.engine} · ${run.label} request ${run.ms.toFixed(1)} ms; its slowest statement took ${run.slowest.ms.toFixed(1)} ms\n-- params: ${JSON.stringify(run.slowest.params)}\n${run.slowest.text.trim()}\n\n${await explain(raw, run.slowest)}\n`);
      } catch (error) {
        explained.push(`### ${run.label}: EXPLAIN failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    const explainText = `# EXPLAIN ANALYZE of the slowest requests (${target.engine}, ${new Date().toISOString()}, ${counts.allegations} allegations)\n\n${explained.join("\n")}`;

    const prototypes = plan.prototype ? await runPrototypes(raw, target, profileIds.map((p) => p.id), textQueries) : undefined;

    let serverMemory: QueryResult["serverMemory"];
    if (target.engine === "postgres") serverMemory = await postgresMemory(raw);

    // HTTP: the same service code behind a real port. PGlite allows one opener per data directory.
    if (target.engine === "pglite") {
      await raw.close();
      closed = true;
    }
    const http = await httpSample(target, plan.http, profileIds.map((p) => p.id), textQueries, nameQueries.map((n) => n.q));

    const byMix = (mix: string) => summarize(profileRuns.filter((run) => run.label === mix).map((run) => run.ms));
    const textTotals = textRuns.map((run) => run.total).sort((a, b) => a - b);
    return {
      engine: target.engine,
      counts,
      profile: {
        all: summarize(profileRuns.map((run) => run.ms)),
        heavy: byMix("heavy"),
        uniform: byMix("uniform"),
        statements: profileStatements,
        slowest: [...profileRuns].sort((a, b) => b.ms - a.ms).slice(0, 5).map((run) => ({ id: run.id, ms: run.ms, allegations: allegationsOf.get(run.id) ?? 0 })),
      },
      textSearch: {
        latency: summarize(textRuns.map((run) => run.ms)),
        statements: textStatements,
        matches: { p50: textTotals[Math.floor(textTotals.length / 2)] ?? 0, max: textTotals[textTotals.length - 1] ?? 0 },
        examples: textQueries.slice(0, 8),
        slowest: [...textRuns].sort((a, b) => b.ms - a.ms).slice(0, 5).map((run) => ({ q: run.q, ms: run.ms, total: run.total })),
      },
      nameSearch: {
        latency: summarize(nameRuns.map((run) => run.ms)),
        typoRecovered: nameRuns.filter((run) => run.found).length / (nameRuns.length || 1),
        examples: nameQueries.slice(0, 8).map((n) => `${n.q} (→ ${n.intended})`),
        slowest: [...nameRuns].sort((a, b) => b.ms - a.ms).slice(0, 5).map((run) => ({ q: run.q, ms: run.ms, total: run.total })),
      },
      http,
      explainFile: plan.explainFile,
      explainText,
      maxRssMiB: kbToMiB(process.resourceUsage().maxRSS),
      serverMemory,
      loadavg: load,
      prototypes,
    };
  } finally {
    if (!closed) await raw.close();
  }
}

async function httpSample(target: Target, n: number, ids: string[], textQueries: string[], nameQueries: string[]): Promise<Record<string, Latency>> {
  const { startServer } = await import("../../src/server.js");
  const { loadConfig } = await import("../../src/config.js");
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent", OVERSIGHT_API_RATE_LIMIT: "100000000", DATABASE_URL: target.databaseUrl ?? "" };
  // With PostgreSQL the data directory only holds the server's secret key: a throwaway one.
  const scratch = target.dataDir ? null : await mkdtemp(join(tmpdir(), "oversight-bench-http-"));
  const config = loadConfig({ dataDir: target.dataDir ?? scratch!, port: 0 }, env);
  const server = await startServer(config, { demo: false });
  log(`${target.engine}: HTTP sample on ${server.url}`);
  try {
    const base = server.url.replace("localhost", "127.0.0.1");
    const time = async (paths: string[]): Promise<Latency> => {
      for (const path of paths.slice(0, 5)) await (await fetch(base + path)).arrayBuffer();
      const samples: number[] = [];
      for (const path of paths) {
        const start = performance.now();
        const response = await fetch(base + path);
        await response.arrayBuffer();
        samples.push(performance.now() - start);
        if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
      }
      return summarize(samples);
    };
    const q = (value: string) => encodeURIComponent(value);
    return {
      "GET /api/v1/officers/:id": await time(ids.slice(0, n).map((id) => `/api/v1/officers/${id}`)),
      "GET /officers/:id (HTML page)": await time(ids.slice(0, n).map((id) => `/officers/${id}`)),
      "GET /api/v1/complaints?q=": await time(textQueries.slice(0, Math.ceil(n / 4)).map((text) => `/api/v1/complaints?q=${q(text)}`)),
      "GET /api/v1/officers?q=": await time(nameQueries.slice(0, Math.ceil(n / 4)).map((name) => `/api/v1/officers?q=${q(name)}`)),
    };
  } finally {
    await server.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** The PostgreSQL server's own memory: its backends' peak and private RSS, read from /proc when the server is local. */
async function postgresMemory(db: Db): Promise<NonNullable<QueryResult["serverMemory"]>> {
  const [{ shared_buffers: sharedBuffers }] = await db.query<{ shared_buffers: string }>("SHOW shared_buffers");
  const pids = await db.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
  let maxHwm: number | null = null;
  let privateRss: number | null = null;
  for (const { pid } of pids) {
    try {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const field = (name: string) => Number(/^(\w+):\s+(\d+) kB/m.exec(status.split("\n").find((line) => line.startsWith(name + ":")) ?? "")?.[2] ?? NaN);
      const hwm = field("VmHWM");
      const anon = field("RssAnon");
      if (Number.isFinite(hwm)) maxHwm = Math.max(maxHwm ?? 0, hwm / 1024);
      if (Number.isFinite(anon)) privateRss = (privateRss ?? 0) + anon / 1024;
    } catch {
      // a remote server: /proc is not ours to read
    }
  }
  return { sharedBuffers, backends: pids.length, maxBackendHwmMiB: maxHwm, backendPrivateRssMiB: privateRss };
}

// ---------------------------------------------------------------- prototypes of fixes

/**
 * Candidate fixes tried in the benchmark's own database only (never in src/):
 * each is applied, the affected requests re-timed, and the change reported
 * next to the measurement without it.
 */
async function runPrototypes(db: Db, target: Target, ids: string[], textQueries: string[]): Promise<PrototypeResult[]> {
  const { prototypes } = await import("./prototypes.js");
  return prototypes(db, target.engine, ids, textQueries);
}
