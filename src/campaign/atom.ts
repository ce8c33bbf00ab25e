/**
 * Atom 1.0 (RFC 4287) feeds, built as text with every value escaped. No XML
 * library: the feed is small and its structure fixed.
 */

/** Characters XML 1.0 does not allow at all (C0 controls except tab, LF, CR; lone surrogates; U+FFFE/FFFF). */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for an XML element or a double-quoted attribute, dropping characters XML cannot hold. */
export function escapeXml(value: string): string {
  return value
    .replace(INVALID_XML, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export interface AtomEntry {
  /** A permanent IRI, e.g. urn:uuid:… */
  id: string;
  title: string;
  /** RFC 3339 instant. */
  updated: string;
  /** RFC 3339 instant (optional). */
  published?: string;
  /** The page the entry is about. */
  link: string;
  /** Plain text; escaped here. */
  content: string;
  /** Links to evidence: rel="related". */
  related?: { href: string; title?: string }[];
  categories?: string[];
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string;
  lang: string;
  /** The feed's own URL (rel="self"). */
  self: string;
  /** The page the feed follows (rel="alternate"). */
  alternate: string;
  /** RFC 3339: the latest entry's, or a fixed instant when there are none. */
  updated: string;
  author: string;
  entries: AtomEntry[];
  /**
   * Feed-level elements in other namespaces (RFC 4287 §6.4 extension elements),
   * each an empty element with attributes, e.g. the audit log's signed tree head.
   */
  extensions?: AtomExtension[];
}

export interface AtomExtension {
  /** Namespace prefix, declared on the element itself. */
  prefix: string;
  namespace: string;
  name: string;
  attributes: Record<string, string | number>;
}

const el = (name: string, text: string, attributes = "") => `<${name}${attributes}>${escapeXml(text)}</${name}>`;
const attr = (name: string, value: string) => ` ${name}="${escapeXml(value)}"`;

export function atomFeed(feed: AtomFeed): string {
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom"${attr("xml:lang", feed.lang)}>`,
    `  ${el("id", feed.id)}`,
    `  ${el("title", feed.title)}`,
    ...(feed.subtitle ? [`  ${el("subtitle", feed.subtitle)}`] : []),
    `  ${el("updated", feed.updated)}`,
    `  <author>${el("name", feed.author)}</author>`,
    `  <link${attr("rel", "self")}${attr("type", "application/atom+xml")}${attr("href", feed.self)}/>`,
    `  <link${attr("rel", "alternate")}${attr("type", "text/html")}${attr("href", feed.alternate)}/>`,
    `  <generator>Oversight</generator>`,
    ...(feed.extensions ?? []).map((ext) =>
      `  <${ext.prefix}:${ext.name}${attr(`xmlns:${ext.prefix}`, ext.namespace)}${Object.entries(ext.attributes).map(([key, value]) => attr(key, String(value))).join("")}/>`,
    ),
    ...feed.entries.flatMap((entry) => [
      "  <entry>",
      `    ${el("id", entry.id)}`,
      `    ${el("title", entry.title, attr("type", "text"))}`,
      `    ${el("updated", entry.updated)}`,
      ...(entry.published ? [`    ${el("published", entry.published)}`] : []),
      `    <link${attr("rel", "alternate")}${attr("type", "text/html")}${attr("href", entry.link)}/>`,
      ...(entry.related ?? []).map((link) => `    <link${attr("rel", "related")}${attr("href", link.href)}${link.title ? attr("title", link.title) : ""}/>`),
      ...(entry.categories ?? []).map((term) => `    <category${attr("term", term)}/>`),
      `    ${el("content", entry.content, attr("type", "text"))}`,
      "  </entry>",
    ]),
    "</feed>",
    "",
  ];
  return lines.join("\n");
}
