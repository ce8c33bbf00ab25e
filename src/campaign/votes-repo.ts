import type { Queryable } from "../db/db.js";
import { isoInstant } from "./demands-repo.js";
import type { DemandStatus, MotionResult, Threshold, Vote } from "./schema.js";

export interface BodyRow {
  id: string;
  slug: string;
  name_en: string;
  name_es: string;
  seats: number;
  quorum: number | null;
  target_slug: string | null;
  note_en: string | null;
  note_es: string | null;
}

const BODY_SELECT = `SELECT b.id, b.slug, b.name_en, b.name_es, b.seats, b.quorum, t.slug AS target_slug, b.note_en, b.note_es
                       FROM campaign_bodies b LEFT JOIN campaign_targets t ON t.id = b.target_id`;

export const listBodies = (db: Queryable) => db.query<BodyRow>(`${BODY_SELECT} ORDER BY b.name_en`);

export async function findBody(db: Queryable, slug: string): Promise<BodyRow | undefined> {
  const [row] = await db.query<BodyRow>(`${BODY_SELECT} WHERE b.slug = $1`, [slug]);
  return row;
}

export interface SeatRow {
  id: string;
  body_id: string;
  position: number;
  label_en: string;
  label_es: string;
  holder: string | null;
  target_slug: string | null;
  note_en: string | null;
  note_es: string | null;
}

export const listSeats = (db: Queryable) =>
  db.query<SeatRow>(
    `SELECT s.id, s.body_id, s.position, s.label_en, s.label_es, s.holder, t.slug AS target_slug, s.note_en, s.note_es
       FROM campaign_seats s LEFT JOIN campaign_targets t ON t.id = s.target_id ORDER BY s.body_id, s.position`,
  );

export interface MotionRow {
  id: string;
  key: string | null;
  body_id: string;
  body_slug: string;
  title_en: string;
  title_es: string;
  moved_on: string;
  threshold: Threshold;
  result: MotionResult | null;
  decided_on: string | null;
  recorded_at: string;
}

const MOTION_SELECT = `
  SELECT m.id, m.key, m.body_id, b.slug AS body_slug, m.title_en, m.title_es, m.moved_on, m.threshold, m.result, m.decided_on,
         ${isoInstant("m.recorded_at")} AS recorded_at
    FROM campaign_motions m JOIN campaign_bodies b ON b.id = m.body_id`;

/** Every motion, newest first. */
export const listMotions = (db: Queryable) => db.query<MotionRow>(`${MOTION_SELECT} ORDER BY m.moved_on DESC, m.recorded_at DESC, m.id`);

export async function findMotion(db: Queryable, id: string): Promise<MotionRow | undefined> {
  const [row] = await db.query<MotionRow>(`${MOTION_SELECT} WHERE m.id = $1`, [id]);
  return row;
}

/** Locks a motion while its roll call is recorded, so it is recorded once. */
export async function lockMotion(tx: Queryable, id: string): Promise<{ result: MotionResult | null } | undefined> {
  const [row] = await tx.query<{ result: MotionResult | null }>("SELECT result FROM campaign_motions WHERE id = $1 FOR UPDATE", [id]);
  return row;
}

export interface RollCallRow {
  motion_id: string;
  seat_id: string;
  position: number;
  vote: Vote;
}

export const listRollCalls = (db: Queryable, motionId?: string) =>
  db.query<RollCallRow>(
    `SELECT r.motion_id, r.seat_id, s.position, r.vote FROM campaign_roll_calls r JOIN campaign_seats s ON s.id = r.seat_id
      WHERE $1::uuid IS NULL OR r.motion_id = $1::uuid ORDER BY r.motion_id, s.position`,
    [motionId ?? null],
  );

export interface MotionDemandRow {
  motion_id: string;
  demand_id: string;
  demand_slug: string;
  demand_number: number;
  demand_text_en: string;
  demand_text_es: string;
  target_id: string;
  target_slug: string;
  status_if_pass: DemandStatus | null;
  status_if_fail: DemandStatus | null;
}

export const listMotionDemands = (db: Queryable, motionId?: string) =>
  db.query<MotionDemandRow>(
    `SELECT md.motion_id, md.demand_id, d.slug AS demand_slug, d.number AS demand_number, d.text_en AS demand_text_en, d.text_es AS demand_text_es,
            md.target_id, t.slug AS target_slug, md.status_if_pass, md.status_if_fail
       FROM campaign_motion_demands md JOIN campaign_demands d ON d.id = md.demand_id JOIN campaign_targets t ON t.id = md.target_id
      WHERE $1::uuid IS NULL OR md.motion_id = $1::uuid ORDER BY md.motion_id, d.slug`,
    [motionId ?? null],
  );

export async function insertMotion(tx: Queryable, motion: { bodyId: string; titleEn: string; titleEs: string; movedOn: string; threshold: Threshold; recordedBy: string }): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO campaign_motions (body_id, title_en, title_es, moved_on, threshold, recorded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [motion.bodyId, motion.titleEn, motion.titleEs, motion.movedOn, motion.threshold, motion.recordedBy],
  );
  return row.id;
}

export async function insertMotionDemand(tx: Queryable, link: { motionId: string; demandId: string; targetId: string; statusIfPass: DemandStatus | null; statusIfFail: DemandStatus | null }): Promise<void> {
  await tx.query(
    "INSERT INTO campaign_motion_demands (motion_id, demand_id, target_id, status_if_pass, status_if_fail) VALUES ($1, $2, $3, $4, $5)",
    [link.motionId, link.demandId, link.targetId, link.statusIfPass, link.statusIfFail],
  );
}

export async function insertRollCall(tx: Queryable, motionId: string, seatId: string, vote: Vote): Promise<void> {
  await tx.query("INSERT INTO campaign_roll_calls (motion_id, seat_id, vote) VALUES ($1, $2, $3)", [motionId, seatId, vote]);
}

export async function setMotionResult(tx: Queryable, motionId: string, result: MotionResult, decidedOn: string): Promise<void> {
  await tx.query("UPDATE campaign_motions SET result = $2, decided_on = $3 WHERE id = $1", [motionId, result, decidedOn]);
}
