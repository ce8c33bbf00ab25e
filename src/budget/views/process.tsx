import type { BudgetKey, BudgetTranslate, Lang } from "../i18n.js";
import type { ProcessRow, ProposalRow } from "../pb-repo.js";
import { PB_CATEGORIES } from "../schema.js";
import { DEMO_CODES } from "../seed.js";
import { Bilingual, BudgetNav, BudgetStyles, Csrf, DemoTag, ErrorBox, formatNumber, formatUnits, Notice, PhaseSteps, pickText } from "./parts.js";

export function categoryLabel(t: BudgetTranslate, category: string): string {
  return (PB_CATEGORIES as readonly string[]).includes(category) ? t(`budget.category.${category}` as BudgetKey) : category || t("budget.category.other");
}

export function ballotTypeText(t: BudgetTranslate, lang: Lang, p: ProcessRow): string {
  if (p.ballot_type === "approval_budget") return t("budget.ballotType.approval_budget", { budget: formatUnits(p.budget, p.currency, lang) });
  if (p.ballot_type === "pick_n") return t("budget.ballotType.pick_n", { n: p.pick_n! });
  return t("budget.ballotType.cumulative", { points: p.points_total! });
}

export function ProcessListView({ t, lang, processes, manager }: { t: BudgetTranslate; lang: Lang; processes: ProcessRow[]; manager: boolean }) {
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="processes" manager={manager} />
      <h1>{t("budget.processes.title")}</h1>
      <p>{t("budget.processes.intro")}</p>
      {processes.length === 0 ? <p>{t("budget.processes.none")}</p> : (
        <ul class="process-list">
          {processes.map((p) => (
            <li>
              <h2><a href={`/budget/p/${p.slug}?lang=${lang}`}><Bilingual en={p.title_en} es={p.title_es} lang={lang} /></a> {p.demo ? <DemoTag t={t} /> : null}</h2>
              <p>
                {t("budget.processes.summary", { budget: formatUnits(p.budget, p.currency, lang), phase: t(`budget.phase.${p.phase}` as BudgetKey) })}
                {p.source_file ? <> · {t("budget.processes.imported", { file: p.source_file })}</> : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

interface ProcessProps {
  t: BudgetTranslate;
  lang: Lang;
  process: ProcessRow;
  proposals: ProposalRow[];
  /** The official rule's winners, in the results and implementation phases. */
  funded: Set<string> | null;
  /** The demo's published codes still work. */
  demoCodes?: boolean;
  csrfToken: string;
  manager: boolean;
  ideaError?: string | null;
  ideaValues?: Record<string, string>;
  notice?: string | null;
}

export function ProcessView(props: ProcessProps) {
  const { t, lang, process: p, proposals } = props;
  const groups: [BudgetKey, ProposalRow[]][] = [
    ["budget.proposals.onBallot", proposals.filter((x) => x.status === "feasible")],
    ["budget.proposals.inDevelopment", proposals.filter((x) => x.status === "proposal")],
    ["budget.proposals.ideas", proposals.filter((x) => x.status === "idea")],
    ["budget.proposals.infeasible", proposals.filter((x) => x.status === "infeasible")],
  ];
  const title = pickText(p.title_en, p.title_es, lang);
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="processes" manager={props.manager} />
      <h1><Bilingual en={p.title_en} es={p.title_es} lang={lang} /> {p.demo ? <DemoTag t={t} /> : null}</h1>
      {p.demo ? <p class="assumption">{t("budget.demoNote")}</p> : null}
      <Notice text={props.notice} />
      {pickText(p.description_en, p.description_es, lang) ? <p><Bilingual en={p.description_en} es={p.description_es} lang={lang} /></p> : null}
      <dl class="figures">
        <dt>{t("budget.process.budget")}</dt><dd>{formatUnits(p.budget, p.currency, lang)}</dd>
        <dt>{t("budget.process.ballot")}</dt><dd>{ballotTypeText(t, lang, p)}</dd>
        <dt>{t("budget.process.eligibility")}</dt>
        <dd>{[p.eligibility_zip ? t("budget.process.eligibilityZip", { zips: p.zips.join(", ") }) : null, p.eligibility_codes ? t("budget.process.eligibilityCodes") : null].filter(Boolean).join(" ") || t("budget.process.eligibilityNone")}</dd>
        {p.source_file ? <><dt>{t("budget.process.source")}</dt><dd>{p.source_file}{p.source_sha256 ? <span class="source"> sha256 {p.source_sha256.slice(0, 16)}…</span> : null}</dd></> : null}
      </dl>
      <h2>{t("budget.phases")}</h2>
      <PhaseSteps t={t} phase={p.phase} />
      <p class="phase-explain">{t(`budget.phaseExplain.${p.phase}` as BudgetKey)}</p>
      {p.phase === "voting" ? <p><a class="button" href={`/budget/p/${p.slug}/vote?lang=${lang}`}>{t("budget.vote.start")}</a></p> : null}
      {p.phase === "voting" && props.demoCodes ? <p class="assumption">{t("budget.demoCodes", { first: DEMO_CODES[0], last: DEMO_CODES[DEMO_CODES.length - 1] })}</p> : null}
      {p.phase === "results" || p.phase === "implementation" ? (
        <p class="actions-row">
          <a class="button" href={`/budget/p/${p.slug}/results?lang=${lang}`}>{t("budget.results.link")}</a>
          <a href={`/budget/p/${p.slug}/export.pb`} download>{t("budget.results.download")}</a>
        </p>
      ) : null}
      {p.phase === "ideas" ? <IdeaForm {...props} /> : null}
      {p.phase === "implementation" && props.funded ? <Implementation {...props} title={title} /> : null}
      <h2>{t("budget.proposals.title")}</h2>
      {proposals.length === 0 ? <p>{t("budget.proposals.none")}</p> : null}
      {groups.filter(([, list]) => list.length).map(([key, list]) => (
        <section aria-labelledby={`group-${key}`}>
          <h3 id={`group-${key}`}>{t(key)} ({formatNumber(list.length, lang)})</h3>
          <ul class="proposal-list">
            {list.map((x) => (
              <li>
                <strong><Bilingual en={x.title_en} es={x.title_es} lang={lang} /></strong>
                <span class="meta">
                  {x.cost !== null ? formatUnits(x.cost, p.currency, lang) : t("budget.proposals.noCost")} · {categoryLabel(t, x.category)}{x.location ? ` · ${x.location}` : ""}
                </span>
                {pickText(x.description_en, x.description_es, lang) ? <p><Bilingual en={x.description_en} es={x.description_es} lang={lang} /></p> : null}
                {x.review_note ? <p class="note">{t("budget.proposals.review")}: {x.review_note}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function IdeaForm({ t, lang, process, csrfToken, ideaError, ideaValues }: ProcessProps) {
  const v = ideaValues ?? {};
  return (
    <section aria-labelledby="idea-title">
      <h2 id="idea-title">{t("budget.idea.title")}</h2>
      <p>{t("budget.idea.intro")}</p>
      <ErrorBox error={ideaError} />
      <form method="post" action={`/budget/p/${process.slug}/ideas?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("budget.idea.name")}<input name="title" required minlength={3} maxlength={200} value={v.title ?? ""} /></label>
        <label>{t("budget.idea.description")}<textarea name="description" maxlength={2000}>{v.description ?? ""}</textarea></label>
        <label>{t("budget.category")}
          <select name="category">
            {[...PB_CATEGORIES, "other"].map((c) => <option value={c} selected={v.category === c}>{t(`budget.category.${c}` as BudgetKey)}</option>)}
          </select>
        </label>
        <label>{t("budget.idea.location")}<input name="location" maxlength={200} value={v.location ?? ""} /></label>
        <p class="hint">{t("budget.idea.privacy")}</p>
        <button type="submit">{t("budget.idea.submit")}</button>
      </form>
    </section>
  );
}

function Implementation({ t, lang, process, proposals, funded }: ProcessProps & { title: string }) {
  const winners = proposals.filter((x) => funded!.has(x.id));
  return (
    <section aria-labelledby="impl-title">
      <h2 id="impl-title">{t("budget.impl.title")}</h2>
      <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.impl.title")}>
        <table>
          <thead><tr><th scope="col">{t("budget.proposal")}</th><th scope="col" class="num">{t("budget.cost")}</th><th scope="col">{t("budget.impl.status")}</th><th scope="col">{t("budget.impl.note")}</th></tr></thead>
          <tbody>
            {winners.map((x) => (
              <tr>
                <th scope="row"><Bilingual en={x.title_en} es={x.title_es} lang={lang} /></th>
                <td class="num">{formatUnits(x.cost!, process.currency, lang)}</td>
                <td><span class={`impl impl-${x.implementation}`}>{t(`budget.impl.${x.implementation}` as BudgetKey)}</span></td>
                <td>{x.implementation_note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
