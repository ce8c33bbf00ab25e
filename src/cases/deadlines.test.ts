import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computeDeadlines, countTolledDays, type DeadlineInput } from "./deadlines.js";

const base: DeadlineInput = {
  receivedAt: "2026-01-10T15:00:00Z", incidentDate: "2026-01-05", acknowledgedAt: null, firstContactAt: null,
  classifiedAt: null, finalDecisionAt: null, contactable: true, tolling: [],
};
const byKind = (list: ReturnType<typeof computeDeadlines>) => Object.fromEntries(list.map((d) => [d.kind, d]));

describe("deadlines", () => {
  it("acknowledgement is due in 7 days and overdue after", () => {
    assert.equal(byKind(computeDeadlines(base, "180d", new Date("2026-01-16T00:00:00Z"))).acknowledgement.status, "due");
    const late = byKind(computeDeadlines(base, "180d", new Date("2026-01-18T00:00:00Z"))).acknowledgement;
    assert.equal(late.status, "overdue");
    assert.equal(late.dueAt, "2026-01-17T15:00:00.000Z");
  });

  it("first contact is due in 48 hours, and does not apply when nobody can be contacted", () => {
    const met = byKind(computeDeadlines({ ...base, firstContactAt: "2026-01-12T14:00:00Z" }, "180d", new Date("2026-02-01T00:00:00Z")));
    assert.equal(met.first_contact.status, "met");
    const missed = byKind(computeDeadlines({ ...base, firstContactAt: "2026-01-12T16:00:00Z" }, "180d", new Date("2026-02-01T00:00:00Z")));
    assert.equal(missed.first_contact.status, "missed");
    assert.equal(byKind(computeDeadlines({ ...base, contactable: false }, "180d", new Date())).first_contact.status, "not_applicable");
  });

  it("classification within 30 days", () => {
    const d = byKind(computeDeadlines({ ...base, classifiedAt: "2026-02-08T00:00:00Z" }, "180d", new Date("2026-03-01T00:00:00Z")));
    assert.equal(d.classification.status, "met");
  });

  it("the discipline window depends on the city's setting", () => {
    const now = new Date("2026-02-01T00:00:00Z");
    assert.equal(byKind(computeDeadlines(base, "180d", now)).discipline.dueAt, "2026-07-04T00:00:00.000Z");
    assert.equal(byKind(computeDeadlines(base, "1y", now)).discipline.dueAt, "2027-01-05T00:00:00.000Z");
    assert.equal(byKind(computeDeadlines(base, "18m", now)).discipline.dueAt, "2027-07-05T00:00:00.000Z");
  });

  it("tolling pauses the discipline clock: a closed 10-day period moves the end 10 days, an open one pauses it", () => {
    const now = new Date("2026-06-01T00:00:00Z");
    const tolled = byKind(computeDeadlines({ ...base, tolling: [{ startsOn: "2026-03-01", endsOn: "2026-03-10" }] }, "180d", now)).discipline;
    assert.equal(tolled.tolledDays, 10);
    assert.equal(tolled.dueAt, "2026-07-14T00:00:00.000Z");
    const open = byKind(computeDeadlines({ ...base, tolling: [{ startsOn: "2026-05-20", endsOn: null }] }, "180d", now)).discipline;
    assert.equal(open.status, "paused");
    assert.equal(open.tolledDays, 13);
  });

  it("overlapping tolling periods count each day once", () => {
    const days = countTolledDays([{ startsOn: "2026-03-01", endsOn: "2026-03-10" }, { startsOn: "2026-03-05", endsOn: "2026-03-15" }], new Date("2026-01-01T00:00:00Z"), new Date("2026-12-31T00:00:00Z"));
    assert.equal(days, 15);
  });

  it("a final decision after the window is missed; before it, met", () => {
    const now = new Date("2027-01-01T00:00:00Z");
    assert.equal(byKind(computeDeadlines({ ...base, finalDecisionAt: "2026-08-01T00:00:00Z" }, "180d", now)).discipline.status, "missed");
    assert.equal(byKind(computeDeadlines({ ...base, finalDecisionAt: "2026-06-01T00:00:00Z" }, "180d", now)).discipline.status, "met");
    assert.equal(byKind(computeDeadlines(base, "180d", now)).discipline.status, "overdue");
  });
});
