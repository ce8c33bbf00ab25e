import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { installDataKey } from "../db/data-key.js";
import { TEST_DATA_KEY } from "../db/test-db.js";
import { base32, matchCode, openSecret, otpauthUri, sealSecret, stepAt, totp } from "./totp.js";

// RFC 6238 Appendix B: the SHA1 seed, 8-digit codes at 30 s steps. A 6-digit code is the same
// number modulo 10^6, so it is the last six digits of each.
const SEED = Buffer.from("12345678901234567890");
const VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC 6238 Appendix B test vectors", () => {
    for (const [seconds, code] of VECTORS) assert.equal(totp(SEED, seconds * 1000), code.slice(-6), `at ${seconds}`);
  });

  it("matches the RFC 4226 Appendix D HOTP values (counter n is the step starting at 30·n s)", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expected.forEach((code, counter) => assert.equal(totp(SEED, counter * 30_000), code));
  });

  it("accepts a code one step either side, and never the same step twice", () => {
    const now = 1_700_000_000_000;
    const code = totp(SEED, now - 30_000);
    assert.equal(matchCode(SEED, code, now, null), stepAt(now) - 1);
    assert.equal(matchCode(SEED, code, now, stepAt(now) - 1), null, "a used step is refused");
    assert.equal(matchCode(SEED, totp(SEED, now - 90_000), now, null), null, "too old");
    assert.equal(matchCode(SEED, totp(SEED, now + 30_000), now, null), stepAt(now) + 1, "a clock a step ahead");
    assert.equal(matchCode(SEED, "12345", now, null), null);
    assert.equal(matchCode(SEED, `${totp(SEED, now).slice(0, 3)} ${totp(SEED, now).slice(3)}`, now, null), stepAt(now), "spaces are ignored");
  });

  it("writes base32 and the otpauth address apps read, and seals the secret with the data key", () => {
    assert.equal(base32(Buffer.from("foobar")), "MZXW6YTBOI"); // RFC 4648 §10, without padding
    assert.equal(base32(SEED), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    const uri = new URL(otpauthUri(SEED, "ada@example.org"));
    assert.equal(uri.protocol, "otpauth:");
    assert.equal(uri.host, "totp");
    assert.equal(decodeURIComponent(uri.pathname), "/Oversight:ada@example.org");
    assert.deepEqual(Object.fromEntries(uri.searchParams), { secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", issuer: "Oversight", algorithm: "SHA1", digits: "6", period: "30" });
    installDataKey(TEST_DATA_KEY);
    const sealed = sealSecret(SEED);
    assert.ok(!sealed.includes(base32(SEED)) && !sealed.includes(SEED.toString("base64")));
    assert.deepEqual(openSecret(sealed), SEED);
  });
});
