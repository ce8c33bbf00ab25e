/**
 * Test support for the account pages: sign an existing account in through the
 * real /login form (from a given browser), and send its cookie and CSRF token.
 */
import { cookieFrom, type createTestApp } from "../web/test-app.js";

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export interface SignedIn {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  form(path: string, fields: Record<string, string>): Promise<Response>;
}

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

export async function signInThroughForm(site: TestApp, email: string, password: string, userAgent = FIREFOX_LINUX): Promise<SignedIn> {
  const loginForm = await site.app.request("/login");
  const anonCsrf = cookieFrom(loginForm, "oversight_csrf")!;
  const login = await site.app.request("/login", {
    method: "POST",
    body: new URLSearchParams({ email, password, _csrf: anonCsrf }),
    headers: { cookie: `oversight_csrf=${anonCsrf}`, "content-type": "application/x-www-form-urlencoded", "user-agent": userAgent },
  });
  const token = cookieFrom(login, "oversight_session");
  if (login.status !== 303 || !token) throw new Error(`sign-in answered ${login.status}`);
  const cookie = `oversight_session=${token}`;
  // A page open to everyone signed in, even an administrator who must first enrol in two-factor.
  const home = await (await site.app.request("/account/confirm", { headers: { cookie } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home)![1];
  return {
    cookie, csrf,
    get: async (path) => site.app.request(path, { headers: { cookie, "user-agent": userAgent } }),
    form: async (path, fields) => site.app.request(path, { method: "POST", body: new URLSearchParams({ _csrf: csrf, ...fields }), headers: { cookie, "content-type": "application/x-www-form-urlencoded", "user-agent": userAgent } }),
  };
}
