import type { Db } from "../db/db.js";
import * as agencies from "./agencies-repo.js";
import * as complaints from "./complaints-repo.js";
import * as officers from "./officers-repo.js";
import { profileOf } from "./profile-repo.js";
import * as lists from "./lists-repo.js";
import type { AllegationQuery, ComplaintQuery, OfficerQuery, SettlementQuery } from "./schema.js";
import { countTables, listImportRuns } from "./stats-repo.js";
import { databaseIsEmpty } from "./write-repo.js";

/** Row counts per records table and per import run, for the home page and /api/v1/stats. */
export async function recordStats(db: Db) {
  const [tables, runs] = await Promise.all([countTables(db), listImportRuns(db)]);
  return { tables, importRuns: runs };
}

/** True when the database holds no records and no accounts. */
export const isEmpty = (db: Db) => databaseIsEmpty(db);

export interface Page<T> {
  items: T[];
  /** Matches in all; a lower bound when totalExact is false. */
  total: number;
  totalExact: boolean;
  page: number;
  perPage: number;
}

function paged<T extends { total: number }>(rows: T[], query: { page: number; per_page: number }, countedUpTo = Infinity): Page<T> {
  const counted = rows[0]?.total ?? 0;
  const totalExact = counted < countedUpTo;
  return { items: rows, total: totalExact ? counted : countedUpTo - 1, totalExact, page: query.page, perPage: query.per_page };
}

/**
 * Complaint search counts at most this many matches past the page it shows
 * ("more than 1,000"): counting every complaint with a common word costs far
 * more than finding the page, and no reader pages through them all.
 */
const COMPLAINT_COUNT_AHEAD = 1000;

export async function searchOfficers(db: Db, query: OfficerQuery) {
  const rows = await officers.searchOfficers(db, {
    q: query.q, badge: query.badge, agency: query.agency, unit: query.unit,
    limit: query.per_page, offset: (query.page - 1) * query.per_page,
  });
  return paged(rows, query);
}

/** Everything an officer's profile shows, or undefined for an unknown id. */
export const officerProfile = (db: Db, id: string) => profileOf(db, id);
export type OfficerProfile = NonNullable<Awaited<ReturnType<typeof officerProfile>>>;

export async function searchComplaints(db: Db, query: ComplaintQuery) {
  const offset = (query.page - 1) * query.per_page;
  const countUpTo = offset + COMPLAINT_COUNT_AHEAD + 1;
  const rows = await complaints.searchComplaints(db, {
    q: query.q, category: query.category, finding: query.finding, year: query.year, unit: query.unit, agency: query.agency,
    limit: query.per_page, offset, countUpTo,
  });
  return paged(rows, query, countUpTo);
}

export async function complaintDetail(db: Db, id: string) {
  const complaint = await complaints.findComplaint(db, id);
  if (!complaint) return undefined;
  const [allegations, demographics] = await Promise.all([
    complaints.allegationsOfComplaint(db, id),
    complaints.complainantDemographics(db, id),
  ]);
  return { complaint, allegations, demographics };
}
export type ComplaintDetail = NonNullable<Awaited<ReturnType<typeof complaintDetail>>>;

export const listAgencies = (db: Db) => agencies.listAgencies(db);

export async function agencyDetail(db: Db, slug: string) {
  const agency = await agencies.findAgency(db, slug);
  if (!agency) return undefined;
  const [byYearCategory, sustained, penalties, settlements] = await Promise.all([
    agencies.complaintsByYearAndCategory(db, agency.id),
    agencies.sustainedByYear(db, agency.id),
    agencies.recommendedVersusImposed(db, agency.id),
    agencies.settlementsByYear(db, agency.id),
  ]);
  return { agency, byYearCategory, sustained, penalties, settlements };
}
export type AgencyDetail = NonNullable<Awaited<ReturnType<typeof agencyDetail>>>;

export async function listAllegations(db: Db, query: AllegationQuery) {
  const rows = await lists.listAllegations(db, { agency: query.agency, finding: query.finding, category: query.category, year: query.year, limit: query.per_page, offset: (query.page - 1) * query.per_page });
  return paged(rows, query);
}

export async function listSettlements(db: Db, query: SettlementQuery) {
  const rows = await lists.listSettlements(db, { agency: query.agency, year: query.year, limit: query.per_page, offset: (query.page - 1) * query.per_page });
  return paged(rows, query);
}

export const sourceFile = (db: Db, sha256: string) => lists.findSourceFile(db, sha256);
export const sourceFiles = (db: Db) => lists.listSourceFiles(db);
