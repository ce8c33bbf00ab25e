/**
 * `npm start` to first page: spawn the CLI's `serve --demo` on a fresh data
 * directory and time until GET / answers 200. Embedded PGlite, as `npm start`
 * uses (DATABASE_URL is removed from the child's environment).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, log, sleep } from "./util.js";

export interface StartupRun {
  seconds: number;
  /** What the server itself printed as "ready in N ms" (migrate + demo load + listen). */
  readyMs: number | null;
}

export async function timeStartup(repoRoot: string, timeoutMs = 120_000): Promise<StartupRun> {
  const dir = await mkdtemp(join(tmpdir(), "oversight-bench-start-"));
  const port = await freePort();
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const start = performance.now();
  // Its own process group, so the npx → node chain it starts can be stopped together by this child's pid.
  const child = spawn("npx", ["tsx", "src/cli/main.ts", "serve", "--demo", "--data-dir", join(dir, "data"), "--port", String(port)], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));
  try {
    while (performance.now() - start < timeoutMs) {
      if (exited) throw new Error(`the server exited before answering:\n${output}`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        await response.arrayBuffer();
        if (response.status === 200) {
          const seconds = (performance.now() - start) / 1000;
          const ready = /ready in (\d+) ms/.exec(output);
          return { seconds, readyMs: ready ? Number(ready[1]) : null };
        }
      } catch {
        // not listening yet
      }
      await sleep(25);
    }
    throw new Error(`no 200 from / within ${timeoutMs / 1000} s:\n${output}`);
  } finally {
    if (!exited && child.pid) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      for (let i = 0; i < 200 && !exited; i++) await sleep(25);
      if (!exited) {
        log("startup: server did not stop on SIGTERM; sending SIGKILL to its process group");
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
}

export interface StartupPhases {
  /** Node start to this function running (tsx loader, the benchmark's own imports). */
  processToMainMs: number;
  importServerModulesMs: number;
  /** PGlite.create on an empty directory (includes its initdb). */
  connectMs: number;
  migrateMs: number;
  demoMs: number;
  /** startServer on the now-prepared directory: reopen, nothing to migrate, no demo to load, listen. */
  restartMs: number;
  firstPageMs: number;
  demoStatements: { statement: string; n: number; totalMs: number }[];
}

/**
 * The steps startServer takes, timed one by one in a fresh process on a fresh
 * data directory, to say where the start-up time goes.
 */
export async function startupPhases(dataDir: string): Promise<StartupPhases> {
  const processToMainMs = process.uptime() * 1000;
  let t = performance.now();
  const { connect } = await import("../../src/db/connect.js");
  const { migrate } = await import("../../src/db/migrate.js");
  const { loadDemo } = await import("../../src/records/demo.js");
  const { isEmpty } = await import("../../src/records/service.js");
  const { startServer } = await import("../../src/server.js");
  const { loadConfig } = await import("../../src/config.js");
  const { timingDb, statementKey } = await import("./util.js");
  const importServerModulesMs = performance.now() - t;
  t = performance.now();
  const raw = await connect({ dataDir });
  const connectMs = performance.now() - t;
  const statements = new Map<string, { n: number; totalMs: number }>();
  const db = timingDb(raw, (timing) => {
    const key = statementKey(timing.text, 80);
    const entry = statements.get(key) ?? { n: 0, totalMs: 0 };
    entry.n += 1;
    entry.totalMs += timing.ms;
    statements.set(key, entry);
  });
  let migrateMs = 0;
  let demoMs = 0;
  try {
    t = performance.now();
    await migrate(db);
    migrateMs = performance.now() - t;
    statements.clear();
    t = performance.now();
    if (await isEmpty(db)) await loadDemo(db);
    demoMs = performance.now() - t;
  } finally {
    await raw.close();
  }
  t = performance.now();
  const server = await startServer(loadConfig({ dataDir, port: 0 }, { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "" }), { demo: true });
  const restartMs = performance.now() - t;
  try {
    t = performance.now();
    const response = await fetch(server.url.replace("localhost", "127.0.0.1") + "/");
    await response.arrayBuffer();
    const firstPageMs = performance.now() - t;
    return {
      processToMainMs, importServerModulesMs, connectMs, migrateMs, demoMs, restartMs, firstPageMs,
      demoStatements: [...statements].map(([statement, v]) => ({ statement, ...v })).sort((a, b) => b.totalMs - a.totalMs).slice(0, 6),
    };
  } finally {
    await server.close();
  }
}
