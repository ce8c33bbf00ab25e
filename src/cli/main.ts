#!/usr/bin/env node
import { Command } from "commander";
import { ZodError } from "zod";
import { describeIssues } from "../web/errors.js";
import { auditCommand } from "./audit-command.js";
import { backupCommand, restoreCommand } from "./backup-command.js";
import { exportCommand } from "./export-command.js";
import { importCommand } from "./import-command.js";
import { pbCommand } from "./pb-command.js";
import { seedCommand } from "./seed-command.js";
import { serveCommand } from "./serve-command.js";
import { userCommand } from "./user-command.js";

/** `oversight`: serve the site, import and export records, verify the audit log. */
const program = new Command()
  .name("oversight")
  .description("Community-governed police accountability: open records, complaints office, civic tools.")
  .showHelpAfterError();

program.addCommand(serveCommand());
program.addCommand(auditCommand());
program.addCommand(importCommand());
program.addCommand(exportCommand());
program.addCommand(pbCommand());
program.addCommand(seedCommand());
program.addCommand(userCommand());
program.addCommand(backupCommand());
program.addCommand(restoreCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  // Users get the message, not a stack trace; a refused input names its fields.
  const message = error instanceof ZodError ? describeIssues(error.issues) : error instanceof Error ? error.message : String(error);
  console.error(`oversight: ${message}`);
  process.exit(1);
});
