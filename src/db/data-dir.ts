import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * The rules for an embedded data directory, after PostgreSQL's own: one process
 * owns it (a lock file with the owner's pid, like postmaster.pid), and a
 * directory that is not empty is never initialised over. A half-copied backup
 * or a stray `rm` must stop the site, not turn into an empty database.
 */

/** The lock file's name inside the data directory. */
export const LOCK_FILE = "oversight.lock";

/** The PostgreSQL major version of the PGlite build the project ships. */
const PGLITE_MAJOR = "18";

/** A data directory that cannot be used, with a message a person can act on. */
export class DataDirError extends Error {
  override readonly name = "DataDirError";
}

export interface DataDirLock {
  release(): void;
}

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** Where the owner answers `oversight backup` (a unix socket), when it is a running server. */
  backupSocket?: string;
}

/**
 * Takes the directory for this process, or throws a DataDirError naming the
 * process that holds it. A lock left by a process that died (kill -9, power
 * loss) on this host is taken over.
 */
export function lockDataDir(dir: string): DataDirLock {
  makeDir(dir);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    const fd = tryCreate(path, dir);
    if (fd !== undefined) {
      const owner: LockOwner = { pid: process.pid, host: hostname(), command: commandLine(), since: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      return ownLock(path);
    }
    const holder = readOwner(path);
    if (holder && isAlive(holder)) throw inUse(dir, holder);
    // The owner is gone: its lock is stale. Remove it and try once more, so two starters do not both win.
    unlinkSync(path);
  }
  throw inUse(dir, readOwner(path));
}

function makeDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") throw new DataDirError(`the data directory ${dir} is a file, not a directory`);
    throw new DataDirError(`the data directory ${dir} cannot be made (${code ?? String(error)})`);
  }
}

function tryCreate(path: string, dir: string): number | undefined {
  try {
    return openSync(path, "wx", 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return undefined;
    if (code === "EACCES" || code === "EROFS" || code === "EPERM") {
      throw new DataDirError(`the data directory ${dir} cannot be written (${code}): Oversight needs to write there; check its owner and permissions, or that the disk is not read-only`);
    }
    throw error;
  }
}

function ownLock(path: string): DataDirLock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    // Only remove the lock if it is still ours (a stale-lock takeover elsewhere must not be undone).
    if (readOwner(path)?.pid === process.pid) unlinkSync(path);
  };
  process.once("exit", release);
  return {
    release() {
      process.off("exit", release);
      release();
    },
  };
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    if (typeof owner.pid !== "number") return undefined;
    const read: LockOwner = { pid: owner.pid, host: String(owner.host ?? ""), command: String(owner.command ?? ""), since: String(owner.since ?? "") };
    if (typeof owner.backupSocket === "string") read.backupSocket = owner.backupSocket;
    return read;
  } catch {
    return undefined;
  }
}

/** The live process that holds the directory, if any (a lock left by a dead process is no holder). */
export function lockHolder(dir: string): LockOwner | undefined {
  const owner = readOwner(join(dir, LOCK_FILE));
  return owner && isAlive(owner) ? owner : undefined;
}

/**
 * Adds facts to this process's own lock (as postmaster.pid names its socket
 * directory): written whole under another name and renamed, so a reader never
 * sees half a lock and takes it for a stale one.
 */
export function noteLockOwner(dir: string, facts: Pick<LockOwner, "backupSocket">): void {
  const path = join(dir, LOCK_FILE);
  const owner = readOwner(path);
  if (owner?.pid !== process.pid) return;
  const next = `${path}.${process.pid}.tmp`;
  writeFileSync(next, JSON.stringify({ ...owner, ...facts }), { mode: 0o600 });
  renameSync(next, path);
}

/** A lock from another host (a shared disk) is never presumed dead. */
function isAlive(owner: LockOwner): boolean {
  if (owner.host && owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function inUse(dir: string, owner: LockOwner | undefined): DataDirError {
  const who = owner ? `process ${owner.pid}${owner.command ? ` (${owner.command})` : ""}${owner.host && owner.host !== hostname() ? ` on ${owner.host}` : ""}, since ${owner.since}` : "another process";
  return new DataDirError(
    `the data directory ${dir} is in use by ${who}. Only one process may open it at a time: stop that process first ` +
      "(while the site runs, manage accounts on its admin pages), or set DATABASE_URL to share a PostgreSQL server",
  );
}

/** The command's words before its first option ("oversight serve"): paths and values stay out of the lock. */
function commandLine(): string {
  const args = process.argv.slice(2);
  const firstOption = args.findIndex((arg) => arg.startsWith("-"));
  return ["oversight", ...args.slice(0, firstOption === -1 ? 2 : Math.min(firstOption, 2))].join(" ");
}

/** Files of our own that may sit in a directory whose database has not been made yet. */
const OWN_FILES = new Set([LOCK_FILE]);

export type DataDirState = "new" | "database";

/**
 * Says whether a directory may be initialised (absent or empty) or holds a
 * PGlite database, and refuses anything else with a message that says what
 * was found: a partial copy, a server's directory, or unrelated files.
 */
export function inspectDataDir(dir: string): DataDirState {
  if (!existsSync(dir)) return "new";
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw new DataDirError(`the data directory ${dir} is a file, not a directory`);
    throw new DataDirError(`the data directory ${dir} cannot be read (${code ?? String(error)})`);
  }
  const version = readVersion(dir);
  if (version === undefined) {
    const foreign = entries.filter((name) => !OWN_FILES.has(name));
    if (foreign.length === 0) return "new";
    throw new DataDirError(
      `the data directory ${dir} is not empty but holds no database (PG_VERSION is missing; found ${describeEntries(foreign)}). ` +
        "It may be a partial copy of a backup or a directory that was partly deleted. Oversight never initialises a directory that holds files: " +
        "restore it with `oversight restore`, or point --data-dir at an empty directory to start afresh",
    );
  }
  if (version !== PGLITE_MAJOR) {
    throw new DataDirError(
      `the data directory ${dir} holds a PostgreSQL ${version} data directory, not an embedded Oversight database (PostgreSQL ${PGLITE_MAJOR}). ` +
        "To use a PostgreSQL server, set DATABASE_URL instead of --data-dir",
    );
  }
  return "database";
}

function readVersion(dir: string): string | undefined {
  try {
    return readFileSync(join(dir, "PG_VERSION"), "utf8").trim();
  } catch {
    return undefined;
  }
}

function describeEntries(names: string[]): string {
  const shown = names.slice(0, 3).join(", ");
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** Turns PGlite's bare start-up failures ("Aborted()") into a message that names the directory. */
export function openFailure(dir: string, error: unknown): DataDirError {
  const reason = error instanceof Error ? error.message : String(error);
  return new DataDirError(
    `the database in ${dir} could not be opened (${reason.slice(0, 200)}). Its files may be damaged or from another program. ` +
      "Nothing was changed: restore it with `oversight restore`, or check the disk",
  );
}
