import type { Translate } from "../../web/i18n/index.js";
import type { MessageKey } from "../../web/i18n/index.js";
import type { PresentedSource } from "../present.js";

/** "file.csv row 12", linking to the file's page, or "entered by staff". */
export function SourceCell({ source, t }: { source: PresentedSource; t: Translate }) {
  if (source.kind === "entered") return <span class="source">{t("sources.entered")}</span>;
  return (
    <a class="source" href={`/sources/${source.sha256}`} title={`sha256 ${source.sha256}`}>
      {source.file} · {t("sources.row", { row: source.row ?? "?" })}
    </a>
  );
}

export function FindingLabel({ finding, t }: { finding: string | null; t: Translate }) {
  if (!finding) return <span>—</span>;
  return <span>{t(`finding.${finding}` as MessageKey) ?? finding}</span>;
}

/** CSV and JSON downloads of exactly what the list shows (all pages up to 500 rows a page). */
export function Downloads({ apiPath, query, t }: { apiPath: string; query: URLSearchParams; t: Translate }) {
  const params = new URLSearchParams(query);
  params.delete("lang");
  params.set("per_page", "500");
  const json = `${apiPath}?${params}`;
  params.set("format", "csv");
  return (
    <p class="downloads">
      <a href={`${apiPath}?${params}`} download>{t("common.downloadCsv")}</a>
      <a href={json}>{t("common.downloadJson")}</a>
    </p>
  );
}

/** Previous/next links; `more` when the page count is a lower bound (shown as "40+"). */
export function Pager({ page, pages, more = false, query, path, t }: { page: number; pages: number; more?: boolean; query: URLSearchParams; path: string; t: Translate }) {
  if (pages <= 1 && !more) return null;
  const link = (n: number) => {
    const params = new URLSearchParams(query);
    params.set("page", String(n));
    return `${path}?${params}`;
  };
  const label = t("common.page", { page, pages: more ? `${pages}+` : pages });
  return (
    <nav class="pager" aria-label={label}>
      {page > 1 ? <a href={link(page - 1)} rel="prev">{t("common.previous")}</a> : null}
      <span>{label}</span>
      {page < pages || more ? <a href={link(page + 1)} rel="next">{t("common.next")}</a> : null}
    </nav>
  );
}

export function formatMoney(cents: number | null, lang: string): string {
  if (cents === null) return "—";
  return new Intl.NumberFormat(lang === "es" ? "es-US" : "en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(cents / 100);
}

export const formatNumber = (value: number, lang: string) => new Intl.NumberFormat(lang === "es" ? "es-US" : "en-US").format(value);
