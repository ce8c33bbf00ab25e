/**
 * Records benchmark: CPDP import rate on PGlite and PostgreSQL, the importer
 * against a plain COPY of the same rows, profile and search latency at one
 * million allegations (real CPDP rows plus synthetic ones drawn from their
 * distributions), peak memory, and `npm start` to first page.
 *
 *   npm run bench:records                    # everything, both engines (13.5 min on the 2-core machine, busy)
 *   npm run bench:records -- --quick         # smoke test: 250k allegations, fewer requests (~6 min)
 *   npm run bench:records -- --only pglite   # or --only postgres
 *   npm run bench:records -- --no-write      # print, do not append to bench/RESULTS.md
 *   npm run bench:records -- --prototype     # also time the fix still only proposed (PGlite: VACUUM after an import)
 *
 * Writes bench/RESULTS.md (appends), bench/explain-<engine>.txt (EXPLAIN ANALYZE
 * of the slowest requests) and bench/records-last.json (every figure of the last
 * run appended to RESULTS.md).
 *
 * PostgreSQL: uses DATABASE_URL's server when set (creating and dropping its own
 * databases there), else starts a throwaway server through scripts/with-postgres.ts.
 * Every step runs in its own process so each peak RSS belongs to one step.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { formatReport, summaryTable, type BenchResults } from "./records/report.js";
import { startupPhases, timeStartup, type StartupPhases, type StartupRun } from "./records/startup.js";
import { log, runSelf } from "./records/util.js";
import { loadWorker, queryWorker, type LoadResult, type QueryResult, type Target } from "./records/workers.js";

const SCRIPT = fileURLToPath(import.meta.url);
const BENCH_DIR = dirname(SCRIPT);
const REPO = resolve(BENCH_DIR, "..");

interface Args {
  quick: boolean;
  only: "pglite" | "postgres" | null;
  write: boolean;
  prototype: boolean;
  worker: string | null;
  out: string | null;
  engine: "pglite" | "postgres";
  dataDir?: string;
  databaseUrl?: string;
  baselineUrl?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: null, write: true, prototype: false, worker: null, out: null, engine: "pglite" };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--quick": args.quick = true; break;
      case "--no-write": args.write = false; break;
      case "--prototype": args.prototype = true; break;
      case "--only": {
        const only = value();
        if (only !== "pglite" && only !== "postgres") throw new Error("--only takes pglite or postgres");
        args.only = only;
        break;
      }
      case "--worker": args.worker = value(); break;
      case "--out": args.out = value(); break;
      case "--engine": args.engine = value() === "postgres" ? "postgres" : "pglite"; break;
      case "--data-dir": args.dataDir = value(); break;
      case "--database-url": args.databaseUrl = value(); break;
      case "--baseline-url": args.baselineUrl = value(); break;
      default: throw new Error(`unknown flag ${flag} (known: --quick, --only pglite|postgres, --no-write, --prototype)`);
    }
  }
  return args;
}

/** Sizes: the full run is the one RESULTS.md quotes; --quick only shows everything works. */
function sizes(quick: boolean) {
  return quick
    ? { targetAllegations: 250_000, profiles: 200, textSearches: 60, nameSearches: 60, http: 40 }
    : { targetAllegations: 1_000_000, profiles: 1_000, textSearches: 300, nameSearches: 300, http: 200 };
}

/** A step that runs longer than this is stopped (a hung COPY stream must not hang the benchmark). */
const STEP_LIMIT = { timeoutMs: 20 * 60_000 };

const passThrough = (args: Args) => [...(args.quick ? ["--quick"] : []), ...(args.prototype ? ["--prototype"] : [])];

// ------------------------------------------------------------------ workers

async function worker(args: Args): Promise<void> {
  if (!args.out) throw new Error("--out is required for a worker");
  const size = sizes(args.quick);
  const target: Target = { engine: args.engine, dataDir: args.dataDir, databaseUrl: args.databaseUrl };
  let result: unknown;
  if (args.worker === "load") result = await loadWorker(target, { targetAllegations: size.targetAllegations, baselineUrl: args.baselineUrl });
  else if (args.worker === "query") {
    result = await queryWorker(target, {
      profiles: size.profiles, textSearches: size.textSearches, nameSearches: size.nameSearches, http: size.http,
      explainFile: join(BENCH_DIR, `explain-${args.engine}.txt`), prototype: args.prototype,
    });
  } else if (args.worker === "postgres-suite") result = await postgresSuite(args);
  else if (args.worker === "startup-phases") result = await startupPhases(args.dataDir!);
  else throw new Error(`unknown worker ${args.worker}`);
  await writeFile(args.out, JSON.stringify(result));
}

interface PostgresSuite {
  load: LoadResult;
  query: QueryResult;
}

function databaseUrlFor(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs inside a process that has DATABASE_URL: two fresh databases on that server, dropped afterwards. */
async function postgresSuite(args: Args): Promise<PostgresSuite> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("postgres-suite needs DATABASE_URL");
  const tag = `${process.pid}_${Date.now().toString(36)}`;
  const main = `oversight_bench_${tag}`;
  const copy = `oversight_bench_copy_${tag}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  const dir = await mkdtemp(join(tmpdir(), "oversight-bench-pg-"));
  try {
    await admin.unsafe(`CREATE DATABASE ${main}`);
    await admin.unsafe(`CREATE DATABASE ${copy}`);
    const target = ["--engine", "postgres", "--database-url", databaseUrlFor(url, main)];
    const load = await runSelf<LoadResult>(SCRIPT, ["--worker", "load", ...target, "--baseline-url", databaseUrlFor(url, copy), ...passThrough(args)], join(dir, "load.json"), STEP_LIMIT);
    await admin.unsafe(`DROP DATABASE IF EXISTS ${copy}`);
    const query = await runSelf<QueryResult>(SCRIPT, ["--worker", "query", ...target, ...passThrough(args)], join(dir, "query.json"), STEP_LIMIT);
    return { load, query };
  } finally {
    for (const database of [copy, main]) await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    await admin.end({ timeout: 5 });
    await rm(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ orchestrator

function gitDescription(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO, encoding: "utf8" }).trim();
    const changed = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: REPO, encoding: "utf8" }).split("\n").filter(Boolean).length;
    return changed ? `${head} + ${changed} uncommitted change(s) under src/` : head;
  } catch {
    return "unknown";
  }
}

function pgliteVersion(): string {
  try {
    return JSON.parse(readFileSync(join(REPO, "node_modules/@electric-sql/pglite/package.json"), "utf8")).version as string;
  } catch {
    return "?";
  }
}

async function orchestrate(args: Args): Promise<void> {
  const started = Date.now();
  const results: BenchResults = {
    date: new Date().toISOString(),
    quick: args.quick,
    prototype: args.prototype,
    machine: {
      cpu: cpus()[0]?.model ?? "unknown",
      cores: cpus().length,
      memoryGiB: totalmem() / 1024 ** 3,
      node: process.version,
      pglite: pgliteVersion(),
      postgres: null,
      postgresServer: process.env.DATABASE_URL ? "DATABASE_URL's server" : "throwaway server from scripts/with-postgres.ts (fsync=off, shared_buffers default)",
      git: gitDescription(),
      loadStart: loadavg(),
      loadEnd: [],
    },
    sizes: sizes(args.quick),
  };
  const dir = await mkdtemp(join(tmpdir(), "oversight-bench-"));
  try {
    if (args.only !== "postgres") {
      const dataDir = join(dir, "pglite-data");
      const target = ["--engine", "pglite", "--data-dir", dataDir];
      log("PGlite: load step");
      const load = await runSelf<LoadResult>(SCRIPT, ["--worker", "load", ...target, ...passThrough(args)], join(dir, "pglite-load.json"), STEP_LIMIT);
      log("PGlite: query step");
      const query = await runSelf<QueryResult>(SCRIPT, ["--worker", "query", ...target, ...passThrough(args)], join(dir, "pglite-query.json"), STEP_LIMIT);
      results.pglite = { load, query };
      await rm(dataDir, { recursive: true, force: true });
    }
    if (args.only !== "pglite") {
      log(`PostgreSQL: ${process.env.DATABASE_URL ? "using DATABASE_URL's server" : "starting a throwaway server"}`);
      const out = join(dir, "postgres.json");
      const suiteArgs = ["--worker", "postgres-suite", ...passThrough(args)];
      let suite: PostgresSuite;
      if (process.env.DATABASE_URL) suite = await runSelf<PostgresSuite>(SCRIPT, suiteArgs, out);
      else {
        const withPostgres = join(REPO, "scripts/with-postgres.ts");
        // with-postgres.ts runs "<node> <loader flags> bench/records.ts …" with DATABASE_URL set, then stops the server.
        suite = await runSelf<PostgresSuite>(withPostgres, [process.execPath, ...process.execArgv, SCRIPT, ...suiteArgs], out);
      }
      results.postgres = { load: suite.load, query: suite.query };
      results.machine.postgres = suite.load.serverVersion;
    }
    if (args.only !== "postgres") {
      log("start to first page: two fresh data directories");
      const runs: StartupRun[] = [];
      for (let i = 0; i < 2; i++) runs.push(await timeStartup(REPO));
      results.startup = runs;
      log("start-up phases, timed in a fresh process");
      results.startupPhases = await runSelf<StartupPhases>(SCRIPT, ["--worker", "startup-phases", "--data-dir", join(dir, "startup-phases")], join(dir, "startup-phases.json"), STEP_LIMIT);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  results.machine.loadEnd = loadavg();
  results.minutes = (Date.now() - started) / 60_000;

  console.log(summaryTable(results));
  const section = formatReport(results);
  const file = join(BENCH_DIR, "RESULTS.md");
  if (args.write) {
    if (!existsSync(file)) await writeFile(file, "# Benchmark results\n\nEach run of `npm run bench:records` appends a dated section below. Figures are measured, never edited.\n");
    await appendFile(file, `\n${section}`);
    for (const engine of [results.pglite, results.postgres]) if (engine) await writeFile(engine.query.explainFile, engine.query.explainText);
    // The raw figures of the run just appended, for anyone who wants more than the Markdown.
    await writeFile(join(BENCH_DIR, "records-last.json"), JSON.stringify(results, null, 2));
    log(`appended to ${file}`);
  } else {
    console.log(section);
  }
}

const args = parseArgs(process.argv.slice(2));
(args.worker ? worker(args) : orchestrate(args)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
