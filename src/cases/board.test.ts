import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { tally } from "./board.js";

const panel = ["a", "b", "c", "d", "e"];

describe("board majority", () => {
  it("decides by majority of the members who did not recuse", () => {
    const result = tally(panel, [
      { memberId: "a", vote: "substantiated", recused: false },
      { memberId: "b", vote: "substantiated", recused: false },
      { memberId: "c", vote: "unfounded", recused: false },
      { memberId: "d", vote: null, recused: true },
      { memberId: "e", vote: "substantiated", recused: false },
    ]);
    assert.equal(result.decided, true);
    assert.equal(result.decided && result.finding, "substantiated");
    assert.equal(result.voting, 4);
  });

  it("leaves a split vote undecided", () => {
    const result = tally(["a", "b", "c", "d"], [
      { memberId: "a", vote: "substantiated", recused: false },
      { memberId: "b", vote: "substantiated", recused: false },
      { memberId: "c", vote: "unfounded", recused: false },
      { memberId: "d", vote: "unfounded", recused: false },
    ]);
    assert.equal(result.decided, false);
    assert.match(result.decided ? "" : result.reason, /majority \(3 of 4/);
  });

  it("ignores votes from people not on the panel, and needs a majority even with abstentions", () => {
    const result = tally(panel, [
      { memberId: "x", vote: "substantiated", recused: false },
      { memberId: "a", vote: "substantiated", recused: false },
      { memberId: "b", vote: "substantiated", recused: false },
    ]);
    assert.equal(result.decided, false);
  });
});
