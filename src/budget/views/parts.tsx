import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { BudgetKey, BudgetTranslate, Lang } from "../i18n.js";
import type { AmountPrecision, Phase } from "../schema.js";
import { PHASES } from "../schema.js";

/** The budget pages' stylesheet; a <link> in the body keeps the shared layout untouched. */
export const BudgetStyles = () => <link rel="stylesheet" href="/budget/assets/budget.css" />;

export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function ErrorBox({ error, id = "form-error" }: { error?: string | null; id?: string }) {
  return error ? <p class="error-box" role="alert" id={id}>{error}</p> : null;
}

export function Notice({ text }: { text?: string | null }) {
  return text ? <p class="notice" role="status">{text}</p> : null;
}

export const locale = (lang: Lang) => (lang === "es" ? "es-US" : "en-US");

/** Cents as dollars: whole dollars when there are no cents. Display only; decisions use the integers. */
export function formatCents(cents: number, lang: Lang): string {
  const whole = cents % 100 === 0;
  return new Intl.NumberFormat(locale(lang), { style: "currency", currency: "USD", minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2 }).format(cents / 100);
}

/** Whole currency units of a process (XXX: a plain number). */
export function formatUnits(units: number, currency: string, lang: Lang): string {
  if (currency === "XXX") return new Intl.NumberFormat(locale(lang)).format(units);
  return new Intl.NumberFormat(locale(lang), { style: "currency", currency, maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(units);
}

/** Hundredths of a currency unit (cost per vote). */
export function formatHundredths(hundredths: number, currency: string, lang: Lang): string {
  if (currency === "XXX") return new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(hundredths / 100);
  return new Intl.NumberFormat(locale(lang), { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(hundredths / 100);
}

/** Basis points as a percentage with one decimal (2735 → 27.4%). */
export function formatBps(bps: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang), { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(bps / 10_000);
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

/** An amount with its precision in words: "over $250,000,000", "about $260,000,000". */
export function preciseAmount(t: BudgetTranslate, text: string, precision: AmountPrecision): string {
  if (precision === "at_least") return t("budget.precision.at_least", { amount: text });
  if (precision === "about") return t("budget.precision.about", { amount: text });
  return text;
}

const BASIS_CLASS: Record<string, string> = { press: "basis-press", assumption: "basis-assumption", demo: "basis-demo", official: "basis-official", admin: "basis-admin", import: "basis-official" };

/** Where a figure comes from, in words and never colour alone. */
export function BasisTag({ t, basis }: { t: BudgetTranslate; basis: string }) {
  return <span class={`basis ${BASIS_CLASS[basis] ?? ""}`}>{t(`budget.basis.${basis}` as BudgetKey)}</span>;
}

export function BudgetNav({ t, lang, current, manager }: { t: BudgetTranslate; lang: Lang; current: "home" | "share" | "whatif" | "processes" | "admin"; manager: boolean }) {
  const link = (path: string, key: BudgetKey, name: typeof current) => (
    <li><a href={`${path}?lang=${lang}`} aria-current={current === name ? "page" : undefined}>{t(key)}</a></li>
  );
  return (
    <nav class="budget-nav" aria-label={t("budget.sections")}>
      <ul>
        {link("/budget", "budget.nav.home", "home")}
        {link("/budget/share", "budget.nav.share", "share")}
        {link("/budget/processes", "budget.nav.processes", "processes")}
        {manager ? link("/budget/admin", "budget.nav.admin", "admin") : null}
      </ul>
    </nav>
  );
}

/** A chart with its data as a table beside it (people using screen readers read the table). */
export function ChartFigure({ svg, label, caption, children }: { svg: string; label: string; caption?: string; children?: Child }) {
  return (
    <figure class="budget-chart">
      {svg ? <div class="chart" role="img" aria-label={label}>{raw(svg)}</div> : null}
      {caption ? <figcaption>{caption}</figcaption> : null}
      {children}
    </figure>
  );
}

/** The six phases as steps, the current one marked in words as well as style. */
export function PhaseSteps({ t, phase }: { t: BudgetTranslate; phase: Phase }) {
  const at = PHASES.indexOf(phase);
  return (
    <ol class="phases" aria-label={t("budget.phases")}>
      {PHASES.map((p, i) => (
        <li class={i < at ? "done" : i === at ? "current" : "todo"} aria-current={i === at ? "step" : undefined}>
          <span class="phase-name">{t(`budget.phase.${p}` as BudgetKey)}</span>
          {i === at ? <span class="phase-now"> — {t("budget.phaseNow")}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/** Picks the text in the page's language, falling back to the other one (marked with lang). */
export function Bilingual({ en, es, lang }: { en: string; es: string; lang: Lang }) {
  const mine = lang === "es" ? es : en;
  if (mine) return <>{mine}</>;
  const other = lang === "es" ? en : es;
  return <span lang={lang === "es" ? "en" : "es"}>{other}</span>;
}

export const pickText = (en: string, es: string, lang: Lang) => (lang === "es" ? es || en : en || es);

export const DemoTag = ({ t }: { t: BudgetTranslate }) => <span class="basis basis-demo">{t("budget.demoTag")}</span>;
