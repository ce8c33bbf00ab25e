/**
 * `npm run bench:pb`: how fast the exact counting rules are.
 *
 *  - Wieliczka 2023 (6,586 voters, 64 projects), the official Equal Shares election, with every rule,
 *    and Equal Shares with the add-one completion (skip-ahead and naive stepping);
 *  - a seeded synthetic city-wide election: 100,000 voters, 200 projects (src/budget/rules/synthetic.ts),
 *    written to a .pb file and parsed back, then counted with every rule.
 *
 * Every case runs in its own child process, so "peak RSS" (process.resourceUsage().maxRSS) is that
 * case's own high-water mark, including Node itself and the parsed election. Times are the median of
 * several repetitions after one warm-up (the cold first run is reported too). The figures are appended
 * to bench/RESULTS.md with the machine, Node version and date.
 *
 *   npm run bench:pb                # all cases, append to bench/RESULTS.md
 *   npm run bench:pb -- --no-write  # print only
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { electionToWriteInput, writePabulib } from "../src/budget/pabulib/write.js";
import { readPabulibFile } from "../src/budget/pabulib/parse.js";
import type { PbElection } from "../src/budget/pabulib/types.js";
import { equalShares, greedy, phragmen, type Profile } from "../src/budget/rules/index.js";
import { syntheticElection } from "../src/budget/rules/synthetic.js";

const WIELICZKA = fileURLToPath(new URL("../../shared/data/pb/poland_wieliczka_2023.pb", import.meta.url));
const RESULTS = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const SELF = fileURLToPath(import.meta.url);

type ElectionName = "wieliczka" | "synthetic" | "synthetic-points";

interface Case {
  id: string;
  election: ElectionName;
  label: string;
  /** Runs the case once; returns a short description of the outcome. */
  run: (profile: Profile, file: string) => Promise<string> | string;
  target?: string;
}

const describe = (o: { selected: number[]; cost: number }) => `${o.selected.length} projects, ${o.cost.toLocaleString("en-US")}`;

const CASES: Case[] = [];
for (const election of ["wieliczka", "synthetic"] as const) {
  const big = election === "synthetic";
  CASES.push(
    {
      id: `${election}:parse`,
      election,
      label: big ? "parse the .pb file (written from the synthetic election)" : "parse the .pb file",
      run: async (_profile, file) => {
        const e = await readPabulibFile(file, { keepVoterFields: false });
        return `${e.profile.voterCount.toLocaleString("en-US")} voters`;
      },
    },
    { id: `${election}:greedy`, election, label: "greedy, cost utilities (most votes first)", run: (p) => describe(greedy(p, { utility: "cost" })) },
    { id: `${election}:greedy-approval`, election, label: "greedy, approval utilities (votes per cost)", run: (p) => describe(greedy(p, { utility: "approval" })) },
    { id: `${election}:mes-cost`, election, label: "Equal Shares, cost utilities", run: (p) => describe(equalShares(p, { utility: "cost" })) },
    { id: `${election}:mes-approval`, election, label: "Equal Shares, approval utilities", run: (p) => describe(equalShares(p, { utility: "approval" })) },
    {
      id: `${election}:mes-add1`,
      election,
      label: "Equal Shares, cost utilities, add-one completion",
      target: big ? "< 10 s" : "< 1 s",
      run: (p) => {
        const o = equalShares(p, { utility: "cost", completion: "add1" });
        return `${describe(o)}; ${o.steps} steps, ${o.runs} runs`;
      },
    },
    {
      id: `${election}:mes-add1-naive`,
      election,
      label: "… the same by naive +1 stepping (no skip-ahead)",
      run: (p) => {
        const o = equalShares(p, { utility: "cost", completion: "add1", skipAhead: false });
        return `${describe(o)}; ${o.steps} steps, ${o.runs} runs`;
      },
    },
    {
      id: `${election}:mes-add1-fill`,
      election,
      label: "Equal Shares, cost utilities, add-one + greedy fill",
      run: (p) => describe(equalShares(p, { utility: "cost", completion: "add1", greedyFill: true })),
    },
    { id: `${election}:phragmen`, election, label: "sequential Phragmén", run: (p) => describe(phragmen(p)) },
  );
}
CASES.push({
  id: "synthetic-points:mes-cost",
  election: "synthetic-points",
  label: "Equal Shares, cost utilities, cumulative ballots (10 points each)",
  run: (p) => describe(equalShares(p, { utility: "cost" })),
});

function syntheticProfile(name: ElectionName): Profile {
  return syntheticElection({ voters: 100_000, projects: 200, seed: 2024, ...(name === "synthetic-points" ? { points: 10 } : {}) });
}

/** The synthetic election as a PbElection, so it can be written to a .pb file. */
function asPbElection(profile: Profile): PbElection {
  return {
    meta: new Map([
      ["description", "Synthetic city-wide election (bench/pb.ts, seed 2024)"],
      ["country", "Synthetic"],
      ["unit", "Synthetic City"],
      ["instance", "2024"],
    ]),
    voteType: profile.ballotPoints ? "cumulative" : "approval",
    budget: profile.budget,
    projectColumns: ["project_id", "cost"],
    projects: profile.projectIds.map((id, j) => ({ id, cost: profile.costs[j], line: 0, fields: [id, String(profile.costs[j])] })),
    voteColumns: profile.ballotPoints ? ["voter_id", "vote", "points"] : ["voter_id", "vote"],
    voterIds: Array.from({ length: profile.voterCount }, (_, v) => String(v + 1)),
    voterFields: null,
    profile,
    warnings: [],
  };
}

interface Measured {
  id: string;
  outcome: string;
  coldMs: number;
  medianMs: number;
  /** Median CPU time (user + system) of the same repetitions: what the rule costs when the machine is busy. */
  medianCpuMs: number;
  reps: number;
  maxRssMb: number;
}

/** Child process: load the election, run one case repeatedly, print JSON. */
async function runCase(id: string, file: string): Promise<void> {
  const c = CASES.find((x) => x.id === id);
  if (!c) throw new Error(`unknown case ${id}`);
  const profile = c.election === "wieliczka" ? (await readPabulibFile(file, { keepVoterFields: false })).profile : syntheticProfile(c.election);
  // Each repetition counts a fresh copy of the profile, so the per-profile precomputation (supporter
  // lists, lexicographic ranks) is included every time, as it is when the CLI counts a file.
  const fresh = (): Profile => ({ ...profile });
  let t = performance.now();
  const outcome = await c.run(fresh(), file);
  const coldMs = performance.now() - t;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const started = performance.now();
  while (times.length < 3 || (times.length < 15 && performance.now() - started < 3000)) {
    const copy = fresh();
    const cpu = process.cpuUsage();
    t = performance.now();
    await c.run(copy, file);
    times.push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuTimes.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result: Measured = {
    id,
    outcome,
    coldMs,
    medianMs: median(times),
    medianCpuMs: median(cpuTimes),
    reps: times.length,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const write = !process.argv.includes("--no-write");
  const tmp = mkdtempSync(join(tmpdir(), "bench-pb-"));
  try {
    const syntheticFile = join(tmp, "synthetic.pb");
    const synthetic = syntheticProfile("synthetic");
    writeFileSync(syntheticFile, writePabulib(electionToWriteInput(asPbElection(synthetic))));
    const syntheticSize = statSync(syntheticFile).size;
    const entries = synthetic.ballotStart[synthetic.voterCount];

    const loadBefore = loadavg()[0];
    const results: Measured[] = [];
    for (const c of CASES) {
      const file = c.election === "wieliczka" ? WIELICZKA : syntheticFile;
      const child = spawnSync(process.execPath, ["--import", "tsx", SELF, "--case", c.id, "--file", file], { encoding: "utf8", maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`case ${c.id} failed: ${child.stderr}`);
      const m = JSON.parse(child.stdout) as Measured;
      results.push(m);
      console.log(`${c.id.padEnd(32)} ${fmtMs(m.medianMs).padStart(9)}  (CPU ${fmtMs(m.medianCpuMs)}, cold ${fmtMs(m.coldMs)}, ${m.reps} reps, peak RSS ${m.maxRssMb.toFixed(0)} MB)  ${m.outcome}`);
    }

    const cpu = cpus();
    const machine = `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GB memory; Node ${process.version}; ${process.platform} ${process.arch}`;
    const date = new Date().toISOString().replace("T", " ").slice(0, 16) + " UTC";
    const table = (election: ElectionName) =>
      CASES.filter((c) => c.election === election)
        .map((c) => {
          const m = results.find((r) => r.id === c.id)!;
          const verdict = c.target ? ` (target ${c.target}: ${m.medianMs < (c.target.includes("10") ? 10_000 : 1000) ? "met" : "MISSED"})` : "";
          return `| ${c.label} | ${m.outcome} | ${fmtMs(m.medianMs)}${verdict} | ${fmtMs(m.medianCpuMs)} | ${fmtMs(m.coldMs)} | ${m.reps} | ${m.maxRssMb.toFixed(0)} MB |`;
        })
        .join("\n");
    const header = "| rule | outcome | time (median) | CPU time (median) | first run | reps | peak RSS |\n|---|---|---|---|---|---|---|";
    const section = `
## People's Budget counting (bench/pb.ts), ${date}

Machine: ${machine}. Load average ${loadBefore.toFixed(1)} when the run started, ${loadavg()[0].toFixed(1)} when it ended
(other work shares this machine; CPU time is the better measure of the rules' own cost when the load exceeds the core count).
Exact arithmetic throughout (see src/budget/rules/README.md). Each row ran in its own process: peak RSS
is that process's maxRSS (Node, the parsed election and the rule). Time is the median wall-clock time
of the repetitions after one warm-up run, each on a fresh copy of the election (so the per-election
precomputation is included); "first run" includes JIT warm-up.

### Wieliczka 2023 (6,586 voters, 64 projects, budget 1,000,000)

${header}
${table("wieliczka")}

For reference, the issue reports pabutools (Python, exact fractions) at about 130 s for Wieliczka with
the add-one completion and about 1.2 s for a single Equal Shares run on the same machine class.

### Synthetic city-wide election (100,000 voters, 200 projects, seed 2024)

${entries.toLocaleString("en-US")} approvals (mean ${(entries / synthetic.voterCount).toFixed(2)} per voter), budget ${synthetic.budget.toLocaleString("en-US")} (a fifth of the total cost); as a .pb file ${(syntheticSize / 1024 ** 2).toFixed(1)} MB.

${header}
${table("synthetic")}
${table("synthetic-points")}
`;
    console.log(section);
    if (write) {
      appendFileSync(RESULTS, section);
      console.log(`appended to ${RESULTS}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const caseIndex = process.argv.indexOf("--case");
if (caseIndex >= 0) {
  const fileIndex = process.argv.indexOf("--file");
  await runCase(process.argv[caseIndex + 1], process.argv[fileIndex + 1]);
} else {
  await main();
}
