/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits),
 * what authenticator apps show, through `otpauth` (a maintained TOTP/HOTP
 * library on audited hashes). Secrets are sealed with the data key like other
 * confidential values (src/db/data-key.ts), never logged or audited.
 */
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { openText, sealText } from "../db/data-key.js";

export const STEP_SECONDS = 30;
export const DIGITS = 6;
const ISSUER = "Oversight";

function generator(secret: Buffer, account = ""): TOTP {
  return new TOTP({ issuer: ISSUER, label: account, algorithm: "SHA1", digits: DIGITS, period: STEP_SECONDS, secret: new Secret({ buffer: new Uint8Array(secret).buffer }) });
}

/** The time step a moment falls in (T in RFC 6238). */
export const stepAt = (unixMs: number) => Math.floor(unixMs / 1000 / STEP_SECONDS);

/** The code an authenticator app shows at `unixMs`. */
export function totp(secret: Buffer, unixMs: number): string {
  return generator(secret).generate({ timestamp: unixMs });
}

/**
 * The step of a matching code within one step either side of `unixMs` (clock
 * drift), later than `afterStep` (a code is accepted once); else null.
 */
export function matchCode(secret: Buffer, code: string, unixMs: number, afterStep: number | null): number | null {
  const typed = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(typed)) return null;
  const delta = generator(secret).validate({ token: typed, timestamp: unixMs, window: 1 });
  if (delta === null) return null;
  const step = stepAt(unixMs) + delta;
  return afterStep !== null && step <= afterStep ? null : step;
}

export const newTotpSecret = () => randomBytes(20);

/** RFC 4648 base32 without padding, as authenticator apps take secrets. */
export function base32(secret: Buffer): string {
  return new Secret({ buffer: new Uint8Array(secret).buffer }).base32;
}

/** The otpauth:// address an authenticator app reads (Key URI Format). */
export function otpauthUri(secret: Buffer, account: string): string {
  return generator(secret, account).toString();
}

/** A TOTP secret sealed for storage. */
export const sealSecret = (secret: Buffer): string => sealText(secret.toString("base64"));
export const openSecret = (stored: string): Buffer => Buffer.from(openText(stored), "base64");
