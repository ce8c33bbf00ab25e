import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpdpFinding, findingIsWeaker, penaltyIsWeaker, penaltySeverity } from "./vocab.js";

describe("findings and penalties vocabulary", () => {
  it("maps CPDP finding words in any case, and reports unknown words as undefined", () => {
    assert.equal(cpdpFinding("Not Sustained"), "not_sustained");
    assert.equal(cpdpFinding("SUSTAINED"), "sustained");
    assert.equal(cpdpFinding(""), null);
    assert.equal(cpdpFinding("MAYBE"), undefined);
  });

  it("orders CPDP penalty codes by severity", () => {
    assert.ok(penaltySeverity("400 - SEPARATION")! > penaltySeverity("200 - SUSPENDED OVER 30 DAYS")!);
    assert.ok(penaltySeverity("030 - 30 SUSPENSION")! > penaltySeverity("005 - 5 DAY SUSPENSION")!);
    assert.ok(penaltySeverity("005 - 5 DAY SUSPENSION")! > penaltySeverity("100 - REPRIMAND")!);
    assert.ok(penaltySeverity("100 - REPRIMAND")! > penaltySeverity("000 - VIOLATION NOTED")!);
    assert.equal(penaltySeverity("301 - ADMINISTRATIVELY CLOSED"), null);
  });

  it("marks a final penalty or finding weaker than the recommendation", () => {
    assert.equal(penaltyIsWeaker("400 - SEPARATION", "030 - 30 SUSPENSION"), true);
    assert.equal(penaltyIsWeaker("005 - 5 DAY SUSPENSION", "010 - 10 SUSPENSION"), false);
    assert.equal(penaltyIsWeaker("005 - 5 DAY SUSPENSION", null), false);
    assert.equal(findingIsWeaker("sustained", "not_sustained"), true);
    assert.equal(findingIsWeaker("sustained", "sustained"), false);
    assert.equal(findingIsWeaker("not_sustained", "exonerated"), false);
  });
});
