import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import * as city from "./city-service.js";
import { BudgetError } from "./errors.js";
import { whatIfQuerySchema } from "./schema.js";
import { DEMO_CITY, KC_CITY, seedBudgetDemo, seedKansasCityBudget } from "./seed.js";

const refusedWith = (reason: string) => (error: unknown) => error instanceof BudgetError && error.reason === reason;

describe(`city budget service (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("computes the police share against the 20% cap, in integer cents", async () => {
    const id = await city.createYear(db, "test", { city: "Testville", fiscal_year: 2030, general_fund: "1,000,000,000.01", general_fund_basis: "official", general_fund_source: "Adopted budget p. 4" });
    await city.addLine(db, "test", id, { department: "Police", amount: "250,000,000.00", is_police: "on" });
    await city.addLine(db, "test", id, { department: "Police pensions", amount: "12,345.67", is_police: "on", precision: "exact" });
    await city.addLine(db, "test", id, { department: "Housing", category: "Vivienda", amount: "40000000" });
    const s = (await city.budgetYear(db, id))!;
    assert.equal(s.police!.cents, 25_000_000_000 + 1_234_567);
    assert.equal(s.police!.precision, "exact");
    assert.equal(s.capCents, 20_000_000_000); // floor(20% of 100,000,000,001 cents)
    assert.equal(s.toMoveCents, 25_001_234_567 - 20_000_000_000);
    assert.equal(s.shareBps, 2500); // 25.0012…% → 2500 bp
    assert.equal(s.categoryCents.housing, 4_000_000_000, "Spanish category names count too");
  });

  it("leaves the share unknown when the general fund total is not known, and says how precise the police figure is", async () => {
    assert.deepEqual(await seedKansasCityBudget(db), ["FY2020", "FY2021"]);
    assert.deepEqual(await seedKansasCityBudget(db), [], "idempotent");
    const kc = (await city.budgetYears(db)).filter((y) => y.year.city === KC_CITY);
    assert.equal(kc.length, 2);
    const [fy20, fy21] = kc;
    assert.equal(fy20.year.general_fund_cents, null, "no general fund total is invented");
    assert.equal(fy20.shareBps, null);
    assert.equal(fy20.toMoveCents, null);
    assert.equal(fy20.police!.cents, 250_000_000_00);
    assert.equal(fy20.police!.precision, "at_least");
    assert.deepEqual(fy20.police!.bases, ["press"]);
    assert.equal(fy21.police!.cents, 260_000_000_00);
    assert.equal(fy21.police!.precision, "about");
    assert.match(fy21.lines[0].note_en!, /^Assumption:/);
    // An admin enters the total; the share appears.
    await city.setGeneralFund(db, "test", fy20.year.id, { general_fund: "1,000,000,000", general_fund_basis: "official", general_fund_source: "Adopted budget" });
    assert.equal((await city.budgetYear(db, fy20.year.id))!.shareBps, 2500);
    await city.setGeneralFund(db, "test", fy20.year.id, { general_fund: "" });
    assert.equal((await city.budgetYear(db, fy20.year.id))!.shareBps, null);
  });

  it("what-if: moves whole cents from the police to the four categories, exactly", async () => {
    await seedBudgetDemo(db);
    const demo = (await city.budgetYears(db)).find((y) => y.year.city === DEMO_CITY && y.year.fiscal_year === 2022)!;
    assert.equal(demo.shareBps, 2500);
    assert.equal(demo.toMoveCents, 60_000_000_00);
    const query = whatIfQuerySchema.parse({ year: demo.year.id, move: "60000001", housing: "33", healthcare: "33", infrastructure: "17", education: "17" });
    const r = city.whatIf(demo, query);
    assert.equal(r.moveCents, 6_000_000_100);
    assert.equal(Object.values(r.allocation).reduce((a, b) => a + b, 0), r.moveCents, "the split adds up exactly");
    assert.deepEqual(r.allocation, { housing: 1_980_000_033, healthcare: 1_980_000_033, infrastructure: 1_020_000_017, education: 1_020_000_017 });
    assert.equal(r.policeAfter, 300_000_000_00 - 6_000_000_100);
    assert.equal(r.remainingToMoveCents, 0, "the cap is met");
    assert.equal(r.shareAfterBps, 2000);
    assert.equal(r.categoryAfter.housing, 40_000_000_00 + 1_980_000_033);
    // Moving one dollar less leaves exactly 99 cents... no: 100 cents over the cap.
    const short = city.whatIf(demo, whatIfQuerySchema.parse({ year: demo.year.id, move: "59999999" }));
    assert.equal(short.remainingToMoveCents, 100);
    // More than the police budget is refused, naming the field.
    assert.throws(() => city.whatIf(demo, whatIfQuerySchema.parse({ year: demo.year.id, move: "300000001" })), refusedWith("move-too-large"));
    // An assumed general fund for a year without one is used and marked as assumed.
    const kc = (await city.budgetYears(db)).find((y) => y.year.city === KC_CITY && y.year.fiscal_year === 2021)!;
    const assumed = city.whatIf(kc, whatIfQuerySchema.parse({ year: kc.year.id, move: "10000000", gf: "1300000000" }));
    assert.deepEqual(assumed.generalFund, { cents: 130_000_000_000, assumed: true });
    assert.equal(assumed.shareBeforeBps, 2000);
    assert.equal(assumed.shareAfterBps, 1923);
    const unknown = city.whatIf(kc, whatIfQuerySchema.parse({ year: kc.year.id, move: "10000000" }));
    assert.equal(unknown.generalFund, null);
    assert.equal(unknown.shareAfterBps, null);
  });

  it("validates what-if queries: the percentages must add up to 100", () => {
    const r = whatIfQuerySchema.safeParse({ year: "00000000-0000-4000-8000-000000000000", move: "5", housing: "50", healthcare: "50", infrastructure: "10", education: "0" });
    assert.equal(r.success, false);
    assert.match(JSON.stringify(r.error!.issues), /must add up to 100, not 110/);
    assert.equal(whatIfQuerySchema.safeParse({ year: "x", move: "5" }).success, false);
    assert.equal(whatIfQuerySchema.safeParse({ year: "00000000-0000-4000-8000-000000000000", move: "-1" }).success, false);
    assert.equal(whatIfQuerySchema.safeParse({ year: "00000000-0000-4000-8000-000000000000", move: "1.5" }).success, false);
  });

  it("imports lines from CSV with a column mapping, all or nothing, naming the bad line", async () => {
    const id = await city.createYear(db, "test", { city: "Csvtown", fiscal_year: 2031 });
    const csv = "Dept,Kind,Total ($)\nPolice Department,Public safety,\"$300,000.50\"\nParks,Infrastructure,\"120,000\"\n\nLibrary,Education,80000\n";
    const report = await city.importCsv(db, "test", id, csv, { department_column: "dept", category_column: "kind", amount_column: "total ($)", police_match: "police", set_total: "on" }, "budget.csv");
    assert.deepEqual(report, { lines: 3, totalCents: 50_000_050, policeCents: 30_000_050, generalFundSet: true });
    const s = (await city.budgetYear(db, id))!;
    assert.equal(s.lines.length, 3);
    assert.equal(s.lines[0].source, "budget.csv, line 2");
    assert.equal(s.lines[2].source, "budget.csv, line 5", "line numbers count the blank line");
    assert.equal(s.year.general_fund_cents, 50_000_050);
    assert.equal(s.police!.cents, 30_000_050);

    const bad = "department,category,amount\nPolice,Safety,100\nFire,Safety,12x\n";
    await assert.rejects(city.importCsv(db, "test", id, bad, { replace: "on" }), (error: unknown) => {
      assert.ok(error instanceof BudgetError);
      assert.equal(error.key, "budget.error.csvRow");
      assert.deepEqual({ line: error.params.line, column: error.params.column }, { line: 3, column: "amount" });
      return true;
    });
    assert.equal((await city.budgetYear(db, id))!.lines.length, 3, "nothing changed, even with replace");
    await assert.rejects(city.importCsv(db, "test", id, "department,total\nPolice,5\n", {}), (e: unknown) => e instanceof BudgetError && e.reason === "missing-column" && /amount/.test(JSON.stringify(e.params)));
    await assert.rejects(city.importCsv(db, "test", id, 'department,amount\n"Police,5\n', {}), refusedWith("csv-unreadable"));
    await assert.rejects(city.importCsv(db, "test", id, "department,amount\nPolice,-5\n", {}), refusedWith("bad-row"));
  });

  it("refuses a second year for the same city", async () => {
    await assert.rejects(city.createYear(db, "test", { city: "Csvtown", fiscal_year: 2031 }), refusedWith("year-exists"));
    await assert.rejects(city.createYear(db, "test", { city: "Csvtown", fiscal_year: 2032, general_fund: "100" }), /general_fund_basis/);
  });
});
