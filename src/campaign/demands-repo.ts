import type { Queryable } from "../db/db.js";
import type { Basis, DemandStatus } from "./schema.js";

/** A timestamptz as an ISO instant in UTC, the same text on PGlite and PostgreSQL. */
export const isoInstant = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export interface CoalitionRow {
  id: string;
  slug: string;
  name: string;
  name_es: string;
  city: string;
  note_en: string | null;
  note_es: string | null;
}

export const listCoalitions = (db: Queryable) =>
  db.query<CoalitionRow>("SELECT id, slug, name, name_es, city, note_en, note_es FROM campaign_coalitions ORDER BY name");

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  abbreviation: string | null;
  coalition_slugs: string;
}

/** Every organization, with the coalitions it belongs to as a comma-separated list of slugs. */
export const listOrganizations = (db: Queryable) =>
  db.query<OrganizationRow>(
    `SELECT o.id, o.slug, o.name, o.abbreviation,
            coalesce(string_agg(c.slug, ',' ORDER BY c.slug), '') AS coalition_slugs,
            min(m.position) AS position
       FROM campaign_organizations o
       LEFT JOIN campaign_coalition_members m ON m.organization_id = o.id
       LEFT JOIN campaign_coalitions c ON c.id = m.coalition_id
      GROUP BY o.id ORDER BY min(m.position) NULLS LAST, o.name`,
  );

export async function findOrganizationIds(db: Queryable, slugs: readonly string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await db.query<{ id: string; slug: string }>("SELECT id, slug FROM campaign_organizations WHERE slug = ANY(string_to_array($1, ','))", [slugs.join(",")]);
  return new Map(rows.map((row) => [row.slug, row.id]));
}

export interface DemandListRow {
  id: string;
  slug: string;
  title_en: string;
  title_es: string;
  coalition_slug: string | null;
  source_slug: string | null;
  source_title: string | null;
  source_url: string | null;
  issued_on: string | null;
  began: string | null;
}

export const listDemandLists = (db: Queryable) =>
  db.query<DemandListRow>(
    `SELECT l.id, l.slug, l.title_en, l.title_es, c.slug AS coalition_slug, s.slug AS source_slug, s.title AS source_title,
            s.url AS source_url, l.issued_on, l.began
       FROM campaign_demand_lists l
       LEFT JOIN campaign_coalitions c ON c.id = l.coalition_id
       LEFT JOIN campaign_sources s ON s.id = l.source_id
      ORDER BY l.position, l.slug`,
  );

export interface TargetRow {
  id: string;
  slug: string;
  kind: "person" | "body";
  title_en: string;
  title_es: string;
  holder: string | null;
  note_en: string | null;
  note_es: string | null;
}

export const listTargets = (db: Queryable) =>
  db.query<TargetRow>("SELECT id, slug, kind, title_en, title_es, holder, note_en, note_es FROM campaign_targets ORDER BY position, slug");

export async function findTarget(db: Queryable, slug: string): Promise<TargetRow | undefined> {
  const [row] = await db.query<TargetRow>("SELECT id, slug, kind, title_en, title_es, holder, note_en, note_es FROM campaign_targets WHERE slug = $1", [slug]);
  return row;
}

export interface DemandRow {
  id: string;
  slug: string;
  number: number;
  list_slug: string;
  text_en: string;
  text_es: string;
  text_es_translated: boolean;
  priority_note_en: string | null;
  priority_note_es: string | null;
}

const DEMAND_COLUMNS = `d.id, d.slug, d.number, l.slug AS list_slug, d.text_en, d.text_es, d.text_es_translated, d.priority_note_en, d.priority_note_es`;

export const listDemands = (db: Queryable) =>
  db.query<DemandRow>(`SELECT ${DEMAND_COLUMNS} FROM campaign_demands d JOIN campaign_demand_lists l ON l.id = d.list_id ORDER BY l.position, l.slug, d.number`);

export async function findDemand(db: Queryable, slug: string): Promise<DemandRow | undefined> {
  const [row] = await db.query<DemandRow>(`SELECT ${DEMAND_COLUMNS} FROM campaign_demands d JOIN campaign_demand_lists l ON l.id = d.list_id WHERE d.slug = $1`, [slug]);
  return row;
}

export interface DemandTargetRow {
  demand_id: string;
  target_id: string;
  target_slug: string;
  status: DemandStatus;
  status_since: string | null;
  basis: Basis;
  basis_note: string | null;
  basis_note_es: string | null;
  /** The latest event other than the demand being made: when someone last acted or evidence came in. */
  last_action_on: string | null;
  events: number;
}

const DEMAND_TARGET_SELECT = `
  SELECT dt.demand_id, dt.target_id, t.slug AS target_slug, dt.status, dt.status_since, dt.basis, dt.basis_note, dt.basis_note_es,
         (SELECT max(e.occurred_on) FROM campaign_events e WHERE e.demand_id = dt.demand_id AND e.target_id = dt.target_id AND e.kind <> 'demanded') AS last_action_on,
         (SELECT count(*)::int FROM campaign_events e WHERE e.demand_id = dt.demand_id AND e.target_id = dt.target_id) AS events
    FROM campaign_demand_targets dt JOIN campaign_targets t ON t.id = dt.target_id`;

/** Every demand × target cell of the scoreboard. */
export const listDemandTargets = (db: Queryable) => db.query<DemandTargetRow>(`${DEMAND_TARGET_SELECT} ORDER BY t.position, t.slug`);

export const demandTargetsOf = (db: Queryable, demandId: string) =>
  db.query<DemandTargetRow>(`${DEMAND_TARGET_SELECT} WHERE dt.demand_id = $1 ORDER BY t.position, t.slug`, [demandId]);

/** Locks one cell for a status change, so two changes at once apply one after the other. */
export async function lockDemandTarget(tx: Queryable, demandId: string, targetId: string) {
  const [row] = await tx.query<{ status: DemandStatus; status_since: string | null }>(
    "SELECT status, status_since FROM campaign_demand_targets WHERE demand_id = $1 AND target_id = $2 FOR UPDATE",
    [demandId, targetId],
  );
  return row;
}

export async function setDemandTargetStatus(tx: Queryable, demandId: string, targetId: string, status: DemandStatus, since: string): Promise<void> {
  await tx.query("UPDATE campaign_demand_targets SET status = $3, status_since = $4 WHERE demand_id = $1 AND target_id = $2", [demandId, targetId, status, since]);
}

export interface NewEvent {
  key?: string | null;
  demandId: string;
  targetId: string;
  kind: "demanded" | "status" | "evidence" | "vote";
  occurredOn: string;
  statusFrom: DemandStatus | null;
  statusTo: DemandStatus | null;
  summary: string;
  summaryLang: "en" | "es";
  evidenceUrl?: string | null;
  evidenceTitle?: string | null;
  sourceId?: string | null;
  motionId?: string | null;
  recordedBy: string;
}

/** Inserts an event; with a key already present, inserts nothing and returns null. */
export async function insertEvent(tx: Queryable, event: NewEvent): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO campaign_events (key, demand_id, target_id, kind, occurred_on, status_from, status_to, summary, summary_lang,
                                  evidence_url, evidence_title, source_id, motion_id, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [event.key ?? null, event.demandId, event.targetId, event.kind, event.occurredOn, event.statusFrom, event.statusTo, event.summary, event.summaryLang,
      event.evidenceUrl ?? null, event.evidenceTitle ?? null, event.sourceId ?? null, event.motionId ?? null, event.recordedBy],
  );
  return rows[0]?.id ?? null;
}

export interface EventRow {
  id: string;
  seq: number;
  demand_slug: string;
  demand_number: number;
  demand_text_en: string;
  demand_text_es: string;
  list_slug: string;
  list_title_en: string;
  list_title_es: string;
  target_slug: string;
  target_title_en: string;
  target_title_es: string;
  kind: NewEvent["kind"];
  occurred_on: string;
  status_from: DemandStatus | null;
  status_to: DemandStatus | null;
  summary: string;
  summary_lang: "en" | "es";
  evidence_url: string | null;
  evidence_title: string | null;
  source_title: string | null;
  source_url: string | null;
  source_dated: string | null;
  motion_id: string | null;
  recorded_at: string;
}

const EVENT_SELECT = `
  SELECT e.id, e.seq, d.slug AS demand_slug, d.number AS demand_number, d.text_en AS demand_text_en, d.text_es AS demand_text_es,
         l.slug AS list_slug, l.title_en AS list_title_en, l.title_es AS list_title_es, t.slug AS target_slug, t.title_en AS target_title_en, t.title_es AS target_title_es,
         e.kind, e.occurred_on, e.status_from, e.status_to, e.summary, e.summary_lang, e.evidence_url, e.evidence_title,
         s.title AS source_title, s.url AS source_url, s.dated AS source_dated, e.motion_id, ${isoInstant("e.recorded_at")} AS recorded_at
    FROM campaign_events e
    JOIN campaign_demands d ON d.id = e.demand_id
    JOIN campaign_demand_lists l ON l.id = d.list_id
    JOIN campaign_targets t ON t.id = e.target_id
    LEFT JOIN campaign_sources s ON s.id = e.source_id`;

/** A demand's timeline, oldest first by the date things happened. */
export const eventsOfDemand = (db: Queryable, demandId: string) =>
  db.query<EventRow>(`${EVENT_SELECT} WHERE e.demand_id = $1 ORDER BY e.occurred_on, e.seq`, [demandId]);

/** The latest recorded events, newest first: the feed. */
export const recentEvents = (db: Queryable, limit: number) =>
  db.query<EventRow>(`${EVENT_SELECT} ORDER BY e.seq DESC LIMIT $1`, [limit]);

export async function findSourceId(db: Queryable, slug: string): Promise<string | undefined> {
  const [row] = await db.query<{ id: string }>("SELECT id FROM campaign_sources WHERE slug = $1", [slug]);
  return row?.id;
}
