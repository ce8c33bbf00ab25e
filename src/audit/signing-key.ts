import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { loadKeyFile } from "../key-file.js";

/**
 * The key that signs the audit log's tree heads. It lives outside the database
 * (a file in the data directory, or OVERSIGHT_AUDIT_KEY), so someone who can
 * rewrite the database cannot also sign a head for the rewritten log.
 */
export interface AuditKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The first 16 hex digits of SHA-256 of the raw public key: names the key in heads. */
  keyId: string;
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKeyBase64: string;
  /** The public key as SubjectPublicKeyInfo PEM, for openssl and other tools. */
  publicKeyPem: string;
}

export const AUDIT_KEY_FILE = "audit-signing.key";

// An Ed25519 PKCS#8 private key is this fixed DER prefix followed by the 32-byte seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * The audit signing key: OVERSIGHT_AUDIT_KEY if set (a PKCS#8 PEM private key,
 * or the 32-byte seed as 64 hex digits), else `audit-signing.key` in the data
 * directory, made on first use with owner-only permissions. A key file that
 * cannot be read as an Ed25519 key is refused, never replaced: a new key could
 * not vouch for the heads the old one signed.
 */
export function loadAuditKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): AuditKey {
  const key = loadKeyFile({
    dataDir,
    file: AUDIT_KEY_FILE,
    envName: "OVERSIGHT_AUDIT_KEY",
    env,
    what: "the audit signing key",
    parse: parsePrivateKey,
    make: () => {
      const { privateKey } = generateKeyPairSync("ed25519");
      return { value: privateKey, text: privateKey.export({ format: "pem", type: "pkcs8" }).toString() };
    },
    badEnv: "OVERSIGHT_AUDIT_KEY is not an Ed25519 private key (a PKCS#8 PEM, or the 32-byte seed as 64 hex digits)",
    damaged: (path) => `${path} is not a valid Ed25519 private key. Restore it from a backup: it is never replaced automatically, because heads signed with it could no longer be checked.`,
  });
  return auditKeyFrom(key);
}

/** A key from a PEM text or a 64-hex-digit seed; null when it is neither (or not Ed25519). */
export function parsePrivateKey(text: string): KeyObject | null {
  try {
    const key = /^[0-9a-fA-F]{64}$/.test(text)
      ? createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, Buffer.from(text, "hex")]), format: "der", type: "pkcs8" })
      : createPrivateKey({ key: text.replace(/\\n/g, "\n"), format: "pem" });
    return key.asymmetricKeyType === "ed25519" ? key : null;
  } catch {
    return null;
  }
}

/** A public key from a PEM text (SPKI) or the raw 32 bytes as base64 or hex; null otherwise. */
export function parsePublicKey(text: string): KeyObject | null {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith("-----BEGIN")) {
      const key = createPublicKey({ key: trimmed, format: "pem" });
      return key.asymmetricKeyType === "ed25519" ? key : null;
    }
    const raw = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
    if (raw.length !== 32) return null;
    return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
  } catch {
    return null;
  }
}

/** The raw 32-byte public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  return Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url");
}

/** Names a public key: the first 16 hex digits of SHA-256 of its raw bytes. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash("sha256").update(rawPublicKey(publicKey)).digest("hex").slice(0, 16);
}

function auditKeyFrom(privateKey: KeyObject): AuditKey {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyBase64: rawPublicKey(publicKey).toString("base64"),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

/** Signs bytes with Ed25519 (deterministic: the same message always gives the same signature). */
export function signBytes(key: AuditKey, message: Uint8Array): Buffer {
  return sign(null, message, key.privateKey);
}

/** Checks an Ed25519 signature; false (never a throw) for a malformed one. */
export function verifyBytes(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}
