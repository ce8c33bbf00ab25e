/**
 * Slow, obviously-exact reference implementations: each rule written the way pabutools writes it,
 * every number an exact BigInt rational, nothing clever. The tests check the fast rules against
 * these on many random small elections. Not for production use (quadratic and worse).
 */
import { compile, type Profile, type Utility } from "./profile.js";
import { add, cmp, div, mul, rat, sub, ZERO, type Rational } from "./rational.js";

function weights(profile: Profile): Map<number, number>[] {
  const out: Map<number, number>[] = [];
  for (let v = 0; v < profile.voterCount; v++) {
    const m = new Map<number, number>();
    for (let k = profile.ballotStart[v]; k < profile.ballotStart[v + 1]; k++) {
      const w = profile.ballotPoints ? profile.ballotPoints[k] : 1;
      if (w > 0) m.set(profile.ballotProject[k], w);
    }
    out.push(m);
  }
  return out;
}

const kappa = (profile: Profile, utility: Utility, p: number) => (utility === "cost" ? profile.costs[p] : 1);

export function referenceGreedy(profile: Profile, utility: Utility, initial: readonly number[] = []): number[] {
  const c = compile(profile);
  const ballots = weights(profile);
  const m = profile.costs.length;
  const dens = (p: number): Rational | null => {
    let total = 0;
    for (const b of ballots) total += (b.get(p) ?? 0) * kappa(profile, utility, p);
    if (total <= 0) return ZERO;
    if (profile.costs[p] === 0) return null; // ∞
    return rat(total, profile.costs[p]);
  };
  const order = Array.from({ length: m }, (_, p) => p).filter((p) => !initial.includes(p));
  order.sort((a, b) => {
    const da = dens(a);
    const db = dens(b);
    if (da === null || db === null) {
      if (da === null && db === null) return c.lexRank[a] - c.lexRank[b];
      return da === null ? -1 : 1;
    }
    return cmp(db, da) || c.lexRank[a] - c.lexRank[b];
  });
  const selected = [...initial];
  let remaining = profile.budget - initial.reduce((s, p) => s + profile.costs[p], 0);
  for (const p of order) {
    if (profile.costs[p] <= remaining) {
      selected.push(p);
      remaining -= profile.costs[p];
    }
  }
  return selected;
}

/** One MES run with the given per-voter budget (pabutools' mes_inner_algo, resolute). */
export function referenceMes(profile: Profile, utility: Utility, perVoter: Rational): { selected: number[]; budgets: Rational[]; paid: Rational[][] } {
  const c = compile(profile);
  const ballots = weights(profile);
  const n = profile.voterCount;
  const budgets: Rational[] = Array.from({ length: n }, () => perVoter);
  const paid: Rational[][] = Array.from({ length: n }, () => []);
  const u = (i: number, p: number) => (ballots[i].get(p) ?? 0) * kappa(profile, utility, p);
  const selected: number[] = [];
  let remaining: number[] = [];
  for (const p of c.lexOrder) {
    let total = 0;
    for (let i = 0; i < n; i++) total += u(i, p);
    if (total <= 0) continue;
    if (profile.costs[p] > 0) remaining.push(p);
    else selected.push(p);
  }
  for (;;) {
    let best: Rational | null = null;
    let bestP = -1;
    const keep: number[] = [];
    for (const p of remaining) {
      const supporters = Array.from({ length: n }, (_, i) => i).filter((i) => u(i, p) > 0);
      const available = supporters.reduce((s, i) => add(s, budgets[i]), ZERO);
      const cost = rat(profile.costs[p]);
      if (cmp(available, cost) < 0) continue;
      keep.push(p);
      supporters.sort((a, b) => cmp(div(budgets[a], rat(u(a, p))), div(budgets[b], rat(u(b, p)))));
      let contribution = ZERO;
      let denominator = supporters.reduce((s, i) => s + u(i, p), 0);
      let rho: Rational | null = null;
      for (const i of supporters) {
        const factor = div(sub(cost, contribution), rat(denominator));
        if (cmp(mul(factor, rat(u(i, p))), budgets[i]) <= 0) {
          rho = factor;
          break;
        }
        contribution = add(contribution, budgets[i]);
        denominator -= u(i, p);
      }
      if (rho === null) throw new Error("reference: affordable project without a price");
      if (best === null || cmp(rho, best) < 0 || (cmp(rho, best) === 0 && c.lexRank[p] < c.lexRank[bestP])) {
        best = rho;
        bestP = p;
      }
    }
    remaining = keep;
    if (best === null) break;
    selected.push(bestP);
    remaining = remaining.filter((p) => p !== bestP);
    for (let i = 0; i < n; i++) {
      if (u(i, bestP) <= 0) continue;
      const want = mul(best, rat(u(i, bestP)));
      const pay = cmp(want, budgets[i]) <= 0 ? want : budgets[i];
      budgets[i] = sub(budgets[i], pay);
      paid[i].push(pay);
    }
  }
  return { selected, budgets, paid };
}

export interface ReferenceAdd1Options {
  increment?: number;
  stop?: "overspend" | "exhaustive";
  maxSteps?: number;
}

/** Add-one completion by naive stepping. */
export function referenceMesAdd1(profile: Profile, utility: Utility, options: ReferenceAdd1Options = {}): { selected: number[]; steps: number } {
  const n = profile.voterCount;
  if (n === 0) return { selected: [], steps: 0 };
  const c = compile(profile);
  const candidates = c.lexOrder.filter((p) => profile.costs[p] > 0 && c.totalWeight[p] * kappa(profile, utility, p) > 0);
  const cost = (sel: number[]) => sel.reduce((s, p) => s + profile.costs[p], 0);
  let previous: number[] | null = null;
  for (let k = 0; k <= (options.maxSteps ?? 1_000_000); k++) {
    const perVoter = rat(BigInt(profile.budget) + BigInt(k) * BigInt(options.increment ?? 1) * BigInt(n), n);
    const { selected } = referenceMes(profile, utility, perVoter);
    const spent = cost(selected);
    if (spent > profile.budget) return { selected: previous!, steps: k - 1 };
    const all = candidates.every((p) => selected.includes(p));
    const exhaustive = candidates.every((p) => selected.includes(p) || spent + profile.costs[p] > profile.budget);
    if (all || (options.stop === "exhaustive" && exhaustive)) return { selected, steps: k };
    previous = selected;
  }
  throw new Error("reference add1: too many steps");
}

export function referencePhragmen(profile: Profile): number[] {
  const c = compile(profile);
  const ballots = weights(profile);
  const n = profile.voterCount;
  const loads: Rational[] = Array.from({ length: n }, () => ZERO);
  let projects = Array.from({ length: profile.costs.length }, (_, p) => p).filter((p) => profile.costs[p] <= profile.budget);
  const selected: number[] = [];
  let spent = 0;
  while (projects.length > 0) {
    let best: Rational | null = null; // null = +∞
    let ties: number[] = [];
    let first = true;
    for (const p of projects) {
      const supporters = Array.from({ length: n }, (_, i) => i).filter((i) => ballots[i].has(p));
      const value = supporters.length === 0 ? null : div(add(supporters.reduce((s, i) => add(s, loads[i]), ZERO), rat(profile.costs[p])), rat(supporters.length));
      const order = first ? -1 : value === null ? (best === null ? 0 : 1) : best === null ? -1 : cmp(value, best);
      first = false;
      if (order < 0) {
        best = value;
        ties = [p];
      } else if (order === 0) ties.push(p);
    }
    if (ties.some((p) => spent + profile.costs[p] > profile.budget)) break;
    const winner = ties.reduce((a, b) => (c.lexRank[a] <= c.lexRank[b] ? a : b));
    if (best !== null) for (let i = 0; i < n; i++) if (ballots[i].has(winner)) loads[i] = best;
    selected.push(winner);
    spent += profile.costs[winner];
    projects = projects.filter((p) => p !== winner);
  }
  return selected;
}
