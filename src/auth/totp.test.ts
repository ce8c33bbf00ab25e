import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { base32, hotp, matchCode, openSecret, otpauthUri, sealSecret, stepAt, totp } from "./totp.js";

// RFC 6238 Appendix B: the seeds for SHA1, SHA256 and SHA512, 8 digits, 30 s steps.
const SEED = {
  sha1: Buffer.from("12345678901234567890"),
  sha256: Buffer.from("12345678901234567890123456789012"),
  sha512: Buffer.from("1234567890123456789012345678901234567890123456789012345678901234"),
};
const VECTORS: [number, string, string, string][] = [
  [59, "94287082", "46119246", "90693936"],
  [1111111109, "07081804", "68084774", "25091201"],
  [1111111111, "14050471", "67062674", "99943326"],
  [1234567890, "89005924", "91819424", "93441116"],
  [2000000000, "69279037", "90698825", "38618901"],
  [20000000000, "65353130", "77737706", "47863826"],
];

describe("TOTP (RFC 6238)", () => {
  it("matches the RFC 6238 Appendix B test vectors", () => {
    for (const [seconds, sha1, sha256, sha512] of VECTORS) {
      assert.equal(totp(SEED.sha1, seconds * 1000, 8, "sha1"), sha1, `SHA1 at ${seconds}`);
      assert.equal(totp(SEED.sha256, seconds * 1000, 8, "sha256"), sha256, `SHA256 at ${seconds}`);
      assert.equal(totp(SEED.sha512, seconds * 1000, 8, "sha512"), sha512, `SHA512 at ${seconds}`);
    }
  });

  it("matches the RFC 4226 Appendix D HOTP values", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expected.forEach((code, counter) => assert.equal(hotp(SEED.sha1, counter), code));
  });

  it("accepts a code one step either side, and never the same step twice", () => {
    const now = 1_700_000_000_000;
    const code = totp(SEED.sha1, now - 30_000);
    assert.equal(matchCode(SEED.sha1, code, now, null), stepAt(now) - 1);
    assert.equal(matchCode(SEED.sha1, code, now, stepAt(now) - 1), null, "a used step is refused");
    assert.equal(matchCode(SEED.sha1, totp(SEED.sha1, now - 90_000), now, null), null, "too old");
    assert.equal(matchCode(SEED.sha1, "12345", now, null), null);
    assert.equal(matchCode(SEED.sha1, `${totp(SEED.sha1, now).slice(0, 3)} ${totp(SEED.sha1, now).slice(3)}`, now, null), stepAt(now), "spaces are ignored");
  });

  it("writes base32 and the otpauth address apps read, and seals the secret", () => {
    assert.equal(base32(Buffer.from("foobar")), "MZXW6YTBOI"); // RFC 4648 §10, without padding
    assert.equal(base32(SEED.sha1), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert.equal(otpauthUri(SEED.sha1, "ada@example.org"), "otpauth://totp/Oversight:ada%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Oversight&algorithm=SHA1&digits=6&period=30");
    const key = Buffer.alloc(32, 7);
    const sealed = sealSecret(SEED.sha1, key);
    assert.ok(!sealed.includes(base32(SEED.sha1)) && !sealed.includes(SEED.sha1.toString("base64url")));
    assert.deepEqual(openSecret(sealed, key), SEED.sha1);
    assert.throws(() => openSecret(sealed, Buffer.alloc(32, 8)), "another key cannot open it");
  });
});
