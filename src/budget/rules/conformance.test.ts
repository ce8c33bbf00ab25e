/**
 * Conformance: the five real elections in shared/data/pb, counted by the rule their city used, must
 * give exactly the official winners listed in EXPECTED.tsv (read here, not copied). The data must be
 * present: a missing file fails the test rather than skipping it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { readPabulibFile } from "../pabulib/parse.js";
import { equalShares } from "./equal-shares.js";
import { count } from "./index.js";

const DATA = new URL("../../../../shared/data/pb/", import.meta.url);

interface Expected {
  file: string;
  rule: string;
  budget: number;
  voters: number;
  projects: number;
  selected: string[];
}

function readExpected(): Expected[] {
  const text = readFileSync(new URL("EXPECTED.tsv", DATA), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [file, ...cells] = line.split("\t");
      const field = (key: string) => {
        const cell = cells.find((c) => c.startsWith(`${key}=`));
        assert.ok(cell, `EXPECTED.tsv: ${file} has no ${key}=`);
        return cell.slice(key.length + 1);
      };
      return {
        file,
        rule: field("rule"),
        budget: Number(field("budget")),
        voters: Number(field("voters")),
        projects: Number(field("projects")),
        selected: field("selected(official)").split(","),
      };
    });
}

const numeric = (ids: readonly string[]) => [...ids].sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));

describe("official results of real elections (shared/data/pb/EXPECTED.tsv)", () => {
  const expected = readExpected();

  it("lists the four Warsaw elections by greedy and Wieliczka 2023 by Equal Shares with add-one", () => {
    assert.equal(expected.length, 5);
    assert.equal(expected.filter((e) => e.rule === "greedy" && e.file.startsWith("poland_warszawa_")).length, 4);
    assert.deepEqual(
      expected.filter((e) => e.rule === "equalshares/add1").map((e) => e.file),
      ["poland_wieliczka_2023.pb"],
    );
  });

  for (const e of expected) {
    it(`${e.file}: ${e.rule} reproduces the ${e.selected.length} official winners`, async () => {
      const election = await readPabulibFile(fileURLToPath(new URL(e.file, DATA)));
      assert.equal(election.budget, e.budget);
      assert.equal(election.profile.voterCount, e.voters);
      assert.equal(election.projects.length, e.projects);
      assert.equal(election.meta.get("rule"), e.rule, "the file's META names the same rule");
      let result;
      if (e.rule === "greedy") result = count(election.profile, { rule: "greedy" });
      else if (e.rule === "equalshares/add1") result = count(election.profile, { rule: "equal-shares", utility: "cost", completion: "add1", greedyFill: false });
      else throw new Error(`EXPECTED.tsv names a rule this test does not know: ${e.rule}`);
      assert.deepEqual(numeric(result.selected), numeric(e.selected));
      // The file's own `selected` column agrees (Warsaw and Wieliczka files carry one).
      const selectedColumn = election.projectColumns.findIndex((c) => c.toLowerCase() === "selected");
      if (selectedColumn >= 0) {
        const marked = election.projects.filter((p) => p.fields[selectedColumn] === "1").map((p) => p.id);
        assert.deepEqual(numeric(marked), numeric(e.selected));
      }
    });
  }

  it("Wieliczka 2023: exactly 30 winners, 995,079 of 1,000,000 spent; stopping at the first exhaustive outcome instead gives 31", async () => {
    const election = await readPabulibFile(fileURLToPath(new URL("poland_wieliczka_2023.pb", DATA)));
    const official = equalShares(election.profile, { utility: "cost", completion: "add1" });
    assert.equal(official.selected.length, 30);
    assert.equal(official.cost, 995_079);
    assert.equal(election.budget, 1_000_000);
    // The per-voter budget of the official outcome: 1,000,000 / 6,586 + 164.
    assert.equal(official.steps, 164);
    const naive = equalShares(election.profile, { utility: "cost", completion: "add1", skipAhead: false });
    assert.deepEqual(naive.selected, official.selected);
    const exhaustive = equalShares(election.profile, { utility: "cost", completion: "add1", completionStop: "exhaustive" });
    assert.equal(exhaustive.selected.length, 31);
    // Without completion Equal Shares spends well under half the budget.
    const plain = equalShares(election.profile, { utility: "cost" });
    assert.ok(plain.cost < 500_000);
  });
});
