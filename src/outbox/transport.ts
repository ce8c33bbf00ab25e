import nodemailer, { type Transporter } from "nodemailer";

/** Timeouts short enough that one unreachable server cannot hold a batch past its lease. */
const CONNECTION_TIMEOUT_MS = 15_000;
const GREETING_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 60_000;

/**
 * A nodemailer SMTP transport from a URL such as `smtp://user:pass@host:587`
 * (STARTTLS when the server offers it) or `smtps://user:pass@host:465` (TLS from
 * the start). Percent-encode reserved characters in the user name and password.
 * Query parameters are nodemailer options (`?pool=true`, `?requireTLS=true`,
 * `?tls.rejectUnauthorized=false`). The sender is set per message by the outbox.
 *
 * Throws when the URL is not an smtp:// or smtps:// URL; the error never repeats
 * the URL, which holds the password.
 */
export function createSmtpTransport(url: string): Transporter {
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
  return nodemailer.createTransport({ url, connectionTimeout: CONNECTION_TIMEOUT_MS, greetingTimeout: GREETING_TIMEOUT_MS, socketTimeout: SOCKET_TIMEOUT_MS });
}
