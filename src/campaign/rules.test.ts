import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { decideMotion, monthsBetween, promisedVsHeld, quorumOf, tallyVotes, yesNeeded } from "./rules.js";
import { THRESHOLDS, VOTES, type Vote } from "./schema.js";

const board = { seats: 5, quorum: null };

describe("quorum", () => {
  it("is a majority of the seats unless the bylaws fix it", () => {
    assert.equal(quorumOf({ seats: 5, quorum: null }), 3);
    assert.equal(quorumOf({ seats: 4, quorum: null }), 3);
    assert.equal(quorumOf({ seats: 1, quorum: null }), 1);
    assert.equal(quorumOf({ seats: 9, quorum: 4 }), 4);
  });

  it("counts abstaining and recused members as present, absent ones not", () => {
    // 3 present (1 yes, 1 abstain, 1 recused): a quorum, but 1 yes of 1 cast passes by majority of votes cast.
    const decision = decideMotion(board, "majority_cast", ["yes", "abstain", "recused", "absent", "absent"]);
    assert.equal(decision.present, 3);
    assert.equal(decision.result, "passed");
    const without = decideMotion(board, "majority_cast", ["yes", "yes", "absent", "absent", "absent"]);
    assert.equal(without.result, "no_quorum", "2 of 5 present is no quorum, even unanimous");
    assert.equal(without.needed, 0);
  });

  it("uses the configured quorum", () => {
    assert.equal(decideMotion({ seats: 5, quorum: 4 }, "majority_cast", ["yes", "yes", "no", "absent", "absent"]).result, "no_quorum");
    assert.equal(decideMotion({ seats: 5, quorum: 2 }, "majority_cast", ["yes", "yes", "absent", "absent", "absent"]).result, "passed");
  });
});

describe("majority of votes cast (the default)", () => {
  it("passes with more yes than no; a tie fails", () => {
    assert.equal(decideMotion(board, "majority_cast", ["yes", "yes", "yes", "no", "no"]).result, "passed");
    assert.equal(decideMotion(board, "majority_cast", ["yes", "yes", "no", "no", "abstain"]).result, "failed");
    assert.equal(decideMotion(board, "majority_cast", ["yes", "no", "abstain", "abstain", "recused"]).result, "failed");
  });

  it("does not count abstentions, recusals or absences as votes cast", () => {
    const decision = decideMotion(board, "majority_cast", ["yes", "yes", "no", "abstain", "recused"]);
    assert.equal(decision.votesCast, 3);
    assert.equal(decision.needed, 2);
    assert.equal(decision.result, "passed");
    const oneVote = decideMotion(board, "majority_cast", ["yes", "abstain", "abstain", "recused", "absent"]);
    assert.equal(oneVote.result, "passed", "1 yes of 1 cast is a majority of the votes cast");
  });

  it("fails when nobody votes yes or no", () => {
    const decision = decideMotion(board, "majority_cast", ["abstain", "abstain", "recused", "absent", "absent"]);
    assert.equal(decision.votesCast, 0);
    assert.equal(decision.result, "failed");
  });
});

describe("majority of the entire membership", () => {
  it("needs 3 of 5 yes however many attend or abstain", () => {
    assert.equal(decideMotion(board, "majority_membership", ["yes", "yes", "absent", "absent", "absent"]).result, "no_quorum");
    assert.equal(decideMotion(board, "majority_membership", ["yes", "yes", "abstain", "absent", "absent"]).result, "failed", "2 yes is a majority of votes cast but not of the 5 seats");
    assert.equal(decideMotion(board, "majority_membership", ["yes", "yes", "abstain", "recused", "absent"]).result, "failed");
    assert.equal(decideMotion(board, "majority_membership", ["yes", "yes", "yes", "no", "no"]).result, "passed");
    assert.equal(decideMotion(board, "majority_membership", ["yes", "yes", "yes", "absent", "absent"]).needed, 3);
  });
});

describe("majority of members present", () => {
  it("counts an abstention like a no, and leaves recused members out", () => {
    // Present and entitled: 4 (one recused). 2 yes of 4 is not more than half.
    assert.equal(decideMotion(board, "majority_present", ["yes", "yes", "abstain", "no", "recused"]).result, "failed");
    // Same count under majority of votes cast: 2 yes > 1 no.
    assert.equal(decideMotion(board, "majority_cast", ["yes", "yes", "abstain", "no", "recused"]).result, "passed");
    assert.equal(decideMotion(board, "majority_present", ["yes", "yes", "abstain", "recused", "recused"]).result, "passed");
  });
});

describe("two thirds of votes cast", () => {
  it("needs at least twice as many yes as no", () => {
    assert.equal(decideMotion(board, "two_thirds_cast", ["yes", "yes", "no", "abstain", "absent"]).result, "passed");
    assert.equal(decideMotion(board, "two_thirds_cast", ["yes", "yes", "yes", "no", "no"]).result, "failed");
    assert.equal(decideMotion(board, "two_thirds_cast", ["yes", "yes", "yes", "yes", "no"]).result, "passed");
    assert.equal(decideMotion(board, "two_thirds_cast", ["abstain", "abstain", "abstain", "absent", "absent"]).result, "failed");
  });
});

describe("tally", () => {
  it("counts missing seats as absent and refuses more votes than seats", () => {
    assert.deepEqual(tallyVotes(5, ["yes", "no"]), { yes: 1, no: 1, abstain: 0, recused: 0, absent: 3 });
    assert.throws(() => tallyVotes(2, ["yes", "yes", "yes"]), RangeError);
  });

  it("property: never passes without a quorum or against a no majority; unanimous yes with a quorum always passes", () => {
    const voteList = fc.array(fc.constantFrom<Vote>(...VOTES), { minLength: 1, maxLength: 9 });
    fc.assert(fc.property(voteList, fc.constantFrom(...THRESHOLDS), (list, threshold) => {
      const body = { seats: list.length, quorum: null };
      const decision = decideMotion(body, threshold, list);
      const t = decision.tally;
      if (decision.present < quorumOf(body)) assert.equal(decision.result, "no_quorum");
      if (decision.result === "passed") {
        assert.ok(t.yes > t.no, "a passed motion has more yes than no");
        assert.ok(t.yes >= yesNeeded(threshold, body.seats, t));
      }
      if (t.yes === 0) assert.notEqual(decision.result, "passed");
      if (t.no === 0 && t.abstain === 0 && t.recused === 0 && t.absent === 0) assert.equal(decision.result, "passed");
    }));
  });
});

describe("promised vs held", () => {
  it("lists every month of the window, counting linked meetings by status", () => {
    const summary = promisedVsHeld({ perMonth: 1, sinceMonth: "2020-11", untilMonth: "2021-02" }, [
      { heldOn: "2020-11-03", status: "held" },
      { heldOn: "2020-12-10", status: "cancelled" },
      { heldOn: "2021-01-05", status: "held" },
      { heldOn: "2021-01-25", status: "held" },
      { heldOn: "2021-03-01", status: "held" },
      { heldOn: "2020-10-31", status: "held" },
    ], "2025-06");
    assert.deepEqual(summary.months.map((m) => m.month), ["2020-11", "2020-12", "2021-01", "2021-02"]);
    assert.deepEqual(summary.months.map((m) => m.held), [1, 0, 2, 0]);
    assert.equal(summary.months[1].cancelled, 1);
    assert.deepEqual(summary.totals, { promised: 4, held: 3, skipped: 0, cancelled: 1, scheduled: 0 });
    assert.equal(summary.monthsShort, 2, "December (cancelled) and February (nothing) fell short");
  });

  it("runs through the given month while the promise stands, and is empty before it starts", () => {
    const open = promisedVsHeld({ perMonth: 2, sinceMonth: "2021-11", untilMonth: null }, [{ heldOn: "2022-01-10", status: "skipped" }], "2022-02");
    assert.deepEqual(open.months.map((m) => [m.month, m.promised, m.skipped]), [["2021-11", 2, 0], ["2021-12", 2, 0], ["2022-01", 2, 1], ["2022-02", 2, 0]]);
    assert.equal(open.totals.promised, 8);
    assert.equal(promisedVsHeld({ perMonth: 1, sinceMonth: "2030-01", untilMonth: null }, [], "2029-12").months.length, 0);
  });

  it("crosses year ends", () => {
    assert.deepEqual(monthsBetween("2020-12", "2021-01"), ["2020-12", "2021-01"]);
    assert.equal(monthsBetween("2020-06", "2021-04").length, 11);
  });
});
