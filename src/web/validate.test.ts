import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanText, textInput } from "./validate.js";

describe("text input is cleaned once, in its schema", () => {
  it("drops bidirectional overrides, isolates and marks, and controls other than tab and line breaks", () => {
    const hostile = "Officer \u202Egnp.exe\u202C \u2066x\u2069 \u200E\u200F\u061C a\u0000b\u0007c\u001b[31m\u007f\u0085\uFEFF";
    assert.equal(cleanText(hostile), "Officer gnp.exe x  abc[31m");
    assert.equal(cleanText("line one\r\nline two\tend"), "line one\r\nline two\tend");
  });

  it("composes to NFC, so the same name typed two ways is stored one way", () => {
    assert.equal(cleanText("Jose\u0301"), "Jos\u00e9");
    assert.equal(cleanText("Jose\u0301").length, 4);
  });

  it("cleans before the other checks: an override does not count toward a length, a field of controls is empty", () => {
    const schema = textInput().trim().min(1).max(3);
    assert.equal(schema.parse("\u202Eabc\u202C"), "abc");
    assert.equal(schema.safeParse("\u202E\u202C").success, false);
  });
});
