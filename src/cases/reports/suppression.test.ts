import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { availablePeriods, parsePeriod, periodBounds } from "./period.js";
import { ambiguous, durationFigures, FigureSet, median, nearestRank } from "./suppression.js";

const shown = (set: FigureSet, ids: string[]) => Object.fromEntries(ids.map((id) => [id, set.figure(id).value ?? set.figure(id).suppressed]));

describe("report periods", () => {
  it("reads years and quarters, in UTC, with the last day included", () => {
    assert.deepEqual(parsePeriod("2026"), { ok: true, period: { label: "2026", from: "2026-01-01", to: "2026-12-31" } });
    assert.deepEqual(parsePeriod("2026-Q1"), { ok: true, period: { label: "2026-Q1", from: "2026-01-01", to: "2026-03-31" } });
    assert.deepEqual(parsePeriod("2024-Q1"), { ok: true, period: { label: "2024-Q1", from: "2024-01-01", to: "2024-03-31" } });
    assert.deepEqual(parsePeriod("2026-Q3"), { ok: true, period: { label: "2026-Q3", from: "2026-07-01", to: "2026-09-30" } });
    assert.deepEqual(parsePeriod("2026-Q4"), { ok: true, period: { label: "2026-Q4", from: "2026-10-01", to: "2026-12-31" } });
    const { start, end } = periodBounds({ from: "2026-07-01", to: "2026-09-30" });
    assert.equal(start.toISOString(), "2026-07-01T00:00:00.000Z");
    assert.equal(end.toISOString(), "2026-10-01T00:00:00.000Z");
  });

  it("refuses what is not a year or a quarter, saying what to write", () => {
    for (const bad of ["2026-Q5", "2026-Q0", "26", "2026-07", "Q3-2026", "2026Q3", "", "1999", "2101"]) {
      const parsed = parsePeriod(bad);
      assert.equal(parsed.ok, false, bad);
    }
    assert.deepEqual(parsePeriod("x"), { ok: false, reason: "use a year (2026) or a quarter (2026-Q3)" });
    assert.throws(() => periodBounds({ from: "2026-09-30", to: "2026-07-01" }), /period: to must not be before from/);
    assert.throws(() => periodBounds({ from: "2026-13-01", to: "2026-13-02" }), /period: from and to must be dates/);
  });

  it("offers each year since the first complaint and the quarters that have begun, newest first", () => {
    const labels = availablePeriods(2025, new Date("2026-05-02T00:00:00Z")).map((p) => p.label);
    assert.deepEqual(labels, ["2026", "2026-Q2", "2026-Q1", "2025", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]);
    assert.deepEqual(availablePeriods(null, new Date("2026-01-01T00:00:00Z")).map((p) => p.label), ["2026", "2026-Q1"]);
  });
});

describe("median and 90th percentile", () => {
  it("takes the middle value, or the mean of the two middle ones", () => {
    assert.equal(median([5]), 5);
    assert.equal(median([9, 1, 5]), 5);
    assert.equal(median([10, 2, 11, 5]), 7.5);
    assert.throws(() => median([]), RangeError);
  });

  it("uses the nearest rank: the value at rank ceil(0.9 n)", () => {
    const values = [2, 5, 9, 10, 10, 24, 50, 62, 167];
    assert.equal(nearestRank(values, 90), 167); // rank ceil(8.1) = 9
    assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9); // rank 9
    assert.equal(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), 10); // rank ceil(9.9) = 10
    assert.equal(nearestRank([7], 90), 7);
  });

  it("does not publish a median or percentile from fewer than 3 cases", () => {
    assert.deepEqual(durationFigures([4, 8]), { median: { value: null, suppressed: "fewer_than_3" }, p90: { value: null, suppressed: "fewer_than_3" } });
    assert.deepEqual(durationFigures([]), { median: { value: null, suppressed: null }, p90: { value: null, suppressed: null } });
    assert.deepEqual(durationFigures([4, 8, 1]), { median: { value: 4, suppressed: null }, p90: { value: 8, suppressed: null } });
  });
});

describe("small-number suppression", () => {
  it("hides figures from 1 or 2 cases, shows zero, and leaves them hidden when the total cannot pin them", () => {
    // total 11: online 6, phone 2, mail 1, in person 1, email 1 → the four small ones add to 5, (2,1,1,1) or (1,2,1,1)…
    const set = new FigureSet().add("total", 11, 11, { fixed: true }).add("online", 6, 6).add("phone", 2, 2).add("mail", 1, 1).add("in_person", 1, 1).add("email", 1, 1).add("fax", 0, 0);
    set.line("total", ["online", "phone", "mail", "in_person", "email", "fax"]).suppress();
    assert.deepEqual(shown(set, ["total", "online", "phone", "mail", "in_person", "email", "fax"]), { total: 11, online: 6, phone: "fewer_than_3", mail: "fewer_than_3", in_person: "fewer_than_3", email: "fewer_than_3", fax: 0 });
    assert.deepEqual(set.residual, []);
  });

  it("withholds the smallest other figure when subtraction would reveal a lone small one", () => {
    // total 16: online 10, phone 4, mail 2 → mail = 16 - 10 - 4. Withholding phone (4) is not enough: mail + phone = 6 and
    // phone ≥ 3 leaves mail 2 or 3… but mail ≤ 2 and phone ≥ 3 → (2,4) or (1,5): ambiguous. So phone alone suffices.
    const set = new FigureSet().add("total", 16, 16, { fixed: true }).add("online", 10, 10).add("phone", 4, 4).add("mail", 2, 2).line("total", ["online", "phone", "mail"]).suppress();
    assert.deepEqual(shown(set, ["online", "phone", "mail"]), { online: 10, phone: "withheld", mail: "fewer_than_3" });
    // 1 and 3 out of 4 + 7: hiding the 3 leaves 1+3 = 4 → (1,3) only; the 7 must go too.
    const tight = new FigureSet().add("total", 11, 11, { fixed: true }).add("a", 7, 7).add("b", 3, 3).add("c", 1, 1).line("total", ["a", "b", "c"]).suppress();
    assert.deepEqual(shown(tight, ["a", "b", "c"]), { a: "withheld", b: "withheld", c: "fewer_than_3" });
  });

  it("knows two small figures adding to 2 or 4 are each pinned, and 3 is not", () => {
    assert.equal(ambiguous(2, 2, 0), false);
    assert.equal(ambiguous(3, 2, 0), true);
    assert.equal(ambiguous(4, 2, 0), false);
    assert.equal(ambiguous(5, 3, 0), true);
    assert.equal(ambiguous(4, 1, 1), false);
    assert.equal(ambiguous(5, 1, 1), true);
  });

  it("suppresses a small total too, and follows what other lines let a reader derive", () => {
    // Q2-like: 2 complaints, both online: the total itself is from fewer than 3 cases.
    const small = new FigureSet().add("total", 2, 2, { fixed: true }).add("online", 2, 2).add("phone", 0, 0).line("total", ["online", "phone"]).suppress();
    assert.deepEqual(shown(small, ["total", "online", "phone"]), { total: "fewer_than_3", online: "fewer_than_3", phone: 0 });
    assert.deepEqual(small.residual, []);
    // closed 9 = findings 2 + without 7; without = mediated 1 + contact 2 + referred 1 + nofinding 3.
    const set = new FigureSet().add("total", 9, 9, { fixed: true }).add("findings", 2, 2).add("mediated", 1, 1).add("contact", 2, 2).add("referred", 1, 1).add("nofinding", 3, 3).add("without", 7, 7);
    set.line("total", ["findings", "mediated", "contact", "referred", "nofinding"]).line("total", ["findings", "without"]).line("without", ["mediated", "contact", "referred", "nofinding"]).suppress();
    assert.deepEqual(shown(set, ["findings", "without", "nofinding"]), { findings: "fewer_than_3", without: "withheld", nofinding: 3 });
    assert.deepEqual(set.residual, []);
    // A hidden small total whose parts are all shown is derivable: one part is withheld.
    const derived = new FigureSet().add("sum", 2, 2).add("x", 0, 0).add("y", 5, 5).add("z", 2, 2).add("w", 3, 3).line("sum", ["z", "x"]).line("y", ["z", "w"]);
    derived.suppress();
    assert.equal(derived.figure("z").suppressed, "fewer_than_3");
    assert.equal(derived.figure("sum").suppressed, "fewer_than_3");
    assert.equal(derived.figure("w").suppressed, "withheld");
    assert.deepEqual(derived.residual, []);
  });

  it("lists what it cannot protect instead of pretending", () => {
    const set = new FigureSet().add("total", 4, 4, { fixed: true }).add("a", 3, 3).add("b", 1, 1).line("total", ["a", "b"]).suppress();
    assert.deepEqual(shown(set, ["a", "b"]), { a: "withheld", b: "fewer_than_3" });
    assert.equal(set.residual.length, 1);
  });
});
