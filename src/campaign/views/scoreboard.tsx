import type { CampaignKey, CampaignTranslate } from "../i18n.js";
import type { PresentedScoreboard } from "../present.js";
import { DEMAND_STATUSES } from "../schema.js";
import { CampaignNav, CampaignStyles, DateText, Downloads, formatMonth, pick, StatusBadge, type Lang } from "./parts.js";

interface Props {
  t: CampaignTranslate;
  lang: Lang;
  board: PresentedScoreboard;
}

/** The public scoreboard: every demand against every official or body, with statuses and dates. */
export function ScoreboardView({ t, lang, board }: Props) {
  return (
    <>
      <CampaignStyles />
      <h1>{t("campaign.title")}</h1>
      <CampaignNav t={t} lang={lang} current="scoreboard" />
      <p>{t("campaign.intro")}</p>
      <Downloads t={t} api="/api/v1/demands" />
      {board.coalitions.map((coalition) => (
        <section aria-labelledby={`coalition-${coalition.slug}`}>
          <h2 id={`coalition-${coalition.slug}`}>{t("campaign.coalition")}: {pick(coalition.name, lang)}</h2>
          {coalition.note ? <p>{pick(coalition.note, lang)}</p> : null}
          <h3>{t("campaign.members", { count: coalition.members.length })}</h3>
          <ul class="members">{coalition.members.map((member) => <li data-org={member.slug}>{member.name}</li>)}</ul>
        </section>
      ))}
      <ByTarget t={t} lang={lang} board={board} />
      {board.lists.map((list) => <DemandTable t={t} lang={lang} board={board} list={list} />)}
      <p class="note">{t("campaign.startNote")}</p>
    </>
  );
}

function ByTarget({ t, lang, board }: Props) {
  const cells = board.lists.flatMap((list) => list.demands.flatMap((demand) => demand.targets));
  return (
    <section aria-labelledby="by-target">
      <h2 id="by-target">{t("campaign.byTarget")}</h2>
      <p>{t("campaign.byTargetIntro")}</p>
      <div class="table-scroll" tabindex={0} role="region" aria-label={t("campaign.byTarget")}>
        <table id="by-target-table">
          <thead><tr>
            <th scope="col">{t("campaign.target")}</th>
            <th scope="col" class="num">{t("campaign.tracked")}</th>
            {DEMAND_STATUSES.map((status) => <th scope="col" class="num">{t(`campaign.status.${status}` as CampaignKey)}</th>)}
            <th scope="col" class="date">{t("campaign.lastChange")}</th>
          </tr></thead>
          <tbody>{board.targets.map((target) => {
            const mine = cells.filter((cell) => cell.slug === target.slug);
            const acted = mine.map((cell) => cell.lastActionOn ?? "").filter(Boolean).sort();
            return (
              <tr data-target={target.slug}>
                <th scope="row">{pick(target.title, lang)}{target.holder ? <> · {target.holder}</> : null}</th>
                <td class="num">{mine.length}</td>
                {DEMAND_STATUSES.map((status) => <td class="num" data-status={status}>{mine.filter((cell) => cell.status === status).length}</td>)}
                <td class="date"><DateText date={acted.at(-1) ?? null} lang={lang} /></td>
              </tr>
            );
          })}</tbody>
        </table>
      </div>
    </section>
  );
}

function DemandTable({ t, lang, board, list }: Props & { list: PresentedScoreboard["lists"][number] }) {
  const used = board.targets.filter((target) => list.demands.some((demand) => demand.targets.some((cell) => cell.slug === target.slug)));
  const headingId = `list-${list.slug}`;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{pick(list.title, lang)}</h2>
      <p class="source">
        {list.source ? <>{t("campaign.source")}: <span lang="en">{list.source.title}</span>. </> : null}
        {list.issuedOn ? <>{t("campaign.issued", { date: "" })}<DateText date={list.issuedOn} lang={lang} />. </> : null}
        {list.began ? t("campaign.began", { month: formatMonth(list.began, lang) }) : null}
      </p>
      <div class="table-scroll" tabindex={0} role="region" aria-labelledby={headingId}>
        <table class="scoreboard" id={`scoreboard-${list.slug}`}>
          <thead><tr>
            <th scope="col">{t("campaign.demand")}</th>
            {used.map((target) => <th scope="col" data-target={target.slug}>{pick(target.title, lang)}</th>)}
          </tr></thead>
          <tbody>{list.demands.map((demand) => (
            <tr data-demand={demand.slug}>
              <th scope="row">
                <a href={`${demand.url}?lang=${lang}`}>{demand.number}. {pick(demand.text, lang)}</a>
                {lang === "es" && demand.text.esIsTranslation ? <span class="note"> {t("campaign.translationMark")}</span> : null}
              </th>
              {used.map((target) => {
                const cell = demand.targets.find((c) => c.slug === target.slug);
                if (!cell) return <td class="not-tracked"><span aria-hidden="true">—</span><span class="visually-hidden">{t("campaign.notTracked")}</span></td>;
                return (
                  <td data-target={cell.slug} data-status={cell.status}>
                    <StatusBadge status={cell.status} t={t} />
                    {cell.basis === "assumption" ? <span class="mark" title={t("campaign.assumed")}> *<span class="visually-hidden">{t("campaign.assumed")}</span></span> : null}
                    <span class="since">{cell.statusSince ? <>{t("campaign.since", { date: "" })}<DateText date={cell.statusSince} lang={lang} /></> : t("campaign.sinceUnknown")}</span>
                  </td>
                );
              })}
            </tr>
          ))}</tbody>
        </table>
      </div>
      {list.demands.some((demand) => demand.targets.some((cell) => cell.basis === "assumption")) ? <p class="note">{t("campaign.assumedLegend")}</p> : null}
    </section>
  );
}
