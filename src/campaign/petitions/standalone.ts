/**
 * The whole site with the petitions mounted, as a real server process: what the
 * benchmark, the kill-mid-burst test and the browser test run. It does what
 * src/server.ts does (migrate, outbox worker, listen) plus the petitions' start
 * hook, and mounts the petition routes itself unless src/app.tsx already does
 * (so it keeps working once the routes are wired in).
 *
 *   tsx src/campaign/petitions/standalone.ts [--port N] [--data-dir DIR] [--seed] [--demo]
 *
 * `--seed` adds the Kansas City petition if missing. Settings come from the
 * environment, as for `oversight serve` (PORT, DATABASE_URL, SMTP_URL, EMAIL_FROM,
 * OUTBOX_INTERVAL_MS, OUTBOX_CONCURRENCY, OVERSIGHT_PETITION_*; see config.ts).
 */
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { createApp } from "../../app.js";
import { loadConfig, type Config } from "../../config.js";
import { connect } from "../../db/connect.js";
import type { Db } from "../../db/db.js";
import { migrate } from "../../db/migrate.js";
import { createLogger } from "../../logger.js";
import { startOutboxWorker, type OutboxWorker } from "../../outbox/index.js";
import { hasDemoContent, loadDemo, type DemoAdmin } from "../../records/demo.js";
import { isEmpty } from "../../records/service.js";
import { loadAuditKey } from "../../audit/signing-key.js";
import { loadSecret } from "../../secret.js";
import { openDataKey } from "../../db/data-key.js";
import type { AppEnv } from "../../web/context.js";
import type { PetitionSettings } from "./config.js";
import { petitionAbuseCounter, petitionRoutes } from "./routes.js";
import { startPetitions, type PetitionsHandle } from "./runtime.js";
import { seedKansasCityPetition } from "./seed.js";

export interface PetitionSite {
  url: string;
  db: Db;
  /** Set when this start loaded the demo: the demo administrator's sign-in. */
  demoAdmin?: DemoAdmin;
  petitions: PetitionsHandle;
  close(): Promise<void>;
}

export async function startPetitionSite(config: Config, options: { seed?: boolean; demo?: boolean; settings?: Partial<PetitionSettings> } = {}): Promise<PetitionSite> {
  const logger = createLogger(config.logLevel);
  const db = await connect({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  await migrate(db);
  await openDataKey(db, config.dataDir);
  const demoAdmin = options.demo && (await isEmpty(db)) ? await loadDemo(db) : undefined;
  if (options.seed) await seedKansasCityPetition(db);
  let outbox: OutboxWorker | undefined;
  if (config.smtpUrl) {
    outbox = startOutboxWorker(db, { smtpUrl: config.smtpUrl, from: config.emailFrom!, intervalMs: config.outboxIntervalMs, concurrency: config.outboxConcurrency, logger: logger.child({ component: "outbox" }) });
  }
  const petitions = startPetitions({ db, logger: logger.child({ component: "petitions" }) }, options.settings);
  const demo = await hasDemoContent(db);
  // Bound before the app is built, so port 0 becomes the real port the app's email links name.
  let app: Hono<AppEnv> | undefined;
  const server = await listen((request, env) => app!.fetch(request, env), config.port);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const site = createApp({ db, config: { ...config, port }, logger, demo, secret: loadSecret(config.dataDir), auditKey: loadAuditKey(config.dataDir) });
  app = site;
  if (!site.routes.some((route) => route.path === "/petitions/:id/sign")) {
    // Not wired into src/app.tsx yet: the counter must run before the site's CSRF check.
    site.route("/", petitionRoutes({ settings: options.settings }));
    app = new Hono<AppEnv>();
    app.use("/petitions/*", petitionAbuseCounter({ settings: options.settings }));
    app.route("/", site);
    app.notFound((c) => site.fetch(c.req.raw, c.env));
  }
  logger.info({ url: `http://localhost:${port}`, storage: db.kind }, "serving (with petitions)");
  return {
    url: `http://localhost:${port}`,
    db,
    demoAdmin,
    petitions,
    async close() {
      petitions.closeStreams();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await petitions.stop();
      await outbox?.stop();
      await db.close();
    },
  };
}

function listen(fetch: Parameters<typeof serve>[0]["fetch"], port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname: "0.0.0.0" }, () => resolve(server));
    server.once("error", reject);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const config = loadConfig({ port: value("port"), dataDir: value("data-dir") });
  startPetitionSite(config, { seed: args.includes("--seed"), demo: args.includes("--demo") }).then(
    (site) => {
      console.log(`Oversight (with petitions) is serving at ${site.url} (${site.db.kind})`);
      if (site.demoAdmin) console.log(`Demo sign-in (synthetic data only; shown this once): ${site.demoAdmin.email} / ${site.demoAdmin.password}`);
      const stop = async () => {
        await site.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (error: Error) => {
      console.error(`standalone: ${error.message}`);
      process.exit(1);
    },
  );
}
