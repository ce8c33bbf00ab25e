import { Command } from "commander";
import { createUser } from "../auth/service.js";
import { ROLES } from "../auth/roles.js";
import { DATA_DIR_HELP, openDatabase } from "./shared.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

export function userCommand(): Command {
  const user = new Command("user").description("staff and community accounts");
  user
    .command("create")
    .description("create an account; the password is read from standard input")
    .requiredOption("--email <email>")
    .requiredOption("--name <name>", "display name")
    .requiredOption("--role <role>", ROLES.join(" | "))
    .option("--language <lang>", "en | es: the language of the emails the account is sent")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .action(async (options: { email: string; name: string; role: string; language?: string; dataDir?: string }) => {
      const password = await readStdin();
      const { db } = await openDatabase(options);
      try {
        const id = await createUser(db, { email: options.email, displayName: options.name, password, role: options.role as never, language: options.language as never }, "cli");
        console.log(`created ${options.role} account ${id}`);
      } finally {
        await db.close();
      }
    });
  return user;
}
