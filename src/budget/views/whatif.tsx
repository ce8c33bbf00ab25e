import type { WhatIfResult, YearSummary } from "../city-service.js";
import type { BudgetKey, BudgetTranslate, Lang } from "../i18n.js";
import { CAP_PERCENT } from "../money.js";
import { PB_CATEGORIES } from "../schema.js";
import { BasisTag, BudgetNav, BudgetStyles, ChartFigure, formatBps, formatCents, preciseAmount } from "./parts.js";
import { WhatIfForm } from "./city.js";

export function WhatIfView({ t, lang, result, chartSvg, shareUrl, years, manager }: { t: BudgetTranslate; lang: Lang; result: WhatIfResult; chartSvg: string; shareUrl: string; years: YearSummary[]; manager: boolean }) {
  const { summary, query } = result;
  const precision = summary.police!.precision;
  const amount = (cents: number) => formatCents(cents, lang);
  const approx = (cents: number) => preciseAmount(t, amount(cents), precision);
  const metCap = result.remainingToMoveCents === 0;
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="share" manager={manager} />
      <h1>{t("budget.whatif.title")}</h1>
      <p class="lead" id="scenario-summary">{t("budget.whatif.summary", { amount: amount(result.moveCents), year: `${summary.year.city} ${summary.year.label}` })}</p>
      {precision !== "exact" ? <p class="assumption">{t("budget.whatif.precisionNote")}</p> : null}
      {result.generalFund?.assumed ? <p class="assumption" id="assumed-gf"><strong>{t("budget.assumption")}:</strong> {t("budget.whatif.assumedNote", { amount: amount(result.generalFund.cents) })}</p> : null}

      <h2>{t("budget.whatif.allocation")}</h2>
      <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.whatif.allocation")}>
        <table id="allocation">
          <thead><tr><th scope="col">{t("budget.category")}</th><th scope="col" class="num">{t("budget.whatif.percent")}</th><th scope="col" class="num">{t("budget.whatif.receives")}</th><th scope="col" class="num">{t("budget.whatif.before")}</th><th scope="col" class="num">{t("budget.whatif.after")}</th></tr></thead>
          <tbody>
            {PB_CATEGORIES.map((c) => (
              <tr>
                <th scope="row">{t(`budget.category.${c}` as BudgetKey)}</th>
                <td class="num">{query[c]} %</td>
                <td class="num">{amount(result.allocation[c])}</td>
                <td class="num">{amount(result.categoryBefore[c])}</td>
                <td class="num">{amount(result.categoryAfter[c])}</td>
              </tr>
            ))}
            <tr class="total">
              <th scope="row">{t("budget.whatif.total")}</th>
              <td class="num">100 %</td>
              <td class="num">{amount(result.moveCents)}</td>
              <td></td><td></td>
            </tr>
          </tbody>
        </table>
      </div>
      <p class="hint">{t("budget.whatif.linesNote")}</p>

      <h2>{t("budget.whatif.policeAndCap", { cap: CAP_PERCENT })}</h2>
      <dl class="figures" id="scenario-figures">
        <dt>{t("budget.whatif.policeBefore")}</dt><dd>{approx(result.policeBefore)} {summary.police!.bases.map((b) => <BasisTag t={t} basis={b} />)}</dd>
        <dt>{t("budget.whatif.policeAfter")}</dt><dd>{approx(result.policeAfter)}</dd>
        <dt>{t("budget.generalFund")}</dt>
        <dd>{result.generalFund ? <>{amount(result.generalFund.cents)} {result.generalFund.assumed ? <span class="basis basis-assumption">{t("budget.assumption")}</span> : <BasisTag t={t} basis={summary.year.general_fund_basis!} />}</> : t("budget.share.unknownShort")}</dd>
        <dt>{t("budget.whatif.shareBefore")}</dt><dd>{result.shareBeforeBps === null ? t("budget.unknown") : preciseAmount(t, formatBps(result.shareBeforeBps, lang), precision)}</dd>
        <dt>{t("budget.whatif.shareAfter")}</dt><dd>{result.shareAfterBps === null ? t("budget.unknown") : preciseAmount(t, formatBps(result.shareAfterBps, lang), precision)}</dd>
        <dt>{t("budget.share.cap", { cap: CAP_PERCENT })}</dt><dd>{result.capCents === null ? t("budget.unknown") : amount(result.capCents)}</dd>
        <dt>{t("budget.whatif.remaining")}</dt>
        <dd>{result.remainingToMoveCents === null ? t("budget.unknown") : metCap ? <strong>{t("budget.whatif.capMet")}</strong> : approx(result.remainingToMoveCents)}</dd>
      </dl>
      {result.generalFund === null ? <p class="assumption">{t("budget.whatif.noGf")}</p> : null}

      <ChartFigure svg={chartSvg} label={t("budget.whatif.chartLabel")} caption={t("budget.whatif.chartCaption")} />

      <section aria-labelledby="share-title" class="share-link">
        <h2 id="share-title">{t("budget.whatif.shareTitle")}</h2>
        <label>{t("budget.whatif.shareLabel")}
          <input type="url" readonly value={shareUrl} id="share-url" />
        </label>
        <p><a href={shareUrl}>{t("budget.whatif.permalink")}</a> · <a href={`/api/v1/budget/what-if?${new URL(shareUrl).search.slice(1)}`}>{t("budget.json")}</a></p>
      </section>

      <WhatIfForm t={t} lang={lang} years={years} values={{ ...query, gf: query.gf }} />
    </>
  );
}
