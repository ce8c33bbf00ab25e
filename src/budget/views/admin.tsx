import type { YearSummary } from "../city-service.js";
import type { BudgetKey, BudgetTranslate, Lang } from "../i18n.js";
import type { ProcessRow, ProposalRow } from "../pb-repo.js";
import { AMOUNT_PRECISIONS, BALLOT_TYPES, GENERAL_FUND_BASES, IMPLEMENTATION_STATUSES, LINE_BASES, OFFICIAL_RULES, PB_CATEGORIES, PHASES, PROPOSAL_STATUSES } from "../schema.js";
import { policeText, shareText } from "./city.js";
import { BasisTag, Bilingual, BudgetNav, BudgetStyles, Csrf, DemoTag, ErrorBox, formatCents, formatNumber, formatUnits, Notice } from "./parts.js";

type Values = Record<string, string>;

interface AdminHomeProps {
  t: BudgetTranslate;
  lang: Lang;
  csrfToken: string;
  years: YearSummary[];
  processes: ProcessRow[];
  yearError?: string | null;
  yearValues?: Values;
  processError?: string | null;
  processValues?: Values;
  notice?: string | null;
}

export function AdminHomeView(props: AdminHomeProps) {
  const { t, lang, csrfToken } = props;
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="admin" manager={true} />
      <h1>{t("budget.admin.title")}</h1>
      <Notice text={props.notice} />
      <h2>{t("budget.admin.years")}</h2>
      {props.years.length ? (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.admin.years")}>
          <table>
            <thead><tr><th scope="col">{t("budget.year")}</th><th scope="col" class="num">{t("budget.police")}</th><th scope="col" class="num">{t("budget.generalFund")}</th><th scope="col" class="num">{t("budget.share.share")}</th></tr></thead>
            <tbody>
              {props.years.map((y) => (
                <tr>
                  <th scope="row"><a href={`/budget/admin/years/${y.year.id}?lang=${lang}`}>{`${y.year.city} — ${y.year.label}`}</a></th>
                  <td class="num">{policeText(t, lang, y)}</td>
                  <td class="num">{y.year.general_fund_cents === null ? t("budget.unknown") : formatCents(y.year.general_fund_cents, lang)}</td>
                  <td class="num">{shareText(t, lang, y)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : <p>{t("budget.share.none")}</p>}
      <details open={Boolean(props.yearError)}>
        <summary>{t("budget.admin.newYear")}</summary>
        <ErrorBox error={props.yearError} id="year-error" />
        <form method="post" action={`/budget/admin/years?lang=${lang}`} class="form-stack">
          <Csrf token={csrfToken} />
          <label>{t("budget.admin.city")}<input name="city" required value={props.yearValues?.city ?? ""} /></label>
          <label>{t("budget.admin.fiscalYear")}<input name="fiscal_year" inputmode="numeric" required value={props.yearValues?.fiscal_year ?? ""} /></label>
          <label>{t("budget.admin.label")}<input name="label" placeholder="FY2022" value={props.yearValues?.label ?? ""} /></label>
          <GeneralFundFields t={t} values={props.yearValues ?? {}} />
          <button type="submit">{t("budget.admin.createYear")}</button>
        </form>
      </details>

      <h2>{t("budget.admin.processes")}</h2>
      {props.processes.length ? (
        <ul>
          {props.processes.map((p) => (
            <li><a href={`/budget/admin/p/${p.slug}?lang=${lang}`}><Bilingual en={p.title_en} es={p.title_es} lang={lang} /></a> — {t(`budget.phase.${p.phase}` as BudgetKey)} {p.demo ? <DemoTag t={t} /> : null}</li>
          ))}
        </ul>
      ) : <p>{t("budget.processes.none")}</p>}
      <details open={Boolean(props.processError)}>
        <summary>{t("budget.admin.newProcess")}</summary>
        <ErrorBox error={props.processError} id="process-error" />
        <form method="post" action={`/budget/admin/processes?lang=${lang}`} class="form-stack">
          <Csrf token={csrfToken} />
          <label>{t("budget.admin.slug")}<input name="slug" required pattern="[a-z0-9][a-z0-9\-]{1,79}" value={props.processValues?.slug ?? ""} aria-describedby="slug-hint" /></label>
          <span class="hint" id="slug-hint">{t("budget.admin.slugHint")}</span>
          <ProcessFields t={t} values={props.processValues ?? {}} />
          <button type="submit">{t("budget.admin.createProcess")}</button>
        </form>
      </details>
      <p class="hint">{t("budget.admin.importHint")}</p>
    </>
  );
}

function GeneralFundFields({ t, values }: { t: BudgetTranslate; values: Values }) {
  return (
    <>
      <label>{t("budget.admin.generalFund")}<input name="general_fund" inputmode="decimal" value={values.general_fund ?? ""} aria-describedby="gf-help" /></label>
      <span class="hint" id="gf-help">{t("budget.admin.generalFundHint")}</span>
      <label>{t("budget.admin.generalFundBasis")}
        <select name="general_fund_basis">
          <option value="">—</option>
          {GENERAL_FUND_BASES.map((b) => <option value={b} selected={values.general_fund_basis === b}>{t(`budget.basis.${b}` as BudgetKey)}</option>)}
        </select>
      </label>
      <label>{t("budget.admin.generalFundSource")}<input name="general_fund_source" value={values.general_fund_source ?? ""} /></label>
    </>
  );
}

interface AdminYearProps {
  t: BudgetTranslate;
  lang: Lang;
  csrfToken: string;
  summary: YearSummary;
  error?: string | null;
  errorFor?: "gf" | "line" | "csv" | null;
  values?: Values;
  notice?: string | null;
}

export function AdminYearView({ t, lang, csrfToken, summary, error, errorFor, values = {}, notice }: AdminYearProps) {
  const y = summary.year;
  const base = `/budget/admin/years/${y.id}`;
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="admin" manager={true} />
      <h1>{t("budget.yearTitle", { city: y.city, label: y.label })}</h1>
      <Notice text={notice} />
      <p><a href={`/budget/years/${y.id}?lang=${lang}`}>{t("budget.admin.publicPage")}</a></p>
      <h2>{t("budget.generalFund")}</h2>
      <p>{y.general_fund_cents === null ? t("budget.share.unknownShort") : <>{formatCents(y.general_fund_cents, lang)} <BasisTag t={t} basis={y.general_fund_basis!} /></>}</p>
      {errorFor === "gf" ? <ErrorBox error={error} id="gf-error" /> : null}
      <form method="post" action={`${base}/general-fund?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <GeneralFundFields t={t} values={errorFor === "gf" ? values : { general_fund: y.general_fund_cents === null ? "" : String(y.general_fund_cents / 100), general_fund_basis: y.general_fund_basis ?? "", general_fund_source: y.general_fund_source ?? "" }} />
        <button type="submit">{t("budget.admin.saveGf")}</button>
      </form>

      <h2>{t("budget.lines")}</h2>
      {summary.lines.length === 0 ? <p>{t("budget.noLines")}</p> : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("budget.lines")}>
          <table>
            <thead><tr><th scope="col">{t("budget.department")}</th><th scope="col">{t("budget.category")}</th><th scope="col" class="num">{t("budget.amount")}</th><th scope="col">{t("budget.source")}</th><th scope="col"><span class="visually-hidden">{t("budget.admin.actions")}</span></th></tr></thead>
            <tbody>
              {summary.lines.map((line) => (
                <tr>
                  <th scope="row">{line.department}{line.is_police ? <> <span class="tag">{t("budget.policeTag")}</span></> : null}</th>
                  <td>{line.category}</td>
                  <td class="num">{formatCents(line.amount_cents, lang)}</td>
                  <td><BasisTag t={t} basis={line.basis} /></td>
                  <td>
                    <form method="post" action={`${base}/lines/${line.id}/delete?lang=${lang}`}>
                      <Csrf token={csrfToken} />
                      <button type="submit" class="secondary" aria-label={t("budget.admin.deleteLine", { department: line.department })}>{t("budget.admin.delete")}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t("budget.admin.addLine")}</h3>
      {errorFor === "line" ? <ErrorBox error={error} id="line-error" /> : null}
      <form method="post" action={`${base}/lines?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("budget.department")}<input name="department" required value={errorFor === "line" ? values.department ?? "" : ""} /></label>
        <label>{t("budget.category")}<input name="category" list="pb-categories" value={errorFor === "line" ? values.category ?? "" : ""} /></label>
        <datalist id="pb-categories">{PB_CATEGORIES.map((c) => <option value={t(`budget.category.${c}` as BudgetKey)} />)}</datalist>
        <label>{t("budget.admin.amountDollars")}<input name="amount" inputmode="decimal" required value={errorFor === "line" ? values.amount ?? "" : ""} /></label>
        <label>{t("budget.admin.precision")}
          <select name="precision">{AMOUNT_PRECISIONS.map((p) => <option value={p}>{t(`budget.precisionName.${p}` as BudgetKey)}</option>)}</select>
        </label>
        <label class="check"><input type="checkbox" name="is_police" /> {t("budget.admin.isPolice")}</label>
        <label>{t("budget.admin.basis")}
          <select name="basis">{LINE_BASES.map((b) => <option value={b} selected={b === "admin"}>{t(`budget.basis.${b}` as BudgetKey)}</option>)}</select>
        </label>
        <label>{t("budget.source")}<input name="source" value={errorFor === "line" ? values.source ?? "" : ""} /></label>
        <button type="submit">{t("budget.admin.addLine")}</button>
      </form>

      <h3 id="csv">{t("budget.admin.csvTitle")}</h3>
      <p>{t("budget.admin.csvIntro")}</p>
      <pre class="example">department,category,amount{"\n"}Police,Public safety,"$271,000,000"{"\n"}Health,Healthcare,"45,250,000.00"</pre>
      {errorFor === "csv" ? <ErrorBox error={error} id="csv-error" /> : null}
      <form method="post" action={`${base}/import?lang=${lang}`} enctype="multipart/form-data" class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("budget.admin.csvFile")}<input type="file" name="file" accept=".csv,text/csv" /></label>
        <label>{t("budget.admin.csvText")}<textarea name="csv" rows={6}>{errorFor === "csv" ? values.csv ?? "" : ""}</textarea></label>
        <fieldset>
          <legend>{t("budget.admin.mapping")}</legend>
          <label>{t("budget.admin.departmentColumn")}<input name="department_column" value={values.department_column ?? "department"} /></label>
          <label>{t("budget.admin.categoryColumn")}<input name="category_column" value={values.category_column ?? "category"} /></label>
          <label>{t("budget.admin.amountColumn")}<input name="amount_column" value={values.amount_column ?? "amount"} /></label>
          <label>{t("budget.admin.amountUnit")}
            <select name="amount_unit"><option value="dollars">{t("budget.admin.unitDollars")}</option><option value="cents" selected={values.amount_unit === "cents"}>{t("budget.admin.unitCents")}</option></select>
          </label>
          <label>{t("budget.admin.policeMatch")}<input name="police_match" value={values.police_match ?? "police"} /></label>
        </fieldset>
        <label>{t("budget.source")}<input name="source" value={errorFor === "csv" ? values.source ?? "" : ""} /></label>
        <label class="check"><input type="checkbox" name="set_total" checked={values.set_total === "on"} /> {t("budget.admin.setTotal")}</label>
        <label class="check"><input type="checkbox" name="replace" checked={values.replace === "on"} /> {t("budget.admin.replace")}</label>
        <button type="submit">{t("budget.admin.import")}</button>
      </form>
    </>
  );
}

function ProcessFields({ t, values }: { t: BudgetTranslate; values: Values }) {
  const checked = (name: string) => values[name] === "on" || values[name] === "true";
  return (
    <>
      <label>{t("budget.admin.titleEn")}<input name="title_en" required lang="en" value={values.title_en ?? ""} /></label>
      <label>{t("budget.admin.titleEs")}<input name="title_es" lang="es" value={values.title_es ?? ""} /></label>
      <label>{t("budget.admin.descriptionEn")}<textarea name="description_en" lang="en">{values.description_en ?? ""}</textarea></label>
      <label>{t("budget.admin.descriptionEs")}<textarea name="description_es" lang="es">{values.description_es ?? ""}</textarea></label>
      <label>{t("budget.admin.city")}<input name="city" value={values.city ?? ""} /></label>
      <label>{t("budget.admin.currency")}<input name="currency" value={values.currency ?? "USD"} maxlength={3} /></label>
      <label>{t("budget.admin.budgetUnits")}<input name="budget" inputmode="numeric" required value={values.budget ?? ""} /></label>
      <label>{t("budget.admin.ballotType")}
        <select name="ballot_type">{BALLOT_TYPES.map((b) => <option value={b} selected={values.ballot_type === b}>{t(`budget.ballotTypeName.${b}` as BudgetKey)}</option>)}</select>
      </label>
      <label>{t("budget.admin.pickN")}<input name="pick_n" inputmode="numeric" value={values.pick_n ?? ""} /></label>
      <label>{t("budget.admin.pointsTotal")}<input name="points_total" inputmode="numeric" value={values.points_total ?? ""} /></label>
      <label>{t("budget.admin.officialRule")}
        <select name="official_rule">{OFFICIAL_RULES.map((r) => <option value={r} selected={(values.official_rule ?? "equal-shares") === r}>{t(`budget.rule.${r}` as BudgetKey)}</option>)}</select>
      </label>
      <label class="check"><input type="checkbox" name="eligibility_zip" checked={checked("eligibility_zip")} /> {t("budget.admin.eligibilityZip")}</label>
      <label>{t("budget.admin.zips")}<textarea name="zips" rows={2}>{values.zips ?? ""}</textarea></label>
      <label class="check"><input type="checkbox" name="eligibility_codes" checked={checked("eligibility_codes")} /> {t("budget.admin.eligibilityCodes")}</label>
    </>
  );
}

export const processValues = (p: ProcessRow): Values => ({
  slug: p.slug, title_en: p.title_en, title_es: p.title_es, description_en: p.description_en, description_es: p.description_es, city: p.city, currency: p.currency,
  budget: String(p.budget), ballot_type: p.ballot_type, pick_n: p.pick_n === null ? "" : String(p.pick_n), points_total: p.points_total === null ? "" : String(p.points_total),
  official_rule: p.official_rule, eligibility_zip: p.eligibility_zip ? "on" : "", eligibility_codes: p.eligibility_codes ? "on" : "", zips: p.zips.join(", "),
});

interface AdminProcessProps {
  t: BudgetTranslate;
  lang: Lang;
  csrfToken: string;
  process: ProcessRow;
  proposals: ProposalRow[];
  codes: { batch: string; total: number; used: number }[];
  turnout: { emailVoted: number; codesUsed: number; ballots: number };
  error?: string | null;
  errorFor?: string | null;
  values?: Values;
  notice?: string | null;
}

export function AdminProcessView(props: AdminProcessProps) {
  const { t, lang, csrfToken, process: p } = props;
  const base = `/budget/admin/p/${p.slug}`;
  const err = (name: string, id: string) => (props.errorFor === name ? <ErrorBox error={props.error} id={id} /> : null);
  return (
    <>
      <BudgetStyles />
      <BudgetNav t={t} lang={lang} current="admin" manager={true} />
      <h1><Bilingual en={p.title_en} es={p.title_es} lang={lang} /> {p.demo ? <DemoTag t={t} /> : null}</h1>
      <Notice text={props.notice} />
      <p class="actions-row">
        <a href={`/budget/p/${p.slug}?lang=${lang}`}>{t("budget.admin.publicPage")}</a>
        {p.phase !== "voting" ? <a href={`/budget/p/${p.slug}/results?lang=${lang}`}>{t("budget.admin.previewResults")}</a> : null}
        {p.phase !== "voting" ? <a href={`/budget/p/${p.slug}/export.pb`}>{t("budget.results.download")}</a> : null}
      </p>
      <h2>{t("budget.admin.phase")}</h2>
      {err("phase", "phase-error")}
      <form method="post" action={`${base}/phase?lang=${lang}`} class="form-inline inline">
        <Csrf token={csrfToken} />
        <label>{t("budget.admin.phase")}
          <select name="phase">{PHASES.map((ph) => <option value={ph} selected={p.phase === ph}>{t(`budget.phase.${ph}` as BudgetKey)}</option>)}</select>
        </label>
        <button type="submit">{t("budget.admin.setPhase")}</button>
      </form>
      <p class="hint">{t("budget.admin.phaseHint")}</p>
      <dl class="figures">
        <dt>{t("budget.admin.turnoutEmail")}</dt><dd>{formatNumber(props.turnout.emailVoted, lang)}</dd>
        <dt>{t("budget.admin.turnoutCodes")}</dt><dd>{formatNumber(props.turnout.codesUsed, lang)}</dd>
        <dt>{t("budget.results.ballots")}</dt><dd>{formatNumber(props.turnout.ballots, lang)}</dd>
      </dl>

      {p.eligibility_codes ? (
        <>
          <h2>{t("budget.admin.codes")}</h2>
          {props.codes.length ? (
            <table>
              <thead><tr><th scope="col">{t("budget.admin.batch")}</th><th scope="col" class="num">{t("budget.admin.codesMade")}</th><th scope="col" class="num">{t("budget.admin.codesUsed")}</th></tr></thead>
              <tbody>{props.codes.map((c) => <tr><th scope="row">{c.batch}</th><td class="num">{c.total}</td><td class="num">{c.used}</td></tr>)}</tbody>
            </table>
          ) : null}
          {err("codes", "codes-error")}
          <form method="post" action={`${base}/codes?lang=${lang}`} class="form-stack">
            <Csrf token={csrfToken} />
            <label>{t("budget.admin.codeCount")}<input name="count" inputmode="numeric" required value="50" /></label>
            <label>{t("budget.admin.batch")}<input name="batch" required placeholder={t("budget.admin.batchHint")} /></label>
            <button type="submit">{t("budget.admin.makeCodes")}</button>
          </form>
        </>
      ) : null}

      <h2>{t("budget.proposals.title")}</h2>
      {err("proposal", "proposal-error")}
      {props.proposals.map((x) => (
        <details class="proposal-edit">
          <summary><Bilingual en={x.title_en} es={x.title_es} lang={lang} /> — {t(`budget.status.${x.status}` as BudgetKey)}{x.cost !== null ? ` · ${formatUnits(x.cost, p.currency, lang)}` : ""}</summary>
          <form method="post" action={`${base}/proposals/${x.id}?lang=${lang}`} class="form-stack">
            <Csrf token={csrfToken} />
            <ProposalFields t={t} values={{ title_en: x.title_en, title_es: x.title_es, description_en: x.description_en, description_es: x.description_es, category: x.category, location: x.location, cost: x.cost === null ? "" : String(x.cost), status: x.status, review_note: x.review_note ?? "" }} idPrefix={x.id} />
            <button type="submit">{t("budget.admin.saveProposal")}</button>
          </form>
          {x.status === "feasible" ? (
            <form method="post" action={`${base}/proposals/${x.id}/implementation?lang=${lang}`} class="form-stack">
              <Csrf token={csrfToken} />
              <label>{t("budget.impl.status")}
                <select name="implementation">{IMPLEMENTATION_STATUSES.map((s) => <option value={s} selected={x.implementation === s}>{t(`budget.impl.${s}` as BudgetKey)}</option>)}</select>
              </label>
              <label>{t("budget.impl.note")}<input name="implementation_note" value={x.implementation_note ?? ""} /></label>
              <button type="submit">{t("budget.admin.saveImplementation")}</button>
            </form>
          ) : null}
        </details>
      ))}
      <h3>{t("budget.admin.addProposal")}</h3>
      {err("newProposal", "new-proposal-error")}
      <form method="post" action={`${base}/proposals?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <ProposalFields t={t} values={props.errorFor === "newProposal" ? props.values ?? {} : {}} idPrefix="new" />
        <button type="submit">{t("budget.admin.addProposal")}</button>
      </form>

      <h2>{t("budget.admin.settings")}</h2>
      {err("settings", "settings-error")}
      <form method="post" action={`${base}/settings?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <input type="hidden" name="slug" value={p.slug} />
        <ProcessFields t={t} values={props.errorFor === "settings" ? props.values ?? {} : processValues(p)} />
        <button type="submit">{t("budget.admin.saveSettings")}</button>
      </form>
    </>
  );
}

function ProposalFields({ t, values, idPrefix }: { t: BudgetTranslate; values: Values; idPrefix: string }) {
  return (
    <>
      <label>{t("budget.admin.titleEn")}<input name="title_en" lang="en" value={values.title_en ?? ""} /></label>
      <label>{t("budget.admin.titleEs")}<input name="title_es" lang="es" value={values.title_es ?? ""} /></label>
      <label>{t("budget.admin.descriptionEn")}<textarea name="description_en" lang="en">{values.description_en ?? ""}</textarea></label>
      <label>{t("budget.admin.descriptionEs")}<textarea name="description_es" lang="es">{values.description_es ?? ""}</textarea></label>
      <label>{t("budget.category")}<input name="category" list={`cat-${idPrefix}`} value={values.category ?? ""} /></label>
      <datalist id={`cat-${idPrefix}`}>{PB_CATEGORIES.map((c) => <option value={c} />)}</datalist>
      <label>{t("budget.idea.location")}<input name="location" value={values.location ?? ""} /></label>
      <label>{t("budget.admin.costUnits")}<input name="cost" inputmode="numeric" value={values.cost ?? ""} /></label>
      <label>{t("budget.admin.status")}
        <select name="status">{PROPOSAL_STATUSES.map((s) => <option value={s} selected={(values.status ?? "proposal") === s}>{t(`budget.status.${s}` as BudgetKey)}</option>)}</select>
      </label>
      <label>{t("budget.proposals.review")}<input name="review_note" value={values.review_note ?? ""} /></label>
    </>
  );
}

/** New codes, shown once, for printing. */
export function CodesView({ t, lang, process: p, codes, batch }: { t: BudgetTranslate; lang: Lang; process: ProcessRow; codes: string[]; batch: string }) {
  return (
    <>
      <BudgetStyles />
      <h1>{t("budget.admin.codesTitle", { count: codes.length, batch })}</h1>
      <p class="assumption" role="note">{t("budget.admin.codesOnce")}</p>
      <ol class="codes" id="codes">{codes.map((code) => <li><code>{code}</code></li>)}</ol>
      <p><a href={`/budget/admin/p/${p.slug}?lang=${lang}`}>{t("budget.admin.back")}</a></p>
    </>
  );
}
