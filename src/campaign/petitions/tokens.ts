/**
 * Signed tokens (HMAC-SHA256 under the server's secret): nothing to store, and a
 * forged or altered token is refused without a database read.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(secret: Buffer, purpose: string, payload: string): string {
  return createHmac("sha256", secret).update(`${purpose}:${payload}`).digest("base64url");
}

function sameMac(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The token in a confirmation link: the signature id and its MAC. It names one
 * signature and nothing about the signer. It stops working when the signature's
 * data is anonymised (the row no longer answers to it).
 */
export function confirmToken(secret: Buffer, signatureId: string): string {
  return `${signatureId}.${mac(secret, "petition-confirm", signatureId)}`;
}

/** The signature id a confirmation token names, or null if it is not one of ours. */
export function readConfirmToken(secret: Buffer, token: string): string | null {
  const dot = token.indexOf(".");
  if (dot < 0) return null;
  const id = token.slice(0, dot);
  if (!UUID.test(id)) return null;
  return sameMac(token.slice(dot + 1), mac(secret, "petition-confirm", id)) ? id : null;
}

/**
 * The petition page's form token: proves a signature was posted from the page
 * this visitor loaded (the petition, the visitor's CSRF token and the time the
 * page was served are all under the MAC). A script that posts without loading
 * the page has none; one copied from another visitor's page does not match.
 */
export function formToken(secret: Buffer, petitionId: string, csrfToken: string, issuedAt = Date.now()): string {
  const issued = Math.floor(issuedAt / 1000).toString(36);
  return `${issued}.${mac(secret, "petition-form", `${petitionId}.${csrfToken}.${issued}`)}`;
}

export type FormTokenCheck = "ok" | "missing" | "invalid" | "stale";

export function checkFormToken(secret: Buffer, token: string | undefined, petitionId: string, csrfToken: string, maxAgeMs: number, now = Date.now()): FormTokenCheck {
  if (!token) return "missing";
  const dot = token.indexOf(".");
  if (dot <= 0) return "invalid";
  const issued = token.slice(0, dot);
  if (!/^[0-9a-z]{1,10}$/.test(issued)) return "invalid";
  if (!sameMac(token.slice(dot + 1), mac(secret, "petition-form", `${petitionId}.${csrfToken}.${issued}`))) return "invalid";
  const age = now - parseInt(issued, 36) * 1000;
  // A minute of clock slack between processes; older than the limit is stale.
  return age < -60_000 || age > maxAgeMs ? "stale" : "ok";
}
