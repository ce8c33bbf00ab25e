import type { YearSummary } from "../city-service.js";
import type { BudgetKey, BudgetTranslate, Lang } from "../i18n.js";
import { CAP_PERCENT } from "../money.js";
import type { ProcessRow } from "../pb-repo.js";
import { policeText, shareText } from "./city.js";
import { Bilingual, BudgetNav, BudgetStyles, DemoTag, formatUnits } from "./parts.js";

export function BudgetHomeView({ t, lang, years, processes, manager }: { t: BudgetTranslate; lang: Lang; years: YearSummary[]; processes: ProcessRow[]; manager: boolean }) {
  const withPolice = years.filter((y) => y.police);
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="home" manager={manager} />
      <h1>{t("budget.home.title")}</h1>
      <p>{t("budget.home.intro", { cap: CAP_PERCENT })}</p>
      <div class="home-grid">
        <section aria-labelledby="home-share" class="card">
          <h2 id="home-share">{t("budget.nav.share")}</h2>
          {withPolice.length === 0 ? <p>{t("budget.share.none")}</p> : (
            <ul>
              {withPolice.map((y) => (
                <li><strong>{`${y.year.city} ${y.year.label}`}</strong>: {t("budget.home.policeLine", { police: policeText(t, lang, y), share: shareText(t, lang, y) })}</li>
              ))}
            </ul>
          )}
          <p><a class="button" href={`/budget/share?lang=${lang}`}>{t("budget.home.seeShare")}</a></p>
        </section>
        <section aria-labelledby="home-pb" class="card">
          <h2 id="home-pb">{t("budget.nav.processes")}</h2>
          {processes.length === 0 ? <p>{t("budget.processes.none")}</p> : (
            <ul>
              {processes.map((p) => (
                <li>
                  <a href={`/budget/p/${p.slug}?lang=${lang}`}><Bilingual en={p.title_en} es={p.title_es} lang={lang} /></a> {p.demo ? <DemoTag t={t} /> : null}
                  <span class="meta"> — {t(`budget.phase.${p.phase}` as BudgetKey)} · {formatUnits(p.budget, p.currency, lang)}</span>
                </li>
              ))}
            </ul>
          )}
          <p><a class="button" href={`/budget/processes?lang=${lang}`}>{t("budget.home.seeProcesses")}</a></p>
        </section>
      </div>
    </>
  );
}
