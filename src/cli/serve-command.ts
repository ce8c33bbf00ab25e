import { Command } from "commander";
import { loadConfig } from "../config.js";
import { startServer } from "../server.js";
import { DATA_DIR_HELP } from "./shared.js";

export function serveCommand(): Command {
  return new Command("serve")
    .description("serve the site and the API")
    .option("--port <n>", "port to listen on (default $PORT, else 3000)")
    .option("--data-dir <dir>", DATA_DIR_HELP)
    .option("--demo", "load synthetic demo content into an empty database", false)
    .action(async (options: { port?: string; dataDir?: string; demo: boolean }) => {
      const config = loadConfig({ port: options.port, dataDir: options.dataDir });
      const started = Date.now();
      const server = await startServer(config, { demo: options.demo });
      console.log(`Oversight is serving at ${server.url} (${server.db.kind}, ready in ${Date.now() - started} ms)`);
      // Shown once, when the demo (and its administrator) is created in this data directory; only its hash is kept.
      if (server.demoAdmin) console.log(`Demo sign-in (synthetic data only; shown this once): ${server.demoAdmin.email} / ${server.demoAdmin.password}`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
