import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The server's secret key (for receipt hashes and signed case-access cookies):
 * OVERSIGHT_SECRET if set, else a random key kept in the data directory, made
 * on first use with owner-only permissions.
 */
export function loadSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  if (env.OVERSIGHT_SECRET) {
    if (env.OVERSIGHT_SECRET.length < 32) throw new Error("OVERSIGHT_SECRET must be at least 32 characters");
    return Buffer.from(env.OVERSIGHT_SECRET, "utf8");
  }
  const path = join(dataDir, "secret.key");
  try {
    return Buffer.from(readFileSync(path, "utf8").trim(), "hex");
  } catch {
    mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(path, key.toString("hex"), { mode: 0o600, flag: "wx" });
    return key;
  }
}
