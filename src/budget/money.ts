/**
 * Integer money arithmetic for the city budget: cents in, cents out, BigInt for every
 * product so nothing rounds silently. Percentages are basis points (1/100 of a percent).
 */

/** The coalition's demand: the police budget at most 20% of the general fund. */
export const CAP_PERCENT = 20;

const big = (x: number) => {
  if (!Number.isSafeInteger(x)) throw new RangeError(`not a safe integer: ${x}`);
  return BigInt(x);
};

/** part / whole in basis points (27.35% → 2735), rounded half up. */
export function shareBasisPoints(part: number, whole: number): number {
  if (whole <= 0) throw new RangeError("the whole must be positive");
  const p = big(part) * 10_000n * 2n + big(whole);
  return Number(p / (2n * big(whole)));
}

/**
 * The most the police may have under the cap: floor(20% of the general fund), in cents.
 * (A cent more would be over 20%.)
 */
export function capCents(generalFundCents: number, capPercent = CAP_PERCENT): number {
  return Number((big(generalFundCents) * big(capPercent)) / 100n);
}

/** What would have to move out of the police budget to meet the cap (0 when it is met). */
export function amountToMoveCents(policeCents: number, generalFundCents: number, capPercent = CAP_PERCENT): number {
  return Math.max(0, policeCents - capCents(generalFundCents, capPercent));
}

/**
 * Splits `total` by integer weights so the parts add up to exactly `total`: each part is
 * floor(total × weight / Σweights), and the cents left over go one by one to the largest
 * remainders (ties: the earlier weight). The Hamilton / largest-remainder method.
 */
export function splitByWeights(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new RangeError("the weights must add up to more than zero");
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError("weights must be non-negative integers");
  const T = big(total);
  const S = big(sum);
  const parts = weights.map((w) => (T * big(w)) / S);
  const remainders = weights.map((w, i) => ({ i, r: (T * big(w)) % S }));
  let left = T - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

/**
 * Reads an amount as people write it in a spreadsheet: "$1,234.56", "1234", "1 234,5"
 * is refused (ambiguous). Returns cents, or null when the text is not an amount.
 * `unit: "cents"` reads a whole number of cents.
 */
export function parseAmountToCents(text: string, unit: "dollars" | "cents" = "dollars"): number | null {
  const cleaned = text.trim().replace(/^\$\s*/, "");
  if (unit === "cents") {
    if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(cleaned)) return null;
    const cents = Number(cleaned.replace(/,/g, ""));
    return Number.isSafeInteger(cents) ? cents : null;
  }
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = match[1].replace(/,/g, "");
  const fraction = (match[2] ?? "").padEnd(2, "0");
  const cents = big(Number(whole)) * 100n + BigInt(fraction || "0");
  return cents <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(cents) : null;
}

/** Whole currency units (a form's "dollars" field) to cents, refusing what is not a whole number. */
export function wholeToCents(units: number): number {
  return Number(big(units) * 100n);
}
