import type { BudgetTranslate, Lang } from "../i18n.js";
import type { ProcessRow, ProposalRow } from "../pb-repo.js";
import type { Credential } from "../pb-service.js";
import { categoryLabel, ballotTypeText } from "./process.js";
import { Bilingual, BudgetStyles, Csrf, DemoTag, ErrorBox, formatNumber, formatUnits, locale, pickText } from "./parts.js";

interface StartProps {
  t: BudgetTranslate;
  lang: Lang;
  process: ProcessRow;
  csrfToken: string;
  emailError?: string | null;
  codeError?: string | null;
  values?: Record<string, string>;
}

/** How to vote: a link by email for residents of the listed ZIP codes, or a code from an event. */
export function VoteStartView({ t, lang, process: p, csrfToken, emailError, codeError, values = {} }: StartProps) {
  return (
    <>
      <BudgetStyles />
      <p class="breadcrumb"><a href={`/budget/p/${p.slug}?lang=${lang}`}><Bilingual en={p.title_en} es={p.title_es} lang={lang} /></a></p>
      <h1>{t("budget.vote.title")} {p.demo ? <DemoTag t={t} /> : null}</h1>
      <p>{ballotTypeText(t, lang, p)}</p>
      <p>{t("budget.vote.secret")}</p>
      {p.eligibility_zip ? (
        <section aria-labelledby="by-email">
          <h2 id="by-email">{t("budget.vote.byEmail")}</h2>
          <p>{t("budget.vote.byEmailIntro", { zips: p.zips.join(", ") })}</p>
          <ErrorBox error={emailError} id="email-error" />
          <form method="post" action={`/budget/p/${p.slug}/vote/email?lang=${lang}`} class="form-stack">
            <Csrf token={csrfToken} />
            <label>{t("budget.vote.email")}<input type="email" name="email" autocomplete="email" required value={values.email ?? ""} /></label>
            <label>{t("budget.vote.zip")}<input name="zip" inputmode="numeric" pattern="[0-9]{5}" maxlength={5} autocomplete="postal-code" required value={values.zip ?? ""} /></label>
            <button type="submit">{t("budget.vote.sendLink")}</button>
          </form>
        </section>
      ) : null}
      {p.eligibility_codes ? (
        <section aria-labelledby="by-code">
          <h2 id="by-code">{t("budget.vote.byCode")}</h2>
          <p>{t("budget.vote.byCodeIntro")}</p>
          <ErrorBox error={codeError} id="code-error" />
          <form method="post" action={`/budget/p/${p.slug}/vote/code?lang=${lang}`} class="form-stack">
            <Csrf token={csrfToken} />
            <label>{t("budget.vote.code")}<input name="code" autocomplete="off" autocapitalize="characters" spellcheck={false} required value={values.code ?? ""} /></label>
            <button type="submit">{t("budget.vote.useCode")}</button>
          </form>
        </section>
      ) : null}
    </>
  );
}

export function LinkSentView({ t, lang, process: p }: { t: BudgetTranslate; lang: Lang; process: ProcessRow }) {
  return (
    <>
      <BudgetStyles />
      <h1>{t("budget.vote.checkEmail")}</h1>
      <p class="notice" role="status">{t("budget.vote.linkSent")}</p>
      <p><a href={`/budget/p/${p.slug}?lang=${lang}`}><Bilingual en={p.title_en} es={p.title_es} lang={lang} /></a></p>
    </>
  );
}

interface BallotProps {
  t: BudgetTranslate;
  lang: Lang;
  process: ProcessRow;
  proposals: ProposalRow[];
  credential: Credential;
  csrfToken: string;
  /** proposal id → points (1 for approval ballots). */
  selected: Map<string, number>;
  error?: string | null;
  /** The total was recomputed on request (no JavaScript). */
  updated?: boolean;
}

/**
 * The ballot. For the budget-limit ballot it is a shopping cart: tick projects, the running
 * total is shown (recomputed by the server with "Update total", live with JavaScript), and a
 * ballot over the budget is refused with the reason.
 */
export function BallotView({ t, lang, process: p, proposals, credential, csrfToken, selected, error, updated }: BallotProps) {
  const totalCost = proposals.filter((x) => selected.has(x.id)).reduce((sum, x) => sum + x.cost!, 0);
  const totalPoints = [...selected.values()].reduce((a, b) => a + b, 0);
  const money = (n: number) => formatUnits(n, p.currency, lang);
  const over = p.ballot_type === "approval_budget" && totalCost > p.budget;
  const status =
    p.ballot_type === "approval_budget"
      ? over ? t("budget.ballot.totalOver", { total: money(totalCost), budget: money(p.budget), over: money(totalCost - p.budget) }) : t("budget.ballot.total", { total: money(totalCost), budget: money(p.budget), left: money(p.budget - totalCost) })
      : p.ballot_type === "pick_n" ? t("budget.ballot.picked", { count: selected.size, n: p.pick_n! })
      : t("budget.ballot.pointsUsed", { used: totalPoints, total: p.points_total! });
  return (
    <>
      <BudgetStyles />
      <script src="/budget/assets/ballot.js" defer></script>
      <p class="breadcrumb"><a href={`/budget/p/${p.slug}?lang=${lang}`}><Bilingual en={p.title_en} es={p.title_es} lang={lang} /></a></p>
      <h1>{t("budget.ballot.title")} {p.demo ? <DemoTag t={t} /> : null}</h1>
      <p>{ballotTypeText(t, lang, p)}</p>
      <ErrorBox error={error} id="ballot-error" />
      <form
        method="post"
        action={`/budget/p/${p.slug}/ballot?lang=${lang}`}
        id="ballot"
        data-type={p.ballot_type}
        data-budget={String(p.budget)}
        data-limit={String(p.ballot_type === "pick_n" ? p.pick_n : p.points_total ?? 0)}
        data-currency={p.currency}
        data-locale={locale(lang)}
        data-text-total={t("budget.ballot.total", { total: "{total}", budget: "{budget}", left: "{left}" })}
        data-text-over={t("budget.ballot.totalOver", { total: "{total}", budget: "{budget}", over: "{over}" })}
        data-text-picked={t("budget.ballot.picked", { count: "{count}", n: "{n}" })}
        data-text-too-many={t("budget.ballot.tooManyLive", { count: "{count}", n: "{n}" })}
        data-text-points={t("budget.ballot.pointsUsed", { used: "{used}", total: "{total}" })}
        data-text-points-over={t("budget.ballot.pointsOverLive", { used: "{used}", total: "{total}" })}
      >
        <Csrf token={csrfToken} />
        {credential.kind === "token" ? <input type="hidden" name="token" value={credential.token} /> : <input type="hidden" name="code" value={credential.code} />}
        <fieldset class="ballot-choices">
          <legend>{p.ballot_type === "cumulative" ? t("budget.ballot.legendPoints", { points: p.points_total! }) : t("budget.ballot.legend")}</legend>
          <ul class="cart-list">
            {proposals.map((x) => {
              const id = `choice-${x.id}`;
              const hasDescription = Boolean(pickText(x.description_en, x.description_es, lang));
              const label = (
                <span class="choice-text">
                  <strong><Bilingual en={x.title_en} es={x.title_es} lang={lang} /></strong>
                  <span class="cost">{money(x.cost!)}</span>
                  <span class="meta">{categoryLabel(t, x.category)}{x.location ? ` · ${x.location}` : ""}</span>
                </span>
              );
              return (
                <li>
                  {p.ballot_type === "cumulative" ? (
                    <div class="points-row">
                      <label for={id}>{label}</label>
                      <span class="points-input"><input id={id} type="number" name={`points_${x.id}`} aria-describedby={hasDescription ? `${id}-description` : undefined} min={0} max={p.points_total!} step={1} inputmode="numeric" value={String(selected.get(x.id) ?? 0)} data-cost={String(x.cost)} /> {t("budget.ballot.pointsUnit")}</span>
                    </div>
                  ) : (
                    <label class="check" for={id}>
                      <input id={id} type="checkbox" name="choice" value={x.id} aria-describedby={hasDescription ? `${id}-description` : undefined} checked={selected.has(x.id)} data-cost={String(x.cost)} />
                      {label}
                    </label>
                  )}
                  {hasDescription ? <p class="description" id={`${id}-description`}><Bilingual en={x.description_en} es={x.description_es} lang={lang} /></p> : null}
                </li>
              );
            })}
          </ul>
        </fieldset>
        <div class={`cart-total${over ? " over" : ""}`} id="cart-total" role="status" aria-live="polite" aria-atomic="true">
          <span id="cart-total-text">{status}</span>
          {updated ? <span class="visually-hidden"> {t("budget.ballot.updated")}</span> : null}
        </div>
        <div class="actions-row">
          <button type="submit" name="intent" value="update" class="secondary" id="update-total">{t("budget.ballot.update")}</button>
          <button type="submit" name="intent" value="cast" id="cast">{t("budget.ballot.cast")}</button>
        </div>
        <p class="hint">{t("budget.ballot.secretHint")}</p>
      </form>
    </>
  );
}

export function VotedView({ t, lang, process: p, chosen }: { t: BudgetTranslate; lang: Lang; process: ProcessRow; chosen: { proposal: ProposalRow; points: number }[] }) {
  const total = chosen.reduce((sum, c) => sum + c.proposal.cost!, 0);
  return (
    <>
      <BudgetStyles />
      <h1>{t("budget.voted.title")}</h1>
      <p class="notice" role="status" id="voted">{t("budget.voted.thanks")}</p>
      <p>{t("budget.voted.secret")}</p>
      <h2>{t("budget.voted.yourChoices")}</h2>
      <ul id="your-choices">
        {chosen.map((c) => (
          <li><Bilingual en={c.proposal.title_en} es={c.proposal.title_es} lang={lang} /> — {formatUnits(c.proposal.cost!, p.currency, lang)}{p.ballot_type === "cumulative" ? ` · ${t("budget.voted.points", { points: formatNumber(c.points, lang) })}` : ""}</li>
        ))}
      </ul>
      {p.ballot_type !== "cumulative" ? <p>{t("budget.voted.total", { total: formatUnits(total, p.currency, lang) })}</p> : null}
      <p><a href={`/budget/p/${p.slug}?lang=${lang}`}>{t("budget.voted.back")}</a></p>
    </>
  );
}
