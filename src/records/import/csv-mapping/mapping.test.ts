import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { RowError } from "../errors.js";
import { compileDateFormat, dollarsToCents } from "./convert.js";
import { loadMapping, MappingError, parseMapping } from "./mapping.js";

const EXAMPLES = fileURLToPath(new URL("../../../../examples/mappings/", import.meta.url));

const MINIMAL = `
kind: allegations
agency: { slug: test-pd, name: Test PD, city: Testville, state: TX }
value_maps:
  findings: { Sustained: sustained, Not Sustained: not_sustained }
complaint:
  external_id: Case
allegation:
  final_finding: { column: Finding, map: findings }
officer:
  key: { kind: badge, column: Badge }
`;

/** Parses a YAML mapping and returns the MappingError it raises. */
function mappingError(text: string, file = "test.yaml"): MappingError {
  try {
    parseMapping(text, file);
  } catch (error) {
    if (error instanceof MappingError) return error;
    throw error;
  }
  assert.fail("the mapping was accepted");
}

function assertIssue(error: MappingError, key: string, message: RegExp) {
  const issue = error.issues.find((entry) => entry.key === key);
  assert.ok(issue, `no issue for ${key}; got ${JSON.stringify(error.issues)}`);
  assert.match(issue.message, message);
  assert.match(error.message, new RegExp(`${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
}

describe("csv mapping files", () => {
  it("loads every shipped example mapping", async () => {
    const files = readdirSync(EXAMPLES).filter((name) => /\.(ya?ml|json)$/.test(name));
    assert.ok(files.length >= 4);
    for (const name of files) {
      const mapping = await loadMapping(join(EXAMPLES, name));
      assert.ok(mapping.columns.size > 0, name);
    }
  });

  it("accepts a minimal mapping and lists the columns it reads", () => {
    const mapping = parseMapping(MINIMAL, "min.yaml");
    assert.equal(mapping.kind, "allegations");
    assert.equal(mapping.officerKey?.source, "csv:test-pd:badge");
    assert.deepEqual([...mapping.columns.keys()].sort(), ["Badge", "Case", "Finding"]);
  });

  it("names a missing required key", () => {
    assertIssue(mappingError(MINIMAL.replace("name: Test PD, ", "")), "agency.name", /missing/);
    assertIssue(mappingError(MINIMAL.replace("  external_id: Case\n", "  received_date: Date\n")), "complaint.external_id", /missing/);
    assertIssue(mappingError(MINIMAL.replace(/^kind: .*$/m, "")), "kind", /missing/);
    assertIssue(mappingError(MINIMAL.replace("  key: { kind: badge, column: Badge }\n", "  last_name: Last\n")), "officer.key", /missing/);
    assertIssue(mappingError(MINIMAL.replace(/complaint:\n {2}external_id: Case\n/, "")), "complaint", /missing/);
  });

  it("names a key with the wrong type", () => {
    assertIssue(mappingError(`${MINIMAL}trim: "yes"\n`), "trim", /boolean/);
    assertIssue(mappingError(MINIMAL.replace("kind: allegations", "kind: complaint")), "kind", /allegations, complaints/);
    assertIssue(mappingError(MINIMAL.replace("allegation:\n", "allegation:\n  suspension_days: 5\n")), "allegation.suspension_days", /column name/);
    assertIssue(mappingError(MINIMAL.replace("slug: test-pd", "slug: Test PD")), "agency.slug", /lower case/);
    assertIssue(mappingError(MINIMAL.replace("map: findings", "map: findings, transform: [titlecase]")), "allegation.final_finding.transform[0]", /not a transform/);
  });

  it("names an unknown field or key, and lists the ones that exist", () => {
    const error = mappingError(MINIMAL.replace("allegation:\n", "allegation:\n  finding: Finding\n"));
    assertIssue(error, "allegation.finding", /unknown key; allegation fields are category_code, category, investigator_finding/);
    assertIssue(mappingError(`${MINIMAL}colour: blue\n`), "colour", /unknown key/);
    assertIssue(mappingError(MINIMAL.replace("map: findings", "map: findings, default: other")), "allegation.final_finding.default", /unknown key; a field holds column, constant/);
    assertIssue(mappingError(`${MINIMAL}settlement:\n  status: Status\n`), "settlement", /not used by kind allegations/);
  });

  it("checks value maps against the field they feed", () => {
    assertIssue(mappingError(MINIMAL.replace("Sustained: sustained,", "Sustained: sustaned,")), 'value_maps.findings.Sustained', /"sustaned" does not fit allegation.final_finding/);
    assertIssue(mappingError(MINIMAL.replace("map: findings", "map: outcomes")), "allegation.final_finding.map", /value map "outcomes".*defines findings/);
    assertIssue(mappingError(MINIMAL.replace("map: findings", "map: findings, unmapped: maybe")), "allegation.final_finding.unmapped", /"maybe" does not fit/);
    assertIssue(mappingError(MINIMAL.replace("map: findings", "map: findings, keep_unmapped: true")), "allegation.final_finding.keep_unmapped", /only fits a text field/);
    assertIssue(mappingError(MINIMAL.replace("{ column: Finding, map: findings }", "{ column: Finding }").replace("allegation:\n", "allegation:\n  category: { column: C, unmapped: null }\n")), "allegation.category.unmapped", /only goes with map/);
    // unmapped: null is allowed and means "leave unknown words empty".
    const mapping = parseMapping(MINIMAL.replace("map: findings", "map: findings, unmapped: null"), "ok.yaml");
    assert.equal(mapping.sections.allegation?.final_finding.read({ Finding: "Whatever" }), null);
  });

  it("checks sources, transforms and constants", () => {
    assertIssue(mappingError(MINIMAL.replace("allegation:\n", "allegation:\n  category: { column: A, constant: B }\n")), "allegation.category", /only one source/);
    assertIssue(mappingError(MINIMAL.replace("allegation:\n", "allegation:\n  category: { transform: [trim] }\n")), "allegation.category", /needs a source/);
    assertIssue(mappingError(MINIMAL.replace("allegation:\n", "allegation:\n  suspension_days: { column: D, transform: [{ date: MM/DD/YYYY }] }\n")), "allegation.suspension_days.transform[0]", /a date does not fit/);
    assertIssue(mappingError(MINIMAL.replace("external_id: Case", "external_id: Case\n  received_date: { column: R, transform: [{ date: MM/QQ/YYYY }] }")), "complaint.received_date.transform[0].date", /not a usable date layout/);
    assertIssue(mappingError(MINIMAL.replace("external_id: Case", "external_id: Case\n  received_date: { column: R, transform: [integer, upper] }")), "complaint.received_date.transform[0]", /integer does not fit/);
    assertIssue(mappingError(MINIMAL.replace("allegation:\n", "allegation:\n  suspension_days: { constant: five }\n")), "allegation.suspension_days.constant", /not a whole number/);
    assertIssue(mappingError(MINIMAL.replace("allegation:\n", "allegation:\n  category: { column: C, separator: \", \" }\n")), "allegation.category.separator", /only goes with concat/);
  });

  it("reports every problem at once, and syntax errors by file", () => {
    const error = mappingError(MINIMAL.replace("name: Test PD, ", "").replace("allegation:\n", "allegation:\n  finding: F\n"));
    assert.deepEqual(error.issues.map((issue) => issue.key).sort(), ["agency.name", "allegation.finding"]);
    assert.match(error.message, /has 2 problems/);
    assertIssue(mappingError("kind: [allegations\n"), "(file)", /not valid YAML/);
    assertIssue(mappingError("{ \"kind\": ", "bad.json"), "(file)", /not valid JSON/);
    assertIssue(mappingError('{ "kind": "allegations", "agency": { "slug": "x", "name": "X" }, "complaint": { "external_id": 7 } }', "m.json"), "complaint.external_id", /column name/);
  });
});

describe("csv mapping values", () => {
  it("reads dates in the layout the mapping names, and refuses days that do not exist", () => {
    assert.equal(compileDateFormat("MM/DD/YYYY")("01/09/2023"), "2023-01-09");
    assert.equal(compileDateFormat("MM/DD/YYYY")("1/9/2023 12:00:00 AM"), "2023-01-09");
    assert.equal(compileDateFormat("DD.MM.YYYY")("31.12.2022"), "2022-12-31");
    assert.equal(compileDateFormat("YYYY-MM-DD")("2021-06-01T10:00:00Z"), "2021-06-01");
    assert.equal(compileDateFormat("DD-MMM-YYYY")("07-Jan-2016"), "2016-01-07");
    assert.equal(compileDateFormat("MMM D, YYYY")("September 3, 2019"), "2019-09-03");
    assert.equal(compileDateFormat("MM/DD/YYYY")("02/30/2023"), "invalid");
    assert.equal(compileDateFormat("MM/DD/YYYY")("2023-02-01"), null);
    assert.equal(compileDateFormat("DD-MMM-YYYY")("07-Foo-2016"), null);
    assert.throws(() => compileDateFormat("MM/DD"), /YYYY/);
    assert.throws(() => compileDateFormat("YYYY-MM-MM"), /month/);
  });

  it("turns dollars into cents without floating point", () => {
    assert.equal(dollarsToCents("$1,250.50"), 125050);
    assert.equal(dollarsToCents("1250.5"), 125050);
    assert.equal(dollarsToCents("0.07"), 7);
    assert.equal(dollarsToCents("-300"), -30000);
    assert.equal(dollarsToCents("($300.00)"), -30000);
    assert.equal(dollarsToCents(160000), 16000000);
    assert.equal(dollarsToCents("12.345"), null);
    assert.equal(dollarsToCents("1,25"), null);
    assert.equal(dollarsToCents("about $5"), null);
  });

  it("throws RowError naming the column for a value it cannot read", () => {
    const mapping = parseMapping(MINIMAL.replace("external_id: Case", "external_id: Case\n  received_date: { column: Received, transform: [{ date: MM/DD/YYYY }] }"), "m.yaml");
    const received = mapping.sections.complaint!.received_date;
    assert.equal(received.read({ Received: " 03/04/2020 " }), "2020-03-04");
    assert.equal(received.read({ Received: "  " }), null);
    assert.throws(() => received.read({ Received: "2020-03-04" }), (error: unknown) => error instanceof RowError && error.column === "Received" && /format MM\/DD\/YYYY/.test(error.message));
    const finding = mapping.sections.allegation!.final_finding;
    assert.equal(finding.read({ Finding: "Not Sustained" }), "not_sustained");
    assert.equal(finding.read({ Finding: "" }), null);
    assert.throws(() => finding.read({ Finding: "Sustaned" }), (error: unknown) => error instanceof RowError && error.column === "Finding" && /"Sustaned" is not in the value map "findings"/.test(error.message));
  });
});
