import { serve, type ServerType } from "@hono/node-server";
import { emailLinkBase, type Config } from "./config.js";
import { createApp } from "./app.js";
import { connect } from "./db/connect.js";
import type { Db } from "./db/db.js";
import { migrate } from "./db/migrate.js";
import { createLogger } from "./logger.js";
import { loadSecret } from "./secret.js";
import { loadAuditKey } from "./audit/signing-key.js";
import { openDataKey } from "./db/data-key.js";
import { seedKansasCity } from "./campaign/service.js";
import { seedBudgetDemo, seedKansasCityBudget } from "./budget/seed.js";
import { startPetitions } from "./campaign/petitions/runtime.js";
import { seedKansasCityPetition } from "./campaign/petitions/seed.js";
import { startOutboxWorker, type OutboxWorker } from "./outbox/index.js";
import { startReminderJob } from "./cases/reminders.js";
import { sealOlderCaseData } from "./cases/service.js";
import { startRetentionJob } from "./cases/retention.js";
import { hasDemoContent, loadDemo, type DemoAdmin } from "./records/demo.js";
import { isEmpty } from "./records/service.js";
import { startBackupSocket } from "./backup/socket.js";

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
  // Read (and check) the keys before anything is written: a damaged key stops the start with the database untouched.
  let secret: Buffer;
  let auditKey: ReturnType<typeof loadAuditKey>;
  try {
    secret = loadSecret(config.dataDir);
    auditKey = loadAuditKey(config.dataDir);
  } catch (error) {
    await db.close();
    throw error;
  }
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, "migrations applied");
  // Complainants' data is sealed with a key outside the database: without the right one, no start.
  try {
    await openDataKey(db, config.dataDir);
  } catch (error) {
    await db.close();
    throw error;
  }
  const sealed = await sealOlderCaseData(db);
  if (sealed) logger.info({ sealed }, "older complainant data sealed");
  let demoAdmin: DemoAdmin | undefined;
  if (options.demo && (await isEmpty(db))) {
    demoAdmin = await loadDemo(db);
    logger.info("demo content loaded");
  }
  // The Kansas City facts are real public content, not demo rows; adding them twice adds nothing.
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
  // `oversight backup` reaches a running embedded database through this socket (see src/backup/socket.ts).
  const backupSocket = config.databaseUrl ? undefined : await startBackupSocket(db, config.dataDir, (error) => logger.error({ err: error }, "backup copy failed")).catch((error: unknown) => {
    logger.warn({ err: error }, "backups while running are unavailable: the backup socket could not be opened");
    return undefined;
  });
  const petitions = startPetitions({ db, logger: logger.child({ component: "petitions" }) });
  // Bound before the app is built, so port 0 becomes the real port the app's email links name.
  let app: ReturnType<typeof createApp> | undefined;
  const server = await listen((request, env) => app!.fetch(request, env), config.port);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const listening = { ...config, port };
  app = createApp({ db, config: listening, logger, demo, secret, auditKey });
  const url = `http://localhost:${port}`;
  const reminders = config.officeEmail ? startReminderJob(db, { to: config.officeEmail, linkBase: emailLinkBase(listening), intervalMs: 60 * 60_000, logger }) : undefined;
  // Contact details of long-closed cases are deleted hourly (the sweep is idempotent; the database remembers).
  const retention = startRetentionJob(db, { days: config.contactRetentionDays, intervalMs: 60 * 60_000, logger });
  logger.info({ url, storage: db.kind }, "serving");
  return {
    url,
    db,
    demoAdmin,
    async close() {
      // Live-count streams stay open until ended; server.close() waits for every connection.
      petitions.closeStreams();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await backupSocket?.close();
      await petitions.stop();
      await reminders?.stop();
      await retention.stop();
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
