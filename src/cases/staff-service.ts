import { z } from "zod";
import { appendAudit } from "../audit/service.js";
import type { Db, Queryable } from "../db/db.js";
import { HttpError } from "../web/errors.js";
import { BOARD_TO_RECORD_FINDING, BOARD_VOTES, DEFAULT_DISCIPLINE_MATRIX, tally, type BoardVote } from "./board.js";
import { publishCase } from "./publish.js";
import { saveOfficeSettings } from "./settings-service.js";
import { notifyComplainant } from "./notify.js";
import * as repo from "./repo.js";
import { transitionSchema } from "./schema.js";
import { caseRow, caseRows } from "./vouched-rows.js";
import * as staffRepo from "./staff-repo.js";
import { checkTransition, type CaseFacts, type CaseState } from "./workflow.js";
import { TOLLING_KINDS } from "./deadlines.js";
import { FINDINGS, penaltyIsWeaker, findingIsWeaker } from "../records/vocab.js";
import { textInput } from "../web/validate.js";

const refuse = (detail: string) => new HttpError(409, "error.badRequest", detail);
const missing = () => new HttpError(404, "error.notFound");

async function lockedCase(tx: Queryable, caseId: string) {
  const found = await repo.findCase(tx, caseId, true);
  if (!found) throw missing();
  return found;
}

async function factsOf(tx: Queryable, caseId: string): Promise<CaseFacts> {
  const allegations = await repo.allegationsOf(tx, caseId);
  return {
    hasForce: allegations.some((a) => a.is_force),
    hasCriminal: allegations.some((a) => a.is_criminal),
    prosecutorReferred: await repo.hasProsecutorReferral(tx, caseId),
    boardDecidedAll: allegations.every((a) => a.board_finding),
    finalRecordedAll: allegations.every((a) => a.final_finding),
  };
}

/** What the complainant is told when their case moves (no staff notes, no findings before closing). */
const STATE_NOTICE: Partial<Record<CaseState, string>> = {
  triage: "state.triage", investigation: "state.investigation", mediation: "state.mediation", review: "state.review",
  board_review: "state.board_review", closed: "state.closed", closed_no_finding: "state.closed_no_finding", referred_out: "state.referred_out",
};

/**
 * Moves a case to another state if the workflow and the demands' rules allow
 * it; refuses with the reason otherwise. Closing publishes the record.
 */
export async function transition(db: Db, actor: string, caseId: string, input: z.input<typeof transitionSchema>, now = new Date()) {
  const { to, note } = transitionSchema.parse(input);
  return db.transaction(async (tx) => {
    const found = await lockedCase(tx, caseId);
    const check = checkTransition(found.state, to, await factsOf(tx, caseId));
    if (!check.ok) throw refuse(check.reason);
    const changes: Record<string, unknown> = { state: to };
    if (found.state === "triage" && !found.classified_at) changes.classified_at = now.toISOString();
    if (to === "closed" || to === "closed_no_finding" || to === "referred_out") {
      changes.closed_at = now.toISOString();
      changes.closed_reason = note || null;
    }
    await repo.updateCase(tx, caseId, changes);
    const events = [await repo.insertRow(tx, "case_events", { case_id: caseId, actor, kind: "transition", from_state: found.state, to_state: to, body: STATE_NOTICE[to] ?? null, visible_to_complainant: to in STATE_NOTICE })];
    if (note) events.push(await repo.insertRow(tx, "case_events", { case_id: caseId, actor, kind: "note", body: note, visible_to_complainant: false }));
    let published: string | null = null;
    if (to === "closed" || to === "closed_no_finding") published = await publishCase(tx, caseId, now);
    await appendAudit(tx, { actor, action: "case.transition", entity: "case", entityId: caseId, rows: [caseRow("cases", caseId), ...caseRows("case_events", events)], data: { from: found.state, to, published } });
    return { from: found.state, to, published };
  });
}

const EVENT_MARKS = { acknowledged: "acknowledged_at", contacted: "first_contact_at" } as const;

/** Records the acknowledgement sent, or the first contact made, for the clocks. */
export async function markDone(db: Db, actor: string, caseId: string, what: keyof typeof EVENT_MARKS, now = new Date()) {
  await db.transaction(async (tx) => {
    const found = await lockedCase(tx, caseId);
    const column = EVENT_MARKS[what];
    if (found[column]) throw refuse(`already recorded at ${found[column]}`);
    await repo.updateCase(tx, caseId, { [column]: now.toISOString() });
    const eventId = await repo.insertRow(tx, "case_events", { case_id: caseId, actor, kind: what, visible_to_complainant: what === "acknowledged", body: what === "acknowledged" ? "state.acknowledged" : null });
    await appendAudit(tx, { actor, action: `case.${what}`, entity: "case", entityId: caseId, rows: [caseRow("cases", caseId), caseRow("case_events", eventId)] });
  });
}

export const allegationUpdateSchema = z.object({
  category: textInput().trim().min(1).max(100).optional(),
  is_force: z.boolean().optional(),
  is_criminal: z.boolean().optional(),
  is_death: z.boolean().optional(),
  case_officer_id: z.string().uuid().nullable().optional(),
  investigator_finding: z.enum(FINDINGS).nullable().optional(),
});

export async function updateAllegation(db: Db, actor: string, caseId: string, allegationId: string, input: z.input<typeof allegationUpdateSchema>) {
  const changes = allegationUpdateSchema.parse(input);
  if (!Object.keys(changes).length) throw refuse("nothing to change");
  await db.transaction(async (tx) => {
    await lockedCase(tx, caseId);
    if (!(await staffRepo.updateAllegation(tx, caseId, allegationId, changes))) throw missing();
    await appendAudit(tx, { actor, action: "case.allegation.update", entity: "case", entityId: caseId, rows: [caseRow("case_allegations", allegationId)], data: { allegationId, changes } });
  });
}

export async function identifyOfficer(db: Db, actor: string, caseId: string, caseOfficerId: string, personId: string | null) {
  await db.transaction(async (tx) => {
    await lockedCase(tx, caseId);
    if (!(await staffRepo.identifyOfficer(tx, caseId, caseOfficerId, personId))) throw missing();
    await appendAudit(tx, { actor, action: "case.officer.identify", entity: "case", entityId: caseId, rows: [caseRow("case_officers", caseOfficerId)], data: { caseOfficerId, personId } });
  });
}

export async function addOfficer(db: Db, actor: string, caseId: string, input: { name?: string; badge?: string; personId?: string | null }) {
  return db.transaction(async (tx) => {
    await lockedCase(tx, caseId);
    const id = await repo.insertRow(tx, "case_officers", { case_id: caseId, name: input.name ?? null, badge: input.badge ?? null, person_id: input.personId ?? null });
    await appendAudit(tx, { actor, action: "case.officer.add", entity: "case", entityId: caseId, rows: [caseRow("case_officers", id)], data: { caseOfficerId: id, personId: input.personId ?? null } });
    return id;
  });
}

/** Every criminal complaint against an officer is accepted and referred to the prosecutor. */
export async function referToProsecutor(db: Db, actor: string, caseId: string, reason: string) {
  const text = textInput().trim().min(3, "say what is referred").max(2000).parse(reason);
  await db.transaction(async (tx) => {
    await lockedCase(tx, caseId);
    const id = await repo.insertRow(tx, "referrals", { case_id: caseId, to_body: "prosecutor", reason: text });
    const eventId = await repo.insertRow(tx, "case_events", { case_id: caseId, actor, kind: "referral", body: "state.referred_prosecutor", visible_to_complainant: true });
    await appendAudit(tx, { actor, action: "case.refer", entity: "case", entityId: caseId, rows: [caseRow("referrals", id), caseRow("case_events", eventId)], data: { referralId: id, to: "prosecutor" } });
  });
}

export const tollingSchema = z.object({
  kind: z.enum(TOLLING_KINDS),
  starts_on: z.iso.date(),
  ends_on: z.union([z.literal("").transform(() => null), z.iso.date()]).optional().transform((value) => value ?? null),
  note: textInput().trim().max(2000).optional(),
});

export async function addTolling(db: Db, actor: string, caseId: string, input: z.input<typeof tollingSchema>) {
  const tolling = tollingSchema.parse(input);
  if (tolling.ends_on && tolling.ends_on < tolling.starts_on) throw refuse("ends_on: the period ends before it starts");
  return db.transaction(async (tx) => {
    await lockedCase(tx, caseId);
    const id = await repo.insertRow(tx, "case_tolling", { case_id: caseId, ...tolling, note: tolling.note ?? null });
    await appendAudit(tx, { actor, action: "case.tolling.add", entity: "case", entityId: caseId, rows: [caseRow("case_tolling", id)], data: { tollingId: id, kind: tolling.kind, starts_on: tolling.starts_on, ends_on: tolling.ends_on } });
    return id;
  });
}

export async function endTolling(db: Db, actor: string, caseId: string, tollingId: string, endsOn: string) {
  const date = z.iso.date().parse(endsOn);
  await db.transaction(async (tx) => {
    if (!(await staffRepo.endTolling(tx, caseId, tollingId, date))) throw refuse("that tolling period is not open on this case");
    await appendAudit(tx, { actor, action: "case.tolling.end", entity: "case", entityId: caseId, rows: [caseRow("case_tolling", tollingId)], data: { tollingId, ends_on: date } });
  });
}

/** A staff note (internal) or a message the complainant will see on their status page. */
export async function addNote(db: Db, actor: string, caseId: string, body: string, toComplainant: boolean, linkBase = "") {
  const text = textInput().trim().min(1, "write something").max(10_000).parse(body);
  await db.transaction(async (tx) => {
    await lockedCase(tx, caseId);
    const eventId = await repo.insertRow(tx, "case_events", { case_id: caseId, actor, kind: toComplainant ? "message" : "note", body: text, visible_to_complainant: toComplainant });
    if (toComplainant) await notifyComplainant(tx, caseId, "message", linkBase);
    await appendAudit(tx, { actor, action: toComplainant ? "case.message" : "case.note", entity: "case", entityId: caseId, rows: [caseRow("case_events", eventId)], data: { length: text.length } });
  });
}

export async function assignBoardPanel(db: Db, actor: string, caseId: string, memberIds: string[]) {
  const members = z.array(z.string().uuid()).min(1, "choose at least one board member").max(15).parse([...new Set(memberIds)]);
  await db.transaction(async (tx) => {
    await lockedCase(tx, caseId);
    const valid = await staffRepo.usersWithRole(tx, members, "board_member");
    if (valid.length !== members.length) throw refuse("every panel member must be an active board member");
    await staffRepo.setBoardPanel(tx, caseId, members);
    await appendAudit(tx, { actor, action: "case.board.panel", entity: "case", entityId: caseId, rows: [caseRow("board_panels", caseId)], data: { members } });
  });
}

export const voteSchema = z.object({
  allegation_id: z.string().uuid(),
  vote: z.enum(BOARD_VOTES).nullable(),
  recused: z.boolean().default(false),
  reason: textInput().trim().max(2000).optional(),
});

/**
 * A panel member's vote on one allegation, or their recusal from the case. When
 * the majority decides an allegation, the board's finding is set and, if
 * substantiated, the matrix's penalty is recommended.
 *
 * A recusal declares a conflict with the case, so it covers every allegation
 * (the member leaves every tally) and the member no longer reads the case. A
 * case the member may not read, off their panel or after a recusal, is "not
 * found" (404), as for reading it.
 */
export async function castVote(db: Db, memberId: string, caseId: string, input: z.input<typeof voteSchema>) {
  const vote = voteSchema.parse(input);
  if (!vote.recused && !vote.vote) throw refuse("vote: choose a finding or recuse");
  return db.transaction(async (tx) => {
    const found = await lockedCase(tx, caseId);
    const panel = await staffRepo.boardPanel(tx, caseId);
    if (!panel?.includes(memberId) || !(await staffRepo.readsAsPanelMember(tx, caseId, memberId))) throw missing();
    if (found.state !== "board_review") throw refuse("the case is not before the board");
    const allegations = await repo.allegationsOf(tx, caseId);
    const allegation = allegations.find((a) => a.id === vote.allegation_id);
    if (!allegation) throw missing();
    const matrix = (await repo.getSetting<Record<string, string>>(tx, "discipline_matrix")) ?? DEFAULT_DISCIPLINE_MATRIX;
    const affected = vote.recused ? allegations : [allegation];
    let result: ReturnType<typeof tally> | undefined;
    let decided: string | null = null;
    for (const one of affected) {
      await staffRepo.upsertVote(tx, { caseId, allegationId: one.id, memberId, vote: vote.recused ? null : vote.vote, recused: vote.recused, reason: vote.reason ?? null });
      const votes = (await staffRepo.votesFor(tx, caseId)).filter((v) => v.allegation_id === one.id);
      const outcome = tally(panel, votes.map((v) => ({ memberId: v.member_id, vote: v.vote as BoardVote | null, recused: v.recused })));
      const finding = outcome.decided ? BOARD_TO_RECORD_FINDING[outcome.finding] : null;
      await staffRepo.updateAllegation(tx, caseId, one.id, {
        board_finding: finding,
        recommended_penalty: finding === "sustained" ? (matrix[one.category] ?? matrix.other ?? null) : null,
      });
      if (one.id === vote.allegation_id) {
        result = outcome;
        decided = finding;
      }
    }
    await appendAudit(tx, { actor: `user:${memberId}`, action: vote.recused ? "case.board.recuse" : "case.board.vote", entity: "case", entityId: caseId,
      rows: affected.flatMap((one) => [caseRow("board_votes", one.id, memberId), caseRow("case_allegations", one.id)]),
      data: { allegationId: vote.allegation_id, vote: vote.vote, recused: vote.recused, decided } });
    return result!;
  });
}

export const finalDecisionSchema = z.object({
  allegation_id: z.string().uuid(),
  final_finding: z.enum(FINDINGS),
  final_penalty: textInput().trim().max(200).optional().transform((value) => value || null),
});

/** The department's final decision, and whether it deviated from the board (published at closing). */
export async function recordFinalDecision(db: Db, actor: string, caseId: string, input: z.input<typeof finalDecisionSchema>) {
  const decision = finalDecisionSchema.parse(input);
  return db.transaction(async (tx) => {
    const found = await lockedCase(tx, caseId);
    if (found.state !== "final_disposition" && found.state !== "discipline_recommended") throw refuse("final decisions are recorded after the board's recommendation");
    const allegation = (await repo.allegationsOf(tx, caseId)).find((a) => a.id === decision.allegation_id);
    if (!allegation) throw missing();
    const deviated = findingIsWeaker(allegation.board_finding, decision.final_finding) || penaltyIsWeaker(allegation.recommended_penalty, decision.final_penalty) || (allegation.board_finding !== null && allegation.board_finding !== decision.final_finding);
    await staffRepo.updateAllegation(tx, caseId, decision.allegation_id, { final_finding: decision.final_finding, final_penalty: decision.final_penalty, deviated });
    const eventId = await repo.insertRow(tx, "case_events", { case_id: caseId, actor, kind: "final_decision", body: null, visible_to_complainant: false });
    await appendAudit(tx, { actor, action: "case.final_decision", entity: "case", entityId: caseId, rows: [caseRow("case_allegations", decision.allegation_id), caseRow("case_events", eventId)], data: { allegationId: decision.allegation_id, final_finding: decision.final_finding, deviated } });
    return { deviated };
  });
}

/**
 * The department reports an officer reinstated: every open case against them
 * for force, misconduct or a death raises a flag.
 */
export async function reportReinstatement(db: Db, actor: string, personId: string, reportedOn: string) {
  const date = z.iso.date().parse(reportedOn);
  return db.transaction(async (tx) => {
    const open = await staffRepo.openCasesAgainst(tx, personId);
    const flags: string[] = [];
    for (const row of open) {
      flags.push(await staffRepo.insertFlag(tx, { personId, caseId: row.case_id, reportedOn: date, reasons: row.categories.join(", ") }));
    }
    await appendAudit(tx, { actor, action: "person.reinstatement_reported", entity: "person", entityId: personId, rows: caseRows("reinstatement_flags", flags), data: { reportedOn: date, flags: flags.length } });
    return flags;
  });
}

export const listReinstatementFlags = (db: Db) => staffRepo.listFlags(db);
export const listBoardMembers = (db: Db) => staffRepo.boardMembers(db);

/** Sets the discipline window alone; the settings page saves the window and the matrix together (settings-service.ts). */
export async function setDisciplineWindow(db: Db, actor: string, window: string) {
  await saveOfficeSettings(db, actor, { discipline_window: window });
}
