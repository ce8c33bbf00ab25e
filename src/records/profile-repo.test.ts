import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { loadDemo } from "./demo.js";
import { profileOf } from "./profile-repo.js";

/**
 * The profile comes back from one statement as JSON: each part must hold the
 * same rows, in the same order and with the same JavaScript types, as reading
 * the tables directly would give.
 */
describe(`officer profile in one statement (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
    await loadDemo(db);
  });
  after(() => db.close());

  const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

  it("answers every part in order, with dates as text and counts and amounts as numbers", async () => {
    const people = await db.query<{ id: string }>(
      `SELECT p.id FROM people p WHERE EXISTS (SELECT 1 FROM allegations a WHERE a.person_id = p.id)
          AND EXISTS (SELECT 1 FROM settlement_officers so WHERE so.person_id = p.id) ORDER BY p.id LIMIT 3`,
    );
    assert.ok(people.length > 0, "the demo names officers in settlements");
    for (const { id } of people) {
      const profile = (await profileOf(db, id))!;
      assert.equal(profile.person.id, id);
      const allegations = await db.query<{ id: string }>(
        `SELECT a.id FROM allegations a JOIN complaints c ON c.id = a.complaint_id
          WHERE a.person_id = $1 ORDER BY coalesce(c.incident_date, c.received_date) DESC NULLS LAST, a.id`,
        [id],
      );
      assert.deepEqual(ids(profile.allegations), ids(allegations));
      const employment = await db.query<{ id: string; start_date: string | null }>("SELECT id, start_date FROM employment WHERE person_id = $1 ORDER BY start_date NULLS FIRST", [id]);
      assert.deepEqual(profile.employment.map((row) => [row.id, row.start_date]), employment.map((row) => [row.id, row.start_date]));
      const settlements = await db.query<{ id: string; amount_cents: number | null; closed_date: string | null }>(
        `SELECT s.id, s.amount_cents, s.closed_date FROM settlement_officers so JOIN settlements s ON s.id = so.settlement_id
          WHERE so.person_id = $1 ORDER BY s.closed_date DESC NULLS LAST`,
        [id],
      );
      assert.deepEqual(profile.settlements.map((row) => [row.id, row.amount_cents, row.closed_date]), settlements.map((row) => [row.id, row.amount_cents, row.closed_date]));
      for (const row of profile.allegations) {
        if (row.received_date !== null) assert.match(row.received_date, /^\d{4}-\d{2}-\d{2}$/);
        if (row.source_row !== null) assert.equal(typeof row.source_row, "number");
      }
      const [stats] = await db.query<{ complaint_count: number; peer_count: number }>("SELECT complaint_count, peer_count FROM person_stats WHERE person_id = $1", [id]);
      assert.equal(profile.stats?.complaint_count, stats.complaint_count);
      assert.equal(profile.stats?.peers, stats.peer_count);
      assert.equal(typeof profile.stats?.complaint_percentile, "string");
    }
  });

  it("answers undefined for someone who does not exist", async () => {
    assert.equal(await profileOf(db, "00000000-0000-0000-0000-000000000000"), undefined);
  });
});
