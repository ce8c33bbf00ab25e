/**
 * Test support: a strict, small XML 1.0 parser (no DTDs, no processing
 * instructions beyond the declaration, no CDATA) that throws on anything not
 * well-formed, so the Atom feed's tests parse it rather than match strings;
 * and an organizer's signed-in session on a test app.
 */
import { createUser } from "../auth/service.js";
import { cookieFrom, createTestApp } from "../web/test-app.js";
import { campaignRoutes } from "./routes.js";

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (concatenated, entities decoded). */
  text: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`raw "<" in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare "&" in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref];
    const numeric = /^#(?:x([0-9A-Fa-f]+)|(\d+))$/.exec(ref);
    if (!numeric) throw new Error(`unknown entity &${ref}; in ${where}`);
    const code = numeric[1] ? parseInt(numeric[1], 16) : Number(numeric[2]);
    const char = String.fromCodePoint(code);
    if (FORBIDDEN_CHAR.test(char)) throw new Error(`character reference &${ref}; is not allowed in XML 1.0 (${where})`);
    return char;
  });
}

/** Parses a whole XML document and returns its root element; throws naming the first problem. */
export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN_CHAR.test(xml)) throw new Error("a character XML 1.0 does not allow");
  let pos = 0;
  const declaration = /^<\?xml\s+version="1\.0"(\s+encoding="[A-Za-z0-9._-]+")?\s*\?>/.exec(xml);
  if (declaration) pos = declaration[0].length;
  const skipSpace = () => {
    while (pos < xml.length && /\s/.test(xml[pos])) pos++;
  };
  const readElement = (): XmlElement => {
    if (xml[pos] !== "<") throw new Error(`expected "<" at ${pos}`);
    pos++;
    const name = NAME.exec(xml.slice(pos))?.[0];
    if (!name) throw new Error(`bad element name at ${pos}`);
    pos += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: "" };
    for (;;) {
      const before = pos;
      skipSpace();
      if (xml.startsWith("/>", pos)) {
        pos += 2;
        return element;
      }
      if (xml[pos] === ">") {
        pos++;
        break;
      }
      if (pos === before) throw new Error(`attributes of <${name}> must be separated by space at ${pos}`);
      const attribute = NAME.exec(xml.slice(pos))?.[0];
      if (!attribute) throw new Error(`bad attribute in <${name}> at ${pos}`);
      pos += attribute.length;
      skipSpace();
      if (xml[pos] !== "=") throw new Error(`attribute ${attribute} of <${name}> has no "="`);
      pos++;
      skipSpace();
      const quote = xml[pos];
      if (quote !== '"' && quote !== "'") throw new Error(`attribute ${attribute} of <${name}> is not quoted`);
      const end = xml.indexOf(quote, pos + 1);
      if (end < 0) throw new Error(`attribute ${attribute} of <${name}> is not closed`);
      if (attribute in element.attributes) throw new Error(`duplicate attribute ${attribute} in <${name}>`);
      element.attributes[attribute] = decode(xml.slice(pos + 1, end), `attribute ${attribute} of <${name}>`);
      pos = end + 1;
    }
    for (;;) {
      const next = xml.indexOf("<", pos);
      if (next < 0) throw new Error(`<${name}> is never closed`);
      element.text += decode(xml.slice(pos, next), `text of <${name}>`);
      pos = next;
      if (xml.startsWith("</", pos)) {
        const close = new RegExp(`^</${name.replace(/[.]/g, "\\.")}\\s*>`).exec(xml.slice(pos));
        if (!close) throw new Error(`</…> at ${pos} does not close <${name}>`);
        pos += close[0].length;
        return element;
      }
      if (xml.startsWith("<!--", pos)) {
        const end = xml.indexOf("-->", pos);
        if (end < 0) throw new Error("unclosed comment");
        pos = end + 3;
        continue;
      }
      if (xml.startsWith("<!", pos) || xml.startsWith("<?", pos)) throw new Error(`unsupported markup at ${pos}`);
      element.children.push(readElement());
    }
  };
  skipSpace();
  const root = readElement();
  skipSpace();
  if (pos !== xml.length) throw new Error(`content after the root element at ${pos}`);
  return root;
}

export const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);
export const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name);

/**
 * The real app over a fresh test database, with the campaign mounted (harmless
 * once app.tsx mounts it too: the first registration answers), seeded with the
 * Kansas City facts when asked, and an organizer signed in.
 */
export async function campaignTestSite(options: { seed?: boolean; role?: "organizer" | "admin" | "intake" } = {}) {
  const site = await createTestApp();
  site.app.route("/", campaignRoutes());
  if (options.seed !== false) {
    const { seedKansasCity } = await import("./service.js");
    await seedKansasCity(site.db);
  }
  const role = options.role ?? "organizer";
  const email = `${role}@example.org`;
  const password = `${role} password 1234`;
  await createUser(site.db, { email, displayName: `A ${role}`, password, role }, "test");
  const form = await site.app.request("/login");
  const visitorCsrf = cookieFrom(form, "oversight_csrf")!;
  const login = await site.app.request("/login", {
    method: "POST",
    body: new URLSearchParams({ email, password, _csrf: visitorCsrf }),
    headers: { cookie: `oversight_csrf=${visitorCsrf}`, "content-type": "application/x-www-form-urlencoded" },
  });
  const session = cookieFrom(login, "oversight_session");
  if (!session) throw new Error(`could not sign in as ${role}`);
  const home = await (await site.app.request("/", { headers: { cookie: `oversight_session=${session}` } })).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home)![1];
  const staff = { cookie: `oversight_session=${session}`, csrf };
  /** A form post as the signed-in user (the CSRF token is added unless given). */
  const post = (path: string, fields: Record<string, string>, as: { cookie: string; csrf: string } = staff) =>
    site.app.request(path, {
      method: "POST",
      body: new URLSearchParams({ _csrf: as.csrf, ...fields }),
      headers: { cookie: as.cookie, "content-type": "application/x-www-form-urlencoded" },
    });
  const get = (path: string, as: { cookie: string } | null = null) => site.app.request(path, as ? { headers: { cookie: as.cookie } } : undefined);
  return { ...site, staff, post, get, visitorCsrf };
}
