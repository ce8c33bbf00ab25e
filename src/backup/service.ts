import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { verifyAuditLog } from "../audit/service.js";
import { AUDIT_KEY_FILE } from "../audit/signing-key.js";
import { createPglite, pgliteDb } from "../db/connect.js";
import { DATA_KEY_FILE } from "../db/data-key.js";
import { inspectDataDir, LOCK_FILE, lockDataDir, lockHolder, openFailure } from "../db/data-dir.js";
import { requestDump } from "./socket.js";
import { readTar, TarError, writeTar, type TarEntry } from "./tar.js";

/**
 * A backup is one gzipped tar: `manifest.json` first, then its parts —
 * `database.tar` (PGlite's copy of the data directory), `secret.key` and
 * `audit-signing.key` when the data directory holds them. The manifest names
 * the engine, the time, the audit log's tree head as saved, and the size and
 * SHA-256 of every part, so a restore can tell a damaged or altered file from a
 * good one before it writes anything.
 */
export const BACKUP_FORMAT = "oversight-backup";
export const BACKUP_VERSION = 1;

export const DATABASE_PART = "database.tar";
const SECRET_FILE = "secret.key";
/** Without these a restored site cannot check receipts, sign heads or open sealed complainant data. */
const KEY_PARTS = [SECRET_FILE, AUDIT_KEY_FILE, DATA_KEY_FILE] as const;

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  engine: "pglite";
  createdAt: string;
  audit: { size: number; root: string };
  parts: Record<string, { bytes: number; sha256: string }>;
}

/** A backup or restore that cannot go on, with a message a person can act on. */
export class BackupError extends Error {
  override readonly name = "BackupError";
}

export interface BackupResult {
  manifest: Manifest;
  bytes: number;
  /** True when a running server made the copy. */
  live: boolean;
}

/**
 * Writes a backup of a PGlite data directory to `file` (mode 0600, never over
 * an existing file). When a server holds the directory, it makes the copy
 * through its backup socket while it keeps serving; otherwise this process
 * locks the directory and copies it. The copy is opened in memory and its audit
 * log verified before the file is written: a backup that would not restore is
 * refused here, not discovered on the day it is needed.
 */
export async function backupDataDir(dataDir: string, file: string): Promise<BackupResult> {
  const target = resolve(file);
  if (existsSync(target)) throw new BackupError(`${file} already exists: a backup never overwrites a file; choose a new name`);
  const { dump, live } = await copyDatabase(dataDir);
  const database = await writeTar((await readTar(dump)).filter((entry) => !isOwnFile(entry.name)));
  const audit = await auditHeadOf(database, "the copy");
  const parts: { name: string; data: Uint8Array }[] = [{ name: DATABASE_PART, data: database }];
  for (const name of KEY_PARTS) {
    const path = join(dataDir, name);
    if (existsSync(path)) parts.push({ name, data: readFileSync(path) });
  }
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    engine: "pglite",
    createdAt: new Date().toISOString(),
    audit,
    parts: Object.fromEntries(parts.map((part) => [part.name, { bytes: part.data.byteLength, sha256: sha256(part.data) }])),
  };
  const mtime = Math.floor(Date.now() / 1000);
  const archive = gzipSync(
    await writeTar([
      { name: "manifest.json", type: "file", mode: 0o600, mtime, data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
      ...parts.map((part): TarEntry => ({ name: part.name, type: "file", mode: 0o600, mtime, data: part.data })),
    ]),
  );
  writePrivateFile(target, archive);
  return { manifest, bytes: archive.byteLength, live };
}

async function copyDatabase(dataDir: string): Promise<{ dump: Uint8Array; live: boolean }> {
  const holder = lockHolder(dataDir);
  if (holder) {
    if (!holder.backupSocket) {
      throw new BackupError(
        `the data directory ${dataDir} is in use by process ${holder.pid} (${holder.command}), which does not take backups: ` +
          "stop it and run oversight backup again, or upgrade it so it answers backups while running",
      );
    }
    return { dump: await requestDump(holder.backupSocket), live: true };
  }
  if (inspectDataDir(dataDir) !== "database") throw new BackupError(`the data directory ${dataDir} holds no database to back up`);
  const lock = lockDataDir(dataDir);
  try {
    const pg = await createPglite(dataDir).catch((error: unknown) => {
      throw openFailure(dataDir, error);
    });
    try {
      return { dump: new Uint8Array(await (await pg.dumpDataDir("none")).arrayBuffer()), live: false };
    } finally {
      await pg.close();
    }
  } finally {
    lock.release();
  }
}

/** Our own files in a data directory: the lock is the copying process's, the keys are parts of their own. */
function isOwnFile(name: string): boolean {
  const bare = name.replace(/^\/+/, "");
  return bare === LOCK_FILE || bare.startsWith(`${LOCK_FILE}.`) || (KEY_PARTS as readonly string[]).includes(bare);
}

/** Opens a database tar in memory and returns its verified audit head. */
async function auditHeadOf(database: Uint8Array, what: string): Promise<{ size: number; root: string }> {
  const pg = await createPglite(undefined, new Blob([new Uint8Array(database)])).catch((error: unknown) => {
    throw new BackupError(`${what} of the database could not be opened (${error instanceof Error ? error.message : String(error)})`);
  });
  try {
    const result = await verifyAuditLog(await pgliteDb(pg));
    if (!result.ok) throw new BackupError(`the audit log in ${what} does not verify: entry ${result.badSeq}: ${result.reason}`);
    return { size: result.size, root: result.root };
  } finally {
    await pg.close();
  }
}

/** Written beside the target under another name and renamed: a reader never sees half a backup. */
function writePrivateFile(target: string, bytes: Uint8Array): void {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.partial`);
  let fd: number;
  try {
    fd = openSync(temp, "wx", 0o600);
  } catch (error) {
    throw new BackupError(`cannot write ${target} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    writeSync(fd, bytes);
    closeSync(fd);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new BackupError(`cannot write ${target} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

export interface RestoreResult {
  manifest: Manifest;
}

/**
 * Restores a backup into `target`, which must be absent or empty: nothing is
 * ever overwritten. The archive is checked (readable, the right format, every
 * part's checksum), unpacked into a directory beside the target, opened, and
 * its audit log verified against the manifest's head; only then is it renamed
 * into place. Any failure removes the half-made directory.
 */
export async function restoreBackup(file: string, target: string): Promise<RestoreResult> {
  const dir = resolve(target);
  refuseNonEmpty(dir, target);
  const { manifest, parts } = await readBackup(file);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const temp = join(parent, `.${basename(dir)}.restoring-${randomBytes(6).toString("hex")}`);
  try {
    // The directory will hold the keys: its owner only, as a backup file is.
    mkdirSync(temp, { mode: 0o700 });
    const pg = await createPglite(temp, new Blob([new Uint8Array(parts.get(DATABASE_PART)!)])).catch((error: unknown) => {
      throw new BackupError(`the database in ${file} could not be opened (${error instanceof Error ? error.message : String(error)})`);
    });
    try {
      const result = await verifyAuditLog(await pgliteDb(pg));
      if (!result.ok) throw new BackupError(`the restored audit log does not verify: entry ${result.badSeq}: ${result.reason}`);
      if (result.size !== manifest.audit.size || result.root !== manifest.audit.root) {
        throw new BackupError(
          `audit mismatch: the restored log has ${result.size} entries with root ${result.root}, but the manifest recorded ${manifest.audit.size} entries with root ${manifest.audit.root}`,
        );
      }
    } finally {
      await pg.close();
    }
    for (const name of KEY_PARTS) {
      const data = parts.get(name);
      if (data) writeFileSync(join(temp, name), data, { mode: 0o600, flag: "wx" });
    }
    // The directory may have appeared (or been filled) meanwhile: never rename over it.
    refuseNonEmpty(dir, target);
    if (existsSync(dir)) rmdirSync(dir);
    renameSync(temp, dir);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return { manifest };
}

function refuseNonEmpty(dir: string, shown: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new BackupError(`${shown} is a file: restore into a new or empty directory`);
  const entries = readdirSync(dir);
  if (entries.length) throw new BackupError(`${shown} is not empty (it holds ${entries.slice(0, 3).join(", ")}${entries.length > 3 ? ", …" : ""}): a restore never overwrites; choose a new or empty directory`);
}

/** Reads and checks a backup file: every problem is named before anything is written. */
export async function readBackup(file: string): Promise<{ manifest: Manifest; parts: Map<string, Uint8Array> }> {
  let packed: Buffer;
  try {
    packed = readFileSync(file);
  } catch (error) {
    throw new BackupError(`cannot read the backup ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let entries: TarEntry[];
  try {
    entries = await readTar(gunzipSync(packed));
  } catch (error) {
    const reason = error instanceof TarError ? error.message : `not a gzip file, or cut short: ${(error as Error).message}`;
    throw new BackupError(`${file} is a corrupt archive (${reason})`);
  }
  const files = new Map(entries.filter((entry) => entry.type === "file").map((entry) => [entry.name, entry.data]));
  const manifest = parseManifest(files.get("manifest.json"), file);
  const parts = new Map<string, Uint8Array>();
  for (const [name, expected] of Object.entries(manifest.parts)) {
    const data = files.get(name);
    if (!data) throw new BackupError(`${file} is missing its part ${name} named in the manifest`);
    if (data.byteLength !== expected.bytes || sha256(data) !== expected.sha256) {
      throw new BackupError(`checksum mismatch in ${file}: the part ${name} is not the one the manifest recorded (it was changed or damaged)`);
    }
    parts.set(name, data);
  }
  const unlisted = [...files.keys()].filter((name) => name !== "manifest.json" && !parts.has(name));
  if (unlisted.length) throw new BackupError(`${file} holds ${unlisted.join(", ")}, which its manifest does not list: it was changed after it was made`);
  if (!parts.has(DATABASE_PART)) throw new BackupError(`${file} has no ${DATABASE_PART}: wrong format`);
  return { manifest, parts };
}

function parseManifest(data: Uint8Array | undefined, file: string): Manifest {
  if (!data) throw new BackupError(`${file} is in the wrong format: it has no manifest.json (is it an Oversight backup?)`);
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(Buffer.from(data).toString("utf8"));
  } catch {
    throw new BackupError(`${file} is in the wrong format: its manifest.json is not JSON`);
  }
  if (manifest.format !== BACKUP_FORMAT) throw new BackupError(`${file} is in the wrong format: its manifest says format ${JSON.stringify(manifest.format)}, not ${BACKUP_FORMAT}`);
  if (manifest.version !== BACKUP_VERSION) throw new BackupError(`${file} is a version ${manifest.version} backup; this Oversight reads version ${BACKUP_VERSION}`);
  if (manifest.engine !== "pglite") throw new BackupError(`${file} is a backup of a ${manifest.engine} database; oversight restore restores embedded (PGlite) backups`);
  const audit = manifest.audit;
  if (!audit || !Number.isInteger(audit.size) || typeof audit.root !== "string" || !manifest.parts || typeof manifest.parts !== "object") {
    throw new BackupError(`${file} is in the wrong format: its manifest lacks the audit head or the list of parts`);
  }
  for (const [name, part] of Object.entries(manifest.parts)) {
    if (!part || !Number.isInteger(part.bytes) || typeof part.sha256 !== "string") throw new BackupError(`${file} is in the wrong format: the manifest's entry for ${name} is incomplete`);
  }
  return manifest as Manifest;
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

