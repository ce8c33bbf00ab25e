/**
 * `oversight pb import` and `oversight pb export` end to end, in child processes, as people and
 * scripts call them: a PGlite data directory, or a throwaway database on the PostgreSQL server
 * named by DATABASE_URL.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { testEngine } from "../db/test-db.js";

const DATA = new URL("../../../shared/data/pb/", import.meta.url);
const HARNESS = fileURLToPath(new URL("./pabulib/cli-harness.ts", import.meta.url));
const data = (name: string) => fileURLToPath(new URL(name, DATA));

describe(`oversight pb import / export (${testEngine})`, () => {
  const tmp = mkdtempSync(join(tmpdir(), "pb-io-cli-"));
  const dataDir = join(tmp, "data");
  let env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "" };
  let dropDatabase: (() => Promise<void>) | null = null;

  before(async () => {
    const server = process.env.DATABASE_URL;
    if (!server) return;
    const name = `oversight_cli_${randomBytes(6).toString("hex")}`;
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    env = { ...process.env, DATABASE_URL: url.toString() };
    dropDatabase = async () => {
      const cleanup = postgres(server, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    };
  });
  after(async () => {
    await dropDatabase?.();
    rmSync(tmp, { recursive: true, force: true });
  });

  const pb = (...args: string[]) => {
    const result = spawnSync(process.execPath, ["--import", "tsx", HARNESS, "pb", ...args, "--data-dir", dataDir], { encoding: "utf8", timeout: 120_000, env });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const oneLineError = (r: ReturnType<typeof pb>, pattern: RegExp) => {
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.stdout, "");
    const lines = r.stderr.split("\n").filter(Boolean);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  };

  it("imports a real election and exports it back unchanged (Wieliczka 2023, Gdańsk cumulative)", () => {
    for (const file of ["poland_wieliczka_2023.pb", "poland_gdansk_2020_wzgorze-mickiewicza.pb"]) {
      const imported = pb("import", data(file));
      assert.equal(imported.code, 0, imported.stderr);
      const match = /^imported (\S+) as process ([0-9a-f-]{36}) \(\/budget\/p\/([a-z0-9-]+)\): ([\d,]+) projects, ([\d,]+) ballots\n$/.exec(imported.stdout);
      assert.ok(match, imported.stdout);
      assert.equal(match[1], file);
      const out = join(tmp, `${match[3]}.pb`);
      // By id to a file, and by short name to stdout: the same text, the same as the original.
      const byId = pb("export", match[2], "--out", out);
      assert.equal(byId.code, 0, byId.stderr);
      assert.equal(byId.stdout, "");
      const bySlug = pb("export", match[3]);
      assert.equal(bySlug.code, 0, bySlug.stderr);
      const original = readFileSync(data(file), "utf8").replace(/\r\n/g, "\n");
      assert.equal(readFileSync(out, "utf8"), original, file);
      assert.equal(bySlug.stdout, original);
    }
    const wieliczka = pb("import", data("poland_wieliczka_2023.pb"));
    assert.match(wieliczka.stdout, /\/budget\/p\/poland-wieliczka-2023-2\): 64 projects, 6,586 ballots/);
  });

  it("a malformed .pb: one line naming the line, nothing imported", () => {
    const cases: [string, string, RegExp][] = [
      ["zero-budget.pb", "META\nkey;value\nbudget;0\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n", /^oversight pb import: line 3: the budget must be greater than zero$/],
      ["unknown-project.pb", "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n2;7\n", /^oversight pb import: line 11: .*'7'/],
      ["negative-cost.pb", "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;-5\nVOTES\nvoter_id;vote\n1;1\n", /^oversight pb import: line 7: /],
      ["missing-votes.pb", "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\n", /^oversight pb import: line \d+: .*VOTES/],
    ];
    for (const [name, text, pattern] of cases) {
      const file = join(tmp, name);
      writeFileSync(file, text);
      oneLineError(pb("import", file), pattern);
    }
    const ranked = join(tmp, "ranked.pb");
    writeFileSync(ranked, "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\n1;1\n");
    oneLineError(pb("import", ranked), /^oversight pb import: .*ranked \(ordinal\) ballots/);
    oneLineError(pb("import", join(tmp, "missing.pb")), /missing\.pb: no such file$/);
    // A 201 MB file (sparse: no disk used) is refused before it is read.
    const huge = join(tmp, "huge.pb");
    writeFileSync(huge, "");
    truncateSync(huge, 201 * 1024 * 1024);
    oneLineError(pb("import", huge), /^oversight pb import: the file is 201\.0 MB, over the 200\.0 MB limit; it was not read$/);
    oneLineError(pb("export", "no-such-process"), /^oversight pb export: no People's Budget process 'no-such-process'$/);
    // None of the bad files left a process behind.
    const list = pb("export", "zero-budget");
    assert.equal(list.code, 1);
  });

  it("pb count is unchanged", () => {
    const greedy = spawnSync(process.execPath, ["--import", "tsx", HARNESS, "pb", "count", data("poland_warszawa_2017_radosc.pb"), "--rule", "greedy", "--json"], { encoding: "utf8", timeout: 60_000 });
    assert.equal(greedy.status, 0, greedy.stderr);
    assert.deepEqual(JSON.parse(greedy.stdout), { selected: ["206", "832", "2490", "2486", "560", "544"], cost: 130502 });
  });
});
