import type { AgencyRow } from "./agencies-repo.js";
import type { ComplaintListRow } from "./complaints-repo.js";
import type { AllegationListRow, SettlementListRow, SourceFileRow } from "./lists-repo.js";
import type { OfficerListRow } from "./officers-repo.js";
import type { Provenance } from "./profile-repo.js";
import type { AgencyDetail, ComplaintDetail, OfficerProfile, recordStats } from "./service.js";
import { findingIsWeaker, penaltyIsWeaker } from "./vocab.js";

/**
 * The one place that decides which fields of the records leave the server, as
 * JSON or HTML. Each function lists fields by name: never a spread of a row.
 */

export function presentStats(stats: Awaited<ReturnType<typeof recordStats>>) {
  return {
    tables: stats.tables,
    importRuns: stats.importRuns.map((run) => ({
      id: run.id,
      format: run.format,
      startedAt: run.started_at,
      finishedAt: run.finished_at,
      report: run.report,
    })),
  };
}

interface FindingColumns {
  investigator_finding: string | null;
  board_finding: string | null;
  final_finding: string | null;
  recommended_penalty: string | null;
  final_penalty: string | null;
  suspension_days: number | null;
}

/** Findings and penalties side by side, with the mark where the department went weaker. */
function presentOutcome(row: FindingColumns) {
  return {
    findings: { investigator: row.investigator_finding, board: row.board_finding, final: row.final_finding },
    penalty: { recommended: row.recommended_penalty, final: row.final_penalty, suspensionDays: row.suspension_days },
    finalWeakerThanRecommended: findingIsWeaker(row.investigator_finding ?? row.board_finding, row.final_finding) || penaltyIsWeaker(row.recommended_penalty, row.final_penalty),
  };
}

export type PresentedSource = ReturnType<typeof presentSource>;

/** Where a row came from: the file, its sha256, the row number, the import run. */
export function presentSource(row: Provenance) {
  if (!row.source_sha256) return { kind: "entered" as const };
  return { kind: "imported" as const, file: row.source_file, sha256: row.source_sha256, row: row.source_row, importRun: row.import_run_id };
}

export function presentOfficerListItem(row: OfficerListRow) {
  return {
    id: row.id,
    name: row.full_name,
    birthYear: row.birth_year,
    race: row.race,
    gender: row.gender,
    agency: row.agency_slug ? { slug: row.agency_slug, name: row.agency_name } : null,
    rank: row.rank,
    unit: row.unit,
    badge: row.badge,
    complaints: row.complaint_count,
    allegations: row.allegation_count,
    sustained: row.sustained_count,
  };
}
export type PresentedOfficer = ReturnType<typeof presentOfficerListItem>;

export function presentOfficerProfile(profile: OfficerProfile) {
  const { person, stats } = profile;
  return {
    id: person.id,
    name: person.full_name,
    firstName: person.first_name,
    middleName: person.middle_name,
    lastName: person.last_name,
    suffix: person.suffix,
    birthYear: person.birth_year,
    race: person.race,
    gender: person.gender,
    demo: person.is_demo,
    summary: {
      complaints: stats?.complaint_count ?? 0,
      allegations: stats?.allegation_count ?? 0,
      sustained: stats?.sustained_count ?? 0,
      complaintPercentile: stats ? Number(stats.complaint_percentile) : null,
      peerAgency: stats?.agency_slug ? { slug: stats.agency_slug, name: stats.agency_name } : null,
      peers: stats?.peers ?? 0,
    },
    employment: profile.employment.map((row) => ({
      agency: { slug: row.agency_slug, name: row.agency_name },
      badge: row.badge, rank: row.rank, unit: row.unit,
      start: row.start_date, end: row.end_date, separationReason: row.separation_reason,
      source: presentSource(row),
    })),
    allegations: profile.allegations.map((row) => ({
      id: row.id,
      complaint: { id: row.complaint_id, externalId: row.complaint_external_id, agency: row.agency_slug, received: row.received_date, incident: row.incident_date },
      category: row.category,
      ...presentOutcome(row),
      source: presentSource(row),
    })),
    discipline: profile.discipline.map((row) => ({
      id: row.id, kind: row.kind, days: row.days, withPay: row.with_pay, decided: row.decided_date, allegationId: row.allegation_id, source: presentSource(row),
    })),
    settlements: profile.settlements.map((row) => ({
      id: row.id, year: row.calendar_year, closed: row.closed_date, amountCents: row.amount_cents, payer: row.payer,
      matter: row.matter_name, allegations: row.summary_allegations, agency: row.agency_slug, source: presentSource(row),
    })),
    useOfForce: profile.force.map((row) => ({
      id: row.id, externalId: row.external_id, date: row.occurred_date, type: row.force_type, injury: row.injury, fatal: row.fatal, source: presentSource(row),
    })),
    coAccused: profile.coAccused.map((row) => ({ id: row.id, name: row.full_name, sharedComplaints: row.shared_complaints })),
    mergedInto: person.merged_into,
    identityLinks: profile.mentions.map((row) => ({ id: row.id, source: row.source, localId: row.local_id, rule: row.link_rule })),
  };
}
export type PresentedProfile = ReturnType<typeof presentOfficerProfile>;

export function presentComplaintListItem(row: ComplaintListRow) {
  return {
    id: row.id,
    externalId: row.external_id,
    agency: { slug: row.agency_slug, name: row.agency_name },
    received: row.received_date,
    incident: row.incident_date,
    closed: row.closed_date,
    caseType: row.case_type,
    categories: row.categories,
    allegations: row.allegation_count,
    sustained: row.sustained_count,
  };
}
export type PresentedComplaintItem = ReturnType<typeof presentComplaintListItem>;

/** A complaint as the public sees it: complainants appear only as aggregate counts. */
export function presentComplaint(detail: ComplaintDetail) {
  const { complaint } = detail;
  return {
    id: complaint.id,
    externalId: complaint.external_id,
    agency: { slug: complaint.agency_slug, name: complaint.agency_name },
    received: complaint.received_date,
    incident: complaint.incident_date,
    closed: complaint.closed_date,
    location: complaint.location,
    beat: complaint.beat,
    district: complaint.district,
    channel: complaint.channel,
    caseType: complaint.case_type,
    investigatingAgency: complaint.investigating_agency,
    summary: complaint.summary,
    demo: complaint.is_demo,
    source: presentSource(complaint),
    allegations: detail.allegations.map((row) => ({
      id: row.id,
      officer: row.person_id ? { id: row.person_id, name: row.person_name } : null,
      category: row.category,
      categoryCode: row.category_code,
      ...presentOutcome(row),
      source: presentSource(row),
    })),
    complainants: detail.demographics.map((row) => ({ race: row.race, gender: row.gender, ageBand: row.age_band, count: row.count })),
  };
}
export type PresentedComplaint = ReturnType<typeof presentComplaint>;

export function presentAgency(row: AgencyRow) {
  return {
    slug: row.slug, name: row.name, city: row.city, state: row.state,
    officers: row.officers, complaints: row.complaints, settlements: row.settlements, forceIncidents: row.force_incidents,
  };
}

export function presentAgencyDetail(detail: AgencyDetail) {
  return {
    ...presentAgency(detail.agency),
    complaintsByYearAndCategory: detail.byYearCategory.map((row) => ({ year: row.year, category: row.category, complaints: row.complaints })),
    sustainedByYear: detail.sustained.map((row) => ({ year: row.year, allegations: row.allegations, sustained: row.sustained, share: row.allegations ? row.sustained / row.allegations : 0 })),
    recommendedVersusImposed: detail.penalties.map((row) => ({ recommended: row.recommended_penalty, imposed: row.final_penalty, allegations: row.allegations, weaker: penaltyIsWeaker(row.recommended_penalty, row.final_penalty) })),
    settlementsByYear: detail.settlements.map((row) => ({ year: row.year, settlements: row.settlements, amountCents: Number(row.amount_cents) })),
  };
}
export type PresentedAgencyDetail = ReturnType<typeof presentAgencyDetail>;

export function presentAllegationListItem(row: AllegationListRow) {
  return {
    id: row.id,
    complaint: { id: row.complaint_id, externalId: row.complaint_external_id, agency: row.agency_slug, incident: row.incident_date },
    officer: row.person_id ? { id: row.person_id, name: row.person_name } : null,
    category: row.category,
    ...presentOutcome(row),
    source: presentSource(row),
  };
}

export function presentSettlementListItem(row: SettlementListRow) {
  return {
    id: row.id,
    agency: { slug: row.agency_slug, name: row.agency_name },
    year: row.calendar_year,
    incident: row.incident_date,
    filed: row.filed_date,
    closed: row.closed_date,
    amountCents: row.amount_cents === null ? null : Number(row.amount_cents),
    totalCents: row.total_cents === null ? null : Number(row.total_cents),
    payer: row.payer,
    outcome: row.case_outcome,
    docket: row.docket_number,
    court: row.court,
    matter: row.matter_name,
    allegations: row.summary_allegations,
    status: row.status,
    source: presentSource(row),
  };
}

export function presentSourceFile(row: SourceFileRow) {
  return { sha256: row.sha256, name: row.name, sizeBytes: Number(row.size_bytes), rows: row.rows, importRun: row.import_run_id, importedAt: row.started_at };
}
