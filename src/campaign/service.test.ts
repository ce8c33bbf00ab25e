import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ZodError } from "zod";
import { verifyAuditLog } from "../audit/service.js";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { HttpError } from "../web/errors.js";
import { KANSAS_CITY_PETITION, KC_DEMANDS, KC_PETITION_DEMANDS } from "./kansas-city.js";
import * as present from "./present.js";
import * as service from "./service.js";

const ORGANIZER = "user:00000000-0000-4000-8000-000000000001";

async function auditRows(db: Db) {
  return db.query<{ seq: number; actor: string; action: string; entity_id: string | null; entry: string }>("SELECT seq, actor, action, entity_id, entry FROM audit_log ORDER BY seq");
}

/** Counts of every campaign table, straight from the database. */
async function counts(db: Db) {
  const [row] = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM campaign_organizations) AS organizations,
            (SELECT count(*)::int FROM campaign_coalition_members) AS members,
            (SELECT count(*)::int FROM campaign_demands d JOIN campaign_demand_lists l ON l.id = d.list_id WHERE l.slug = 'kc-coalition-demands') AS coalition_demands,
            (SELECT count(*)::int FROM campaign_demands d JOIN campaign_demand_lists l ON l.id = d.list_id WHERE l.slug = 'kc-petition-demands') AS petition_demands,
            (SELECT count(*)::int FROM campaign_targets) AS targets,
            (SELECT count(*)::int FROM campaign_demand_targets) AS cells,
            (SELECT count(*)::int FROM campaign_seats) AS seats,
            (SELECT count(*)::int FROM campaign_bodies) AS bodies,
            (SELECT count(*)::int FROM campaign_meetings) AS meetings,
            (SELECT count(*)::int FROM campaign_events) AS events,
            (SELECT count(*)::int FROM campaign_promises) AS promises,
            (SELECT count(*)::int FROM audit_log) AS audit`,
  );
  return row;
}

describe(`the campaign service (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("seeds Kansas City once: 7 organizations, 14 demands, 6 petition demands, 6 officials and bodies, a board of 5; a second run changes nothing", async () => {
    const first = await service.seedKansasCity(db);
    const expectedCells = [...KC_DEMANDS, ...KC_PETITION_DEMANDS].reduce((sum, d) => sum + d.targets.length, 0);
    const afterFirst = await counts(db);
    assert.deepEqual(afterFirst, {
      organizations: 7, members: 7, coalition_demands: 14, petition_demands: 6, targets: 6, cells: expectedCells, seats: 5, bodies: 1,
      meetings: 2, promises: 1,
      // One "demanded" event per coalition demand × target (the petition's date is unknown, so its demands have none).
      events: KC_DEMANDS.reduce((sum, d) => sum + d.targets.length, 0),
      audit: 1,
    });
    assert.equal(first.added.campaign_organizations, 7);
    assert.equal(first.added.campaign_demands, 20);
    const [entry] = await auditRows(db);
    assert.equal(entry.action, "campaign.seed");
    assert.equal(entry.actor, "seed:kansas-city");

    const second = await service.seedKansasCity(db);
    assert.deepEqual(second.added, {}, "nothing added the second time");
    assert.deepEqual(await counts(db), afterFirst, "no row and no audit entry added the second time");
  });

  it("names the officials as DOMAIN.md does, labels every assumption, and marks Spanish as translation", async () => {
    const board = present.presentScoreboard(await service.scoreboard(db));
    const mayor = board.targets.find((t) => t.slug === "mayor")!;
    assert.equal(mayor.holder, "Quinton Lucas");
    assert.equal(board.targets.find((t) => t.slug === "chief")!.holder, "Rick Smith");
    assert.equal(board.targets.find((t) => t.slug === "prosecutor")!.holder, "Jean Peters Baker");
    assert.equal(board.targets.find((t) => t.slug === "governor")!.holder, "Mike Parson");
    assert.deepEqual(board.coalitions[0].members.map((m) => m.name), [
      "Black Rainbow", "NAACP (Kansas City branch)", "National Black United Front – Kansas City", "Operation Liberation",
      "Southern Christian Leadership Conference of Greater Kansas City", "Urban League of Greater Kansas City", "Urban Summit of Kansas City",
    ]);
    const coalition = board.lists.find((l) => l.slug === "kc-coalition-demands")!;
    assert.equal(coalition.demands[0].text.en, "Remove Police Chief Rick Smith.");
    assert.ok(coalition.demands[0].priority, "the first demand is marked the most important");
    assert.ok(coalition.demands.every((d) => d.text.esIsTranslation && d.text.es.length > 10));
    const first = coalition.demands[0].targets.map((t) => [t.slug, t.basis]);
    assert.deepEqual(first, [["mayor", "stated"], ["board", "stated"]]);
    for (const demand of board.lists.flatMap((l) => l.demands)) {
      for (const cell of demand.targets) assert.ok(cell.basisNote?.en && cell.basisNote.es, `${demand.slug} × ${cell.slug} says why it is tracked there`);
    }
    const votes = present.presentVotes(await service.votesOverview(db));
    assert.equal(votes.bodies[0].seats, 5);
    assert.deepEqual(votes.bodies[0].seatList.map((s) => s.holder), ["Quinton Lucas", null, null, null, null], "only the mayor's seat is named");
    assert.equal(votes.bodies[0].quorum, 3);
    assert.equal(KANSAS_CITY_PETITION.goal, 7500);
    assert.deepEqual(KANSAS_CITY_PETITION.demands.map((d) => d.slug), ["kc-petition-1", "kc-petition-2", "kc-petition-3", "kc-petition-4", "kc-petition-5", "kc-petition-6"]);
    const petitionDemands = board.lists.find((l) => l.slug === KANSAS_CITY_PETITION.demandListSlug)!.demands;
    assert.deepEqual(petitionDemands.map((d) => d.text.en), KANSAS_CITY_PETITION.demands.map((d) => d.text.en));
  });

  it("records a status change with its evidence on the timeline and in the audit log, in one transaction", async () => {
    const before = (await auditRows(db)).length;
    const result = await service.recordStatusChange(db, ORGANIZER, "kc-1", {
      target: "board", status: "in_progress", occurred_on: "2021-05-01", summary: "The board put the chief's contract on its agenda.",
      evidence_url: "https://example.org/agenda.pdf", evidence_title: "Board agenda",
    });
    assert.equal(result.kind, "status");
    const detail = present.presentDemandDetail((await service.demandDetail(db, "kc-1"))!);
    const cell = detail.targets.find((t) => t.slug === "board")!;
    assert.equal(cell.status, "in_progress");
    assert.equal(cell.statusSince, "2021-05-01");
    assert.equal(cell.lastActionOn, "2021-05-01");
    const last = detail.timeline.at(-1)!;
    assert.deepEqual([last.kind, last.statusFrom, last.statusTo, last.occurredOn, last.evidence?.url], ["status", "unmet", "in_progress", "2021-05-01", "https://example.org/agenda.pdf"]);
    assert.equal(detail.targets.find((t) => t.slug === "mayor")!.status, "unmet", "other targets keep their status");
    const audit = await auditRows(db);
    assert.equal(audit.length, before + 1);
    assert.equal(audit.at(-1)!.action, "campaign.demand.status");
    assert.equal(audit.at(-1)!.entity_id, result.eventId);
    assert.equal(audit.at(-1)!.actor, ORGANIZER);
    assert.match(audit.at(-1)!.entry, /"from":"unmet","to":"in_progress"/);

    const same = await service.recordStatusChange(db, ORGANIZER, "kc-1", { target: "board", status: "in_progress", occurred_on: "2021-05-03", summary: "Second article about it." });
    assert.equal(same.kind, "evidence", "the same status again is evidence, not a change");
    const again = present.presentDemandDetail((await service.demandDetail(db, "kc-1"))!);
    assert.equal(again.targets.find((t) => t.slug === "board")!.statusSince, "2021-05-01", "evidence does not move the status date");
    assert.equal((await verifyAuditLog(db)).ok, true);
  });

  it("refuses an invalid status naming the field, and changes nothing", async () => {
    const before = await counts(db);
    await assert.rejects(
      service.recordStatusChange(db, ORGANIZER, "kc-2", { target: "council", status: "done" as never, occurred_on: "2021-05-01", summary: "x x x" }),
      (error: unknown) => error instanceof ZodError && error.issues.some((issue) => issue.path[0] === "status"),
    );
    await assert.rejects(
      service.recordStatusChange(db, ORGANIZER, "kc-2", { target: "council", status: "met", occurred_on: "2021-02-30", summary: "x x x" }),
      (error: unknown) => error instanceof ZodError && error.issues.some((issue) => issue.path[0] === "occurred_on"),
    );
    await assert.rejects(
      service.recordStatusChange(db, ORGANIZER, "kc-2", { target: "council", status: "met", occurred_on: "2099-01-01", summary: "x x x" }),
      (error: unknown) => error instanceof ZodError && /future/.test(error.message),
    );
    await assert.rejects(
      service.recordStatusChange(db, ORGANIZER, "kc-2", { target: "council", status: "met", occurred_on: "2021-05-01", summary: "ok then", evidence_url: "javascript:alert(1)" }),
      (error: unknown) => error instanceof ZodError && error.issues.some((issue) => issue.path[0] === "evidence_url"),
    );
    await assert.rejects(
      service.recordStatusChange(db, ORGANIZER, "kc-2", { target: "governor", status: "met", occurred_on: "2021-05-01", summary: "not a target of demand 2" }),
      (error: unknown) => error instanceof HttpError && error.status === 400 && /^target:/.test(error.detail ?? ""),
    );
    await assert.rejects(
      service.recordStatusChange(db, ORGANIZER, "kc-1", { target: "board", status: "met", occurred_on: "2021-04-30", summary: "earlier than the current status" }),
      (error: unknown) => error instanceof HttpError && error.status === 409 && /^occurred_on:/.test(error.detail ?? ""),
    );
    await assert.rejects(service.recordStatusChange(db, ORGANIZER, "kc-99", { target: "board", status: "met", occurred_on: "2021-05-01", summary: "no such demand" }),
      (error: unknown) => error instanceof HttpError && error.status === 404);
    assert.deepEqual(await counts(db), before);
  });

  it("computes promised vs held from the seeded promise: the 2021-04-21 meeting skipped by the coalition", async () => {
    const overview = await service.meetingsOverview(db, "2030-01");
    const [{ promise, summary }] = overview.promises;
    assert.equal(promise.basis, "assumption");
    assert.equal(summary.months.length, 11, "June 2020 to April 2021");
    assert.deepEqual(summary.months.at(-1), { month: "2021-04", promised: 1, held: 0, skipped: 1, cancelled: 0, scheduled: 0 });
    assert.deepEqual(summary.totals, { promised: 11, held: 0, skipped: 1, cancelled: 0, scheduled: 0 });
    const meetings = overview.meetings.map(({ meeting, attendance }) => present.presentMeeting(meeting, attendance));
    const skipped = meetings.find((m) => m.status === "skipped")!;
    assert.equal(skipped.by?.kind, "coalition");
    assert.equal(skipped.heldOn, "2021-04-21");
    const virtual = meetings.find((m) => m.format === "virtual")!;
    assert.equal(virtual.participantsMin, 100);
    assert.equal(virtual.ledBy?.slug, "kc-coalition");
  });

  it("records a meeting with attendance by organization, counted toward the promise; refuses a skipped meeting without who skipped it", async () => {
    await assert.rejects(
      service.recordMeeting(db, ORGANIZER, { title: "Monthly meeting", kind: "officials_community", held_on: "2021-03-10", status: "cancelled" }),
      (error: unknown) => error instanceof ZodError && error.issues.some((issue) => issue.path[0] === "by"),
    );
    await assert.rejects(
      service.recordMeeting(db, ORGANIZER, { title: "Monthly meeting", kind: "officials_community", held_on: "2021-03-10", status: "held", attended: ["no-such-org"] }),
      (error: unknown) => error instanceof HttpError && /^attended:/.test(error.detail ?? ""),
    );
    const id = await service.recordMeeting(db, ORGANIZER, {
      title: "Monthly meeting with the mayor and the chief", title_es: "Reunión mensual", kind: "officials_community", format: "in_person", held_on: "2021-03-10", status: "held",
      promise: "kc-monthly-meetings", attended: ["black-rainbow", "naacp-kc"], absent: ["urban-summit-kc"], agenda: "1. Demand 1", minutes: "Discussed demand 1.",
    });
    const found = (await service.meetingDetail(db, id))!;
    const detail = present.presentMeeting(found.meeting, found.attendance);
    assert.deepEqual(detail.attendance.map((a) => [a.slug, a.attended]).sort(), [["black-rainbow", true], ["naacp-kc", true], ["urban-summit-kc", false]]);
    const cancelled = await service.recordMeeting(db, ORGANIZER, { title: "Monthly meeting", kind: "officials_community", held_on: "2021-02-10", status: "cancelled", by: "target:mayor", promise: "kc-monthly-meetings" });
    assert.ok(cancelled);
    const { promises } = await service.meetingsOverview(db, "2030-01");
    const months = Object.fromEntries(promises[0].summary.months.map((m) => [m.month, m]));
    assert.equal(months["2021-03"].held, 1);
    assert.equal(months["2021-02"].cancelled, 1);
    assert.equal(promises[0].summary.monthsShort, 10);
    const audit = await auditRows(db);
    assert.equal(audit.at(-1)!.action, "campaign.meeting.record");
  });

  it("decides a motion by roll call, puts the vote on the demand's timeline and moves its status", async () => {
    const motionId = await service.createMotion(db, ORGANIZER, {
      body: "kc-board-of-police-commissioners", title: "Terminate the chief of police", moved_on: "2021-06-01", threshold: "majority_membership",
      demand: "kc-1", status_if_pass: "met",
    });
    await assert.rejects(service.recordRollCall(db, ORGANIZER, motionId, { decided_on: "2021-06-01", votes: { 1: "yes", 2: "yes", 3: "yes", 4: "no" } }),
      (error: unknown) => error instanceof HttpError && /^votes\.5:/.test(error.detail ?? ""));
    await assert.rejects(service.recordRollCall(db, ORGANIZER, motionId, { decided_on: "2021-06-01", votes: { 1: "yes", 2: "yes", 3: "maybe" as never, 4: "no", 5: "no" } }),
      (error: unknown) => error instanceof ZodError && error.issues.some((issue) => issue.path.join(".") === "votes.3"));
    const decision = await service.recordRollCall(db, ORGANIZER, motionId, { decided_on: "2021-06-02", votes: { 1: "yes", 2: "yes", 3: "recused", 4: "yes", 5: "no" } });
    assert.equal(decision.result, "passed");
    assert.deepEqual(decision.tally, { yes: 3, no: 1, abstain: 0, recused: 1, absent: 0 });
    const detail = present.presentDemandDetail((await service.demandDetail(db, "kc-1"))!);
    assert.equal(detail.targets.find((t) => t.slug === "board")!.status, "met");
    assert.equal(detail.targets.find((t) => t.slug === "board")!.statusSince, "2021-06-02");
    const vote = detail.timeline.at(-1)!;
    assert.deepEqual([vote.kind, vote.statusFrom, vote.statusTo, vote.motion], ["vote", "in_progress", "met", `/campaign/votes/${motionId}`]);
    assert.equal(detail.motions[0].result, "passed");
    await assert.rejects(service.recordRollCall(db, ORGANIZER, motionId, { decided_on: "2021-06-02", votes: { 1: "no", 2: "no", 3: "no", 4: "no", 5: "no" } }),
      (error: unknown) => error instanceof HttpError && error.status === 409);
    const votes = present.presentVotes(await service.votesOverview(db));
    const motion = votes.items.find((m) => m.id === motionId)!;
    assert.deepEqual(motion.rollCall.map((r) => r.vote), ["yes", "yes", "recused", "yes", "no"]);
    assert.equal(motion.rollCall[0].holder, "Quinton Lucas");
    const actions = (await auditRows(db)).slice(-3).map((row) => row.action);
    assert.deepEqual(actions, ["campaign.motion.create", "campaign.demand.vote", "campaign.motion.rollcall"]);
  });

  it("records a motion that fails for want of a quorum without touching the demand", async () => {
    const motionId = await service.createMotion(db, ORGANIZER, { body: "kc-board-of-police-commissioners", title: "Adopt a foot-chase policy", moved_on: "2021-07-01", demand: "kc-6", status_if_pass: "met", status_if_fail: "rejected" });
    const decision = await service.recordRollCall(db, ORGANIZER, motionId, { decided_on: "2021-07-01", votes: { 1: "yes", 2: "yes", 3: "absent", 4: "absent", 5: "absent" } });
    assert.equal(decision.result, "no_quorum");
    const detail = present.presentDemandDetail((await service.demandDetail(db, "kc-6"))!);
    assert.equal(detail.targets.find((t) => t.slug === "board")!.status, "unmet", "no quorum, no decision, no status change");
    assert.equal(detail.timeline.at(-1)!.kind, "vote", "but the vote is on the timeline");
    await assert.rejects(service.createMotion(db, ORGANIZER, { body: "kc-board-of-police-commissioners", title: "Special prosecutor", moved_on: "2021-07-01", demand: "kc-14" }),
      (error: unknown) => error instanceof HttpError && /^demand:/.test(error.detail ?? ""), "demand 14 is not tracked against the board");
    assert.equal((await verifyAuditLog(db)).ok, true);
  });

  it("keeps later changes when the seed runs again", async () => {
    const before = await counts(db);
    const report = await service.seedKansasCity(db);
    assert.deepEqual(report.added, {});
    assert.deepEqual(await counts(db), before);
    const detail = present.presentDemandDetail((await service.demandDetail(db, "kc-1"))!);
    assert.equal(detail.targets.find((t) => t.slug === "board")!.status, "met");
  });
});
