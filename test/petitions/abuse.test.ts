import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../../src/db/test-db.js";
import * as repo from "../../src/campaign/petitions/repo.js";
import { rejectionCounts } from "../../src/campaign/petitions/service.js";
import { createPetitionTestApp, makePetition, sign, visit, type PetitionTestApp } from "../../src/campaign/petitions/test-support.js";

const refusedReason = async (response: Response) => /data-reason="([a-z_]+)"/.exec(await response.text())?.[1];

/**
 * Duplicates and bots: the same address with variations, one network flooding,
 * scripted posts without the page's token. Each is refused with a clear message
 * and counted by reason.
 */
describe(`petitions: duplicates, rate limits and bots (${testEngine})`, () => {
  let site: PetitionTestApp;
  let petitionId: string;
  const slug = "test-petition";
  const counts = async () => {
    await site.runtime.rejections.flush(site.db);
    return rejectionCounts(site.db, petitionId);
  };

  before(async () => {
    site = await createPetitionTestApp({ settings: { addressLimit: 4, networkLimit: 6, limitWindowSeconds: 600 } });
    petitionId = await makePetition(site.db);
  });
  after(() => site.close());

  it("catches the same Gmail address written with dots, +tags, capitals and googlemail.com", async () => {
    const variations = ["Jane.Doe@gmail.com", "janedoe@gmail.com", "j.a.n.e.d.o.e+petition@GMAIL.com", " JaneDoe+x@googlemail.com "];
    const answers: number[] = [];
    let address = 1;
    for (const email of variations) {
      const visitor = await visit(site.app, slug, `203.0.113.${address++}`);
      const response = await sign(site.app, slug, visitor, { email });
      answers.push(response.status);
      if (response.status === 409) {
        const html = await response.text();
        assert.match(html, /has already signed this petition/);
        assert.match(html, /data-reason="duplicate"/);
      }
    }
    assert.deepEqual(answers, [200, 409, 409, 409]);
    // The first duplicate of a pending signature sends its link again, once; later ones do not.
    const mail = await site.db.query<{ template: string; to_address: string }>("SELECT template, to_address FROM email_outbox WHERE template LIKE 'petition.confirm%' ORDER BY created_at");
    assert.deepEqual(mail.map((m) => m.template), ["petition.confirm", "petition.confirm.resend"]);
    assert.equal(mail[1].to_address, "janedoe@gmail.com", "the link goes again to the address as typed this time");
    const [tally] = await repo.tallies(site.db, [petitionId]);
    assert.equal(tally.pending, 1);
    assert.equal((await counts()).duplicate, 3);
  });

  it("strips +tags only for providers that honour them, and never merges different people", async () => {
    const cases: [string, number][] = [
      ["sam+one@outlook.com", 200], ["Sam@Outlook.com", 409], // Outlook delivers +tags to the same mailbox
      ["sam+one@example.org", 200], ["sam@example.org", 200], // unknown provider: "+" may be part of the name
      ["s.am@example.org", 200], // dots matter outside Gmail
      ["kim@me.com", 200], ["kim+tag@icloud.com", 409], // me.com is icloud.com
    ];
    let n = 20;
    for (const [email, expected] of cases) {
      const visitor = await visit(site.app, slug, `198.18.${n}.1`);
      const response = await sign(site.app, slug, visitor, { email });
      assert.equal(response.status, expected, email);
      n += 1;
    }
  });

  it("limits signatures per address and per network, says when to come back, and counts them", async () => {
    const before = await counts();
    // One address: the limit is 4 attempts per window.
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i += 1) {
      const visitor = await visit(site.app, slug, "192.0.2.10");
      last = await sign(site.app, slug, visitor, { email: `flood-${i}@example.net` });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
    assert.ok(Number(last!.headers.get("retry-after")) > 0, "Retry-After says when to come back");
    assert.match(await last!.text(), /Too many signatures came from your internet connection/);

    // The same /24 from other addresses: the network limit (6) stops the flood.
    const network: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const visitor = await visit(site.app, slug, `192.0.2.${100 + i}`);
      const response = await sign(site.app, slug, visitor, { email: `net-${i}@example.net` });
      network.push(response.status);
      if (response.status === 429) assert.equal(await refusedReason(response), "rate_limited_network");
    }
    // Attempts the address limit refused do not use up the network's allowance: one noisy host
    // does not lock out its neighbours. 4 + 2 accepted from 192.0.2.0/24, then the network is full.
    assert.deepEqual(network, [200, 200, 429, 429]);

    // Another network is not affected.
    const other = await visit(site.app, slug, "192.0.3.10");
    assert.equal((await sign(site.app, slug, other, { email: "neighbour@example.net" })).status, 200);

    const after = await counts();
    assert.equal(after.rate_limited_address - before.rate_limited_address, 2);
    assert.equal(after.rate_limited_network - before.rate_limited_network, 2);
  });

  it("treats an IPv6 /64 as one address and a /48 as one network", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      // Rotating addresses inside one /64, as a single host can.
      const address = `2001:db8:aaaa:1::${(i + 1).toString(16)}`;
      const visitor = await visit(site.app, slug, address);
      statuses.push((await sign(site.app, slug, visitor, { email: `v6-${i}@example.net` })).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    const network: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const visitor = await visit(site.app, slug, `2001:db8:aaaa:${(i + 2).toString(16)}::1`);
      network.push((await sign(site.app, slug, visitor, { email: `v6net-${i}@example.net` })).status);
    }
    assert.deepEqual(network, [200, 200, 429]);
  });

  it("refuses scripted posts without the page's token, and counts them", async () => {
    const before = await counts();
    const visitor = await visit(site.app, slug, "198.51.100.50");
    // No form token: the script never loaded the petition page.
    const noForm = await sign(site.app, slug, visitor, { email: "bot1@example.com", _form: null });
    assert.equal(noForm.status, 403);
    const html = await noForm.text();
    assert.match(html, /did not come from the petition&#39;s page/);
    // A token copied from another visitor's page does not match this visitor.
    const other = await visit(site.app, slug, "198.51.100.51");
    assert.equal((await sign(site.app, slug, visitor, { email: "bot2@example.com", _form: other.form })).status, 403);
    // A forged token.
    assert.equal((await sign(site.app, slug, visitor, { email: "bot3@example.com", _form: "abc.forged" })).status, 403);
    // No CSRF token at all: refused by the site's CSRF check, and still counted here.
    const noCsrf = await sign(site.app, slug, visitor, { email: "bot4@example.com", _csrf: null });
    assert.equal(noCsrf.status, 403);
    assert.match(await noCsrf.text(), /This form has expired/);
    // A bare post with no cookie and no fields.
    const bare = await site.app.request(`/petitions/${slug}/sign`, { method: "POST", body: new URLSearchParams({ name: "x", email: "bot5@example.com", zip: "64106" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(bare.status, 403);
    // A honeypot field filled in.
    const honey = await sign(site.app, slug, visitor, { email: "bot6@example.com", website: "http://spam.example" });
    assert.equal(honey.status, 400);
    assert.match(await honey.text(), /filled in by a program/);

    const after = await counts();
    assert.equal(after.missing_token - before.missing_token, 5);
    assert.equal(after.honeypot - before.honeypot, 1);
    const stored = await site.db.query("SELECT 1 FROM petition_signatures WHERE petition_id = $1 AND status = 'pending' AND network = '198.51.100.0/24'", [petitionId]);
    assert.equal(stored.length, 0, "no bot signature was stored");
  });

  it("shows organizers the refusals by reason", async () => {
    const manage = await site.app.request(`/petitions/${slug}/manage`);
    assert.equal(manage.status, 403, "the public cannot see the manage page");
  });
});
