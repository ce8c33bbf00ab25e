import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { atomFeed, escapeXml } from "./atom.js";
import { child, childrenNamed, parseXml } from "./test-support.js";

const HOSTILE = `Tom & Jerry's <script>alert("x")</script> ]]> \u0001\u0008 café 👩🏽‍⚖️`;

describe("the Atom feed builder", () => {
  it("escapes markup and drops characters XML 1.0 cannot hold", () => {
    assert.equal(escapeXml(`<a href="x">&'</a>`), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;");
    assert.equal(escapeXml("a\u0000b\u001fc\td\ne"), "abc\td\ne");
    assert.equal(escapeXml("lone \uD800 surrogate"), "lone  surrogate");
    assert.equal(escapeXml("pair 😀"), "pair 😀");
  });

  it("builds a well-formed Atom 1.0 document whose parsed text is the original text", () => {
    const xml = atomFeed({
      id: "https://example.org/campaign/feed.atom", title: HOSTILE, lang: "en", self: "https://example.org/campaign/feed.atom?lang=en&x=<1>",
      alternate: "https://example.org/campaign", updated: "2021-05-01T10:00:00Z", author: "Oversight",
      entries: [{ id: "urn:uuid:0b2c1f6e-6d33-4c1e-9a51-6a1f0e8e1f11", title: HOSTILE, updated: "2021-05-01T10:00:00Z", link: "https://example.org/campaign/demands/kc-1#e", content: HOSTILE, related: [{ href: "https://example.org/?a=1&b=2", title: HOSTILE }], categories: ["status", "met"] }],
    });
    const feed = parseXml(xml);
    assert.equal(feed.name, "feed");
    assert.equal(feed.attributes.xmlns, "http://www.w3.org/2005/Atom");
    const clean = HOSTILE.replace(/[\u0001\u0008]/g, "");
    assert.equal(child(feed, "title")!.text, clean);
    for (const required of ["id", "title", "updated", "author"]) assert.ok(child(feed, required), `feed has <${required}>`);
    const [entry] = childrenNamed(feed, "entry");
    assert.equal(child(entry, "content")!.text, clean);
    assert.equal(child(entry, "content")!.attributes.type, "text");
    const related = childrenNamed(entry, "link").find((l) => l.attributes.rel === "related")!;
    assert.equal(related.attributes.href, "https://example.org/?a=1&b=2");
    assert.equal(related.attributes.title, clean);
    assert.equal(childrenNamed(feed, "link").find((l) => l.attributes.rel === "self")!.attributes.href, "https://example.org/campaign/feed.atom?lang=en&x=<1>");
  });

  it("property: any text survives the round trip, minus the characters XML forbids", () => {
    fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => {
      const xml = atomFeed({ id: "urn:x", title: text, lang: "es", self: "https://e/", alternate: "https://e/", updated: "2021-01-01T00:00:00Z", author: text, entries: [{ id: "urn:y", title: text, updated: "2021-01-01T00:00:00Z", link: "https://e/", content: text }] });
      const feed = parseXml(xml);
      const expected = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
      assert.equal(child(childrenNamed(feed, "entry")[0], "content")!.text, expected);
    }), { numRuns: 300 });
  });

  it("the checker itself refuses what is not well-formed", () => {
    assert.throws(() => parseXml("<a><b></a></b>"));
    assert.throws(() => parseXml("<a>Tom & Jerry</a>"), /bare "&"/);
    assert.throws(() => parseXml('<a x="1" x="2"/>'), /duplicate/);
    assert.throws(() => parseXml("<a x=1/>"), /not quoted/);
    assert.throws(() => parseXml("<a>&nbsp;</a>"), /unknown entity/);
    assert.throws(() => parseXml("<a/><b/>"), /after the root/);
    assert.throws(() => parseXml("<a>\u0001</a>"));
  });
});
