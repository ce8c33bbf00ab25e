import type { Role } from "../auth/roles.js";
import type { Deadline } from "./deadlines.js";
import { actorUserId, type staffCaseView } from "./staff-view.js";

/** Who did something on a case, as staff pages and the staff API show it: a name, never a bare account id. */
export type StaffActor = { kind: "user"; id: string | null; name: string | null } | { kind: "complainant" } | { kind: "system" };

export function presentActor(actor: string, names: ReadonlyMap<string, string>): StaffActor {
  if (actor === "complainant") return { kind: "complainant" };
  if (!actor.startsWith("user:")) return { kind: "system" };
  const id = actorUserId(actor);
  return { kind: "user", id, name: id ? names.get(id) ?? null : null };
}

/**
 * A case as staff see it. Who complained is shown only to roles that work the
 * case (intake, investigators, admins); board members judge the allegations
 * without knowing who filed them.
 */
export function presentCaseForStaff(view: Awaited<ReturnType<typeof staffCaseView>>, role: Role, canSeeIdentity: boolean) {
  const c = view.case;
  return {
    id: c.id,
    caseNumber: c.case_number,
    state: c.state,
    channel: c.channel,
    language: c.language,
    anonymous: c.anonymous,
    thirdParty: c.third_party,
    incidentDate: c.incident_date,
    incidentTime: c.incident_time,
    location: canSeeIdentity ? c.location : null,
    district: c.district,
    narrative: c.narrative,
    receivedAt: c.received_at,
    closedAt: c.closed_at,
    legalHold: c.legal_hold,
    contactDeletedAt: c.contact_deleted_at,
    acknowledgedAt: c.acknowledged_at,
    firstContactAt: c.first_contact_at,
    publishedComplaint: c.published_complaint,
    assignedTo: c.assigned_to ? { id: c.assigned_to, name: view.names.get(c.assigned_to) ?? null } : null,
    people: canSeeIdentity ? view.people.map((p) => ({ id: p.id, role: p.role, name: p.name, email: p.email, phone: p.phone, address: p.address, contactOk: p.contact_ok, notes: p.notes })) : [],
    officers: view.officers.map((o) => ({ id: o.id, personId: o.person_id, name: o.name, badge: o.badge, vehicle: o.vehicle, description: o.description })),
    allegations: view.allegations.map((a) => ({
      id: a.id, caseOfficerId: a.case_officer_id, category: a.category, isForce: a.is_force, isCriminal: a.is_criminal, isDeath: a.is_death,
      investigatorFinding: a.investigator_finding, boardFinding: a.board_finding, recommendedPenalty: a.recommended_penalty,
      finalFinding: a.final_finding, finalPenalty: a.final_penalty, deviated: a.deviated,
    })),
    // Notes and messages can name the complainant: only roles that may know who filed see their text.
    events: view.events.map((e) => ({ at: e.at, actor: presentActor(e.actor, view.names), kind: e.kind,
      about: e.subject_user ? { id: e.subject_user, name: view.names.get(e.subject_user) ?? null } : null, from: e.from_state, to: e.to_state, body: canSeeIdentity || e.body?.startsWith("state.") ? e.body : null, toComplainant: e.visible_to_complainant })),
    tolling: view.tolling.map((t) => ({ id: t.id, kind: t.kind, startsOn: t.starts_on, endsOn: t.ends_on })),
    panel: view.panel ?? [],
    votes: role === "board_member" || role === "admin" ? view.votes.map((v) => ({ allegationId: v.allegation_id, memberId: v.member_id, vote: v.vote, recused: v.recused })) : [],
    deadlines: view.deadlines as Deadline[],
    nextStates: view.nextStates,
  };
}
export type StaffCase = ReturnType<typeof presentCaseForStaff>;
