/**
 * Small worked examples. The instances and expected outcomes come from pabutools' own rule tests
 * (tests/rules/test_rule.py in COMSOC-Community/pabutools: the AppEx elections, the empty and
 * all-affordable profiles, the Lackner–Skowron running example, test_completion,
 * test_iterated_exhaustion and the MES analytics cases); the test code is ours. Where pabutools uses
 * fractional costs or budget steps, every amount is multiplied by one constant, which changes no
 * outcome of these rules (they are homogeneous in money). Where pabutools lists several tied outcomes
 * (irresolute), we check the one its default lexicographic tie-breaking picks.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equalShares, type EqualSharesOptions } from "./equal-shares.js";
import { greedy } from "./greedy.js";
import { phragmen } from "./phragmen.js";
import { makeProfile, type Profile, type Utility } from "./profile.js";
import { add, cmp, rat, sub, ZERO, type Rational } from "./rational.js";

const ids = (profile: Profile, selected: readonly number[]) => selected.map((j) => profile.projectIds[j]);
const sorted = (xs: string[]) => [...xs].sort();

function election(budget: number, costs: Record<string, number>, ballots: string[][]): Profile {
  return makeProfile({ budget, projects: Object.entries(costs).map(([id, cost]) => ({ id, cost })), ballots });
}

const mes = (p: Profile, utility: Utility, extra: EqualSharesOptions = {}) => sorted(ids(p, equalShares(p, { utility, ...extra }).selected));
const greedySet = (p: Profile, utility: Utility) => ids(p, greedy(p, { utility }).selected);

describe("pabutools AppEx_1: two voters approve everything", () => {
  const p = election(3, { p0: 1, p1: 3, p2: 2, p3: 1 }, [["p0", "p1", "p2", "p3"], ["p0", "p1", "p2", "p3"]]);
  it("greedy, cost utilities: all tied on votes, so id order: p0, (p1 does not fit), p2", () => {
    assert.deepEqual(greedySet(p, "cost"), ["p0", "p2"]);
  });
  it("greedy, approval utilities: votes per cost: p0 and p3", () => {
    assert.deepEqual(greedySet(p, "approval"), ["p0", "p3"]);
  });
});

describe("pabutools AppEx_2 and AppEx_3 (costs ×100: 1, 0.9, 2, 1.09 → 100, 90, 200, 109; budget 400)", () => {
  const ballots = [["p0"], ["p1", "p2", "p3"], ["p1", "p2", "p3"], ["p2"]];
  const ex2 = election(400, { p0: 100, p1: 90, p2: 200, p3: 109 }, ballots);
  const ex3 = election(400, { p0: 100, p1: 90, p2: 200, p3: 109, p4: 109, p5: 109 }, ballots); // p4, p5: nobody's
  // pabutools' iterated MES adds 1/10 per voter (×100 = 10) and stops at the first exhaustive outcome.
  const iterated = { completion: "add1", increment: 10, completionStop: "exhaustive" } as const;
  for (const [name, p] of [["AppEx_2", ex2], ["AppEx_3", ex3]] as const) {
    it(`${name}: Equal Shares with approval utilities selects p0, p1, p3`, () => {
      assert.deepEqual(mes(p, "approval"), ["p0", "p1", "p3"]);
    });
    it(`${name}: Equal Shares with cost utilities selects p0, p2`, () => {
      assert.deepEqual(mes(p, "cost"), ["p0", "p2"]);
    });
    it(`${name}: iterated Equal Shares with cost utilities selects p0, p1, p2`, () => {
      assert.deepEqual(mes(p, "cost", iterated), ["p0", "p1", "p2"]);
    });
  }
  it("AppEx_2: iterated Equal Shares with approval utilities selects p0, p1, p3", () => {
    assert.deepEqual(mes(ex2, "approval", iterated), ["p0", "p1", "p3"]);
  });
});

describe("pabutools AppEx_4: a project costing 0 (costs ×10)", () => {
  const p = election(20, { p0: 0, p1: 10, p2: 20 }, [["p0"], ["p0", "p1", "p2"], ["p2"]]);
  const iterated = { completion: "add1", increment: 1, completionStop: "exhaustive" } as const; // 1/10 per voter ×10
  it("greedy, cost utilities: p2 then p0 (p0 gives no cost utility, density 0, but fits)", () => {
    assert.deepEqual(sorted(greedySet(p, "cost")), ["p0", "p2"]);
  });
  it("greedy, approval utilities: p0 (∞), then p1 and p2 tie at 1 vote per unit; p1 comes first by id", () => {
    assert.deepEqual(greedySet(p, "approval"), ["p0", "p1"]);
  });
  it("Equal Shares, cost utilities: nothing (p0 gives 0 utility, the rest is unaffordable)", () => {
    assert.deepEqual(mes(p, "cost"), []);
  });
  it("Equal Shares, approval utilities: only the free project p0", () => {
    assert.deepEqual(mes(p, "approval"), ["p0"]);
  });
  it("iterated Equal Shares, cost utilities: p2", () => {
    assert.deepEqual(mes(p, "cost", iterated), ["p2"]);
  });
  it("iterated Equal Shares, approval utilities: p0 and one of p1/p2 (pabutools lists both)", () => {
    const out = mes(p, "approval", iterated);
    assert.ok(JSON.stringify(out) === JSON.stringify(["p0", "p1"]) || JSON.stringify(out) === JSON.stringify(["p0", "p2"]), JSON.stringify(out));
  });
});

describe("pabutools EmptyProfile: one empty ballot", () => {
  const p = election(3, { p0: 1, p1: 3, p2: 2, p3: 1 }, [[]]);
  it("greedy: every density is 0, so id order: p0, (p1 does not fit), p2", () => {
    assert.deepEqual(greedySet(p, "cost"), ["p0", "p2"]);
    assert.deepEqual(greedySet(p, "approval"), ["p0", "p2"]);
  });
  it("Equal Shares, with or without completion: nothing", () => {
    for (const utility of ["cost", "approval"] as const) {
      assert.deepEqual(mes(p, utility), []);
      assert.deepEqual(mes(p, utility, { completion: "add1" }), []);
    }
  });
  it("Phragmén: all tied at +∞; p0 first by id, then the tie includes p1, which no longer fits: stop", () => {
    assert.deepEqual(ids(p, phragmen(p).selected), ["p0"]);
  });
});

describe("pabutools AllAfford: one voter approves everything and the budget covers it", () => {
  const p = election(7, { p0: 1, p1: 3, p2: 2, p3: 1 }, [["p0", "p1", "p2", "p3"]]);
  it("every rule selects all four projects", () => {
    const all = ["p0", "p1", "p2", "p3"];
    for (const utility of ["cost", "approval"] as const) {
      assert.deepEqual(sorted(greedySet(p, utility)), all);
      assert.deepEqual(mes(p, utility), all);
      assert.deepEqual(mes(p, utility, { completion: "add1" }), all);
    }
    assert.deepEqual(sorted(ids(p, phragmen(p).selected)), all);
  });
});

describe("pabutools: the running example of Lackner & Skowron (2023)", () => {
  const ballots = [
    ...Array.from({ length: 3 }, () => ["a", "b"]),
    ...Array.from({ length: 3 }, () => ["a", "c"]),
    ...Array.from({ length: 2 }, () => ["a", "d"]),
    ["b", "c", "f"],
    ["e"],
    ["f"],
    ["g"],
  ];
  const costs = (unit: number) => Object.fromEntries(["a", "b", "c", "d", "e", "f", "g"].map((id) => [id, unit]));
  const p = election(4, costs(1), ballots);
  it("Phragmén selects a, b, c, d", () => {
    assert.deepEqual(sorted(ids(p, phragmen(p).selected)), ["a", "b", "c", "d"]);
  });
  it("Equal Shares (cost and approval utilities) selects only a", () => {
    assert.deepEqual(mes(p, "cost"), ["a"]);
    assert.deepEqual(mes(p, "approval"), ["a"]);
  });
  // test_iterated_exhaustion raises the total budget by 1/24 per step, i.e. 1/288 per voter:
  // with every amount ×288, that is our add-one completion with an increment of 1.
  const scaled = election(4 * 288, costs(288), ballots);
  it("the budget-increase completion selects a, b, c, d (both stopping rules)", () => {
    assert.deepEqual(mes(scaled, "cost", { completion: "add1" }), ["a", "b", "c", "d"]);
    assert.deepEqual(mes(scaled, "cost", { completion: "add1", completionStop: "exhaustive" }), ["a", "b", "c", "d"]);
  });
  it("with a total step of 5 (5 × 288 / 12 = 120 per voter) the first raise already overspends: a", () => {
    assert.deepEqual(mes(scaled, "cost", { completion: "add1", increment: 120 }), ["a"]);
  });
});

describe("pabutools test_completion", () => {
  it("Equal Shares selects a; completed by greedy it selects a, b, c", () => {
    const p = election(5, { a: 1, b: 2, c: 2, d: 1, e: 1, f: 1 }, [
      ["a", "b"],
      ["a", "b"],
      ["a"],
      ["a", "c"],
      ["a", "c"],
      ["a", "c"],
      ["a", "d"],
      ["a", "d"],
      ["f"],
      ["e"],
    ]);
    assert.deepEqual(mes(p, "cost"), ["a"]);
    assert.deepEqual(mes(p, "cost", { greedyFill: true }), ["a", "b", "c"]);
  });
  it("Equal Shares selects p1 alone when p2 and p3 lack support", () => {
    const p = election(4, { p1: 2, p2: 2, p3: 3 }, [["p1"], ["p1"], ["p1"], ["p1"], ["p1"], ["p2"], ["p3"], ["p3"]]);
    assert.deepEqual(mes(p, "cost"), ["p1"]);
  });
});

/** Budgets left after each round, from the rule's trace of payments. */
function budgetsPerRound(p: Profile, utility: Utility, options: EqualSharesOptions = {}): { picked: string[]; rounds: Rational[][]; perVoter: Rational } {
  const out = equalShares(p, { utility, trace: true, ...options });
  const trace = out.trace!;
  const left: Rational[] = Array.from({ length: p.voterCount }, () => trace.perVoterBudget);
  const rounds: Rational[][] = [left.slice()];
  for (const round of trace.rounds) {
    for (const { voter, amount } of round.payments) left[voter] = sub(left[voter], amount);
    rounds.push(left.slice());
  }
  return { picked: sorted(ids(p, out.mesSelected)), rounds, perVoter: trace.perVoterBudget };
}

const fr = (n: number, d = 1) => rat(n, d);
const same = (actual: Rational[], expected: Rational[]) => actual.length === expected.length && actual.every((x, i) => cmp(x, expected[i]) === 0);

describe("pabutools test_mes_analytics: voters' budgets after every round", () => {
  const base = (costs: number[], third: number[], fourth: number[]) => {
    const names = ["a", "b", "c", "d", "e"];
    return election(
      5,
      Object.fromEntries(names.map((id, i) => [id, costs[i]])),
      [["a", "b"], ["a", "b"], ["a"], third.map((i) => names[i]), fourth.map((i) => names[i]), ["a", "c"], ["a", "d"], ["a", "d"], ["e"], ["e"]],
    );
  };
  const h = fr(1, 2);
  const cases: [string, number[], number[], number[], string[], Rational[][]][] = [
    ["a only", [1, 1, 2, 1, 2], [0, 2], [0, 2], ["a"], [Array(10).fill(h), [...Array(8).fill(fr(3, 8)), h, h]]],
    [
      "a then b (fourth voter approves only a)",
      [1, 1, 2, 1, 2],
      [0, 1, 2],
      [0],
      ["a", "b"],
      [Array(10).fill(h), [...Array(8).fill(fr(3, 8)), h, h], [fr(1, 24), fr(1, 24), fr(3, 8), fr(1, 24), fr(3, 8), fr(3, 8), fr(3, 8), fr(3, 8), h, h]],
    ],
    [
      "a then b (both approve a, b, c)",
      [1, 1, 2, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
      ["a", "b"],
      [Array(10).fill(h), [...Array(8).fill(fr(3, 8)), h, h], [fr(1, 8), fr(1, 8), fr(3, 8), fr(1, 8), fr(1, 8), fr(3, 8), fr(3, 8), fr(3, 8), h, h]],
    ],
    [
      "a too expensive: b then d",
      [5, 1, 2, 1, 2],
      [0, 1, 2],
      [0, 1, 2],
      ["b", "d"],
      [
        Array(10).fill(h),
        [fr(1, 4), fr(1, 4), h, fr(1, 4), fr(1, 4), h, h, h, h, h],
        [fr(1, 4), fr(1, 4), h, fr(1, 4), fr(1, 4), h, ZERO, ZERO, h, h],
      ],
    ],
    ["everything too expensive", [5, 5, 5, 5, 5], [0, 1, 2], [0, 1, 2], [], [Array(10).fill(h)]],
  ];
  for (const [name, costs, third, fourth, picked, expected] of cases) {
    it(name, () => {
      const result = budgetsPerRound(base(costs, third, fourth), "cost");
      assert.deepEqual(result.picked, picked);
      assert.equal(result.rounds.length, expected.length);
      result.rounds.forEach((round, i) => assert.ok(same(round, expected[i]), `round ${i}: ${round.map((x) => `${x.num}/${x.den}`).join(" ")}`));
    });
  }

  it("test_iterated_exhaustion_analytics: the completion stops at 2/3 per voter (amounts ×240)", () => {
    // Total budget raised by 1/24 per step over 10 voters = 1/240 per voter: ×240, an increment of 1.
    const p = election(
      4 * 240,
      Object.fromEntries(["a", "b", "c", "d", "e", "f", "g", "h"].map((id) => [id, 240])),
      [["a", "b"], ["a", "b"], ["a", "c"], ["a", "c"], ["a", "d"], ["a", "d"], ["b", "c", "f"], ["e"], ["f"], ["g"]],
    );
    const result = budgetsPerRound(p, "cost", { completion: "add1", completionStop: "exhaustive" });
    assert.deepEqual(result.picked, ["a", "b", "c", "d"]);
    assert.equal(cmp(result.perVoter, fr(160)), 0);
    const u = (n: number, d = 1) => fr(240 * n, d);
    const expected = [
      Array(10).fill(u(2, 3)),
      [...Array(6).fill(u(1, 2)), ...Array(4).fill(u(2, 3))],
      [...Array(2).fill(u(1, 6)), ...Array(4).fill(u(1, 2)), u(1, 3), ...Array(3).fill(u(2, 3))],
      [...Array(4).fill(u(1, 6)), ...Array(2).fill(u(1, 2)), ZERO, ...Array(3).fill(u(2, 3))],
      [...Array(4).fill(u(1, 6)), ...Array(3).fill(ZERO), ...Array(3).fill(u(2, 3))],
    ];
    assert.equal(result.rounds.length, expected.length);
    result.rounds.forEach((round, i) => assert.ok(same(round, expected[i]), `round ${i}`));
    // The official stopping rule (stop only when the outcome would overspend) keeps the same projects.
    assert.deepEqual(mes(p, "cost", { completion: "add1" }), ["a", "b", "c", "d"]);
  });
});

describe("exact arithmetic where floats would round", () => {
  it("ties that only exact arithmetic sees are broken by id", () => {
    // Three voters per project; ρ = 1/3 for both with cost utilities — identical, so 'a' < 'b' wins.
    const p = election(10, { b: 7, a: 7 }, [["a", "b"], ["a", "b"], ["a", "b"]]);
    assert.deepEqual(ids(p, equalShares(p).selected), ["a"]);
  });
  it("a budget of exactly what the supporters hold is affordable", () => {
    // Per-voter budget 10/3; the three supporters hold exactly 10.
    const p = election(10, { x: 10 }, [["x"], ["x"], ["x"]]);
    assert.deepEqual(ids(p, equalShares(p).selected), ["x"]);
    const total = equalShares(p, { trace: true }).trace!.rounds[0].payments.reduce((s, x) => add(s, x.amount), ZERO);
    assert.equal(cmp(total, fr(10)), 0);
  });
});
