/**
 * Writes the pabulib `.pb` format, so a People's Budget can be published in the researchers' format
 * and any parsed file written back. Fields containing `;` or `"` (or line breaks, which are
 * replaced by spaces: pabulib rows are single lines) are quoted with `"`, inner quotes doubled.
 * The META entries num_projects, num_votes, budget and vote_type are always written from the data.
 */
import type { PbElection, VoteType } from "./types.js";

export interface PbWriteProject {
  id: string;
  cost: number;
  /** Other columns (name, category, votes, selected, …). */
  fields?: Readonly<Record<string, string>>;
}

export interface PbWriteVote {
  voterId: string;
  /** Project ids, in ballot order (rank order for ordinal ballots). */
  projects: readonly string[];
  /** Points aligned with projects (cumulative/scoring ballots). */
  points?: readonly number[];
  /** Other columns (age, sex, voting_method, …). */
  fields?: Readonly<Record<string, string>>;
}

export interface PbWriteInput {
  /** META entries (description, country, unit, instance, rule, …), written in this order. */
  meta: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
  voteType: VoteType;
  budget: number;
  projects: readonly PbWriteProject[];
  votes: readonly PbWriteVote[];
  /** Column order for PROJECTS / VOTES; by default project_id;cost (voter_id;vote[;points]) then other fields in first-seen order. */
  projectColumns?: readonly string[];
  voteColumns?: readonly string[];
}

export function quoteField(value: string): string {
  const flat = value.replace(/\r?\n|\r/g, " ");
  if (/[;"]/.test(flat) || flat !== flat.trim()) return `"${flat.replace(/"/g, '""')}"`;
  return flat;
}

function assertAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
}

export function writePabulib(input: PbWriteInput): string {
  assertAmount(input.budget, "budget");
  if (input.budget <= 0) throw new RangeError("budget must be greater than zero");
  const withPoints = input.voteType === "cumulative" || input.voteType === "scoring";
  const projectIds = new Set<string>();
  for (const p of input.projects) {
    assertAmount(p.cost, `cost of project '${p.id}'`);
    if (p.id === "") throw new RangeError("empty project id");
    if (projectIds.has(p.id)) throw new RangeError(`duplicate project id '${p.id}'`);
    projectIds.add(p.id);
  }
  const voterIds = new Set<string>();
  for (const v of input.votes) {
    if (v.voterId === "") throw new RangeError("empty voter id");
    if (voterIds.has(v.voterId)) throw new RangeError(`duplicate voter id '${v.voterId}'`);
    voterIds.add(v.voterId);
    for (const id of v.projects) if (!projectIds.has(id)) throw new RangeError(`voter '${v.voterId}' votes for unknown project '${id}'`);
    if (withPoints && (v.points?.length ?? 0) !== v.projects.length) throw new RangeError(`voter '${v.voterId}': points do not match the projects`);
  }

  const lines: string[] = [];
  const row = (fields: readonly string[]) => lines.push(fields.map(quoteField).join(";"));

  const fixed: Record<string, string> = {
    num_projects: String(input.projects.length),
    num_votes: String(input.votes.length),
    budget: String(input.budget),
    vote_type: input.voteType,
  };
  const entries: [string, string][] = [];
  const metaSource: Iterable<readonly [string, string]> =
    typeof (input.meta as Partial<Iterable<unknown>>)[Symbol.iterator] === "function"
      ? (input.meta as Iterable<readonly [string, string]>)
      : Object.entries(input.meta as Record<string, string>);
  for (const [key, value] of metaSource) entries.push([key, Object.hasOwn(fixed, key) ? fixed[key] : value]);
  for (const key of Object.keys(fixed)) if (!entries.some(([k]) => k === key)) entries.push([key, fixed[key]]);
  lines.push("META");
  row(["key", "value"]);
  for (const entry of entries) row(entry);

  const projectColumns = input.projectColumns ? [...input.projectColumns] : ["project_id", "cost"];
  if (!input.projectColumns) {
    for (const p of input.projects) for (const key of Object.keys(p.fields ?? {})) if (!projectColumns.includes(key)) projectColumns.push(key);
  }
  const lowerProjectColumns = projectColumns.map((c) => c.toLowerCase());
  for (const required of ["project_id", "cost"]) if (!lowerProjectColumns.includes(required)) throw new RangeError(`projectColumns must include ${required}`);
  lines.push("PROJECTS");
  row(projectColumns);
  for (const p of input.projects) {
    row(projectColumns.map((col, i) => (lowerProjectColumns[i] === "project_id" ? p.id : lowerProjectColumns[i] === "cost" ? String(p.cost) : (p.fields?.[col] ?? ""))));
  }

  const voteColumns = input.voteColumns ? [...input.voteColumns] : withPoints ? ["voter_id", "vote", "points"] : ["voter_id", "vote"];
  if (!input.voteColumns) {
    for (const v of input.votes) for (const key of Object.keys(v.fields ?? {})) if (!voteColumns.includes(key)) voteColumns.push(key);
  }
  const lowerVoteColumns = voteColumns.map((c) => c.toLowerCase());
  for (const required of withPoints ? ["voter_id", "vote", "points"] : ["voter_id", "vote"]) {
    if (!lowerVoteColumns.includes(required)) throw new RangeError(`voteColumns must include ${required}`);
  }
  lines.push("VOTES");
  row(voteColumns);
  for (const v of input.votes) {
    row(
      voteColumns.map((col, i) => {
        const key = lowerVoteColumns[i];
        if (key === "voter_id") return v.voterId;
        if (key === "vote") return v.projects.join(",");
        if (key === "points" && withPoints) return (v.points ?? []).join(",");
        return v.fields?.[col] ?? "";
      }),
    );
  }
  return lines.join("\n") + "\n";
}

/** The write input that reproduces a parsed election (same columns, same values). */
export function electionToWriteInput(election: PbElection): PbWriteInput {
  const { profile } = election;
  const projects: PbWriteProject[] = election.projects.map((p) => ({
    id: p.id,
    cost: p.cost,
    fields: Object.fromEntries(election.projectColumns.map((col, i) => [col, p.fields[i] ?? ""])),
  }));
  const votes: PbWriteVote[] = election.voterIds.map((voterId, v) => {
    const ids: string[] = [];
    const points: number[] = [];
    for (let k = profile.ballotStart[v]; k < profile.ballotStart[v + 1]; k++) {
      ids.push(profile.projectIds[profile.ballotProject[k]]);
      if (profile.ballotPoints) points.push(profile.ballotPoints[k]);
    }
    const raw = election.voterFields?.[v];
    const fields = raw ? Object.fromEntries(election.voteColumns.map((col, i) => [col, raw[i] ?? ""])) : undefined;
    return { voterId, projects: ids, ...(profile.ballotPoints ? { points } : {}), ...(fields ? { fields } : {}) };
  });
  return {
    meta: [...election.meta.entries()],
    voteType: election.voteType,
    budget: election.budget,
    projects,
    votes,
    projectColumns: election.projectColumns,
    voteColumns: election.voteColumns,
  };
}
