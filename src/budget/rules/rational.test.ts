import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { lexCompare } from "./profile.js";
import { add, cmp, div, rat, ratioToNumber, sub } from "./rational.js";

describe("rationals", () => {
  it("normalise sign and common factors", () => {
    assert.deepEqual(rat(6, -4), { num: -3n, den: 2n });
    assert.deepEqual(add(rat(1, 3), rat(1, 6)), { num: 1n, den: 2n });
    assert.deepEqual(sub(rat(1, 3), rat(1, 3)), { num: 0n, den: 1n });
    assert.equal(cmp(div(rat(2), rat(3)), rat(4, 6)), 0);
    assert.throws(() => rat(1, 0), /zero denominator/);
  });

  it("ratioToNumber is within 2^-50 relative of the exact value, even for huge operands", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 3000n }), fc.bigInt({ min: 1n, max: 1n << 3000n }), fc.integer({ min: 0, max: 200 }), (a, b, shift) => {
        // Keep the quotient in double range.
        const num = a << BigInt(shift);
        const den = b;
        const x = ratioToNumber(num, den);
        if (!Number.isFinite(x) || x === 0) return; // out of double range: not used that way
        // |x − num/den| ≤ 2^-50 · num/den  ⇔  |x·den − num| ≤ 2^-50 · num, checked exactly on x's binary expansion.
        const [mant, exp] = frexp(x);
        const xNum = BigInt(mant) * (exp >= 0 ? 1n << BigInt(exp) : 1n);
        const xDen = exp >= 0 ? 1n : 1n << BigInt(-exp);
        const diff = xNum * den - num * xDen;
        const abs = diff < 0n ? -diff : diff;
        assert.ok(abs * (1n << 50n) <= num * xDen, `${num}/${den} → ${x}`);
      }),
      { numRuns: 500 },
    );
  });

  it("orders project ids like Python's sorted()", () => {
    const ids = ["b", "10", "2", "W008NR", "a", "Ł", "𝔸", "\uffff", "1"];
    assert.deepEqual([...ids].sort(lexCompare), ["1", "10", "2", "W008NR", "a", "b", "Ł", "\uffff", "𝔸"]);
  });
});

/** x = mant · 2^exp with mant an integer (|mant| < 2^53). */
function frexp(x: number): [number, number] {
  let exp = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2;
    exp--;
  }
  while (Math.abs(m) >= 2 ** 53) {
    m /= 2;
    exp++;
  }
  return [m, exp];
}
