/** `oversight pb count` end to end, in a child process, as scripts will call it. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

const DATA = new URL("../../../../shared/data/pb/", import.meta.url);
const HARNESS = fileURLToPath(new URL("./cli-harness.ts", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "pb-cli-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function pb(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", HARNESS, "pb", ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const data = (name: string) => fileURLToPath(new URL(name, DATA));

function assertOneLineError(r: ReturnType<typeof pb>, pattern: RegExp) {
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `stderr: ${r.stderr}`);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
}

describe("oversight pb count", () => {
  it("--json prints exactly {selected, cost} and nothing else (Wieliczka, Equal Shares + add-one)", () => {
    const r = pb("count", data("poland_wieliczka_2023.pb"), "--rule", "equal-shares", "--utility", "cost", "--completion", "add1", "--json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    assert.match(r.stdout, /^\{"selected":\["[^\n]*\],"cost":995079\}\n$/);
    const out = JSON.parse(r.stdout) as { selected: string[]; cost: number };
    assert.deepEqual(Object.keys(out), ["selected", "cost"]);
    assert.equal(out.selected.length, 30);
    assert.ok(out.selected.every((id) => typeof id === "string"));
    assert.deepEqual(
      [...out.selected].sort((a, b) => Number(a) - Number(b)).join(","),
      "6,7,9,17,19,20,24,25,26,29,32,33,34,36,39,40,41,42,43,46,56,58,60,61,62,69,70,71,74,88",
    );
  });

  it("--json with greedy (Warsaw) and phragmen", () => {
    const greedy = pb("count", data("poland_warszawa_2017_radosc.pb"), "--rule", "greedy", "--json");
    assert.equal(greedy.code, 0, greedy.stderr);
    assert.deepEqual(JSON.parse(greedy.stdout), { selected: ["206", "832", "2490", "2486", "560", "544"], cost: 130502 });
    const phragmen = pb("count", data("poland_warszawa_2019_nadwisle.pb"), "--rule", "phragmen", "--json");
    assert.equal(phragmen.code, 0, phragmen.stderr);
    const out = JSON.parse(phragmen.stdout) as { selected: string[]; cost: number };
    assert.ok(out.cost <= 135502);
  });

  it("prints a readable table without --json", () => {
    const r = pb("count", data("poland_wieliczka_2023.pb"), "--rule", "equal-shares", "--completion", "add1", "--greedy-fill");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Method of Equal Shares \(cost utilities, add-one completion, greedy fill\)/);
    assert.match(r.stdout, /budget 1,000,000 · 6,586 voters · 64 projects · approval ballots/);
    assert.match(r.stdout, /selected \d+ projects costing [\d,]+ \(\d+\.\d% of the budget\)/);
  });

  it("a malformed file: one line naming the line, exit 1, no stack trace", () => {
    const path = join(tmp, "bad.pb");
    writeFileSync(path, "META\nkey;value\nbudget;0\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n");
    assertOneLineError(pb("count", path, "--rule", "greedy", "--json"), /^oversight pb count: line 3: the budget must be greater than zero$/);
  });

  it("usage errors: one line, exit 1", () => {
    assertOneLineError(pb("count", data("poland_wieliczka_2023.pb"), "--rule", "borda"), /argument 'borda' is invalid/);
    assertOneLineError(pb("count", data("poland_wieliczka_2023.pb"), "--rule", "greedy", "--completion", "add1"), /--completion applies to --rule equal-shares only/);
    assertOneLineError(pb("count", data("poland_gdansk_2020_wzgorze-mickiewicza.pb"), "--rule", "phragmen"), /approval ballots only/);
    assertOneLineError(pb("count", join(tmp, "missing.pb"), "--rule", "greedy"), /missing\.pb: no such file$/);
  });
});
