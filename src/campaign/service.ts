/**
 * The campaign's rules and writes: demands tracked against officials, meetings and
 * the promise of them, public votes. Every write runs in one transaction with its
 * audit entry; every read returns rows for present.ts to shape.
 */
import { appendAudit } from "../audit/service.js";
import type { Db, Queryable } from "../db/db.js";
import { badRequest, HttpError } from "../web/errors.js";
import * as demands from "./demands-repo.js";
import * as meetings from "./meetings-repo.js";
import { decideMotion, explainDecision, monthOf, promisedVsHeld, type Decision } from "./rules.js";
import {
  meetingSchema, motionSchema, rollCallSchema, statusChangeSchema,
  type DemandStatus, type MeetingInput, type MotionInput, type RollCallInput, type StatusChangeInput, type Vote,
} from "./schema.js";
import * as votes from "./votes-repo.js";

export { KANSAS_CITY_PETITION } from "./kansas-city.js";
export { seedKansasCity, type SeedReport } from "./seed.js";

const refuse = (detail: string) => new HttpError(409, "error.badRequest", detail);
const missing = () => new HttpError(404, "error.notFound");

// ---------------------------------------------------------------------------
// Demands

/** Everything the scoreboard shows: lists of demands, each with its cells per target. */
export async function scoreboard(db: Db) {
  const [coalitions, organizations, lists, demandRows, targets, cells] = await Promise.all([
    demands.listCoalitions(db), demands.listOrganizations(db), demands.listDemandLists(db), demands.listDemands(db), demands.listTargets(db), demands.listDemandTargets(db),
  ]);
  const cellsByDemand = groupBy(cells, (cell) => cell.demand_id);
  return {
    coalitions: coalitions.map((coalition) => ({ ...coalition, members: organizations.filter((o) => o.coalition_slugs.split(",").includes(coalition.slug)) })),
    targets,
    lists: lists.map((list) => ({
      list,
      demands: demandRows.filter((d) => d.list_slug === list.slug).map((demand) => ({ demand, cells: cellsByDemand.get(demand.id) ?? [] })),
    })),
  };
}
export type Scoreboard = Awaited<ReturnType<typeof scoreboard>>;

/** One demand with its targets, its whole timeline and the motions that affect it; undefined if unknown. */
export async function demandDetail(db: Db, slug: string) {
  const demand = await demands.findDemand(db, slug);
  if (!demand) return undefined;
  const [cells, events, targets, lists, links, motionRows] = await Promise.all([
    demands.demandTargetsOf(db, demand.id), demands.eventsOfDemand(db, demand.id), demands.listTargets(db), demands.listDemandLists(db),
    votes.listMotionDemands(db), votes.listMotions(db),
  ]);
  const motionIds = new Set(links.filter((link) => link.demand_id === demand.id).map((link) => link.motion_id));
  return {
    demand,
    list: lists.find((list) => list.slug === demand.list_slug)!,
    cells,
    targets: targets.filter((target) => cells.some((cell) => cell.target_id === target.id)),
    events,
    motions: motionRows.filter((motion) => motionIds.has(motion.id)),
  };
}
export type DemandDetail = NonNullable<Awaited<ReturnType<typeof demandDetail>>>;

/** The latest recorded events, newest first, for the Atom feed. */
export const recentEvents = (db: Db, limit = 50) => demands.recentEvents(db, limit);

/**
 * Records where a demand stands with one target, with its evidence. A new status
 * becomes a `status` event and the cell's current status; the same status again is
 * recorded as `evidence`. Refuses a target the demand is not tracked against, and a
 * date earlier than the current status's date (events are recorded in order).
 */
export async function recordStatusChange(db: Db, actor: string, demandSlug: string, input: StatusChangeInput): Promise<{ eventId: string; kind: "status" | "evidence" }> {
  const change = statusChangeSchema.parse(input);
  const demand = await demands.findDemand(db, demandSlug);
  if (!demand) throw missing();
  const target = await demands.findTarget(db, change.target);
  if (!target) throw badRequest(`target: there is no target "${change.target}"`);
  return db.transaction(async (tx) => {
    const cell = await demands.lockDemandTarget(tx, demand.id, target.id);
    if (!cell) throw badRequest(`target: demand ${demand.slug} is not tracked against ${target.slug}`);
    if (cell.status_since && change.occurred_on < cell.status_since) {
      throw refuse(`occurred_on: ${change.occurred_on} is before the current status's date (${cell.status_since}); record events in the order they happened`);
    }
    const kind = change.status === cell.status ? "evidence" : "status";
    const eventId = (await demands.insertEvent(tx, {
      demandId: demand.id, targetId: target.id, kind, occurredOn: change.occurred_on, statusFrom: cell.status, statusTo: change.status,
      summary: change.summary, summaryLang: change.summary_lang, evidenceUrl: change.evidence_url, evidenceTitle: change.evidence_title, recordedBy: actor,
    }))!;
    if (kind === "status") await demands.setDemandTargetStatus(tx, demand.id, target.id, change.status, change.occurred_on);
    await appendAudit(tx, {
      actor, action: `campaign.demand.${kind}`, entity: "campaign_event", entityId: eventId,
      data: { demand: demand.slug, target: target.slug, from: cell.status, to: change.status, occurredOn: change.occurred_on, evidenceUrl: change.evidence_url },
    });
    return { eventId, kind };
  });
}

// ---------------------------------------------------------------------------
// Meetings

/** Every meeting with its attendance, and every promise with its months. */
export async function meetingsOverview(db: Db, throughMonth = monthOf()) {
  const [meetingRows, attendance, promiseRows] = await Promise.all([meetings.listMeetings(db), meetings.listAttendance(db), meetings.listPromises(db)]);
  const byMeeting = groupBy(attendance, (row) => row.meeting_id);
  const promises = await Promise.all(promiseRows.map(async (promise) => {
    const dates = await meetings.meetingsOfPromise(db, promise.id);
    const summary = promisedVsHeld(
      { perMonth: promise.per_month, sinceMonth: promise.since_month, untilMonth: promise.until_month },
      dates.map((row) => ({ heldOn: row.held_on, status: row.status })),
      throughMonth,
    );
    return { promise, summary };
  }));
  return { meetings: meetingRows.map((meeting) => ({ meeting, attendance: byMeeting.get(meeting.id) ?? [] })), promises };
}
export type MeetingsOverview = Awaited<ReturnType<typeof meetingsOverview>>;

export async function meetingDetail(db: Db, id: string) {
  const meeting = await meetings.findMeeting(db, id);
  if (!meeting) return undefined;
  return { meeting, attendance: await meetings.listAttendance(db, id) };
}

/** Records a meeting: scheduled, held, or cancelled / skipped by someone, with attendance by organization. */
export async function recordMeeting(db: Db, actor: string, input: MeetingInput & { title_es?: string }): Promise<string> {
  const m = meetingSchema.parse(input);
  const titleEs = (input.title_es ?? "").trim().slice(0, 300) || m.title;
  const by = m.by ? (m.by.split(":") as ["coalition" | "organization" | "target", string]) : null;
  const byId = by ? await meetings.findPartyId(db, by[0], by[1]) : undefined;
  if (by && !byId) throw badRequest(`by: there is no ${by[0]} "${by[1]}"`);
  const promiseId = m.promise ? await meetings.findPromiseId(db, m.promise) : undefined;
  if (m.promise && !promiseId) throw badRequest(`promise: there is no promise "${m.promise}"`);
  const body = m.body ? await votes.findBody(db, m.body) : undefined;
  if (m.body && !body) throw badRequest(`body: there is no body "${m.body}"`);
  const orgIds = await demands.findOrganizationIds(db, [...m.attended, ...m.absent]);
  const unknown = [...m.attended, ...m.absent].find((slug) => !orgIds.has(slug));
  if (unknown) throw badRequest(`attended: there is no organization "${unknown}"`);
  return db.transaction(async (tx) => {
    const id = (await meetings.insertMeeting(tx, {
      titleEn: m.title, titleEs, kind: m.kind, format: m.format, heldOn: m.held_on, status: m.status,
      byCoalitionId: by?.[0] === "coalition" ? byId : null, byOrganizationId: by?.[0] === "organization" ? byId : null, byTargetId: by?.[0] === "target" ? byId : null,
      bodyId: body?.id ?? null, promiseId: promiseId ?? null, participantsMin: m.participants_min === "" ? null : m.participants_min,
      agenda: m.agenda, minutes: m.minutes, minutesUrl: m.minutes_url, recordedBy: actor,
    }))!;
    for (const slug of m.attended) await meetings.insertAttendance(tx, id, orgIds.get(slug)!, true);
    for (const slug of m.absent) await meetings.insertAttendance(tx, id, orgIds.get(slug)!, false);
    await appendAudit(tx, {
      actor, action: "campaign.meeting.record", entity: "campaign_meeting", entityId: id,
      data: { heldOn: m.held_on, status: m.status, by: m.by || null, promise: m.promise || null, attended: m.attended, absent: m.absent },
    });
    return id;
  });
}

// ---------------------------------------------------------------------------
// Votes

export interface MotionView {
  motion: votes.MotionRow;
  rollCall: votes.RollCallRow[];
  decision: Decision | null;
  explanation: string | null;
  demands: votes.MotionDemandRow[];
}

/** Every body with its seats, and every motion with its roll call and the decision the rules give. */
export async function votesOverview(db: Db) {
  const [bodies, seats, motionRows, rollCalls, links] = await Promise.all([votes.listBodies(db), votes.listSeats(db), votes.listMotions(db), votes.listRollCalls(db), votes.listMotionDemands(db)]);
  const rollByMotion = groupBy(rollCalls, (row) => row.motion_id);
  const linksByMotion = groupBy(links, (row) => row.motion_id);
  const bodyById = new Map(bodies.map((body) => [body.id, body]));
  const motions: MotionView[] = motionRows.map((motion) => motionView(bodyById.get(motion.body_id)!, motion, rollByMotion.get(motion.id) ?? [], linksByMotion.get(motion.id) ?? []));
  return { bodies: bodies.map((body) => ({ body, seats: seats.filter((seat) => seat.body_id === body.id) })), motions };
}
export type VotesOverview = Awaited<ReturnType<typeof votesOverview>>;

export async function motionDetail(db: Db, id: string) {
  const motion = await votes.findMotion(db, id);
  if (!motion) return undefined;
  const [bodies, seats, rollCall, links] = await Promise.all([votes.listBodies(db), votes.listSeats(db), votes.listRollCalls(db, id), votes.listMotionDemands(db, id)]);
  const body = bodies.find((b) => b.id === motion.body_id)!;
  return { body, seats: seats.filter((seat) => seat.body_id === body.id), ...motionView(body, motion, rollCall, links) };
}
export type MotionDetail = NonNullable<Awaited<ReturnType<typeof motionDetail>>>;

function motionView(body: votes.BodyRow, motion: votes.MotionRow, rollCall: votes.RollCallRow[], links: votes.MotionDemandRow[]): MotionView {
  const decision = rollCall.length ? decideMotion({ seats: body.seats, quorum: body.quorum }, motion.threshold, rollCall.map((row) => row.vote)) : null;
  return { motion, rollCall, decision, explanation: decision ? explainDecision(decision) : null, demands: links };
}

/**
 * Puts a motion before a body, optionally linked to a demand with what its result
 * does to the demand's status at the body (e.g. a vote to terminate the chief →
 * demand 1 met at the board if it passes).
 */
export async function createMotion(db: Db, actor: string, input: MotionInput & { title_es?: string }): Promise<string> {
  const m = motionSchema.parse(input);
  const body = await votes.findBody(db, m.body);
  if (!body) throw badRequest(`body: there is no body "${m.body}"`);
  const demand = m.demand ? await demands.findDemand(db, m.demand) : undefined;
  if (m.demand && !demand) throw badRequest(`demand: there is no demand "${m.demand}"`);
  if (demand && !body.target_slug) throw badRequest(`demand: body ${body.slug} is not a target that demands are tracked against`);
  const target = body.target_slug ? await demands.findTarget(db, body.target_slug) : undefined;
  if (demand && target) {
    const cells = await demands.demandTargetsOf(db, demand.id);
    if (!cells.some((cell) => cell.target_id === target.id)) throw badRequest(`demand: demand ${demand.slug} is not tracked against ${target.slug}`);
  }
  return db.transaction(async (tx) => {
    const id = await votes.insertMotion(tx, { bodyId: body.id, titleEn: m.title, titleEs: (input.title_es ?? "").trim().slice(0, 500) || m.title, movedOn: m.moved_on, threshold: m.threshold, recordedBy: actor });
    if (demand && target) {
      await votes.insertMotionDemand(tx, { motionId: id, demandId: demand.id, targetId: target.id, statusIfPass: m.status_if_pass || null, statusIfFail: m.status_if_fail || null });
    }
    await appendAudit(tx, { actor, action: "campaign.motion.create", entity: "campaign_motion", entityId: id, data: { body: body.slug, movedOn: m.moved_on, threshold: m.threshold, demand: demand?.slug ?? null } });
    return id;
  });
}

/**
 * Records a motion's roll call (one vote for every seat) and decides it by the
 * rules in rules.ts. Each linked demand gets a `vote` event on its timeline, and
 * its status at the body changes when the motion says what its result does.
 * A roll call is recorded once.
 */
export async function recordRollCall(db: Db, actor: string, motionId: string, input: RollCallInput): Promise<Decision> {
  const call = rollCallSchema.parse(input);
  const motion = await votes.findMotion(db, motionId);
  if (!motion) throw missing();
  const body = (await votes.listBodies(db)).find((b) => b.id === motion.body_id)!;
  const seats = (await votes.listSeats(db)).filter((seat) => seat.body_id === body.id);
  const missingSeat = seats.find((seat) => !(String(seat.position) in call.votes));
  if (missingSeat) throw badRequest(`votes.${missingSeat.position}: ${missingSeat.label_en} has no vote; record absent if the member was not there`);
  const extra = Object.keys(call.votes).find((position) => !seats.some((seat) => String(seat.position) === position));
  if (extra) throw badRequest(`votes.${extra}: ${body.name_en} has no seat ${extra}`);
  if (call.decided_on < motion.moved_on) throw badRequest(`decided_on: ${call.decided_on} is before the motion was moved (${motion.moved_on})`);
  const ordered: Vote[] = seats.map((seat) => call.votes[String(seat.position)]);
  const decision = decideMotion({ seats: body.seats, quorum: body.quorum }, motion.threshold, ordered);
  return db.transaction(async (tx) => {
    const locked = await votes.lockMotion(tx, motionId);
    if (locked?.result) throw refuse(`motion: its roll call was already recorded (${locked.result})`);
    for (const seat of seats) await votes.insertRollCall(tx, motionId, seat.id, call.votes[String(seat.position)]);
    await votes.setMotionResult(tx, motionId, decision.result, call.decided_on);
    const explanation = explainDecision(decision);
    for (const link of await votes.listMotionDemands(tx, motionId)) {
      await applyVoteToDemand(tx, actor, motion, link, decision, call.decided_on, explanation);
    }
    await appendAudit(tx, {
      actor, action: "campaign.motion.rollcall", entity: "campaign_motion", entityId: motionId,
      data: { body: body.slug, decidedOn: call.decided_on, votes: Object.fromEntries(seats.map((seat) => [seat.position, call.votes[String(seat.position)]])), result: decision.result, tally: decision.tally },
    });
    return decision;
  });
}

async function applyVoteToDemand(tx: Queryable, actor: string, motion: votes.MotionRow, link: votes.MotionDemandRow, decision: Decision, on: string, explanation: string) {
  const cell = await demands.lockDemandTarget(tx, link.demand_id, link.target_id);
  if (!cell) return;
  const wanted: DemandStatus | null = decision.result === "passed" ? link.status_if_pass : decision.result === "failed" ? link.status_if_fail : null;
  // A vote dated before the cell's current status still goes on the timeline, but does not turn the status back.
  const changes = wanted !== null && wanted !== cell.status && (!cell.status_since || on >= cell.status_since);
  const eventId = await demands.insertEvent(tx, {
    demandId: link.demand_id, targetId: link.target_id, kind: "vote", occurredOn: on, statusFrom: cell.status, statusTo: changes ? wanted : cell.status,
    summary: `${motion.title_en} — ${explanation}`, summaryLang: "en", motionId: motion.id, recordedBy: actor,
  });
  if (changes) await demands.setDemandTargetStatus(tx, link.demand_id, link.target_id, wanted, on);
  await appendAudit(tx, {
    actor, action: "campaign.demand.vote", entity: "campaign_event", entityId: eventId,
    data: { demand: link.demand_slug, target: link.target_slug, motion: motion.id, result: decision.result, from: cell.status, to: changes ? wanted : cell.status },
  });
}

// ---------------------------------------------------------------------------

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}
