import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { testEngine } from "../db/test-db.js";
import { createTestApp } from "./test-app.js";

const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

/** Per-address limits count the real client: behind a named proxy, the forwarded address; otherwise the socket's. */
describe(`client addresses (${testEngine})`, () => {
  let site: Awaited<ReturnType<typeof createTestApp>>;
  before(async () => {
    site = await createTestApp({ apiRateLimit: 2, env: { OVERSIGHT_TRUSTED_PROXIES: "10.0.0.5, ::1" } });
  });
  after(() => site.close());

  const remaining = async (socket: string, forwardedFor?: string) => {
    const answer = await site.app.request("/api/v1/audit/tree-head", { headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {} }, from(socket));
    return answer.status === 429 ? "limited" : answer.headers.get("ratelimit-remaining");
  };

  it("counts clients behind a trusted proxy apart, by their forwarded address", async () => {
    assert.equal(await remaining("10.0.0.5", "203.0.113.1"), "1");
    assert.equal(await remaining("::ffff:10.0.0.5", "203.0.113.2"), "1", "a dual-stack socket address is the same proxy");
    assert.equal(await remaining("10.0.0.5", "198.51.100.9, 203.0.113.1"), "0", "the rightmost hop the proxy saw is the client");
  });

  it("ignores X-Forwarded-For from anyone else, so a client cannot pick a fresh address per request", async () => {
    assert.equal(await remaining("192.0.2.7", "1.1.1.1"), "1");
    assert.equal(await remaining("192.0.2.7", "2.2.2.2"), "0");
    assert.equal(await remaining("192.0.2.7", "3.3.3.3"), "limited");
  });

  it("refuses a trusted proxy that is not an address", async () => {
    await assert.rejects(createTestApp({ env: { OVERSIGHT_TRUSTED_PROXIES: "proxy.example" } }), /Invalid setting "trustedProxies.0": must be an IP address/);
  });
});
