import { serve, type ServerType } from "@hono/node-server";
import type { Config } from "./config.js";
import { createApp } from "./app.js";
import { connect } from "./db/connect.js";
import type { Db } from "./db/db.js";
import { migrate } from "./db/migrate.js";
import { createLogger } from "./logger.js";
import { loadSecret } from "./secret.js";
import { seedKansasCity } from "./campaign/service.js";
import { seedBudgetDemo, seedKansasCityBudget } from "./budget/seed.js";
import { startPetitions } from "./campaign/petitions/runtime.js";
import { seedKansasCityPetition } from "./campaign/petitions/seed.js";
import { startOutboxWorker, type OutboxWorker } from "./outbox/index.js";
import { startReminderJob } from "./cases/reminders.js";
import { hasDemoContent, loadDemo, type DemoAdmin } from "./records/demo.js";
import { isEmpty } from "./records/service.js";

export interface RunningServer {
  url: string;
  db: Db;
  /** Set when this start loaded the demo: the demo administrator's sign-in, to be shown once. */
  demoAdmin?: DemoAdmin;
  close(): Promise<void>;
}

/**
 * Opens the database, applies migrations, loads the demo into an empty database
 * when asked, and listens. Returns once the first request can be served.
 */
export async function startServer(config: Config, options: { demo: boolean }): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const db = await connect({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, "migrations applied");
  let demoAdmin: DemoAdmin | undefined;
  if (options.demo && (await isEmpty(db))) {
    demoAdmin = await loadDemo(db);
    logger.info("demo content loaded");
  }
  // The Kansas City facts are real public content, not demo rows; adding them twice adds nothing.
  const secret = loadSecret(config.dataDir);
  if (options.demo) {
    await seedKansasCity(db);
    await seedKansasCityBudget(db);
    await seedBudgetDemo(db, { secret });
    await seedKansasCityPetition(db);
  }
  const demo = await hasDemoContent(db);
  // Mail waits in the database-backed outbox; without SMTP_URL it stays queued until configured.
  let outbox: OutboxWorker | undefined;
  if (config.smtpUrl) {
    outbox = startOutboxWorker(db, { smtpUrl: config.smtpUrl, from: config.emailFrom!, intervalMs: config.outboxIntervalMs, concurrency: config.outboxConcurrency, logger: logger.child({ component: "outbox" }) });
  }
  const petitions = startPetitions({ db, logger: logger.child({ component: "petitions" }) });
  const app = createApp({ db, config, logger, demo, secret });
  const server = await listen(app.fetch, config.port);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  // Reminders have no request to take an address from: the configured one, else where this server listens.
  const reminders = config.officeEmail ? startReminderJob(db, { to: config.officeEmail, linkBase: config.publicUrl ?? url, intervalMs: 60 * 60_000, logger }) : undefined;
  logger.info({ url, storage: db.kind }, "serving");
  return {
    url,
    db,
    demoAdmin,
    async close() {
      // Live-count streams stay open until ended; server.close() waits for every connection.
      petitions.closeStreams();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await petitions.stop();
      await reminders?.stop();
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
