import { raw } from "hono/html";
import type { CampaignKey, CampaignTranslate } from "../i18n.js";
import type { PresentedMeeting, PresentedPromise } from "../present.js";
import { MEETING_FORMATS, MEETING_KINDS, MEETING_STATUSES } from "../schema.js";
import { AssumptionNote, CampaignNav, CampaignStyles, Csrf, DateText, Downloads, ErrorBox, formatMonth, pick, type Lang } from "./parts.js";

export interface MeetingFormOptions {
  coalitions: { slug: string; name: string }[];
  organizations: { slug: string; name: string }[];
  targets: { slug: string; title: { en: string; es: string }; holder: string | null }[];
  promises: { slug: string; title: { en: string; es: string } }[];
}

export type MeetingFormValues = Record<string, string>;

interface Props {
  t: CampaignTranslate;
  lang: Lang;
  meetings: PresentedMeeting[];
  promises: { promise: PresentedPromise; chartSvg: string }[];
  form?: { csrfToken: string; options: MeetingFormOptions; error?: string; values?: MeetingFormValues };
  recorded?: boolean;
}

/** Meetings, and each promise of meetings shown as promised vs held per month. */
export function MeetingsView(props: Props) {
  const { t, lang } = props;
  return (
    <>
      <CampaignStyles />
      <h1>{t("campaign.meetingsTitle")}</h1>
      <CampaignNav t={t} lang={lang} current="meetings" />
      {props.recorded ? <p class="notice" role="status">{t("campaign.recorded")}</p> : null}
      <p>{t("campaign.meetingsIntro")}</p>
      <Downloads t={t} api="/api/v1/meetings" />
      {props.promises.map(({ promise, chartSvg }) => <PromiseSection t={t} lang={lang} promise={promise} chartSvg={chartSvg} />)}
      <section aria-labelledby="meeting-list">
        <h2 id="meeting-list">{t("campaign.meetingList")}</h2>
        {props.meetings.length === 0 ? <p>{t("campaign.noMeetings")}</p> : (
          <div class="table-scroll" tabindex={0} role="region" aria-labelledby="meeting-list">
            <table id="meetings-table">
              <thead><tr>
                <th scope="col" class="date">{t("campaign.date")}</th>
                <th scope="col">{t("campaign.meeting")}</th>
                <th scope="col">{t("campaign.kind")}</th>
                <th scope="col">{t("campaign.status")}</th>
                <th scope="col" class="num">{t("campaign.participants")}</th>
                <th scope="col">{t("campaign.attendance")}</th>
              </tr></thead>
              <tbody>{props.meetings.map((meeting) => (
                <tr data-meeting={meeting.id} data-status={meeting.status}>
                  <td class="date"><DateText date={meeting.heldOn} lang={lang} /></td>
                  <th scope="row"><a href={`${meeting.url}?lang=${lang}`}>{pick(meeting.title, lang)}</a><span class="since">{t(`campaign.format.${meeting.format}` as CampaignKey)}</span></th>
                  <td>{t(`campaign.meetingKind.${meeting.kind}` as CampaignKey)}</td>
                  <td><MeetingStatus t={t} lang={lang} meeting={meeting} /></td>
                  <td class="num">{meeting.participantsMin === null ? "—" : t("campaign.participantsMin", { count: meeting.participantsMin })}</td>
                  <td>{meeting.attendance.length ? t("campaign.attendanceCount", { present: meeting.attendance.filter((a) => a.attended).length, absent: meeting.attendance.filter((a) => !a.attended).length }) : "—"}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
      </section>
      {props.form ? <MeetingForm t={t} lang={lang} {...props.form} /> : null}
    </>
  );
}

/** "Skipped by the coalition", "Held · led by …". */
export function MeetingStatus({ t, lang, meeting }: { t: CampaignTranslate; lang: Lang; meeting: PresentedMeeting }) {
  const status = t(`campaign.meeting.${meeting.status}` as CampaignKey);
  return (
    <>
      <strong>{meeting.by ? t("campaign.statusBy", { status, name: pick(meeting.by.name, lang) }) : status}</strong>
      {meeting.ledBy ? <span class="since">{t("campaign.ledBy", { name: pick(meeting.ledBy.name, lang) })}</span> : null}
    </>
  );
}

function PromiseSection({ t, lang, promise, chartSvg }: { t: CampaignTranslate; lang: Lang; promise: PresentedPromise; chartSvg: string }) {
  const id = `promise-${promise.slug}`;
  const chartTitle = `${t("campaign.promisedVsHeld")}: ${pick(promise.title, lang)}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{t("campaign.promise")}: {pick(promise.title, lang)}</h2>
      {promise.basis === "assumption" ? <AssumptionNote t={t} lang={lang} note={promise.basisNote} /> : null}
      <h3>{t("campaign.promisedVsHeld")}</h3>
      {chartSvg ? <figure><div class="chart" role="img" aria-label={chartTitle}>{raw(chartSvg)}</div></figure> : null}
      <p>{t("campaign.monthsShort", { count: promise.monthsShort, months: promise.months.length })}</p>
      <details open>
        <summary>{t("campaign.chartData")}</summary>
        <div class="table-scroll" tabindex={0} role="region" aria-label={chartTitle}>
          <table id={`promise-table-${promise.slug}`}>
            <thead><tr>
              <th scope="col">{t("campaign.month")}</th>
              <th scope="col" class="num">{t("campaign.promised")}</th>
              <th scope="col" class="num">{t("campaign.held")}</th>
              <th scope="col" class="num">{t("campaign.meeting.skipped")}</th>
              <th scope="col" class="num">{t("campaign.meeting.cancelled")}</th>
              <th scope="col" class="num">{t("campaign.meeting.scheduled")}</th>
            </tr></thead>
            <tbody>{promise.months.map((row) => (
              <tr data-month={row.month}>
                <th scope="row"><time datetime={row.month}>{formatMonth(row.month, lang)}</time></th>
                <td class="num">{row.promised}</td><td class="num">{row.held}</td><td class="num">{row.skipped}</td><td class="num">{row.cancelled}</td><td class="num">{row.scheduled}</td>
              </tr>
            ))}</tbody>
            <tfoot><tr>
              <th scope="row">{t("campaign.totals")}</th>
              <td class="num">{promise.totals.promised}</td><td class="num">{promise.totals.held}</td><td class="num">{promise.totals.skipped}</td><td class="num">{promise.totals.cancelled}</td><td class="num">{promise.totals.scheduled}</td>
            </tr></tfoot>
          </table>
        </div>
      </details>
    </section>
  );
}

function MeetingForm({ t, lang, csrfToken, options, error, values = {} }: { t: CampaignTranslate; lang: Lang; csrfToken: string; options: MeetingFormOptions; error?: string; values?: MeetingFormValues }) {
  const parties = [
    ...options.coalitions.map((c) => ({ value: `coalition:${c.slug}`, label: c.name })),
    ...options.organizations.map((o) => ({ value: `organization:${o.slug}`, label: o.name })),
    ...options.targets.map((target) => ({ value: `target:${target.slug}`, label: `${pick(target.title, lang)}${target.holder ? ` · ${target.holder}` : ""}` })),
  ];
  return (
    <section class="staff-form" aria-labelledby="record-meeting">
      <h2 id="record-meeting">{t("campaign.recordMeeting")}</h2>
      <ErrorBox error={error} />
      <form method="post" action={`/campaign/meetings?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("campaign.field.title")}<input type="text" name="title" required minlength={3} maxlength={300} value={values.title ?? ""} /></label>
        <label>{t("campaign.field.titleEs")}<input type="text" name="title_es" maxlength={300} lang="es" value={values.title_es ?? ""} /></label>
        <label>{t("campaign.field.heldOn")}<input type="date" name="held_on" required value={values.held_on ?? ""} /></label>
        <label>{t("campaign.field.kind")}
          <select name="kind">{MEETING_KINDS.map((kind) => <option value={kind} selected={values.kind === kind}>{t(`campaign.meetingKind.${kind}` as CampaignKey)}</option>)}</select>
        </label>
        <label>{t("campaign.field.format")}
          <select name="format">{MEETING_FORMATS.map((format) => <option value={format} selected={values.format === format}>{t(`campaign.format.${format}` as CampaignKey)}</option>)}</select>
        </label>
        <label>{t("campaign.field.meetingStatus")}
          <select name="status">{MEETING_STATUSES.map((status) => <option value={status} selected={values.status === status}>{t(`campaign.meeting.${status}` as CampaignKey)}</option>)}</select>
        </label>
        <label>{t("campaign.field.by")}
          <select name="by"><option value="">{t("campaign.field.byNone")}</option>{parties.map((p) => <option value={p.value} selected={values.by === p.value}>{p.label}</option>)}</select>
        </label>
        <label>{t("campaign.field.promise")}
          <select name="promise"><option value="">{t("campaign.field.promiseNone")}</option>{options.promises.map((p) => <option value={p.slug} selected={values.promise === p.slug}>{pick(p.title, lang)}</option>)}</select>
        </label>
        <label>{t("campaign.field.participants")}<input type="number" name="participants_min" min={0} inputmode="numeric" value={values.participants_min ?? ""} /></label>
        <label>{t("campaign.field.agenda")}<textarea name="agenda" maxlength={20000}>{values.agenda ?? ""}</textarea></label>
        <label>{t("campaign.field.minutes")}<textarea name="minutes" maxlength={50000}>{values.minutes ?? ""}</textarea></label>
        <label>{t("campaign.field.minutesUrl")}<input type="url" name="minutes_url" maxlength={2000} value={values.minutes_url ?? ""} /></label>
        <fieldset>
          <legend>{t("campaign.field.attendance")}</legend>
          {options.organizations.map((org) => (
            <fieldset>
              <legend>{org.name}</legend>
              {([["present", "campaign.attended"], ["absent", "campaign.absent"], ["", "campaign.field.attendanceNotRecorded"]] as const).map(([value, key]) => (
                <label><input type="radio" name={`attendance_${org.slug}`} value={value} checked={(values[`attendance_${org.slug}`] ?? "") === value} />{t(key)}</label>
              ))}
            </fieldset>
          ))}
        </fieldset>
        <button type="submit">{t("campaign.submitMeeting")}</button>
      </form>
    </section>
  );
}

/** One meeting: status and by whom, agenda, minutes, attendance by organization. */
export function MeetingView({ t, lang, meeting }: { t: CampaignTranslate; lang: Lang; meeting: PresentedMeeting }) {
  return (
    <>
      <CampaignStyles />
      <p class="source"><a href={`/campaign/meetings?lang=${lang}`}>{t("campaign.meetings")}</a></p>
      <h1>{pick(meeting.title, lang)}</h1>
      <CampaignNav t={t} lang={lang} current="meetings" />
      <dl>
        <dt>{t("campaign.date")}</dt><dd><DateText date={meeting.heldOn} lang={lang} /></dd>
        <dt>{t("campaign.status")}</dt><dd><MeetingStatus t={t} lang={lang} meeting={meeting} /></dd>
        <dt>{t("campaign.kind")}</dt><dd>{t(`campaign.meetingKind.${meeting.kind}` as CampaignKey)}</dd>
        <dt>{t("campaign.format")}</dt><dd>{t(`campaign.format.${meeting.format}` as CampaignKey)}</dd>
        <dt>{t("campaign.participants")}</dt><dd>{meeting.participantsMin === null ? "—" : t("campaign.participantsMin", { count: meeting.participantsMin })}</dd>
      </dl>
      {meeting.note ? <p>{pick(meeting.note, lang)}</p> : null}
      {meeting.promise ? <p class="note">{t("campaign.countsToward", { promise: pick(meeting.promise.title, lang) })}</p> : null}
      {meeting.basis === "assumption" ? <AssumptionNote t={t} lang={lang} note={meeting.basisNote} /> : null}
      <section aria-labelledby="agenda"><h2 id="agenda">{t("campaign.agenda")}</h2><p class="narrative">{meeting.agenda ?? t("campaign.none")}</p></section>
      <section aria-labelledby="minutes">
        <h2 id="minutes">{t("campaign.minutes")}</h2>
        <p class="narrative">{meeting.minutes ?? t("campaign.none")}</p>
        {meeting.minutesUrl ? <p><a href={meeting.minutesUrl} rel="noopener noreferrer nofollow">{t("campaign.minutesLink")}</a></p> : null}
      </section>
      <section aria-labelledby="attendance">
        <h2 id="attendance">{t("campaign.attendance")}</h2>
        {meeting.attendance.length === 0 ? <p>{t("campaign.none")}</p> : (
          <table id="attendance-table">
            <thead><tr><th scope="col">{t("campaign.organization")}</th><th scope="col">{t("campaign.attendance")}</th></tr></thead>
            <tbody>{meeting.attendance.map((row) => <tr data-org={row.slug}><th scope="row">{row.name}</th><td>{row.attended ? t("campaign.attended") : t("campaign.absent")}</td></tr>)}</tbody>
          </table>
        )}
      </section>
    </>
  );
}
