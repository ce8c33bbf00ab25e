/**
 * Test support for the office's staff pages and API: a staff account signed in
 * through /login on a test app, with helpers that send its session cookie and
 * CSRF token the way a browser form or an API script would.
 */
import { createUser } from "../auth/service.js";
import type { Role } from "../auth/roles.js";
import { cookieFrom, type createTestApp } from "../web/test-app.js";

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export interface StaffClient {
  id: string;
  cookie: string;
  csrf: string;
  /** GET a page or API path as this user. */
  get(path: string, lang?: "en" | "es"): Promise<Response>;
  /** POST a form (the CSRF field is added). */
  form(path: string, fields: Record<string, string | string[]>): Promise<Response>;
  /** Send JSON with the CSRF header, as an API script would. */
  json(method: "POST" | "PUT" | "PATCH", path: string, body: unknown): Promise<Response>;
}

/** Creates the account and signs it in through the real /login form. */
export async function staffClient(site: TestApp, who: { email: string; displayName: string; role: Role; password?: string }): Promise<StaffClient> {
  const password = who.password ?? `${who.role} password for tests`;
  const id = await createUser(site.db, { email: who.email, displayName: who.displayName, password, role: who.role }, "test");
  const loginForm = await site.app.request("/login");
  const anonCsrf = cookieFrom(loginForm, "oversight_csrf")!;
  const login = await site.app.request("/login", {
    method: "POST",
    body: new URLSearchParams({ email: who.email, password, _csrf: anonCsrf }),
    headers: { cookie: `oversight_csrf=${anonCsrf}`, "content-type": "application/x-www-form-urlencoded" },
  });
  const cookie = `oversight_session=${cookieFrom(login, "oversight_session")}`;
  const home = await (await site.app.request("/", { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home)![1];
  return {
    id, cookie, csrf,
    get: async (path, lang) => site.app.request(lang ? `${path}${path.includes("?") ? "&" : "?"}lang=${lang}` : path, { headers: { cookie } }),
    form: async (path, fields) => {
      const body = new URLSearchParams({ _csrf: csrf });
      for (const [key, value] of Object.entries(fields)) for (const one of ([] as string[]).concat(value)) body.append(key, one);
      return site.app.request(path, { method: "POST", body, headers: { cookie, "content-type": "application/x-www-form-urlencoded" } });
    },
    json: async (method, path, body) => site.app.request(path, { method, body: JSON.stringify(body), headers: { cookie, "x-csrf-token": csrf, "content-type": "application/json" } }),
  };
}

/** The visible text of a page's element found by a plain tag/attribute pattern, without tags, for assertions. */
export function textOf(html: string, start: RegExp): string {
  const at = html.search(start);
  if (at < 0) return "";
  const end = html.indexOf("</section>", at);
  return html.slice(at, end < 0 ? undefined : end).replace(/<[^>]+>/g, " ").replace(/&#39;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
}
