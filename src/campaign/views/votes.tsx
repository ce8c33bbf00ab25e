import type { CampaignKey, CampaignTranslate } from "../i18n.js";
import type { PresentedMotion, PresentedMotionDetail, PresentedVotes } from "../present.js";
import { DEMAND_STATUSES, THRESHOLDS, VOTES } from "../schema.js";
import { CampaignNav, CampaignStyles, Csrf, DateText, Downloads, ErrorBox, pick, type Lang } from "./parts.js";

export interface MotionFormOptions {
  lists: { slug: string; title: { en: string; es: string }; demands: { slug: string; number: number; text: { en: string; es: string } }[] }[];
}

interface Props {
  t: CampaignTranslate;
  lang: Lang;
  votes: PresentedVotes;
  form?: { csrfToken: string; options: MotionFormOptions; error?: string; values?: Record<string, string> };
  recorded?: boolean;
}

export function ResultBadge({ t, result }: { t: CampaignTranslate; result: PresentedMotion["result"] }) {
  const key = result ?? "pending";
  return <span class={`status result-${key}`} data-result={key}>{t(`campaign.result.${key}` as CampaignKey)}</span>;
}

const tallyText = (t: CampaignTranslate, motion: PresentedMotion) => (motion.tally ? t("campaign.tallyText", { ...motion.tally }) : "—");

/** The bodies, their seats and rules, and every motion with its result. */
export function VotesView(props: Props) {
  const { t, lang, votes } = props;
  return (
    <>
      <CampaignStyles />
      <h1>{t("campaign.votesTitle")}</h1>
      <CampaignNav t={t} lang={lang} current="votes" />
      {props.recorded ? <p class="notice" role="status">{t("campaign.recorded")}</p> : null}
      <p>{t("campaign.votesIntro")}</p>
      <Downloads t={t} api="/api/v1/votes" />
      <section aria-labelledby="rules"><h2 id="rules">{t("campaign.rules")}</h2><p>{t("campaign.rulesText")}</p></section>
      {votes.bodies.map((body) => (
        <section aria-labelledby={`body-${body.slug}`}>
          <h2 id={`body-${body.slug}`}>{pick(body.name, lang)}</h2>
          <p>{t("campaign.quorum", { quorum: body.quorum, seats: body.seats })} {body.quorumIsDefault ? t("campaign.quorumDefault") : null}</p>
          {body.note ? <p class="note">{pick(body.note, lang)}</p> : null}
          <h3>{t("campaign.seats", { count: body.seatList.length })}</h3>
          <table id={`seats-${body.slug}`}>
            <thead><tr><th scope="col">{t("campaign.seat")}</th><th scope="col">{t("campaign.holder")}</th></tr></thead>
            <tbody>{body.seatList.map((seat) => (
              <tr data-seat={seat.position}>
                <th scope="row">{pick(seat.label, lang)}</th>
                <td>{seat.holder ?? <span class="note">{t("campaign.holderUnknown")}</span>}{seat.note ? <span class="since">{pick(seat.note, lang)}</span> : null}</td>
              </tr>
            ))}</tbody>
          </table>
        </section>
      ))}
      <section aria-labelledby="motions">
        <h2 id="motions">{t("campaign.motions")}</h2>
        {votes.items.length === 0 ? <p>{t("campaign.noMotions")}</p> : (
          <div class="table-scroll" tabindex={0} role="region" aria-labelledby="motions">
            <table id="motions-table">
              <thead><tr>
                <th scope="col" class="date">{t("campaign.date")}</th>
                <th scope="col">{t("campaign.motion")}</th>
                <th scope="col">{t("campaign.threshold")}</th>
                <th scope="col">{t("campaign.result")}</th>
                <th scope="col">{t("campaign.tally")}</th>
                <th scope="col">{t("campaign.affects")}</th>
              </tr></thead>
              <tbody>{votes.items.map((motion) => (
                <tr data-motion={motion.id} data-result={motion.result ?? "pending"}>
                  <td class="date"><DateText date={motion.movedOn} lang={lang} /></td>
                  <th scope="row"><a href={`${motion.url}?lang=${lang}`}>{pick(motion.title, lang)}</a></th>
                  <td>{t(`campaign.threshold.${motion.threshold}` as CampaignKey)}</td>
                  <td><ResultBadge t={t} result={motion.result} /></td>
                  <td>{tallyText(t, motion)}</td>
                  <td>{motion.demands.map((d) => <a href={`${d.url}?lang=${lang}`}>{t("campaign.demandNumber", { number: d.number })}</a>)}</td>
                </tr>
              ))}</tbody>
            </table>
          </div>
        )}
      </section>
      {props.form ? <MotionForm t={t} lang={lang} votes={votes} {...props.form} /> : null}
    </>
  );
}

function MotionForm({ t, lang, votes, csrfToken, options, error, values = {} }: { t: CampaignTranslate; lang: Lang; votes: PresentedVotes } & NonNullable<Props["form"]>) {
  const today = new Date().toISOString().slice(0, 10);
  const statusOptions = (name: string) => (
    <select name={name}>
      <option value="">{t("campaign.field.noChange")}</option>
      {DEMAND_STATUSES.map((status) => <option value={status} selected={values[name] === status}>{t(`campaign.status.${status}` as CampaignKey)}</option>)}
    </select>
  );
  return (
    <section class="staff-form" aria-labelledby="new-motion">
      <h2 id="new-motion">{t("campaign.newMotion")}</h2>
      <ErrorBox error={error} />
      <form method="post" action={`/campaign/votes?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("campaign.field.body")}
          <select name="body">{votes.bodies.map((body) => <option value={body.slug} selected={values.body === body.slug}>{pick(body.name, lang)}</option>)}</select>
        </label>
        <label>{t("campaign.field.title")}<input type="text" name="title" required minlength={3} maxlength={500} value={values.title ?? ""} /></label>
        <label>{t("campaign.field.titleEs")}<input type="text" name="title_es" maxlength={500} lang="es" value={values.title_es ?? ""} /></label>
        <label>{t("campaign.field.movedOn")}<input type="date" name="moved_on" required value={values.moved_on ?? today} /></label>
        <label>{t("campaign.field.threshold")}
          <select name="threshold">{THRESHOLDS.map((threshold) => <option value={threshold} selected={values.threshold === threshold}>{t(`campaign.threshold.${threshold}` as CampaignKey)}</option>)}</select>
        </label>
        <label>{t("campaign.field.demand")}
          <select name="demand">
            <option value="">{t("campaign.field.demandNone")}</option>
            {options.lists.map((list) => (
              <optgroup label={pick(list.title, lang)}>
                {list.demands.map((d) => <option value={d.slug} selected={values.demand === d.slug}>{d.number}. {pick(d.text, lang).slice(0, 80)}</option>)}
              </optgroup>
            ))}
          </select>
        </label>
        <label>{t("campaign.field.ifPass")}{statusOptions("status_if_pass")}</label>
        <label>{t("campaign.field.ifFail")}{statusOptions("status_if_fail")}</label>
        <button type="submit">{t("campaign.submitMotion")}</button>
      </form>
    </section>
  );
}

interface MotionProps {
  t: CampaignTranslate;
  lang: Lang;
  motion: PresentedMotionDetail;
  form?: { csrfToken: string; error?: string; values?: Record<string, string> };
  recorded?: boolean;
}

/** One motion: its roll call, member by member, and why it passed or failed. */
export function MotionView({ t, lang, motion, form, recorded }: MotionProps) {
  const d = motion.tally;
  const explanation = !d ? null : motion.result === "no_quorum"
    ? t("campaign.explain.no_quorum", { present: motion.present ?? 0, quorum: motion.quorum ?? 0 })
    : t("campaign.explain.decided", { yes: d.yes, no: d.no, needed: motion.yesNeeded ?? 0, threshold: t(`campaign.threshold.${motion.threshold}` as CampaignKey).toLowerCase(), present: motion.present ?? 0, quorum: motion.quorum ?? 0 });
  const rollBySeat = new Map(motion.rollCall.map((row) => [row.seat, row.vote]));
  return (
    <>
      <CampaignStyles />
      <p class="source"><a href={`/campaign/votes?lang=${lang}`}>{t("campaign.votes")}</a></p>
      <h1>{pick(motion.title, lang)}</h1>
      <CampaignNav t={t} lang={lang} current="votes" />
      {recorded ? <p class="notice" role="status">{t("campaign.recorded")}</p> : null}
      <dl>
        <dt>{t("campaign.body")}</dt><dd>{pick(motion.bodyInfo.name, lang)}</dd>
        <dt>{t("campaign.date")}</dt><dd>{t("campaign.moved", { date: "" })}<DateText date={motion.movedOn} lang={lang} />{motion.decidedOn ? <> · {t("campaign.decided", { date: "" })}<DateText date={motion.decidedOn} lang={lang} /></> : null}</dd>
        <dt>{t("campaign.threshold")}</dt><dd>{t(`campaign.threshold.${motion.threshold}` as CampaignKey)}</dd>
        <dt>{t("campaign.result")}</dt><dd id="motion-result"><ResultBadge t={t} result={motion.result} /></dd>
      </dl>
      {explanation ? <p id="motion-explanation">{explanation}</p> : null}
      {motion.demands.length ? (
        <section aria-labelledby="affects">
          <h2 id="affects">{t("campaign.affects")}</h2>
          <ul>{motion.demands.map((link) => (
            <li>
              <a href={`${link.url}?lang=${lang}`}>{t("campaign.demandNumber", { number: link.number })}: {pick(link.text, lang)}</a>
              {link.statusIfPass ? <span class="since">{t("campaign.ifPass", { target: pick(motion.bodyInfo.name, lang), status: t(`campaign.status.${link.statusIfPass}` as CampaignKey) })}</span> : null}
              {link.statusIfFail ? <span class="since">{t("campaign.ifFail", { target: pick(motion.bodyInfo.name, lang), status: t(`campaign.status.${link.statusIfFail}` as CampaignKey) })}</span> : null}
            </li>
          ))}</ul>
        </section>
      ) : null}
      <section aria-labelledby="roll-call">
        <h2 id="roll-call">{t("campaign.rollCall")}</h2>
        <table id="roll-call-table">
          <thead><tr><th scope="col">{t("campaign.seat")}</th><th scope="col">{t("campaign.holder")}</th><th scope="col">{t("campaign.vote")}</th></tr></thead>
          <tbody>{motion.seatList.map((seat) => {
            const vote = rollBySeat.get(seat.position);
            return (
              <tr data-seat={seat.position} data-vote={vote ?? ""}>
                <th scope="row">{pick(seat.label, lang)}</th>
                <td>{seat.holder ?? <span class="note">{t("campaign.holderUnknown")}</span>}</td>
                <td>{vote ? t(`campaign.vote.${vote}` as CampaignKey) : "—"}</td>
              </tr>
            );
          })}</tbody>
          {d ? <tfoot><tr><th scope="row" colspan={2}>{t("campaign.tally")}</th><td>{t("campaign.tallyText", { ...d })}</td></tr></tfoot> : null}
        </table>
      </section>
      {form && !motion.result ? <RollCallForm t={t} lang={lang} motion={motion} {...form} /> : null}
    </>
  );
}

function RollCallForm({ t, lang, motion, csrfToken, error, values = {} }: { t: CampaignTranslate; lang: Lang; motion: PresentedMotionDetail } & NonNullable<MotionProps["form"]>) {
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section class="staff-form" aria-labelledby="record-roll-call">
      <h2 id="record-roll-call">{t("campaign.recordRollCall")}</h2>
      <ErrorBox error={error} />
      <form method="post" action={`/campaign/votes/${motion.id}/roll-call?lang=${lang}`} class="form-stack">
        <Csrf token={csrfToken} />
        <label>{t("campaign.field.decidedOn")}<input type="date" name="decided_on" required max={today} value={values.decided_on ?? (motion.movedOn > today ? today : motion.movedOn)} /></label>
        {motion.seatList.map((seat) => (
          <label>{pick(seat.label, lang)}{seat.holder ? ` · ${seat.holder}` : ""}
            <select name={`vote_${seat.position}`} required>
              <option value="">—</option>
              {VOTES.map((vote) => <option value={vote} selected={values[`vote_${seat.position}`] === vote}>{t(`campaign.vote.${vote}` as CampaignKey)}</option>)}
            </select>
          </label>
        ))}
        <button type="submit">{t("campaign.submitRollCall")}</button>
      </form>
    </section>
  );
}
