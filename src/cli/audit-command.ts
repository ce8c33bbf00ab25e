import { Command } from "commander";
import { verifyAuditLog } from "../audit/service.js";
import { DATA_DIR_HELP, openDatabase } from "./shared.js";

export function auditCommand(): Command {
  const audit = new Command("audit").description("the tamper-evident audit log");
  audit
    .command("verify")
    .description("recompute every entry's hash and the Merkle tree; name the first bad entry")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (options: { dataDir?: string }) => {
      const { db } = await openDatabase(options);
      try {
        const result = await verifyAuditLog(db);
        if (result.ok) {
          console.log(`audit log verified: ${result.size} entries, root ${result.root}`);
        } else {
          console.error(`audit log FAILED at entry ${result.badSeq}: ${result.reason}`);
          process.exitCode = 1;
        }
      } finally {
        await db.close();
      }
    });
  return audit;
}
