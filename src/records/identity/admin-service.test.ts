import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { verifyAuditLog } from "../../audit/service.js";
import { createUser } from "../../auth/service.js";
import type { Db } from "../../db/db.js";
import { testEngine } from "../../db/test-db.js";
import { cookieFrom, createTestApp } from "../../web/test-app.js";
import { refreshDerived } from "../derived-repo.js";
import { mergePeople, splitPerson } from "./admin-service.js";

/** Two people: Ann (two mentions, one wrongly linked) and Bea; allegations tied to mentions. */
async function fixture(db: Db) {
  const [agency] = await db.query<{ id: string }>("INSERT INTO agencies (slug, name) VALUES ('t-pd', 'Test PD') RETURNING id");
  const [complaint] = await db.query<{ id: string }>("INSERT INTO complaints (agency_id, external_id) VALUES ($1, 'C1') RETURNING id", [agency.id]);
  const person = async (first: string, last: string) =>
    (await db.query<{ id: string }>("INSERT INTO people (first_name, last_name, full_name) VALUES ($1, $2, $1 || ' ' || $2) RETURNING id", [first, last]))[0].id;
  const mention = async (personId: string, source: string, localId: string, first: string, last: string) =>
    (await db.query<{ id: string }>(
      "INSERT INTO person_mentions (person_id, source, local_id, attributes, link_rule) VALUES ($1, $2, $3, $4, 'cpdp:test') RETURNING id",
      [personId, source, localId, JSON.stringify({ firstName: first, lastName: last, middleInitial: null })],
    ))[0].id;
  const ann = await person("Ann", "Able");
  const bea = await person("Bea", "Baker");
  const annRoster = await mention(ann, "roster", "1", "ANN", "ABLE");
  const wrong = await mention(ann, "accused", "9", "ANNA", "ABEL");
  const beaRoster = await mention(bea, "roster", "2", "BEA", "BAKER");
  const allegation = (personId: string, mentionId: string, category: string) =>
    db.query("INSERT INTO allegations (complaint_id, person_id, mention_id, category, final_finding) VALUES ($1, $2, $3, $4, 'sustained')", [complaint.id, personId, mentionId, category]);
  await allegation(ann, annRoster, "force");
  await allegation(ann, wrong, "search");
  await allegation(ann, wrong, "arrest");
  await allegation(bea, beaRoster, "verbal");
  await db.query("INSERT INTO employment (person_id, agency_id, mention_id, badge) VALUES ($1, $2, $3, '100')", [ann, agency.id, annRoster]);
  await refreshDerived(db);
  return { ann, bea, wrong, annRoster };
}

const count = async (db: Db, personId: string) =>
  (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM allegations WHERE person_id = $1", [personId]))[0].n;

describe(`merging and splitting people (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let db: Db;
  let people: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    site = await createTestApp();
    db = site.db;
    people = await fixture(db);
  });
  after(() => site.close());

  it("splits a wrongly linked mention off, with the rows that came through it, and audits it", async () => {
    const { newPerson } = await splitPerson(db, "user:test", people.ann, { mentions: [people.wrong], reason: "different birth year on paper file" });
    assert.equal(await count(db, people.ann), 1);
    assert.equal(await count(db, newPerson), 2);
    const [created] = await db.query<{ full_name: string }>("SELECT full_name FROM people WHERE id = $1", [newPerson]);
    assert.equal(created.full_name, "Anna Abel");
    const [entry] = await db.query<{ action: string; entry: string }>("SELECT action, entry FROM audit_log ORDER BY seq DESC LIMIT 1");
    assert.equal(entry.action, "person.split");
    assert.match(entry.entry, /different birth year/);
    people.wrong = newPerson;
  });

  it("refuses to split off every mention, or a mention of someone else", async () => {
    await assert.rejects(splitPerson(db, "user:test", people.ann, { mentions: [people.annRoster], reason: "all of them" }), /at least one mention must stay/);
    const [beaMention] = await db.query<{ id: string }>("SELECT id FROM person_mentions WHERE person_id = $1", [people.bea]);
    await assert.rejects(splitPerson(db, "user:test", people.ann, { mentions: [beaMention.id], reason: "not hers" }), /must belong to this person/);
  });

  it("merges one person into another: rows move, the old id redirects, search hides it", async () => {
    await mergePeople(db, "user:test", people.wrong, { into: people.bea, reason: "same officer, confirmed with roster" });
    assert.equal(await count(db, people.bea), 3);
    assert.equal(await count(db, people.wrong), 0);
    const page = await site.app.request(`/officers/${people.wrong}`);
    assert.equal(page.status, 301);
    assert.match(page.headers.get("location") ?? "", new RegExp(people.bea));
    const search = await (await site.app.request("/api/v1/officers?q=Anna%20Abel")).json();
    assert.ok(!search.items.some((item: { id: string }) => item.id === people.wrong));
    await assert.rejects(mergePeople(db, "user:test", people.wrong, { into: people.ann, reason: "again" }), /already merged/);
    assert.equal((await verifyAuditLog(db)).ok, true);
  });

  it("lets only an administrator merge through the site, and names a bad field", async () => {
    await createUser(db, { email: "admin@example.org", displayName: "Admin", password: "a long admin password", role: "admin" }, "test");
    await createUser(db, { email: "intake@example.org", displayName: "Intake", password: "a long intake password", role: "intake" }, "test");
    const signIn = async (email: string, password: string) => {
      const form = await site.app.request("/login");
      const csrf = cookieFrom(form, "oversight_csrf")!;
      const response = await site.app.request("/login", { method: "POST", body: new URLSearchParams({ email, password, _csrf: csrf }), headers: { cookie: `oversight_csrf=${csrf}`, "content-type": "application/x-www-form-urlencoded" } });
      const session = cookieFrom(response, "oversight_session")!;
      const page = await (await site.app.request(`/officers/${people.ann}`, { headers: { cookie: `oversight_session=${session}` } })).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(page)![1];
      return { session, token, page };
    };
    const post = (who: { session: string; token: string }, body: Record<string, string>) =>
      site.app.request(`/officers/${people.ann}/merge`, { method: "POST", body: new URLSearchParams({ ...body, _csrf: who.token }), headers: { cookie: `oversight_session=${who.session}`, "content-type": "application/x-www-form-urlencoded" } });
    const intake = await signIn("intake@example.org", "a long intake password");
    assert.doesNotMatch(intake.page, /identity-admin/);
    assert.equal((await post(intake, { into: people.bea, reason: "try" })).status, 403);
    const admin = await signIn("admin@example.org", "a long admin password");
    assert.match(admin.page, /identity-admin/);
    const bad = await post(admin, { into: "not-an-id", reason: "x" });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /into/);
    assert.equal(await count(db, people.ann), 1, "nothing moved");
  });
});
