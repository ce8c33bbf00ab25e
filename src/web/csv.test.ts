import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { csvLines, csvTable, spreadsheetSafe } from "./csv.js";

describe("the CSV writer", () => {
  it("prefixes text that a spreadsheet would run, and nothing else", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) assert.equal(spreadsheetSafe(`${start}SUM(A1)`), `'${start}SUM(A1)`);
    for (const text of ["Ada", " =1", "", "'=1", "1-2"]) assert.equal(spreadsheetSafe(text), text);
  });

  it("defuses every text cell, header included, and leaves numbers as figures", () => {
    const csv = csvLines([["=name", "delta"], ['=HYPERLINK("http://x","y")', -3], ["-3", 4]]);
    assert.deepEqual(parse(csv), [["'=name", "delta"], [`'=HYPERLINK("http://x","y")`, "-3"], ["'-3", "4"]]);
  });

  it("writes CRLF rows and quotes a cell holding a lone LF or CR, a comma or a quote", () => {
    const csv = csvLines([["a\nb", "c\rd", "e,f", 'g"h', "plain"]]);
    assert.equal(csv, '"a\nb","c\rd","e,f","g""h",plain\r\n');
    assert.deepEqual(parse(csv), [["a\nb", "c\rd", "e,f", 'g"h', "plain"]]);
  });

  it("keeps text as it is only when asked (a file the importer reads back)", () => {
    assert.equal(csvLines([["=1", "-3"]], { formulas: "keep" }), "=1,-3\r\n");
  });

  it("flattens nested items into dotted columns, defused too", () => {
    const csv = csvTable([{ id: 1, agency: { name: "+Agency" }, tags: ["=a", "b"] }]);
    assert.deepEqual(parse(csv, { columns: true }), [{ id: "1", "agency.name": "'+Agency", tags: "'=a; b" }]);
  });
});
