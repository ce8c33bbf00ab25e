import { Command } from "commander";
import { loadConfig } from "../config.js";
import { backupDataDir, restoreBackup } from "../backup/service.js";
import { DATA_DIR_HELP } from "./shared.js";

const POSTGRES_BACKUP =
  "DATABASE_URL is set: back up the PostgreSQL database with pg_dump, and the keys separately. See README, Backups:\n" +
  '  pg_dump --format=custom --file=oversight.pgdump "$DATABASE_URL"\n' +
  "  and keep secret.key and audit-signing.key from the data directory (or OVERSIGHT_SECRET and OVERSIGHT_AUDIT_KEY) with it";

/** `oversight backup FILE`: a consistent copy of the embedded database and its keys, taken while the site runs. */
export function backupCommand(): Command {
  return new Command("backup")
    .description("write a backup (database, secret key, audit signing key) to FILE; works while the site runs")
    .argument("<file>", "the backup file to write (never overwritten; written with mode 0600)")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (file: string, options: { dataDir?: string }) => {
      const config = loadConfig({ dataDir: options.dataDir });
      if (config.databaseUrl) throw new Error(POSTGRES_BACKUP);
      const { manifest, bytes, live } = await backupDataDir(config.dataDir, file);
      const keys = Object.keys(manifest.parts).filter((name) => name.endsWith(".key"));
      console.log(
        `backup written to ${file} (${(bytes / 1024 / 1024).toFixed(1)} MB${live ? ", copied by the running server" : ""}): ` +
          `audit log of ${manifest.audit.size} entries, root ${manifest.audit.root}; keys: ${keys.length ? keys.join(", ") : "none in the data directory"}`,
      );
      console.log("It holds the keys that sign receipts and audit heads: keep it as safe as the data directory itself.");
    });
}

/** `oversight restore FILE --data-dir NEW`: checks a backup and restores it into a new directory. */
export function restoreCommand(): Command {
  return new Command("restore")
    .description("restore a backup into a new or empty data directory, after checking its checksums and audit log")
    .argument("<file>", "a backup written by oversight backup")
    .requiredOption("--data-dir <dir>", "the new data directory (must be absent or empty; never overwritten)")
    .action(async (file: string, options: { dataDir: string }) => {
      const { manifest } = await restoreBackup(file, options.dataDir);
      console.log(
        `restored ${file} into ${options.dataDir}: audit log verified, ${manifest.audit.size} entries, root ${manifest.audit.root} (backup made ${manifest.createdAt})`,
      );
    });
}
