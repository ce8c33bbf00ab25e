import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A kept key is 32 random bytes written as 64 hexadecimal characters. */
const KEY_HEX = /^[0-9a-f]{64}$/i;

/**
 * The server's secret key (for receipt hashes and signed case-access cookies):
 * OVERSIGHT_SECRET if set, else a random key kept in the data directory, made
 * on first use with owner-only permissions. A kept key that is not 64 hex
 * characters is refused: decoding it anyway would give an empty or short key,
 * so cookies could be forged and every real receipt would stop matching.
 */
export function loadSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.OVERSIGHT_SECRET) {
    if (env.OVERSIGHT_SECRET.length < 32) throw new Error("OVERSIGHT_SECRET must be at least 32 characters");
    return Buffer.from(env.OVERSIGHT_SECRET, "utf8");
  }
  const path = join(dataDir, "secret.key");
  const kept = readKept(path);
  if (kept !== undefined) {
    if (!KEY_HEX.test(kept)) {
      throw new Error(
        `the secret key ${path} is damaged (expected 64 hexadecimal characters, found ${kept.length} characters${/[^0-9a-f]/i.test(kept) ? " that are not all hexadecimal" : ""}). ` +
          "Restore it from a backup: receipts and case-access links depend on it. Oversight will not start with it",
      );
    }
    return Buffer.from(kept, "hex");
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString("hex"), { mode: 0o600, flag: "wx" });
  return key;
}

function readKept(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`the secret key ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
