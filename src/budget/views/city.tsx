import type { YearSummary } from "../city-service.js";
import type { BudgetKey, BudgetTranslate, Lang } from "../i18n.js";
import { CAP_PERCENT } from "../money.js";
import { PB_CATEGORIES, type WhatIfQuery } from "../schema.js";
import { BasisTag, BudgetNav, BudgetStyles, ChartFigure, ErrorBox, formatBps, formatCents, pickText, preciseAmount } from "./parts.js";

interface ShareProps {
  t: BudgetTranslate;
  lang: Lang;
  years: YearSummary[];
  /** Per city: the police budget chart and, where the general fund is known, the share chart. */
  charts: Map<string, { amounts: string; shares: string }>;
  manager: boolean;
}

/** The police figure of a year in words, with its precision. */
export function policeText(t: BudgetTranslate, lang: Lang, summary: YearSummary): string {
  if (!summary.police) return t("budget.share.noPolice");
  return preciseAmount(t, formatCents(summary.police.cents, lang), summary.police.precision);
}

/** The share, or why it is unknown. */
export function shareText(t: BudgetTranslate, lang: Lang, summary: YearSummary): string {
  if (summary.shareBps === null) return t("budget.share.unknown");
  const share = formatBps(summary.shareBps, lang);
  return summary.police?.precision === "exact" ? share : preciseAmount(t, share, summary.police!.precision);
}

export function CityShareView({ t, lang, years, charts, manager }: ShareProps) {
  const unknownTotals = years.filter((y) => y.year.general_fund_cents === null);
  const cities = [...new Set(years.map((y) => y.year.city))];
  const latest = [...years].reverse().find((y) => y.police);
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="share" manager={manager} />
      <h1>{t("budget.share.title")}</h1>
      <p>{t("budget.share.intro", { cap: CAP_PERCENT })}</p>
      {years.length === 0 ? <p>{t("budget.share.none")}</p> : null}
      {cities.map((city) => {
        const rows = years.filter((y) => y.year.city === city);
        return (
          <section aria-labelledby={`city-${slugId(city)}`}>
            <h2 id={`city-${slugId(city)}`}>{city}</h2>
            <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.share.tableLabel", { city })}>
              <table class="share-table">
                <caption class="visually-hidden">{t("budget.share.tableLabel", { city })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("budget.year")}</th>
                    <th scope="col" class="num">{t("budget.police")}</th>
                    <th scope="col" class="num">{t("budget.generalFund")}</th>
                    <th scope="col" class="num">{t("budget.share.share")}</th>
                    <th scope="col" class="num">{t("budget.share.cap", { cap: CAP_PERCENT })}</th>
                    <th scope="col" class="num">{t("budget.share.toMove")}</th>
                    <th scope="col">{t("budget.source")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((y) => (
                    <tr>
                      <th scope="row"><a href={`/budget/years/${y.year.id}?lang=${lang}`}>{y.year.label}</a></th>
                      <td class="num">{policeText(t, lang, y)}</td>
                      <td class="num">{y.year.general_fund_cents === null ? <span class="unknown">{t("budget.unknown")}</span> : formatCents(y.year.general_fund_cents, lang)}</td>
                      <td class="num">{y.shareBps === null ? <span class="unknown">{t("budget.unknown")}</span> : shareText(t, lang, y)}</td>
                      <td class="num">{y.capCents === null ? <span class="unknown">{t("budget.unknown")}</span> : formatCents(y.capCents, lang)}</td>
                      <td class="num">{y.toMoveCents === null ? <span class="unknown">{t("budget.unknown")}</span> : preciseAmount(t, formatCents(y.toMoveCents, lang), y.police?.precision ?? "exact")}</td>
                      <td>
                        {y.police ? <span class="source-line">{t("budget.police")}: {y.police.bases.map((b) => <BasisTag t={t} basis={b} />)}</span> : null}
                        {y.year.general_fund_basis ? <span class="source-line">{t("budget.share.gfFrom")} <BasisTag t={t} basis={y.year.general_fund_basis} /></span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {charts.get(city) ? (
              <>
                <h3 id={`chart-${slugId(city)}`}>{t("budget.share.chartTitle")}</h3>
                <ChartFigure
                  svg={charts.get(city)!.amounts}
                  label={t("budget.share.chartLabel")}
                  caption={t("budget.share.chartCaption", { cap: CAP_PERCENT }) + (rows.some((y) => y.police && y.police.precision !== "exact") ? ` ${t("budget.share.chartApprox")}` : "")}
                />
                {charts.get(city)!.shares ? (
                  <>
                    <h3>{t("budget.share.shareChartTitle")}</h3>
                    <ChartFigure svg={charts.get(city)!.shares} label={t("budget.share.shareChartTitle")} />
                  </>
                ) : null}
              </>
            ) : null}
          </section>
        );
      })}
      {unknownTotals.length ? (
        <p class="assumption" id="unknown-total">
          <strong>{t("budget.share.unknownTitle")}</strong> {t("budget.share.unknownExplain", { years: unknownTotals.map((y) => y.year.label).join(", ") })}
          {manager ? <> <a href={`/budget/admin?lang=${lang}`}>{t("budget.share.enterTotal")}</a></> : null}
        </p>
      ) : null}
      {latest ? <WhatIfForm t={t} lang={lang} years={years.filter((y) => y.police)} values={{ year: latest.year.id, move: suggestedMove(latest) }} /> : null}
    </>
  );
}

/** The move that meets the cap when it is known, else 10% of the police budget (a starting point, said so). */
export function suggestedMove(summary: YearSummary): number {
  if (summary.toMoveCents !== null && summary.toMoveCents > 0) return Math.ceil(summary.toMoveCents / 100);
  return summary.police ? Math.round(summary.police.cents / 100 / 10) : 0;
}

const slugId = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** The what-if form: GET, so the scenario lives in the URL and can be shared. */
export function WhatIfForm({ t, lang, years, values, error }: { t: BudgetTranslate; lang: Lang; years: YearSummary[]; values: Partial<Record<keyof WhatIfQuery, string | number>>; error?: string | null }) {
  return (
    <section aria-labelledby="whatif-form-title" class="whatif-form">
      <h2 id="whatif-form-title">{t("budget.whatif.formTitle")}</h2>
      <p>{t("budget.whatif.formIntro")}</p>
      <ErrorBox error={error} id="whatif-error" />
      <form method="get" action="/budget/what-if" class="form-stack">
        <input type="hidden" name="lang" value={lang} />
        <label>{t("budget.year")}
          <select name="year">
            {years.map((y) => <option value={y.year.id} selected={String(values.year) === y.year.id}>{`${y.year.city} — ${y.year.label}`}</option>)}
          </select>
        </label>
        <label>{t("budget.whatif.move")}
          <input name="move" inputmode="numeric" pattern="[0-9]*" required value={values.move === undefined ? "" : String(values.move)} aria-describedby="move-hint" />
        </label>
        <span class="hint" id="move-hint">{t("budget.whatif.moveHint")}</span>
        <fieldset>
          <legend>{t("budget.whatif.split")}</legend>
          <p class="hint" id="split-hint">{t("budget.whatif.splitHint")}</p>
          {PB_CATEGORIES.map((c) => (
            <label class="percent">{t(`budget.category.${c}` as BudgetKey)}
              <span><input name={c} inputmode="numeric" pattern="[0-9]*" size={4} value={values[c] === undefined ? "25" : String(values[c])} aria-describedby="split-hint" /> %</span>
            </label>
          ))}
        </fieldset>
        <label>{t("budget.whatif.assumedGf")}
          <input name="gf" inputmode="numeric" pattern="[0-9]*" value={values.gf === undefined ? "" : String(values.gf)} aria-describedby="gf-hint" />
        </label>
        <span class="hint" id="gf-hint">{t("budget.whatif.assumedGfHint")}</span>
        <button type="submit">{t("budget.whatif.submit")}</button>
      </form>
    </section>
  );
}

/** One budget year: its lines by department and category, with sources. */
export function YearView({ t, lang, summary, manager }: { t: BudgetTranslate; lang: Lang; summary: YearSummary; manager: boolean }) {
  const { year } = summary;
  const note = pickText(year.note_en ?? "", year.note_es ?? "", lang);
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="share" manager={manager} />
      <h1>{t("budget.yearTitle", { city: year.city, label: year.label })}</h1>
      {note ? <p class="assumption">{note}</p> : null}
      <dl class="figures">
        <dt>{t("budget.police")}</dt><dd>{policeText(t, lang, summary)}</dd>
        <dt>{t("budget.generalFund")}</dt>
        <dd>{year.general_fund_cents === null ? t("budget.share.unknownShort") : <>{formatCents(year.general_fund_cents, lang)} <BasisTag t={t} basis={year.general_fund_basis!} />{year.general_fund_source ? <span class="source"> {year.general_fund_source}</span> : null}</>}</dd>
        <dt>{t("budget.share.share")}</dt><dd>{shareText(t, lang, summary)}</dd>
        <dt>{t("budget.share.toMove")}</dt><dd>{summary.toMoveCents === null ? t("budget.unknown") : preciseAmount(t, formatCents(summary.toMoveCents, lang), summary.police?.precision ?? "exact")}</dd>
      </dl>
      <h2>{t("budget.lines")}</h2>
      {summary.lines.length === 0 ? <p>{t("budget.noLines")}</p> : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.lines")}>
          <table>
            <thead><tr><th scope="col">{t("budget.department")}</th><th scope="col">{t("budget.category")}</th><th scope="col" class="num">{t("budget.amount")}</th><th scope="col">{t("budget.source")}</th></tr></thead>
            <tbody>
              {summary.lines.map((line) => (
                <tr>
                  <th scope="row">{line.department}{line.is_police ? <> <span class="tag">{t("budget.policeTag")}</span></> : null}</th>
                  <td>{line.category}</td>
                  <td class="num">{preciseAmount(t, formatCents(line.amount_cents, lang), line.precision)}</td>
                  <td><BasisTag t={t} basis={line.basis} />{line.source ? <span class="source"> {line.source}</span> : null}{pickText(line.note_en ?? "", line.note_es ?? "", lang) ? <p class="note">{pickText(line.note_en ?? "", line.note_es ?? "", lang)}</p> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p><a href={`/api/v1/budget/years/${year.id}`}>{t("budget.json")}</a></p>
    </>
  );
}
