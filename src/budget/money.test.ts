import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { amountToMoveCents, capCents, parseAmountToCents, shareBasisPoints, splitByWeights } from "./money.js";

describe("budget money arithmetic (integers only)", () => {
  it("share of the general fund in basis points, rounded half up", () => {
    assert.equal(shareBasisPoints(300_000_000_00, 1_200_000_000_00), 2500);
    assert.equal(shareBasisPoints(1, 3), 3333);
    assert.equal(shareBasisPoints(2, 3), 6667);
    assert.equal(shareBasisPoints(1, 20_000), 1); // 0.5 bp rounds up
    assert.equal(shareBasisPoints(0, 5), 0);
    // Amounts far above 2^53 / 10,000: BigInt keeps them exact.
    assert.equal(shareBasisPoints(9_007_199_254_740_991, 9_007_199_254_740_991), 10_000);
  });

  it("the 20% cap and the amount that would have to move", () => {
    assert.equal(capCents(1_200_000_000_00), 240_000_000_00);
    assert.equal(capCents(999), 199); // a cent more would be over 20%
    assert.equal(amountToMoveCents(300_000_000_00, 1_200_000_000_00), 60_000_000_00);
    assert.equal(amountToMoveCents(100, 1_000), 0);
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 ** 15 }), fc.integer({ min: 0, max: 10 ** 15 }), (gf, police) => {
      const move = amountToMoveCents(police, gf);
      const after = police - move;
      // After moving, the police are within 20% (5 × after ≤ gf), and one cent less moved would not be.
      return 5n * BigInt(after) <= BigInt(gf) && (move === 0 || 5n * BigInt(after + 1) > BigInt(gf));
    }));
  });

  it("splits by percentages with the largest remainder: parts add up exactly", () => {
    assert.deepEqual(splitByWeights(100, [25, 25, 25, 25]), [25, 25, 25, 25]);
    assert.deepEqual(splitByWeights(101, [25, 25, 25, 25]), [26, 25, 25, 25]);
    assert.deepEqual(splitByWeights(10, [1, 1, 1]), [4, 3, 3]);
    assert.deepEqual(splitByWeights(1_000_000_001, [40, 20, 20, 20]), [400_000_001, 200_000_000, 200_000_000, 200_000_000]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 10 ** 15 }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }).filter((w) => w.some((x) => x > 0)), (total, weights) => {
      const parts = splitByWeights(total, weights);
      const sum = weights.reduce((a, b) => a + b, 0);
      return parts.reduce((a, b) => a + b, 0) === total && parts.every((p, i) => {
        const exact = (BigInt(total) * BigInt(weights[i]));
        // Each part is the exact share rounded down or up by one cent.
        return BigInt(p) * BigInt(sum) >= exact - BigInt(sum) && BigInt(p) * BigInt(sum) <= exact + BigInt(sum);
      });
    }));
  });

  it("reads amounts as spreadsheets write them", () => {
    assert.equal(parseAmountToCents("$1,234.56"), 123_456);
    assert.equal(parseAmountToCents("250000000"), 25_000_000_000);
    assert.equal(parseAmountToCents("12.5"), 1250);
    assert.equal(parseAmountToCents("1,234", "cents"), 1234);
    for (const bad of ["", "-5", "1.234", "12x", "1 234", "1,23", "$"]) assert.equal(parseAmountToCents(bad), null, bad);
  });
});
