/**
 * Test support: the real app (createTestApp) with the budget routes mounted on it, exactly as
 * src/app.tsx will mount them (`app.route("/", budgetRoutes())` after the other modules), and a
 * signed-in session for an organizer or admin.
 */
import { createUser, signIn } from "../auth/service.js";
import type { Db } from "../db/db.js";
import { createTestApp, cookieFrom } from "../web/test-app.js";
import { budgetRoutes } from "./routes.js";

export async function createBudgetTestApp(options: { db?: Db; demo?: boolean } = {}) {
  const base = await createTestApp(options);
  base.app.route("/", budgetRoutes());
  return base;
}

export interface Session {
  cookie: string;
  csrf: string;
}

/** A visitor's CSRF cookie and token, taken from any page with a form. */
export async function visitor(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, path: string): Promise<Session & { html: string }> {
  const response = await app.request(path);
  const html = await response.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const token = cookieFrom(response, "oversight_csrf") ?? "";
  return { cookie: `oversight_csrf=${token}`, csrf, html };
}

/** Creates a user with the role and signs them in; returns the session cookie and CSRF token. */
export async function signedIn(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, db: Db, role: "admin" | "organizer" | "intake" = "organizer"): Promise<Session> {
  const email = `${role}-${Math.random().toString(36).slice(2)}@budget.test`;
  const password = "budget-test-password-1234";
  await createUser(db, { email, displayName: `Test ${role}`, password, role }, "system");
  const session = await signIn(db, email, password);
  if (session.kind !== "signedIn") throw new Error("sign-in failed");
  const cookie = `oversight_session=${session.token}`;
  const page = await app.request("/budget/admin", { headers: { cookie } });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  return { cookie, csrf };
}

/** A form POST with the session's cookie and CSRF token. */
export function post(app: { request: (path: string, init?: RequestInit) => Response | Promise<Response> }, session: Session, path: string, fields: Record<string, string | string[]>) {
  const body = new URLSearchParams();
  body.set("_csrf", session.csrf);
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  return app.request(path, { method: "POST", body, headers: { cookie: session.cookie, "content-type": "application/x-www-form-urlencoded" } });
}
