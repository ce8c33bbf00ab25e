import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { createTestApp } from "../web/test-app.js";
import { refreshDerived } from "./derived-repo.js";
import { complaintQuerySchema, officerQuerySchema } from "./schema.js";
import { officerProfile, searchComplaints, searchOfficers } from "./service.js";

/**
 * The shortcuts that keep search and profiles fast at a million allegations:
 * complaint search pages before summarising and stops counting 1,000 past the
 * page; profiles read a precomputed peer count and count co-accused per
 * complaint. Each must answer what the slow way answered.
 */
describe(`complaint search counting and profile shortcuts (${testEngine})`, () => {
  let db: Db;
  let site: Awaited<ReturnType<typeof createTestApp>>;
  let agencyId: string;
  const officers: string[] = [];
  // 1,230 complaints: 1,200 mention "locker search", 30 "Operation/Personnel" (as CPDP writes the category).
  const COMMON = 1_200;
  const RARE = 30;

  before(async () => {
    db = await openTestDb();
    await db.transaction(async (tx) => {
      [{ id: agencyId }] = await tx.query<{ id: string }>("INSERT INTO agencies (slug, name) VALUES ('speed-pd', 'Speed PD') RETURNING id");
      const [{ id: other }] = await tx.query<{ id: string }>("INSERT INTO agencies (slug, name) VALUES ('other-pd', 'Other PD') RETURNING id");
      for (let i = 0; i < 5; i++) {
        const [{ id }] = await tx.query<{ id: string }>(
          "INSERT INTO people (first_name, last_name, full_name) VALUES ($1, 'Speedtest', $1 || ' Speedtest') RETURNING id", [`Officer${i}`],
        );
        officers.push(id);
        await tx.query("INSERT INTO employment (person_id, agency_id) VALUES ($1, $2)", [id, i < 4 ? agencyId : other]);
      }
      await tx.query(
        `INSERT INTO complaints (agency_id, external_id, incident_date, search_text)
         SELECT $1, 'S-' || lpad(n::text, 5, '0'), date '2020-01-01' + (n % 900), CASE WHEN n <= $2 THEN 'locker search' ELSE 'Operation/Personnel Violations' END
           FROM generate_series(1, $3::int) n`,
        [agencyId, COMMON, COMMON + RARE],
      );
      // Officer 0 and 1 share complaints S-00001..S-00010, with three allegations each on S-00001..S-00003.
      await tx.query(
        `INSERT INTO allegations (complaint_id, person_id, category)
         SELECT c.id, p.person_id, 'Use of force' FROM complaints c
           CROSS JOIN unnest($1::uuid[]) AS p(person_id)
           CROSS JOIN generate_series(1, CASE WHEN c.external_id <= 'S-00003' THEN 3 ELSE 1 END)
          WHERE c.external_id <= 'S-00010'`,
        [[officers[0], officers[1]]],
      );
      await tx.query(
        `INSERT INTO allegations (complaint_id, person_id, category)
         SELECT c.id, $1, 'Search' FROM complaints c WHERE c.external_id IN ('S-00001', 'S-00002')`,
        [officers[2]],
      );
      for (const [first, last] of [["Michael", "Tomasiello"], ["Michael", "Jones"], ["Michael", "Tomaszewski"], ["Anna", "Tomasiello"], ["J", "Q"]]) {
        await tx.query("INSERT INTO people (first_name, last_name, full_name) VALUES ($1, $2, $1 || ' ' || $2)", [first, last]);
      }
      await refreshDerived(tx);
    });
    site = await createTestApp({ db });
  });
  after(() => db.close());

  it("gives the exact total under 1,000 matches and the same newest-first page as sorting every match", async () => {
    const page = await searchComplaints(db, complaintQuerySchema.parse({ q: "personnel", per_page: 10 }));
    assert.equal(page.total, RARE);
    assert.equal(page.totalExact, true);
    const expected = await db.query<{ external_id: string }>(
      "SELECT external_id FROM complaints WHERE search_text LIKE 'Operation%' ORDER BY incident_date DESC, external_id LIMIT 10",
    );
    assert.deepEqual(page.items.map((row) => row.external_id), expected.map((row) => row.external_id));
  });

  it("finds both words of a slash-joined category", async () => {
    for (const q of ["operation", "personnel", "Operation/Personnel"]) {
      const page = await searchComplaints(db, complaintQuerySchema.parse({ q }));
      assert.equal(page.total, RARE, q);
    }
  });

  it("stops counting 1,000 past the page and says so, in the API and on the page", async () => {
    const first = await searchComplaints(db, complaintQuerySchema.parse({ q: "locker" }));
    assert.deepEqual([first.total, first.totalExact, first.items.length], [1_000, false, 25]);
    const deep = await searchComplaints(db, complaintQuerySchema.parse({ q: "locker", page: 10, per_page: 25 }));
    assert.deepEqual([deep.total, deep.totalExact], [COMMON, true], "close enough to the end to count exactly");

    const api = await site.app.request("/api/v1/complaints?q=locker");
    const body = await api.json();
    assert.equal(body.total, 1_000);
    assert.equal(body.totalExact, false);
    assert.match(api.headers.get("link") ?? "", /page=2>; rel="next"/);

    const en = await (await site.app.request("/complaints?q=locker&lang=en")).text();
    assert.match(en, /More than 1,000 results/);
    assert.match(en, /Page 1 of 40\+/);
    const es = await (await site.app.request("/complaints?q=locker&lang=es")).text();
    assert.match(es, /Más de 1[.,]000 resultados/);
  });

  it("counts co-accused once per shared complaint however many allegations each has", async () => {
    const profile = (await officerProfile(db, officers[0]))!;
    const byId = new Map(profile.coAccused.map((row) => [row.id, row.shared_complaints]));
    assert.equal(byId.get(officers[1]), 10);
    assert.equal(byId.get(officers[2]), 2);
    assert.equal(byId.has(officers[0]), false, "never their own co-accused");
    assert.deepEqual(profile.coAccused.map((row) => row.id), [officers[1], officers[2]], "most shared first");
  });

  it("reads peers as the number of officers in the agency, kept current by the rebuild", async () => {
    const profile = (await officerProfile(db, officers[0]))!;
    assert.equal(profile.stats?.peers, 4);
    await db.transaction(async (tx) => {
      await tx.query("UPDATE employment SET agency_id = $1 WHERE person_id = $2", [agencyId, officers[4]]);
      await refreshDerived(tx);
    });
    assert.equal((await officerProfile(db, officers[0]))!.stats?.peers, 5);
    assert.equal((await officerProfile(db, officers[4]))!.stats?.peers, 5);
  });

  it("matches every word of a name on its own, each allowed a typo", async () => {
    const names = async (q: string) => (await searchOfficers(db, officerQuerySchema.parse({ q }))).items.map((row) => row.full_name);
    const both = await names("Michael Tomasielo");
    assert.equal(both[0], "Michael Tomasiello", "the closest name first");
    assert.ok(!both.includes("Michael Jones") && !both.includes("Anna Tomasiello"), "not every Michael, not every Tomasiello");
    assert.equal((await names("Micheal Tomasiello"))[0], "Michael Tomasiello");
    assert.deepEqual((await names("Tomasielo")).slice(0, 2).sort(), ["Anna Tomasiello", "Michael Tomasiello"]);
    assert.deepEqual(await names("M Jones"), ["Michael Jones"], "an initial does not have to match");
    assert.ok((await names("J Q")).includes("J Q"), "a query of initials alone is matched as written");
    assert.equal((await names("J Q")).length < 5, true, "and does not list everyone");
  });
});
