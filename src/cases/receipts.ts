import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

/** 20 random digits: about 66 bits, far past guessing even without the rate limit. */
const RECEIPT_DIGITS = 20;

export function newReceipt(): string {
  let digits = "";
  for (let i = 0; i < RECEIPT_DIGITS; i += 1) digits += String(randomInt(10));
  return digits;
}

/** Groups of four, as printed for the complainant: 1234-5678-…; spaces and dashes are ignored on entry. */
export const formatReceipt = (receipt: string) => receipt.replace(/(\d{4})(?=\d)/g, "$1-");
export const normalizeReceipt = (typed: string) => typed.replace(/[\s-]/g, "");

/** Receipts are stored only as an HMAC under the server's secret. */
export function hashReceipt(secret: Buffer, receipt: string): string {
  return createHmac("sha256", secret).update(`receipt:${normalizeReceipt(receipt)}`).digest("hex");
}

export function receiptMatches(secret: Buffer, receipt: string, storedHash: string): boolean {
  const actual = Buffer.from(hashReceipt(secret, receipt), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
