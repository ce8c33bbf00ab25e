import type { BudgetKey, BudgetTranslate, Lang } from "../i18n.js";
import { GROUP_MIN, type ProcessResults, type RuleKey } from "../results.js";
import { categoryLabel } from "./process.js";
import { Bilingual, BudgetNav, BudgetStyles, ChartFigure, DemoTag, formatBps, formatHundredths, formatNumber, formatUnits, pickText } from "./parts.js";

export const ruleName = (t: BudgetTranslate, rule: RuleKey) => t(`budget.rule.${rule}` as BudgetKey);

export function ResultsView({ t, lang, results, charts, manager, preview }: { t: BudgetTranslate; lang: Lang; results: ProcessResults; charts: { categories: string; groups: string }; manager: boolean; preview: boolean }) {
  const p = results.process;
  const money = (n: number) => formatUnits(n, p.currency, lang);
  const byId = new Map(results.projects.map((row) => [row.proposal.id, row]));
  const points = p.ballot_type === "cumulative";
  const sorted = [...results.projects].sort((a, b) => b.points - a.points || a.proposal.position - b.proposal.position);
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="processes" manager={manager} />
      <p class="breadcrumb"><a href={`/budget/p/${p.slug}?lang=${lang}`}><Bilingual en={p.title_en} es={p.title_es} lang={lang} /></a></p>
      <h1>{t("budget.results.title", { title: pickText(p.title_en, p.title_es, lang) })} {p.demo ? <DemoTag t={t} /> : null}</h1>
      {preview ? <p class="assumption" role="note">{t("budget.results.preview")}</p> : null}
      {p.demo ? <p class="assumption">{t("budget.demoNote")}</p> : null}
      <p>{t("budget.results.summary", { ballots: formatNumber(results.ballots, lang), budget: money(p.budget), projects: formatNumber(results.projects.length, lang) })}</p>
      {results.rules.length === 0 ? <p>{t("budget.results.noBallots")}</p> : (
        <>
          <h2 id="side-by-side">{t("budget.results.sideBySide")}</h2>
          <p>{t("budget.results.sideBySideIntro")}</p>
          <div class="rule-grid">
            {results.rules.map((r) => (
              <section class={`rule-card${r.official ? " official" : ""}`} aria-labelledby={`rule-${r.rule}`} data-rule={r.rule}>
                <h3 id={`rule-${r.rule}`}>{ruleName(t, r.rule)}</h3>
                {r.official ? <p class="official-tag"><strong>{t("budget.results.official")}</strong></p> : null}
                <p class="rule-explain">{t(`budget.ruleExplain.${r.rule}` as BudgetKey)}</p>
                <dl class="figures">
                  <dt>{t("budget.results.funded")}</dt><dd>{formatNumber(r.selected.length, lang)}</dd>
                  <dt>{t("budget.results.spent")}</dt><dd>{money(r.cost)} ({formatBps(Math.round((r.cost * 10_000) / p.budget), lang)})</dd>
                  <dt>{t("budget.results.satisfied")}</dt><dd>{formatBps(r.satisfiedBps, lang)}</dd>
                  <dt>{points ? t("budget.results.costPerPoint") : t("budget.results.costPerVote")}</dt><dd>{r.costPerVoteCents === null ? "—" : formatHundredths(r.costPerVoteCents, p.currency, lang)}</dd>
                </dl>
                <ol class="winners">
                  {r.selected.map((id) => {
                    const row = byId.get(id)!;
                    return <li><Bilingual en={row.proposal.title_en} es={row.proposal.title_es} lang={lang} /> <span class="cost">{money(row.proposal.cost!)}</span></li>;
                  })}
                </ol>
              </section>
            ))}
          </div>

          <h2 id="all-projects">{t("budget.results.allProjects")}</h2>
          <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.results.allProjects")}>
            <table class="results-table">
              <thead>
                <tr>
                  <th scope="col">{t("budget.proposal")}</th>
                  <th scope="col" class="num">{t("budget.cost")}</th>
                  <th scope="col" class="num">{points ? t("budget.results.points") : t("budget.results.votes")}</th>
                  <th scope="col" class="num">{points ? t("budget.results.costPerPoint") : t("budget.results.costPerVote")}</th>
                  {results.rules.map((r) => <th scope="col" class="rule-col">{ruleName(t, r.rule)}</th>)}
                </tr>
              </thead>
              <tbody>
                {sorted.map((row) => (
                  <tr>
                    <th scope="row"><Bilingual en={row.proposal.title_en} es={row.proposal.title_es} lang={lang} /><span class="meta"> {categoryLabel(t, row.proposal.category)}</span></th>
                    <td class="num">{money(row.proposal.cost!)}</td>
                    <td class="num">{formatNumber(points ? row.points : row.votes, lang)}</td>
                    <td class="num">{row.costPerVoteCents === null ? "—" : formatHundredths(row.costPerVoteCents, p.currency, lang)}</td>
                    {results.rules.map((r) => (
                      <td class="rule-col">{row.selectedBy[r.rule] ? <span class="funded">✓ {t("budget.results.fundedMark", { n: row.selectedBy[r.rule]! })}</span> : <span class="not-funded">— <span class="visually-hidden">{t("budget.results.notFunded")}</span></span>}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t("budget.results.totalFunded")}</th>
                  <td></td><td></td><td></td>
                  {results.rules.map((r) => <td class="rule-col">{money(r.cost)}</td>)}
                </tr>
              </tfoot>
            </table>
          </div>

          <h2 id="groups">{t("budget.results.groups")}</h2>
          {results.groups.length === 0 && !results.smallGroups.outcome ? <p>{t("budget.results.noGroups")}</p> : (
            <>
              <p>{t("budget.results.groupsIntro", { min: GROUP_MIN })}</p>
              <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.results.groups")}>
                <table class="groups-table">
                  <thead>
                    <tr>
                      <th scope="col">{t("budget.results.group")}</th>
                      <th scope="col" class="num">{t("budget.results.ballots")}</th>
                      {results.rules.map((r) => <th scope="col" class="num">{t("budget.results.groupRule", { rule: ruleName(t, r.rule) })}</th>)}
                    </tr>
                  </thead>
                  <tbody>
                    {[...results.groups, ...(results.smallGroups.outcome ? [{ ...results.smallGroups.outcome, group: t("budget.results.smallGroups", { groups: results.smallGroups.groups, min: GROUP_MIN }) }] : [])].map((g) => (
                      <tr>
                        <th scope="row">{g.group}</th>
                        <td class="num">{formatNumber(g.ballots, lang)}</td>
                        {results.rules.map((r) => {
                          const s = g.perRule[r.rule]!;
                          return <td class="num">{formatBps(s.satisfiedBps, lang)}<span class="meta"> · {t("budget.results.perBallot", { amount: money(s.fundedPerBallot) })}</span></td>;
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {results.smallGroups.ballots > 0 && !results.smallGroups.outcome ? <p class="hint">{t("budget.results.smallOmitted", { ballots: results.smallGroups.ballots, min: GROUP_MIN })}</p> : null}
              <ChartFigure svg={charts.groups} label={t("budget.results.groupsChart")} caption={t("budget.results.groupsChart")} />
            </>
          )}

          <h2 id="categories">{t("budget.results.categories")}</h2>
          <ChartFigure svg={charts.categories} label={t("budget.results.categoriesChart")} caption={t("budget.results.categoriesChart")} />
          <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.results.categories")}>
            <table>
              <thead><tr><th scope="col">{t("budget.category")}</th>{results.rules.map((r) => <th scope="col" class="num">{ruleName(t, r.rule)}</th>)}</tr></thead>
              <tbody>
                {results.categories.map((c) => (
                  <tr><th scope="row">{categoryLabel(t, c.category)}</th>{results.rules.map((r) => <td class="num">{money(c.perRule[r.rule] ?? 0)}</td>)}</tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="hint">{t("budget.results.method")}</p>
        </>
      )}
      <p class="downloads">
        <a href={`/budget/p/${p.slug}/export.pb`} download>{t("budget.results.download")}</a>
        <a href={`/api/v1/budget/processes/${p.slug}/results`}>{t("budget.json")}</a>
      </p>
    </>
  );
}
