import type { Queryable } from "../db/db.js";

/** The tables a seed may add to, and the columns that identify a row in each. */
const KEYS = {
  campaign_sources: ["slug"],
  campaign_coalitions: ["slug"],
  campaign_organizations: ["slug"],
  campaign_coalition_members: ["coalition_id", "organization_id"],
  campaign_demand_lists: ["slug"],
  campaign_demands: ["slug"],
  campaign_targets: ["slug"],
  campaign_demand_targets: ["demand_id", "target_id"],
  campaign_bodies: ["slug"],
  campaign_seats: ["body_id", "position"],
  campaign_promises: ["slug"],
} as const;
export type SeedTable = keyof typeof KEYS;

const COLUMN = /^[a-z_]+$/;

/**
 * Adds a row unless one with the same identifying columns exists; never changes an
 * existing row, so people's later edits survive a second seed. Returns the row's id
 * (null for tables keyed by their columns alone) and whether it was inserted.
 */
export async function ensureRow(tx: Queryable, table: SeedTable, values: Record<string, unknown>): Promise<{ id: string | null; inserted: boolean }> {
  const keys = KEYS[table] as readonly string[];
  const columns = Object.keys(values);
  if (!columns.every((column) => COLUMN.test(column))) throw new Error(`bad column in ${columns.join(",")}`);
  const hasId = !keys.includes("coalition_id") && !keys.includes("demand_id");
  const placeholders = columns.map((_, i) => `$${i + 1}`).join(", ");
  const inserted = await tx.query<{ id?: string }>(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${placeholders}) ON CONFLICT (${keys.join(", ")}) DO NOTHING RETURNING ${hasId ? "id" : "1 AS one"}`,
    columns.map((column) => values[column]),
  );
  if (inserted.length) return { id: inserted[0].id ?? null, inserted: true };
  if (!hasId) return { id: null, inserted: false };
  const where = keys.map((key, i) => `${key} = $${i + 1}`).join(" AND ");
  const [row] = await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE ${where}`, keys.map((key) => values[key]));
  return { id: row.id, inserted: false };
}

/** Holds the seed's lock until the transaction ends, so two seeds at once run one after the other. */
export async function lockSeed(tx: Queryable, name: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`campaign-seed:${name}`]);
}

/** Row counts of the campaign tables, for the seed's report and its tests. */
export async function countCampaignRows(db: Queryable): Promise<Record<string, number>> {
  const tables = [...Object.keys(KEYS), "campaign_meetings", "campaign_events", "campaign_attendance", "campaign_motions", "campaign_roll_calls"];
  const [row] = await db.query<Record<string, number>>(`SELECT ${tables.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(", ")}`);
  return row;
}
