import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";
import { PabulibError, type PabulibErrorCode } from "./errors.js";
import { parseAmount, parsePabulib, readPabulibFile, splitFields } from "./parse.js";

const DATA = new URL("../../../../shared/data/pb/", import.meta.url);
const dataFile = (name: string) => fileURLToPath(new URL(name, DATA));

const tmp = mkdtempSync(join(tmpdir(), "pabulib-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A small valid approval election; tests break one thing at a time. */
const GOOD = `META
key;value
description;Test
num_projects;3
num_votes;3
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;40;"Park; benches and ""green"" roof"
2;60;Library
3;30;Bikes
VOTES
voter_id;age;vote
a;30;1,2
b;41;2
c;;3,1
`;

function lines(text: string): string[] {
  return text.split("\n");
}

/** Replaces line `n` (1-based) of GOOD. */
function withLine(n: number, replacement: string | null, text = GOOD): string {
  const ls = lines(text);
  if (replacement === null) ls.splice(n - 1, 1);
  else ls[n - 1] = replacement;
  return ls.join("\n");
}

function expectError(text: string, code: PabulibErrorCode, line: number | null, pattern?: RegExp): PabulibError {
  try {
    parsePabulib(text);
  } catch (error) {
    assert.ok(error instanceof PabulibError, `expected a PabulibError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.line, line, error.message);
    if (line !== null) assert.match(error.message, new RegExp(`^line ${line}: `));
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected ${code} on line ${line}`);
}

describe("the real pabulib files", () => {
  const files = readdirSync(fileURLToPath(DATA)).filter((f) => f.endsWith(".pb"));
  it("all eight are present", () => {
    assert.equal(files.length, 8);
  });

  it("Gdynia (approval): parses, counts agree with META, quoted and plain fields", async () => {
    const e = await readPabulibFile(dataFile("poland_gdynia_2020_orlowo-small.pb"));
    assert.equal(e.voteType, "approval");
    assert.equal(e.budget, 376_020);
    assert.equal(e.projects.length, 8);
    assert.equal(e.profile.voterCount, 399);
    assert.deepEqual(e.warnings, []);
    assert.equal(e.profile.ballotPoints, null);
    assert.deepEqual(e.projects.map((p) => p.id), ["8", "7", "1", "6", "2", "5", "3", "4"]);
    assert.equal(e.projects[0].cost, 9990);
    // voter 50 voted for project 8 only; voter 168 for 1, 5, 7.
    const ballot = (v: number) => Array.from(e.profile.ballotProject.subarray(e.profile.ballotStart[v], e.profile.ballotStart[v + 1]), (j) => e.projects[j].id);
    assert.equal(e.voterIds[0], "50");
    assert.deepEqual(ballot(0), ["8"]);
    assert.deepEqual(ballot(1), ["1", "5", "7"]);
  });

  it("Łódź (approval, non-numeric project ids): parses", async () => {
    const e = await readPabulibFile(dataFile("poland_lodz_2020_nr-33.pb"));
    assert.equal(e.voteType, "approval");
    assert.equal(e.budget, 411_000);
    assert.equal(e.projects.length, 5);
    assert.equal(e.profile.voterCount, 237);
    assert.deepEqual(e.warnings, []);
    assert.ok(e.projects.some((p) => p.id === "W008NR"));
    assert.equal(e.meta.get("unit"), "Łódź");
  });

  it("Gdańsk (cumulative, with points): parses the points", async () => {
    const e = await readPabulibFile(dataFile("poland_gdansk_2020_wzgorze-mickiewicza.pb"));
    assert.equal(e.voteType, "cumulative");
    assert.equal(e.budget, 212_000);
    assert.equal(e.projects.length, 8);
    assert.equal(e.profile.voterCount, 318);
    assert.deepEqual(e.warnings, []);
    assert.ok(e.profile.ballotPoints);
    // Voter 94 gave 2,2,1 points to projects 2,6,5; every voter spends 1..5 points.
    const v = e.voterIds.indexOf("94");
    const { ballotStart, ballotProject, ballotPoints } = e.profile;
    const entries = Array.from({ length: ballotStart[v + 1] - ballotStart[v] }, (_, k) => [e.projects[ballotProject[ballotStart[v] + k]].id, ballotPoints[ballotStart[v] + k]]);
    assert.deepEqual(entries, [["2", 2], ["6", 2], ["5", 1]]);
    for (let u = 0; u < e.profile.voterCount; u++) {
      let total = 0;
      for (let k = ballotStart[u]; k < ballotStart[u + 1]; k++) total += ballotPoints[k];
      assert.ok(total >= 1 && total <= 5);
    }
    // The PROJECTS 'score' column is the sum of points.
    const scoreColumn = e.projectColumns.indexOf("score");
    for (const [j, p] of e.projects.entries()) {
      let score = 0;
      for (let k = 0; k < ballotStart[e.profile.voterCount]; k++) if (ballotProject[k] === j) score += ballotPoints[k];
      assert.equal(score, Number(p.fields[scoreColumn]), `project ${p.id}`);
    }
  });

  it("Wieliczka: quoted names with ';' and doubled quotes come through unquoted", async () => {
    const e = await readPabulibFile(dataFile("poland_wieliczka_2023.pb"));
    const name = e.projectColumns.indexOf("name");
    const p81 = e.projects.find((p) => p.id === "81")!;
    assert.equal(p81.fields[name], 'Sensoryczna ścieżka dla dzieci oraz domki dla zwierząt w Parku "Stok pod Baranem" - wykonane z ekologicznych recyklingowanych materiałów');
    assert.equal(p81.cost, 68_000);
    assert.equal(e.profile.voterCount, 6586);
  });

  it("streaming and in-memory parsing give the same election for every file", async () => {
    for (const f of files) {
      const streamed = await readPabulibFile(dataFile(f));
      const whole = parsePabulib(readFileSync(dataFile(f), "utf8"));
      assert.deepEqual(streamed.profile, whole.profile, f);
      assert.deepEqual([...streamed.meta], [...whole.meta], f);
      assert.deepEqual(streamed.voterIds, whole.voterIds, f);
    }
  });

  it("a tiny read chunk size would not matter: lines split across chunks are joined", async () => {
    // Same content written with CRLF and a BOM; the stream reader must still agree.
    const text = readFileSync(dataFile("poland_warszawa_2019_las.pb"), "utf8");
    const path = join(tmp, "crlf.pb");
    writeFileSync(path, "\ufeff" + text.replace(/\n/g, "\r\n"));
    const crlf = await readPabulibFile(path);
    assert.deepEqual(crlf.profile, parsePabulib(text).profile);
    assert.deepEqual([...crlf.meta], [...parsePabulib(text).meta]);
  });
});

describe("fields and amounts", () => {
  it("splits on ';' honouring quotes", () => {
    assert.deepEqual(splitFields('1;"a;b";"say ""hi""";x', 1), ["1", "a;b", 'say "hi"', "x"]);
    assert.deepEqual(splitFields(' 1 ; two ;', 1), ["1", "two", ""]);
    assert.deepEqual(splitFields('"";x', 1), ["", "x"]);
  });
  it("accepts whole amounts written with decimals, refuses fractions and negatives", () => {
    assert.equal(parseAmount("1000000", 1, "budget", "bad-budget"), 1_000_000);
    assert.equal(parseAmount("1000000.0", 1, "budget", "bad-budget"), 1_000_000);
    assert.equal(parseAmount("1000000,00", 1, "budget", "bad-budget"), 1_000_000);
    assert.throws(() => parseAmount("12.5", 7, "cost", "bad-cost"), /line 7: cost '12.5' is not a whole number/);
    assert.throws(() => parseAmount("-3", 7, "cost", "bad-cost"), /line 7: cost '-3' is negative/);
    assert.throws(() => parseAmount("1e6", 7, "cost", "bad-cost"), /not a number/);
    assert.throws(() => parseAmount("99999999999999999", 7, "cost", "bad-cost"), /too large/);
  });
  it("parses the good example", () => {
    const e = parsePabulib(GOOD);
    assert.equal(e.budget, 100);
    assert.deepEqual(e.projects.map((p) => [p.id, p.cost, p.line]), [["1", 40, 10], ["2", 60, 11], ["3", 30, 12]]);
    assert.equal(e.projects[0].fields[2], 'Park; benches and "green" roof');
    assert.deepEqual(e.voterIds, ["a", "b", "c"]);
    assert.deepEqual(Array.from(e.profile.ballotStart), [0, 2, 3, 5]);
    assert.deepEqual(Array.from(e.profile.ballotProject), [0, 1, 1, 2, 0]);
    assert.deepEqual(e.voterFields?.[2], ["c", "", "3,1"]);
  });
  it("accepts a budget written as 100.0, blank lines, lower-case section names and an empty ballot", () => {
    const text = withLine(6, "budget;100.0", GOOD).replace("PROJECTS", "\nprojects\n").replace("c;;3,1", "c;;");
    const e = parsePabulib(text);
    assert.equal(e.budget, 100);
    assert.equal(e.profile.ballotStart[3] - e.profile.ballotStart[2], 0);
  });
});

describe("malformed files name the line and the problem", () => {
  it("missing sections", () => {
    expectError(GOOD.slice(0, GOOD.indexOf("VOTES")), "missing-section", 12, /no VOTES section/);
    expectError(withLine(1, "description;x").replace("key;value\n", ""), "missing-section", 1, /META/);
    const noProjects = GOOD.replace(/PROJECTS[\s\S]*?VOTES/, "VOTES");
    expectError(noProjects, "section-order", 8, /VOTES section before PROJECTS/);
  });
  it("a header row missing or wrong", () => {
    expectError(withLine(9, "id;cost;name"), "bad-header", 9, /project_id and cost/);
    expectError(withLine(14, "voter_id;age;ballot"), "bad-header", 14, /voter_id and vote/);
    expectError(withLine(2, "k;v"), "bad-header", 2, /key;value/);
  });
  it("a vote for an unknown project", () => {
    expectError(withLine(16, "b;41;2,9"), "unknown-project", 16, /unknown project '9'/);
  });
  it("a negative, fractional or non-numeric cost", () => {
    expectError(withLine(11, "2;-60;Library"), "bad-cost", 11, /cost of project '2' '-60' is negative/);
    expectError(withLine(11, "2;60.5;Library"), "bad-cost", 11, /not a whole number/);
    expectError(withLine(11, "2;sixty;Library"), "bad-cost", 11, /not a number/);
  });
  it("a budget of zero, negative, fractional or missing", () => {
    expectError(withLine(6, "budget;0"), "bad-budget", 6, /greater than zero/);
    expectError(withLine(6, "budget;-5"), "bad-budget", 6, /negative/);
    expectError(withLine(6, "budget;99.5"), "bad-budget", 6, /whole number/);
    expectError(withLine(6, null), "missing-meta", 7, /has no budget/);
  });
  it("a missing or unknown vote_type", () => {
    expectError(withLine(7, "vote_type;ranked-pairs"), "bad-vote-type", 7, /unknown vote_type 'ranked-pairs'/);
    expectError(withLine(7, null), "missing-meta", 7, /no vote_type/);
  });
  it("duplicate project, voter and META key", () => {
    expectError(withLine(12, "2;30;Bikes"), "duplicate-project", 12, /project '2' is already listed on line 11/);
    expectError(withLine(17, "a;22;3"), "duplicate-voter", 17, /voter 'a' has already voted/);
    expectError(withLine(5, "budget;100"), "duplicate-meta", 6, /'budget' is already given on line 5/);
  });
  it("wrong column count", () => {
    expectError(withLine(16, "b;41;2;extra"), "column-count", 16, /4 columns, but the VOTES header on line 14 has 3/);
    expectError(withLine(10, "1;40"), "column-count", 10, /2 columns, but the PROJECTS header on line 9 has 3/);
  });
  it("an unclosed quote", () => {
    expectError(withLine(10, '1;40;"Park'), "bad-quote", 10, /not closed/);
  });
  it("sections out of order or repeated", () => {
    expectError(GOOD + "META\n", "section-order", 18, /second META/);
  });
  it("empty ids", () => {
    expectError(withLine(12, ";30;Bikes"), "empty-id", 12);
    expectError(withLine(16, ";41;2"), "empty-id", 16);
  });
  it("cumulative ballots: points must match the vote", () => {
    const cumulative = `META
key;value
budget;100
vote_type;cumulative
PROJECTS
project_id;cost
1;40
2;60
VOTES
voter_id;vote;points
a;1,2;3,2
b;2;5
c;1,2;4,1
`;
    assert.deepEqual(Array.from(parsePabulib(cumulative).profile.ballotPoints!), [3, 2, 5, 4, 1]);
    expectError(cumulative.replace("c;1,2;4,1", "c;1,2;4"), "bad-points", 13, /2 projects in vote but 1 values in points/);
    expectError(cumulative.replace("b;2;5", "b;2;-1"), "bad-points", 12, /negative/);
    expectError(cumulative.replace("a;1,2;3,2", "a;1,1;3,2"), "bad-vote", 11, /appears twice/);
    expectError(cumulative.replace("voter_id;vote;points", "voter_id;vote"), "bad-header", 10, /needs a points column/);
  });
  it("choose-1 ballots name one project", () => {
    expectError(withLine(7, "vote_type;choose-1"), "bad-vote", 15, /choose-1 but the vote names 2 projects/);
  });
  it("META counts that disagree, and repeated approvals, are warnings", () => {
    const e = parsePabulib(withLine(5, "num_votes;4").replace("b;41;2", "b;41;2,2"));
    assert.deepEqual(
      e.warnings.map((w) => [w.line, w.message]),
      [
        [5, "META num_votes says 4 but the file has 3 votes"],
        [16, "1 vote(s) approve the same project twice; counted once"],
      ],
    );
    assert.deepEqual(Array.from(e.profile.ballotProject), [0, 1, 1, 2, 0]);
  });
});

describe("size limit", () => {
  it("refuses a file over the limit before reading it", async () => {
    const path = join(tmp, "huge.pb");
    writeFileSync(path, "");
    truncateSync(path, 201 * 1024 * 1024); // sparse: 201 MB of zeros, never read
    await assert.rejects(readPabulibFile(path), (error: unknown) => {
      assert.ok(error instanceof PabulibError);
      assert.equal(error.code, "too-large");
      assert.equal(error.line, null);
      assert.match(error.message, /201\.0 MB, over the 200\.0 MB limit; it was not read/);
      return true;
    });
  });
  it("the limit is configurable, for files and text", async () => {
    const path = join(tmp, "small.pb");
    writeFileSync(path, GOOD);
    await assert.rejects(readPabulibFile(path, { maxBytes: 100 }), /over the 0\.0 MB limit/);
    assert.throws(() => parsePabulib(GOOD, { maxBytes: 100 }), (error: unknown) => error instanceof PabulibError && error.code === "too-large");
    assert.equal((await readPabulibFile(path, { maxBytes: 10_000 })).budget, 100);
  });
});
