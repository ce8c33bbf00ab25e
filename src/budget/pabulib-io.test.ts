/** pabulib import → People's Budget process → export, on the real files in ../shared/data/pb. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import type { Db } from "../db/db.js";
import { openTestDb, testEngine } from "../db/test-db.js";
import { BudgetError } from "./errors.js";
import { exportProcess, importElection } from "./pabulib-io.js";
import { parsePabulib, readPabulibFile } from "./pabulib/parse.js";
import * as pb from "./pb-service.js";
import { seedBudgetDemo, DEMO_RESULTS_SLUG } from "./seed.js";

const DATA = new URL("../../../shared/data/pb/", import.meta.url);
const FILES = readdirSync(fileURLToPath(DATA)).filter((f) => f.endsWith(".pb")).sort();
const path = (name: string) => fileURLToPath(new URL(name, DATA));
/** The file as the writer writes it: LF line ends and a final newline. */
const normalized = (text: string) => text.replace(/\r\n/g, "\n").replace(/\n?$/, "\n");

/** EXPECTED.tsv: the official winners of five of the elections. */
const EXPECTED = readFileSync(path("EXPECTED.tsv"), "utf8").trim().split("\n").map((line) => {
  const [file, rule, , , , selected] = line.split("\t");
  return { file, rule: rule.replace("rule=", ""), selected: selected.replace("selected(official)=", "").split(",").sort() };
});

describe(`pabulib import and export (${testEngine})`, () => {
  let db: Db;
  const imported = new Map<string, string>();
  before(async () => {
    db = await openTestDb();
  });
  after(() => db.close());

  it("imports every real file as a process: projects and anonymous ballots", async () => {
    assert.equal(FILES.length, 8);
    for (const file of FILES) {
      const bytes = readFileSync(path(file));
      const election = await readPabulibFile(path(file));
      const report = await importElection(db, election, { fileName: file, bytes });
      imported.set(file, report.processId);
      assert.equal(report.projects, election.projects.length, file);
      assert.equal(report.ballots, election.voterIds.length, file);
      const process = (await pb.findProcess(db, report.processId))!;
      assert.equal(process.phase, "results");
      assert.equal(process.budget, election.budget);
      assert.equal(process.sealed, false);
      assert.match(process.source_sha256!, /^[0-9a-f]{64}$/);
      // No voter roll: imported ballots come with nobody's identity.
      assert.equal((await pb.turnout(db, report.processId)).emailVoted, 0);
    }
    const gdansk = (await pb.findProcess(db, imported.get("poland_gdansk_2020_wzgorze-mickiewicza.pb")!))!;
    assert.equal(gdansk.ballot_type, "cumulative");
    assert.equal(gdansk.points_total, 5);
    assert.equal(gdansk.currency, "PLN");
    const wieliczka = (await pb.findProcess(db, imported.get("poland_wieliczka_2023.pb")!))!;
    assert.equal(wieliczka.official_rule, "equal-shares");
    assert.equal(wieliczka.slug, "poland-wieliczka-2023");
  });

  it("exports each one back exactly as published (byte for byte, line ends aside)", async () => {
    for (const file of FILES) {
      const original = readFileSync(path(file), "utf8");
      const { text } = await exportProcess(db, imported.get(file)!);
      assert.equal(text, normalized(original), file);
      const again = parsePabulib(text);
      const first = parsePabulib(original);
      assert.deepEqual(again.profile, first.profile, file);
      assert.deepEqual([...again.meta], [...first.meta], file);
      assert.deepEqual(again.voterFields, first.voterFields, file);
    }
  });

  it("the results page's counts reproduce the official winners (EXPECTED.tsv)", async () => {
    assert.equal(EXPECTED.length, 5);
    for (const expected of EXPECTED) {
      const process = (await pb.findProcess(db, imported.get(expected.file)!))!;
      const results = await pb.processResults(db, process);
      const official = results.rules.find((r) => r.official)!;
      assert.equal(official.rule, expected.rule === "greedy" ? "greedy" : "equal-shares", expected.file);
      const code = new Map(results.projects.map((row) => [row.proposal.id, row.proposal.code]));
      assert.deepEqual(official.selected.map((id) => code.get(id)!).sort(), expected.selected, expected.file);
      if (expected.file === "poland_wieliczka_2023.pb") assert.equal(official.cost, 995_079);
    }
  });

  it("a voter column can group the ballots; voter columns can be dropped", async () => {
    const file = "poland_warszawa_2017_radosc.pb";
    const election = await readPabulibFile(path(file));
    const grouped = await importElection(db, election, { fileName: file, groupColumn: "voting_method", slug: "radosc-by-method" });
    const results = await pb.processResults(db, (await pb.findProcess(db, grouped.processId))!);
    assert.deepEqual(results.groups.map((g) => g.group).sort(), ["internet", "paper"]);
    assert.equal(results.groups.reduce((n, g) => n + g.ballots, 0), 258);
    const dropped = await importElection(db, election, { fileName: file, dropVoterFields: true });
    assert.equal(dropped.slug, "poland-warszawa-2017-radosc-2", "a free slug is found");
    const { text } = await exportProcess(db, dropped.processId);
    assert.match(text, /\nVOTES\nvoter_id;vote\n119;2490,560,2486,544,832,206\n/);
    await assert.rejects(importElection(db, election, { fileName: file, groupColumn: "district" }), (e: unknown) => e instanceof BudgetError && e.reason === "no-group-column");
    await assert.rejects(importElection(db, election, { fileName: file, slug: "radosc-by-method" }), (e: unknown) => e instanceof BudgetError && e.reason === "slug-taken");
  });

  it("exports a People's Budget run here in the researchers' format, ballots numbered without order or identity", async () => {
    await seedBudgetDemo(db);
    const { text } = await exportProcess(db, DEMO_RESULTS_SLUG);
    const election = parsePabulib(text);
    assert.equal(election.budget, 500_000);
    assert.equal(election.voteType, "approval");
    assert.equal(election.voterIds.length, 300);
    assert.deepEqual(election.voterIds.slice(0, 3), ["1", "2", "3"]);
    assert.equal(election.meta.get("rule"), "equalshares/add1");
    assert.match(election.meta.get("comment") ?? "", /Synthetic/);
    assert.deepEqual(election.projectColumns, ["project_id", "cost", "votes", "name", "category", "selected"]);
    assert.deepEqual(election.voteColumns, ["voter_id", "vote"], "no group, no time, no voter data");
    // Imported back, it counts the same.
    const again = await importElection(db, election, { fileName: "demo.pb" });
    const before = await pb.processResults(db, (await pb.findProcess(db, DEMO_RESULTS_SLUG))!);
    const after = await pb.processResults(db, (await pb.findProcess(db, again.processId))!);
    const codes = (r: typeof before) => r.rules.map((rule) => rule.selected.map((id) => r.projects.find((p) => p.proposal.id === id)!.proposal.code));
    assert.deepEqual(codes(after), codes(before));
    await assert.rejects(exportProcess(db, "no-such-process"), (e: unknown) => e instanceof BudgetError && e.reason === "no-process");
  });

  it("refuses ordinal ballots", async () => {
    const text = "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\n2;5\nVOTES\nvoter_id;vote\n1;2,1\n";
    await assert.rejects(importElection(db, parsePabulib(text), { fileName: "ranked.pb" }), (e: unknown) => e instanceof BudgetError && e.reason === "ordinal");
  });
});
