/** The budget pages and API through app.request(), on the real app with the budget routes mounted. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { testEngine } from "../db/test-db.js";
import { TEST_SECRET } from "../web/test-app.js";
import { budgetEn, budgetEs } from "./i18n.js";
import * as pb from "./pb-service.js";
import { DEMO_CODES, DEMO_RESULTS_SLUG, DEMO_VOTING_SLUG, KC_CITY, seedBudgetDemo, seedKansasCityBudget } from "./seed.js";
import { createBudgetTestApp, post, signedIn, visitor, type Session } from "./test-app.js";

type App = Awaited<ReturnType<typeof createBudgetTestApp>>["app"];
const decode = (html: string) => html.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe(`budget routes (${testEngine})`, () => {
  let app: App;
  let db: Db;
  let close: () => Promise<void>;
  let years: { id: string; city: string; fiscalYear: number }[];
  before(async () => {
    ({ app, db, close } = await createBudgetTestApp());
    await seedKansasCityBudget(db);
    await seedBudgetDemo(db, { secret: TEST_SECRET });
    years = ((await (await app.request("/api/v1/budget/years")).json()) as { years: typeof years }).years;
  });
  after(() => close());

  const html = async (path: string, init?: RequestInit) => {
    const response = await app.request(path, init);
    return { status: response.status, text: decode(await response.text()), response };
  };

  it("the share page: the police share against the 20% cap, KC's press figures, and the unknown total explained", async () => {
    const { status, text } = await html("/budget/share");
    assert.equal(status, 200);
    assert.match(text, new RegExp(escapeRe(budgetEn["budget.share.title"])));
    assert.match(text, /over \$250,000,000/);
    assert.match(text, /about \$260,000,000/);
    assert.match(text, /Press reports/);
    assert.match(text, /Why some shares are unknown\./);
    assert.match(text, /25\.0%/, "the demo city's share");
    assert.match(text, /\$60,000,000/, "the demo city's amount to move in FY2022");
    assert.match(text, /<svg[^>]*class="marks"/, "a chart");
    assert.match(text, /Demo — synthetic/);
    const es = await html("/budget/share?lang=es");
    assert.match(es.text, /<html lang="es">/);
    assert.match(es.text, new RegExp(escapeRe(budgetEs["budget.share.title"])));
    assert.match(es.text, /Informes de prensa/);
    assert.match(es.text, /más de 250\.000\.000|más de \$?250,000,000/);
  });

  it("a year's page lists its lines with their sources; the JSON says the same", async () => {
    const kc = years.find((y) => y.city === KC_CITY && y.fiscalYear === 2021)!;
    const page = await html(`/budget/years/${kc.id}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Kansas City Police Department \(KCPD\)/);
    assert.match(page.text, /Assumption: the reports say "about \$10 million more"/);
    const json = (await (await app.request(`/api/v1/budget/years/${kc.id}`)).json()) as Record<string, unknown>;
    assert.equal(json.generalFund, null);
    assert.equal(json.shareBasisPoints, null);
    assert.deepEqual(json.police, { cents: 26_000_000_000, precision: "about", bases: ["press"] });
    assert.equal((await app.request("/budget/years/not-an-id")).status, 404);
  });

  it("what-if scenarios live in the URL: shareable, validated, the same as JSON", async () => {
    const demo = years.find((y) => y.city.startsWith("Demo") && y.fiscalYear === 2022)!;
    const query = `year=${demo.id}&move=60000000&housing=40&healthcare=20&infrastructure=20&education=20`;
    const page = await html(`/budget/what-if?${query}`);
    assert.equal(page.status, 200);
    assert.match(page.text, /Moving \$60,000,000 from the police budget/);
    assert.match(page.text, /\$24,000,000/);
    assert.match(page.text, /The cap is met/);
    assert.match(page.text, new RegExp(`value="http://localhost:3000/budget/what-if\\?${escapeRe(query)}&lang=en"`), "the share link reproduces the scenario");
    const again = await html(`/budget/what-if?${query}&lang=en`);
    assert.equal(again.text.replace(/name="_csrf" value="[^"]*"/g, ""), page.text.replace(/name="_csrf" value="[^"]*"/g, ""));
    const json = (await (await app.request(`/api/v1/budget/what-if?${query}`)).json()) as { moveCents: number; remainingToMoveCents: number; split: Record<string, { cents: number }> };
    assert.equal(json.moveCents, 6_000_000_000);
    assert.equal(json.remainingToMoveCents, 0);
    assert.equal(json.split.housing.cents, 2_400_000_000);

    const bad = await html(`/budget/what-if?year=${demo.id}&move=10&housing=50&healthcare=50&infrastructure=10&education=0`);
    assert.equal(bad.status, 400);
    assert.match(bad.text, /housing\+healthcare\+infrastructure\+education: must add up to 100, not 110/);
    assert.match(bad.text, /<form method="get" action="\/budget\/what-if"/, "the form comes back to fix it");
    assert.equal((await html(`/budget/what-if?year=${demo.id}&move=ten`)).status, 400);
    const tooMuch = await html(`/budget/what-if?year=${demo.id}&move=400000000`);
    assert.equal(tooMuch.status, 400);
    assert.match(tooMuch.text, /move: the amount to move is more than the whole police budget/);
    const apiBad = await app.request(`/api/v1/budget/what-if?year=${demo.id}&move=-1`);
    assert.equal(apiBad.status, 400);
    assert.equal(((await apiBad.json()) as { error: { reason: string } }).error.reason, "invalid");
    // A year without a general fund: the share is unknown unless a labelled assumption is given.
    const kc = years.find((y) => y.city === KC_CITY && y.fiscalYear === 2020)!;
    const unknown = await html(`/budget/what-if?year=${kc.id}&move=10000000`);
    assert.match(unknown.text, /general fund total for this year is not known/);
    const assumed = await html(`/budget/what-if?year=${kc.id}&move=10000000&gf=1250000000`);
    assert.match(assumed.text, /Assumption:<\/strong> this scenario uses a general fund total of \$1,250,000,000/);
  });

  describe("voting", () => {
    const slug = DEMO_VOTING_SLUG;
    let proposals: { id: string; cost: number }[];
    before(async () => {
      const process = (await pb.findProcess(db, slug))!;
      proposals = pb.onBallot(await pb.proposalsOf(db, process.id)).map((p) => ({ id: p.id, cost: p.cost! }));
    });

    const openBallot = async (code: string, lang = "en") => {
      const guest = await visitor(app, `/budget/p/${slug}/vote?lang=${lang}`);
      const response = await post(app, guest, `/budget/p/${slug}/vote/code?lang=${lang}`, { code });
      return { guest, status: response.status, text: decode(await response.text()), response };
    };

    it("a code opens the ballot: a shopping cart with the running total, which works without JavaScript", async () => {
      const { guest, status, text, response } = await openBallot(DEMO_CODES[0].toLowerCase());
      assert.equal(status, 200);
      assert.equal(response.headers.get("cache-control"), "no-store");
      assert.equal(response.headers.get("referrer-policy"), "same-origin", "the link's token never goes to another site");
      assert.match(text, /Chosen: \$0 of \$1,000,000 — \$1,000,000 left/);
      assert.match(text, /name="code" value="DEMO-CODE-01"/);
      assert.match(text, /<button type="submit" name="intent" value="update"/);
      // "Update the total" recomputes on the server and records nothing.
      const over = await post(app, guest, `/budget/p/${slug}/ballot`, { code: "DEMO-CODE-01", intent: "update", choice: [proposals[0].id, proposals[3].id, proposals[4].id, proposals[5].id] });
      assert.equal(over.status, 200);
      const overText = decode(await over.text());
      assert.match(overText, /Chosen: \$1,060,000, \$60,000 over the \$1,000,000 budget/);
      assert.match(overText, new RegExp(`value="${proposals[0].id}"[^>]*checked`));
      assert.equal((await pb.turnout(db, (await pb.findProcess(db, slug))!.id)).ballots, 0);
    });

    it("over the budget: refused with the reason, the choices kept; within it: recorded; again: refused", async () => {
      const { guest } = await openBallot(DEMO_CODES[1]);
      const overBudget = await post(app, guest, `/budget/p/${slug}/ballot?lang=en`, { code: DEMO_CODES[1], intent: "cast", choice: [proposals[0].id, proposals[3].id, proposals[4].id, proposals[5].id] });
      assert.equal(overBudget.status, 422);
      const refusal = decode(await overBudget.text());
      assert.match(refusal, /Your choices cost \$1,060,000, which is \$60,000 over the budget of \$1,000,000\. Remove projects until the total fits; your ballot was not recorded\./);
      assert.match(refusal, /role="alert"/);
      assert.match(refusal, new RegExp(`value="${proposals[4].id}"[^>]*checked`));

      const cast = await post(app, guest, `/budget/p/${slug}/ballot?lang=en`, { code: DEMO_CODES[1], intent: "cast", choice: [proposals[0].id, proposals[3].id] });
      assert.equal(cast.status, 303);
      assert.equal(cast.headers.get("location"), `/budget/p/${slug}/voted?lang=en`);
      const again = await post(app, guest, `/budget/p/${slug}/ballot?lang=en`, { code: DEMO_CODES[1], intent: "cast", choice: [proposals[1].id] });
      assert.equal(again.status, 409);
      assert.match(decode(await again.text()), /A ballot was already cast with this link or code/);
      const reopened = await openBallot(DEMO_CODES[1]);
      assert.equal(reopened.status, 409);
      assert.equal((await pb.turnout(db, (await pb.findProcess(db, slug))!.id)).ballots, 1);
    });

    it("in Spanish, by emailed link: ZIP checked, the link opens the ballot", async () => {
      const guest = await visitor(app, `/budget/p/${slug}/vote?lang=es`);
      assert.match(guest.html, /Vivo en uno de los códigos postales/);
      const wrongZip = await post(app, guest, `/budget/p/${slug}/vote/email?lang=es`, { email: "vecina@example.org", zip: "10001" });
      assert.equal(wrongZip.status, 422);
      assert.match(decode(await wrongZip.text()), /El código postal 10001 no es uno de los códigos postales/);
      const sent = await post(app, guest, `/budget/p/${slug}/vote/email?lang=es`, { email: "vecina@example.org", zip: "64130" });
      assert.equal(sent.status, 303);
      assert.equal(sent.headers.get("location"), `/budget/p/${slug}/vote/sent?lang=es`);
      const [mail] = await db.query<{ body_text: string; subject: string }>("SELECT body_text, subject FROM email_outbox WHERE to_address = 'vecina@example.org'");
      assert.match(mail.subject, /^Su boleta: Presupuesto del Pueblo 2026/);
      const link = /http:\/\/localhost:3000(\/budget\/p\/[^\s]+)/.exec(mail.body_text)![1];
      const ballot = await html(link);
      assert.equal(ballot.status, 200);
      assert.match(ballot.text, /Elegido: 0 \$ de 1\.000\.000 \$ — quedan 1\.000\.000 \$|Elegido: \$0 de \$1,000,000/);
      const token = new URL(link, "http://localhost").searchParams.get("token")!;
      const cast = await post(app, guest, `/budget/p/${slug}/ballot?lang=es`, { token, intent: "cast", choice: [proposals[2].id] });
      assert.equal(cast.status, 303);
      const voted = await html(cast.headers.get("location")!);
      assert.match(voted.text, /Gracias\. Su boleta quedó registrada\./);
      assert.equal((await html(link)).status, 409);
    });

    it("results stay private while voting, from organizers too (a count changing after one vote would reveal it)", async () => {
      const hidden = await html(`/budget/p/${slug}/results`);
      assert.equal(hidden.status, 409);
      assert.match(hidden.text, /The results are published when voting closes/);
      const api = await app.request(`/api/v1/budget/processes/${slug}/results`);
      assert.equal(api.status, 409);
      assert.equal((await app.request(`/budget/p/${slug}/export.pb`)).status, 409);
      const organizer = await signedIn(app, db, "organizer");
      const during = await app.request(`/budget/p/${slug}/results`, { headers: { cookie: organizer.cookie } });
      assert.equal(during.status, 409);
      assert.match(decode(await during.text()), /organizers included/);
      assert.equal((await app.request(`/budget/p/${slug}/export.pb`, { headers: { cookie: organizer.cookie } })).status, 409);
      // Before voting opens, organizers can preview how the page will count (no ballots to reveal).
      const draft = await post(app, organizer, "/budget/admin/processes", { slug: "preview-draft", title_en: "Draft", budget: "100", ballot_type: "approval_budget", eligibility_codes: "on" });
      assert.equal(draft.status, 303);
      const preview = await app.request("/budget/p/preview-draft/results", { headers: { cookie: organizer.cookie } });
      assert.equal(preview.status, 200);
      assert.match(decode(await preview.text()), /Preview for organizers/);
      assert.equal((await app.request("/budget/p/preview-draft/results")).status, 409);
    });
  });

  it("results: the rules side by side, each group's share, cost per vote, charts and the .pb download", async () => {
    const { status, text } = await html(`/budget/p/${DEMO_RESULTS_SLUG}/results`);
    assert.equal(status, 200);
    for (const rule of ["budget.rule.greedy", "budget.rule.equal-shares", "budget.rule.phragmen"] as const) assert.match(text, new RegExp(escapeRe(budgetEn[rule])));
    assert.match(text, /Official rule: these projects are funded/);
    assert.match(text, /What each group of voters got/);
    assert.match(text, /64130/);
    assert.match(text, /Cost per vote/);
    assert.equal((text.match(/<svg/g) ?? []).length, 2, "two charts");
    const download = await app.request(`/budget/p/${DEMO_RESULTS_SLUG}/export.pb`);
    assert.equal(download.status, 200);
    assert.match(download.headers.get("content-disposition")!, /demo-peoples-budget-2025\.pb/);
    assert.match(await download.text(), /^META\nkey;value\ndescription;People's Budget 2025 \(demo\)/);
    const json = (await (await app.request(`/api/v1/budget/processes/${DEMO_RESULTS_SLUG}/results`)).json()) as { ballots: number; rules: { rule: string }[] };
    assert.equal(json.ballots, 300);
    assert.deepEqual(json.rules.map((r) => r.rule), ["greedy", "equal-shares", "phragmen"]);
    const es = await html(`/budget/p/${DEMO_RESULTS_SLUG}/results?lang=es`);
    assert.match(es.text, /Método de Partes Iguales/);
    assert.match(es.text, /Qué obtuvo cada grupo de votantes/);
  });

  it("managing needs an organizer or admin; every form carries the CSRF token", async () => {
    assert.equal((await app.request("/budget/admin")).status, 403);
    const guest = await visitor(app, "/budget");
    const forged = await post(app, guest, "/budget/admin/years", { city: "X", fiscal_year: "2030" });
    assert.equal(forged.status, 403);
    const intake = await signedIn(app, db, "intake").catch(() => null);
    if (intake) assert.equal((await app.request("/budget/admin", { headers: { cookie: intake.cookie } })).status, 403);
    const noToken = await app.request("/budget/admin/years", { method: "POST", body: new URLSearchParams({ city: "X", fiscal_year: "2030" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(noToken.status, 403);
  });

  describe("admin forms", () => {
    let admin: Session;
    before(async () => {
      admin = await signedIn(app, db, "admin");
    });

    it("a budget year: create, add lines, import CSV (a bad row is named), enter the general fund", async () => {
      const created = await post(app, admin, "/budget/admin/years", { city: "Formtown", fiscal_year: "2029" });
      assert.equal(created.status, 303);
      const yearPath = created.headers.get("location")!.replace(/\?.*$/, "");
      const line = await post(app, admin, `${yearPath}/lines`, { department: "Police", amount: "100,000", is_police: "on", basis: "admin", precision: "exact" });
      assert.equal(line.status, 303);
      const badLine = await post(app, admin, `${yearPath}/lines`, { department: "Parks", amount: "lots" });
      assert.equal(badLine.status, 400);
      assert.match(decode(await badLine.text()), /amount: must be an amount in dollars/);

      const form = new FormData();
      form.set("_csrf", admin.csrf);
      form.set("file", new File(["department,category,amount\nHealth,Healthcare,1000\nFire,Safety,oops\n"], "budget-2029.csv", { type: "text/csv" }));
      form.set("department_column", "department");
      form.set("amount_column", "amount");
      form.set("police_match", "police");
      const badCsv = await app.request(`${yearPath}/import`, { method: "POST", body: form, headers: { cookie: admin.cookie } });
      assert.equal(badCsv.status, 400);
      assert.match(decode(await badCsv.text()), /Line 3, column "amount": "oops" is not an amount in dollars/);

      const good = new FormData();
      good.set("_csrf", admin.csrf);
      good.set("csv", "department,category,amount\nHealth,Healthcare,\"$300,000\"\nPolice overtime,Public safety,100000\n");
      good.set("set_total", "on");
      const ok = await app.request(`${yearPath}/import`, { method: "POST", body: good, headers: { cookie: admin.cookie } });
      assert.equal(ok.status, 303);
      const id = yearPath.split("/").pop()!;
      const year = (await (await app.request(`/api/v1/budget/years/${id}`)).json()) as { generalFund: { cents: number }; police: { cents: number }; shareBasisPoints: number };
      assert.equal(year.generalFund.cents, 40_000_000);
      assert.equal(year.police.cents, 20_000_000);
      assert.equal(year.shareBasisPoints, 5000);

      const gf = await post(app, admin, `${yearPath}/general-fund`, { general_fund: "2,000,000", general_fund_basis: "official", general_fund_source: "Adopted budget" });
      assert.equal(gf.status, 303);
      const page = await html(`/budget/years/${id}`);
      assert.match(page.text, /10\.0%/);
    });

    it("a process: create, add projects, collect an idea, open voting, make codes, close and publish", async () => {
      const created = await post(app, admin, "/budget/admin/processes", { slug: "route-test", title_en: "Route test", budget: "500", ballot_type: "pick_n", pick_n: "1", eligibility_codes: "on" });
      assert.equal(created.status, 303);
      const base = "/budget/admin/p/route-test";
      assert.equal((await post(app, admin, `${base}/proposals`, { title_en: "Trees", cost: "300", category: "infrastructure", status: "feasible" })).status, 303);
      assert.equal((await post(app, admin, `${base}/proposals`, { title_en: "Books", cost: "200", category: "education", status: "feasible" })).status, 303);
      const guest = await visitor(app, "/budget/p/route-test");
      assert.match(guest.html, /Suggest an idea/);
      const idea = await post(app, guest, "/budget/p/route-test/ideas", { title: "A mural", category: "other" });
      assert.equal(idea.status, 303);
      assert.match((await html(idea.headers.get("location")!)).text, /Thank you: your idea was recorded/);
      assert.equal((await post(app, admin, `${base}/phase`, { phase: "voting" })).status, 303);
      const late = await post(app, guest, "/budget/p/route-test/ideas", { title: "Too late" });
      assert.equal(late.status, 409);
      const codes = await post(app, admin, `${base}/codes`, { count: "2", batch: "Library" });
      assert.equal(codes.status, 200);
      assert.equal(codes.headers.get("cache-control"), "no-store");
      const printed = [...decode(await codes.text()).matchAll(/<code>([A-Z0-9-]+)<\/code>/g)].map((m) => m[1]);
      assert.equal(printed.length, 2);
      const process = (await pb.findProcess(db, "route-test"))!;
      const [trees, books] = pb.onBallot(await pb.proposalsOf(db, process.id));
      const ballot = await post(app, guest, "/budget/p/route-test/vote/code", { code: printed[0] });
      assert.match(decode(await ballot.text()), /0 of 1 projects chosen/);
      const tooMany = await post(app, guest, "/budget/p/route-test/ballot", { code: printed[0], intent: "cast", choice: [trees.id, books.id] });
      assert.equal(tooMany.status, 422);
      assert.match(decode(await tooMany.text()), /You chose 2 projects: this ballot allows at most 1/);
      assert.equal((await post(app, guest, "/budget/p/route-test/ballot", { code: printed[0], intent: "cast", choice: [trees.id] })).status, 303);
      const fixed = await post(app, admin, `${base}/proposals/${trees.id}`, { title_en: "Trees", cost: "1", status: "feasible" });
      assert.equal(fixed.status, 409);
      assert.equal((await post(app, admin, `${base}/phase`, { phase: "results" })).status, 303);
      const closed = await post(app, guest, "/budget/p/route-test/ballot", { code: printed[1], intent: "cast", choice: [books.id] });
      assert.equal(closed.status, 409);
      assert.match(decode(await closed.text()), /Voting is not open: this People's Budget is in the phase: Results\. No ballot was recorded\./);
      const results = await html("/budget/p/route-test/results");
      assert.equal(results.status, 200);
      assert.match(results.text, /1 ballots/);
      assert.equal((await post(app, admin, `${base}/phase`, { phase: "implementation" })).status, 303);
      assert.equal((await post(app, admin, `${base}/proposals/${trees.id}/implementation`, { implementation: "in_progress", implementation_note: "Planting in May" })).status, 303);
      const impl = await html("/budget/p/route-test");
      assert.match(impl.text, /Funded projects and their progress/);
      assert.match(impl.text, /Planting in May/);
    });

    it("a points ballot (10 points, as in Aarau): number fields, too many points refused with the numbers", async () => {
      assert.equal((await post(app, admin, "/budget/admin/processes", { slug: "points-test", title_en: "Points", budget: "1000", ballot_type: "cumulative", points_total: "10", eligibility_codes: "on" })).status, 303);
      for (const [title, cost] of [["Park", "600"], ["Library", "500"]]) {
        assert.equal((await post(app, admin, "/budget/admin/p/points-test/proposals", { title_en: title, cost, status: "feasible" })).status, 303);
      }
      assert.equal((await post(app, admin, "/budget/admin/p/points-test/phase", { phase: "voting" })).status, 303);
      const codes = [...decode(await (await post(app, admin, "/budget/admin/p/points-test/codes", { count: "1", batch: "Fair" })).text()).matchAll(/<code>([A-Z0-9-]+)<\/code>/g)].map((m) => m[1]);
      const [park, library] = pb.onBallot(await pb.proposalsOf(db, (await pb.findProcess(db, "points-test"))!.id));
      const guest = await visitor(app, "/budget/p/points-test/vote");
      const ballot = decode(await (await post(app, guest, "/budget/p/points-test/vote/code", { code: codes[0] })).text());
      assert.match(ballot, /0 of 10 points given/);
      assert.match(ballot, new RegExp(`name="points_${park.id}"[^>]*max="10"`));
      const tooMany = await post(app, guest, "/budget/p/points-test/ballot", { code: codes[0], intent: "cast", [`points_${park.id}`]: "7", [`points_${library.id}`]: "4" });
      assert.equal(tooMany.status, 422);
      assert.match(decode(await tooMany.text()), /You gave 11 points: this ballot allows at most 10/);
      const half = await post(app, guest, "/budget/p/points-test/ballot", { code: codes[0], intent: "cast", [`points_${park.id}`]: "1.5" });
      assert.equal(half.status, 400);
      const ok = await post(app, guest, "/budget/p/points-test/ballot", { code: codes[0], intent: "cast", [`points_${park.id}`]: "7", [`points_${library.id}`]: "3" });
      assert.equal(ok.status, 303);
      assert.deepEqual((await db.query<{ points: unknown }>("SELECT points FROM pb_ballots b JOIN pb_processes p ON p.id = b.process_id WHERE p.slug = 'points-test'")).map((r) => (Array.isArray(r.points) ? r.points : String(r.points))), [[7, 3]]);
    });
  });
});
