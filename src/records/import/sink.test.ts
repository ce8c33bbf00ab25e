import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Db } from "../../db/db.js";
import { openTestDb, testEngine } from "../../db/test-db.js";
import { FLUSH_EVERY, RowSink } from "./sink.js";

/**
 * The sink loads full buffers while parsing goes on (PostgreSQL), several
 * queued behind each other, so these check what formats rely on: a statement
 * through sink.tx sees every row handed over before it, and a load that fails
 * fails the import, wherever it was in the queue.
 */
describe(`import row sink (${testEngine})`, () => {
  let db: Db;
  let agencyId: string;
  before(async () => {
    db = await openTestDb();
    [{ id: agencyId }] = await db.query<{ id: string }>("INSERT INTO agencies (slug, name) VALUES ('sink-pd', 'Sink PD') RETURNING id");
  });
  after(() => db.close());

  async function addComplaints(sink: RowSink, from: number, count: number) {
    for (let i = from; i < from + count; i++) {
      sink.add("complaints", { agency_id: agencyId, external_id: `K-${i}`, search_text: "" });
      sink.commitRow();
      await sink.maybeFlush();
    }
  }

  it("lets a statement through its transaction see every row handed over before it", async () => {
    const seen = await db.transaction(async (tx) => {
      const [{ id: runId }] = await tx.query<{ id: string }>("INSERT INTO import_runs (format) VALUES ('test') RETURNING id");
      const sink = new RowSink(db, tx, runId);
      const counts: number[] = [];
      let added = 0;
      const batch = FLUSH_EVERY;
      for (const step of [batch * 1.2, batch * 1.2, batch * 0.6]) {
        await addComplaints(sink, added, step);
        added += step;
        const [{ n }] = await sink.tx.query<{ n: number }>("SELECT count(*)::int AS n FROM complaints WHERE agency_id = $1", [agencyId]);
        counts.push(n);
      }
      await sink.flush();
      const [{ n }] = await tx.query<{ n: number }>("SELECT count(*)::int AS n FROM complaints WHERE agency_id = $1", [agencyId]);
      counts.push(n);
      throw Object.assign(new Error("roll back"), { counts });
    }).catch((error: { counts?: number[] }) => error.counts ?? error);
    // Loads happen in full batches: after 1.2 batches of rows one batch has been handed over (and must be visible), and so on.
    assert.deepEqual(seen, [FLUSH_EVERY, 2 * FLUSH_EVERY, 3 * FLUSH_EVERY, 3 * FLUSH_EVERY]);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM complaints");
    assert.equal(n, 0, "rolled back");
  });

  it("fails the import when a load fails, and leaves nothing", async () => {
    const attempt = db.transaction(async (tx) => {
      const [{ id: runId }] = await tx.query<{ id: string }>("INSERT INTO import_runs (format) VALUES ('test') RETURNING id");
      const sink = new RowSink(db, tx, runId);
      await addComplaints(sink, 1, 100);
      // An allegation of a complaint that does not exist breaks the foreign key when its batch loads.
      sink.add("allegations", { complaint_id: randomUUID(), person_id: null });
      sink.commitRow();
      // Two more batches queue behind the one that will fail.
      await addComplaints(sink, 101, 2 * FLUSH_EVERY);
      await sink.tx.query("SELECT 1");
      await sink.flush();
    });
    await assert.rejects(attempt, /foreign key/);
    const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM complaints");
    assert.equal(n, 0);
  });
});
