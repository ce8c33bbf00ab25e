import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createUser } from "./auth/service.js";
import { testEngine } from "./db/test-db.js";
import { cookieFrom, createTestApp } from "./web/test-app.js";

describe(`the web app (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => {
    site = await createTestApp();
    await createUser(site.db, { email: "staff@example.org", displayName: "Staff Person", password: "correct horse battery", role: "intake" }, "test");
  });
  after(() => site.close());

  it("sends a strict Content-Security-Policy and other security headers", async () => {
    const response = await site.app.request("/");
    assert.equal(response.status, 200);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
  });

  it("speaks Spanish when asked by ?lang=es or by the browser's Accept-Language", async () => {
    const byQuery = await (await site.app.request("/?lang=es")).text();
    assert.match(byQuery, /<html lang="es">/);
    assert.match(byQuery, /Registros públicos/);
    const byHeader = await (await site.app.request("/", { headers: { "accept-language": "es-MX,es;q=0.9,en;q=0.5" } })).text();
    assert.match(byHeader, /<html lang="es">/);
    const english = await (await site.app.request("/", { headers: { "accept-language": "fr, en;q=0.5" } })).text();
    assert.match(english, /<html lang="en">/);
  });

  it("answers an unknown page with 404 as HTML, and an unknown API path as JSON", async () => {
    const page = await site.app.request("/no-such-page");
    assert.equal(page.status, 404);
    assert.match(await page.text(), /could not find/);
    const api = await site.app.request("/api/v1/no-such-thing");
    assert.equal(api.status, 404);
    assert.equal((await api.json()).error.status, 404);
  });

  it("refuses a form post without the CSRF token, and accepts it with the token", async () => {
    const form = await site.app.request("/login");
    const csrf = cookieFrom(form, "oversight_csrf")!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
    assert.equal(token, csrf);
    const body = new URLSearchParams({ email: "staff@example.org", password: "correct horse battery" });
    const refused = await site.app.request("/login", { method: "POST", body, headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /expired/);
    body.set("_csrf", token);
    const accepted = await site.app.request("/login", { method: "POST", body, headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(accepted.status, 303);
    assert.ok(cookieFrom(accepted, "oversight_session"));
  });

  it("signs in with argon2id, marks private pages no-store, and signs out", async () => {
    const form = await site.app.request("/login");
    const csrf = cookieFrom(form, "oversight_csrf")!;
    const login = await site.app.request("/login", {
      method: "POST",
      body: new URLSearchParams({ email: "STAFF@example.org", password: "correct horse battery", _csrf: csrf }),
      headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
    });
    const session = cookieFrom(login, "oversight_session")!;
    const [hashRow] = await site.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE email = 'staff@example.org'");
    assert.match(hashRow.password_hash, /^\$argon2id\$/);
    const home = await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } });
    assert.match(await home.text(), /Signed in as Staff Person/);
    assert.equal(home.headers.get("cache-control"), "no-store");
    const sessionCsrf = /name="_csrf" value="([^"]+)"/.exec(await (await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } })).text())![1];
    const logout = await site.app.request("/logout", {
      method: "POST",
      body: new URLSearchParams({ _csrf: sessionCsrf }),
      headers: { cookie: `oversight_session=${session}`, "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(logout.status, 303);
    const after = await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } });
    assert.doesNotMatch(await after.text(), /Signed in as/);
  });

  it("gives the same answer for a wrong password and an unknown email", async () => {
    const form = await site.app.request("/login");
    const csrf = cookieFrom(form, "oversight_csrf")!;
    const attempt = (email: string) =>
      site.app.request("/login", {
        method: "POST",
        body: new URLSearchParams({ email, password: "wrong password here", _csrf: csrf }),
        headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" },
      });
    const wrong = await attempt("staff@example.org");
    const unknown = await attempt("nobody@example.org");
    assert.equal(wrong.status, 400);
    assert.equal(unknown.status, 400);
    assert.match(await wrong.text(), /do not match an active account/);
    assert.match(await unknown.text(), /do not match an active account/);
  });

  it("answers 429 past the API rate limit", async () => {
    const limited5 = await createTestApp({ apiRateLimit: 5, db: site.db });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await limited5.app.request("/api/v1/stats")).status);
    assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
    assert.equal(statuses[5], 429);
    const limited = await limited5.app.request("/api/v1/stats");
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
  });
});
