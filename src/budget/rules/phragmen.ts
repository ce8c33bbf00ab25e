/**
 * Sequential Phragmén, as pabutools' `sequential_phragmen` (approval ballots only).
 *
 * Every voter carries a load, initially 0. Buying project p would give each of its supporters the
 * load (Σ_{supporters} load + cost(p)) / supporters(p); the rule repeatedly buys the project with
 * the smallest such new maximal load (projects nobody approves count as +∞), ties broken by id in
 * code-point order, and sets its supporters' loads to that value. Projects costing more than the
 * whole budget are never considered. The rule stops as soon as one of the projects tied for the
 * smallest new load no longer fits in the remaining budget, even if cheaper projects would.
 *
 * Exactness: a voter's load is always the load of the last round in which something it approves was
 * bought, t_s = N_s / D_s with D_s = Π_{r≤s} supporters(pick_r). Σ loads over a project's supporters
 * is then one integer over D_T via a Horner pass over the rounds. Doubles (each t_s anchored to the
 * double nearest its exact value) pick the minimum whenever the margin exceeds the proven error;
 * near-ties are compared exactly.
 */
import type { Outcome } from "./greedy.js";
import { compile, type Profile } from "./profile.js";
import { ratioToNumber } from "./rational.js";

const U50 = 2 ** -50;
const U52 = 2 ** -52;

export class RuleInputError extends Error {
  override name = "RuleInputError";
}

export function phragmen(profile: Profile): Outcome {
  const c = compile(profile);
  if (c.supWeight !== null || profile.ballotPoints !== null) {
    throw new RuleInputError("sequential Phragmén is defined for approval ballots only; this election has points");
  }
  const { n, m, costs, supStart, supVoter, supporterCount, lexRank } = c;
  const budget = profile.budget;
  const last = new Int32Array(n); // round whose load the voter carries (0 = load 0)
  const tf: number[] = [0];
  const roundN: bigint[] = [0n];
  const roundScore: bigint[] = [1n];
  let D = 1n;
  let T = 0;
  const active = new Uint8Array(m);
  const lb = new Float64Array(m);
  const order: number[] = [];
  for (let j = 0; j < m; j++) {
    if (costs[j] <= budget) {
      active[j] = 1;
      lb[j] = supporterCount[j] === 0 ? Infinity : (costs[j] / supporterCount[j]) * (1 - 2 ** -49);
      order.push(j);
    }
  }
  const cAgg = new Float64Array(m + 2);
  const selected: number[] = [];
  let spent = 0;

  let evLow = 0;
  let evHigh = 0;
  const evaluate = (p: number): void => {
    const score = supporterCount[p];
    if (score === 0) {
      evLow = evHigh = Infinity;
      return;
    }
    let S = 0;
    for (let k = supStart[p], end = supStart[p + 1]; k < end; k++) S += tf[last[supVoter[k]]];
    const errS = 2 * (S * U50 + (score + 1) * U52 * S);
    const value = (S + costs[p]) / score;
    const err = 2 * ((errS + (S + costs[p]) * U52) / score + value * U52);
    evLow = value - err;
    evHigh = value + err;
  };
  /** Exact Σ loads of p's supporters, as an integer over D. */
  const exactLoadSum = (p: number): bigint => {
    cAgg.fill(0, 0, T + 1);
    for (let k = supStart[p], end = supStart[p + 1]; k < end; k++) cAgg[last[supVoter[k]]]++;
    let x = 0n;
    for (let s = 1; s <= T; s++) {
      x *= roundScore[s];
      if (cAgg[s] !== 0) x += BigInt(cAgg[s]) * roundN[s];
    }
    return x;
  };
  const sortOrder = () => {
    const list = order.filter((j) => active[j] === 1);
    list.sort((a, b) => (lb[a] < lb[b] ? -1 : lb[a] > lb[b] ? 1 : lexRank[a] - lexRank[b]));
    order.length = 0;
    order.push(...list);
  };
  sortOrder();

  for (;;) {
    if (order.length === 0) break;
    let bestHigh = Infinity;
    const evaluated: { p: number; low: number; high: number }[] = [];
    for (const q of order) {
      if (lb[q] > bestHigh) break;
      evaluate(q);
      lb[q] = evLow;
      evaluated.push({ p: q, low: evLow, high: evHigh });
      if (evHigh < bestHigh) bestHigh = evHigh;
    }
    const close = evaluated.filter((e) => e.low <= bestHigh).map((e) => e.p);
    // The exact minimum set among the close ones.
    let ties: number[];
    if (bestHigh === Infinity) {
      ties = close; // everything left has no supporter: all tied at +∞
    } else if (close.length === 1) {
      ties = close;
    } else {
      const exact = close.map((p) => ({ p, num: exactLoadSum(p) + BigInt(costs[p]) * D, den: BigInt(supporterCount[p]) }));
      let best = exact[0];
      ties = [best.p];
      for (let i = 1; i < exact.length; i++) {
        const e = exact[i];
        const l = e.num * best.den;
        const r = best.num * e.den;
        if (l < r) {
          best = e;
          ties = [e.p];
        } else if (l === r) ties.push(e.p);
      }
    }
    if (ties.some((p) => spent + costs[p] > budget)) break;
    let winner = ties[0];
    for (const p of ties) if (lexRank[p] < lexRank[winner]) winner = p;
    const score = supporterCount[winner];
    if (score > 0) {
      const N = exactLoadSum(winner) + BigInt(costs[winner]) * D;
      T++;
      roundN[T] = N;
      roundScore[T] = BigInt(score);
      D *= BigInt(score);
      tf[T] = ratioToNumber(N, D);
      for (let k = supStart[winner], end = supStart[winner + 1]; k < end; k++) last[supVoter[k]] = T;
    }
    selected.push(winner);
    spent += costs[winner];
    active[winner] = 0;
    sortOrder();
  }
  return { selected, cost: spent };
}
