/**
 * Test harness: runs `oversight pb …` exactly as src/cli/main.ts wires it (commander program, one-line
 * errors), without loading the rest of the CLI. Used by pb-command.test.ts through a child process.
 */
import { Command } from "commander";
import { pbCommand } from "../../cli/pb-command.js";

const program = new Command().name("oversight");
program.addCommand(pbCommand());
program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`oversight: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
