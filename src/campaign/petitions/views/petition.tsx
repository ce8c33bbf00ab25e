import type { PetitionsTranslate } from "../i18n.js";
import type { PetitionView } from "../present.js";
import type { SignField } from "../schema.js";
import { Csrf, ErrorBox, formatDate, formatNumber, LiveScript, Notice, Paragraphs, PetitionStyles, pick, type Lang } from "./parts.js";

export interface SignFormState {
  /** What the signer typed, to fill the form again after an error. */
  values?: { name?: string; email?: string; zip?: string; show_publicly?: boolean };
  invalid?: SignField[];
  /** A refusal worded for the signer (duplicate, limit, token, closed). */
  error?: string | null;
}

export interface PetitionPageProps {
  t: PetitionsTranslate;
  lang: Lang;
  petition: PetitionView;
  signers: { name: string; zip: string; confirmedAt: string }[];
  signersTotal: number;
  csrfToken: string;
  formToken: string;
  form?: SignFormState;
  notice?: string | null;
  canManage: boolean;
}

/** The petition: its count (live when scripts run), text, demands, sponsors, thresholds, the form and the listed signers. */
export function PetitionPage(props: PetitionPageProps) {
  const { t, lang, petition: p } = props;
  const title = pick(lang, p.title.en, p.title.es);
  const textIsTranslation = lang === "es" && p.text.esIsTranslation;
  return (
    <>
      <PetitionStyles />
      <p class="crumbs"><a href={`/petitions?lang=${lang}`}>{t("petitions.title")}</a></p>
      <article class="petition" data-petition-id={p.id}>
        <h1>{title}</h1>
        <Notice text={props.notice} />
        <PetitionDates t={t} lang={lang} p={p} />
        <CountBlock t={t} lang={lang} p={p} signLink={p.state === "open"} />
        <div class="petition-layout">
          <div class="petition-text">
            <p class="target">
              <strong>{t("petitions.target")}:</strong> {pick(lang, p.target.en, p.target.es)}
            </p>
            {p.target.basis === "assumption" && p.targetNote ? (
              <p class="assumption"><strong>{t("petitions.assumption")}:</strong> {pick(lang, p.targetNote.en ?? "", p.targetNote.es ?? p.targetNote.en ?? "")}</p>
            ) : null}
            <Paragraphs text={pick(lang, p.text.en, p.text.es)} />
            {textIsTranslation ? <p class="note">{t("petitions.translation")}</p> : null}
            {p.demands.length ? (
              <>
                <h2>{t("petitions.demands")}</h2>
                <ol class="petition-demands">
                  {p.demands.map((d) => (
                    <li>
                      {pick(lang, d.text.en, d.text.es)}
                      {d.tracked ? <> (<a href={`${d.tracked}?lang=${lang}`}>{t("petitions.tracked")}</a>)</> : null}
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
            {p.sponsors.length ? (
              <>
                <h2>{t("petitions.sponsors")}</h2>
                <ul class="sponsors">{p.sponsors.map((s) => <li>{s.name}</li>)}</ul>
              </>
            ) : null}
            {p.thresholds.length ? <Thresholds t={t} lang={lang} p={p} /> : null}
          </div>
          <div class="petition-sign" id="sign">
            {p.state === "open" ? (
              <SignForm t={t} lang={lang} slug={p.slug} csrfToken={props.csrfToken} formToken={props.formToken} state={props.form} />
            ) : (
              <p class="closed-box">
                {p.state === "upcoming" ? t("petitions.error.notOpen", { date: formatDate(p.opensAt, lang) }) : t("petitions.error.closed", { date: formatDate(p.closesAt!, lang) })}
              </p>
            )}
          </div>
        </div>
        <Signers t={t} lang={lang} slug={p.slug} signers={props.signers} total={props.signersTotal} deletedAt={p.signerDataDeletedAt} />
        <p class="downloads">
          <a href={p.api}>{t("petitions.api")}</a>
          {props.canManage ? <a href={`/petitions/${p.slug}/manage?lang=${lang}`}>{t("petitions.manage")}</a> : null}
        </p>
      </article>
      <LiveScript />
    </>
  );
}

function PetitionDates({ t, lang, p }: { t: PetitionsTranslate; lang: Lang; p: PetitionView }) {
  const state = { open: t("petitions.state.open"), upcoming: t("petitions.state.upcoming"), closed: t("petitions.state.closed") }[p.state];
  return (
    <p class="petition-dates">
      <span class={`state state-${p.state}`}>{state}</span>{" "}
      <span>{t(p.state === "upcoming" ? "petitions.opens" : "petitions.opened", { date: formatDate(p.opensAt, lang) })}</span>
      {" · "}
      {p.closesAt ? <span>{t(p.state === "closed" ? "petitions.closed" : "petitions.closes", { date: formatDate(p.closesAt, lang) })}</span> : <span>{t("petitions.noClose")}</span>}
    </p>
  );
}

/**
 * The count, rendered by the server (the no-script fallback, with a refresh
 * link); live.js opens the event stream named in data-live and updates it.
 */
export function CountBlock({ t, lang, p, signLink }: { t: PetitionsTranslate; lang: Lang; p: PetitionView; signLink: boolean }) {
  const { verified, pending } = p.counts;
  const progress = t("petitions.count.progress", { verified: formatNumber(verified, lang), goal: formatNumber(p.goal, lang) });
  return (
    <section class="count-box" id="count" aria-labelledby="count-heading" data-live={`${p.live}?lang=${lang}`} data-goal={String(p.goal)}
      data-announce={t("petitions.count.announce")} data-progress={t("petitions.count.progress")}>
      <h2 id="count-heading" class="visually-hidden">{t("petitions.count.heading")}</h2>
      <p class="count-main">
        <span class="count-figure" data-count="verified" data-testid="verified-count">{formatNumber(verified, lang)}</span>{" "}
        <span data-label-one={t("petitions.count.verifiedOne")} data-label-many={t("petitions.count.verified")}>{verified === 1 ? t("petitions.count.verifiedOne") : t("petitions.count.verified")}</span>
      </p>
      <progress max={p.goal} value={Math.min(verified, p.goal)} aria-label={progress} data-count="progress">{progress}</progress>
      <p class="count-goal">{t("petitions.count.goal", { goal: formatNumber(p.goal, lang) })}</p>
      <p class="count-pending">
        <span class="count-figure-small" data-count="pending" data-testid="pending-count">{formatNumber(pending, lang)}</span> {t("petitions.count.pending")}
      </p>
      <p class="count-actions">
        <span class="live-note" hidden>{t("petitions.count.live")}</span>
        <a class="refresh" href={`/petitions/${p.slug}?lang=${lang}#count`}>{t("petitions.count.refresh")}</a>
        {signLink ? <a class="button sign-jump" href="#sign">{t("petitions.sign")}</a> : null}
      </p>
      <p class="visually-hidden" role="status" id="live-announce"></p>
    </section>
  );
}

function Thresholds({ t, lang, p }: { t: PetitionsTranslate; lang: Lang; p: PetitionView }) {
  return (
    <>
      <h2>{t("petitions.thresholds")}</h2>
      <ul class="thresholds">
        {p.thresholds.map((h) => (
          <li class={h.reachedAt ? "reached" : undefined} data-threshold={String(h.signatures)}>
            <strong>{t("petitions.threshold.at", { count: formatNumber(h.signatures, lang) })}:</strong> {pick(lang, h.label.en, h.label.es)}{" "}
            <span class="threshold-state" data-not-yet={t("petitions.threshold.notYet", { remaining: "{remaining}" })} data-reached={t("petitions.threshold.reachedLive")}>
              {h.reachedAt
                ? <>{t("petitions.threshold.reached", { date: formatDate(h.reachedAt, lang) })}</>
                : t("petitions.threshold.notYet", { remaining: formatNumber(Math.max(0, h.signatures - p.counts.verified), lang) })}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

const FIELD_ERROR = { name: "petitions.error.name", email: "petitions.error.email", zip: "petitions.error.zip" } as const;

/** The signing form: one column, large targets, native validation plus the server's, works without scripts. */
export function SignForm({ t, lang, slug, csrfToken, formToken, state }: { t: PetitionsTranslate; lang: Lang; slug: string; csrfToken: string; formToken: string; state?: SignFormState }) {
  const invalid = new Set(state?.invalid ?? []);
  const values = state?.values ?? {};
  const field = (name: SignField) => ({
    "aria-invalid": invalid.has(name) ? "true" : undefined,
    "aria-describedby": [name === "name" ? null : `${name}-hint`, invalid.has(name) ? `${name}-error` : null].filter(Boolean).join(" ") || undefined,
  });
  const fieldError = (name: SignField) => (invalid.has(name) ? <span class="field-error" id={`${name}-error`}>{t(FIELD_ERROR[name])}</span> : null);
  return (
    <form method="post" action={`/petitions/${slug}/sign?lang=${lang}#sign`} class="form-stack sign-form" aria-labelledby="sign-heading" novalidate={invalid.size ? true : undefined}>
      <h2 id="sign-heading">{t("petitions.sign")}</h2>
      <p class="hint">{t("petitions.sign.intro")}</p>
      <ErrorBox text={state?.error ?? (invalid.size ? t("petitions.error.fields") : null)} id="sign-error" />
      <Csrf token={csrfToken} />
      <input type="hidden" name="_form" value={formToken} />
      <label for="sign-name">{t("petitions.field.name")}</label>
      {fieldError("name")}
      <input id="sign-name" type="text" name="name" autocomplete="name" required maxlength={100} value={values.name ?? ""} {...field("name")} />
      <label for="sign-email">{t("petitions.field.email")}</label>
      <span class="hint" id="email-hint">{t("petitions.field.emailHint")}</span>
      {fieldError("email")}
      <input id="sign-email" type="email" name="email" autocomplete="email" required maxlength={254} value={values.email ?? ""} {...field("email")} />
      <label for="sign-zip">{t("petitions.field.zip")}</label>
      <span class="hint" id="zip-hint">{t("petitions.field.zipHint")}</span>
      {fieldError("zip")}
      <input id="sign-zip" type="text" name="zip" autocomplete="postal-code" inputmode="numeric" required maxlength={10} pattern="\d{5}(-?\d{4})?" value={values.zip ?? ""} {...field("zip")} />
      <label class="check"><input type="checkbox" name="show_publicly" value="1" checked={values.show_publicly ?? false} /> {t("petitions.field.showPublicly")}</label>
      <div class="hp">
        <label for="sign-website">{t("petitions.field.website")}</label>
        <input id="sign-website" type="text" name="website" tabindex={-1} autocomplete="off" />
      </div>
      <button type="submit">{t("petitions.submit")}</button>
    </form>
  );
}

function Signers({ t, lang, slug, signers, total, deletedAt }: { t: PetitionsTranslate; lang: Lang; slug: string; signers: PetitionPageProps["signers"]; total: number; deletedAt: string | null }) {
  return (
    <section aria-labelledby="signers-heading" class="signers">
      <h2 id="signers-heading">{t("petitions.signers")}</h2>
      {deletedAt ? <p class="note">{t("petitions.anonymised", { date: formatDate(deletedAt, lang) })}</p> : <p class="hint">{t("petitions.signers.intro")}</p>}
      {signers.length ? (
        <>
          <ul class="signer-list">
            {signers.map((s) => <li>{s.name} <span class="zip">({s.zip})</span></li>)}
          </ul>
          {total > signers.length ? <p><a href={`/petitions/${slug}/signers?lang=${lang}`}>{t("petitions.signers.all", { count: formatNumber(total, lang) })}</a></p> : null}
        </>
      ) : deletedAt ? null : <p>{t("petitions.signers.none")}</p>}
    </section>
  );
}
