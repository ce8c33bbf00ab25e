/** Small helpers the records benchmark shares: seeded randomness, percentiles, a timing Db wrapper, child processes. */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { Db, Queryable, Row } from "../../src/db/db.js";

/** mulberry32: a small seeded generator, so two runs draw the same synthetic data and the same samples. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Draws indexes with probability proportional to weight (weights ≥ 0). */
export function weightedSampler(weights: readonly number[]): (random: () => number) => number {
  const cumulative = new Float64Array(weights.length);
  let total = 0;
  weights.forEach((weight, i) => (cumulative[i] = total += Math.max(0, weight)));
  return (random) => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export interface Latency {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles of milliseconds. */
export function summarize(samples: readonly number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
  const mean = sorted.reduce((sum, x) => sum + x, 0) / (sorted.length || 1);
  return { n: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1] ?? NaN, mean };
}

export interface StatementTiming {
  text: string;
  params: readonly unknown[];
  ms: number;
  /** performance.now() when the statement was sent and when its answer arrived. */
  start: number;
  end: number;
}

/**
 * PGlite runs one statement at a time, in the order sent, so a statement sent
 * alongside others (Promise.all) waits for them: its own share is the time
 * from the later of its start and the previous statement's end.
 */
export function exclusiveTimings(timings: readonly StatementTiming[]): StatementTiming[] {
  let previousEnd = -Infinity;
  return [...timings]
    .sort((a, b) => a.end - b.end)
    .map((timing) => {
      const ms = timing.end - Math.max(timing.start, previousEnd);
      previousEnd = timing.end;
      return { ...timing, ms };
    });
}

/**
 * Wraps a Db so every statement's time is recorded (the wrapper adds one
 * performance.now() pair per statement). COPY goes to the real transaction
 * object, which the drivers need.
 */
export function timingDb(inner: Db, onStatement: (timing: StatementTiming) => void): Db {
  const originals = new WeakMap<Queryable, Queryable>();
  const wrap = (target: Queryable): Queryable => {
    const wrapped: Queryable = {
      async query<T = Row>(text: string, params: readonly unknown[] = []) {
        const start = performance.now();
        try {
          return await target.query<T>(text, params);
        } finally {
          const end = performance.now();
          onStatement({ text, params, ms: end - start, start, end });
        }
      },
      async exec(text: string) {
        const start = performance.now();
        try {
          await target.exec(text);
        } finally {
          const end = performance.now();
          onStatement({ text, params: [], ms: end - start, start, end });
        }
      },
    };
    originals.set(wrapped, target);
    return wrapped;
  };
  const root = wrap(inner);
  return {
    kind: inner.kind,
    query: root.query,
    exec: root.exec,
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    async copyRows(tx, table, columns, rows) {
      const start = performance.now();
      try {
        await inner.copyRows(originals.get(tx) ?? tx, table, columns, rows);
      } finally {
        const end = performance.now();
        onStatement({ text: `COPY ${table} (${rows.length} rows)`, params: [], ms: end - start, start, end });
      }
    },
    close: () => inner.close(),
  };
}

/** A statement's first words with whitespace folded, to group timings by statement. */
export const statementKey = (text: string, length = 110) => text.replace(/\s+/g, " ").trim().replace(/^COPY (\w+) \(\d+ rows\)$/, "COPY $1").slice(0, length);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Runs a command with inherited output; resolves with its exit code. A step that hangs is stopped after timeoutMs. */
export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    const timer = timeoutMs
      ? setTimeout(() => {
          log(`step ${args.filter((arg) => arg.startsWith("--worker") || !arg.startsWith("-")).slice(-2).join(" ")} ran over ${timeoutMs / 60_000} min: stopping it (pid ${child.pid})`);
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
        }, timeoutMs)
      : null;
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Re-runs this script (same node and tsx loader) as a child and reads the JSON it writes to --out. */
export async function runSelf<T>(script: string, args: readonly string[], outFile: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<T> {
  const code = await run(process.execPath, [...process.execArgv, script, ...args, "--out", outFile], options.env ?? process.env, options.timeoutMs);
  if (code !== 0) throw new Error(`benchmark step ${args.join(" ")} exited with code ${code}`);
  return JSON.parse(await readFile(outFile, "utf8")) as T;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const seconds = (ms: number) => ms / 1000;

export function log(message: string): void {
  const stamp = new Date().toISOString().slice(11, 19);
  console.error(`[bench ${stamp}] ${message}`);
}

/** Kilobytes → MiB, for process.resourceUsage().maxRSS. */
export const kbToMiB = (kb: number) => kb / 1024;
