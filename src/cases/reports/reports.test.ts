import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Db } from "../../db/db.js";
import { openTestDb, testEngine } from "../../db/test-db.js";
import { setDisciplineWindow } from "../staff-service.js";
import { median, nearestRank } from "./suppression.js";
import { reportFigures, type ComplaintsReport, type Figure } from "./service.js";
import { buildFixture, CASES } from "./test-fixture.js";

const n = (value: number): Figure => ({ value, suppressed: null });
const lt3: Figure = { value: null, suppressed: "fewer_than_3" };
const held: Figure = { value: null, suppressed: "withheld" };
const none: Figure = { value: null, suppressed: null };
const keyed = (entries: Record<string, Figure>) => Object.entries(entries).map(([key, figure]) => ({ key, ...figure }));
const zeros = (keys: string[], set: Record<string, Figure> = {}) => keyed(Object.fromEntries(keys.map((key) => [key, set[key] ?? n(0)])));
const CHANNELS = ["online", "phone", "mail", "in_person", "email"];
const PENDING = ["received", "triage", "contact_log", "mediation", "investigation", "review", "board_review", "discipline_recommended", "final_disposition"];
const OUTCOMES = ["findings", "mediated", "contact_log", "referred_out", "closed_no_finding"];
const CATEGORIES = ["excessive_force", "false_arrest", "illegal_search", "discourtesy", "discrimination", "criminal_conduct", "death", "other"];
const FINDINGS = ["sustained", "not_sustained", "exonerated", "unfounded", "other"];
const STATUSES = ["met", "missed", "overdue", "open", "not_applicable"];
const BUCKETS = ["1", "2", "3", "4", "5+"];
const byCategory = (cells: Record<string, Record<string, Figure>>) => CATEGORIES.map((category) => ({ category, findings: zeros(FINDINGS, cells[category]) }));
const Q3 = { label: "2025-Q3", from: "2025-07-01", to: "2025-09-30" };
const YEAR = { label: "2025", from: "2025-01-01", to: "2025-12-31" };
const NOW = new Date("2026-11-22T12:00:00Z");

/**
 * Every figure below is worked out by hand from the 17 cases in
 * test-fixture.ts. Dates are UTC. "Q3" is 2025-07-01 .. 2025-09-30.
 */
describe(`public complaint statistics: figures, suppression, boundaries (${testEngine})`, () => {
  let db: Db;
  before(async () => {
    db = await openTestDb();
    await buildFixture(db);
  });
  after(() => db.close());

  it("has the cases the worked examples assume", () => {
    assert.equal(CASES.length, 17);
  });

  it("counts 2025-Q3 exactly, before suppression", async () => {
    const raw = await reportFigures(db, Q3, NOW, { unsuppressed: true });
    assert.deepEqual(raw.period, { label: "2025-Q3", from: "2025-07-01", to: "2025-09-30", complete: true, asOf: "2025-10-01T00:00:00.000Z" });
    // Received in Q3: C1–C11. C1 at 07-01 00:00:00 is in; C12 at 06-30 23:59:59 is not; C10 at 09-30 23:59:59 is.
    assert.deepEqual(raw.received.total, n(11));
    assert.deepEqual(raw.received.byChannel, keyed({ online: n(6), phone: n(2), mail: n(1), in_person: n(1), email: n(1) }));
    // "midtown" (C6) and "Midtown" are one district, named as most complaints spell it; Canary Hollow (C8) and Northeast (C11) are pooled.
    assert.deepEqual(raw.received.byDistrict, keyed({ Midtown: n(3), Westport: n(5) }));
    assert.deepEqual(raw.received.districtNotGiven, n(1));
    assert.deepEqual(raw.received.otherDistricts, n(2));
    // Pending at 10-01 00:00: C9 and C10 received (C9 reaches triage only on 10-15), C8 in triage, C7 and C13 under investigation.
    assert.deepEqual(raw.pending.total, n(5));
    assert.deepEqual(raw.pending.byState, zeros(PENDING, { received: n(2), triage: n(1), investigation: n(2) }));
    // Closed in Q3: C1, C2 with findings; C5 mediated; C3, C11 contact log; C4 referred out (its later "closed" is no new closing);
    // C6, C12 (received in Q2) and C16 (closed in Q2, reopened, closed again in Q3) without a finding.
    assert.deepEqual(raw.closed.total, n(9));
    assert.deepEqual(raw.closed.byOutcome, keyed({ findings: n(2), mediated: n(1), contact_log: n(2), referred_out: n(1), closed_no_finding: n(3) }));
    assert.deepEqual(raw.closed.withFindings, n(2));
    assert.deepEqual(raw.closed.withoutFindings, n(7));
    // Days: C1 50, C2 62, C3 10, C4 10 (to its referral), C5 24, C6 5, C11 9, C12 2 (2 days and 1 second), C16 167.
    const all = [50, 62, 10, 10, 24, 5, 9, 2, 167];
    assert.equal(median(all), 10);
    assert.equal(nearestRank(all, 90), 167);
    assert.deepEqual(raw.daysToClose.all, { median: n(10), p90: n(167) }); // sorted 2 5 9 10 [10] 24 50 62 167; rank ceil(8.1) = 9
    assert.deepEqual(raw.daysToClose.withFindings, { median: n(56), p90: n(62) }); // (50 + 62) / 2; rank ceil(1.8) = 2
    assert.deepEqual(raw.daysToClose.withoutFindings, { median: n(10), p90: n(167) }); // 2 5 9 [10] 10 24 167; rank ceil(6.3) = 7
    assert.deepEqual(raw.findings.board, byCategory({ excessive_force: { sustained: n(2) }, discourtesy: { unfounded: n(1) } }));
    assert.deepEqual(raw.findings.department, byCategory({ excessive_force: { sustained: n(2) }, discourtesy: { unfounded: n(1) } }));
    // C1: 30-day suspension recommended, reprimand imposed (weaker, deviated). C2: 30 days recommended and imposed.
    assert.deepEqual(raw.discipline, {
      sustainedByBoard: n(2),
      outcome: keyed({ followed: n(1), weaker: n(1), not_comparable: n(0), no_final_decision: n(0) }),
      departedFromBoard: n(1),
      byPenalty: [
        { penalty: "030 - 30 DAY SUSPENSION", recommended: n(2), imposed: n(1) },
        { penalty: "100 - REPRIMAND", recommended: n(0), imposed: n(1) },
      ],
    });
    // Clocks at 10-01 00:00 for C1–C11 (see the fixture): C8's classification falls due exactly then, so it is still open.
    assert.deepEqual(raw.deadlines, [
      { clock: "acknowledgement", statuses: keyed({ met: n(7), missed: n(1), overdue: n(2), open: n(1), not_applicable: n(0) }) },
      { clock: "first_contact", statuses: keyed({ met: n(2), missed: n(0), overdue: n(1), open: n(0), not_applicable: n(8) }) },
      { clock: "classification", statuses: keyed({ met: n(7), missed: n(1), overdue: n(0), open: n(3), not_applicable: n(0) }) },
      { clock: "discipline", statuses: keyed({ met: n(1), missed: n(0), overdue: n(0), open: n(2), not_applicable: n(8) }) },
    ]);
    // P1 is named in C1, C2, C7; P2 in C3 (C13 and C15 are outside Q3).
    assert.deepEqual(raw.complaintsPerOfficer, {
      byComplaints: zeros(BUCKETS, { "1": n(1), "3": n(1) }),
      complaintsWithIdentifiedOfficer: n(4),
      complaintsWithoutIdentifiedOfficer: n(7),
    });
  });

  it("suppresses 2025-Q3's small figures, and withholds others where a total would give them away", async () => {
    const residual: string[] = [];
    const report = await reportFigures(db, Q3, NOW, { residual });
    assert.deepEqual(residual, [], "every small figure is protected");
    assert.deepEqual(report.received, {
      total: n(11),
      // online 6 shown; the four small channels add to 5: (2,1,1,1), (1,2,1,1)… none can be pinned.
      byChannel: keyed({ online: n(6), phone: lt3, mail: lt3, in_person: lt3, email: lt3 }),
      byDistrict: keyed({ Midtown: n(3), Westport: n(5) }),
      districtNotGiven: lt3,
      otherDistricts: lt3,
    });
    assert.deepEqual(report.pending, { total: n(5), byState: zeros(PENDING, { received: lt3, triage: lt3, investigation: lt3 }) });
    // findings (2) would be 9 - 7: "without findings" is withheld. The four small outcomes add to 6 with each 1 or 2: not pinned.
    assert.deepEqual(report.closed, {
      total: n(9), withFindings: lt3, withoutFindings: held,
      byOutcome: keyed({ findings: lt3, mediated: lt3, contact_log: lt3, referred_out: lt3, closed_no_finding: n(3) }),
    });
    assert.deepEqual(report.daysToClose, { all: { median: n(10), p90: n(167) }, withFindings: { median: lt3, p90: lt3 }, withoutFindings: { median: n(10), p90: n(167) } });
    assert.deepEqual(report.findings.board, byCategory({ excessive_force: { sustained: lt3 }, discourtesy: { unfounded: lt3 } }));
    assert.deepEqual(report.findings.department, byCategory({ excessive_force: { sustained: lt3 }, discourtesy: { unfounded: lt3 } }));
    assert.deepEqual(report.discipline, {
      sustainedByBoard: lt3,
      outcome: keyed({ followed: lt3, weaker: lt3, not_comparable: n(0), no_final_decision: n(0) }),
      departedFromBoard: lt3,
      byPenalty: [{ penalty: "030 - 30 DAY SUSPENSION", recommended: lt3, imposed: lt3 }, { penalty: "100 - REPRIMAND", recommended: n(0), imposed: lt3 }],
    });
    assert.deepEqual(report.deadlines, [
      // 1 + 2 + 1 = 4 over three small figures: ambiguous.
      { clock: "acknowledgement", statuses: keyed({ met: n(7), missed: lt3, overdue: lt3, open: lt3, not_applicable: n(0) }) },
      { clock: "first_contact", statuses: keyed({ met: lt3, missed: n(0), overdue: lt3, open: n(0), not_applicable: n(8) }) },
      // missed (1) alone would be 11 - 7 - 3; withholding "open" (3) still pins it (1 + 3 = 4 with open ≥ 3), so "met" goes too.
      { clock: "classification", statuses: keyed({ met: held, missed: lt3, overdue: n(0), open: held, not_applicable: n(0) }) },
      { clock: "discipline", statuses: keyed({ met: lt3, missed: n(0), overdue: n(0), open: lt3, not_applicable: n(8) }) },
    ]);
    // No total of officers is published, so nothing needs withholding here.
    assert.deepEqual(report.complaintsPerOfficer, { byComplaints: zeros(BUCKETS, { "1": lt3, "3": n(1) }), complaintsWithIdentifiedOfficer: n(4), complaintsWithoutIdentifiedOfficer: n(7) });
  });

  it("counts the whole of 2025: Q1 to Q4, not the complaint of 2024-12-31 23:59:59, but its closing in January", async () => {
    const raw = await reportFigures(db, YEAR, NOW, { unsuppressed: true });
    assert.equal(raw.period.asOf, "2026-01-01T00:00:00.000Z");
    assert.deepEqual(raw.received.total, n(16));
    assert.deepEqual(raw.received.byChannel, keyed({ online: n(10), phone: n(2), mail: n(2), in_person: n(1), email: n(1) }));
    assert.deepEqual(raw.received.byDistrict, keyed({ Midtown: n(5), Westport: n(8) }));
    // At the year's end C9 has moved to triage.
    assert.deepEqual(raw.pending.byState, zeros(PENDING, { received: n(1), triage: n(2), investigation: n(2) }));
    assert.deepEqual(raw.closed.byOutcome, keyed({ findings: n(2), mediated: n(1), contact_log: n(3), referred_out: n(1), closed_no_finding: n(5) }));
    // Days: the Q3 nine, plus C14 9 (received 2024-12-31 23:59:59, closed 2025-01-10), C15 15, C17 11. C16 counts once, at its last closing.
    const all = [50, 62, 10, 10, 24, 5, 9, 2, 167, 9, 15, 11];
    assert.equal(median(all), 10.5);
    assert.deepEqual(raw.daysToClose.all, { median: n(10.5), p90: n(62) }); // 2 5 9 9 10 [10 11] 15 24 50 62 167; rank ceil(10.8) = 11
    assert.deepEqual(raw.daysToClose.withoutFindings, { median: n(10), p90: n(24) }); // 2 5 9 9 [10 10] 11 15 24 167; rank 9
    assert.deepEqual(raw.deadlines, [
      { clock: "acknowledgement", statuses: keyed({ met: n(11), missed: n(1), overdue: n(4), open: n(0), not_applicable: n(0) }) },
      { clock: "first_contact", statuses: keyed({ met: n(2), missed: n(0), overdue: n(1), open: n(0), not_applicable: n(13) }) },
      { clock: "classification", statuses: keyed({ met: n(12), missed: n(1), overdue: n(3), open: n(0), not_applicable: n(0) }) },
      { clock: "discipline", statuses: keyed({ met: n(1), missed: n(0), overdue: n(0), open: n(3), not_applicable: n(12) }) },
    ]);
    assert.deepEqual(raw.complaintsPerOfficer, { byComplaints: zeros(BUCKETS, { "3": n(2) }), complaintsWithIdentifiedOfficer: n(6), complaintsWithoutIdentifiedOfficer: n(10) });

    const residual: string[] = [];
    const report = await reportFigures(db, YEAR, NOW, { residual });
    assert.deepEqual(residual, []);
    assert.deepEqual(report.received.byChannel, keyed({ online: n(10), phone: lt3, mail: lt3, in_person: lt3, email: lt3 }));
    assert.deepEqual(report.closed, {
      total: n(12), withFindings: lt3, withoutFindings: held,
      byOutcome: keyed({ findings: lt3, mediated: lt3, contact_log: n(3), referred_out: lt3, closed_no_finding: n(5) }),
    });
    assert.deepEqual(report.daysToClose, { all: { median: n(10.5), p90: n(62) }, withFindings: { median: lt3, p90: lt3 }, withoutFindings: { median: n(10), p90: n(24) } });
    assert.deepEqual(report.deadlines.map((clock) => clock.statuses), [
      // missed (1) would be 16 - 11 - 4: overdue (4) is withheld; 1 + 4 = 5 leaves (1,4) or (2,3).
      keyed({ met: n(11), missed: lt3, overdue: held, open: n(0), not_applicable: n(0) }),
      keyed({ met: lt3, missed: n(0), overdue: lt3, open: n(0), not_applicable: n(13) }),
      keyed({ met: held, missed: lt3, overdue: held, open: n(0), not_applicable: n(0) }),
      keyed({ met: lt3, missed: n(0), overdue: n(0), open: held, not_applicable: held }),
    ]);
    assert.deepEqual(report.complaintsPerOfficer.byComplaints, zeros(BUCKETS, { "3": n(2) }));
  });

  it("draws the quarter lines: Q2 ends at 06-30 23:59:59, and its small totals are suppressed too", async () => {
    const raw = await reportFigures(db, { label: "2025-Q2", from: "2025-04-01", to: "2025-06-30" }, NOW, { unsuppressed: true });
    // Received: C16 (04-01 00:00) and C12 (06-30 23:59:59); C1 (07-01 00:00) is not. Both districts pooled.
    assert.deepEqual(raw.received.total, n(2));
    assert.deepEqual(raw.received.byDistrict, []);
    assert.deepEqual(raw.received.otherDistricts, n(2));
    // C16's first closing (04-10) counts here; it was closed at the quarter's end (reopened only on 07-05).
    assert.deepEqual(raw.closed.byOutcome, keyed({ findings: n(0), mediated: n(0), contact_log: n(0), referred_out: n(0), closed_no_finding: n(1) }));
    assert.deepEqual(raw.daysToClose.all, { median: n(9), p90: n(9) });
    // Pending at 07-01 00:00: C12 (its triage is at 12:00 that day) and C13.
    assert.deepEqual(raw.pending.byState, zeros(PENDING, { received: n(1), investigation: n(1) }));

    const residual: string[] = [];
    const report = await reportFigures(db, { label: "2025-Q2", from: "2025-04-01", to: "2025-06-30" }, NOW, { residual });
    assert.deepEqual(residual, []);
    assert.deepEqual(report.received.total, lt3);
    assert.deepEqual(report.received.byChannel, zeros(CHANNELS, { online: lt3 }));
    assert.deepEqual(report.closed.total, lt3);
    assert.deepEqual(report.pending.total, lt3);
    assert.deepEqual(report.daysToClose.all, { median: lt3, p90: lt3 });
    assert.deepEqual(report.daysToClose.withFindings, { median: none, p90: none });
  });

  it("describes a period still running as of now, with later events not yet happened", async () => {
    const report = await reportFigures(db, Q3, new Date("2025-08-16T12:00:00Z"), { unsuppressed: true });
    assert.equal(report.period.complete, false);
    assert.equal(report.period.asOf, "2025-08-16T12:00:00.000Z");
    // Received by then: C1–C7. Closed by then: C3, C4, C6, C12 (C1 closes on 08-20, C5 on 08-25; C16 is reopened).
    assert.deepEqual(report.received.total, n(7));
    assert.deepEqual(report.closed.byOutcome, keyed({ findings: n(0), mediated: n(0), contact_log: n(1), referred_out: n(1), closed_no_finding: n(2) }));
    // C2 was acknowledged on 07-20 (late); C7's acknowledgement (08-16 00:00) is done; C4's was never done.
    assert.deepEqual(report.deadlines[0].statuses, keyed({ met: n(5), missed: n(1), overdue: n(1), open: n(0), not_applicable: n(0) }));
    // C2's classification (08-20) had not happened: overdue since 08-04.
    assert.deepEqual(report.deadlines[2].statuses, keyed({ met: n(5), missed: n(0), overdue: n(1), open: n(1), not_applicable: n(0) }));
    await assert.rejects(reportFigures(db, { from: "2025-10-01", to: "2025-12-31" }, new Date("2025-09-30T00:00:00Z")), /period: has not started yet/);
  });

  it("uses the office's discipline window setting for the discipline clock", async () => {
    await setDisciplineWindow(db, "user:admin", "180d");
    try {
      const report = await reportFigures(db, YEAR, NOW, { unsuppressed: true });
      assert.equal(report.disciplineWindow, "180d");
      // 180 days from the incident: C13 (03-01) by 08-28, C7 (08-14) by 2026-02-10, C8 (08-30) by 2026-02-26: only C13 is overdue.
      assert.deepEqual(report.deadlines[3].statuses, keyed({ met: n(1), missed: n(0), overdue: n(1), open: n(2), not_applicable: n(12) }));
    } finally {
      await setDisciplineWindow(db, "user:admin", "1y");
    }
  });
});

export type { ComplaintsReport };
