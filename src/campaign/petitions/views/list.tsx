import type { PetitionsTranslate } from "../i18n.js";
import type { PetitionSummary } from "../present.js";
import { formatDate, formatNumber, PetitionStyles, pick, type Lang } from "./parts.js";

/** Every petition with its count against its goal. */
export function PetitionList({ t, lang, petitions, canManage }: { t: PetitionsTranslate; lang: Lang; petitions: PetitionSummary[]; canManage: boolean }) {
  return (
    <>
      <PetitionStyles />
      <h1>{t("petitions.title")}</h1>
      <p>{t("petitions.intro")}</p>
      {canManage ? <p><a class="button" href={`/petitions/new?lang=${lang}`}>{t("petitions.new")}</a></p> : null}
      {petitions.length === 0 ? <p>{t("petitions.none")}</p> : null}
      <ul class="petition-list">
        {petitions.map((p) => {
          const progress = t("petitions.count.progress", { verified: formatNumber(p.counts.verified, lang), goal: formatNumber(p.goal, lang) });
          return (
            <li>
              <h2><a href={`${p.url}?lang=${lang}`}>{pick(lang, p.title.en, p.title.es)}</a></h2>
              <p class="petition-dates">
                <span class={`state state-${p.state}`}>{t(`petitions.state.${p.state}`)}</span>{" "}
                {p.closesAt ? t(p.state === "closed" ? "petitions.closed" : "petitions.closes", { date: formatDate(p.closesAt, lang) }) : t("petitions.noClose")}
              </p>
              <p>{t("petitions.target")}: {pick(lang, p.target.en, p.target.es)}</p>
              <progress max={p.goal} value={Math.min(p.counts.verified, p.goal)} aria-label={progress}>{progress}</progress>
              <p>{progress} · {formatNumber(p.counts.pending, lang)} {t("petitions.count.pending")}</p>
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The listed signers, a page at a time. */
export function SignersPage({ t, lang, slug, title, rows, page, pages }: { t: PetitionsTranslate; lang: Lang; slug: string; title: string; rows: { name: string; zip: string; confirmedAt: string }[]; page: number; pages: number }) {
  return (
    <>
      <PetitionStyles />
      <p class="crumbs"><a href={`/petitions/${slug}?lang=${lang}`}>{title}</a></p>
      <h1>{t("petitions.signers")}</h1>
      <p class="hint">{t("petitions.signers.intro")}</p>
      {rows.length ? (
        <div class="table-scroll">
          <table>
            <thead><tr><th scope="col">{t("petitions.signers.name")}</th><th scope="col">{t("petitions.signers.zip")}</th><th scope="col">{t("petitions.signers.when")}</th></tr></thead>
            <tbody>{rows.map((r) => <tr><td>{r.name}</td><td>{r.zip}</td><td class="date">{formatDate(r.confirmedAt, lang)}</td></tr>)}</tbody>
          </table>
        </div>
      ) : <p>{t("petitions.signers.none")}</p>}
      {pages > 1 ? (
        <nav class="pager" aria-label={t("petitions.signers.page", { page, pages })}>
          {page > 1 ? <a href={`/petitions/${slug}/signers?lang=${lang}&page=${page - 1}`} rel="prev">{t("petitions.signers.previous")}</a> : null}
          <span>{t("petitions.signers.page", { page, pages })}</span>
          {page < pages ? <a href={`/petitions/${slug}/signers?lang=${lang}&page=${page + 1}`} rel="next">{t("petitions.signers.next")}</a> : null}
        </nav>
      ) : null}
    </>
  );
}
