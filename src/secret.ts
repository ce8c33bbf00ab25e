import { randomBytes } from "node:crypto";
import { loadKeyFile } from "./key-file.js";

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
  return loadKeyFile({
    dataDir,
    file: "secret.key",
    envName: "OVERSIGHT_SECRET",
    env,
    what: "the secret key",
    parse: (text) => (KEY_HEX.test(text) ? Buffer.from(text, "hex") : null),
    parseEnv: (text) => (text.length >= 32 ? Buffer.from(text, "utf8") : null),
    make: () => {
      const key = randomBytes(32);
      return { value: key, text: key.toString("hex") };
    },
    badEnv: "OVERSIGHT_SECRET must be at least 32 characters",
    damaged: (path, text) =>
      `the secret key ${path} is damaged (expected 64 hexadecimal characters, found ${text.length} characters${/[^0-9a-f]/i.test(text) ? " that are not all hexadecimal" : ""}). ` +
      "Restore it from a backup: receipts and case-access links depend on it. Oversight will not start with it",
  });
}
