import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db, Queryable } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { loadDemo } from "./demo.js";
import { refreshDerived, refreshDerivedFor } from "./derived-repo.js";

const snapshot = async (db: Queryable) => ({
  stats: await db.query(
    "SELECT person_id, agency_id, complaint_count, allegation_count, sustained_count, complaint_percentile::text AS percentile, peer_count FROM person_stats ORDER BY person_id",
  ),
  badges: await db.query("SELECT person_id, agency_id, badge FROM person_badges ORDER BY person_id, badge"),
});

/**
 * Closing a case, a merge or a split recounts only the officers touched: the
 * answer must be exactly what recounting everyone gives.
 */
describe(`derived officer figures, recounted for some people (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
    await loadDemo(db);
  });
  after(() => db.close());

  it("matches a full rebuild after allegations, employment and badges change for a few officers", async () => {
    const [a, b, c] = await db.query<{ id: string }>(
      "SELECT p.id FROM people p JOIN person_stats s ON s.person_id = p.id WHERE s.complaint_count > 0 ORDER BY s.complaint_count DESC, p.id LIMIT 3",
    );
    const [{ id: county }] = await db.query<{ id: string }>("SELECT id FROM agencies WHERE slug = 'demo-county-sheriff'");
    const touched = await db.transaction(async (tx) => {
      // a's allegations go to b; c moves to the county with a new badge; a sustained finding is reversed.
      await tx.query("UPDATE allegations SET person_id = $2 WHERE person_id = $1", [a.id, b.id]);
      await tx.query("INSERT INTO employment (person_id, agency_id, badge, start_date) VALUES ($1, $2, 'S-999', '2030-01-01')", [c.id, county]);
      await tx.query(
        "UPDATE allegations SET final_finding = 'not_sustained' WHERE id = (SELECT id FROM allegations WHERE person_id = $1 AND final_finding = 'sustained' LIMIT 1)",
        [b.id],
      );
      await refreshDerivedFor(tx, [a.id, b.id, c.id]);
      return snapshot(tx);
    });
    await db.transaction((tx) => refreshDerived(tx));
    const full = await snapshot(db);
    assert.deepEqual(touched, full);

    const stats = new Map((full.stats as { person_id: string; complaint_count: number; agency_id: string }[]).map((row) => [row.person_id, row]));
    assert.equal(stats.get(a.id)?.complaint_count, 0, "the change really happened");
    assert.equal(stats.get(c.id)?.agency_id, county);
    assert.ok((full.badges as { person_id: string; badge: string }[]).some((row) => row.person_id === c.id && row.badge === "S-999"));
  });

  it("drops a person merged away and changes nothing for an empty list", async () => {
    const [from, into] = await db.query<{ id: string }>("SELECT id FROM people ORDER BY id LIMIT 2");
    await db.transaction(async (tx) => {
      await tx.query("UPDATE allegations SET person_id = $2 WHERE person_id = $1", [from.id, into.id]);
      await tx.query("UPDATE employment SET person_id = $2 WHERE person_id = $1", [from.id, into.id]);
      await tx.query("UPDATE people SET merged_into = $2 WHERE id = $1", [from.id, into.id]);
      await refreshDerivedFor(tx, [from.id, into.id]);
    });
    const partial = await snapshot(db);
    await db.transaction((tx) => refreshDerivedFor(tx, []));
    assert.deepEqual(await snapshot(db), partial);
    await db.transaction((tx) => refreshDerived(tx));
    assert.deepEqual(await snapshot(db), partial);
    assert.ok(!(partial.stats as { person_id: string }[]).some((row) => row.person_id === from.id));
  });
});
