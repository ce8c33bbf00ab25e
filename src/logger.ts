import pino, { type Logger } from "pino";

/**
 * Structured logs. Callers pass ids and paths only: never names, contact details,
 * receipts or free text, which may identify a complainant.
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, redact: { paths: ["*.password", "*.email", "*.receipt", "*.name"], censor: "[redacted]" } });
}
