import type { Queryable } from "../../db/db.js";

/** Tables whose rows name a person directly. */
const PERSON_TABLES = ["person_mentions", "employment", "allegations", "discipline", "settlement_officers", "force_officers"] as const;

export async function lockPeople(tx: Queryable, ids: string[]): Promise<{ id: string; merged_into: string | null; full_name: string }[]> {
  return tx.query("SELECT id, merged_into, full_name FROM people WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE", [ids]);
}

/** Moves every row of `from` to `into`; returns how many rows moved per table. */
export async function moveAllRows(tx: Queryable, from: string, into: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const table of PERSON_TABLES) {
    const rows = await tx.query(`UPDATE ${table} SET person_id = $2 WHERE person_id = $1 RETURNING 1`, [from, into]);
    moved[table] = rows.length;
  }
  await tx.query("UPDATE people SET merged_into = $2 WHERE id = $1", [from, into]);
  await tx.query("UPDATE people SET merged_into = $2 WHERE merged_into = $1", [from, into]);
  return moved;
}

export async function mentionsOwnedBy(tx: Queryable, personId: string): Promise<{ id: string; source: string; local_id: string; attributes: Record<string, unknown> }[]> {
  return tx.query("SELECT id, source, local_id, attributes FROM person_mentions WHERE person_id = $1 ORDER BY source, local_id", [personId]);
}

export async function copyPerson(tx: Queryable, fromId: string, names: { first: string; last: string; middle: string | null; full: string }): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO people (first_name, middle_name, last_name, full_name, birth_year, race, gender)
     SELECT $2, $3, $4, $5, birth_year, race, gender FROM people WHERE id = $1 RETURNING id`,
    [fromId, names.first, names.middle, names.last, names.full],
  );
  return row.id;
}

/** Moves the chosen mentions and every row that came through them. */
export async function moveMentions(tx: Queryable, mentionIds: string[], into: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  moved.person_mentions = (await tx.query("UPDATE person_mentions SET person_id = $2 WHERE id = ANY($1::uuid[]) RETURNING 1", [mentionIds, into])).length;
  for (const table of ["employment", "allegations", "force_officers"]) {
    moved[table] = (await tx.query(`UPDATE ${table} SET person_id = $2 WHERE mention_id = ANY($1::uuid[]) RETURNING 1`, [mentionIds, into])).length;
  }
  moved.discipline = (await tx.query(
    "UPDATE discipline d SET person_id = $2 FROM allegations a WHERE d.allegation_id = a.id AND a.mention_id = ANY($1::uuid[]) RETURNING 1",
    [mentionIds, into],
  )).length;
  return moved;
}
