import type { PetitionsTranslate } from "../i18n.js";
import { toIso } from "../service.js";

export type Lang = "en" | "es";

/** The petitions' stylesheet and the live-count script: <link> and <script> in the body keep the shared layout untouched. */
export const PetitionStyles = () => <link rel="stylesheet" href="/petitions/assets/petitions.css" />;
export const LiveScript = () => <script src="/petitions/assets/live.js" defer></script>;

export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

const locale = (lang: Lang) => (lang === "es" ? "es-US" : "en-US");

export const formatNumber = (n: number, lang: Lang) => new Intl.NumberFormat(locale(lang)).format(n);

export function formatDate(value: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "long", timeZone: "UTC" }).format(new Date(toIso(value)));
}

export function DateText({ value, lang }: { value: string; lang: Lang }) {
  return <time datetime={toIso(value)}>{formatDate(value, lang)}</time>;
}

/** Picks the text in the page's language. */
export const pick = (lang: Lang, en: string, es: string) => (lang === "es" ? es : en);

/** Text split into paragraphs on blank lines. */
export function Paragraphs({ text, lang }: { text: string; lang?: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((para) => <p lang={lang}>{para.trim()}</p>)}
    </>
  );
}

export function Notice({ text }: { text?: string | null }) {
  return text ? <p class="notice" role="status">{text}</p> : null;
}

export function ErrorBox({ text, id }: { text?: string | null; id?: string }) {
  return text ? <p class="error-box" role="alert" id={id}>{text}</p> : null;
}

/** Staff-facing counts, with every status. */
export function StatusCounts({ t, lang, counts }: { t: PetitionsTranslate; lang: Lang; counts: { verified: number; pending: number; paper: number; invalidated: number; expired: number } }) {
  return (
    <ul class="stats">
      <li><span class="figure">{formatNumber(counts.verified, lang)}</span> {t("petitions.count.verified")}</li>
      <li><span class="figure">{formatNumber(counts.paper, lang)}</span> {t("petitions.count.paperLabel")}</li>
      <li><span class="figure">{formatNumber(counts.pending, lang)}</span> {t("petitions.count.pending")}</li>
      <li><span class="figure">{formatNumber(counts.invalidated, lang)}</span> {t("petitions.count.invalidated")}</li>
      <li><span class="figure">{formatNumber(counts.expired, lang)}</span> {t("petitions.count.expired")}</li>
    </ul>
  );
}
