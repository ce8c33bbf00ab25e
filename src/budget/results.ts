/**
 * The results of a People's Budget: the winners under each counting rule side by side
 * (computed with `count()` from ./rules), what each voter group got, cost per vote, money
 * per category. Pure functions over the process, its proposals and its ballots.
 */
import { count, makeProfile, type Profile } from "./rules/index.js";
import type { BallotRow, ProcessRow, ProposalRow } from "./pb-repo.js";

/** The proposals people vote on: feasible, with a cost, in order. */
export const onBallot = (proposals: readonly ProposalRow[]) => proposals.filter((p) => p.status === "feasible" && p.cost !== null);

export type RuleKey = "greedy" | "equal-shares" | "phragmen";

export interface RuleOutcome {
  rule: RuleKey;
  /** The rule whose winners are funded. */
  official: boolean;
  /** Selected proposal ids, in the rule's selection order. */
  selected: string[];
  cost: number;
  /** Total votes (or points) for the selected proposals, and the cost per vote in hundredths of the currency unit. */
  votes: number;
  costPerVoteCents: number | null;
  /** Ballots with at least one of their choices funded, in basis points of all ballots. */
  satisfiedBps: number;
}

export interface ProjectRow {
  proposal: ProposalRow;
  /** Ballots choosing it (approval) and the points it got (cumulative; equal to votes otherwise). */
  votes: number;
  points: number;
  /** Cost per vote (or per point), in hundredths of the currency unit; null with no votes. */
  costPerVoteCents: number | null;
  /** rule → position in that rule's selection order (1-based), absent when not selected. */
  selectedBy: Partial<Record<RuleKey, number>>;
}

export interface GroupOutcome {
  group: string;
  ballots: number;
  /** Per rule: share of the group's ballots with a choice funded (basis points), and money funded on the group's choices per ballot (whole units, rounded down). */
  perRule: Partial<Record<RuleKey, { satisfiedBps: number; fundedPerBallot: number }>>;
}

export interface ProcessResults {
  process: ProcessRow;
  ballots: number;
  rules: RuleOutcome[];
  projects: ProjectRow[];
  /** Groups with at least GROUP_MIN ballots; smaller ones are folded together (see `smallGroups`). */
  groups: GroupOutcome[];
  smallGroups: { groups: number; ballots: number; outcome: GroupOutcome | null };
  /** Money selected per category under each rule. */
  categories: { category: string; perRule: Partial<Record<RuleKey, number>> }[];
}

/** Groups smaller than this are not shown on their own: a handful of ballots could be recognised. */
export const GROUP_MIN = 5;

const bps = (part: number, whole: number) => (whole === 0 ? 0 : Number((BigInt(part) * 20_000n + BigInt(whole)) / (2n * BigInt(whole))));
const perVoteCents = (cost: number, votes: number) => (votes === 0 ? null : Number((BigInt(cost) * 200n + BigInt(votes)) / (2n * BigInt(votes))));

/** The first category of a proposal ("education,health" → "education"), for the per-category table. */
export const primaryCategory = (category: string) => category.split(",")[0].trim();

/** Builds the profile the rules read: the proposals on the ballot (ids are their codes) and every ballot. */
export function buildProfile(process: ProcessRow, proposals: readonly ProposalRow[], ballots: readonly BallotRow[]): { profile: Profile; onBallot: ProposalRow[] } {
  const list = onBallot(proposals);
  const codeOf = new Map(list.map((p) => [p.id, p.code]));
  const cumulative = process.ballot_type === "cumulative";
  const profile = makeProfile({
    budget: process.budget,
    projects: list.map((p) => ({ id: p.code, cost: p.cost! })),
    ballots: ballots.map((b) => {
      if (!cumulative) return b.choices.filter((id) => codeOf.has(id)).map((id) => codeOf.get(id)!);
      const record: Record<string, number> = {};
      b.choices.forEach((id, i) => {
        const code = codeOf.get(id);
        if (code !== undefined) record[code] = b.points?.[i] ?? 1;
      });
      return record;
    }),
  });
  // makeProfile reads a ballot object as points and an array as approvals; an all-empty cumulative
  // election would otherwise come back as approval.
  return { profile: cumulative && profile.ballotPoints === null ? { ...profile, ballotPoints: new Int32Array(profile.ballotProject.length) } : profile, onBallot: list };
}

/** Counts the process with every rule that applies and works out who got what. */
export function computeResults(process: ProcessRow, proposals: readonly ProposalRow[], ballots: readonly BallotRow[]): ProcessResults {
  const { profile, onBallot: list } = buildProfile(process, proposals, ballots);
  const n = profile.voterCount;
  const m = list.length;
  const votes = new Array<number>(m).fill(0);
  const points = new Array<number>(m).fill(0);
  for (let v = 0; v < n; v++) {
    for (let k = profile.ballotStart[v]; k < profile.ballotStart[v + 1]; k++) {
      const w = profile.ballotPoints ? profile.ballotPoints[k] : 1;
      if (w <= 0) continue;
      votes[profile.ballotProject[k]] += 1;
      points[profile.ballotProject[k]] += w;
    }
  }
  const weight = (j: number) => (profile.ballotPoints ? points[j] : votes[j]);

  const ruleKeys: RuleKey[] = n === 0 || m === 0 ? [] : process.ballot_type === "cumulative" ? ["greedy", "equal-shares"] : ["greedy", "equal-shares", "phragmen"];
  const selections = new Map<RuleKey, number[]>();
  for (const rule of ruleKeys) {
    const result =
      rule === "greedy" ? count(profile, { rule: "greedy", utility: "cost" })
      : rule === "equal-shares" ? count(profile, { rule: "equal-shares", utility: "cost", completion: "add1" })
      : count(profile, { rule: "phragmen" });
    selections.set(rule, result.indexes);
  }

  // Per ballot: which rules fund at least one of its choices, and how much of its choices is funded.
  const selectedSets = new Map([...selections].map(([rule, idx]) => [rule, new Set(idx)]));
  const satisfied = new Map(ruleKeys.map((r) => [r, 0]));
  const groupStats = new Map<string, { ballots: number; satisfied: Map<RuleKey, number>; funded: Map<RuleKey, number> }>();
  for (let v = 0; v < n; v++) {
    const group = ballots[v].voter_group;
    let stats = group === null ? undefined : groupStats.get(group);
    if (group !== null && !stats) groupStats.set(group, (stats = { ballots: 0, satisfied: new Map(), funded: new Map() }));
    if (stats) stats.ballots += 1;
    for (const rule of ruleKeys) {
      const set = selectedSets.get(rule)!;
      let any = false;
      let funded = 0;
      for (let k = profile.ballotStart[v]; k < profile.ballotStart[v + 1]; k++) {
        if (profile.ballotPoints && profile.ballotPoints[k] <= 0) continue;
        const j = profile.ballotProject[k];
        if (set.has(j)) {
          any = true;
          funded += profile.costs[j];
        }
      }
      if (any) satisfied.set(rule, satisfied.get(rule)! + 1);
      if (stats) {
        if (any) stats.satisfied.set(rule, (stats.satisfied.get(rule) ?? 0) + 1);
        stats.funded.set(rule, (stats.funded.get(rule) ?? 0) + funded);
      }
    }
  }

  const rules: RuleOutcome[] = ruleKeys.map((rule) => {
    const idx = selections.get(rule)!;
    const cost = idx.reduce((sum, j) => sum + profile.costs[j], 0);
    const total = idx.reduce((sum, j) => sum + weight(j), 0);
    return {
      rule,
      official: rule === process.official_rule,
      selected: idx.map((j) => list[j].id),
      cost,
      votes: total,
      costPerVoteCents: perVoteCents(cost, total),
      satisfiedBps: bps(satisfied.get(rule)!, n),
    };
  });

  const projects: ProjectRow[] = list.map((proposal, j) => ({
    proposal,
    votes: votes[j],
    points: points[j],
    costPerVoteCents: perVoteCents(proposal.cost!, weight(j)),
    selectedBy: Object.fromEntries(ruleKeys.flatMap((rule) => {
      const at = selections.get(rule)!.indexOf(j);
      return at >= 0 ? [[rule, at + 1]] : [];
    })),
  }));

  const toOutcome = (group: string, s: { ballots: number; satisfied: Map<RuleKey, number>; funded: Map<RuleKey, number> }): GroupOutcome => ({
    group,
    ballots: s.ballots,
    perRule: Object.fromEntries(ruleKeys.map((rule) => [rule, { satisfiedBps: bps(s.satisfied.get(rule) ?? 0, s.ballots), fundedPerBallot: Math.floor((s.funded.get(rule) ?? 0) / s.ballots) }])),
  });
  const groups: GroupOutcome[] = [];
  const small = { groups: 0, ballots: 0, satisfied: new Map<RuleKey, number>(), funded: new Map<RuleKey, number>() };
  for (const [group, s] of [...groupStats].sort((a, b) => b[1].ballots - a[1].ballots || (a[0] < b[0] ? -1 : 1))) {
    if (s.ballots >= GROUP_MIN) {
      groups.push(toOutcome(group, s));
      continue;
    }
    small.groups += 1;
    small.ballots += s.ballots;
    for (const rule of ruleKeys) {
      small.satisfied.set(rule, (small.satisfied.get(rule) ?? 0) + (s.satisfied.get(rule) ?? 0));
      small.funded.set(rule, (small.funded.get(rule) ?? 0) + (s.funded.get(rule) ?? 0));
    }
  }

  const categoryTotals = new Map<string, Partial<Record<RuleKey, number>>>();
  for (const p of list) if (!categoryTotals.has(primaryCategory(p.category))) categoryTotals.set(primaryCategory(p.category), {});
  for (const rule of ruleKeys) {
    for (const j of selections.get(rule)!) {
      const entry = categoryTotals.get(primaryCategory(list[j].category))!;
      entry[rule] = (entry[rule] ?? 0) + profile.costs[j];
    }
  }

  return {
    process,
    ballots: n,
    rules,
    projects,
    groups,
    smallGroups: { groups: small.groups, ballots: small.ballots, outcome: small.ballots >= GROUP_MIN ? toOutcome("", small) : null },
    categories: [...categoryTotals].map(([category, perRule]) => ({ category, perRule })),
  };
}
