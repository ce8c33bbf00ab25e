import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { checkTransition, nextStates, STATES, type CaseFacts } from "./workflow.js";

const plain: CaseFacts = { hasForce: false, hasCriminal: false, prosecutorReferred: false, boardDecidedAll: true, finalRecordedAll: true };

describe("case workflow", () => {
  it("walks the full path from received to closed", () => {
    const path = ["received", "triage", "investigation", "review", "board_review", "discipline_recommended", "final_disposition", "closed"] as const;
    for (let i = 1; i < path.length; i += 1) assert.deepEqual(checkTransition(path[i - 1], path[i], plain), { ok: true }, `${path[i - 1]} → ${path[i]}`);
  });

  it("refuses an illegal move and says where the case can go", () => {
    const result = checkTransition("received", "closed", plain);
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.reason, /cannot move to "closed".*triage/);
  });

  it("sends every excessive-force allegation to full investigation", () => {
    const force = { ...plain, hasForce: true };
    for (const to of ["contact_log", "mediation", "referred_out", "closed_no_finding"] as const) {
      const result = checkTransition("triage", to, force);
      assert.equal(result.ok, false, to);
      assert.match(result.ok ? "" : result.reason, /excessive force/);
    }
    assert.deepEqual(checkTransition("triage", "investigation", force), { ok: true });
  });

  it("holds a criminal complaint in triage until the prosecutor referral is recorded", () => {
    const criminal = { ...plain, hasCriminal: true };
    assert.match((checkTransition("triage", "investigation", criminal) as { reason: string }).reason, /prosecutor/);
    assert.deepEqual(checkTransition("triage", "investigation", { ...criminal, prosecutorReferred: true }), { ok: true });
  });

  it("allows reopening closed cases", () => {
    assert.deepEqual(checkTransition("closed_no_finding", "investigation", plain), { ok: true });
    assert.deepEqual(checkTransition("closed", "triage", plain), { ok: true });
  });

  it("never allows a move outside the table, whatever the facts", () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATES), fc.constantFrom(...STATES), fc.record({ hasForce: fc.boolean(), hasCriminal: fc.boolean(), prosecutorReferred: fc.boolean(), boardDecidedAll: fc.boolean(), finalRecordedAll: fc.boolean() }), (from, to, facts) => {
        const result = checkTransition(from, to, facts);
        if (!nextStates(from).includes(to)) assert.equal(result.ok, false);
        if (facts.hasForce && to === "contact_log") assert.equal(result.ok, false);
      }),
    );
  });
});
