/**
 * What makes two signatures "the same person": the normalised email address,
 * and the client address and network used for rate limits.
 */
import { createHmac } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";

/**
 * Mailbox providers whose addresses are rewritten before comparing.
 *
 * - `dots`: the provider ignores dots in the local part (only Gmail documents this).
 * - `plus`: the provider delivers `name+anything@` to `name@` (sub-addressing), so the
 *   `+tag` is dropped.
 * - `canonical`: domains that are the same mailbox namespace, folded into one.
 *
 * Providers not listed keep their local part as typed (lower-cased): many deliver
 * `+tags` to different mailboxes or treat `+` as an ordinary character, so stripping
 * it there could merge two different people. Yahoo's disposable addresses use `-`,
 * which also separates ordinary names, so Yahoo is left alone.
 */
export const EMAIL_PROVIDERS: Record<string, { dots?: true; plus?: true; canonical?: string }> = {
  // Google: dots ignored, +tags delivered to the same mailbox; googlemail.com is gmail.com.
  "gmail.com": { dots: true, plus: true },
  "googlemail.com": { dots: true, plus: true, canonical: "gmail.com" },
  // Microsoft consumer mail: +tags (plus addressing) delivered to the same mailbox.
  "outlook.com": { plus: true },
  "hotmail.com": { plus: true },
  "live.com": { plus: true },
  "msn.com": { plus: true },
  // Apple iCloud: +tags supported; me.com and mac.com are aliases of the same account.
  "icloud.com": { plus: true },
  "me.com": { plus: true, canonical: "icloud.com" },
  "mac.com": { plus: true, canonical: "icloud.com" },
  // Proton: +tags supported; one username across proton.me, protonmail.com and protonmail.ch.
  "proton.me": { plus: true },
  "protonmail.com": { plus: true, canonical: "proton.me" },
  "protonmail.ch": { plus: true, canonical: "proton.me" },
  "pm.me": { plus: true },
  // Fastmail, Zoho, Yandex: +tags supported.
  "fastmail.com": { plus: true },
  "fastmail.fm": { plus: true },
  "zohomail.com": { plus: true },
  "zoho.com": { plus: true },
  "yandex.com": { plus: true },
  "yandex.ru": { plus: true },
};

/**
 * The form of an address used to catch duplicates: trimmed and lower-cased (no
 * provider here treats case as significant), then rewritten by the provider's
 * rules above. Returns null when the text is not one address.
 *
 * @example normalizeEmail(" J.Doe+petition@GoogleMail.com ") === "jdoe@gmail.com"
 */
export function normalizeEmail(raw: string): string | null {
  const text = raw.trim().toLowerCase();
  const at = text.lastIndexOf("@");
  if (at <= 0 || at === text.length - 1) return null;
  let local = text.slice(0, at);
  let domain = text.slice(at + 1).replace(/\.$/, "");
  const rules = EMAIL_PROVIDERS[domain];
  if (rules?.plus) {
    const plus = local.indexOf("+");
    if (plus > 0) local = local.slice(0, plus);
  }
  if (rules?.dots) local = local.replace(/\./g, "");
  if (rules?.canonical) domain = rules.canonical;
  if (!local) return null;
  return `${local}@${domain}`;
}

/**
 * The stored form of an address: an HMAC under the server's secret, so duplicates
 * are caught without keeping the address itself.
 */
export function emailKey(secret: Buffer, normalized: string): string {
  return createHmac("sha256", secret).update(`petition-email:${normalized}`).digest("base64url");
}

/** A US ZIP code as five digits (ZIP+4 is accepted and cut to five), or null. */
export function normalizeZip(raw: string): string | null {
  const match = /^\s*(\d{5})(?:[-\s]?\d{4})?\s*$/.exec(raw);
  return match ? match[1] : null;
}

export interface ClientNetwork {
  /** The unit of the per-address limit: the IPv4 address, or the IPv6 /64 (one host's usual allocation). */
  address: string;
  /** The unit of the per-network limit: IPv4 /24, IPv6 /48. */
  network: string;
}

/**
 * The address and network a request came from. IPv4-mapped IPv6 addresses
 * (::ffff:1.2.3.4) count as IPv4. Anything unreadable is its own network.
 */
export function clientNetwork(remote: string): ClientNetwork {
  let ip = remote.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1];
  if (isIPv4(ip)) {
    const octets = ip.split(".");
    return { address: ip, network: `${octets.slice(0, 3).join(".")}.0/24` };
  }
  const zoneless = ip.replace(/%.*$/, "");
  if (isIPv6(zoneless)) {
    const groups = expandIPv6(zoneless);
    return { address: `${groups.slice(0, 4).join(":")}::/64`, network: `${groups.slice(0, 3).join(":")}::/48` };
  }
  return { address: ip || "unknown", network: ip || "unknown" };
}

/** Eight 4-digit lower-case hex groups. */
function expandIPv6(ip: string): string[] {
  let text = ip.toLowerCase();
  // An embedded IPv4 tail (::1.2.3.4) becomes two groups.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1].split(".").map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => group.padStart(4, "0"));
}
