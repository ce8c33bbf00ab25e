import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The one way a key kept beside the database is read: from its environment
 * variable when set, else from its file in the data directory, made on first use
 * with owner-only permissions. A file that cannot be read or parsed is refused,
 * never replaced: a new key could not open, check or vouch for what the old one
 * did. Used by the server secret, the audit signing key and the data key.
 */
export interface KeyFileSpec<T> {
  dataDir: string;
  file: string;
  /** The environment variable that replaces the file, e.g. OVERSIGHT_DATA_KEY. */
  envName: string;
  env: NodeJS.ProcessEnv;
  /** The key from its text, or null when the text is not such a key. */
  parse(text: string): T | null;
  /** When the setting is written differently from the file (default: as the file). */
  parseEnv?(text: string): T | null;
  /** A new key and the text its file holds. */
  make(): { value: T; text: string };
  /** The error for a setting that is not a key. */
  badEnv: string;
  /** The error for a file that is not a key. */
  damaged(path: string, text: string): string;
  /** Without it the key is made when missing; with it, the error for a missing file. */
  missing?(path: string): string;
  /** The words for a file that cannot be read, e.g. "the data key". */
  what: string;
}

export function loadKeyFile<T>(spec: KeyFileSpec<T>): T {
  const fromEnv = spec.env[spec.envName];
  if (fromEnv?.trim()) {
    // A setting written its own way is taken exactly as set (a secret's spaces are part of it).
    const key = spec.parseEnv ? spec.parseEnv(fromEnv) : spec.parse(fromEnv.trim());
    if (key === null) throw new Error(spec.badEnv);
    return key;
  }
  const path = join(spec.dataDir, spec.file);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read ${spec.what} ${path}: ${(error as Error).message}`);
    if (spec.missing) throw new Error(spec.missing(path));
    return makeKeyFile(spec, path);
  }
  const key = spec.parse(text.trim());
  if (key === null) throw new Error(spec.damaged(path, text.trim()));
  return key;
}

function makeKeyFile<T>(spec: KeyFileSpec<T>, path: string): T {
  mkdirSync(spec.dataDir, { recursive: true });
  const made = spec.make();
  try {
    writeFileSync(path, made.text, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process (the server and a CLI command) made it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return loadKeyFile({ ...spec, env: {} });
    throw error;
  }
  return made.value;
}
