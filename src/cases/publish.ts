import type { Queryable } from "../db/db.js";
import { refreshDerivedFor } from "../records/derived-repo.js";
import * as write from "../records/write-repo.js";
import { penaltySeverity } from "../records/vocab.js";
import * as repo from "./repo.js";

/** The department the office oversees; a setting, with Kansas City's as the default. */
export const DEFAULT_HOME_AGENCY = { slug: "kcpd", name: "Kansas City Missouri Police Department", city: "Kansas City", state: "MO" };

/**
 * Turns a closed case into open records. This is the one place that decides what
 * of a case becomes public: dates, district, channel, the allegations with every
 * finding and penalty, and the officers once identified. Never the complainant,
 * witnesses, narrative, exact location, or receipt.
 */
export async function publishCase(tx: Queryable, caseId: string, now: Date): Promise<string> {
  const found = await repo.findCase(tx, caseId);
  if (!found) throw new Error(`case ${caseId} vanished while closing`);
  const agency = (await repo.getSetting<typeof DEFAULT_HOME_AGENCY>(tx, "home_agency")) ?? DEFAULT_HOME_AGENCY;
  const agencyId = await findOrCreateAgency(tx, agency);
  const allegations = await repo.allegationsOf(tx, caseId);
  const officers = new Map((await repo.officersOf(tx, caseId)).map((officer) => [officer.id, officer]));
  const complaintId = found.published_complaint ?? (await write.insertComplaint(tx, {
    agency_id: agencyId, external_id: found.case_number, received_date: found.received_at.slice(0, 10), incident_date: found.incident_date,
    closed_date: now.toISOString().slice(0, 10), district: found.district, channel: found.channel, case_type: "Complaint to the community oversight office",
    investigating_agency: "Community oversight office", search_text: [found.case_number, found.district, ...allegations.map((a) => a.category.replace(/_/g, " "))].filter(Boolean).join(" "),
  }));
  // A reopened case published again: the officers it named before are recounted too.
  const named = found.published_complaint
    ? (await tx.query<{ person_id: string }>("SELECT DISTINCT person_id FROM allegations WHERE complaint_id = $1 AND person_id IS NOT NULL", [complaintId])).map((row) => row.person_id)
    : [];
  if (found.published_complaint) await tx.query("DELETE FROM discipline WHERE allegation_id IN (SELECT id FROM allegations WHERE complaint_id = $1)", [complaintId]);
  if (found.published_complaint) await tx.query("DELETE FROM allegations WHERE complaint_id = $1", [complaintId]);
  for (const allegation of allegations) {
    const personId = allegation.case_officer_id ? (officers.get(allegation.case_officer_id)?.person_id ?? null) : null;
    const finalFinding = allegation.final_finding ?? (found.state === "closed_no_finding" ? "closed_no_finding" : null);
    if (personId) named.push(personId);
    const allegationId = await write.insertAllegation(tx, {
      complaint_id: complaintId, person_id: personId, category: allegation.category.replace(/_/g, " "), category_code: allegation.category,
      investigator_finding: allegation.investigator_finding, board_finding: allegation.board_finding, final_finding: finalFinding,
      recommended_penalty: allegation.recommended_penalty, final_penalty: allegation.final_penalty,
    });
    if (personId && finalFinding === "sustained" && (penaltySeverity(allegation.final_penalty) ?? 0) > 0) {
      await write.insertDiscipline(tx, { person_id: personId, allegation_id: allegationId, kind: allegation.final_penalty!, decided_date: now.toISOString().slice(0, 10) });
    }
  }
  await repo.updateCase(tx, caseId, { published_complaint: complaintId });
  await refreshDerivedFor(tx, named);
  return complaintId;
}

async function findOrCreateAgency(tx: Queryable, agency: typeof DEFAULT_HOME_AGENCY): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    "INSERT INTO agencies (slug, name, city, state) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id",
    [agency.slug, agency.name, agency.city, agency.state],
  );
  return row.id;
}
