import { randomBytes } from "node:crypto";
import { appendAudit } from "../audit/service.js";
import { createUser } from "../auth/service.js";
import type { Db, Queryable } from "../db/db.js";
import { refreshDerived } from "./derived-repo.js";
import * as write from "./write-repo.js";

/**
 * Synthetic demonstration records, so a newcomer sees a working site at once.
 * Every row is flagged is_demo and every page says so; the names are invented.
 * Deterministic (a seeded generator), so screenshots and tests are repeatable.
 */
export const DEMO_ADMIN_EMAIL = "admin@demo.oversight.test";

/** The demo administrator's sign-in, made when the demo is loaded: a new random password per database. */
export interface DemoAdmin {
  email: string;
  password: string;
}

const FIRST = ["Alex", "Jordan", "Casey", "Morgan", "Taylor", "Riley", "Jamie", "Avery", "Quinn", "Rowan", "Sam", "Drew", "Elena", "Marisol", "Andre", "Tomás"];
const LAST = ["Demoson", "Samplewood", "Fictara", "Placeholt", "Exampleton", "Mockridge", "Testa", "Synthe", "Imaginary", "Notreal", "Specimen", "Prototyp"];
const CATEGORIES = ["Excessive Force", "Illegal Search", "Verbal Abuse", "False Arrest", "Operations/Personnel Violations", "Use of Force - Taser"];
const FINDINGS = ["sustained", "not_sustained", "exonerated", "unfounded", "sustained", "not_sustained"];
const PENALTIES = ["400 - SEPARATION", "030 - 30 DAY SUSPENSION", "010 - 10 DAY SUSPENSION", "100 - REPRIMAND", "000 - VIOLATION NOTED"];
const UNITS = ["District 1", "District 2", "District 3", "Tactical Unit", "Traffic"];

/** A small linear congruential generator: the same seed gives the same demo. */
function seeded(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return {
    int: (max: number) => Math.floor(next() * max),
    pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
  };
}

const isoDate = (year: number, dayOfYear: number) => new Date(Date.UTC(year, 0, 1 + dayOfYear)).toISOString().slice(0, 10);

/**
 * Loads the demo records and creates the demo administrator with a random
 * password, which is returned once (to be shown once) and stored only as its hash.
 */
export async function loadDemo(db: Db): Promise<DemoAdmin> {
  await db.transaction(async (tx) => {
    const rand = seeded(2020);
    const city = await write.insertAgency(tx, { slug: "demo-city-pd", name: "Demo City Police Department (synthetic)", city: "Demo City", state: "MO", is_demo: true });
    const county = await write.insertAgency(tx, { slug: "demo-county-sheriff", name: "Demo County Sheriff's Office (synthetic)", city: "Demo County", state: "MO", is_demo: true });
    const officers = await demoOfficers(tx, rand, city, county);
    const complaints = await demoComplaints(tx, rand, city, officers);
    await demoSettlements(tx, rand, city, officers);
    await demoForce(tx, rand, city, officers);
    await refreshDerived(tx);
    await appendAudit(tx, { actor: "system", action: "demo.load", entity: "records", data: { officers: officers.length, complaints } });
  });
  const admin = { email: DEMO_ADMIN_EMAIL, password: randomBytes(15).toString("base64url") };
  await createUser(db, { email: admin.email, displayName: "Demo administrator", password: admin.password, role: "admin" }, "system");
  return admin;
}

type Rand = ReturnType<typeof seeded>;

async function demoOfficers(tx: Queryable, rand: Rand, city: string, county: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 48; i += 1) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 7) % LAST.length];
    const id = await write.insertPerson(tx, { first_name: first, last_name: last, full_name: `${first} ${last}`, birth_year: 1960 + rand.int(35), race: rand.pick(["WHITE", "BLACK", "HISPANIC", "ASIAN/PACIFIC ISLANDER"]), gender: rand.pick(["MALE", "MALE", "FEMALE"]), is_demo: true });
    const start = 1995 + rand.int(20);
    const leftCity = rand.chance(0.15);
    await write.insertEmployment(tx, { person_id: id, agency_id: city, badge: String(1000 + i * 13), rank: rand.pick(["POLICE OFFICER", "SERGEANT", "DETECTIVE"]), unit: rand.pick(UNITS), start_date: isoDate(start, rand.int(300)), end_date: leftCity ? isoDate(start + 8, 10) : null, separation_reason: leftCity ? "Resigned while under investigation" : null });
    // Some leave and are hired by the county: the "rehired elsewhere" pattern.
    if (leftCity) await write.insertEmployment(tx, { person_id: id, agency_id: county, badge: `S-${200 + i}`, rank: "DEPUTY", unit: "Patrol", start_date: isoDate(start + 8, 120) });
    ids.push(id);
  }
  return ids;
}

async function demoComplaints(tx: Queryable, rand: Rand, agency: string, officers: string[]): Promise<number> {
  let count = 0;
  for (let i = 0; i < 160; i += 1) {
    const year = 2012 + rand.int(12);
    const day = rand.int(330);
    const category = rand.pick(CATEGORIES);
    const complaint = await write.insertComplaint(tx, {
      agency_id: agency, external_id: `DEMO-${year}-${String(i).padStart(4, "0")}`,
      received_date: isoDate(year, day + 2), incident_date: isoDate(year, day), closed_date: isoDate(year + 1, day),
      district: rand.pick(UNITS), channel: rand.pick(["online", "phone", "in person", "mail"]), case_type: "Complaint",
      summary: `Synthetic complaint about ${category.toLowerCase()}.`, search_text: `${category} synthetic demo complaint`, is_demo: true,
    });
    count += 1;
    const accused = 1 + rand.int(3);
    for (let a = 0; a < accused; a += 1) {
      const person = officers[(i * 5 + a * 11 + rand.int(4)) % officers.length];
      const recommended = rand.pick(FINDINGS);
      const final = recommended === "sustained" && rand.chance(0.3) ? "not_sustained" : recommended;
      const recommendedPenalty = recommended === "sustained" ? rand.pick(PENALTIES) : null;
      const finalPenalty = final === "sustained" ? (rand.chance(0.35) ? "100 - REPRIMAND" : recommendedPenalty) : null;
      const allegation = await write.insertAllegation(tx, { complaint_id: complaint, person_id: person, category, investigator_finding: recommended, board_finding: recommended, final_finding: final, recommended_penalty: recommendedPenalty, final_penalty: finalPenalty, is_demo: true });
      if (finalPenalty) await write.insertDiscipline(tx, { person_id: person, allegation_id: allegation, kind: finalPenalty, decided_date: isoDate(year + 1, day) });
    }
  }
  return count;
}

async function demoSettlements(tx: Queryable, rand: Rand, agency: string, officers: string[]): Promise<void> {
  for (let i = 0; i < 24; i += 1) {
    const year = 2012 + rand.int(12);
    const settlement = await write.insertSettlement(tx, { agency_id: agency, calendar_year: year, closed_date: isoDate(year, rand.int(330)), amount_cents: (5 + rand.int(400)) * 100_000, payer: "Demo City (synthetic)", matter_name: `Synthetic plaintiff v. Demo City, case ${i + 1}`, summary_allegations: rand.pick(CATEGORIES), status: "Closed", is_demo: true });
    await write.insertSettlementOfficer(tx, { settlement_id: settlement, person_id: officers[(i * 3) % officers.length], name_as_written: "Officer named in the synthetic suit" });
  }
}

async function demoForce(tx: Queryable, rand: Rand, agency: string, officers: string[]): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    const year = 2015 + rand.int(9);
    const fatal = i % 13 === 0;
    const incident = await write.insertForceIncident(tx, { agency_id: agency, external_id: `DEMO-UOF-${i}`, source_kind: "demo", occurred_date: isoDate(year, rand.int(330)), city: "Demo City", state: "MO", force_type: rand.pick(["Taser", "Takedown", "Firearm pointed", "Firearm discharged"]), injury: rand.pick(["none", "minor", "serious"]), fatal, is_demo: true });
    await write.insertForceOfficer(tx, { incident_id: incident, person_id: officers[(i * 7) % officers.length], rank_at_time: "POLICE OFFICER" });
  }
}

export const hasDemoContent = async (db: Db) => (await write.demoRowCount(db)) > 0;
