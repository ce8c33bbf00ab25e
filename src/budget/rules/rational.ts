/** Exact rationals over BigInt, and the float conversion the fast paths anchor on. */

export interface Rational {
  readonly num: bigint;
  readonly den: bigint; // > 0
}

export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rat(num: bigint | number, den: bigint | number = 1n): Rational {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new RangeError("zero denominator");
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

export const ZERO: Rational = { num: 0n, den: 1n };

export const add = (a: Rational, b: Rational): Rational => rat(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Rational, b: Rational): Rational => rat(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Rational, b: Rational): Rational => rat(a.num * b.num, a.den * b.den);
export const div = (a: Rational, b: Rational): Rational => rat(a.num * b.den, a.den * b.num);
export const cmp = (a: Rational, b: Rational): number => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};
export const min = (a: Rational, b: Rational): Rational => (cmp(a, b) <= 0 ? a : b);
export const toString = (a: Rational): string => (a.den === 1n ? `${a.num}` : `${a.num}/${a.den}`);

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(16).length * 4;
}

/**
 * num/den as a double, with relative error below 2^-50 (both operands are cut to at most 64
 * significant bits before one correctly rounded division). Used only to seed the float filters,
 * never to decide anything by itself.
 */
export function ratioToNumber(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const neg = num < 0n !== den < 0n;
  if (num < 0n) num = -num;
  if (den < 0n) den = -den;
  const sn = Math.max(0, bitLength(num) - 64);
  const sd = Math.max(0, bitLength(den) - 64);
  const value = (Number(num >> BigInt(sn)) / Number(den >> BigInt(sd))) * Math.pow(2, sn - sd);
  return neg ? -value : value;
}

export const toNumber = (a: Rational): number => ratioToNumber(a.num, a.den);
