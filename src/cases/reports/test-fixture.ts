/**
 * Test data for the report tests: 17 complaints with known channels, districts
 * and dates, moved through the real services with injected clocks. Every value
 * that could identify a complainant carries the word "canary", so a test can
 * prove none reaches the report.
 *
 * transition() and markDone() take `now` for the case's columns, but the case's
 * history (case_events.at) is stamped by the database clock, and castVote /
 * recordFinalDecision take no clock at all. So each step's new events are
 * re-stamped to the step's time, as if the step had happened then.
 */
import { createUser } from "../../auth/service.js";
import type { Db } from "../../db/db.js";
import { TEST_SECRET } from "../../web/test-app.js";
import * as repo from "../repo.js";
import type { IntakeCategory } from "../schema.js";
import { submitComplaint } from "../service.js";
import * as staff from "../staff-service.js";

export const CANARY = {
  name: "Zelda Canarywing",
  email: "zelda.canary@example.org",
  phone: "816-555-0199",
  address: "4417 Canary Lane",
  narrative: "CANARY-NARRATIVE-7731",
  location: "CANARY-CORNER of 39th and Main",
  district: "Canary Hollow Lane 4417",
  witness: "Wendell Canarywit",
  witnessContact: "wendell.canary@example.org",
  officerName: "Officer Canaryofficer",
  officerBadge: "CNRY-4417",
  personOne: "Pat Canarycop",
  personTwo: "Lee Canarysergeant",
};

interface Spec {
  at: string;
  channel: "online" | "phone" | "mail" | "in_person" | "email";
  district: string | null;
  categories: IntakeCategory[];
  officer?: "P1" | "P2";
  /**
   * A named complainant who agreed to be contacted: the first contact clock
   * applies, and intake's email acknowledges the complaint at once.
   */
  named?: boolean;
  incident?: string;
}

type Step =
  | ["ack", string]
  | ["contact", string]
  | ["move", string, string]
  | ["board", string, Record<string, "substantiated" | "unsubstantiated" | "exonerated" | "unfounded">]
  | ["final", string, Record<string, { final_finding: "sustained" | "not_sustained" | "exonerated" | "unfounded"; final_penalty?: string }>];

const day = (date: string, time = "00:00:00") => `${date}T${time}Z`;

/** The 17 cases: see reports.test.ts for every figure they make, worked out by hand. */
export const CASES: { name: string; spec: Spec; steps: Step[] }[] = [
  { name: "C1", spec: { at: day("2025-07-01"), channel: "online", district: "Westport", categories: ["excessive_force"], officer: "P1", named: true, incident: "2025-06-20" }, steps: [
    ["contact", day("2025-07-02", "12:00:00")], ["move", "triage", day("2025-07-02", "13:00:00")], ["move", "investigation", day("2025-07-10")],
    ["move", "review", day("2025-08-01")], ["move", "board_review", day("2025-08-05")], ["board", day("2025-08-06"), { excessive_force: "substantiated" }],
    ["move", "discipline_recommended", day("2025-08-08")], ["move", "final_disposition", day("2025-08-09")],
    ["final", day("2025-08-15"), { excessive_force: { final_finding: "sustained", final_penalty: "100 - REPRIMAND" } }], ["move", "closed", day("2025-08-20")],
  ] },
  { name: "C2", spec: { at: day("2025-07-05", "10:00:00"), channel: "online", district: "Westport", categories: ["excessive_force", "discourtesy"], officer: "P1" }, steps: [
    ["move", "triage", day("2025-07-06")], ["ack", day("2025-07-20")], ["move", "investigation", day("2025-08-20")], ["move", "review", day("2025-08-25")],
    ["move", "board_review", day("2025-08-26")], ["board", day("2025-08-27"), { excessive_force: "substantiated", discourtesy: "unfounded" }],
    ["move", "discipline_recommended", day("2025-08-28")], ["move", "final_disposition", day("2025-08-29")],
    ["final", day("2025-09-01"), { excessive_force: { final_finding: "sustained", final_penalty: "030 - 30 DAY SUSPENSION" }, discourtesy: { final_finding: "unfounded" } }],
    ["move", "closed", day("2025-09-05", "10:00:00")],
  ] },
  { name: "C3", spec: { at: day("2025-07-10", "09:00:00"), channel: "phone", district: "Westport", categories: ["discourtesy"], officer: "P2" }, steps: [
    ["ack", day("2025-07-11")], ["move", "triage", day("2025-07-11", "01:00:00")], ["move", "contact_log", day("2025-07-15")], ["move", "closed", day("2025-07-20", "09:00:00")],
  ] },
  { name: "C4", spec: { at: day("2025-07-15"), channel: "mail", district: "Midtown", categories: ["false_arrest"] }, steps: [
    ["move", "triage", day("2025-07-16")], ["move", "referred_out", day("2025-07-25")], ["move", "closed", day("2025-08-01")],
  ] },
  { name: "C5", spec: { at: day("2025-08-01"), channel: "online", district: "Midtown", categories: ["illegal_search"] }, steps: [
    ["ack", day("2025-08-02")], ["move", "triage", day("2025-08-02", "01:00:00")], ["move", "mediation", day("2025-08-05")], ["move", "closed", day("2025-08-25")],
  ] },
  { name: "C6", spec: { at: day("2025-08-10"), channel: "online", district: "midtown ", categories: ["discourtesy"] }, steps: [
    ["ack", day("2025-08-11")], ["move", "triage", day("2025-08-11", "01:00:00")], ["move", "closed_no_finding", day("2025-08-15")],
  ] },
  { name: "C7", spec: { at: day("2025-08-15"), channel: "email", district: "Westport", categories: ["excessive_force"], officer: "P1", named: true, incident: "2025-08-14" }, steps: [
    ["move", "triage", day("2025-08-16", "01:00:00")], ["move", "investigation", day("2025-08-20")],
  ] },
  { name: "C8", spec: { at: day("2025-09-01"), channel: "in_person", district: CANARY.district, categories: ["death"], incident: "2025-08-30" }, steps: [
    ["move", "triage", day("2025-09-02")],
  ] },
  { name: "C9", spec: { at: day("2025-09-10"), channel: "online", district: null, categories: ["other"] }, steps: [
    ["ack", day("2025-09-11")], ["move", "triage", day("2025-10-15")],
  ] },
  { name: "C10", spec: { at: day("2025-09-30", "23:59:59"), channel: "phone", district: "Westport", categories: ["discourtesy"] }, steps: [] },
  { name: "C11", spec: { at: day("2025-09-20"), channel: "online", district: "Northeast", categories: ["discourtesy"], named: true }, steps: [
    ["contact", day("2025-09-21")], ["move", "triage", day("2025-09-21", "01:00:00")], ["move", "contact_log", day("2025-09-22")], ["move", "closed", day("2025-09-29")],
  ] },
  { name: "C12", spec: { at: day("2025-06-30", "23:59:59"), channel: "online", district: "Westport", categories: ["discourtesy"] }, steps: [
    ["ack", day("2025-07-01")], ["move", "triage", day("2025-07-01", "12:00:00")], ["move", "closed_no_finding", day("2025-07-03")],
  ] },
  { name: "C13", spec: { at: day("2025-03-10"), channel: "mail", district: "Midtown", categories: ["excessive_force"], officer: "P2", incident: "2025-03-01" }, steps: [
    ["ack", day("2025-03-11")], ["move", "triage", day("2025-03-11", "01:00:00")], ["move", "investigation", day("2025-03-20")],
  ] },
  { name: "C14", spec: { at: day("2024-12-31", "23:59:59"), channel: "online", district: "Westport", categories: ["discourtesy"] }, steps: [
    ["move", "triage", day("2025-01-02")], ["move", "closed_no_finding", day("2025-01-10")],
  ] },
  { name: "C15", spec: { at: day("2025-10-05"), channel: "online", district: "Westport", categories: ["discourtesy"], officer: "P2" }, steps: [
    ["ack", day("2025-10-06")], ["move", "triage", day("2025-10-06", "01:00:00")], ["move", "contact_log", day("2025-10-07")], ["move", "closed", day("2025-10-20")],
  ] },
  { name: "C16", spec: { at: day("2025-04-01"), channel: "online", district: "Midtown", categories: ["illegal_search"] }, steps: [
    ["ack", day("2025-04-02")], ["move", "triage", day("2025-04-02", "01:00:00")], ["move", "closed_no_finding", day("2025-04-10")],
    ["move", "triage", day("2025-07-05")], ["move", "closed_no_finding", day("2025-09-15")],
  ] },
  { name: "C17", spec: { at: day("2025-11-01"), channel: "online", district: "WESTPORT", categories: ["discourtesy"] }, steps: [
    ["move", "triage", day("2025-11-02")], ["move", "closed_no_finding", day("2025-11-12")],
  ] },
];

export interface Fixture {
  ids: Record<string, string>;
  caseNumbers: string[];
  receipts: string[];
}

/** Files and moves every case through the services; returns ids, case numbers and receipts (for the canary checks). */
export async function buildFixture(db: Db): Promise<Fixture> {
  const board = await createUser(db, { email: "board.reports@example.org", displayName: "Board Member", password: "board member password", role: "board_member" }, "test");
  const people: Record<string, string> = {};
  for (const [key, name] of [["P1", CANARY.personOne], ["P2", CANARY.personTwo]] as const) {
    const [first, last] = name.split(" ");
    const [row] = await db.query<{ id: string }>("INSERT INTO people (first_name, last_name, full_name) VALUES ($1, $2, $3) RETURNING id", [first, last, name]);
    people[key] = row.id;
  }
  /** Runs one step, then dates the history it wrote to the step's time. */
  const stamp = async (caseId: string, at: string, step: (now: Date) => Promise<unknown>) => {
    const before = (await db.query<{ id: string }>("SELECT id FROM case_events WHERE case_id = $1", [caseId])).map((row) => row.id);
    await step(new Date(at));
    await db.query("UPDATE case_events SET at = $2::timestamptz WHERE case_id = $1 AND NOT (id = ANY($3::uuid[]))", [caseId, at, before]);
  };
  const fixture: Fixture = { ids: {}, caseNumbers: [], receipts: [] };
  for (const [index, { name, spec, steps }] of CASES.entries()) {
    const filed = await submitComplaint(db, TEST_SECRET, {
      narrative: `${CANARY.narrative} complaint ${index + 1}: the officer shouted at me outside my home`,
      location: CANARY.location, district: spec.district ?? "", categories: spec.categories, channel: spec.channel,
      incident_date: spec.incident ?? "",
      officers: spec.officer ? [{ name: CANARY.officerName, badge: CANARY.officerBadge, description: `${CANARY.narrative} tall, moustache` }] : [],
      witnesses: [{ name: CANARY.witness, contact: CANARY.witnessContact }],
      ...(spec.named
        ? { anonymous: false, name: CANARY.name, email: CANARY.email, phone: CANARY.phone, address: CANARY.address, contact_ok: true }
        : { anonymous: true }),
    }, null, { now: new Date(spec.at) });
    const id = filed.caseId;
    await db.query("UPDATE case_events SET at = $2::timestamptz WHERE case_id = $1", [id, spec.at]);
    fixture.ids[name] = id;
    fixture.caseNumbers.push(filed.caseNumber);
    fixture.receipts.push(filed.receipt);
    if (spec.officer) {
      const [officer] = await repo.officersOf(db, id);
      await staff.identifyOfficer(db, "user:staff", id, officer.id, people[spec.officer]);
    }
    for (const step of steps) {
      if (step[0] === "ack") {
        await stamp(id, step[1], (now) => staff.markDone(db, "user:staff", id, "acknowledged", now));
      } else if (step[0] === "contact") {
        await stamp(id, step[1], (now) => staff.markDone(db, "user:staff", id, "contacted", now));
      } else if (step[0] === "move") {
        await stamp(id, step[2], (now) => staff.transition(db, "user:staff", id, { to: step[1] as never }, now));
      } else if (step[0] === "board") {
        const votes = step[2];
        await stamp(id, step[1], async () => {
          await staff.assignBoardPanel(db, "user:admin", id, [board]);
          for (const allegation of await repo.allegationsOf(db, id)) await staff.castVote(db, board, id, { allegation_id: allegation.id, vote: votes[allegation.category] });
        });
      } else {
        const decisions = step[2];
        await stamp(id, step[1], async () => {
          for (const allegation of await repo.allegationsOf(db, id)) {
            const decision = decisions[allegation.category];
            if (!decision) throw new Error(`${name}: no final decision for ${allegation.category}`);
            await staff.recordFinalDecision(db, "user:admin", id, { allegation_id: allegation.id, ...decision });
          }
        });
      }
    }
  }
  return fixture;
}
