/**
 * The Method of Equal Shares (MES), exact, as pabutools' `method_of_equal_shares`; the add-one
 * completion; optional greedy fill. See README.md for the definitions and for the argument that the
 * float filter used here never changes a decision.
 *
 * How it stays exact and fast
 * ---------------------------
 * Every voter starts with b0 = budget / voters (+ k for the k-th add-one step). When project p is
 * bought at price π per unit of weight, a supporter either pays π·w (a "rich" supporter) or all
 * that is left (a "poor" one, whose budget becomes exactly 0). So a voter's exact budget is always
 *
 *     b_i = b0 − Σ_{rounds s where i paid partially} w_{i,s} · π_s        (or exactly 0),
 *
 * and each π_t is itself exact: π_t = (cost − Σ_{poor} b_i) / W_rich. All π_t share the growing
 * denominator D_t = den(b0) · Π_{s≤t} W_rich(s), so any sum of exact budgets is one integer over
 * D_t, found by a Horner pass over the rounds with per-round weight counts (see `exactSum`).
 *
 * The rule runs on doubles that shadow the exact state: each voter's float budget is within a
 * proven bound E of the exact one (every π_s is re-anchored to the double nearest its exact value,
 * so errors only add up along a voter's own payments). Every decision — is p affordable, which
 * supporters are poor, which project has the smallest ρ — is taken from the floats only when the
 * margin exceeds the error bound; otherwise it is recomputed in exact BigInt arithmetic. Exact
 * ties (common in small elections) therefore always go through the exact path and then to the
 * lexicographic tie-break.
 */
import { greedy, type Outcome } from "./greedy.js";
import { compile, type Compiled, type Profile, type Utility } from "./profile.js";
import { rat, ratioToNumber, type Rational } from "./rational.js";

export interface EqualSharesOptions {
  /** "cost": a voter enjoys the cost of each approved project; "approval": 1 per approved project. Default "cost". */
  utility?: Utility;
  /** "add1": raise the per-voter budget one unit at a time and keep the last outcome within budget. */
  completion?: "add1" | null;
  /** Per-voter increment of the add-one completion, in currency units (positive integer). Default 1. */
  increment?: number;
  /**
   * When the add-one completion stops. "overspend" (default, the official Wieliczka rule): at the
   * first step whose outcome costs more than the budget, returning the previous step's outcome.
   * "exhaustive" (pabutools' `voter_budget_increment`): also stop at the first step whose outcome
   * leaves no supported project affordable within the remaining budget.
   */
  completionStop?: "overspend" | "exhaustive";
  /** Skip add-one steps that provably give the same outcome (default true). false = naive stepping. */
  skipAhead?: boolean;
  /** Afterwards, fill the remaining budget with utilitarian greedy (same utility). */
  greedyFill?: boolean;
  /** Record every round's price, ρ and per-voter payments (exact), for audits and tests. */
  trace?: boolean;
}

export interface MesPayment {
  voter: number;
  amount: Rational;
}

export interface MesRoundTrace {
  project: number;
  /** Price per unit of weight: a rich supporter with weight w pays price × w. */
  price: Rational;
  /** The rule's criterion: price per unit of utility (price / cost for cost utilities). */
  rho: Rational;
  payments: MesPayment[];
}

export interface MesTrace {
  perVoterBudget: Rational;
  /** Supported projects costing 0, selected before the first round. */
  preselected: number[];
  rounds: MesRoundTrace[];
}

export interface EqualSharesOutcome extends Outcome {
  /** The Equal Shares part of the outcome (before any greedy fill), in selection order. */
  readonly mesSelected: number[];
  /** Per-voter budget of the run that produced mesSelected. */
  readonly perVoterBudget: Rational;
  /** Add-one completion: the number of increments of the returned run. */
  readonly steps: number;
  /** How many Equal Shares runs were computed (add-one: naive runs plus skip-ahead replays). */
  readonly runs: number;
  readonly trace?: MesTrace;
}

// 2^-k constants for the error bounds.
const U49 = 2 ** -49;
const U50 = 2 ** -50;
const U51 = 2 ** -51;
const U52 = 2 ** -52;
const U53 = 2 ** -53;

/** Result of one MES run (one per-voter budget). */
interface RunResult {
  /** Preselected zero-cost projects, then the MES picks in order. */
  selected: number[];
  /** MES picks only (the sequence a replay must follow). */
  sequence: number[];
  /** Rigorous upper bound on each pick's ρ in its round. */
  rhoHigh: number[];
  cost: number;
  trace?: MesTrace;
}

class MesEngine {
  readonly c: Compiled;
  readonly utility: Utility;
  readonly n: number;
  readonly m: number;
  readonly costs: Float64Array;
  readonly costBig: bigint[];
  readonly kappa: Float64Array;
  readonly kappaBig: bigint[];
  readonly candidates: Int32Array;
  readonly preselected: number[];
  readonly initLb: Float64Array;
  readonly wmax: number;

  // Per-run state.
  bf: Float64Array;
  zero: Uint8Array;
  histHead: Int32Array;
  histRound: Int32Array;
  histW: Int32Array;
  histNext: Int32Array;
  histLen = 0;
  T = 0;
  roundN: bigint[] = [0n];
  roundWR: number[] = [0];
  roundWRBig: bigint[] = [1n];
  D = 1n;
  b0num = 0n;
  b0den = 1n;
  b0f = 0;
  E = 0;
  active: Uint8Array; // 1 = still a candidate in this run
  lb: Float64Array;

  // Scratch for the project being evaluated.
  sb: Float64Array;
  sw: Float64Array;
  sv: Int32Array;
  mark: Uint8Array;
  cnt = 0;
  cAgg: Float64Array;
  // A second set of scratch arrays holding the best project of the round so far, so the winner
  // need not be gathered again (see keepScratch / restoreKept).
  private spare: { sb: Float64Array; sw: Float64Array; sv: Int32Array; mark: Uint8Array };
  private kept = -1;
  private keptState = { cnt: 0, evRhoLow: 0, evRhoHigh: 0, evPi: 0, evExact: false, evN: 0n, evWR: 0, evPoorW: 0, evW: 0 };

  // Last evaluation.
  evAffordable = false;
  evRhoLow = 0;
  evRhoHigh = 0;
  evPi = 0;
  evExact = false;
  evN = 0n;
  evWR = 0;
  evPoorW = 0;
  evW = 0;

  runs = 0;

  constructor(compiled: Compiled, utility: Utility) {
    this.c = compiled;
    this.utility = utility;
    this.n = compiled.n;
    this.m = compiled.m;
    this.costs = compiled.costs;
    this.costBig = Array.from(compiled.costs, (x) => BigInt(x));
    this.kappa = utility === "cost" ? compiled.costs : new Float64Array(this.m).fill(1);
    this.kappaBig = Array.from(this.kappa, (x) => BigInt(x));
    const candidates: number[] = [];
    const preselected: number[] = [];
    for (const j of compiled.lexOrder) {
      const totalUtility = compiled.totalWeight[j] * this.kappa[j];
      if (totalUtility <= 0) continue;
      if (this.costs[j] > 0) candidates.push(j);
      else preselected.push(j);
    }
    this.candidates = Int32Array.from(candidates);
    this.preselected = preselected;
    this.initLb = new Float64Array(this.m);
    for (const j of candidates) this.initLb[j] = (this.costs[j] / (compiled.totalWeight[j] * this.kappa[j])) * (1 - U49);
    this.wmax = compiled.maxWeight;
    const n = this.n;
    this.bf = new Float64Array(n);
    this.zero = new Uint8Array(n);
    this.histHead = new Int32Array(n);
    const entries = compiled.supStart[this.m];
    this.histRound = new Int32Array(entries);
    this.histW = new Int32Array(entries);
    this.histNext = new Int32Array(entries);
    this.active = new Uint8Array(this.m);
    this.lb = new Float64Array(this.m);
    let maxSup = 0;
    for (let j = 0; j < this.m; j++) maxSup = Math.max(maxSup, compiled.supStart[j + 1] - compiled.supStart[j]);
    this.sb = new Float64Array(maxSup);
    this.sw = new Float64Array(maxSup);
    this.sv = new Int32Array(maxSup);
    this.mark = new Uint8Array(maxSup);
    this.spare = { sb: new Float64Array(maxSup), sw: new Float64Array(maxSup), sv: new Int32Array(maxSup), mark: new Uint8Array(maxSup) };
    this.cAgg = new Float64Array(this.m + 2);
  }

  private swapScratch(): void {
    const { sb, sw, sv, mark } = this;
    this.sb = this.spare.sb;
    this.sw = this.spare.sw;
    this.sv = this.spare.sv;
    this.mark = this.spare.mark;
    this.spare = { sb, sw, sv, mark };
  }

  /** Parks the just-evaluated project p's scratch and results in the spare set. */
  private keepScratch(p: number): void {
    this.swapScratch();
    this.kept = p;
    const k = this.keptState;
    k.cnt = this.cnt;
    k.evRhoLow = this.evRhoLow;
    k.evRhoHigh = this.evRhoHigh;
    k.evPi = this.evPi;
    k.evExact = this.evExact;
    k.evN = this.evN;
    k.evWR = this.evWR;
    k.evPoorW = this.evPoorW;
    k.evW = this.evW;
  }

  /** Brings back the parked project's scratch and results (state unchanged since it was parked). */
  private restoreKept(): void {
    this.swapScratch();
    const k = this.keptState;
    this.cnt = k.cnt;
    this.evAffordable = true;
    this.evRhoLow = k.evRhoLow;
    this.evRhoHigh = k.evRhoHigh;
    this.evPi = k.evPi;
    this.evExact = k.evExact;
    this.evN = k.evN;
    this.evWR = k.evWR;
    this.evPoorW = k.evPoorW;
    this.evW = k.evW;
    this.kept = -1;
  }

  private reset(b0num: bigint, b0den: bigint): void {
    this.b0num = b0num;
    this.b0den = b0den;
    this.b0f = ratioToNumber(b0num, b0den);
    this.bf.fill(this.b0f);
    this.zero.fill(0);
    this.histHead.fill(-1);
    this.histLen = 0;
    this.T = 0;
    this.roundN = [0n];
    this.roundWR = [0];
    this.roundWRBig = [1n];
    this.D = b0den;
    this.E = this.b0f * U50;
    this.kept = -1;
    this.active.fill(0);
    for (const j of this.candidates) {
      this.active[j] = 1;
      this.lb[j] = this.initLb[j];
    }
  }

  /** Exact Σ of the budgets of the voters in sv[from..to) (all non-zero), as an integer over D. */
  private exactSumScratch(indices: ArrayLike<number>, count: number, viaScratch: boolean): bigint {
    const T = this.T;
    const cAgg = this.cAgg;
    cAgg.fill(0, 0, T + 1);
    for (let k = 0; k < count; k++) {
      const v = viaScratch ? this.sv[indices[k]] : indices[k];
      for (let e = this.histHead[v]; e >= 0; e = this.histNext[e]) cAgg[this.histRound[e]] += this.histW[e];
    }
    let x = BigInt(count) * this.b0num;
    for (let s = 1; s <= T; s++) {
      x *= this.roundWRBig[s];
      if (cAgg[s] !== 0) x -= BigInt(cAgg[s]) * this.roundN[s];
    }
    return x;
  }

  /** Exact budget of one (non-zero) voter, as an integer over D. */
  exactBudget(v: number): bigint {
    if (this.zero[v]) return 0n;
    return this.exactSumScratch([v], 1, false);
  }

  /**
   * Gathers p's supporters with non-zero budget into the scratch arrays and decides, exactly, whether
   * p is affordable and at what price. Sets ev* fields; the poor supporters are marked in `mark`.
   */
  evaluate(p: number): void {
    const c = this.c;
    const sb = this.sb;
    const sw = this.sw;
    const sv = this.sv;
    const bf = this.bf;
    const zero = this.zero;
    const supW = c.supWeight;
    const cost = this.costs[p];
    let cnt = 0;
    let S = 0;
    let W = 0;
    for (let j = c.supStart[p], end = c.supStart[p + 1]; j < end; j++) {
      const v = c.supVoter[j];
      if (zero[v]) continue;
      const b = bf[v];
      const w = supW === null ? 1 : supW[j];
      sb[cnt] = b;
      sw[cnt] = w;
      sv[cnt] = v;
      S += b;
      W += w;
      cnt++;
    }
    this.cnt = cnt;
    this.evW = W;
    this.evExact = false;
    if (cnt === 0) {
      this.evAffordable = false;
      return;
    }
    const E = this.E;
    const errS = 2 * (cnt * E + (cnt + 1) * U52 * Math.abs(S));
    if (S + errS < cost) {
      this.evAffordable = false;
      return;
    }
    if (!(S - errS >= cost)) {
      const idx = new Int32Array(cnt);
      for (let k = 0; k < cnt; k++) idx[k] = k;
      if (this.exactSumScratch(idx, cnt, true) < this.costBig[p] * this.D) {
        this.evAffordable = false;
        return;
      }
    }
    this.evAffordable = true;

    // Float price: refine the poor set until stable (π only grows, so the poor set only grows).
    // Each pass also checks every supporter's margin against the proven error bound, so the pass
    // that finds no new poor supporter has already certified the partition.
    const mark = this.mark;
    mark.fill(0, 0, cnt);
    let pi = cost / W;
    let poorSum = 0;
    let poorW = 0;
    let poorCnt = 0;
    let settled = false;
    let certified = false;
    let ePi = 0;
    for (let iter = 0; iter < 40; iter++) {
      ePi = 2 * ((poorCnt * E + (poorCnt + 1) * U52 * (Math.abs(poorSum) + cost)) / (W - poorW) + U52 * pi);
      let grew = false;
      let ok = true;
      for (let k = 0; k < cnt; k++) {
        const b = sb[k];
        const w = sw[k];
        const t = pi * w;
        if (mark[k] === 0) {
          if (b < t) {
            mark[k] = 1;
            poorSum += b;
            poorW += w;
            poorCnt++;
            grew = true;
          } else if (ok && !(b - t - ePi * w > (b + t) * U50 + E)) ok = false;
        } else if (ok && !(t - ePi * w - b > (Math.abs(b) + t) * U50 + E)) ok = false;
      }
      if (!grew) {
        settled = true;
        certified = ok;
        break;
      }
      if (W - poorW <= 0) break;
      pi = (cost - poorSum) / (W - poorW);
    }
    if (!settled && W - poorW > 0) {
      // Pathological: many rounds of refinement. Walk the supporters in ratio order instead.
      const order = Array.from({ length: cnt }, (_, k) => k).sort((a, b) => sb[a] / sw[a] - sb[b] / sw[b]);
      mark.fill(0, 0, cnt);
      poorSum = 0;
      poorW = 0;
      poorCnt = 0;
      for (const k of order) {
        const candidate = (cost - poorSum) / (W - poorW);
        if (candidate * sw[k] <= sb[k]) break;
        mark[k] = 1;
        poorSum += sb[k];
        poorW += sw[k];
        poorCnt++;
        if (W - poorW <= 0) break;
      }
      if (W - poorW > 0) {
        pi = (cost - poorSum) / (W - poorW);
        ePi = 2 * ((poorCnt * E + (poorCnt + 1) * U52 * (Math.abs(poorSum) + cost)) / (W - poorW) + U52 * pi);
        certified = true;
        for (let k = 0; k < cnt; k++) {
          const t = pi * sw[k];
          const slack = (Math.abs(sb[k]) + t) * U50 + E;
          const margin = mark[k] ? t - ePi * sw[k] - sb[k] : sb[k] - t - ePi * sw[k];
          if (!(margin > slack)) {
            certified = false;
            break;
          }
        }
      }
    }
    this.evPi = pi;
    const WR = W - poorW;
    if (certified && WR > 0) {
      const kap = this.kappa[p];
      const rho = pi / kap;
      const eRho = ePi / kap + rho * U51;
      this.evRhoLow = rho - eRho;
      this.evRhoHigh = rho + eRho;
      this.evWR = WR;
      this.evPoorW = poorW;
      return;
    }
    this.exactPrice(p, WR > 0 ? pi : cost / W);
  }

  /**
   * Exact price of p (affordable) with the supporters gathered in scratch. Voters whose float ratio
   * is clearly below/above the float guess are poor/rich; those in a window around it are ordered
   * by exact budget. The window result is accepted only if the exact price lands inside the window
   * (then every voter outside is provably classified right); otherwise the window widens, finally
   * to everyone.
   */
  private exactPrice(p: number, guess: number): void {
    const { sb, sw, sv, mark, cnt } = this;
    const E = this.E;
    const D = this.D;
    const cD = this.costBig[p] * D;
    const windows = [Math.abs(guess) * 2 ** -30 + E, Math.abs(guess) * 2 ** -15 + E * 64, Math.abs(guess) + E * 4096, Infinity];
    for (const win of windows) {
      const lo = guess - win;
      const hi = guess + win;
      const poor0: number[] = [];
      const uncertain: number[] = [];
      let wRich0 = 0;
      for (let k = 0; k < cnt; k++) {
        if (win !== Infinity) {
          const rHigh = ((sb[k] + E) / sw[k]) * (1 + U50);
          const rLow = ((sb[k] - E) / sw[k]) * (1 - U50);
          if (rHigh < lo) {
            poor0.push(k);
            continue;
          }
          if (rLow > hi) {
            wRich0 += sw[k];
            continue;
          }
        }
        uncertain.push(k);
      }
      const xPoor0 = poor0.length > 0 ? this.exactSumScratch(poor0, poor0.length, true) : 0n;
      // Exact budgets of the uncertain voters, once per distinct payment history.
      const byHistory = new Map<string, bigint>();
      const xs = uncertain.map((k) => {
        const v = sv[k];
        let key = "";
        for (let e = this.histHead[v]; e >= 0; e = this.histNext[e]) key += `${this.histRound[e]}:${this.histW[e]},`;
        let x = byHistory.get(key);
        if (x === undefined) {
          x = this.exactSumScratch([v], 1, false);
          byHistory.set(key, x);
        }
        return x;
      });
      const ws = uncertain.map((k) => BigInt(sw[k]));
      const order = uncertain.map((_, i) => i).sort((a, b) => {
        const l = xs[a] * ws[b];
        const r = xs[b] * ws[a];
        return l < r ? -1 : l > r ? 1 : 0;
      });
      let xPoor = xPoor0;
      let wRem = BigInt(wRich0);
      for (const w of ws) wRem += w;
      const poorU = new Uint8Array(uncertain.length);
      for (const i of order) {
        // Candidate price (cD − xPoor) / (D · wRem); voter i is rich iff candidate · w_i ≤ b_i.
        if ((cD - xPoor) * ws[i] <= xs[i] * wRem) break;
        poorU[i] = 1;
        xPoor += xs[i];
        wRem -= ws[i];
      }
      if (wRem <= 0n) throw new Error("equal shares: internal error, affordable project with no rich supporter");
      const N = cD - xPoor;
      if (win !== Infinity) {
        const piF = ratioToNumber(N, D * wRem);
        if (!(piF * (1 - U49) > lo && piF * (1 + U49) <= hi)) continue;
      }
      const poorSet = new Uint8Array(cnt);
      for (const k of poor0) poorSet[k] = 1;
      uncertain.forEach((k, i) => (poorSet[k] = poorU[i]));
      let poorW = 0;
      for (let k = 0; k < cnt; k++) {
        mark[k] = poorSet[k];
        if (poorSet[k]) poorW += sw[k];
      }
      const WR = Number(wRem);
      this.evExact = true;
      this.evN = N;
      this.evWR = WR;
      this.evPoorW = poorW;
      const rhoF = ratioToNumber(N, D * wRem * this.kappaBig[p]);
      this.evRhoLow = rhoF * (1 - U49);
      this.evRhoHigh = rhoF * (1 + U49);
      this.evPi = ratioToNumber(N, D * wRem);
      return;
    }
    throw new Error("equal shares: internal error, exact price not found");
  }

  /** Exact numerator of p's price over D (price = N / (D · WR)), with p's supporters in scratch. */
  priceExact(p: number): { N: bigint; WR: number } {
    if (this.kept === p) this.restoreKept();
    else this.evaluate(p);
    if (!this.evAffordable) throw new Error("equal shares: internal error, pricing an unaffordable project");
    if (this.evExact) return { N: this.evN, WR: this.evWR };
    const poor: number[] = [];
    for (let k = 0; k < this.cnt; k++) if (this.mark[k]) poor.push(k);
    const xPoor = poor.length > 0 ? this.exactSumScratch(poor, poor.length, true) : 0n;
    return { N: this.costBig[p] * this.D - xPoor, WR: this.evWR };
  }

  /** Buys p (currently in scratch, priced exactly at N / (D · WR)). */
  private pay(p: number, N: bigint, WR: number, trace: MesRoundTrace[] | null): void {
    const oldD = this.D;
    if (trace) {
      const price = rat(N, oldD * BigInt(WR));
      const payments: MesPayment[] = [];
      for (let k = 0; k < this.cnt; k++) {
        const v = this.sv[k];
        payments.push({
          voter: v,
          amount: this.mark[k] ? rat(this.exactBudget(v), oldD) : rat(price.num * BigInt(this.sw[k]), price.den),
        });
      }
      trace.push({ project: p, price, rho: rat(price.num, price.den * this.kappaBig[p]), payments });
    }
    const T = ++this.T;
    this.roundN[T] = N;
    this.roundWR[T] = WR;
    this.roundWRBig[T] = BigInt(WR);
    this.D = oldD * BigInt(WR);
    const piF = ratioToNumber(N, this.D);
    const { sv, sw, mark, bf, zero } = this;
    for (let k = 0; k < this.cnt; k++) {
      const v = sv[k];
      if (mark[k]) {
        zero[v] = 1;
        bf[v] = 0;
      } else {
        bf[v] -= piF * sw[k];
        const e = this.histLen++;
        this.histRound[e] = T;
        this.histW[e] = sw[k];
        this.histNext[e] = this.histHead[v];
        this.histHead[v] = e;
      }
    }
    this.E += piF * this.wmax * U49 + this.b0f * U51;
  }

  /** Active candidates sorted by their lower bound (stale ρ), ties by lexicographic rank. */
  private sortedActive(order: number[]): number[] {
    const lb = this.lb;
    const lex = this.c.lexRank;
    const list = order.filter((j) => this.active[j] === 1);
    // Mostly sorted already: insertion sort.
    for (let i = 1; i < list.length; i++) {
      const x = list[i];
      const key = lb[x];
      let k = i - 1;
      while (k >= 0 && (lb[list[k]] > key || (lb[list[k]] === key && lex[list[k]] > lex[x]))) {
        list[k + 1] = list[k];
        k--;
      }
      list[k + 1] = x;
    }
    return list;
  }

  /** One MES run with per-voter budget b0num / b0den. */
  run(b0num: bigint, b0den: bigint, withTrace = false): RunResult {
    this.runs++;
    this.reset(b0num, b0den);
    const traceRounds: MesRoundTrace[] | null = withTrace ? [] : null;
    const sequence: number[] = [];
    const rhoHigh: number[] = [];
    let order = this.sortedActive(Array.from(this.candidates));
    const contenders: number[] = [];
    const lows: number[] = [];
    const highs: number[] = [];
    for (;;) {
      let bestHigh = Infinity;
      contenders.length = 0;
      lows.length = 0;
      highs.length = 0;
      this.kept = -1;
      for (const q of order) {
        if (this.lb[q] > bestHigh) break;
        this.evaluate(q);
        if (!this.evAffordable) {
          this.active[q] = 0;
          continue;
        }
        this.lb[q] = this.evRhoLow;
        contenders.push(q);
        lows.push(this.evRhoLow);
        highs.push(this.evRhoHigh);
        if (this.evRhoHigh < bestHigh) {
          bestHigh = this.evRhoHigh;
          this.keepScratch(q);
        }
      }
      // Projects whose interval reaches below the best upper bound may be the minimum.
      const close: number[] = [];
      let closeHigh = Infinity;
      for (let i = 0; i < contenders.length; i++) {
        if (lows[i] <= bestHigh) {
          close.push(contenders[i]);
          closeHigh = Math.min(closeHigh, highs[i]);
        }
      }
      if (close.length === 0) break;
      let winner = close[0];
      let winnerHigh = closeHigh;
      let price: { N: bigint; WR: number };
      if (close.length === 1) {
        price = this.priceExact(winner);
        winnerHigh = this.evRhoHigh;
      } else {
        // Exact comparison: ρ_q = N_q / (D · WR_q · κ_q); same D for all, so cross-multiply.
        let best = this.priceExact(close[0]);
        winnerHigh = this.evRhoHigh;
        for (let i = 1; i < close.length; i++) {
          const q = close[i];
          const pq = this.priceExact(q);
          const l = pq.N * BigInt(best.WR) * this.kappaBig[winner];
          const r = best.N * BigInt(pq.WR) * this.kappaBig[q];
          if (l < r || (l === r && this.c.lexRank[q] < this.c.lexRank[winner])) {
            winner = q;
            best = pq;
            winnerHigh = this.evRhoHigh;
          }
        }
        price = best;
        if (winner !== close[close.length - 1]) this.evaluate(winner); // reload scratch and marks
      }
      this.pay(winner, price.N, price.WR, traceRounds);
      this.active[winner] = 0;
      sequence.push(winner);
      rhoHigh.push(winnerHigh);
      order = this.sortedActive(order);
    }
    return this.result(sequence, rhoHigh, traceRounds);
  }

  /**
   * Skip-ahead certificate. `ref` is the run at per-voter budget b; this replays ref's sequence at
   * b' = b0num/b0den > b and checks that every run with a per-voter budget in [b, b'] makes the same
   * picks. Returns the run at b' if so, null if the check cannot be made.
   *
   * Why it is sound: for a fixed sequence of picks, every budget at every round is non-decreasing
   * in the per-voter budget, so every ρ is non-increasing and affordability can only appear (proof
   * in README.md). Hence ρ_w(b'') ≤ ρ_w(b) and ρ_q(b'') ≥ ρ_q(b') for b ≤ b'' ≤ b', and a project
   * unaffordable at b' is unaffordable at b''. Requiring, in every round, ρ_q(b') > ρ_w(b) (or ≥
   * when the pick wins the lexicographic tie-break) for every other remaining project q — or q
   * unaffordable at b' — and, at the end, every remaining project unaffordable at b', forces the
   * same pick in every round for every b'' in between.
   */
  replay(b0num: bigint, b0den: bigint, ref: RunResult): RunResult | null {
    this.runs++;
    this.reset(b0num, b0den);
    const rhoHigh: number[] = [];
    const lex = this.c.lexRank;
    let order = this.sortedActive(Array.from(this.candidates));
    for (let t = 0; t < ref.sequence.length; t++) {
      const w = ref.sequence[t];
      if (this.active[w] !== 1) return null;
      this.evaluate(w);
      if (!this.evAffordable) return null;
      const H = ref.rhoHigh[t];
      for (const q of order) {
        if (q === w) continue;
        if (this.lb[q] > H) break;
        if (this.lb[q] >= H && lex[w] < lex[q]) continue;
        this.evaluate(q);
        if (!this.evAffordable) {
          this.active[q] = 0;
          continue;
        }
        this.lb[q] = this.evRhoLow;
        if (!(this.evRhoLow > H || (this.evRhoLow >= H && lex[w] < lex[q]))) return null;
      }
      const price = this.priceExact(w);
      this.lb[w] = this.evRhoLow;
      rhoHigh.push(this.evRhoHigh);
      this.pay(w, price.N, price.WR, null);
      this.active[w] = 0;
      order = this.sortedActive(order);
    }
    for (const q of order) {
      this.evaluate(q);
      if (this.evAffordable) return null;
    }
    return this.result(ref.sequence.slice(), rhoHigh, null);
  }

  private result(sequence: number[], rhoHigh: number[], traceRounds: MesRoundTrace[] | null): RunResult {
    const selected = [...this.preselected, ...sequence];
    let cost = 0;
    for (const j of selected) cost += this.costs[j];
    const result: RunResult = { selected, sequence, rhoHigh, cost };
    if (traceRounds) result.trace = { perVoterBudget: rat(this.b0num, this.b0den), preselected: [...this.preselected], rounds: traceRounds };
    return result;
  }

  /** Can any candidate not in `selected` still be bought with what the budget leaves? */
  isExhaustive(selected: readonly number[], cost: number, budget: number): boolean {
    const chosen = new Set(selected);
    for (const j of this.candidates) if (!chosen.has(j) && cost + this.costs[j] <= budget) return false;
    return true;
  }
}

const engines = new WeakMap<Compiled, Map<Utility, MesEngine>>();

function engineFor(profile: Profile, utility: Utility): MesEngine {
  const compiled = compile(profile);
  let byUtility = engines.get(compiled);
  if (!byUtility) engines.set(compiled, (byUtility = new Map()));
  let engine = byUtility.get(utility);
  if (!engine) byUtility.set(utility, (engine = new MesEngine(compiled, utility)));
  engine.runs = 0;
  return engine;
}

/** The Method of Equal Shares, optionally with the add-one completion and a greedy fill. */
export function equalShares(profile: Profile, options: EqualSharesOptions = {}): EqualSharesOutcome {
  const utility = options.utility ?? "cost";
  const engine = engineFor(profile, utility);
  const n = BigInt(profile.voterCount);
  const B = BigInt(profile.budget);
  let chosen: RunResult;
  let steps = 0;
  let perVoter: Rational;
  if (profile.voterCount === 0) {
    chosen = { selected: [], sequence: [], rhoHigh: [], cost: 0 };
    perVoter = rat(0);
  } else if (options.completion !== "add1") {
    chosen = engine.run(B, n, options.trace);
    perVoter = rat(B, n);
  } else {
    if (!Number.isSafeInteger(options.increment ?? 1) || (options.increment ?? 1) <= 0) throw new RangeError("increment must be a positive integer");
    const increment = BigInt(options.increment ?? 1);
    const stopExhaustive = options.completionStop === "exhaustive";
    const skipAhead = options.skipAhead ?? true;
    const numAt = (k: number) => B + BigInt(k) * increment * n;
    const allCandidates = engine.candidates.length;
    let k = 0;
    let current = engine.run(numAt(0), n);
    let previous: RunResult | null = null;
    let previousK = 0;
    let stable = 0; // consecutive steps with an unchanged sequence
    let delta = 2;
    let patience = 1;
    for (;;) {
      if (current.cost > profile.budget) {
        if (previous === null) throw new Error("equal shares: internal error, the first run overspends");
        chosen = previous;
        steps = previousK;
        break;
      }
      if (current.sequence.length === allCandidates || (stopExhaustive && engine.isExhaustive(current.selected, current.cost, profile.budget))) {
        chosen = current;
        steps = k;
        break;
      }
      previous = current;
      previousK = k;
      // Skip-ahead (galloping): after `patience` unchanged steps, try to certify the next `delta`
      // steps with one replay (about the cost of one run). Success doubles the jump; failure halves
      // it down to 2, then falls back to a plain step and doubles the patience, so elections whose
      // picks keep changing pay for few failed replays.
      if (skipAhead && stable >= patience) {
        let jumped = false;
        for (let d = delta; d >= 2; d = Math.floor(d / 2)) {
          const jump = engine.replay(numAt(k + d), n, current);
          if (jump) {
            k += d;
            current = jump;
            delta = d * 2;
            patience = 1;
            jumped = true;
            break;
          }
        }
        if (jumped) continue;
        delta = 2;
        patience = Math.min(patience * 2, 64);
        stable = 0;
      }
      k++;
      const next = engine.run(numAt(k), n);
      stable = sameSequence(next.sequence, current.sequence) ? stable + 1 : 0;
      current = next;
    }
    perVoter = rat(numAt(steps), n);
    if (options.trace) chosen = engine.run(numAt(steps), n, true);
  }
  const runs = engine.runs;
  const mesSelected = chosen.selected;
  let selected = mesSelected;
  let cost = chosen.cost;
  if (options.greedyFill) {
    const filled = greedy(profile, { utility, initial: mesSelected });
    selected = filled.selected;
    cost = filled.cost;
  }
  return { selected, cost, mesSelected, perVoterBudget: perVoter, steps, runs, ...(chosen.trace ? { trace: chosen.trace } : {}) };
}

function sameSequence(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
