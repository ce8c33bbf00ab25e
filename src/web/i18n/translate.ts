import { en, type MessageKey } from "./en.js";
import { es } from "./es.js";

export const LANGS = ["en", "es"] as const;
export type Lang = (typeof LANGS)[number];
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const catalogs: Record<Lang, Record<MessageKey, string>> = { en, es };

/** Returns t(key, params) for one language; {name} placeholders are filled from params. */
export function translator(lang: Lang): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? en[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

/**
 * An explicit ?lang= wins, then the cookie from an earlier choice, then the
 * browser's Accept-Language, then English.
 */
export function pickLanguage(query: string | undefined, cookie: string | undefined, acceptLanguage: string | undefined): Lang {
  for (const candidate of [query, cookie]) {
    if (candidate && (LANGS as readonly string[]).includes(candidate)) return candidate as Lang;
  }
  return fromAcceptLanguage(acceptLanguage ?? "");
}

function fromAcceptLanguage(header: string): Lang {
  const ranked = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { base: tag.split("-")[0], q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const match = ranked.find((entry) => (LANGS as readonly string[]).includes(entry.base));
  return (match?.base as Lang) ?? "en";
}
