import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forEachBounded } from "./bounded.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("forEachBounded", () => {
  it("runs every item once, never more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    await forEachBounded(Array.from({ length: 25 }, (_, i) => i), 4, async (i) => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      seen.push(i);
      running -= 1;
    });
    assert.equal(most, 4);
    assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i));
  });

  it("after an error starts nothing new, waits for the items in flight, then throws the first error", async () => {
    const started: number[] = [];
    const finished: number[] = [];
    await assert.rejects(
      forEachBounded([0, 1, 2, 3, 4, 5, 6, 7], 3, async (i) => {
        started.push(i);
        if (i === 1) throw new Error("first");
        await tick();
        if (i === 2) throw new Error("second");
        finished.push(i);
      }),
      /first/,
    );
    // 0, 1 and 2 started together; 1 failed at once, so nothing after it started, and 0 was awaited.
    assert.deepEqual(started, [0, 1, 2]);
    assert.deepEqual(finished, [0]);
  });

  it("stops taking items once halted() says so; items in flight finish", async () => {
    const done: number[] = [];
    await forEachBounded([0, 1, 2, 3, 4, 5], 2, async (i) => {
      await tick();
      done.push(i);
    }, () => done.length >= 1);
    assert.deepEqual([...done].sort(), [0, 1]);
  });

  it("handles no items and a limit below one", async () => {
    await forEachBounded([], 8, async () => assert.fail("no items"));
    const seen: number[] = [];
    await forEachBounded([1, 2], 0, async (i) => void seen.push(i));
    assert.deepEqual(seen, [1, 2]);
  });
});
