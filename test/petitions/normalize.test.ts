import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { SlidingWindowLimiter } from "../../src/campaign/petitions/limits.js";
import { clientNetwork, emailKey, normalizeEmail, normalizeZip } from "../../src/campaign/petitions/normalize.js";
import { checkFormToken, confirmToken, formToken, readConfirmToken } from "../../src/campaign/petitions/tokens.js";

describe("petitions: what makes two signatures the same", () => {
  it("normalises Gmail (dots, +tags, googlemail.com) and case", () => {
    for (const variant of ["Jane.Doe@gmail.com", "janedoe+news@gmail.com", "J.A.N.E.D.O.E@GoogleMail.com", " jane.doe+a+b@gmail.com. "]) {
      assert.equal(normalizeEmail(variant), "janedoe@gmail.com", variant);
    }
  });

  it("strips +tags only for the listed providers, and folds their alias domains", () => {
    assert.equal(normalizeEmail("Sam+x@Outlook.com"), "sam@outlook.com");
    assert.equal(normalizeEmail("sam+x@hotmail.com"), "sam@hotmail.com");
    assert.equal(normalizeEmail("kim+x@me.com"), "kim@icloud.com");
    assert.equal(normalizeEmail("kim@mac.com"), "kim@icloud.com");
    assert.equal(normalizeEmail("lee+x@protonmail.com"), "lee@proton.me");
    assert.equal(normalizeEmail("lee+x@fastmail.com"), "lee@fastmail.com");
    // Unknown providers keep their +tags and dots: they may be part of a different person's name.
    assert.equal(normalizeEmail("sam+x@example.org"), "sam+x@example.org");
    assert.equal(normalizeEmail("s.am@outlook.com"), "s.am@outlook.com");
    assert.equal(normalizeEmail("first-last@yahoo.com"), "first-last@yahoo.com");
    // Dots only matter to Gmail; a local part that is only a tag is not an address.
    assert.equal(normalizeEmail("+x@gmail.com"), "+x@gmail.com");
    assert.equal(normalizeEmail("no-at-sign"), null);
    assert.equal(normalizeEmail("@gmail.com"), null);
  });

  it("is idempotent, and the key depends on the secret", () => {
    fc.assert(fc.property(fc.emailAddress(), (email) => {
      const once = normalizeEmail(email);
      return once === null || normalizeEmail(once) === once;
    }));
    const a = emailKey(Buffer.from("one"), "x@example.org");
    assert.notEqual(a, emailKey(Buffer.from("two"), "x@example.org"));
    assert.ok(!a.includes("x@example.org"));
  });

  it("reads ZIP codes, cutting ZIP+4", () => {
    assert.equal(normalizeZip("64106"), "64106");
    assert.equal(normalizeZip(" 64106-1234 "), "64106");
    assert.equal(normalizeZip("641061234"), "64106");
    assert.equal(normalizeZip("6410"), null);
    assert.equal(normalizeZip("ABCDE"), null);
  });

  it("groups clients by IPv4 /24 and IPv6 /64 (address) and /48 (network)", () => {
    assert.deepEqual(clientNetwork("203.0.113.77"), { address: "203.0.113.77", network: "203.0.113.0/24" });
    assert.deepEqual(clientNetwork("::ffff:203.0.113.77"), { address: "203.0.113.77", network: "203.0.113.0/24" });
    assert.deepEqual(clientNetwork("2001:db8:1:2:3:4:5:6"), { address: "2001:0db8:0001:0002::/64", network: "2001:0db8:0001::/48" });
    assert.deepEqual(clientNetwork("2001:db8::1"), { address: "2001:0db8:0000:0000::/64", network: "2001:0db8:0000::/48" });
    assert.deepEqual(clientNetwork("::1"), { address: "0000:0000:0000:0000::/64", network: "0000:0000:0000::/48" });
    assert.deepEqual(clientNetwork("fe80::1%eth0"), { address: "fe80:0000:0000:0000::/64", network: "fe80:0000:0000::/48" });
  });
});

describe("petitions: signed tokens", () => {
  const secret = Buffer.from("a test secret of some length......");
  it("confirmation tokens name one signature and cannot be forged", () => {
    const id = crypto.randomUUID();
    const token = confirmToken(secret, id);
    assert.equal(readConfirmToken(secret, token), id);
    assert.equal(readConfirmToken(Buffer.from("another secret"), token), null);
    assert.equal(readConfirmToken(secret, `${crypto.randomUUID()}.${token.split(".")[1]}`), null);
    assert.equal(readConfirmToken(secret, "garbage"), null);
  });

  it("form tokens are bound to the petition, the visitor and a time", () => {
    const now = Date.now();
    const token = formToken(secret, "p1", "csrf-a", now);
    assert.equal(checkFormToken(secret, token, "p1", "csrf-a", 3_600_000, now), "ok");
    assert.equal(checkFormToken(secret, token, "p2", "csrf-a", 3_600_000, now), "invalid");
    assert.equal(checkFormToken(secret, token, "p1", "csrf-b", 3_600_000, now), "invalid");
    assert.equal(checkFormToken(secret, token, "p1", "csrf-a", 3_600_000, now + 2 * 3_600_000), "stale");
    assert.equal(checkFormToken(secret, undefined, "p1", "csrf-a", 3_600_000, now), "missing");
  });
});

describe("petitions: the sliding-window limiter", () => {
  it("counts attempts in the last window, weighing the previous one", () => {
    const limiter = new SlidingWindowLimiter(60_000);
    const start = 1_000_000_000_020 - (1_000_000_000_020 % 60_000);
    for (let i = 0; i < 10; i += 1) limiter.hit("k", start + i);
    // Half way through the next window, half of the previous window still counts.
    assert.equal(limiter.hit("k", start + 90_000), 5 + 1);
    // Two windows later, nothing of the first counts.
    assert.equal(limiter.hit("k", start + 200_000), 1);
    assert.equal(limiter.hit("other", start), 1);
  });
});
