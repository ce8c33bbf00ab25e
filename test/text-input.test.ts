import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createPetitionTestApp, makePetition, sign, visit, type PetitionTestApp } from "../src/campaign/petitions/test-support.js";
import { openText } from "../src/db/data-key.js";
import { testEngine } from "../src/db/test-db.js";
import { cookieFrom } from "../src/web/test-app.js";

const RLO = "\u202E";

/** Text typed into the site's forms is stored without direction overrides, whichever form it came through. */
describe(`free text is stored without bidirectional overrides (${testEngine})`, () => {
  let site: PetitionTestApp;
  before(async () => {
    site = await createPetitionTestApp();
    await makePetition(site.db);
  });
  after(() => site.close());

  it("a complaint's narrative", async () => {
    const page = await site.app.request("/complaints/new");
    const token = cookieFrom(page, "oversight_csrf")!;
    const body = new FormData();
    for (const [key, value] of Object.entries({ _csrf: token, narrative: `The officer's badge read ${RLO}1144 and he shouted.`, anonymous: "1" })) body.set(key, value);
    const filed = await site.app.request("/complaints/new", { method: "POST", body, headers: { cookie: `oversight_csrf=${token}` } });
    assert.equal(filed.status, 200);
    const [row] = await site.db.query<{ narrative: string }>("SELECT narrative FROM cases ORDER BY received_at DESC LIMIT 1");
    assert.equal(openText(row.narrative), "The officer's badge read 1144 and he shouted.", "stored (sealed) without the override");
  });

  it("a petition signer's name", async () => {
    const visitor = await visit(site.app, "test-petition");
    const response = await sign(site.app, "test-petition", visitor, { name: `Ada ${RLO}regniS`, email: "ada.rlo@example.org" });
    assert.equal(response.status, 200);
    const rows = await site.db.query<{ name: string }>("SELECT name FROM petition_signatures");
    assert.deepEqual(rows.map((row) => row.name), ["Ada regniS"]);
  });
});
