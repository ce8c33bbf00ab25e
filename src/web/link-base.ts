import type { Context } from "hono";
import { emailLinkBase } from "../config.js";
import type { AppEnv } from "./context.js";

/**
 * Where links in emails point: the configured public address (OVERSIGHT_PUBLIC_URL),
 * else where this server listens; never the request's Host (see `emailLinkBase`).
 * A mail client cannot follow a bare path.
 */
export function linkBase(c: Context<AppEnv>): string {
  return emailLinkBase(c.get("deps").config);
}
