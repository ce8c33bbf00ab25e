import type { Context } from "hono";
import type { AppEnv } from "./context.js";

/**
 * Where links in emails point: the configured public address (OVERSIGHT_PUBLIC_URL),
 * else the address this request came in on. A mail client cannot follow a bare path.
 */
export function linkBase(c: Context<AppEnv>): string {
  return c.get("deps").config.publicUrl ?? new URL(c.req.url).origin;
}
