import type { Queryable } from "../db/db.js";
import { isoInstant } from "./demands-repo.js";
import type { Basis, MeetingKind, MeetingStatus } from "./schema.js";

export interface MeetingRow {
  id: string;
  key: string | null;
  title_en: string;
  title_es: string;
  kind: MeetingKind;
  format: "in_person" | "virtual" | "hybrid" | "unknown";
  held_on: string;
  status: MeetingStatus;
  by_kind: "coalition" | "organization" | "target" | null;
  by_slug: string | null;
  by_name: string | null;
  by_name_es: string | null;
  led_by_slug: string | null;
  led_by_name: string | null;
  led_by_name_es: string | null;
  body_slug: string | null;
  promise_slug: string | null;
  promise_title_en: string | null;
  promise_title_es: string | null;
  participants_min: number | null;
  agenda: string | null;
  minutes: string | null;
  minutes_url: string | null;
  note_en: string | null;
  note_es: string | null;
  basis: Basis;
  basis_note: string | null;
  basis_note_es: string | null;
  recorded_at: string;
}

const MEETING_SELECT = `
  SELECT m.id, m.key, m.title_en, m.title_es, m.kind, m.format, m.held_on, m.status,
         CASE WHEN m.by_coalition_id IS NOT NULL THEN 'coalition' WHEN m.by_organization_id IS NOT NULL THEN 'organization'
              WHEN m.by_target_id IS NOT NULL THEN 'target' END AS by_kind,
         coalesce(bc.slug, bo.slug, bt.slug) AS by_slug,
         coalesce(bc.name, bo.name, bt.title_en || coalesce(' (' || bt.holder || ')', '')) AS by_name,
         coalesce(bc.name_es, bo.name, bt.title_es || coalesce(' (' || bt.holder || ')', '')) AS by_name_es,
         lc.slug AS led_by_slug, lc.name AS led_by_name, lc.name_es AS led_by_name_es, b.slug AS body_slug, p.slug AS promise_slug, p.title_en AS promise_title_en, p.title_es AS promise_title_es,
         m.participants_min, m.agenda, m.minutes, m.minutes_url, m.note_en, m.note_es, m.basis, m.basis_note, m.basis_note_es,
         ${isoInstant("m.recorded_at")} AS recorded_at
    FROM campaign_meetings m
    LEFT JOIN campaign_coalitions bc ON bc.id = m.by_coalition_id
    LEFT JOIN campaign_organizations bo ON bo.id = m.by_organization_id
    LEFT JOIN campaign_targets bt ON bt.id = m.by_target_id
    LEFT JOIN campaign_coalitions lc ON lc.id = m.led_by_coalition_id
    LEFT JOIN campaign_bodies b ON b.id = m.body_id
    LEFT JOIN campaign_promises p ON p.id = m.promise_id`;

/** Every meeting, newest first. */
export const listMeetings = (db: Queryable) => db.query<MeetingRow>(`${MEETING_SELECT} ORDER BY m.held_on DESC, m.recorded_at DESC, m.id`);

export async function findMeeting(db: Queryable, id: string): Promise<MeetingRow | undefined> {
  const [row] = await db.query<MeetingRow>(`${MEETING_SELECT} WHERE m.id = $1`, [id]);
  return row;
}

export interface AttendanceRow {
  meeting_id: string;
  kind: "organization" | "target";
  slug: string;
  name: string;
  name_es: string;
  attended: boolean;
}

/** Attendance of every meeting (or one), organizations first. */
export const listAttendance = (db: Queryable, meetingId?: string) =>
  db.query<AttendanceRow>(
    `SELECT a.meeting_id, CASE WHEN a.organization_id IS NOT NULL THEN 'organization' ELSE 'target' END AS kind,
            coalesce(o.slug, t.slug) AS slug,
            coalesce(o.name, t.title_en || coalesce(' (' || t.holder || ')', '')) AS name,
            coalesce(o.name, t.title_es || coalesce(' (' || t.holder || ')', '')) AS name_es, a.attended
       FROM campaign_attendance a
       LEFT JOIN campaign_organizations o ON o.id = a.organization_id
       LEFT JOIN campaign_targets t ON t.id = a.target_id
      WHERE $1::uuid IS NULL OR a.meeting_id = $1::uuid
      ORDER BY a.organization_id IS NULL, coalesce(o.name, t.title_en)`,
    [meetingId ?? null],
  );

export interface NewMeeting {
  key?: string | null;
  titleEn: string;
  titleEs: string;
  kind: MeetingKind;
  format: string;
  heldOn: string;
  status: MeetingStatus;
  byCoalitionId?: string | null;
  byOrganizationId?: string | null;
  byTargetId?: string | null;
  bodyId?: string | null;
  promiseId?: string | null;
  ledByCoalitionId?: string | null;
  participantsMin?: number | null;
  agenda?: string | null;
  minutes?: string | null;
  minutesUrl?: string | null;
  noteEn?: string | null;
  noteEs?: string | null;
  basis?: Basis;
  basisNote?: string | null;
  basisNoteEs?: string | null;
  recordedBy: string;
}

/** Inserts a meeting; with a key already present, inserts nothing and returns null. */
export async function insertMeeting(tx: Queryable, m: NewMeeting): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO campaign_meetings (key, title_en, title_es, kind, format, held_on, status, by_coalition_id, by_organization_id, by_target_id,
                                    body_id, promise_id, led_by_coalition_id, participants_min, agenda, minutes, minutes_url, note_en, note_es,
                                    basis, basis_note, basis_note_es, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
     ON CONFLICT (key) DO NOTHING RETURNING id`,
    [m.key ?? null, m.titleEn, m.titleEs, m.kind, m.format, m.heldOn, m.status, m.byCoalitionId ?? null, m.byOrganizationId ?? null, m.byTargetId ?? null,
      m.bodyId ?? null, m.promiseId ?? null, m.ledByCoalitionId ?? null, m.participantsMin ?? null, m.agenda ?? null, m.minutes ?? null, m.minutesUrl ?? null,
      m.noteEn ?? null, m.noteEs ?? null, m.basis ?? "stated", m.basisNote ?? null, m.basisNoteEs ?? null, m.recordedBy],
  );
  return rows[0]?.id ?? null;
}

export async function insertAttendance(tx: Queryable, meetingId: string, organizationId: string, attended: boolean): Promise<void> {
  await tx.query("INSERT INTO campaign_attendance (meeting_id, organization_id, attended) VALUES ($1, $2, $3)", [meetingId, organizationId, attended]);
}

/** The id of the coalition, organization or target named "kind:slug". */
export async function findPartyId(db: Queryable, kind: "coalition" | "organization" | "target", slug: string): Promise<string | undefined> {
  const table = { coalition: "campaign_coalitions", organization: "campaign_organizations", target: "campaign_targets" }[kind];
  const [row] = await db.query<{ id: string }>(`SELECT id FROM ${table} WHERE slug = $1`, [slug]);
  return row?.id;
}

export interface PromiseRow {
  id: string;
  slug: string;
  title_en: string;
  title_es: string;
  per_month: number;
  since_month: string;
  until_month: string | null;
  basis: Basis;
  basis_note: string | null;
  basis_note_es: string | null;
  source_title: string | null;
}

export const listPromises = (db: Queryable) =>
  db.query<PromiseRow>(
    `SELECT p.id, p.slug, p.title_en, p.title_es, p.per_month, p.since_month, p.until_month, p.basis, p.basis_note, p.basis_note_es, s.title AS source_title
       FROM campaign_promises p LEFT JOIN campaign_sources s ON s.id = p.source_id ORDER BY p.since_month, p.slug`,
  );

export async function findPromiseId(db: Queryable, slug: string): Promise<string | undefined> {
  const [row] = await db.query<{ id: string }>("SELECT id FROM campaign_promises WHERE slug = $1", [slug]);
  return row?.id;
}

/** The meetings that count toward a promise. */
export const meetingsOfPromise = (db: Queryable, promiseId: string) =>
  db.query<{ held_on: string; status: MeetingStatus }>("SELECT held_on, status FROM campaign_meetings WHERE promise_id = $1 ORDER BY held_on", [promiseId]);
