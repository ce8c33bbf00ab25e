import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { loadKeyFile } from "../key-file.js";
import type { Queryable } from "./db.js";

/**
 * Confidential data at rest: envelope encryption with a key that is not in the
 * database.
 *
 * The key-encryption key (KEK) is 32 bytes kept in `data.key` in the data
 * directory (made on first use, owner-only) or given as OVERSIGHT_DATA_KEY (64
 * hex digits or base64). Every sealed value gets its own random 32-byte data key
 * (DEK); the value is encrypted with AES-256-GCM under the DEK, and the DEK is
 * wrapped (AES-256-GCM) under the KEK and stored beside it. A database dump
 * therefore holds only ciphertext; without the KEK it surrenders nothing.
 *
 * A sealed text is `ov1.<kek id>.<wrapped DEK, base64url>.<payload, base64url>`;
 * sealed bytes are the same four parts in binary (see sealBytes). The KEK id is
 * the first 16 hex digits of SHA-256("oversight data key id" ‖ KEK): it names the
 * key (for rotation and for the start-up check) without revealing it.
 */
export interface DataKey {
  /** The key-encryption key itself. */
  kek: Buffer;
  /** Names the key in every sealed value. */
  id: string;
}

export const DATA_KEY_FILE = "data.key";

/** Every key loaded in this process, by id (opening), and the one new values are sealed with. */
const keyring = new Map<string, DataKey>();
let sealing: DataKey | undefined;

/** A DataKey from 32 raw bytes. */
export function dataKeyFrom(kek: Buffer): DataKey {
  if (kek.length !== 32) throw new Error("a data key is 32 bytes");
  return { kek, id: createHash("sha256").update("oversight data key id").update(kek).digest("hex").slice(0, 16) };
}

/** 32 bytes from 64 hex digits or base64 (standard or url-safe); null otherwise. */
export function parseDataKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const raw = Buffer.from(trimmed.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return raw.length === 32 ? raw : null;
  }
  return null;
}

/**
 * Reads the data key: OVERSIGHT_DATA_KEY if set, else `data.key` in the data
 * directory. The file is made (mode 0600) only when `mayCreate` is true, that is
 * when the database holds nothing sealed yet: a missing key for a database that
 * holds sealed values is an error, never a new key. A damaged key is refused,
 * never replaced.
 */
export function loadDataKey(dataDir: string, env: NodeJS.ProcessEnv = process.env, { mayCreate = true }: { mayCreate?: boolean } = {}): DataKey {
  const kek = loadKeyFile({
    dataDir,
    file: DATA_KEY_FILE,
    envName: "OVERSIGHT_DATA_KEY",
    env,
    what: "the data key",
    parse: parseDataKey,
    make: () => {
      const fresh = randomBytes(32);
      return { value: fresh, text: fresh.toString("hex") };
    },
    badEnv: "OVERSIGHT_DATA_KEY is not a data key (32 bytes as 64 hex digits or base64)",
    damaged: (path) => `the data key ${path} is damaged (expected 32 bytes as 64 hexadecimal digits). Restore it from a backup: complainants' data cannot be read without it. Oversight will not start with it`,
    missing: mayCreate
      ? undefined
      : (path) =>
          `the data key ${path} is missing (and OVERSIGHT_DATA_KEY is not set), but the database holds complainants' data sealed with a data key. ` +
          "Restore data.key from a backup, or set OVERSIGHT_DATA_KEY. Oversight will not start without it",
  });
  return dataKeyFrom(kek);
}

/**
 * Loads the data key for a migrated database and makes it the one this process
 * seals and opens with. The database records the ids of the keys it has data
 * under (`data_keys`); a start whose key is not among them is refused, so a
 * lost or wrong key stops the server instead of showing garbage or sealing new
 * data under a key the old data does not share.
 */
export async function openDataKey(db: Queryable, dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<DataKey> {
  const known = (await db.query<{ id: string }>("SELECT id FROM data_keys")).map((row) => row.id);
  const key = loadDataKey(dataDir, env, { mayCreate: known.length === 0 });
  if (known.length && !known.includes(key.id)) {
    throw new Error(
      `the data key (id ${key.id}) is not the key this database's complainant data is sealed with (id ${known.join(", ")}). ` +
        "Restore the right data.key or OVERSIGHT_DATA_KEY. Oversight will not start with it",
    );
  }
  await db.query("INSERT INTO data_keys (id) VALUES ($1) ON CONFLICT (id) DO NOTHING", [key.id]);
  installDataKey(key);
  return key;
}

/**
 * Makes key the one this process seals with, and one it can open with (tests,
 * and openDataKey). Keys loaded before stay able to open what they sealed.
 */
export function installDataKey(key: DataKey): void {
  keyring.set(key.id, key);
  sealing = key;
}

function current(): DataKey {
  if (!sealing) throw new Error("no data key is loaded: complainants' data can be neither sealed nor read (see src/db/data-key.ts)");
  return sealing;
}

const IV = 12;
const TAG = 16;
const WRAPPED = IV + 32 + TAG;

function gcmSeal(key: Buffer, plain: Buffer, aad: Buffer): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function gcmOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < IV + TAG) throw new SealError("a sealed value is too short");
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(0, IV));
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new SealError("a sealed value does not open with the data key (damaged, or sealed under another key)");
  }
}

/** A sealed value that cannot be opened: never shown as garbage. */
export class SealError extends Error {}

function envelope(plain: Buffer): { id: string; wrapped: Buffer; payload: Buffer } {
  const key = current();
  const dek = randomBytes(32);
  const id = Buffer.from(key.id, "utf8");
  return { id: key.id, wrapped: gcmSeal(key.kek, dek, id), payload: gcmSeal(dek, plain, id) };
}

function unwrap(id: string, wrapped: Buffer, payload: Buffer): Buffer {
  const key = keyring.get(id);
  if (!key) throw new SealError(`a value is sealed under data key ${id}, which is not loaded`);
  const aad = Buffer.from(id, "utf8");
  return gcmOpen(gcmOpen(key.kek, wrapped, aad), payload, aad);
}

const SEALED_TEXT = /^ov1\.([0-9a-f]{16})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/;

/** Whether a stored text is sealed (rows written before sealing hold plain text). */
export function isSealed(value: string): boolean {
  return SEALED_TEXT.test(value);
}

/** Seals a text for storage; null stays null (an absent field is not a secret). */
export function sealText(value: string): string;
export function sealText(value: string | null | undefined): string | null;
export function sealText(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const { id, wrapped, payload } = envelope(Buffer.from(value, "utf8"));
  return `ov1.${id}.${wrapped.toString("base64url")}.${payload.toString("base64url")}`;
}

/** Opens a stored text: sealed values are decrypted, plain (older) ones returned as they are. */
export function openText(value: string): string;
export function openText(value: string | null): string | null;
export function openText(value: string | null): string | null {
  if (value === null) return null;
  const match = SEALED_TEXT.exec(value);
  if (!match) return value;
  return unwrap(match[1], Buffer.from(match[2], "base64url"), Buffer.from(match[3], "base64url")).toString("utf8");
}

const MAGIC = Buffer.from("OVS1", "ascii");

/** Seals bytes: "OVS1" ‖ kek id (16 ASCII hex digits) ‖ wrapped DEK (60 bytes) ‖ payload. */
export function sealBytes(plain: Uint8Array): Buffer {
  const { id, wrapped, payload } = envelope(Buffer.from(plain));
  return Buffer.concat([MAGIC, Buffer.from(id, "ascii"), wrapped, payload]);
}

/** Opens bytes made by sealBytes. */
export function openBytes(sealed: Uint8Array): Buffer {
  const buffer = Buffer.from(sealed);
  if (!buffer.subarray(0, 4).equals(MAGIC)) throw new SealError("the bytes are not sealed");
  const id = buffer.subarray(4, 20).toString("ascii");
  return unwrap(id, buffer.subarray(20, 20 + WRAPPED), buffer.subarray(20 + WRAPPED));
}
