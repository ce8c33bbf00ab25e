import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./context.js";
import { HttpError } from "./errors.js";

/**
 * A strict policy: only our own scripts, styles and images; no inline script, no framing.
 * A header a handler set itself is kept (`overwrite: false`): the evidence download's
 * stricter `default-src 'none'; sandbox` must not be replaced by the site's policy.
 */
export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
    referrerPolicy: "same-origin",
    crossOriginEmbedderPolicy: false,
    overwrite: false,
  });

export const SESSION_COOKIE = "oversight_session";
const ANON_CSRF_COOKIE = "oversight_csrf";
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Synchronizer-token CSRF protection for every form: a signed-in user's token is
 * the secret kept with their session; a visitor's is a random cookie. Unsafe
 * requests must echo it in the `_csrf` field or the `x-csrf-token` header.
 */
export function csrfProtection(getSessionSecret: (c: Context<AppEnv>) => string | undefined): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const expected = getSessionSecret(c) ?? visitorToken(c);
    c.set("csrfToken", expected);
    if (UNSAFE_METHODS.has(c.req.method)) {
      const presented = c.req.header("x-csrf-token") ?? (await formToken(c));
      if (!presented || !sameToken(presented, expected)) throw new HttpError(403, "error.csrf");
    }
    await next();
  };
}

function visitorToken(c: Context<AppEnv>): string {
  const existing = getCookie(c, ANON_CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32,64}$/.test(existing)) return existing;
  const token = randomBytes(24).toString("base64url");
  setCookie(c, ANON_CSRF_COOKIE, token, { httpOnly: true, sameSite: "Lax", path: "/", secure: isHttps(c) });
  return token;
}

async function formToken(c: Context<AppEnv>): Promise<string | undefined> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return undefined;
  const body = await c.req.parseBody();
  const value = body["_csrf"];
  return typeof value === "string" ? value : undefined;
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
}

/**
 * Private answers (anything for a signed-in user, or marked private) are never
 * stored by browsers or proxies.
 */
export const cacheControl = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  await next();
  if (c.get("actor")?.kind === "user" || c.res.headers.get("x-private") === "1") {
    c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.delete("x-private");
  } else if (!c.res.headers.has("Cache-Control")) {
    c.res.headers.set("Cache-Control", "no-cache");
  }
};

/**
 * A fixed-window limit per client address. In memory: one process serves a city
 * office; behind several processes, put the limit in the proxy.
 */
export function rateLimit(perMinute: number, clientKey: (c: Context) => string): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const now = Date.now();
    const key = clientKey(c);
    let window = windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (windows.size > 50_000) windows.clear();
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    const remaining = Math.max(0, perMinute - window.count);
    c.header("RateLimit-Limit", String(perMinute));
    c.header("RateLimit-Remaining", String(remaining));
    if (window.count > perMinute) {
      c.header("Retry-After", String(Math.ceil((window.start + 60_000 - now) / 1000)));
      throw new HttpError(429, "error.rateLimited");
    }
    await next();
  };
}

/**
 * The client's address, the key for per-address limits ("local" under app.request in tests). Behind a
 * proxy named in OVERSIGHT_TRUSTED_PROXIES, the rightmost X-Forwarded-For address that is not itself a
 * trusted proxy; a forwarded header from anyone else is ignored.
 */
export function clientAddress(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const socket = normalize(incoming?.socket?.remoteAddress ?? "local");
  const trusted = (c.get("deps") as AppEnv["Variables"]["deps"] | undefined)?.config.trustedProxies ?? [];
  if (!trusted.includes(socket)) return socket;
  const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map((hop) => normalize(hop.trim())).filter(Boolean);
  for (let i = forwarded.length - 1; i >= 0; i--) {
    if (!trusted.includes(forwarded[i])) return forwarded[i];
  }
  return socket;
}

/** "::ffff:10.0.0.1" (an IPv4 client on a dual-stack socket) is the same client as "10.0.0.1". */
function normalize(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
