import { resolve } from "node:path";
import { z } from "zod";

/** Runtime settings, read once from flags and the environment and validated. */
export const configSchema = z.object({
  dataDir: z.string().min(1),
  databaseUrl: z.string().url().optional(),
  port: z.coerce.number().int().min(0).max(65535),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  /** Requests per minute per client address on the JSON API. */
  apiRateLimit: z.coerce.number().int().positive(),
  /** Complaint submissions per minute per client address (a flood from one address is refused). */
  intakeRateLimit: z.coerce.number().int().positive(),
  /** SMTP server for the email outbox (holds a password: never logged). Without it mail waits in the queue. */
  smtpUrl: z.string().regex(/^smtps?:\/\//, "must start with smtp:// or smtps://").optional(),
  emailFrom: z.string().regex(/@[A-Za-z0-9.-]+>?\s*$/, 'must end with the sender address, e.g. "Oversight <no-reply@example.org>"').optional(),
  outboxIntervalMs: z.coerce.number().int().min(100),
  /** Emails the outbox worker sends at once over pooled SMTP connections (see src/outbox/README.md). */
  outboxConcurrency: z.coerce.number().int().min(1).max(100),
  /** Where deadline reminders for the office go. */
  officeEmail: z.string().email().optional(),
  /** Days after closing when a case's contact details are deleted, unless it is under a legal hold. */
  contactRetentionDays: z.coerce.number().int().min(1).max(36_500),
  /** The site's public address, the base of every link in an email (see `emailLinkBase`). */
  /**
   * Addresses of the reverse proxies in front of the site. Only a request from one of them has its
   * X-Forwarded-For read (rightmost address not itself a proxy); from anyone else the header is ignored,
   * so a client cannot choose the address its rate limits and login throttling are counted against.
   */
  trustedProxies: z.array(z.union([z.ipv4(), z.ipv6()], { message: "must be an IP address" })),
  publicUrl: z.string().url().regex(/^https?:\/\//, "must start with http:// or https://").transform((url) => url.replace(/\/+$/, "")).optional(),
  /** NODE_ENV=production: settings a demo can do without are required. */
  production: z.boolean(),
  /** Minutes a session may sit unused before it ends. */
  sessionIdleMinutes: z.coerce.number().int().min(1).max(24 * 60),
  /** Whether administrators must use two-factor sign-in ("required", the default) or may choose. */
  adminTwoFactor: z.enum(["required", "optional"]),
})
  .refine((config) => !config.smtpUrl || config.emailFrom, { path: ["emailFrom"], message: "EMAIL_FROM is required when SMTP_URL is set" })
  .refine((config) => !config.production || config.publicUrl, {
    path: ["publicUrl"],
    message: "OVERSIGHT_PUBLIC_URL is required when NODE_ENV=production (the site's public address, e.g. https://oversight.example.org: every link in an email starts with it)",
  });
export type Config = z.infer<typeof configSchema>;

export interface ConfigFlags {
  dataDir?: string;
  port?: string | number;
}

/** Flags win over the environment, which wins over defaults. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse({
    dataDir: resolve(flags.dataDir ?? env.OVERSIGHT_DATA_DIR ?? "./data"),
    databaseUrl: env.DATABASE_URL || undefined,
    port: flags.port ?? env.PORT ?? 3000,
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "silent" : "info"),
    apiRateLimit: env.OVERSIGHT_API_RATE_LIMIT ?? 300,
    intakeRateLimit: env.OVERSIGHT_INTAKE_RATE_LIMIT ?? 10,
    smtpUrl: env.SMTP_URL || undefined,
    emailFrom: env.EMAIL_FROM || undefined,
    // Half a second: a confirmation email should leave within a second of signing, and an empty poll is one index probe.
    outboxIntervalMs: env.OUTBOX_INTERVAL_MS ?? 500,
    outboxConcurrency: env.OUTBOX_CONCURRENCY ?? 8,
    officeEmail: env.OFFICE_EMAIL || undefined,
    contactRetentionDays: env.OVERSIGHT_CONTACT_RETENTION_DAYS || 365,
    publicUrl: env.OVERSIGHT_PUBLIC_URL || undefined,
    trustedProxies: (env.OVERSIGHT_TRUSTED_PROXIES ?? "").split(",").map((address) => address.trim()).filter(Boolean),
    production: env.NODE_ENV === "production",
    sessionIdleMinutes: env.OVERSIGHT_SESSION_IDLE_MINUTES ?? 30,
    adminTwoFactor: env.OVERSIGHT_ADMIN_TWO_FACTOR || "required",
  });
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Invalid setting "${first.path.join(".")}": ${first.message}`);
  }
  return parsed.data;
}

/**
 * The base of every link in an email: OVERSIGHT_PUBLIC_URL, else the address this
 * server listens on (`config.port`, which the server sets to the port it was given).
 * Never a request's Host header: whoever sends the request chooses it, and a
 * confirmation link mailed to someone else would lead to the sender's host.
 */
export function emailLinkBase(config: Pick<Config, "publicUrl" | "port">): string {
  return config.publicUrl ?? `http://localhost:${config.port}`;
}
