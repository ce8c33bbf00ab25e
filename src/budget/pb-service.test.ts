import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ZodError } from "zod";
import type { Db } from "../db/db.js";
import { databaseSnapshot } from "../db/snapshot.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { deliverBatch } from "../outbox/index.js";
import { startTestSmtp, type ReceivedMail, type TestSmtp } from "../outbox/test-smtp.js";
import { createSmtpTransport } from "../outbox/transport.js";
import { TEST_SECRET } from "../web/test-app.js";
import { BudgetError } from "./errors.js";
import * as pb from "./pb-service.js";
import { count, makeProfile } from "./rules/index.js";
import { DEMO_RESULTS_SLUG, seedBudgetDemo } from "./seed.js";

const FROM = "Oversight <no-reply@oversight.example>";
const VOTER = "Canary.Voter+pb@Example.org";
const refused = (reason: string) => (error: unknown) => {
  assert.ok(error instanceof BudgetError, `expected a BudgetError, got ${String(error)}`);
  assert.equal(error.reason, reason);
  return true;
};

/** The text part of a received message, decoded (quoted-printable or base64). */
function bodyText(mail: ReceivedMail): string {
  const encoding = (mail.headers.get("content-transfer-encoding") ?? "").toLowerCase();
  if (encoding === "base64") return Buffer.from(mail.body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = mail.body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return mail.body;
}

describe(`People's Budget service (${testEngine})`, () => {
  let db: Db;
  let smtp: TestSmtp;
  let transport: ReturnType<typeof createSmtpTransport>;
  let auditFrom = 0;
  before(async () => {
    db = await openTestDb();
    smtp = await startTestSmtp();
    transport = createSmtpTransport(smtp.url);
  });
  after(async () => {
    transport.close();
    await smtp.close();
    await db.close();
  });

  const audit = () => db.query<{ action: string; entity: string; entity_id: string | null; entry: string }>("SELECT action, entity, entity_id, entry FROM audit_log WHERE seq >= $1 ORDER BY seq", [auditFrom]);
  const markAudit = async () => {
    auditFrom = Number((await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log"))[0].n);
  };

  /** A process with four proposals on a $1,000 ballot, voting open. */
  async function votingProcess(slug: string, settings: Record<string, string> = {}) {
    const id = await pb.createProcess(db, "user:test", {
      slug, title_en: "Test budget", title_es: "Presupuesto de prueba", budget: "1000", ballot_type: "approval_budget",
      eligibility_zip: "on", eligibility_codes: "on", zips: "64105, 64130", ...settings,
    });
    const proposals: string[] = [];
    for (const [title, cost, category] of [["Homes", "600", "housing"], ["Clinic", "300", "healthcare"], ["Bikes", "200", "infrastructure"], ["Books", "100", "education"]] as const) {
      proposals.push(await pb.addProposal(db, "user:test", id, { title_en: title, cost, category, status: "feasible" }));
    }
    await pb.addProposal(db, "user:test", id, { title_en: "An idea", status: "idea" });
    await pb.setPhase(db, "user:test", id, "voting");
    return { id, process: (await pb.findProcess(db, id))!, proposals };
  }

  it("verifies a voter by an emailed link through real SMTP, takes one ballot, refuses and audits a second", async () => {
    const { id, process, proposals } = await votingProcess("email-flow");
    await markAudit();
    assert.equal(await pb.requestVoteLink(db, TEST_SECRET, process, { email: VOTER, zip: "64130" }, { baseUrl: "https://vote.example/", lang: "es" }), "sent");
    const delivered = await deliverBatch(db, transport, { from: FROM, limit: 10 });
    assert.equal(delivered.sent, 1);
    const [mail] = await smtp.waitForMessages(1);
    assert.deepEqual(mail.rcptTo.map((a) => a.toLowerCase()), [VOTER.toLowerCase()]);
    const text = bodyText(mail);
    assert.match(text, /Este es su enlace para votar/);
    const link = /https:\/\/vote\.example\/budget\/p\/email-flow\/ballot\?token=([A-Za-z0-9_-]+)&lang=es/.exec(text);
    assert.ok(link, `a voting link in: ${text}`);
    const token = link[1];

    // The address is never stored: only an HMAC of it.
    const roll = await db.query<Record<string, unknown>>("SELECT * FROM pb_voters WHERE process_id = $1", [id]);
    assert.equal(roll.length, 1);
    assert.doesNotMatch(JSON.stringify(roll), /canary/i);

    assert.deepEqual(await pb.checkCredential(db, TEST_SECRET, process, { kind: "token", token }), { kind: "token", token });
    const cast = await pb.castBallot(db, TEST_SECRET, id, { kind: "token", token }, [{ proposalId: proposals[1] }, { proposalId: proposals[3] }]);
    assert.deepEqual(cast, { choices: [proposals[1], proposals[3]], points: null, totalCost: 400, totalPoints: 2 });
    const ballots = await db.query<{ voter_group: string | null }>("SELECT voter_group FROM pb_ballots WHERE process_id = $1", [id]);
    assert.deepEqual(ballots, [{ voter_group: "64130" }], "the ballot's group is the ZIP");
    assert.equal((await db.query<{ zip: string | null }>("SELECT zip FROM pb_voters WHERE process_id = $1", [id]))[0].zip, null, "and the ZIP leaves the voter roll");

    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "token", token }, [{ proposalId: proposals[0] }]), refused("already-voted"));
    await assert.rejects(pb.checkCredential(db, TEST_SECRET, process, { kind: "token", token }), refused("already-voted"));
    assert.equal((await db.query("SELECT 1 FROM pb_ballots WHERE process_id = $1", [id])).length, 1, "still one ballot");

    // Asking again: no new link, an email saying the address has voted (the page says the same either way).
    assert.equal(await pb.requestVoteLink(db, TEST_SECRET, process, { email: "canary.voter+pb@example.org", zip: "64105" }, { baseUrl: "https://vote.example", lang: "en" }), "already-voted");
    await deliverBatch(db, transport, { from: FROM, limit: 10 });
    const [, second] = await smtp.waitForMessages(2);
    assert.match(bodyText(second), /has already voted/);
    assert.doesNotMatch(bodyText(second), /token=/);

    const entries = await audit();
    const actions = entries.map((e) => e.action).filter((a) => a.startsWith("pb.") || a === "email.enqueue");
    assert.deepEqual(actions, ["email.enqueue", "pb.voter.link", "pb.ballot.cast", "pb.ballot.refused", "email.enqueue", "pb.voter.link"]);
    const refusal = entries.find((e) => e.action === "pb.ballot.refused")!;
    assert.equal(refusal.entity_id, id);
    assert.match(refusal.entry, /"reason":"already-voted"/);
    // Nothing in the audit log names the voter, the address, the token or the ballot.
    const voterId = (await db.query<{ id: string }>("SELECT id FROM pb_voters WHERE process_id = $1", [id]))[0].id;
    const ballotId = (await db.query<{ id: string }>("SELECT id FROM pb_ballots WHERE process_id = $1", [id]))[0].id;
    const log = JSON.stringify(entries);
    for (const secret of [voterId, ballotId, token, "canary", proposals[1], proposals[3]]) assert.ok(!log.toLowerCase().includes(secret.toLowerCase()), `the audit log does not hold ${secret}`);
  });

  it("checks eligibility: the ZIP must be on the list, links expire, bad links are refused", async () => {
    const { id, process } = await votingProcess("eligibility");
    await assert.rejects(pb.requestVoteLink(db, TEST_SECRET, process, { email: "a@example.org", zip: "10001" }, { baseUrl: "https://x", lang: "en" }), refused("zip-not-eligible"));
    await assert.rejects(pb.requestVoteLink(db, TEST_SECRET, process, { email: "not-an-address", zip: "64105" }, { baseUrl: "https://x", lang: "en" }), (e: unknown) => e instanceof ZodError && /email/.test(JSON.stringify(e.issues)));
    await assert.rejects(pb.checkCredential(db, TEST_SECRET, process, { kind: "token", token: "made-up" }), refused("bad-link"));
    assert.equal(await pb.requestVoteLink(db, TEST_SECRET, process, { email: "b@example.org", zip: "64105" }, { baseUrl: "https://x", lang: "en" }), "sent");
    const sent = await db.query<{ body_text: string }>("SELECT body_text FROM email_outbox WHERE to_address = 'b@example.org'");
    const token = /token=([A-Za-z0-9_-]+)/.exec(JSON.stringify(sent))?.[1];
    assert.ok(token);
    await db.query("UPDATE pb_voters SET token_expires_at = now() - interval '1 minute' WHERE process_id = $1", [id]);
    await assert.rejects(pb.checkCredential(db, TEST_SECRET, process, { kind: "token", token }), refused("link-expired"));
    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "token", token }, [{ proposalId: (await pb.proposalsOf(db, id))[0].id }]), refused("link-expired"));
    // A process without ZIP eligibility refuses email requests.
    const codesOnly = await pb.createProcess(db, "user:test", { slug: "codes-only", title_en: "Codes", budget: "10", ballot_type: "pick_n", pick_n: "1", eligibility_codes: "on" });
    await pb.addProposal(db, "user:test", codesOnly, { title_en: "x", cost: "5", status: "feasible" });
    await pb.setPhase(db, "user:test", codesOnly, "voting");
    await assert.rejects(pb.requestVoteLink(db, TEST_SECRET, (await pb.findProcess(db, codesOnly))!, { email: "c@example.org", zip: "64105" }, { baseUrl: "https://x", lang: "en" }), refused("zip-off"));
  });

  it("single-use codes: stored only as HMACs, typed loosely, used once (a second use refused and audited)", async () => {
    const { id, process, proposals } = await votingProcess("codes");
    const codes = await pb.generateCodes(db, TEST_SECRET, "user:test", id, { count: "5", batch: "Westside library" });
    assert.equal(codes.length, 5);
    for (const code of codes) assert.match(code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/);
    const stored = JSON.stringify(await db.query("SELECT * FROM pb_codes WHERE process_id = $1", [id]));
    for (const code of codes) assert.ok(!stored.includes(code.replace(/-/g, "")) && !stored.includes(code), "the code itself is not stored");
    const typed = ` ${codes[0].toLowerCase().replace(/-/g, " ")} `;
    assert.deepEqual(await pb.checkCredential(db, TEST_SECRET, process, { kind: "code", code: typed }), { kind: "code", code: codes[0] });
    await pb.castBallot(db, TEST_SECRET, id, { kind: "code", code: typed }, [{ proposalId: proposals[0] }]);
    assert.deepEqual(await db.query("SELECT voter_group FROM pb_ballots WHERE process_id = $1", [id]), [{ voter_group: "Westside library" }]);
    await markAudit();
    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "code", code: codes[0] }, [{ proposalId: proposals[1] }]), refused("already-voted"));
    assert.deepEqual((await audit()).map((e) => e.action), ["pb.ballot.refused"]);
    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "code", code: "ZZZZ-ZZZZ-ZZ" }, [{ proposalId: proposals[1] }]), refused("bad-code"));
    await assert.rejects(pb.checkCredential(db, TEST_SECRET, process, { kind: "code", code: "no" }), refused("bad-code"));
    assert.equal((await pb.turnout(db, id)).codesUsed, 1);
  });

  it("refuses a ballot over the budget with the reason, and the credential stays usable", async () => {
    const { id, process, proposals } = await votingProcess("over-budget");
    const [code] = await pb.generateCodes(db, TEST_SECRET, "user:test", id, { count: "1", batch: "Event" });
    const all = proposals.map((proposalId) => ({ proposalId }));
    const before = await databaseSnapshot(db);
    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "code", code }, all), (error: unknown) => {
      assert.ok(error instanceof BudgetError);
      assert.equal(error.reason, "over-budget");
      assert.equal(error.status, 422);
      assert.deepEqual(error.params, { total: 1200, budget: 1000, over: 200, currency: "USD" });
      return true;
    });
    assert.deepEqual(await databaseSnapshot(db), before, "the refusal changed nothing, not even the audit log");
    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "code", code }, []), refused("empty"));
    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "code", code }, [{ proposalId: "00000000-0000-4000-8000-000000000000" }]), refused("not-on-ballot"));
    // Exactly the budget is fine; the code was not used up by the refusals.
    const ok = await pb.castBallot(db, TEST_SECRET, id, { kind: "code", code }, [{ proposalId: proposals[0] }, { proposalId: proposals[1] }, { proposalId: proposals[3] }]);
    assert.equal(ok.totalCost, 1000);
    assert.equal(process.budget, 1000);
  });

  it("pick-N and cumulative ballots: too many choices or points are refused with the numbers", () => {
    const base = { id: "p", budget: 1000, ballot_type: "pick_n", pick_n: 2, points_total: null } as unknown as pb.ProcessRow;
    const proposals = ["a", "b", "c"].map((id, i) => ({ id, cost: 100 * (i + 1), status: "feasible", position: i + 1 }) as unknown as pb.ProposalRow);
    assert.throws(() => pb.checkBallot(base, proposals, [{ proposalId: "a" }, { proposalId: "b" }, { proposalId: "c" }]), (e: unknown) => e instanceof BudgetError && e.reason === "too-many" && e.params.count === 3 && e.params.n === 2);
    assert.deepEqual(pb.checkBallot(base, proposals, [{ proposalId: "c" }, { proposalId: "a" }, { proposalId: "a" }]).choices, ["a", "c"], "ballot order, no duplicates");
    const points = { ...base, ballot_type: "cumulative", pick_n: null, points_total: 10 } as unknown as pb.ProcessRow;
    assert.deepEqual(pb.checkBallot(points, proposals, [{ proposalId: "a", points: 7 }, { proposalId: "b", points: 0 }, { proposalId: "c", points: 3 }]), { choices: ["a", "c"], points: [7, 3], totalCost: 400, totalPoints: 10 });
    assert.throws(() => pb.checkBallot(points, proposals, [{ proposalId: "a", points: 7 }, { proposalId: "c", points: 4 }]), (e: unknown) => e instanceof BudgetError && e.reason === "too-many-points" && e.params.used === 11 && e.params.total === 10);
    assert.throws(() => pb.checkBallot(points, proposals, [{ proposalId: "a", points: -1 }]), (e: unknown) => e instanceof BudgetError && e.reason === "bad-points");
  });

  it("refuses ballots for a closed process (and audits it); the ballot is fixed once voting opens", async () => {
    const { id, proposals } = await votingProcess("closed");
    const [code] = await pb.generateCodes(db, TEST_SECRET, "user:test", id, { count: "1", batch: "Event" });
    await pb.setPhase(db, "user:test", id, "results");
    await markAudit();
    await assert.rejects(pb.castBallot(db, TEST_SECRET, id, { kind: "code", code }, [{ proposalId: proposals[0] }]), (error: unknown) => {
      assert.ok(error instanceof BudgetError);
      assert.equal(error.reason, "closed");
      assert.equal(error.params.phase, "results");
      return true;
    });
    await assert.rejects(pb.checkCredential(db, TEST_SECRET, (await pb.findProcess(db, id))!, { kind: "code", code }), refused("closed"));
    const entries = await audit();
    assert.deepEqual(entries.map((e) => e.action), ["pb.ballot.refused"]);
    assert.match(entries[0].entry, /"reason":"closed"/);
    assert.equal((await pb.turnout(db, id)).codesUsed, 0, "the code was not used");
    await assert.rejects(pb.updateProposal(db, "user:test", id, proposals[0], { title_en: "Homes", cost: "1", status: "feasible" }), refused("ballot-fixed"));
    await pb.updateProposal(db, "user:test", id, proposals[0], { title_en: "Homes, renamed", cost: "600", status: "feasible", category: "housing" });
    await assert.rejects(pb.updateProcess(db, "user:test", id, { slug: "closed", title_en: "T", budget: "5000", ballot_type: "approval_budget", eligibility_codes: "on" }), refused("ballot-fixed"));
    await assert.rejects(pb.submitIdea(db, id, { title: "Late idea" }, "en"), refused("ideas-closed"));
    const empty = await pb.createProcess(db, "user:test", { slug: "empty", title_en: "Empty", budget: "10", ballot_type: "approval_budget", eligibility_codes: "on" });
    await assert.rejects(pb.setPhase(db, "user:test", empty, "voting"), refused("no-proposals"));
  });

  it("keeps who voted apart from how: no shared column, no time, and the close seals the ballot box", async () => {
    // The schema: no link and no time of voting in any of the three tables.
    const columns = await db.query<{ table_name: string; column_name: string; data_type: string }>(
      "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name IN ('pb_ballots', 'pb_voters', 'pb_codes') ORDER BY table_name, ordinal_position",
    );
    const of = (table: string) => columns.filter((c) => c.table_name === table);
    assert.deepEqual(of("pb_ballots").map((c) => c.column_name), ["id", "process_id", "choices", "points", "voter_group", "source_voter_id", "source_fields", "source_position"]);
    for (const c of columns) assert.ok(!/timestamp|date|time/.test(c.data_type) || c.column_name === "token_expires_at", `${c.table_name}.${c.column_name} holds no time of voting`);
    const fks = await db.query<{ table_name: string; foreign_table: string }>(
      `SELECT tc.table_name, ccu.table_name AS foreign_table FROM information_schema.table_constraints tc
         JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name
        WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name IN ('pb_ballots', 'pb_voters', 'pb_codes')`,
    );
    assert.ok(fks.every((fk) => fk.foreign_table === "pb_processes"), "the only link any of them has is to the process");

    // The transaction id a ballot is written with is the voter's too, until the close re-writes the ballots.
    const { id, process, proposals } = await votingProcess("sealed");
    const codes = await pb.generateCodes(db, TEST_SECRET, "user:test", id, { count: "3", batch: "Event" });
    for (const [i, code] of codes.entries()) await pb.castBallot(db, TEST_SECRET, id, { kind: "code", code }, [{ proposalId: proposals[i] }]);
    await pb.requestVoteLink(db, TEST_SECRET, process, { email: "sealed@example.org", zip: "64105" }, { baseUrl: "https://x", lang: "en" });
    const outbox = JSON.stringify(await db.query("SELECT body_text FROM email_outbox WHERE to_address = 'sealed@example.org'"));
    const token = /token=([A-Za-z0-9_-]+)/.exec(outbox)![1];
    await pb.castBallot(db, TEST_SECRET, id, { kind: "token", token }, [{ proposalId: proposals[3] }]);
    const xmins = async (table: string, extra = "") => (await db.query<{ x: string }>(`SELECT xmin::text AS x FROM ${table} WHERE process_id = $1 ${extra}`, [id])).map((r) => r.x);
    const rollXmins = new Set([...(await xmins("pb_codes", "AND used")), ...(await xmins("pb_voters", "AND voted"))]);
    const before = await db.query<{ id: string; choices: unknown }>("SELECT id, choices FROM pb_ballots WHERE process_id = $1", [id]);
    assert.ok((await xmins("pb_ballots")).every((x) => rollXmins.has(x)), "before the seal, each ballot shares its transaction id with a roll entry");
    const { sealed } = await pb.setPhase(db, "user:test", id, "results");
    assert.equal(sealed, 4);
    const afterSeal = await db.query<{ id: string }>("SELECT id FROM pb_ballots WHERE process_id = $1", [id]);
    assert.equal(afterSeal.length, 4);
    assert.ok(afterSeal.every((b) => !before.some((old) => old.id === b.id)), "every ballot has a new random id");
    const sealedXmins = await xmins("pb_ballots");
    assert.equal(new Set(sealedXmins).size, 1, "all ballots were written by one transaction");
    assert.ok(!rollXmins.has(sealedXmins[0]), "which is no voter's");
    assert.equal((await pb.findProcess(db, id))!.sealed, true);
    const results = await pb.processResults(db, (await pb.findProcess(db, id))!);
    assert.equal(results.ballots, 4, "the sealed ballots count the same");
  });

  it("counts results with the rules' count(): the demo's winners per rule, and what each group got", async () => {
    await seedBudgetDemo(db);
    const process = (await pb.findProcess(db, DEMO_RESULTS_SLUG))!;
    const results = await pb.processResults(db, process);
    assert.equal(results.ballots, 300);
    assert.deepEqual(results.rules.map((r) => r.rule), ["greedy", "equal-shares", "phragmen"]);
    // The same election counted directly from the ballots with count().
    const proposals = pb.onBallot(await pb.proposalsOf(db, process.id));
    const ballots = await db.query<{ choices: string[] }>("SELECT choices FROM pb_ballots WHERE process_id = $1 ORDER BY id", [process.id]);
    const code = new Map(proposals.map((p) => [p.id, p.code]));
    const profile = makeProfile({ budget: 500_000, projects: proposals.map((p) => ({ id: p.code, cost: p.cost! })), ballots: ballots.map((b) => (Array.isArray(b.choices) ? b.choices : String(b.choices).replace(/[{}]/g, "").split(",")).map((id) => code.get(id)!)) });
    for (const [rule, options] of [["greedy", { rule: "greedy" }], ["equal-shares", { rule: "equal-shares", completion: "add1" }], ["phragmen", { rule: "phragmen" }]] as const) {
      const direct = count(profile, options);
      const ours = results.rules.find((r) => r.rule === rule)!;
      assert.deepEqual(ours.selected.map((id) => code.get(id)), direct.selected, rule);
      assert.equal(ours.cost, direct.cost);
      assert.ok(ours.cost <= 500_000);
    }
    // Greedy gives the majority (64111) everything; Equal Shares funds every group.
    const byGroup = new Map(results.groups.map((g) => [g.group, g]));
    assert.deepEqual([...byGroup.keys()], ["64111", "64130", "64108"]);
    assert.ok(byGroup.get("64130")!.perRule.greedy!.satisfiedBps < 5000);
    assert.ok(byGroup.get("64130")!.perRule["equal-shares"]!.satisfiedBps > 9000);
    assert.ok(byGroup.get("64108")!.perRule["equal-shares"]!.satisfiedBps > 9000);
    const mes = results.rules.find((r) => r.rule === "equal-shares")!;
    assert.ok(mes.official);
    assert.ok(mes.satisfiedBps > results.rules.find((r) => r.rule === "greedy")!.satisfiedBps);
    for (const row of results.projects) {
      const votes = row.votes;
      assert.equal(row.costPerVoteCents, votes === 0 ? null : Math.round((row.proposal.cost! * 100) / votes));
    }
  });

  it("ideas: anyone can submit one during idea collection; no personal data is asked or kept", async () => {
    const id = await pb.createProcess(db, "user:test", { slug: "ideas", title_en: "Ideas", budget: "100", ballot_type: "approval_budget", eligibility_codes: "on" });
    const ideaId = await pb.submitIdea(db, id, { title: "Más bancas en el parque", category: "infrastructure", location: "Parque Central" }, "es");
    const [idea] = (await pb.proposalsOf(db, id)).filter((p) => p.id === ideaId);
    assert.deepEqual([idea.title_en, idea.title_es, idea.status, idea.cost, idea.category], ["", "Más bancas en el parque", "idea", null, "infrastructure"]);
    await assert.rejects(pb.submitIdea(db, id, { title: "x" }, "en"), ZodError);
  });
});
