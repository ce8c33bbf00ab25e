/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 30 s
 * steps, 6 digits): what authenticator apps show. Written on node:crypto; tested
 * against RFC 6238 Appendix B. Secrets are stored encrypted (AES-256-GCM with a
 * key derived from the server's secret), never in logs or the audit log.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const STEP_SECONDS = 30;
export const DIGITS = 6;

/** HOTP (RFC 4226 §5.3): the code for one counter value. */
export function hotp(secret: Buffer, counter: number, digits = DIGITS, algorithm: "sha1" | "sha256" | "sha512" = "sha1"): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, "0");
}

/** The time step a moment falls in (T in RFC 6238). */
export const stepAt = (unixMs: number) => Math.floor(unixMs / 1000 / STEP_SECONDS);

/** TOTP (RFC 6238): the code for the step holding `unixMs`. */
export function totp(secret: Buffer, unixMs: number, digits = DIGITS, algorithm: "sha1" | "sha256" | "sha512" = "sha1"): string {
  return hotp(secret, stepAt(unixMs), digits, algorithm);
}

/**
 * The step of a matching code within one step either side of `unixMs` (clock
 * drift), later than `afterStep` (a code is accepted once); else null.
 */
export function matchCode(secret: Buffer, code: string, unixMs: number, afterStep: number | null): number | null {
  const typed = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(typed)) return null;
  const now = stepAt(unixMs);
  for (const step of [now - 1, now, now + 1]) {
    if (afterStep !== null && step <= afterStep) continue;
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(typed))) return step;
  }
  return null;
}

export const newTotpSecret = () => randomBytes(20);

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding, as authenticator apps take secrets. */
export function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The otpauth:// address an authenticator app reads (Key URI Format). */
export function otpauthUri(secret: Buffer, account: string, issuer = "Oversight"): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${base32(secret)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${DIGITS}&period=${STEP_SECONDS}`;
}

function keyFrom(serverSecret: Buffer): Buffer {
  return createHmac("sha256", serverSecret).update("oversight totp secret key v1").digest();
}

/** Encrypts a TOTP secret for storage: "v1.<iv>.<tag>.<ciphertext>", base64url parts. */
export function sealSecret(secret: Buffer, serverSecret: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(serverSecret), iv);
  const sealed = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === "string" ? part : part.toString("base64url"))).join(".");
}

export function openSecret(stored: string, serverSecret: Buffer): Buffer {
  const [version, iv, tag, sealed] = stored.split(".");
  if (version !== "v1" || !iv || !tag || !sealed) throw new Error("unknown TOTP secret format");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(serverSecret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]);
}
