import type { CampaignKey, CampaignTranslate } from "../i18n.js";
import type { PresentedDemandDetail, PresentedEvent } from "../present.js";
import { DEMAND_STATUSES, type DemandStatus } from "../schema.js";
import { CampaignNav, CampaignStyles, Csrf, DateText, ErrorBox, formatMonth, pick, StatusBadge, type Lang } from "./parts.js";

export interface StatusFormValues {
  target?: string;
  status?: string;
  occurred_on?: string;
  summary?: string;
  summary_lang?: string;
  evidence_url?: string;
  evidence_title?: string;
}

interface Props {
  t: CampaignTranslate;
  lang: Lang;
  demand: PresentedDemandDetail;
  /** Set when the actor may record a status change. */
  csrfToken?: string;
  error?: string;
  values?: StatusFormValues;
  recorded?: boolean;
}

/** One demand: its text in both languages, where it stands with each target, and its whole history. */
export function DemandView(props: Props) {
  const { t, lang, demand } = props;
  const other: Lang = lang === "es" ? "en" : "es";
  const title = t("campaign.listDemandNumber", { list: pick(demand.listInfo.title, lang), number: demand.number });
  return (
    <>
      <CampaignStyles />
      <p class="source"><a href={`/campaign?lang=${lang}`}>{t("campaign.scoreboard")}</a></p>
      <h1>{title}</h1>
      <CampaignNav t={t} lang={lang} current="demand" />
      {props.recorded ? <p class="notice" role="status">{t("campaign.recorded")}</p> : null}
      <p class="demand-text" id="demand-text">{pick(demand.text, lang)}{lang === "es" && demand.text.esIsTranslation ? <span class="note"> {t("campaign.translationMark")}</span> : null}</p>
      {demand.priority ? <p><strong>{pick(demand.priority, lang)}</strong></p> : null}
      <div class="other-language">
        <p><strong>{t("campaign.otherLanguage")}:</strong></p>
        <p lang={other}>{demand.text[other]}</p>
        {demand.text.esIsTranslation ? <p class="note">{t("campaign.translation")}</p> : null}
      </div>
      <p class="source">
        {demand.listInfo.source ? <>{t("campaign.source")}: <span lang="en">{demand.listInfo.source.title}</span>. </> : null}
        {demand.listInfo.issuedOn ? <>{t("campaign.issued", { date: "" })}<DateText date={demand.listInfo.issuedOn} lang={lang} />. </> : null}
        {demand.listInfo.began ? t("campaign.began", { month: formatMonth(demand.listInfo.began, lang) }) : null}
      </p>

      <section aria-labelledby="stands">
        <h2 id="stands">{t("campaign.whereItStands")}</h2>
        <div class="table-scroll" tabindex={0} role="region" aria-labelledby="stands">
          <table id="demand-targets">
            <thead><tr>
              <th scope="col">{t("campaign.target")}</th>
              <th scope="col">{t("campaign.status")}</th>
              <th scope="col" class="date">{t("campaign.lastChange")}</th>
              <th scope="col">{t("campaign.basis")}</th>
            </tr></thead>
            <tbody>{demand.targets.map((cell) => (
              <tr data-target={cell.slug} data-status={cell.status}>
                <th scope="row">{pick(cell.title, lang)}{cell.holder ? <> · {cell.holder}</> : null}</th>
                <td><StatusBadge status={cell.status} t={t} /><span class="since">{cell.statusSince ? <>{t("campaign.since", { date: "" })}<DateText date={cell.statusSince} lang={lang} /></> : t("campaign.sinceUnknown")}</span></td>
                <td class="date"><DateText date={cell.lastActionOn} lang={lang} /></td>
                <td>{t(`campaign.basis.${cell.basis}` as CampaignKey)}{cell.basisNote ? <span class="since">{pick(cell.basisNote, lang)}</span> : null}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="timeline">
        <h2 id="timeline">{t("campaign.timeline")}</h2>
        {demand.timeline.length === 0 ? <p>{t("campaign.noEvents")}</p> : (
          <ol class="timeline">{[...demand.timeline].reverse().map((event) => <EventItem t={t} lang={lang} event={event} demand={demand} />)}</ol>
        )}
      </section>

      {demand.motions.length ? (
        <section aria-labelledby="motions">
          <h2 id="motions">{t("campaign.affectingMotions")}</h2>
          <ul>{demand.motions.map((motion) => (
            <li><a href={`${motion.url}?lang=${lang}`}>{pick(motion.title, lang)}</a> · <DateText date={motion.movedOn} lang={lang} /> · {t(`campaign.result.${motion.result ?? "pending"}` as CampaignKey)}</li>
          ))}</ul>
        </section>
      ) : null}

      <p class="downloads"><a href={`/api/v1/demands/${demand.slug}`}>{t("campaign.downloadJson")}</a></p>
      {props.csrfToken ? <StatusForm {...props} csrfToken={props.csrfToken} /> : null}
    </>
  );
}

function EventItem({ t, lang, event, demand }: { t: CampaignTranslate; lang: Lang; event: PresentedEvent; demand: PresentedDemandDetail }) {
  const target = demand.targets.find((cell) => cell.slug === event.target);
  const status = (s: DemandStatus | null) => (s ? t(`campaign.status.${s}` as CampaignKey) : "—");
  const what = event.kind === "demanded" ? t("campaign.event.demanded")
    : event.kind === "status" ? t("campaign.event.status", { from: status(event.statusFrom), to: status(event.statusTo) })
    : event.kind === "evidence" ? t("campaign.event.evidence", { status: status(event.statusTo) })
    : event.statusFrom !== event.statusTo ? t("campaign.event.voteChanged", { from: status(event.statusFrom), to: status(event.statusTo) }) : t("campaign.event.vote");
  return (
    <li id={`event-${event.id}`} data-kind={event.kind}>
      <p><span class="when"><DateText date={event.occurredOn} lang={lang} /></span> · {target ? pick(target.title, lang) : event.target} · <strong>{what}</strong></p>
      {event.summary ? <p lang={event.summaryLang === lang ? undefined : event.summaryLang}>{event.summary}</p> : null}
      {event.evidence ? <p>{t("campaign.evidence")}: <a href={event.evidence.url} rel="noopener noreferrer nofollow">{event.evidence.title || event.evidence.url}</a></p> : null}
      {event.source ? <p class="source">{t("campaign.source")}: <span lang="en">{event.source.title}</span></p> : null}
      {event.motion ? <p><a href={`${event.motion}?lang=${lang}`}>{t("campaign.motion")}</a></p> : null}
    </li>
  );
}

function StatusForm({ t, lang, demand, csrfToken, error, values = {} }: Props & { csrfToken: string }) {
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section class="staff-form" aria-labelledby="record-status">
      <h2 id="record-status">{t("campaign.recordStatus")}</h2>
      <p>{t("campaign.recordStatusIntro")}</p>
      <ErrorBox error={error} />
      <form method="post" action={`/campaign/demands/${demand.slug}/status?lang=${lang}`} class="form-stack" aria-describedby={error ? "form-error" : undefined}>
        <Csrf token={csrfToken} />
        <label>{t("campaign.field.target")}
          <select name="target" required>{demand.targets.map((cell) => <option value={cell.slug} selected={values.target === cell.slug}>{pick(cell.title, lang)}{cell.holder ? ` · ${cell.holder}` : ""}</option>)}</select>
        </label>
        <label>{t("campaign.field.status")}
          <select name="status" required>{DEMAND_STATUSES.map((status) => <option value={status} selected={values.status === status}>{t(`campaign.status.${status}` as CampaignKey)}</option>)}</select>
        </label>
        <label>{t("campaign.field.occurredOn")}<input type="date" name="occurred_on" required max={today} value={values.occurred_on ?? today} /></label>
        <label>{t("campaign.field.summary")}<textarea name="summary" required minlength={3} maxlength={2000}>{values.summary ?? ""}</textarea></label>
        <label>{t("campaign.field.summaryLang")}
          <select name="summary_lang">{(["en", "es"] as const).map((code) => <option value={code} selected={(values.summary_lang ?? lang) === code}>{t(`campaign.lang.${code}` as CampaignKey)}</option>)}</select>
        </label>
        <label>{t("campaign.field.evidenceUrl")}<input type="url" name="evidence_url" maxlength={2000} value={values.evidence_url ?? ""} /></label>
        <label>{t("campaign.field.evidenceTitle")}<input type="text" name="evidence_title" maxlength={300} value={values.evidence_title ?? ""} /></label>
        <button type="submit">{t("campaign.submitStatus")}</button>
      </form>
    </section>
  );
}

