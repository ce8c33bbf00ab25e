import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import fc from "fast-check";
import { count } from "../rules/index.js";
import { parsePabulib, readPabulibFile } from "./parse.js";
import { electionToWriteInput, quoteField, writePabulib, type PbWriteInput } from "./write.js";

const DATA = new URL("../../../../shared/data/pb/", import.meta.url);

describe("writing .pb files", () => {
  it("quotes fields that need it", () => {
    assert.equal(quoteField("plain"), "plain");
    assert.equal(quoteField("a;b"), '"a;b"');
    assert.equal(quoteField('say "hi"'), '"say ""hi"""');
    assert.equal(quoteField("two\nlines"), "two lines");
  });

  it("every real file survives parse → write → parse unchanged, and counts the same", async () => {
    const files = readdirSync(fileURLToPath(DATA)).filter((f) => f.endsWith(".pb"));
    assert.equal(files.length, 8);
    for (const f of files) {
      const original = await readPabulibFile(fileURLToPath(new URL(f, DATA)));
      const again = parsePabulib(writePabulib(electionToWriteInput(original)));
      assert.deepEqual(again.profile, original.profile, f);
      assert.deepEqual([...again.meta], [...original.meta], f);
      assert.deepEqual(again.projectColumns, original.projectColumns, f);
      assert.deepEqual(again.projects, original.projects, f);
      assert.deepEqual(again.voterIds, original.voterIds, f);
      assert.deepEqual(again.voterFields, original.voterFields, f);
      assert.deepEqual(count(again.profile, { rule: "greedy" }), count(original.profile, { rule: "greedy" }), f);
    }
  });

  it("writes a People's Budget built in memory (the export path), filling the counted META entries", () => {
    const input: PbWriteInput = {
      meta: { description: "People's Budget; test", country: "United States", unit: "Kansas City", instance: "2025", num_votes: "999", rule: "equalshares/add1" },
      voteType: "approval",
      budget: 1_000_000,
      projects: [
        { id: "h1", cost: 400_000, fields: { name: 'Tenant "right to counsel" fund', category: "housing" } },
        { id: "e1", cost: 250_000, fields: { name: "After-school programs", category: "education" } },
      ],
      votes: [
        { voterId: "v1", projects: ["h1", "e1"], fields: { neighborhood: "Westside" } },
        { voterId: "v2", projects: ["e1"] },
      ],
    };
    const text = writePabulib(input);
    assert.equal(
      text,
      [
        "META",
        "key;value",
        `description;"People's Budget; test"`,
        "country;United States",
        "unit;Kansas City",
        "instance;2025",
        "num_votes;2",
        "rule;equalshares/add1",
        "num_projects;2",
        "budget;1000000",
        "vote_type;approval",
        "PROJECTS",
        "project_id;cost;name;category",
        `h1;400000;"Tenant ""right to counsel"" fund";housing`,
        "e1;250000;After-school programs;education",
        "VOTES",
        "voter_id;vote;neighborhood",
        "v1;h1,e1;Westside",
        "v2;e1;",
        "",
      ].join("\n"),
    );
    const parsed = parsePabulib(text);
    assert.deepEqual(parsed.warnings, []);
    assert.equal(parsed.projects[0].fields[2], 'Tenant "right to counsel" fund');
  });

  it("refuses what would make an invalid file", () => {
    const base: PbWriteInput = { meta: {}, voteType: "approval", budget: 10, projects: [{ id: "a", cost: 5 }], votes: [{ voterId: "1", projects: ["a"] }] };
    assert.throws(() => writePabulib({ ...base, budget: 0 }), /budget must be greater than zero/);
    assert.throws(() => writePabulib({ ...base, projects: [{ id: "a", cost: -1 }] }), /non-negative integer/);
    assert.throws(() => writePabulib({ ...base, votes: [{ voterId: "1", projects: ["zzz"] }] }), /unknown project 'zzz'/);
    assert.throws(() => writePabulib({ ...base, votes: [{ voterId: "1", projects: [] }, { voterId: "1", projects: [] }] }), /duplicate voter/);
    assert.throws(() => writePabulib({ ...base, voteType: "cumulative" }), /points do not match/);
  });

  it("round-trips random elections, approval and cumulative, with awkward names", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "Ł", ";", '"', " ", "x", ",", "1") , maxLength: 12 });
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(1_000_000), { minLength: 6, maxLength: 6 }),
        fc.array(text, { minLength: 6, maxLength: 6 }),
        fc.array(fc.array(fc.tuple(fc.nat(5), fc.integer({ min: 1, max: 9 })), { maxLength: 6 }), { maxLength: 10 }),
        (cumulative, ids, costs, names, ballots) => {
          const input: PbWriteInput = {
            meta: { description: names[0] },
            voteType: cumulative ? "cumulative" : "approval",
            budget: 1 + costs[0],
            projects: ids.map((id, j) => ({ id, cost: costs[j], fields: { name: names[j] } })),
            votes: ballots.map((b, v) => {
              const seen = [...new Map(b.filter(([j]) => j < ids.length).map(([j, w]) => [j, w])).entries()];
              return { voterId: `v${v}`, projects: seen.map(([j]) => ids[j]), ...(cumulative ? { points: seen.map(([, w]) => w) } : {}) };
            }),
          };
          const parsed = parsePabulib(writePabulib(input));
          const back = electionToWriteInput(parsed);
          assert.deepEqual(back.projects.map((p) => [p.id, p.cost, p.fields?.name]), input.projects.map((p) => [p.id, p.cost, (p.fields?.name ?? "").replace(/\r?\n|\r/g, " ")]));
          assert.deepEqual(back.votes.map((v) => [v.voterId, v.projects, v.points]), input.votes.map((v) => [v.voterId, v.projects, v.points]));
        },
      ),
      { numRuns: 200 },
    );
  });
});
