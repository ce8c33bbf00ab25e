/**
 * npm run bench:intake — sustained complaint submissions per second, with an
 * evidence file attached, and their latency, over loopback HTTP against a real
 * server process. Run once per engine (PGlite in a temp data directory; a
 * PostgreSQL server when DATABASE_URL is set). Appends to bench/RESULTS.md.
 *
 *   tsx bench/intake.ts [--seconds 20] [--concurrency 16]
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jpegWithMetadata } from "../src/cases/evidence/fixtures.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const SECONDS = option("seconds", 20);
const CONCURRENCY = option("concurrency", 16);
const ENGINE = process.env.DATABASE_URL ? "postgres" : "pglite";

/**
 * A real JPEG with EXIF (orientation, GPS) that the server must check and strip,
 * the same fixture the evidence tests use.
 */
function evidenceBytes(): Uint8Array<ArrayBuffer> {
  return jpegWithMetadata();
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "oversight-bench-intake-"));
  const port = await freePort();
  const server = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--port", String(port), "--data-dir", dataDir], {
    cwd: ROOT, env: { ...process.env, LOG_LEVEL: "silent", OVERSIGHT_INTAKE_RATE_LIMIT: "1000000" }, stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`${base}/complaints/new`)).ok) break;
      } catch { /* starting */ }
      if (i > 600) throw new Error("server did not start");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const form = await fetch(`${base}/complaints/new`);
    const csrf = /oversight_csrf=([^;]+)/.exec(form.headers.get("set-cookie") ?? "")![1];
    const photo = new Blob([evidenceBytes()], { type: "image/jpeg" });
    let n = 0;
    const submitOnce = async (): Promise<{ ok: boolean; ms: number }> => {
      const body = new FormData();
      body.append("_csrf", csrf);
      body.append("narrative", `Benchmark complaint ${n++}: an officer pushed me during a stop and refused to give a badge number.`);
      body.append("categories", "excessive_force");
      body.append("officer_badge_0", String(1000 + (n % 500)));
      body.append("anonymous", "1");
      body.append("evidence", photo, "photo.jpg");
      const started = performance.now();
      const response = await fetch(`${base}/complaints/new`, { method: "POST", body, headers: { cookie: `oversight_csrf=${csrf}` } });
      const html = await response.text();
      return { ok: response.ok && html.includes('data-testid="case-number"'), ms: performance.now() - started };
    };
    for (let i = 0; i < 30; i += 1) await submitOnce();
    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const result = await submitOnce();
        if (result.ok) latencies.push(result.ms);
        else errors += 1;
      }
    }));
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const rate = latencies.length / elapsed;
    const summary = {
      engine: ENGINE, seconds: Number(elapsed.toFixed(1)), concurrency: CONCURRENCY, accepted: latencies.length, errors,
      perSecond: Number(rate.toFixed(1)), p50: Number(percentile(latencies, 50).toFixed(1)), p99: Number(percentile(latencies, 99).toFixed(1)),
    };
    console.log(JSON.stringify(summary));
    appendFileSync(join(ROOT, "bench/RESULTS.md"), [
      "",
      `## Intake: complaint submissions with a photo carrying EXIF and GPS (${ENGINE}), ${new Date().toISOString().slice(0, 10)}`,
      "",
      `Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}. Command: \`npm run bench:intake\`.`,
      `Each submission is a multipart POST /complaints/new over loopback HTTP (CSRF token, narrative, a category, an officer badge, one JPEG with EXIF and GPS that the server type-checks, strips and stores with its chain of custody) to a real server process; ${CONCURRENCY} concurrent clients for ${summary.seconds} s after 30 warm-up submissions.`,
      "",
      "| engine | accepted | errors | submissions/s | p50 ms | p99 ms |",
      "|---|---|---|---|---|---|",
      `| ${ENGINE} | ${summary.accepted} | ${summary.errors} | ${summary.perSecond} | ${summary.p50} | ${summary.p99} |`,
      "",
    ].join("\n"));
  } finally {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
