/**
 * The election every counting rule reads: projects with integer costs, a budget, and one ballot per
 * voter stored compactly (compressed rows of project indexes, with optional points for cumulative
 * ballots). Amounts are integers in the election's currency unit and must stay below 2^53, so every
 * sum the rules form is an exact JavaScript integer; see README.md for why that is enough.
 */

export type Utility = "cost" | "approval";

export interface Profile {
  /** The budget limit (integer, > 0). */
  readonly budget: number;
  /** Project ids as written in the .pb file; tie-breaking compares these (see lexCompare). */
  readonly projectIds: readonly string[];
  /** Integer costs (≥ 0), aligned with projectIds. */
  readonly costs: readonly number[];
  readonly voterCount: number;
  /** Ballot of voter v: ballotProject[ballotStart[v] .. ballotStart[v+1]). */
  readonly ballotStart: Int32Array;
  readonly ballotProject: Int32Array;
  /** Points per ballot entry (cumulative/scoring ballots); null for approval ballots (every entry weighs 1). */
  readonly ballotPoints: Int32Array | null;
}

export class ProfileError extends Error {
  override name = "ProfileError";
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Code-point order of two project ids: the order Python's `sorted` gives strings, which is what
 * pabutools' lexicographic tie-breaking uses. (JavaScript's `<` compares UTF-16 code units, which
 * differs for characters outside the Basic Multilingual Plane.)
 */
export function lexCompare(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done) return cb.done ? 0 : -1;
    if (cb.done) return 1;
    const x = ca.value.codePointAt(0)!;
    const y = cb.value.codePointAt(0)!;
    if (x !== y) return x < y ? -1 : 1;
  }
}

export interface SimpleElection {
  budget: number;
  projects: readonly { id: string; cost: number }[];
  /** Approval ballots as lists of project ids, or cumulative ballots as id → points maps. */
  ballots: readonly (readonly string[] | Readonly<Record<string, number>>)[];
}

/** Builds a Profile from plain objects (tests, fixtures, small tools). Validates like the parser does. */
export function makeProfile(election: SimpleElection): Profile {
  const index = new Map<string, number>();
  election.projects.forEach((p, i) => {
    if (index.has(p.id)) throw new ProfileError(`duplicate project id '${p.id}'`);
    index.set(p.id, i);
  });
  const starts = new Int32Array(election.ballots.length + 1);
  const projects: number[] = [];
  const points: number[] = [];
  let cumulative = false;
  election.ballots.forEach((ballot, v) => {
    const seen = new Set<number>();
    const entries: [string, number][] = Array.isArray(ballot)
      ? (ballot as readonly string[]).map((id) => [id, 1])
      : ((cumulative = true), Object.entries(ballot as Record<string, number>));
    for (const [id, pts] of entries) {
      const j = index.get(id);
      if (j === undefined) throw new ProfileError(`ballot ${v} names unknown project '${id}'`);
      if (seen.has(j)) continue;
      seen.add(j);
      projects.push(j);
      points.push(pts);
    }
    starts[v + 1] = projects.length;
  });
  const profile: Profile = {
    budget: election.budget,
    projectIds: election.projects.map((p) => p.id),
    costs: election.projects.map((p) => p.cost),
    voterCount: election.ballots.length,
    ballotStart: starts,
    ballotProject: Int32Array.from(projects),
    ballotPoints: cumulative ? Int32Array.from(points) : null,
  };
  validateProfile(profile);
  return profile;
}

/** Checks the invariants the rules rely on; throws ProfileError naming the first violation. */
export function validateProfile(profile: Profile): void {
  const { budget, costs, projectIds, voterCount, ballotStart, ballotProject, ballotPoints } = profile;
  if (!Number.isSafeInteger(budget) || budget <= 0) throw new ProfileError(`budget must be a positive integer, got ${budget}`);
  if (costs.length !== projectIds.length) throw new ProfileError("costs and projectIds differ in length");
  let total = 0;
  for (let j = 0; j < costs.length; j++) {
    const c = costs[j];
    if (!Number.isSafeInteger(c) || c < 0) throw new ProfileError(`cost of project '${projectIds[j]}' must be a non-negative integer, got ${c}`);
    total += c;
    if (total > MAX_SAFE) throw new ProfileError("the sum of all costs exceeds 2^53; amounts this large are not supported");
  }
  if (ballotStart.length !== voterCount + 1 || ballotStart[0] !== 0) throw new ProfileError("ballotStart must have voterCount + 1 entries starting at 0");
  for (let v = 0; v < voterCount; v++) {
    if (ballotStart[v + 1] < ballotStart[v]) throw new ProfileError("ballotStart must be non-decreasing");
  }
  const entries = ballotStart[voterCount];
  if (ballotProject.length < entries) throw new ProfileError("ballotProject is shorter than ballotStart says");
  for (let k = 0; k < entries; k++) {
    const j = ballotProject[k];
    if (j < 0 || j >= costs.length) throw new ProfileError(`ballot entry ${k} names project index ${j}, out of range`);
  }
  let weightTotal = entries;
  if (ballotPoints) {
    if (ballotPoints.length < entries) throw new ProfileError("ballotPoints is shorter than ballotStart says");
    weightTotal = 0;
    for (let k = 0; k < entries; k++) {
      if (!Number.isSafeInteger(ballotPoints[k]) || ballotPoints[k] < 0) throw new ProfileError(`ballot entry ${k} has negative points`);
      weightTotal += ballotPoints[k];
    }
  }
  // Every weighted sum the rules form (points × cost over all ballots) must stay an exact integer.
  let maxCost = 1;
  for (const c of costs) if (c > maxCost) maxCost = c;
  if (weightTotal * maxCost > MAX_SAFE) throw new ProfileError("total points × largest cost exceed 2^53; amounts this large are not supported");
}

/**
 * What the rules precompute once per profile: each project's supporters as a compressed row of voter
 * indexes (Int32Array) with their weights (points, or 1), supporter counts and total weights, and
 * the lexicographic rank of every project id.
 */
export interface Compiled {
  readonly profile: Profile;
  readonly n: number;
  readonly m: number;
  readonly costs: Float64Array;
  readonly supStart: Int32Array;
  readonly supVoter: Int32Array;
  /** null when every weight is 1 (approval ballots). */
  readonly supWeight: Int32Array | null;
  /** Σ weights of the project's supporters (approval: number of votes; cumulative: points). */
  readonly totalWeight: Float64Array;
  /** Number of voters with positive weight for the project. */
  readonly supporterCount: Int32Array;
  readonly maxWeight: number;
  /** lexRank[j] = position of project j's id in code-point order. */
  readonly lexRank: Int32Array;
  /** Project indexes in code-point order of their ids. */
  readonly lexOrder: Int32Array;
}

const compiledCache = new WeakMap<Profile, Compiled>();

export function compile(profile: Profile): Compiled {
  const cached = compiledCache.get(profile);
  if (cached) return cached;
  validateProfile(profile);
  const n = profile.voterCount;
  const m = profile.costs.length;
  const { ballotStart, ballotProject, ballotPoints } = profile;
  const count = new Int32Array(m);
  const entries = ballotStart[n];
  for (let k = 0; k < entries; k++) {
    if (ballotPoints && ballotPoints[k] <= 0) continue;
    count[ballotProject[k]]++;
  }
  const supStart = new Int32Array(m + 1);
  for (let j = 0; j < m; j++) supStart[j + 1] = supStart[j] + count[j];
  const fill = supStart.slice(0, m);
  const supVoter = new Int32Array(supStart[m]);
  const supWeight = ballotPoints ? new Int32Array(supStart[m]) : null;
  const totalWeight = new Float64Array(m);
  let maxWeight = 1;
  for (let v = 0; v < n; v++) {
    for (let k = ballotStart[v]; k < ballotStart[v + 1]; k++) {
      const w = ballotPoints ? ballotPoints[k] : 1;
      if (w <= 0) continue;
      const j = ballotProject[k];
      const at = fill[j]++;
      supVoter[at] = v;
      if (supWeight) supWeight[at] = w;
      totalWeight[j] += w;
      if (w > maxWeight) maxWeight = w;
    }
  }
  const lexOrder = Int32Array.from({ length: m }, (_, j) => j).sort((a, b) => lexCompare(profile.projectIds[a], profile.projectIds[b]) || a - b);
  const lexRank = new Int32Array(m);
  lexOrder.forEach((j, r) => (lexRank[j] = r));
  const compiled: Compiled = {
    profile,
    n,
    m,
    costs: Float64Array.from(profile.costs),
    supStart,
    supVoter,
    supWeight,
    totalWeight,
    supporterCount: count,
    maxWeight,
    lexRank,
    lexOrder,
  };
  compiledCache.set(profile, compiled);
  return compiled;
}

export function totalCost(profile: Profile, selected: readonly number[]): number {
  let sum = 0;
  for (const j of selected) sum += profile.costs[j];
  return sum;
}
