import { can } from "../auth/authorize.js";
import type { Db, Queryable } from "../db/db.js";
import type { Actor } from "../web/context.js";
import { HttpError } from "../web/errors.js";
import { computeDeadlines, type Deadline, type DisciplineWindow } from "./deadlines.js";
import * as repo from "./repo.js";
import { officeSettings } from "./settings-service.js";
import * as staffRepo from "./staff-repo.js";
import { nextStates } from "./workflow.js";

export async function disciplineWindow(db: Db): Promise<DisciplineWindow> {
  return (await officeSettings(db)).disciplineWindow;
}

/** A signed-in staff member reading cases, or the office's own background work (reminders), which reads every case. */
export type CaseReader = Extract<Actor, { kind: "user" }> | { kind: "office" };

/** The reader for the office's background work: every case, no one's view. */
export const OFFICE_READER: CaseReader = { kind: "office" };

/**
 * Need to know: whose cases a reader may list and open. Roles with
 * cases.readAll read every case; anyone else with cases.read (a board member)
 * only the cases on whose panel they sit and from which they have not recused.
 * Returns the panel member to filter by, or undefined for every case.
 */
export function panelScope(reader: CaseReader): string | undefined {
  return reader.kind === "office" || can(reader, "cases.readAll") ? undefined : reader.id;
}

/**
 * Throws 404 unless the reader may read the case. A case the reader may not
 * read is "not found", the same answer as a case that does not exist, so a
 * board member cannot learn which cases exist by trying ids.
 */
export async function assertMayReadCase(db: Queryable, reader: CaseReader, caseId: string): Promise<void> {
  const member = panelScope(reader);
  if (member !== undefined && !(await staffRepo.readsAsPanelMember(db, caseId, member))) throw new HttpError(404, "error.notFound");
}

/** Everything about one case that staff pages need, with its clocks; 404 when the reader may not read it. */
export async function staffCaseView(db: Db, reader: CaseReader, caseId: string, now = new Date()) {
  await assertMayReadCase(db, reader, caseId);
  const found = await repo.findCase(db, caseId);
  if (!found) throw new HttpError(404, "error.notFound");
  const [people, officers, allegations, events, tolling, panel, votes, window] = await Promise.all([
    repo.peopleOf(db, caseId), repo.officersOf(db, caseId), repo.allegationsOf(db, caseId), repo.eventsOf(db, caseId),
    repo.tollingOf(db, caseId), staffRepo.boardPanel(db, caseId), staffRepo.votesFor(db, caseId), disciplineWindow(db),
  ]);
  const complainant = people.find((p) => p.role === "complainant");
  const finalAt = events.find((e) => e.kind === "final_decision")?.at ?? null;
  const deadlines = computeDeadlines({
    receivedAt: found.received_at, incidentDate: found.incident_date, acknowledgedAt: found.acknowledged_at, firstContactAt: found.first_contact_at,
    classifiedAt: found.classified_at, finalDecisionAt: finalAt, contactable: !!complainant?.contact_ok && !!(complainant.email || complainant.phone),
    tolling: tolling.map((t) => ({ startsOn: t.starts_on, endsOn: t.ends_on })),
  }, window, now);
  const names = await staffRepo.staffNames(db, [...staffIdsIn(events), ...(found.assigned_to ? [found.assigned_to] : [])]);
  return { case: found, people, officers, allegations, events, tolling, panel, votes, deadlines, names, nextStates: nextStates(found.state) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The account behind an event's actor ("user:<id>"), or null for the complainant, the system or a malformed id. */
export function actorUserId(actor: string): string | null {
  const id = actor.startsWith("user:") ? actor.slice(5) : "";
  return UUID.test(id) ? id.toLowerCase() : null;
}

/** Every staff account a case's history mentions, so the page can name them. */
function staffIdsIn(events: repo.EventRow[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = actorUserId(event.actor);
    if (id) ids.add(id);
    if (event.subject_user) ids.add(event.subject_user);
  }
  return [...ids];
}

export interface DashboardRow {
  id: string;
  caseNumber: string;
  state: string;
  receivedAt: string;
  hasForce: boolean;
  /** Who works the case, by name. */
  assignedTo: { id: string; name: string } | null;
  deadlines: Deadline[];
}

/**
 * Open cases with their clocks, the most urgent first: what is overdue, then
 * what is due soonest, of the cases the reader may read. With `assignedTo`,
 * only that staff member's cases.
 */
export async function deadlineDashboard(db: Db, reader: CaseReader, now = new Date(), filter: { assignedTo?: string } = {}): Promise<DashboardRow[]> {
  const cases = await repo.listCases(db, true, { ...filter, panelMember: panelScope(reader) });
  const [tolling, window, names] = await Promise.all([
    repo.tollingForCases(db, cases.map((c) => c.id)), disciplineWindow(db),
    staffRepo.staffNames(db, [...new Set(cases.flatMap((c) => (c.assigned_to ? [c.assigned_to] : [])))]),
  ]);
  const rows = cases.map((c) => ({
    id: c.id, caseNumber: c.case_number, state: c.state, receivedAt: c.received_at, hasForce: c.has_force,
    assignedTo: c.assigned_to ? { id: c.assigned_to, name: names.get(c.assigned_to) ?? "" } : null,
    deadlines: computeDeadlines({
      receivedAt: c.received_at, incidentDate: c.incident_date, acknowledgedAt: c.acknowledged_at, firstContactAt: c.first_contact_at,
      classifiedAt: c.classified_at, finalDecisionAt: c.final_at, contactable: c.contactable,
      tolling: tolling.filter((t) => t.case_id === c.id).map((t) => ({ startsOn: t.starts_on, endsOn: t.ends_on })),
    }, window, now),
  }));
  const urgency = (row: DashboardRow) => {
    const open = row.deadlines.filter((d) => d.status === "overdue" || d.status === "due");
    const overdue = open.some((d) => d.status === "overdue") ? 0 : 1;
    const soonest = Math.min(...open.map((d) => new Date(d.dueAt!).getTime()), Number.MAX_SAFE_INTEGER);
    return [overdue, soonest] as const;
  };
  return rows.sort((a, b) => {
    const [ua, sa] = urgency(a);
    const [ub, sb] = urgency(b);
    return ua - ub || sa - sb;
  });
}
