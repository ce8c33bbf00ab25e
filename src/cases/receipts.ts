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

/** A signed, expiring token that lets the browser that entered the receipt see that case. */
export function signCaseAccess(secret: Buffer, caseId: string, expiresAt: number): string {
  const payload = `${caseId}.${expiresAt}`;
  const mac = createHmac("sha256", secret).update(`case-access:${payload}`).digest("base64url");
  return `${payload}.${mac}`;
}

export function verifyCaseAccess(secret: Buffer, token: string | undefined, now = Date.now()): string | null {
  if (!token) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [caseId, expires, mac] = parts;
  const expected = createHmac("sha256", secret).update(`case-access:${caseId}.${expires}`).digest("base64url");
  const ok = mac.length === expected.length && timingSafeEqual(Buffer.from(mac), Buffer.from(expected));
  return ok && Number(expires) > now ? caseId : null;
}
