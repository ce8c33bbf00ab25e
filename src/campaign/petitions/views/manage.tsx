import type { PetitionsKey, PetitionsTranslate } from "../i18n.js";
import { REJECTION_REASONS } from "../limits.js";
import type { PetitionView } from "../present.js";
import { INVALIDATION_REASONS } from "../schema.js";
import { Csrf, ErrorBox, formatNumber, Notice, PetitionStyles, pick, StatusCounts, type Lang } from "./parts.js";

export interface ManageProps {
  t: PetitionsTranslate;
  lang: Lang;
  petition: PetitionView;
  counts: { verified: number; pending: number; paper: number; invalidated: number; expired: number };
  refused: Record<string, number>;
  csrfToken: string;
  canExport: boolean;
  anonymiseAfterDays: number;
  notice?: string | null;
  error?: string | null;
  problems?: string[];
}

/** Organizers' page: every count, refusals by reason, paper upload, invalidation, export, closing. */
export function ManagePage(props: ManageProps) {
  const { t, lang, petition: p } = props;
  return (
    <>
      <PetitionStyles />
      <p class="crumbs"><a href={`/petitions/${p.slug}?lang=${lang}`}>{pick(lang, p.title.en, p.title.es)}</a></p>
      <h1>{t("petitions.manage.title", { title: pick(lang, p.title.en, p.title.es) })}</h1>
      <Notice text={props.notice} />
      <ErrorBox text={props.error} id="manage-error" />
      {props.problems?.length ? (
        <ul class="problems" aria-labelledby="manage-error">{props.problems.slice(0, 100).map((problem) => <li>{problem}</li>)}</ul>
      ) : null}
      <StatusCounts t={t} lang={lang} counts={props.counts} />
      <p class="note">{t("petitions.anonymiseNote", { days: props.anonymiseAfterDays })}</p>

      <h2>{t("petitions.rejected")}</h2>
      <p>{t("petitions.rejected.intro")}</p>
      <table class="refused">
        <tbody>
          {REJECTION_REASONS.map((reason) => (
            <tr><th scope="row">{t(`petitions.reason.${reason}` as PetitionsKey)}</th><td class="num" data-reason={reason}>{formatNumber(props.refused[reason] ?? 0, lang)}</td></tr>
          ))}
        </tbody>
      </table>

      {props.canExport ? (
        <section class="staff-form">
          <h2>{t("petitions.export")}</h2>
          <p>{t("petitions.export.intro")}</p>
          <p><a class="button" href={`/petitions/${p.slug}/export.csv`} download>{t("petitions.export")}</a></p>
        </section>
      ) : null}

      <section class="staff-form">
        <h2 id="paper-heading">{t("petitions.paper")}</h2>
        <p>{t("petitions.paper.intro")}</p>
        <form method="post" action={`/petitions/${p.slug}/paper?lang=${lang}`} enctype="multipart/form-data" class="form-stack" aria-labelledby="paper-heading">
          <Csrf token={props.csrfToken} />
          <label for="paper-file">{t("petitions.paper.file")}</label>
          <input id="paper-file" type="file" name="file" accept=".csv,text/csv" required />
          <button type="submit">{t("petitions.paper.submit")}</button>
        </form>
      </section>

      <section class="staff-form">
        <h2 id="invalidate-heading">{t("petitions.invalidate")}</h2>
        <p>{t("petitions.invalidate.intro")}</p>
        <form method="post" action={`/petitions/${p.slug}/invalidate?lang=${lang}`} class="form-stack" aria-labelledby="invalidate-heading">
          <Csrf token={props.csrfToken} />
          <label for="invalidate-signature">{t("petitions.invalidate.signature")}</label>
          <input id="invalidate-signature" type="text" name="signature" required maxlength={254} autocomplete="off" />
          <label for="invalidate-reason">{t("petitions.invalidate.reason")}</label>
          <select id="invalidate-reason" name="reason">
            {INVALIDATION_REASONS.map((reason) => <option value={reason}>{t(`petitions.reasonCode.${reason}` as PetitionsKey)}</option>)}
          </select>
          <button type="submit">{t("petitions.invalidate.submit")}</button>
        </form>
      </section>

      {p.state === "open" ? (
        <section class="staff-form">
          <form method="post" action={`/petitions/${p.slug}/close?lang=${lang}`}>
            <Csrf token={props.csrfToken} />
            <button type="submit">{t("petitions.close")}</button>
          </form>
        </section>
      ) : null}
    </>
  );
}

/** Organizers' form for a new petition. */
export function NewPetitionForm({ t, lang, csrfToken, error, values }: { t: PetitionsTranslate; lang: Lang; csrfToken: string; error?: string | null; values?: Record<string, string> }) {
  const v = (name: string) => values?.[name] ?? "";
  const text = (name: string, key: PetitionsKey, extra: Record<string, unknown> = {}) => (
    <>
      <label for={`new-${name}`}>{t(key)}</label>
      <input id={`new-${name}`} type="text" name={name} value={v(name)} {...extra} />
    </>
  );
  const area = (name: string, key: PetitionsKey, required = false) => (
    <>
      <label for={`new-${name}`}>{t(key)}</label>
      <textarea id={`new-${name}`} name={name} rows={6} required={required}>{v(name)}</textarea>
    </>
  );
  return (
    <>
      <PetitionStyles />
      <h1>{t("petitions.new")}</h1>
      <ErrorBox text={error} />
      <form method="post" action={`/petitions/new?lang=${lang}`} class="form-stack wide">
        <Csrf token={csrfToken} />
        <label for="new-slug">{t("petitions.new.slug")}</label>
        <span class="hint" id="new-slug-hint">{t("petitions.new.slugHint")}</span>
        <input id="new-slug" type="text" name="slug" value={v("slug")} required pattern="[a-z0-9][a-z0-9\-]{1,79}" aria-describedby="new-slug-hint" />
        {text("title_en", "petitions.new.titleEn", { required: true, maxlength: 200 })}
        {text("title_es", "petitions.new.titleEs", { required: true, maxlength: 200 })}
        {area("text_en", "petitions.new.textEn", true)}
        {area("text_es", "petitions.new.textEs", true)}
        <label class="check"><input type="checkbox" name="text_es_translated" value="1" checked={v("text_es_translated") === "1"} /> {t("petitions.new.translated")}</label>
        {text("target_en", "petitions.new.targetEn", { required: true, maxlength: 200 })}
        {text("target_es", "petitions.new.targetEs", { maxlength: 200 })}
        <label for="new-target_email">{t("petitions.new.targetEmail")}</label>
        <input id="new-target_email" type="email" name="target_email" value={v("target_email")} />
        <label for="new-goal">{t("petitions.new.goal")}</label>
        <input id="new-goal" type="number" name="goal" min={1} required value={v("goal")} />
        <label for="new-opens_at">{t("petitions.new.opensAt")}</label>
        <input id="new-opens_at" type="date" name="opens_at" required value={v("opens_at")} />
        <label for="new-closes_at">{t("petitions.new.closesAt")}</label>
        <input id="new-closes_at" type="date" name="closes_at" value={v("closes_at")} />
        {area("sponsors", "petitions.new.sponsors")}
        {area("thresholds", "petitions.new.thresholds")}
        <button type="submit">{t("petitions.new.submit")}</button>
      </form>
    </>
  );
}
