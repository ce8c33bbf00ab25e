import type { CsvRecord, FileHandler, RunContext } from "../format.js";
import type { Provenance } from "../sink.js";
import { RowError } from "../errors.js";
import { date, integer, text } from "../values.js";
import { cpdpFinding, penaltySeverity } from "../../vocab.js";
import type { CpdpKind } from "./kinds.js";

/** What the row handlers share across one CPDP import run. */
export interface CpdpState {
  agencyId: string;
  personByMention: Map<string, { personId: string; mentionId: string }>;
  complaints: Map<string, { id: string; year: number | null; earlier?: boolean }>;
  /** Complaints stored by an earlier run that this run gives allegations: their search text is rebuilt at the end. */
  earlierComplaintsWithNewAllegations: Set<string>;
  /** Allegation categories per CR number, gathered from the accused files before any complaint is written. */
  categoriesByCr: Map<string, Set<string>>;
  incidents: Map<string, string>;
  /**
   * When both accused files come in one run, the penalty file (read first) is
   * held here by complaint, officer and category code, in file order, so each
   * allegation the two files share is written once: see accusedRecommendedRow.
   * Null when only one of them is imported.
   */
  heldPenaltyRows: Map<string, HeldAllegation[]> | null;
  counters: {
    allegationsMergedAcrossAccusedFiles: number;
    complaintsRepeated: number;
    stubComplaints: number;
    complainantsWithoutComplaint: number;
    stubIncidents: number;
    unidentifiedOfficers: number;
  };
}

export const TRR_SOURCE_KIND = "cpdp-trr";

type Officer = { personId: string; mentionId: string };

export function rowHandler(kind: CpdpKind, stem: string, idColumn: string | null, ctx: RunContext, state: CpdpState): FileHandler {
  /** The officer a row names, through its file-local id; null for placeholders ("UNKNOWN"). */
  const person = (record: CsvRecord): Officer | null => {
    const localId = idColumn ? text(record, idColumn) : null;
    const found = localId ? state.personByMention.get(`${stem}:${localId}`) : undefined;
    if (!found) state.counters.unidentifiedOfficers += 1;
    return found ?? null;
  };
  switch (kind) {
    case "roster":
      return { onRow: (record) => rosterRow(record, ctx, state, person(record)) };
    case "complaints":
      return { onRow: (record) => complaintRow(record, ctx, state) };
    case "accused-recommended":
      return { onRow: (record) => accusedRecommendedRow(record, ctx, state, person(record)) };
    case "accused-penalty":
      return { onRow: (record) => accusedPenaltyRow(record, ctx, state, person(record)) };
    case "complainants":
      return { onRow: (record) => complainantRow(record, ctx, state) };
    case "trr-main":
      return { onRow: (record) => trrMainRow(record, ctx, state) };
    case "trr-officers":
      return { onRow: (record) => trrOfficerRow(record, ctx, state, person(record)) };
  }
}

function rosterRow(record: CsvRecord, ctx: RunContext, state: CpdpState, officer: Officer | null) {
  if (!officer) return;
  const resigned = date(record, "resignation_date");
  ctx.sink.add("employment", {
    person_id: officer.personId, mention_id: officer.mentionId, agency_id: state.agencyId,
    badge: star(record, "star1"), rank: text(record, "rank"), unit: text(record, "unit_description") ?? text(record, "unit"),
    start_date: date(record, "appointed_date"), end_date: resigned, separation_reason: resigned ? "Resigned or separated (roster)" : null,
  });
}

function complaintRow(record: CsvRecord, ctx: RunContext, state: CpdpState) {
  const crId = required(record, "cr_id");
  // The two complaints files overlap; the first file's row wins and the repeat is counted.
  if (state.complaints.has(crId)) {
    state.counters.complaintsRepeated += 1;
    return;
  }
  const incident = date(record, "incident_date");
  const received = date(record, "complaint_date");
  const values = {
    location: text(record, "address"), case_type: text(record, "case_type"),
    investigating_agency: text(record, "investigating_agency"), complainant_type: text(record, "complainant_type"),
  };
  const id = ctx.sink.add("complaints", {
    agency_id: state.agencyId, external_id: crId, received_date: received, incident_date: incident, closed_date: date(record, "closed_date"),
    beat: text(record, "beat")?.replace(/\.0$/, "") ?? null, ...values,
    search_text: searchText([crId, values.case_type, values.location, values.investigating_agency, values.complainant_type], state.categoriesByCr.get(crId)),
  });
  state.complaints.set(crId, { id, year: yearOf(incident ?? received) });
}

/** A penalty-file allegation waiting for its partner in the recommended file. */
export interface HeldAllegation {
  values: Record<string, unknown>;
  personId: string;
  finding: string | null;
  penalty: string | null;
  days: number | null;
  provenance: Provenance;
}

const pairKey = (complaintId: string, personId: string, categoryCode: string | null) => `${complaintId}|${personId}|${categoryCode ?? ""}`;

/**
 * A recommended-schema allegation. When the penalty file described the same
 * allegation (same complaint, officer and category code, the nth of each in
 * file order), it is written once: this file's values, its gaps filled from the
 * penalty file's, and the penalty file's discipline when this row has none.
 */
function accusedRecommendedRow(record: CsvRecord, ctx: RunContext, state: CpdpState, officer: Officer | null) {
  const complaintId = allegationComplaint(required(record, "cr_id"), ctx, state);
  const finalFinding = finding(record, "final_finding");
  const finalPenalty = text(record, "final_penalty");
  const categoryCode = text(record, "complaint_code");
  const values: Record<string, unknown> = {
    complaint_id: complaintId, person_id: officer?.personId ?? null, mention_id: officer?.mentionId ?? null, category_code: categoryCode, category: allegationCategory(record),
    investigator_finding: finding(record, "recommended_finding"), final_finding: finalFinding,
    recommended_penalty: text(record, "recommended_penalty"), final_penalty: finalPenalty,
    rank_at_time: text(record, "assigned_rank") ?? text(record, "rank"), unit_at_time: unit(record, "assigned_unit"),
  };
  const partner = officer ? state.heldPenaltyRows?.get(pairKey(complaintId, officer.personId, categoryCode))?.shift() : undefined;
  if (partner) {
    for (const column of ["final_finding", "final_penalty", "suspension_days", "category", "unit_at_time", "rank_at_time"]) values[column] ??= partner.values[column];
    state.counters.allegationsMergedAcrossAccusedFiles += 1;
  }
  const allegationId = ctx.sink.add("allegations", values);
  const disciplined = stageDiscipline(ctx, officer?.personId ?? null, allegationId, finalFinding, finalPenalty, null);
  if (partner && !disciplined) withProvenance(ctx, partner.provenance, () => stageDiscipline(ctx, partner.personId, allegationId, partner.finding, partner.penalty, partner.days));
}

function accusedPenaltyRow(record: CsvRecord, ctx: RunContext, state: CpdpState, officer: Officer | null) {
  const complaintId = allegationComplaint(required(record, "cr_id"), ctx, state);
  const finalFinding = finding(record, "finding");
  const penalty = text(record, "penalty");
  const days = integer(record, "days");
  const values = {
    complaint_id: complaintId, person_id: officer?.personId ?? null, mention_id: officer?.mentionId ?? null, category_code: text(record, "category_code"),
    category: allegationCategory(record), final_finding: finalFinding, final_penalty: penalty, suspension_days: days,
    rank_at_time: text(record, "rank"), unit_at_time: text(record, "unit_description") ?? unit(record, "current_unit"),
  };
  if (state.heldPenaltyRows && officer) {
    const key = pairKey(complaintId, officer.personId, values.category_code);
    let held = state.heldPenaltyRows.get(key);
    if (!held) state.heldPenaltyRows.set(key, (held = []));
    held.push({ values, personId: officer.personId, finding: finalFinding, penalty, days, provenance: { ...ctx.sink.provenance } });
    return;
  }
  const allegationId = ctx.sink.add("allegations", values);
  stageDiscipline(ctx, officer?.personId ?? null, allegationId, finalFinding, penalty, days);
}

/** Writes the penalty-file allegations the recommended file did not describe, each with its own source row. */
export function stageUnpairedPenaltyRows(ctx: RunContext, state: CpdpState): void {
  for (const held of state.heldPenaltyRows?.values() ?? []) {
    for (const row of held) {
      withProvenance(ctx, row.provenance, () => {
        const allegationId = ctx.sink.add("allegations", row.values);
        stageDiscipline(ctx, row.personId, allegationId, row.finding, row.penalty, row.days);
        ctx.sink.commitRow();
      });
    }
  }
  state.heldPenaltyRows?.clear();
}

function withProvenance(ctx: RunContext, provenance: Provenance, stage: () => void): void {
  const current = ctx.sink.provenance;
  ctx.sink.provenance = provenance;
  try {
    stage();
  } finally {
    ctx.sink.provenance = current;
  }
}

/** A sustained finding with a real penalty is discipline; "no action" and closures are not. */
function stageDiscipline(ctx: RunContext, personId: string | null, allegationId: string, finalFinding: string | null, penalty: string | null, days: number | null): boolean {
  if (!personId || finalFinding !== "sustained" || !penalty) return false;
  if ((penaltySeverity(penalty) ?? 0) <= 0) return false;
  ctx.sink.add("discipline", { person_id: personId, allegation_id: allegationId, kind: penalty, days });
  return true;
}

function complainantRow(record: CsvRecord, ctx: RunContext, state: CpdpState) {
  const raw = text(record, "cr_id");
  if (!raw) {
    state.counters.complainantsWithoutComplaint += 1;
    return;
  }
  const crId = knownCrId(raw, state);
  const complaintId = complaintFor(crId, ctx, state);
  const birthYear = integer(record, "birth_year");
  ctx.sink.add("complainant_demographics", {
    complaint_id: complaintId, race: text(record, "race"), gender: text(record, "gender"),
    age_band: ageBand(birthYear, state.complaints.get(crId)?.year ?? null), count: 1,
  });
}

function trrMainRow(record: CsvRecord, ctx: RunContext, state: CpdpState) {
  const trrId = required(record, "trr_id");
  if (state.incidents.has(trrId)) return;
  const place = [text(record, "block"), text(record, "direction"), text(record, "street")].filter(Boolean).join(" ");
  const id = ctx.sink.add("force_incidents", {
    agency_id: state.agencyId, external_id: trrId, source_kind: TRR_SOURCE_KIND, occurred_date: date(record, "trr_date"), fatal: false,
    location: place || text(record, "location"), city: "Chicago", state: "IL",
    details: { status: text(record, "trr_status"), setting: text(record, "location"), indoorOrOutdoor: text(record, "indoor_or_outdoor"), lighting: text(record, "lighting_condition"), weather: text(record, "weather_condition"), beat: text(record, "beat") },
  });
  state.incidents.set(trrId, id);
}

function trrOfficerRow(record: CsvRecord, ctx: RunContext, state: CpdpState, officer: Officer | null) {
  const trrId = required(record, "trr_id");
  let incidentId = state.incidents.get(trrId);
  if (!incidentId) {
    // The officers file covers years the main file does not: keep the report as a dated stub.
    incidentId = ctx.sink.add("force_incidents", { agency_id: state.agencyId, external_id: trrId, source_kind: TRR_SOURCE_KIND, occurred_date: date(record, "trr_date"), fatal: false, city: "Chicago", state: "IL", details: {} });
    state.incidents.set(trrId, incidentId);
    state.counters.stubIncidents += 1;
  }
  ctx.sink.add("force_officers", {
    incident_id: incidentId, person_id: officer?.personId ?? null, mention_id: officer?.mentionId ?? null, rank_at_time: text(record, "rank"), unit_at_time: unit(record, "unit"),
    duty_status: text(record, "duty_status"), injured: text(record, "injured"),
  });
}

/** The complaint an allegation belongs to, noting complaints of earlier runs (their search text needs the new categories). */
function allegationComplaint(crId: string, ctx: RunContext, state: CpdpState): string {
  const id = complaintFor(crId, ctx, state);
  if (state.complaints.get(crId)?.earlier) state.earlierComplaintsWithNewAllegations.add(id);
  return id;
}

function complaintFor(crId: string, ctx: RunContext, state: CpdpState): string {
  const known = state.complaints.get(crId);
  if (known) return known.id;
  const id = ctx.sink.add("complaints", { agency_id: state.agencyId, external_id: crId, search_text: searchText([crId], state.categoriesByCr.get(crId)), source_row: null });
  state.complaints.set(crId, { id, year: null });
  state.counters.stubComplaints += 1;
  return id;
}

/** The complainants file writes old CR numbers as "2000-0258960" where the complaints file has "258960". */
function knownCrId(raw: string, state: CpdpState): string {
  if (state.complaints.has(raw)) return raw;
  const stripped = raw.replace(/^\d{4}-0*/, "");
  return stripped && state.complaints.has(stripped) ? stripped : raw;
}

function required(record: CsvRecord, column: string): string {
  const value = text(record, column);
  if (!value) throw new RowError(column, "is empty");
  return value.replace(/\.0$/, "");
}

function finding(record: CsvRecord, column: string) {
  const mapped = cpdpFinding(record[column]);
  if (mapped === undefined) throw new RowError(column, `unknown finding "${record[column]}"`);
  return mapped;
}

function star(record: CsvRecord, column: string): string | null {
  const value = text(record, column);
  return value ? value.replace(/\.0+$/, "") : null;
}

function unit(record: CsvRecord, column: string): string | null {
  const value = text(record, column);
  return value ? value.replace(/\.0+$/, "") : null;
}

const yearOf = (isoDate: string | null) => (isoDate ? Number(isoDate.slice(0, 4)) : null);

function ageBand(birthYear: number | null, atYear: number | null): string | null {
  if (!birthYear || !atYear) return null;
  const age = atYear - birthYear;
  if (age < 0 || age > 110) return null;
  if (age < 18) return "under 18";
  if (age < 25) return "18-24";
  if (age < 35) return "25-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  if (age < 65) return "55-64";
  return "65+";
}

/** An accused row's allegation category, in either schema (p053540: allegation_category; p867849: category, with stray commas). */
export function allegationCategory(record: CsvRecord): string | null {
  if ("allegation_category" in record) return text(record, "allegation_category");
  return text(record, "category")?.replace(/,+$/, "") || null;
}

/**
 * A complaint's search text: its own words and its allegations' categories,
 * written with the complaint (the categories are read ahead from the accused
 * files), so the complaints need no second pass.
 */
function searchText(own: (string | null)[], categories: Set<string> | undefined): string {
  return [...own, ...[...(categories ?? [])].sort()].filter(Boolean).join(" ");
}
