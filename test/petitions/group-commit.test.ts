import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../src/audit/service.js";
import { testEngine } from "../../src/db/test-db.js";
import { GroupCommit, QueueFullError } from "../../src/campaign/petitions/group-commit.js";
import * as repo from "../../src/campaign/petitions/repo.js";
import { createPetitionTestApp, from, makePetition, sign, visit, type PetitionTestApp } from "../../src/campaign/petitions/test-support.js";

describe("group commit: the batcher", () => {
  it("writes items that arrive together in one batch and answers each", async () => {
    const batches: number[][] = [];
    const batcher = new GroupCommit<number, number>(async (items) => {
      batches.push(items);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((n) => n * 2);
    }, { delayMs: 2, maxBatch: 50, maxQueue: 1000 });
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => batcher.submit(i)));
    assert.deepEqual(results, Array.from({ length: 120 }, (_, i) => i * 2));
    assert.ok(batches.length <= 4, `120 items in ${batches.length} batches`);
    assert.ok(batches.every((b) => b.length <= 50));
  });

  it("isolates a bad item: the rest of its batch still commits", async () => {
    const committed: number[] = [];
    const batcher = new GroupCommit<number, string>(async (items) => {
      if (items.includes(13)) throw new Error("bad item");
      committed.push(...items);
      return items.map(() => "ok");
    }, { delayMs: 1, maxBatch: 100, maxQueue: 1000 });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => batcher.submit(i)));
    assert.equal(settled.filter((s) => s.status === "rejected").length, 1);
    assert.equal((settled[13] as PromiseRejectedResult).reason.message, "bad item");
    assert.deepEqual(committed.sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 13));
    assert.equal(batcher.stats.retriedBatches, 1);
  });

  it("refuses work past its queue limit and after stop, and stop writes what was accepted", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const written: number[] = [];
    const batcher = new GroupCommit<number, number>(async (items) => {
      await gate;
      written.push(...items);
      return items;
    }, { delayMs: 0, maxBatch: 2, maxQueue: 3 });
    // 1 goes straight into a flush; 2, 3 and 4 wait (the queue holds 3); 5 is refused.
    const accepted = [batcher.submit(1), batcher.submit(2), batcher.submit(3), batcher.submit(4)];
    await assert.rejects(batcher.submit(5), (error: unknown) => error instanceof QueueFullError && error.reason === "full");
    const stopping = batcher.stop();
    await assert.rejects(batcher.submit(7), (error: unknown) => error instanceof QueueFullError && error.reason === "stopped");
    release();
    await stopping;
    assert.deepEqual(await Promise.all(accepted), [1, 2, 3, 4]);
    assert.deepEqual(written, [1, 2, 3, 4]);
  });
});

/**
 * Many signers at once through the real routes: their signatures share
 * transactions, each is stored once with its email and audit entries, and the
 * audit log still verifies.
 */
describe(`group commit: a burst of signatures through the routes (${testEngine})`, () => {
  let site: PetitionTestApp;
  let petitionId: string;

  before(async () => {
    site = await createPetitionTestApp({ settings: { addressLimit: 100_000, networkLimit: 100_000, batchDelayMs: 3 } });
    petitionId = await makePetition(site.db, { thresholds: [] });
  });
  after(() => site.close());

  it("stores 400 concurrent signatures (with 50 duplicates among them) exactly once", async () => {
    const visitor = await visit(site.app, "test-petition", "100.64.0.1");
    const emails = Array.from({ length: 400 }, (_, i) => (i < 350 ? `burst-${i}@example.org` : `Burst-${i - 350}@Example.org`));
    const responses = await Promise.all(emails.map((email, i) => sign(site.app, "test-petition", visitor, { email }, `100.64.${i % 200}.${i % 250}`)));
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 350);
    assert.equal(statuses.filter((s) => s === 409).length, 50);
    const stats = site.runtime.batcher.stats;
    assert.ok(stats.batches < 100, `400 signatures in ${stats.batches} transactions (largest ${stats.largestBatch})`);
    const rows = await site.db.query<{ n: number }>("SELECT count(*) AS n FROM petition_signatures WHERE petition_id = $1", [petitionId]);
    assert.equal(Number(rows[0].n), 350);
    const mail = await site.db.query<{ n: number }>("SELECT count(*) AS n FROM email_outbox WHERE template = 'petition.confirm'");
    assert.equal(Number(mail[0].n), 350);
    const audited = async (action: string) => Number((await site.db.query<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = $1", [action]))[0].n);
    assert.equal(await audited("petition.sign"), 350, "one audit entry per signature");
    const queued = Number((await site.db.query<{ n: number }>("SELECT count(*) AS n FROM email_outbox"))[0].n);
    assert.equal(await audited("email.enqueue"), queued, "one per email queued (confirmations and resends)");
    const [tally] = await repo.tallies(site.db, [petitionId]);
    assert.equal(tally.pending, 350);
    assert.equal((await verifyAuditLog(site.db)).ok, true);
  });

  it("streams the live count as signatures are confirmed", async () => {
    const response = await site.app.request("/petitions/test-petition/live", {}, from("100.64.9.9"));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const nextCount = async (): Promise<{ verified: number; pending: number; goal: number }> => {
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(event)?.[1];
          if (/^event: count$/m.test(event) && data) return JSON.parse(data);
          continue;
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error("stream ended");
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    };
    const first = await nextCount();
    assert.deepEqual(first, { verified: 0, pending: 350, goal: 100 });
    // Confirm three signatures in one batch, as confirmations arrive.
    const ids = await site.db.query<{ id: string }>("SELECT id FROM petition_signatures WHERE petition_id = $1 LIMIT 3", [petitionId]);
    await Promise.all(ids.map((row) => site.runtime.batcher.submit({ kind: "confirm", signatureId: row.id })));
    const moved = await nextCount();
    assert.deepEqual(moved, { verified: 3, pending: 347, goal: 100 });
    await reader.cancel();
    // Too many streams from one address are refused.
    const streams: Response[] = [];
    for (let i = 0; i < site.runtime.settings.streamsPerAddress; i += 1) streams.push(await site.app.request("/petitions/test-petition/live", {}, from("100.64.8.8")));
    const refused = await site.app.request("/petitions/test-petition/live", {}, from("100.64.8.8"));
    assert.equal(refused.status, 429);
    for (const stream of streams) await stream.body!.cancel();
  });
});
