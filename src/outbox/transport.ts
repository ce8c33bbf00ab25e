import nodemailer, { type Transporter } from "nodemailer";

/** Timeouts short enough that one unreachable server cannot hold a batch past its lease. */
const CONNECTION_TIMEOUT_MS = 15_000;
const GREETING_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 60_000;

/** Keep SMTP connections open and reuse them (nodemailer's pooled SMTP). */
export interface SmtpPoolOptions {
  /** Connections open at once. nodemailer's default is 5. */
  maxConnections?: number;
  /** Messages over one connection before it is replaced. nodemailer's default is 100. */
  maxMessages?: number;
}

/**
 * A nodemailer SMTP transport from a URL such as `smtp://user:pass@host:587`
 * (STARTTLS when the server offers it) or `smtps://user:pass@host:465` (TLS from
 * the start). Percent-encode reserved characters in the user name and password.
 * Query parameters are nodemailer options and win over the `pool` argument
 * (`?maxConnections=4`, `?requireTLS=true`, `?tls.rejectUnauthorized=false`).
 * The sender is set per message by the outbox.
 *
 * Without `pool` every message opens, authenticates and closes its own
 * connection. With `pool` the transport keeps up to `maxConnections` open and
 * reuses them, which saves the connection, TLS handshake, greeting and AUTH per
 * message (most of the time on a real server, which often pauses before its
 * greeting); messages beyond the open connections wait inside the transport.
 * A pooled transport holds its connections until `close()` (or until idle for
 * a few minutes).
 *
 * Throws when the URL is not an smtp:// or smtps:// URL; the error never repeats
 * the URL, which holds the password.
 */
export function createSmtpTransport(url: string, options: { pool?: SmtpPoolOptions } = {}): Transporter {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("Invalid SMTP URL: expected smtp://user:pass@host:port or smtps://user:pass@host:port");
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") {
    throw new Error(`Invalid SMTP URL: the scheme must be smtp: or smtps:, not ${parsed.protocol}`);
  }
  if (!parsed.hostname) throw new Error("Invalid SMTP URL: it names no host");
  const timeouts = { connectionTimeout: CONNECTION_TIMEOUT_MS, greetingTimeout: GREETING_TIMEOUT_MS, socketTimeout: SOCKET_TIMEOUT_MS };
  if (!options.pool) return nodemailer.createTransport({ url, ...timeouts });
  const pool = { pool: true as const, maxConnections: positive(options.pool.maxConnections), maxMessages: positive(options.pool.maxMessages) };
  return nodemailer.createTransport({ url, ...timeouts, ...pool });
}

/** A whole number of at least 1, or undefined for nodemailer's default. */
function positive(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.max(1, Math.floor(value));
}
