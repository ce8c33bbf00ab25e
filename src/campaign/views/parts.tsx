import type { CampaignKey, CampaignTranslate } from "../i18n.js";
import type { DemandStatus } from "../schema.js";

export type Lang = "en" | "es";

/** The campaign's stylesheet; a <link> in the body is allowed and keeps the shared layout untouched. */
export const CampaignStyles = () => <link rel="stylesheet" href="/campaign/campaign.css" />;

export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

const SYMBOL: Record<DemandStatus, string> = { unmet: "○", in_progress: "◔", partly_met: "◑", met: "●", rejected: "✕" };

/** A status as a symbol and words, never colour alone. */
export function StatusBadge({ status, t }: { status: DemandStatus; t: CampaignTranslate }) {
  return <span class={`status status-${status}`} data-status={status}><span aria-hidden="true">{SYMBOL[status]} </span>{t(`campaign.status.${status}` as CampaignKey)}</span>;
}

export function CampaignNav({ t, lang, current }: { t: CampaignTranslate; lang: Lang; current: "scoreboard" | "meetings" | "votes" | "demand" }) {
  const link = (path: string, key: CampaignKey, name: typeof current) => (
    <li><a href={`${path}?lang=${lang}`} aria-current={current === name ? "page" : undefined}>{t(key)}</a></li>
  );
  return (
    <nav class="campaign-nav" aria-label={t("campaign.sections")}>
      <ul>
        {link("/campaign", "campaign.scoreboard", "scoreboard")}
        {link("/campaign/meetings", "campaign.meetings", "meetings")}
        {link("/campaign/votes", "campaign.votes", "votes")}
        <li><a href={`/campaign/feed.atom?lang=${lang}`} type="application/atom+xml">{t("campaign.feed")}</a></li>
      </ul>
    </nav>
  );
}

const locale = (lang: Lang) => (lang === "es" ? "es-US" : "en-US");

/** A date as people read it, inside <time> with the machine-readable value. */
export function DateText({ date, lang }: { date: string | null; lang: Lang }) {
  if (!date) return <span>—</span>;
  return <time datetime={date}>{formatDate(date, lang)}</time>;
}

export function formatDate(date: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${date.slice(0, 10)}T00:00:00Z`));
}

export function formatMonth(month: string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
}

/** Picks the text in the page's language from an { en, es } pair. */
export const pick = (text: { en: string | null; es: string | null } | null | undefined, lang: Lang) => (text ? (lang === "es" ? text.es ?? text.en : text.en ?? text.es) ?? "" : "");

/** A labelled note saying a claim is our assumption, not the sources'. */
export function AssumptionNote({ t, note, lang }: { t: CampaignTranslate; note: { en: string | null; es: string | null } | null; lang: Lang }) {
  if (!note) return null;
  const text = pick(note, lang);
  const textLang = lang === "es" && note.es ? "es" : "en";
  return <p class="assumption"><strong>{t("campaign.assumptionLabel")}:</strong> <span lang={textLang === lang ? undefined : textLang}>{text}</span></p>;
}

/** Downloads of the same data as the page. */
export function Downloads({ t, api }: { t: CampaignTranslate; api: string }) {
  return (
    <p class="downloads">
      <a href={`${api}?format=csv`} download>{t("campaign.downloadCsv")}</a>
      <a href={api}>{t("campaign.downloadJson")}</a>
    </p>
  );
}

export function ErrorBox({ error }: { error?: string }) {
  return error ? <p class="error-box" role="alert" id="form-error">{error}</p> : null;
}
