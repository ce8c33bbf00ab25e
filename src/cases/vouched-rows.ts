import type { RowRef, VouchedTable } from "../audit/service.js";

/**
 * The complaints office's tables whose rows the audit log vouches for: every
 * service write to one of them records, in its audit entry, the digest of each
 * row it left, and `oversight audit verify --rows` names any row no entry
 * explains. Left out, on purpose (docs/decisions.md, "Row hashes"):
 * - case_access_sessions: a complainant's open browser, created, touched and
 *   deleted on every visit without an audit entry; it holds a token's hash, not
 *   case data, and an edit to it opens no case (the token is needed).
 * - evidence_blobs: append-only (a trigger refuses UPDATE and DELETE), keyed by
 *   the SHA-256 of the file that evidence_items and the custody chain (both
 *   vouched for) name, and sealed with an authenticated cipher; digesting up to
 *   20 MB per file in the intake transaction would cost more than it tells.
 * - data_keys: checked at every start (a key not listed is refused).
 */
export const CASE_TABLES = {
  cases: { name: "cases", key: ["id"], keyType: "uuid" },
  case_people: { name: "case_people", key: ["id"], keyType: "uuid" },
  case_officers: { name: "case_officers", key: ["id"], keyType: "uuid" },
  case_allegations: { name: "case_allegations", key: ["id"], keyType: "uuid" },
  case_events: { name: "case_events", key: ["id"], keyType: "uuid" },
  case_tolling: { name: "case_tolling", key: ["id"], keyType: "uuid" },
  referrals: { name: "referrals", key: ["id"], keyType: "uuid" },
  reinstatement_flags: { name: "reinstatement_flags", key: ["id"], keyType: "uuid" },
  board_panels: { name: "board_panels", key: ["case_id"], keyType: "uuid" },
  board_votes: { name: "board_votes", key: ["allegation_id", "member_id"], keyType: "uuid" },
  evidence_items: { name: "evidence_items", key: ["id"], keyType: "uuid" },
  evidence_custody: { name: "evidence_custody", key: ["id"], keyType: "uuid" },
  office_settings: { name: "office_settings", key: ["key"], keyType: "text" },
} as const satisfies Record<string, VouchedTable>;

export type CaseTable = keyof typeof CASE_TABLES;

/** Every table above, for `verifyRows` and `recordUnvouchedRows`. */
export const CASE_ROW_TABLES: readonly VouchedTable[] = Object.values(CASE_TABLES);

/** One row for an audit entry's `rows`: its table and key (a key of several columns in their order). */
export const caseRow = (table: CaseTable, ...key: string[]): RowRef => ({ table: CASE_TABLES[table], id: key.join("/") });

/** Many rows of one table. */
export const caseRows = (table: CaseTable, ids: readonly string[]): RowRef[] => ids.map((id) => caseRow(table, id));
