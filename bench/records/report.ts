/** Turns the benchmark's figures into the stdout summary and the Markdown section appended to bench/RESULTS.md. */
import type { StartupPhases, StartupRun } from "./startup.js";
import type { Latency } from "./util.js";
import type { LoadResult, QueryResult, StatementSummary } from "./workers.js";

export interface EngineResults {
  load: LoadResult;
  query: QueryResult;
}

export interface BenchResults {
  date: string;
  quick: boolean;
  prototype: boolean;
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    node: string;
    pglite: string;
    postgres: string | null;
    postgresServer: string;
    git: string;
    loadStart: number[];
    loadEnd: number[];
  };
  sizes: { targetAllegations: number; profiles: number; textSearches: number; nameSearches: number; http: number };
  pglite?: EngineResults;
  postgres?: EngineResults;
  startup?: StartupRun[];
  startupPhases?: StartupPhases;
  minutes?: number;
}

export const TARGETS = {
  copyRatio: 2.0,
  profileP99: { pglite: 50, postgres: 20 },
  textP99: 150,
  startupSeconds: 10,
} as const;

const int = (n: number) => Math.round(n).toLocaleString("en-US");
const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const s1 = (n: number) => n.toFixed(1);
const mib = (n: number) => `${int(n)} MiB`;
const lat = (l: Latency | undefined) => (l ? `${ms(l.p50)} / ${ms(l.p99)} ms` : "—");
const verdict = (ok: boolean) => (ok ? "met" : "**MISSED**");
const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");

function ratio(pg: EngineResults | undefined): number | null {
  const baseline = pg?.load.baseline;
  return pg && baseline ? pg.load.import.seconds / (baseline.totalMs / 1000) : null;
}

/** Importer CPU (Node + server backends) ÷ COPY CPU (Node + backend): steadier than wall time on a busy machine. */
function cpuRatio(pg: EngineResults | undefined): number | null {
  const b = pg?.load.baseline;
  const c = pg?.load.import.cpu;
  if (!b || !c || c.backendSeconds === null || b.cpu.backendSeconds === null) return null;
  return (c.nodeSeconds + c.backendSeconds) / (b.cpu.nodeSeconds + b.cpu.backendSeconds);
}

function rowsInDb(load: LoadResult): number {
  return Object.entries(load.import.tables)
    .filter(([table]) => !["agencies", "import_runs", "source_files"].includes(table))
    .reduce((sum, [, n]) => sum + n, 0);
}

interface Line {
  measure: string;
  pglite: string;
  postgres: string;
  target: string;
  verdict: string;
}

function lines(r: BenchResults): Line[] {
  const { pglite: lite, postgres: pg } = r;
  const both = (f: (e: EngineResults) => string) => ({ pglite: lite ? f(lite) : "—", postgres: pg ? f(pg) : "—" });
  const out: Line[] = [];
  out.push({ measure: "CPDP import, wall time (8 files)", ...both((e) => `${s1(e.load.import.seconds)} s`), target: "—", verdict: "" });
  out.push({ measure: "CPDP import, source rows/s", ...both((e) => `${int(e.load.import.sourceRows / e.load.import.seconds)} rows/s`), target: "—", verdict: "" });
  const q = ratio(pg);
  if (pg?.load.baseline) {
    const b = pg.load.baseline;
    out.push({
      measure: "Importer ÷ plain COPY of the same rows (PostgreSQL)",
      pglite: "n/a",
      postgres: `${q!.toFixed(2)}× (${s1(pg.load.import.seconds)} s vs ${s1(b.totalMs / 1000)} s; ${int(rowsInDb(pg.load) / pg.load.import.seconds)} vs ${int(b.totalRows / (b.totalMs / 1000))} rows/s)${cpuRatio(pg) === null ? "" : `; by CPU time ${cpuRatio(pg)!.toFixed(2)}×`}`,
      target: `≤ ${TARGETS.copyRatio.toFixed(1)}×`,
      verdict: verdict(q! <= TARGETS.copyRatio),
    });
  }
  const profileOk = [lite && lite.query.profile.all.p99 < TARGETS.profileP99.pglite, pg && pg.query.profile.all.p99 < TARGETS.profileP99.postgres].filter((x) => x !== undefined);
  out.push({
    measure: "Officer profile p50 / p99 (service)",
    ...both((e) => lat(e.query.profile.all)),
    target: `p99 < ${TARGETS.profileP99.pglite} ms PGlite, < ${TARGETS.profileP99.postgres} ms PostgreSQL`,
    verdict: [lite ? `PGlite ${verdict(lite.query.profile.all.p99 < TARGETS.profileP99.pglite)}` : "", pg ? `PostgreSQL ${verdict(pg.query.profile.all.p99 < TARGETS.profileP99.postgres)}` : ""].filter(Boolean).join(", ") || String(profileOk),
  });
  out.push({ measure: "… heavy officers (weighted by allegations)", ...both((e) => lat(e.query.profile.heavy)), target: "", verdict: "" });
  out.push({ measure: "… uniformly sampled officers", ...both((e) => lat(e.query.profile.uniform)), target: "", verdict: "" });
  out.push({
    measure: "Full-text complaint search p50 / p99 (service)",
    ...both((e) => lat(e.query.textSearch.latency)),
    target: `p99 < ${TARGETS.textP99} ms`,
    verdict: [lite ? `PGlite ${verdict(lite.query.textSearch.latency.p99 < TARGETS.textP99)}` : "", pg ? `PostgreSQL ${verdict(pg.query.textSearch.latency.p99 < TARGETS.textP99)}` : ""].filter(Boolean).join(", "),
  });
  out.push({ measure: "Officer name search, misspelled, p50 / p99 (service)", ...both((e) => `${lat(e.query.nameSearch.latency)} (typo recovered ${Math.round(e.query.nameSearch.typoRecovered * 100)}%)`), target: "—", verdict: "" });
  out.push({ measure: `Peak RSS, query process at ${int(r.sizes.targetAllegations)} allegations`, ...both((e) => mib(e.query.maxRssMiB) + (e.load.engine === "postgres" ? " (client only)" : " (includes the database)")), target: "—", verdict: "" });
  out.push({ measure: "Peak RSS, import + synthetic load process", ...both((e) => mib(e.load.maxRssMiB)), target: "—", verdict: "" });
  if (pg?.query.serverMemory) {
    const m = pg.query.serverMemory;
    out.push({ measure: "PostgreSQL server memory (separate process)", pglite: "n/a", postgres: `shared_buffers ${m.sharedBuffers}; backend peak ${m.maxBackendHwmMiB === null ? "n/a" : mib(m.maxBackendHwmMiB)}`, target: "—", verdict: "" });
  }
  if (r.startup?.length) {
    const first = r.startup[0];
    out.push({
      measure: "`npm start` to first page (fresh data dir)",
      pglite: r.startup.map((run) => `${s1(run.seconds)} s`).join(", "),
      postgres: "n/a",
      target: `< ${TARGETS.startupSeconds} s`,
      verdict: verdict(first.seconds < TARGETS.startupSeconds && r.startup.every((run) => run.seconds < TARGETS.startupSeconds)),
    });
  }
  return out;
}

/** A plain-text table for the terminal. */
export function summaryTable(r: BenchResults): string {
  const rows = [["measure", "PGlite", "PostgreSQL", "target", "verdict"], ...lines(r).map((l) => [l.measure, l.pglite, l.postgres, l.target, l.verdict.replace(/\*\*/g, "")])];
  const widths = rows[0].map((_, i) => Math.min(70, Math.max(...rows.map((row) => row[i].length))));
  const fmt = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join(" | ");
  return [`\nRecords benchmark${r.quick ? " (quick)" : ""}: ${r.machine.cpu}, ${r.machine.cores} cores, node ${r.machine.node}, PostgreSQL ${r.machine.postgres ?? "—"}`, fmt(rows[0]), widths.map((w) => "-".repeat(w)).join("-+-"), ...rows.slice(1).map(fmt), ""].join("\n");
}

function statementTable(statements: StatementSummary[]): string {
  return [
    "| statement | n | total | p50 | p99 | max |",
    "|---|---:|---:|---:|---:|---:|",
    ...statements.map((st) => `| \`${st.statement.replace(/\|/g, "\\|")}\` | ${st.n} | ${int(st.totalMs)} ms | ${ms(st.p50)} ms | ${ms(st.p99)} ms | ${ms(st.max)} ms |`),
  ].join("\n");
}

function latencyRow(name: string, l: Latency): string {
  return `| ${name} | ${l.n} | ${ms(l.p50)} | ${ms(l.p90)} | ${ms(l.p99)} | ${ms(l.max)} | ${ms(l.mean)} |`;
}

export function formatReport(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`## Records import and reads (bench/records.ts), ${r.date.slice(0, 16).replace("T", " ")} UTC${r.quick ? " — QUICK smoke run (small synthetic set), not reference figures" : ""}`);
  out.push("");
  out.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB RAM; Node ${m.node}; PGlite ${m.pglite}; PostgreSQL ${m.postgres ?? "—"} (${m.postgresServer}).`);
  out.push(`- Code: ${m.git}. Load average (1/5/15 min) at start ${loads(m.loadStart)}, at end ${loads(m.loadEnd)}${m.loadStart[0] > m.cores * 0.75 ? " — **other work was running on this machine; latencies and rates are pessimistic**" : ""}. Whole run: ${r.minutes?.toFixed(1) ?? "?"} min.`);
  out.push(`- Reads are timed through the service functions the HTTP routes call (\`officerProfile\`, \`searchComplaints\`, \`searchOfficers\`), one request at a time, after 20 warm-up requests; percentiles are nearest-rank.`);
  out.push("");
  out.push("| measure | PGlite | PostgreSQL | target | verdict |");
  out.push("|---|---|---|---|---|");
  for (const l of lines(r)) out.push(`| ${l.measure} | ${l.pglite} | ${l.postgres} | ${l.target} | ${l.verdict} |`);
  out.push("");

  for (const [name, e] of [["PGlite", r.pglite], ["PostgreSQL", r.postgres]] as const) {
    if (!e) continue;
    const load = e.load;
    const imp = load.import;
    out.push(`### ${name}: CPDP import`);
    out.push("");
    out.push(`${int(imp.sourceRows)} source rows in ${imp.files.length} files → ${int(rowsInDb(load))} rows in the records tables (${int(imp.rowsStaged)} staged, before the accused-file merge) in **${s1(imp.seconds)} s** (${int(imp.sourceRows / imp.seconds)} source rows/s; ${int(rowsInDb(load) / imp.seconds)} stored rows/s). Before the first COPY (file headers and stored officers read; CPDP then loads the use-of-force reports while it reads the accused files ahead, and links officers while the complaints load): ${imp.prepareSeconds === null ? "?" : `${s1(imp.prepareSeconds)} s`}. Time inside SQL and COPY: ${s1(imp.sqlSeconds)} s; the rest (${s1(Math.max(0, imp.seconds - imp.sqlSeconds))} s) is CSV parsing, identity linking and row building in Node${load.engine === "postgres" ? " (on PostgreSQL up to six batches queue behind the one loading while Node goes on parsing)" : ""}. CPU: Node ${s1(imp.cpu.nodeSeconds)} s${imp.cpu.backendSeconds === null ? "" : `, PostgreSQL backends ${s1(imp.cpu.backendSeconds)} s`} (wall ${s1(imp.seconds)} s). Load average when it started: ${loads(imp.loadavg)}.`);
    out.push("");
    out.push("Where the import's SQL time goes (top statements):");
    out.push("");
    out.push(statementTable(imp.statements));
    out.push("");
    if (load.baseline) {
      const b = load.baseline;
      out.push(`### ${name}: importer against plain COPY`);
      out.push("");
      out.push(`Baseline: after the import, every table the import wrote was dumped with \`COPY (SELECT <all stored columns>) TO STDOUT\` (${s1(b.dumpMs / 1000)} s, not timed as part of the baseline), then loaded into a fresh database migrated with the same migrations (same indexes, constraints and foreign keys, generated tsvector column) with \`COPY … FROM STDIN\` through postgres.js \`.writable()\`, in one transaction as the importer's run is. Same server, same settings.`);
      out.push("");
      out.push(`| table | rows | CSV bytes | COPY time | rows/s |`);
      out.push(`|---|---:|---:|---:|---:|`);
      for (const t of b.tables) out.push(`| ${t.table} | ${int(t.rows)} | ${int(t.bytes)} | ${int(t.ms)} ms | ${int(t.rows / (t.ms / 1000))} |`);
      out.push(`| **all, one transaction** | ${int(b.totalRows)} | | **${int(b.totalMs)} ms** | ${int(b.totalRows / (b.totalMs / 1000))} |`);
      out.push(`| RowSink tables only (no bookkeeping or derived tables) | ${int(b.sinkRows)} | | ${int(b.sinkMs)} ms | ${int(b.sinkRows / (b.sinkMs / 1000))} |`);
      out.push("");
      out.push(`Importer ÷ COPY: **${(imp.seconds / (b.totalMs / 1000)).toFixed(2)}×** against all tables; ${(imp.seconds / (b.sinkMs / 1000)).toFixed(2)}× against the RowSink tables alone (target ≤ ${TARGETS.copyRatio.toFixed(1)}×). CPU during the baseline: Node ${s1(b.cpu.nodeSeconds)} s, backend ${b.cpu.backendSeconds === null ? "n/a" : `${s1(b.cpu.backendSeconds)} s`}${cpuRatio(e) === null ? "" : `; importer ÷ COPY by CPU seconds (Node + server): ${cpuRatio(e)!.toFixed(2)}×`}.`);
      out.push("");
    }
    const syn = load.synthetic;
    out.push(`### ${name}: reads at ${int(e.query.counts.allegations ?? 0)} allegations`);
    out.push("");
    out.push(`Synthetic rows (agency \`synthetic-bench\`, import run format \`synthetic-bench\`, complaint ids \`SYN-…\`) drawn from the imported CPDP distributions: ${int(syn.allegations)} allegations, ${int(syn.complaints)} complaints, ${int(syn.people)} officers, ${int(syn.discipline)} discipline rows, COPYed through \`db.copyRows\` in ${syn.batches} transactions with the ${syn.indexesRebuilt.length} secondary indexes of those tables dropped and rebuilt afterwards (rebuild ${s1(syn.rebuildSeconds)} s), ${s1(syn.seconds)} s in all. Complaints per synthetic officer: mean ${syn.complaintsPerOfficer.mean.toFixed(1)}, p99 ${syn.complaintsPerOfficer.p99}, max ${syn.complaintsPerOfficer.max}. Then \`refreshDerived\` took ${s1(load.refreshDerivedSeconds)} s (every import pays this over the whole database) and \`ANALYZE\` ${s1(load.analyzeSeconds)} s.`);
    out.push("");
    out.push(`Database: ${Object.entries(e.query.counts).map(([t, n]) => `${t} ${int(n)}`).join(", ")}.`);
    out.push("");
    out.push("| request (service) | n | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
    out.push("|---|---:|---:|---:|---:|---:|---:|");
    out.push(latencyRow("officer profile, all", e.query.profile.all));
    out.push(latencyRow("officer profile, heavy officers (weighted by allegations)", e.query.profile.heavy));
    out.push(latencyRow("officer profile, uniform over all people", e.query.profile.uniform));
    out.push(latencyRow("full-text complaint search", e.query.textSearch.latency));
    out.push(latencyRow("officer name search (misspelled)", e.query.nameSearch.latency));
    out.push("");
    out.push("| request over HTTP (real port, keep-alive, one at a time) | n | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
    out.push("|---|---:|---:|---:|---:|---:|---:|");
    for (const [route, l] of Object.entries(e.query.http)) out.push(latencyRow(route, l));
    out.push("");
    out.push(`Text queries (examples): ${e.query.textSearch.examples.map((x) => `\`${x}\``).join(", ")}; matching complaints per query p50 ${int(e.query.textSearch.matches.p50)}, max ${int(e.query.textSearch.matches.max)}. Slowest: ${e.query.textSearch.slowest.map((x) => `\`${x.q}\` ${ms(x.ms)} ms (${int(x.total)} matches)`).join("; ")}.`);
    out.push("");
    out.push(`Name queries (examples): ${e.query.nameSearch.examples.map((x) => `\`${x}\``).join(", ")}. Slowest: ${e.query.nameSearch.slowest.map((x) => `\`${x.q}\` ${ms(x.ms)} ms`).join("; ")}.`);
    out.push("");
    out.push(`Slowest profiles: ${e.query.profile.slowest.map((x) => `${ms(x.ms)} ms (${int(x.allegations)} allegations)`).join(", ")}. Statements inside the profile requests (the profile runs 8 queries${load.engine === "postgres" ? " in parallel on the pool" : ", serialised on PGlite's one connection"}):`);
    out.push("");
    out.push(statementTable(e.query.profile.statements));
    out.push("");
    out.push("Statements inside the text searches:");
    out.push("");
    out.push(statementTable(e.query.textSearch.statements));
    out.push("");
    out.push(`Peak RSS: query process ${mib(e.query.maxRssMiB)}${load.engine === "pglite" ? " (PGlite runs inside it)" : " (Node client only"}${e.query.serverMemory ? `; the PostgreSQL server is separate: shared_buffers ${e.query.serverMemory.sharedBuffers}, ${e.query.serverMemory.backends} backend(s), largest backend peak RSS ${e.query.serverMemory.maxBackendHwmMiB === null ? "n/a" : mib(e.query.serverMemory.maxBackendHwmMiB)} (includes the shared buffers it touched), backends' private RSS ${e.query.serverMemory.backendPrivateRssMiB === null ? "n/a" : mib(e.query.serverMemory.backendPrivateRssMiB)})` : load.engine === "postgres" ? ")" : ""}; load process ${mib(load.maxRssMiB)}. EXPLAIN ANALYZE of the slowest requests: \`bench/${e.query.explainFile.split("/").pop()}\`. Load average when the reads started: ${loads(e.query.loadavg)}.`);
    out.push("");
    if (e.query.prototypes?.length) {
      out.push(`Candidate fixes, tried in the benchmark's database only (src/ unchanged):`);
      out.push("");
      out.push("| fix | SQL | before p50 / p99 | after p50 / p99 | note |");
      out.push("|---|---|---|---|---|");
      const sqlCell = (sql: string[]) =>
        sql.map((x) => (x.length <= 160 ? `\`${x.replace(/\|/g, "\\|")}\`` : `rewritten statement (${x.length} chars) in \`bench/records/prototypes.ts\``)).join("<br>");
      for (const p of e.query.prototypes) out.push(`| ${p.name} | ${sqlCell(p.sql)} | ${lat(p.before)} | ${lat(p.after)} | ${p.note ?? ""} |`);
      out.push("");
    }
  }
  if (r.startup?.length) {
    out.push("### `npm start` to first page");
    out.push("");
    out.push(`\`npx tsx src/cli/main.ts serve --demo --data-dir <fresh tmp> --port <free>\` (what \`npm start\` runs) until \`GET /\` answers 200, PGlite, twice on fresh directories: ${r.startup.map((run) => `${s1(run.seconds)} s (server's own "ready in" ${run.readyMs ?? "?"} ms)`).join("; ")}. `);
    out.push("");
    const p = r.startupPhases;
    if (p) {
      out.push(`Where it goes (the same steps in one fresh process, timed apart): node + tsx to the benchmark's code ${int(p.processToMainMs)} ms; importing the server's modules ${int(p.importServerModulesMs)} ms; opening PGlite on an empty directory (unpacked from the migrated template when npm install made one) ${int(p.connectMs)} ms; migrations ${int(p.migrateMs)} ms; demo content ${int(p.demoMs)} ms; startServer on the prepared directory (reopen, listen) ${int(p.restartMs)} ms; first \`GET /\` ${int(p.firstPageMs)} ms. Demo statements by total time: ${p.demoStatements.map((st) => `\`${st.statement}\` ×${st.n} ${int(st.totalMs)} ms`).join("; ")}.`);
      out.push("");
    }
  }
  return out.join("\n");
}
