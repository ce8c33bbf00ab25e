/**
 * npm run bench:body — what oversized anonymous requests cost the server: six
 * parallel 200 MB POSTs to /login (declared with Content-Length, streamed), and
 * six undeclared (chunked) ones. Reports each answer's status, the bytes the
 * client could send before it, and the server's resident memory (VmRSS now,
 * VmHWM peak) before and after, as a ratio to the idle server in the same run.
 * Appends to bench/RESULTS.md.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SIZE = 200 * 1024 * 1024;
const PARALLEL = 6;

function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb("VmRSS") / 1024), peakMb: Math.round(kb("VmHWM") / 1024) };
}

/** Streams up to SIZE bytes until the server answers or closes; resolves with the status and bytes sent. */
function oversizedPost(port: number, declared: boolean): Promise<{ status: number | string; sentMb: number }> {
  return new Promise((resolve) => {
    let sent = 0;
    let done = false;
    const finish = (status: number | string) => {
      if (done) return;
      done = true;
      resolve({ status, sentMb: Math.round(sent / 1024 / 1024) });
    };
    const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
    if (declared) headers["content-length"] = String(SIZE);
    const request = http.request({ host: "127.0.0.1", port, path: "/login", method: "POST", headers }, (response) => {
      response.resume();
      finish(response.statusCode ?? 0);
      request.destroy();
    });
    request.on("error", (error) => finish(`closed (${(error as NodeJS.ErrnoException).code ?? error.message})`));
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const pump = () => {
      while (!done && sent < SIZE) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", pump);
      }
      if (!done) request.end();
    };
    pump();
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), "oversight-bench-body-"));
  const server = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", "--data-dir", dataDir], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      server.stdout!.on("data", (chunk: Buffer) => {
        out += chunk;
        const found = /serving at http:\/\/localhost:(\d+)/.exec(out);
        if (found) resolve(Number(found[1]));
      });
      server.once("exit", () => reject(new Error("server exited")));
    });
    for (let i = 0; i < 20; i++) await (await fetch(`http://127.0.0.1:${port}/login`)).text();
    const idle = memory(server.pid!);
    const declared = await Promise.all(Array.from({ length: PARALLEL }, () => oversizedPost(port, true)));
    const afterDeclared = memory(server.pid!);
    const chunked = await Promise.all(Array.from({ length: PARALLEL }, () => oversizedPost(port, false)));
    const afterChunked = memory(server.pid!);
    const stillServes = (await fetch(`http://127.0.0.1:${port}/login`)).status;
    const summary = { idle, declared, afterDeclared, chunked, afterChunked, stillServes };
    console.log(JSON.stringify(summary, null, 1));
    const row = (label: string, answers: typeof declared, after: ReturnType<typeof memory>) =>
      `| ${label} | ${[...new Set(answers.map((a) => a.status))].join(", ")} | ${Math.max(...answers.map((a) => a.sentMb))} | ${after.rssMb} | ${after.peakMb} | ${(after.peakMb / idle.peakMb).toFixed(2)}x |`;
    appendFileSync(join(ROOT, "bench/RESULTS.md"), [
      "",
      `## Oversized anonymous POSTs to /login, ${new Date().toISOString().slice(0, 10)}`,
      "",
      `Machine: ${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}. Command: \`npm run bench:body\`.`,
      `${PARALLEL} parallel POSTs of ${SIZE / 1024 / 1024} MB each to a real server process (PGlite), first declared with Content-Length, then chunked. Idle server: ${idle.rssMb} MB resident, peak ${idle.peakMb} MB. The server answered a normal request afterwards with ${stillServes}.`,
      "",
      "| requests | answers | most MB a client sent before the answer | server MB resident after | server peak MB | peak / idle peak |",
      "|---|---|---|---|---|---|",
      row("declared (Content-Length)", declared, afterDeclared),
      row("undeclared (chunked)", chunked, afterChunked),
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
