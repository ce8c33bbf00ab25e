import { readFileSync } from "node:fs";
import { Command } from "commander";
import { recordUnvouchedRows, signedTreeHead, verifyAgainstHead, verifyAuditLog, verifyRows } from "../audit/service.js";
import { loadAuditKey, parsePublicKey } from "../audit/signing-key.js";
import { CASE_ROW_TABLES } from "../cases/vouched-rows.js";
import { DATA_DIR_HELP, openDatabase } from "./shared.js";

interface VerifyOptions {
  dataDir?: string;
  against?: string;
  publicKey?: string;
  rows?: boolean;
}

/** Problem rows listed in full; the rest are counted. */
const ROWS_SHOWN = 20;

export function auditCommand(): Command {
  const audit = new Command("audit").description("the tamper-evident audit log");
  audit
    .command("verify")
    .description("recompute every entry's hash and the Merkle tree; name the first bad entry")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .option("--against <file>", "a signed tree head saved earlier (oversight audit head): check its signature and that the log still extends it")
    .option("--public-key <file>", "the public key to check --against with (PEM or raw base64); default: this installation's audit key")
    .option("--rows", "also find every row of the complaints office's tables whose content no audit entry explains (a change, insertion or deletion made outside the application)")
    .action(async (options: VerifyOptions) => {
      // Read the saved head before opening the database: a missing or unreadable file changes nothing.
      const saved = options.against === undefined ? undefined : readJson(options.against);
      const { db, config } = await openDatabase(options);
      try {
        if (saved === undefined) {
          const result = await verifyAuditLog(db);
          if (!result.ok) {
            console.error(`audit log FAILED at entry ${result.badSeq}: ${result.reason}`);
            process.exitCode = 1;
            return;
          }
          console.log(`audit log verified: ${result.size} entries, root ${result.root}`);
        } else {
          const publicKey = options.publicKey === undefined ? loadAuditKey(config.dataDir).publicKey : readPublicKey(options.publicKey);
          const result = await verifyAgainstHead(db, saved, publicKey);
          if (!result.ok) {
            console.error(`audit log FAILED against ${options.against}: ${result.reason}`);
            process.exitCode = 1;
            return;
          }
          console.log(`audit log verified: ${result.size} entries, root ${result.root}; it extends the saved head of ${result.savedSize} entries`);
        }
        if (options.rows) {
          const rows = await verifyRows(db, CASE_ROW_TABLES);
          if (rows.ok) {
            console.log(`rows verified: every one of ${rows.rows} rows of the complaints office's ${CASE_ROW_TABLES.length} tables matches its latest audit entry`);
          } else {
            const problems = rows.problems.slice(0, ROWS_SHOWN).map((p) => `  ${p.table} ${p.id}: ${p.reason}`);
            const more = rows.problems.length > ROWS_SHOWN ? [`  … and ${rows.problems.length - ROWS_SHOWN} more`] : [];
            console.error([`rows FAILED: ${rows.logProblem ?? `${rows.problems.length} of ${rows.rows} rows are not explained by the audit log`}`, ...problems, ...more].join("\n"));
            process.exitCode = 1;
          }
        }
      } finally {
        await db.close();
      }
    });
  audit
    .command("record-rows")
    .description("record in the log the rows of the complaints office's tables that no entry covers yet (written before row hashes covered their table); changed rows are left for a person to examine")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (options: { dataDir?: string }) => {
      const { db } = await openDatabase(options);
      try {
        const recorded = await recordUnvouchedRows(db, "system:cli", CASE_ROW_TABLES);
        console.log(`recorded ${recorded} rows in the audit log`);
      } finally {
        await db.close();
      }
    });
  audit
    .command("head")
    .description("print the current signed tree head as JSON (save it, then check later with verify --against)")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (options: { dataDir?: string }) => {
      const { db, config } = await openDatabase(options);
      try {
        const key = loadAuditKey(config.dataDir);
        console.log(JSON.stringify(await signedTreeHead(db, key), null, 2));
      } finally {
        await db.close();
      }
    });
  return audit;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--against: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`--against: ${file} is not JSON (save a head with: oversight audit head > ${file})`);
  }
}

function readPublicKey(file: string) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new Error(`--public-key: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const key = parsePublicKey(text);
  if (!key) throw new Error(`--public-key: ${file} is not an Ed25519 public key (PEM, or the raw 32 bytes as base64 or hex)`);
  return key;
}
