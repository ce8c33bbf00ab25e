/**
 * Utilitarian greedy, as pabutools' `greedy_utilitarian_welfare` with an additive satisfaction:
 * projects in decreasing order of total utility per unit of cost, each taken if it still fits.
 *
 * With cost utilities (a voter enjoys a project's cost) the total utility of project p is
 * weight(p) × cost(p), so its density is weight(p): most votes first. With approval utilities (a
 * voter enjoys 1 per approved project) the density is weight(p) / cost(p). A project nobody
 * supports has density 0; a supported project costing 0 has infinite density. Ties go to the
 * project whose id comes first in code-point order (pabutools' lexicographic tie-breaking).
 *
 * Every comparison is between integers (cross-multiplied in BigInt for approval utilities).
 */
import { compile, type Profile, type Utility } from "./profile.js";

export interface GreedyOptions {
  utility?: Utility;
  /** Projects already selected (indexes); they stay selected, count against the budget and are skipped. */
  initial?: readonly number[];
}

export interface Outcome {
  /** Selected project indexes, in the order the rule selected them. */
  readonly selected: number[];
  readonly cost: number;
}

/** Density numerator/denominator: total utility over cost, with the pabutools conventions for 0. */
function density(totalWeight: number, cost: number, utility: Utility): { num: bigint; den: bigint } {
  const utilityTotal = utility === "cost" ? totalWeight * cost : totalWeight; // exact: profile validated < 2^53
  if (utilityTotal <= 0) return { num: 0n, den: 1n };
  if (cost === 0) return { num: 1n, den: 0n }; // +∞
  return utility === "cost" ? { num: BigInt(totalWeight), den: 1n } : { num: BigInt(totalWeight), den: BigInt(cost) };
}

/** The order greedy considers projects in: decreasing density, ties by id. */
export function greedyOrder(profile: Profile, utility: Utility = "cost"): number[] {
  const c = compile(profile);
  const d = Array.from({ length: c.m }, (_, j) => density(c.totalWeight[j], c.costs[j], utility));
  const order = Array.from({ length: c.m }, (_, j) => j);
  order.sort((a, b) => {
    const da = d[a];
    const db = d[b];
    // Compare db vs da (descending); ∞ has den 0.
    let byDensity: number;
    if (da.den === 0n || db.den === 0n) byDensity = da.den === 0n && db.den === 0n ? 0 : da.den === 0n ? -1 : 1;
    else {
      const l = db.num * da.den;
      const r = da.num * db.den;
      byDensity = l < r ? -1 : l > r ? 1 : 0;
    }
    return byDensity || c.lexRank[a] - c.lexRank[b];
  });
  return order;
}

export function greedy(profile: Profile, options: GreedyOptions = {}): Outcome {
  const utility = options.utility ?? "cost";
  const chosen = new Set(options.initial ?? []);
  const selected = [...chosen];
  let remaining = profile.budget;
  for (const j of chosen) remaining -= profile.costs[j];
  const cost0 = profile.budget - remaining;
  let cost = cost0;
  for (const j of greedyOrder(profile, utility)) {
    if (chosen.has(j)) continue;
    const cj = profile.costs[j];
    if (cj <= remaining) {
      selected.push(j);
      remaining -= cj;
      cost += cj;
    }
  }
  return { selected, cost };
}
