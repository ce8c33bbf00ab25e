import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { Command, Option } from "commander";
import { BudgetError } from "../budget/errors.js";
import { budgetTranslator } from "../budget/i18n.js";
import { exportProcess, fileSha256, importElection } from "../budget/pabulib-io.js";
import { readPabulibFile } from "../budget/pabulib/parse.js";
import type { PbElection } from "../budget/pabulib/types.js";
import { count, RULE_NAMES, type CountOptions, type RuleName, type Utility } from "../budget/rules/index.js";
import { DATA_DIR_HELP, openDatabase } from "./shared.js";

interface CountCliOptions {
  rule: RuleName;
  utility?: Utility;
  completion?: "add1";
  greedyFill?: boolean;
  json?: boolean;
}

const RULE_LABEL: Record<RuleName, string> = {
  greedy: "utilitarian greedy",
  "equal-shares": "Method of Equal Shares",
  phragmen: "sequential Phragmén",
};

/**
 * `oversight pb …`: the People's Budget counting core. `pb count FILE.pb` recounts a pabulib
 * election with one of the exact rules; with --json it prints only {"selected": [...], "cost": n}.
 */
export function pbCommand(): Command {
  const pb = new Command("pb").description("People's Budget: count participatory-budgeting elections in the pabulib .pb format");
  pb.command("count")
    .description("count a .pb election with an exact rule and print the selected projects")
    .argument("<file>", "a pabulib .pb file")
    .addOption(new Option("--rule <rule>", "counting rule").choices([...RULE_NAMES]).makeOptionMandatory())
    .addOption(new Option("--utility <utility>", "voter utility for greedy and equal-shares (default cost)").choices(["cost", "approval"]))
    .addOption(new Option("--completion <method>", "equal-shares completion: raise the per-voter budget one unit at a time, keep the last outcome within budget").choices(["add1"]))
    .option("--greedy-fill", "afterwards, fill the remaining budget with utilitarian greedy")
    .option("--json", 'print only {"selected": [project ids…], "cost": total} on stdout')
    .action(async (file: string, options: CountCliOptions) => {
      try {
        await runCount(file, options);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException | null)?.code;
        const message =
          code === "ENOENT" ? `${file}: no such file` : code === "EACCES" ? `${file}: permission denied` : code === "EISDIR" ? `${file} is a directory` : error instanceof Error ? error.message : String(error);
        process.stderr.write(`oversight pb count: ${message.replace(/\s*\n\s*/g, " ")}\n`);
        process.exitCode = 1;
      }
    });
  pb.command("import")
    .description("load a .pb election as a People's Budget process (results phase): projects, and ballots without any voter identity")
    .argument("<file>", "a pabulib .pb file")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .option("--slug <slug>", "the process's short name (default: from the file name)")
    .option("--group-column <column>", "a VOTES column whose value groups the ballots on the results page (e.g. district)")
    .option("--drop-voter-fields", "keep only voter_id, vote and points of each VOTES row (not age, sex, …)")
    .action(async (file: string, options: { dataDir?: string; slug?: string; groupColumn?: string; dropVoterFields?: boolean }) => {
      await failOnOneLine("import", file, async () => {
        // Parsed first: the parser refuses a file over its size limit before reading it.
        const election = await readPabulibFile(file);
        const sha256 = await fileSha256(file);
        const { db } = await openDatabase(options);
        try {
          const report = await importElection(db, election, { fileName: file, sha256, slug: options.slug, groupColumn: options.groupColumn, dropVoterFields: options.dropVoterFields, actor: "cli" });
          process.stdout.write(`imported ${basename(file)} as process ${report.processId} (/budget/p/${report.slug}): ${report.projects.toLocaleString("en-US")} projects, ${report.ballots.toLocaleString("en-US")} ballots\n`);
        } finally {
          await db.close();
        }
      });
    });
  pb.command("export")
    .description("write a People's Budget process as a pabulib .pb file (stdout unless --out)")
    .argument("<process>", "the process's id or short name")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .option("--out <file>", "write to this file instead of stdout")
    .action(async (processId: string, options: { dataDir?: string; out?: string }) => {
      await failOnOneLine("export", processId, async () => {
        const { db } = await openDatabase(options);
        try {
          const { text } = await exportProcess(db, processId);
          if (options.out) await writeFile(options.out, text);
          else process.stdout.write(text);
        } finally {
          await db.close();
        }
      });
    });
  return pb;
}

/** Runs a pb subcommand; any failure is one line on stderr (naming the file's line when the file is at fault), exit 1. */
async function failOnOneLine(name: string, subject: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    const message =
      code === "ENOENT" ? `${subject}: no such file`
      : code === "EACCES" ? `${subject}: permission denied`
      : code === "EISDIR" ? `${subject} is a directory`
      : error instanceof BudgetError ? (error.key === "budget.error.noProcess" ? `no People's Budget process '${subject}'` : budgetTranslator("en")(error.key, error.params))
      : error instanceof Error ? error.message
      : String(error);
    process.stderr.write(`oversight pb ${name}: ${message.replace(/\s*\n\s*/g, " ")}\n`);
    process.exitCode = 1;
  }
}

async function runCount(file: string, options: CountCliOptions): Promise<void> {
  if (options.completion && options.rule !== "equal-shares") throw new Error("--completion applies to --rule equal-shares only");
  if (options.utility && options.rule === "phragmen") throw new Error("--utility does not apply to --rule phragmen");
  const election = await readPabulibFile(file, { keepVoterFields: false });
  if (election.voteType === "ordinal") throw new Error("this election has ordinal (ranked) ballots; the counting rules need approval or points ballots");
  const countOptions: CountOptions = {
    rule: options.rule,
    ...(options.utility ? { utility: options.utility } : {}),
    completion: options.completion ?? null,
    greedyFill: options.greedyFill ?? false,
  };
  const started = performance.now();
  const result = count(election.profile, countOptions);
  const elapsed = performance.now() - started;
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ selected: result.selected, cost: result.cost })}\n`);
    return;
  }
  for (const warning of election.warnings) process.stderr.write(`warning: line ${warning.line}: ${warning.message}\n`);
  process.stdout.write(report(file, election, options, result, elapsed));
}

function report(file: string, election: PbElection, options: CountCliOptions, result: ReturnType<typeof count>, elapsed: number): string {
  const number = (x: number) => x.toLocaleString("en-US");
  const { profile } = election;
  const details = [
    options.rule === "phragmen" ? null : `${options.utility ?? "cost"} utilities`,
    options.completion === "add1" ? "add-one completion" : null,
    options.greedyFill ? "greedy fill" : null,
  ].filter((x): x is string => x !== null);
  const nameColumn = election.projectColumns.findIndex((c) => c.toLowerCase() === "name");
  const votes = new Array<number>(profile.costs.length).fill(0);
  for (let k = 0; k < profile.ballotStart[profile.voterCount]; k++) votes[profile.ballotProject[k]]++;
  const rows = result.indexes.map((j, i) => {
    const name = nameColumn >= 0 ? election.projects[j].fields[nameColumn] : "";
    return [String(i + 1), profile.projectIds[j], number(profile.costs[j]), number(votes[j]), name.length > 60 ? `${name.slice(0, 59)}…` : name];
  });
  const header = ["#", "project", "cost", "votes", "name"];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 2 || c === 3 || c === 0 ? cell.padStart(widths[c]) : c === r.length - 1 ? cell : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  const share = ((100 * result.cost) / profile.budget).toFixed(1);
  return [
    `${basename(file)}: ${RULE_LABEL[options.rule]}${details.length ? ` (${details.join(", ")})` : ""}`,
    `budget ${number(profile.budget)} · ${number(profile.voterCount)} voters · ${number(profile.costs.length)} projects · ${election.voteType} ballots`,
    `selected ${result.selected.length} projects costing ${number(result.cost)} (${share}% of the budget) in ${elapsed.toFixed(0)} ms`,
    "",
    line(header),
    ...rows.map(line),
    "",
  ].join("\n");
}
