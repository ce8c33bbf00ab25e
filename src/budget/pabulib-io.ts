/**
 * People's Budget ⇄ pabulib `.pb` files. `importElection` loads a parsed election as a process
 * in its results phase (projects as proposals on the ballot, votes as anonymous ballots: no
 * voter roll, the file's voter_id kept only as the ballot's published label). `exportProcess`
 * writes a process back: an imported one as it was published (same META, columns and rows),
 * a process run here in the researchers' format, its ballots numbered 1..n in random order.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { appendAudit } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { BudgetError } from "./errors.js";
import type { PbElection, VoteType } from "./pabulib/types.js";
import { writePabulib, type PbWriteInput, type PbWriteProject, type PbWriteVote } from "./pabulib/write.js";
import * as repo from "./pb-repo.js";
import type { BallotType, OfficialRule } from "./schema.js";
import { computeResults } from "./results.js";

export interface ImportOptions {
  /** The file's name, for the process's slug and description. */
  fileName: string;
  /** The file's bytes, for the sha256 recorded with the process (or give `sha256`). */
  bytes?: Buffer | string;
  /** The file's sha256 (hex), when the caller hashed it already. */
  sha256?: string;
  slug?: string;
  /** A VOTES column whose value becomes each ballot's group on the results page (e.g. "district"). */
  groupColumn?: string;
  /** Do not keep the VOTES columns other than voter_id, vote and points (age, sex, …). */
  dropVoterFields?: boolean;
  actor?: string;
}

export interface ImportReport {
  processId: string;
  slug: string;
  projects: number;
  ballots: number;
}

const column = (columns: readonly string[], name: string) => columns.findIndex((c) => c.toLowerCase() === name);

function slugFrom(fileName: string): string {
  const base = basename(fileName).replace(/\.pb$/i, "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  const slug = base.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 70);
  return slug.length >= 2 ? slug : `pb-${slug || "import"}`;
}

function ballotTypeOf(election: PbElection): { ballotType: BallotType; pickN: number | null; pointsTotal: number | null } {
  const meta = election.meta;
  const positive = (key: string) => {
    const value = Number(meta.get(key));
    return Number.isSafeInteger(value) && value > 0 ? value : null;
  };
  if (election.voteType === "cumulative" || election.voteType === "scoring") {
    let most = 1;
    const { ballotStart, ballotPoints } = election.profile;
    for (let v = 0; v < election.profile.voterCount; v++) {
      let sum = 0;
      for (let k = ballotStart[v]; k < ballotStart[v + 1]; k++) sum += ballotPoints![k];
      most = Math.max(most, sum);
    }
    return { ballotType: "cumulative", pickN: null, pointsTotal: Math.max(positive("max_sum_points") ?? 0, most) };
  }
  if (election.voteType === "choose-1") return { ballotType: "pick_n", pickN: 1, pointsTotal: null };
  const maxLength = positive("max_length");
  if (maxLength !== null && !meta.has("max_sum_cost")) return { ballotType: "pick_n", pickN: maxLength, pointsTotal: null };
  return { ballotType: "approval_budget", pickN: null, pointsTotal: null };
}

function currencyOf(meta: ReadonlyMap<string, string>): string {
  const stated = (meta.get("currency") ?? "").trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(stated)) return stated;
  // pabulib's files rarely say; its Polish elections are in złoty.
  if ((meta.get("country") ?? "").toLowerCase() === "poland") return "PLN";
  return "XXX"; // ISO 4217 "no currency": amounts are shown as plain numbers
}

/** Loads a parsed .pb election as a People's Budget process (results phase). All or nothing. */
export async function importElection(db: Db, election: PbElection, options: ImportOptions): Promise<ImportReport> {
  if (election.voteType === "ordinal") throw new BudgetError(400, "budget.error.ordinal", {}, "ordinal");
  const { ballotType, pickN, pointsTotal } = ballotTypeOf(election);
  const groupAt = options.groupColumn ? column(election.voteColumns, options.groupColumn.toLowerCase()) : -1;
  if (options.groupColumn && groupAt < 0) throw new BudgetError(400, "budget.error.noGroupColumn", { column: options.groupColumn, columns: election.voteColumns.join(", ") }, "no-group-column");
  if (options.groupColumn && !election.voterFields) throw new BudgetError(400, "budget.error.noGroupColumn", { column: options.groupColumn, columns: election.voteColumns.join(", ") }, "no-group-column");
  const nameAt = column(election.projectColumns, "name");
  const categoryAt = column(election.projectColumns, "category");
  const rule = (election.meta.get("rule") ?? "").toLowerCase();
  const officialRule: OfficialRule = rule.startsWith("equalshares") || rule.startsWith("mes") ? "equal-shares" : "greedy";
  const keptVoteColumns = options.dropVoterFields
    ? election.voteColumns.filter((c) => ["voter_id", "vote", "points"].includes(c.toLowerCase()))
    : [...election.voteColumns];
  const keptIndexes = keptVoteColumns.map((c) => election.voteColumns.indexOf(c));
  const description = election.meta.get("description") ?? basename(options.fileName);
  const sha256 = options.sha256 ?? (options.bytes === undefined ? null : createHash("sha256").update(options.bytes).digest("hex"));
  const { profile } = election;

  return db.transaction(async (tx) => {
    let slug = options.slug ?? slugFrom(options.fileName);
    if (options.slug && (await repo.slugTaken(tx, slug))) throw new BudgetError(409, "budget.error.slugTaken", { slug }, "slug-taken");
    for (let n = 2; await repo.slugTaken(tx, slug); n++) slug = `${slugFrom(options.fileName).slice(0, 70)}-${n}`;
    const processId = await repo.insertProcess(tx, {
      slug,
      title_en: description.slice(0, 200),
      title_es: description.slice(0, 200),
      description_en: `Imported from ${basename(options.fileName)} (pabulib format).`,
      description_es: `Importado de ${basename(options.fileName)} (formato pabulib).`,
      city: election.meta.get("unit") ?? "",
      currency: currencyOf(election.meta),
      budget: election.budget,
      phase: "results",
      ballot_type: ballotType,
      pick_n: pickN,
      points_total: pointsTotal,
      official_rule: officialRule,
      eligibility_zip: false,
      eligibility_codes: false,
      zips: [],
      demo: false,
      source_file: basename(options.fileName),
      source_sha256: sha256,
      source_meta: [...election.meta.entries()],
      source_project_columns: [...election.projectColumns],
      source_vote_columns: keptVoteColumns,
    });
    const proposalIds = await repo.insertProposals(tx, processId, election.projects.map((p, i) => ({
      code: p.id,
      position: i + 1,
      title_en: (nameAt >= 0 ? p.fields[nameAt] : "") || `Project ${p.id}`,
      title_es: (nameAt >= 0 ? p.fields[nameAt] : "") || `Proyecto ${p.id}`,
      description_en: "",
      description_es: "",
      category: categoryAt >= 0 ? p.fields[categoryAt] : "",
      location: "",
      cost: p.cost,
      status: "feasible" as const,
      review_note: null,
      source_fields: [...p.fields],
    })));
    const ballots: repo.ImportedBallot[] = election.voterIds.map((voterId, v) => {
      const choices: string[] = [];
      const points: number[] = [];
      for (let k = profile.ballotStart[v]; k < profile.ballotStart[v + 1]; k++) {
        choices.push(proposalIds[profile.ballotProject[k]]);
        if (profile.ballotPoints) points.push(profile.ballotPoints[k]);
      }
      const fields = election.voterFields?.[v] ?? null;
      return {
        choices,
        points: profile.ballotPoints ? points : null,
        group: groupAt >= 0 && fields ? fields[groupAt] || null : null,
        sourceVoterId: voterId,
        sourceFields: fields ? keptIndexes.map((i) => fields[i] ?? "") : null,
        position: v + 1,
      };
    });
    await repo.copyBallots(db, tx, processId, ballots);
    await appendAudit(tx, {
      actor: options.actor ?? "cli",
      action: "pb.import",
      entity: "pb_process",
      entityId: processId,
      data: { file: basename(options.fileName), sha256, projects: election.projects.length, ballots: ballots.length, voteType: election.voteType },
    });
    return { processId, slug, projects: election.projects.length, ballots: ballots.length };
  });
}

function voteTypeOf(process: repo.ProcessRow): VoteType {
  const stated = process.source_meta?.find(([key]) => key === "vote_type")?.[1];
  if (stated === "approval" || stated === "choose-1" || stated === "cumulative" || stated === "scoring") return stated;
  return process.ballot_type === "cumulative" ? "cumulative" : "approval";
}

/** Writes a process as a pabulib .pb file (text). Throws BudgetError 404 for an unknown process. */
export async function exportProcess(db: Db, idOrSlug: string): Promise<{ process: repo.ProcessRow; text: string }> {
  const process = await repo.findProcess(db, idOrSlug);
  if (!process) throw new BudgetError(404, "budget.error.noProcess", {}, "no-process");
  const proposals = await repo.listProposals(db, process.id);
  const ballots = await repo.listBallots(db, process.id);
  const onBallotList = proposals.filter((p) => p.status === "feasible" && p.cost !== null);
  const codeOf = new Map(onBallotList.map((p) => [p.id, p.code]));
  const voteType = voteTypeOf(process);
  const withPoints = voteType === "cumulative" || voteType === "scoring";

  if (process.source_meta) {
    const projectColumns = process.source_project_columns ?? ["project_id", "cost"];
    const voteColumns = process.source_vote_columns ?? (withPoints ? ["voter_id", "vote", "points"] : ["voter_id", "vote"]);
    const projects: PbWriteProject[] = onBallotList.map((p) => ({
      id: p.code,
      cost: p.cost!,
      fields: Object.fromEntries(projectColumns.map((c, i) => [c, p.source_fields?.[i] ?? ""])),
    }));
    const votes: PbWriteVote[] = ballots.map((b, n) => ({
      voterId: b.source_voter_id ?? String(n + 1),
      projects: b.choices.filter((id) => codeOf.has(id)).map((id) => codeOf.get(id)!),
      ...(withPoints ? { points: b.choices.flatMap((id, i) => (codeOf.has(id) ? [b.points?.[i] ?? 1] : [])) } : {}),
      fields: Object.fromEntries(voteColumns.map((c, i) => [c, b.source_fields?.[i] ?? ""])),
    }));
    const input: PbWriteInput = { meta: process.source_meta, voteType, budget: process.budget, projects, votes, projectColumns, voteColumns };
    return { process, text: writePabulib(input) };
  }

  // A process run here: the official rule's winners are marked selected.
  const results = computeResults(process, proposals, ballots);
  const official = results.rules.find((r) => r.official);
  const selected = new Set(official?.selected ?? []);
  const votesOf = new Map(results.projects.map((row) => [row.proposal.id, row]));
  const meta: [string, string][] = [
    ["description", process.title_en],
    ...(process.city ? [["unit", process.city] as [string, string]] : []),
    ["currency", process.currency],
    ["num_projects", ""],
    ["num_votes", ""],
    ["budget", ""],
    ["vote_type", ""],
    ["rule", process.official_rule === "equal-shares" ? "equalshares/add1" : "greedy"],
    ...(process.ballot_type === "pick_n" ? [["max_length", String(process.pick_n)] as [string, string]] : []),
    ...(process.ballot_type === "approval_budget" ? [["max_sum_cost", String(process.budget)] as [string, string]] : []),
    ...(process.ballot_type === "cumulative" ? [["max_sum_points", String(process.points_total)] as [string, string]] : []),
    ["min_length", "1"],
    ...(process.demo ? [["comment", "Synthetic demonstration data: no real voters."] as [string, string]] : []),
  ];
  const projects: PbWriteProject[] = onBallotList.map((p) => ({
    id: p.code,
    cost: p.cost!,
    fields: {
      votes: String(withPoints ? votesOf.get(p.id)?.points ?? 0 : votesOf.get(p.id)?.votes ?? 0),
      name: p.title_en || p.title_es,
      category: p.category,
      selected: selected.has(p.id) ? "1" : "0",
    },
  }));
  // Ballots are listed by their random id, numbered 1..n: the numbers say nothing about who or when.
  const votes: PbWriteVote[] = ballots.map((b, n) => ({
    voterId: String(n + 1),
    projects: b.choices.filter((id) => codeOf.has(id)).map((id) => codeOf.get(id)!),
    ...(withPoints ? { points: b.choices.flatMap((id, i) => (codeOf.has(id) ? [b.points?.[i] ?? 1] : [])) } : {}),
  }));
  return {
    process,
    text: writePabulib({
      meta,
      voteType,
      budget: process.budget,
      projects,
      votes,
      projectColumns: ["project_id", "cost", "votes", "name", "category", "selected"],
      voteColumns: withPoints ? ["voter_id", "vote", "points"] : ["voter_id", "vote"],
    }),
  };
}

/** The sha256 of a file, read as a stream (the parser has already refused files over its size limit). */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
