/**
 * Property tests (fast-check) on random small elections, many of them full of exact ties:
 *  - every rule agrees with the slow exact reference implementation (reference.ts);
 *  - no outcome exceeds the budget;
 *  - Equal Shares never charges a voter more than their share, and every bought project is paid
 *    exactly (payments exposed by the rule's trace);
 *  - greedy with cost utilities selects exactly what "most votes first, skip what doesn't fit" selects;
 *  - the add-one completion with skip-ahead equals naive +1 stepping.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { equalShares } from "./equal-shares.js";
import { greedy } from "./greedy.js";
import { phragmen } from "./phragmen.js";
import { compile, makeProfile, totalCost, type Profile, type SimpleElection, type Utility } from "./profile.js";
import { add, cmp, rat, ZERO } from "./rational.js";
import { referenceGreedy, referenceMes, referenceMesAdd1, referencePhragmen } from "./reference.js";

interface Shape {
  maxProjects: number;
  maxCost: number;
  maxVoters: number;
  points: boolean;
}

/**
 * Random elections: 1..maxProjects projects (some costing 0), 1..maxVoters voters with mostly
 * non-empty ballots, and a budget between 5% and 120% of the total cost.
 */
function electionArb(shape: Shape): fc.Arbitrary<Profile> {
  return fc.integer({ min: 1, max: shape.maxProjects }).chain((m) =>
    fc
      .record({
        costs: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 8, arbitrary: fc.integer({ min: 1, max: shape.maxCost }) }), { minLength: m, maxLength: m }),
        budgetPercent: fc.integer({ min: 5, max: 120 }),
        ballots: fc.array(
          fc.oneof(
            { weight: 1, arbitrary: fc.constant([] as [number, number][]) },
            { weight: 9, arbitrary: fc.uniqueArray(fc.tuple(fc.nat(m - 1), fc.integer({ min: 1, max: 3 })), { selector: (t) => t[0], minLength: 1, maxLength: m }) },
          ),
          { minLength: 1, maxLength: shape.maxVoters },
        ),
        // Project ids: mixes numbers and letters so that code-point order differs from numeric order.
        ids: fc.constantFrom(["1", "2", "10", "b", "a", "20", "3", "ab"], ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"]),
      })
      .map(({ costs, budgetPercent, ballots, ids }) => {
        const total = costs.reduce((a, b) => a + b, 0);
        const election: SimpleElection = {
          budget: Math.max(1, Math.floor((total * budgetPercent) / 100)),
          projects: costs.map((cost, j) => ({ id: ids[j], cost })),
          ballots: ballots.map((b) => (shape.points ? Object.fromEntries(b.map(([j, w]) => [ids[j], w])) : b.map(([j]) => ids[j]))),
        };
        return makeProfile(election);
      }),
  );
}

const SMALL: Shape = { maxProjects: 6, maxCost: 12, maxVoters: 8, points: false };
const SMALL_POINTS: Shape = { ...SMALL, points: true };
const WIDER: Shape = { maxProjects: 8, maxCost: 1_000_000, maxVoters: 40, points: false };
// For the add-one completion: amounts large enough for the float filter to matter, small enough that
// completions stay within a few hundred steps.
const MODERATE: Shape = { maxProjects: 8, maxCost: 2_000, maxVoters: 30, points: false };
const utilities: Utility[] = ["cost", "approval"];
const runs = { numRuns: 300 };

describe("rules agree with the exact reference", () => {
  for (const shape of [SMALL, SMALL_POINTS, WIDER]) {
    const label = shape === SMALL ? "small approval" : shape === SMALL_POINTS ? "small cumulative" : "wide approval";
    for (const utility of utilities) {
      it(`greedy (${utility} utilities, ${label})`, () => {
        fc.assert(
          fc.property(electionArb(shape), (profile) => {
            assert.deepEqual(greedy(profile, { utility }).selected, referenceGreedy(profile, utility));
          }),
          runs,
        );
      });
      it(`Equal Shares (${utility} utilities, ${label})`, () => {
        fc.assert(
          fc.property(electionArb(shape), (profile) => {
            const fast = equalShares(profile, { utility });
            const ref = profile.voterCount === 0 ? { selected: [] } : referenceMes(profile, utility, rat(profile.budget, profile.voterCount));
            assert.deepEqual(fast.selected, ref.selected);
          }),
          runs,
        );
      });
    }
    if (!shape.points) {
      it(`sequential Phragmén (${label})`, () => {
        fc.assert(
          fc.property(electionArb(shape), (profile) => {
            assert.deepEqual(phragmen(profile).selected, referencePhragmen(profile));
          }),
          runs,
        );
      });
    }
  }
});

describe("add-one completion", () => {
  // Costs large against the per-voter budget, so completions take tens of steps and skip-ahead engages.
  const STEPPY: Shape = { maxProjects: 6, maxCost: 150, maxVoters: 7, points: false };
  for (const shape of [SMALL, STEPPY, { ...STEPPY, points: true }]) {
    for (const utility of utilities) {
      it(`skip-ahead equals naive stepping equals the reference (${utility}, ${shape === SMALL ? "small" : shape.points ? "steppy cumulative" : "steppy"})`, () => {
        fc.assert(
          fc.property(electionArb(shape), fc.constantFrom<"overspend" | "exhaustive">("overspend", "exhaustive"), (profile, stop) => {
            const skip = equalShares(profile, { utility, completion: "add1", completionStop: stop, skipAhead: true });
            const naive = equalShares(profile, { utility, completion: "add1", completionStop: stop, skipAhead: false });
            const ref = referenceMesAdd1(profile, utility, { stop });
            assert.deepEqual(naive.selected, ref.selected);
            assert.equal(naive.steps, ref.steps);
            assert.deepEqual(skip.selected, naive.selected);
            assert.equal(skip.steps, naive.steps);
            assert.ok(skip.cost <= profile.budget);
          }),
          { numRuns: 200 },
        );
      });
    }
  }

  it("skip-ahead skips: a long stable stretch costs a handful of runs", () => {
    // 100 voters, budget 10,000 (100 each). Everyone backs A (6,000); voter 0 also backs X (4,500),
    // voter 1 also Y (3,000). Y becomes affordable after 2,960 increments, X after 4,460, where
    // A + X + Y overspends: naive stepping runs Equal Shares 4,461 times.
    const ballots: string[][] = Array.from({ length: 100 }, () => ["A"]);
    ballots[0] = ["A", "X"];
    ballots[1] = ["A", "Y"];
    const profile = makeProfile({ budget: 10_000, projects: [{ id: "A", cost: 6000 }, { id: "X", cost: 4500 }, { id: "Y", cost: 3000 }], ballots });
    const naive = equalShares(profile, { completion: "add1", skipAhead: false });
    const skip = equalShares(profile, { completion: "add1" });
    assert.deepEqual(naive.selected.map((j) => profile.projectIds[j]), ["A", "Y"]);
    assert.equal(naive.steps, 4459);
    assert.deepEqual(skip.selected, naive.selected);
    assert.equal(skip.steps, naive.steps);
    assert.equal(naive.runs, 4461);
    assert.ok(skip.runs < 100, `skip-ahead took ${skip.runs} runs against naive ${naive.runs}`);
  });
});

describe("outcomes never exceed the budget", () => {
  it("for every rule and option", () => {
    fc.assert(
      fc.property(electionArb(MODERATE), fc.constantFrom(...utilities), fc.boolean(), (profile, utility, fill) => {
        for (const outcome of [
          greedy(profile, { utility }),
          equalShares(profile, { utility, greedyFill: fill }),
          equalShares(profile, { utility, completion: "add1", greedyFill: fill }),
          phragmen(profile),
        ]) {
          assert.ok(totalCost(profile, outcome.selected) <= profile.budget);
          assert.equal(totalCost(profile, outcome.selected), outcome.cost);
          assert.equal(new Set(outcome.selected).size, outcome.selected.length);
        }
      }),
      runs,
    );
  });
});

describe("Equal Shares payments", () => {
  for (const shape of [SMALL, SMALL_POINTS, MODERATE]) {
    it(`no voter pays more than their share; each project is paid exactly (${shape.points ? "cumulative" : "approval"}, max cost ${shape.maxCost})`, () => {
      fc.assert(
        fc.property(electionArb(shape), fc.constantFrom(...utilities), fc.boolean(), (profile, utility, add1) => {
          const outcome = equalShares(profile, { utility, completion: add1 ? "add1" : null, trace: true });
          if (profile.voterCount === 0) return;
          const trace = outcome.trace!;
          assert.equal(cmp(trace.perVoterBudget, outcome.perVoterBudget), 0);
          const spent = new Map<number, typeof ZERO>();
          const c = compile(profile);
          for (const round of trace.rounds) {
            let paid = ZERO;
            for (const { voter, amount } of round.payments) {
              assert.ok(amount.num >= 0n);
              spent.set(voter, add(spent.get(voter) ?? ZERO, amount));
              paid = add(paid, amount);
            }
            assert.equal(cmp(paid, rat(profile.costs[round.project])), 0, "the project is paid exactly");
            // Every paying voter supports the project.
            for (const { voter } of round.payments) {
              let supports = false;
              for (let k = c.supStart[round.project]; k < c.supStart[round.project + 1]; k++) if (c.supVoter[k] === voter) supports = true;
              assert.ok(supports);
            }
          }
          for (const total of spent.values()) assert.ok(cmp(total, trace.perVoterBudget) <= 0, "a voter paid more than their share");
          // And the trace agrees with the reference's payments.
          if (!add1) {
            const ref = referenceMes(profile, utility, trace.perVoterBudget);
            ref.budgets.forEach((left, v) => {
              const used = spent.get(v) ?? ZERO;
              assert.equal(cmp(add(left, used), trace.perVoterBudget), 0);
            });
          }
        }),
        runs,
      );
    });
  }
});

describe("greedy with cost utilities is 'most votes first, skip what doesn't fit'", () => {
  it("selects the same projects (order differs only for projects costing 0, which always fit)", () => {
    fc.assert(
      fc.property(electionArb(WIDER), (profile) => {
        const c = compile(profile);
        const byVotes = Array.from({ length: c.m }, (_, j) => j).sort((a, b) => c.totalWeight[b] - c.totalWeight[a] || c.lexRank[a] - c.lexRank[b]);
        const chosen: number[] = [];
        let left = profile.budget;
        for (const j of byVotes) {
          if (profile.costs[j] <= left) {
            chosen.push(j);
            left -= profile.costs[j];
          }
        }
        const outcome = greedy(profile, { utility: "cost" });
        assert.deepEqual([...outcome.selected].sort((a, b) => a - b), [...chosen].sort((a, b) => a - b));
        const positive = (list: number[]) => list.filter((j) => profile.costs[j] > 0);
        assert.deepEqual(positive(outcome.selected), positive(chosen));
      }),
      runs,
    );
  });
});
