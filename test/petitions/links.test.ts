import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testEngine } from "../../src/db/test-db.js";
import { createPetitionTestApp, from, makePetition, type PetitionTestApp } from "../../src/campaign/petitions/test-support.js";

/**
 * A confirmation link carries the token that confirms a signature: mailed to the
 * signer, it must lead to this site whatever Host header the signing request named,
 * or anyone could sign with a victim's address and collect the victim's click.
 */
describe(`petitions: confirmation links come from the configuration, never the request (${testEngine})`, () => {
  const sites: PetitionTestApp[] = [];
  after(() => Promise.all(sites.map((site) => site.close())));

  /** Loads the form and signs it, both with `Host: evil.example`; returns the queued confirmation email's text. */
  async function signThroughForgedHost(site: PetitionTestApp, email: string): Promise<string> {
    const headers = { host: "evil.example" };
    const page = await site.app.request("http://evil.example/petitions/test-petition", { headers }, from("198.51.100.9"));
    assert.equal(page.status, 200);
    const html = await page.text();
    const cookie = /oversight_csrf=([^;]+)/.exec(page.headers.getSetCookie().join(";"))![1];
    const body = new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(html)![1], _form: /name="_form" value="([^"]+)"/.exec(html)![1], name: "Ada Signer", email, zip: "64106" });
    const signed = await site.app.request("http://evil.example/petitions/test-petition/sign", { method: "POST", body, headers: { ...headers, cookie: `oversight_csrf=${cookie}`, "content-type": "application/x-www-form-urlencoded" } }, from("198.51.100.9"));
    assert.equal(signed.status, 200);
    const [mail] = await site.db.query<{ body_text: string }>("SELECT body_text FROM email_outbox WHERE to_address = $1 AND template = 'petition.confirm'", [email]);
    assert.ok(mail, "a confirmation email is queued");
    return mail.body_text;
  }

  it("without OVERSIGHT_PUBLIC_URL, the link names where the server listens", async () => {
    const site = await createPetitionTestApp({ env: { PORT: "8123" } });
    sites.push(site);
    await makePetition(site.db);
    const text = await signThroughForgedHost(site, "victim@example.org");
    assert.match(text, /http:\/\/localhost:8123\/petitions\/confirm\/[^\s]+/);
    assert.doesNotMatch(text, /evil\.example/);
  });

  it("with OVERSIGHT_PUBLIC_URL, the link names it", async () => {
    const site = await createPetitionTestApp({ env: { OVERSIGHT_PUBLIC_URL: "https://oversight.example.org" } });
    sites.push(site);
    await makePetition(site.db);
    const text = await signThroughForgedHost(site, "victim@example.org");
    assert.match(text, /https:\/\/oversight\.example\.org\/petitions\/confirm\/[^\s]+/);
    assert.doesNotMatch(text, /evil\.example/);
  });
});
