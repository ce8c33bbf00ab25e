import { raw } from "hono/html";
import type { Translate } from "../../web/i18n/index.js";
import type { PresentedProfile } from "../present.js";
import { FindingLabel, formatMoney, SourceCell } from "./parts.js";

export interface OfficerProfileProps {
  t: Translate;
  lang: string;
  profile: PresentedProfile;
  timelineSvg: string;
  timeline: { year: number; allegations: number; force: number; settlements: number }[];
  /** Set for administrators: shows the merge and split forms. */
  adminCsrf?: string;
}

export function OfficerProfileView(props: OfficerProfileProps) {
  const { t, profile } = props;
  return (
    <>
      <h1>{profile.name}</h1>
      <Summary {...props} />
      <Identity {...props} />
      <Employment {...props} />
      <Timeline {...props} />
      <Allegations {...props} />
      <Discipline {...props} />
      <Settlements {...props} />
      <Force {...props} />
      <CoAccused {...props} />
      <section aria-labelledby="identity-links">
        <h2 id="identity-links">{t("profile.identityLinks")}</h2>
        {profile.identityLinks.length === 0 ? <p>{t("common.none")}</p> : (
          <ul>{profile.identityLinks.map((link) => <li>{link.source} #{link.localId} — {t("profile.linkRule")}: {link.rule}</li>)}</ul>
        )}
      </section>
      <p class="downloads"><a href={`/api/v1/officers/${profile.id}`}>{t("common.downloadJson")}</a></p>
      {props.adminCsrf ? <IdentityAdmin {...props} /> : null}
    </>
  );
}

function IdentityAdmin({ t, profile, adminCsrf }: OfficerProfileProps) {
  return (
    <section aria-labelledby="identity-admin">
      <h2 id="identity-admin">{t("admin.identity")}</h2>
      <form method="post" action={`/officers/${profile.id}/merge`} class="form-stack">
        <input type="hidden" name="_csrf" value={adminCsrf} />
        <label>{t("admin.mergeInto")}<input name="into" required pattern="[0-9a-fA-F-]{36}" /></label>
        <label>{t("admin.reason")}<input name="reason" required minlength={3} /></label>
        <button type="submit">{t("admin.merge")}</button>
      </form>
      <form method="post" action={`/officers/${profile.id}/split`} class="form-stack">
        <input type="hidden" name="_csrf" value={adminCsrf} />
        <fieldset>
          <legend>{t("admin.split")}</legend>
          {profile.identityLinks.map((link) => (
            <label><input type="checkbox" name="mentions" value={link.id} /> {link.source} #{link.localId}</label>
          ))}
        </fieldset>
        <label>{t("admin.reason")}<input name="reason" required minlength={3} /></label>
        <button type="submit">{t("admin.splitButton")}</button>
      </form>
    </section>
  );
}

function Summary({ t, profile, lang }: OfficerProfileProps) {
  const s = profile.summary;
  return (
    <section aria-labelledby="summary">
      <h2 id="summary">{t("profile.summary")}</h2>
      <ul class="stats">
        <li><a href="#allegations"><span class="figure">{s.complaints}</span>{t("officers.complaints")}</a></li>
        <li><a href="#allegations"><span class="figure">{s.allegations}</span>{t("officers.allegations")}</a></li>
        <li><a href="#allegations"><span class="figure">{s.sustained}</span>{t("officers.sustained")}</a></li>
      </ul>
      {s.complaintPercentile !== null && s.peerAgency ? (
        <p>
          <a href={`/officers?agency=${s.peerAgency.slug}&lang=${lang}`}>
            {t("profile.percentile", { percent: Math.round(s.complaintPercentile), peers: Math.max(0, s.peers - 1), agency: s.peerAgency.name ?? "" })}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function Identity({ t, profile }: OfficerProfileProps) {
  return (
    <section aria-labelledby="identity">
      <h2 id="identity">{t("profile.identity")}</h2>
      <dl>
        <dt>{t("profile.birthYear")}</dt><dd>{profile.birthYear ?? t("common.unknown")}</dd>
        <dt>{t("profile.race")}</dt><dd>{profile.race ?? t("common.unknown")}</dd>
        <dt>{t("profile.gender")}</dt><dd>{profile.gender ?? t("common.unknown")}</dd>
      </dl>
    </section>
  );
}

function Employment({ t, profile }: OfficerProfileProps) {
  return (
    <section aria-labelledby="employment">
      <h2 id="employment">{t("profile.employment")}</h2>
      {profile.employment.length === 0 ? <p>{t("common.none")}</p> : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}><table>
          <thead><tr><th scope="col">{t("officers.agency")}</th><th scope="col">{t("officers.badge")}</th><th scope="col">{t("officers.rank")}</th><th scope="col">{t("officers.unit")}</th><th scope="col">{t("profile.start")}</th><th scope="col">{t("profile.end")}</th><th scope="col">{t("profile.separation")}</th><th scope="col">{t("common.source")}</th></tr></thead>
          <tbody>{profile.employment.map((spell) => (
            <tr><td><a href={`/agencies/${spell.agency.slug}`}>{spell.agency.name}</a></td><td>{spell.badge ?? "—"}</td><td>{spell.rank ?? "—"}</td><td>{spell.unit ?? "—"}</td><td>{spell.start ?? "—"}</td><td>{spell.end ?? "—"}</td><td>{spell.separationReason ?? "—"}</td><td><SourceCell source={spell.source} t={t} /></td></tr>
          ))}</tbody>
        </table></div>
      )}
    </section>
  );
}

function Timeline({ t, timelineSvg, timeline }: OfficerProfileProps) {
  if (timeline.length === 0) return null;
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">{t("profile.timeline")}</h2>
      <figure>
        <div class="chart" role="img" aria-label={t("profile.timelineDescription")}>{raw(timelineSvg)}</div>
        <figcaption>{t("profile.timelineDescription")}</figcaption>
      </figure>
      <details>
        <summary>{t("common.chartData")}</summary>
        <table>
          <thead><tr><th scope="col">{t("agencies.year")}</th><th scope="col" class="num">{t("officers.allegations")}</th><th scope="col" class="num">{t("profile.useOfForce")}</th><th scope="col" class="num">{t("table.settlements")}</th></tr></thead>
          <tbody>{timeline.map((row) => <tr><th scope="row">{row.year}</th><td class="num">{row.allegations}</td><td class="num">{row.force}</td><td class="num">{row.settlements}</td></tr>)}</tbody>
        </table>
      </details>
    </section>
  );
}

function Allegations({ t, profile, lang }: OfficerProfileProps) {
  return (
    <section aria-labelledby="allegations">
      <h2 id="allegations" tabindex={-1}>{t("profile.allegations")}</h2>
      {profile.allegations.length === 0 ? <p>{t("common.none")}</p> : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}><table>
          <thead><tr>
            <th scope="col">{t("profile.complaint")}</th><th scope="col">{t("profile.date")}</th><th scope="col">{t("profile.category")}</th>
            <th scope="col">{t("profile.investigatorFinding")}</th><th scope="col">{t("profile.boardFinding")}</th><th scope="col">{t("profile.finalFinding")}</th>
            <th scope="col">{t("profile.recommendedPenalty")}</th><th scope="col">{t("profile.finalPenalty")}</th><th scope="col">{t("common.source")}</th>
          </tr></thead>
          <tbody>{profile.allegations.map((a) => (
            <tr>
              <td><a href={`/complaints/${a.complaint.id}?lang=${lang}`}>{a.complaint.externalId}</a></td>
              <td>{a.complaint.incident ?? a.complaint.received ?? "—"}</td>
              <td>{a.category ?? "—"}</td>
              <td><FindingLabel finding={a.findings.investigator} t={t} /></td>
              <td><FindingLabel finding={a.findings.board} t={t} /></td>
              <td><FindingLabel finding={a.findings.final} t={t} />{a.finalWeakerThanRecommended ? <strong class="weaker"> ▼ {t("profile.weaker")}</strong> : null}</td>
              <td>{a.penalty.recommended ?? "—"}</td>
              <td>{a.penalty.final ?? "—"}{a.penalty.suspensionDays ? ` (${a.penalty.suspensionDays})` : ""}</td>
              <td><SourceCell source={a.source} t={t} /></td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
    </section>
  );
}

function Discipline({ t, profile }: OfficerProfileProps) {
  return (
    <section aria-labelledby="discipline">
      <h2 id="discipline">{t("profile.discipline")}</h2>
      {profile.discipline.length === 0 ? <p>{t("common.none")}</p> : (
        <ul>{profile.discipline.map((d) => <li>{d.decided ?? "—"}: {d.kind}{d.days ? ` (${d.days})` : ""} — <SourceCell source={d.source} t={t} /></li>)}</ul>
      )}
    </section>
  );
}

function Settlements({ t, profile, lang }: OfficerProfileProps) {
  return (
    <section aria-labelledby="settlements">
      <h2 id="settlements">{t("profile.settlements")}</h2>
      {profile.settlements.length === 0 ? <p>{t("common.none")}</p> : (
        <ul>{profile.settlements.map((s) => <li>{s.closed ?? s.year ?? "—"}: {formatMoney(s.amountCents, lang)} — {s.matter ?? ""} — <SourceCell source={s.source} t={t} /></li>)}</ul>
      )}
    </section>
  );
}

function Force({ t, profile }: OfficerProfileProps) {
  return (
    <section aria-labelledby="force">
      <h2 id="force">{t("profile.useOfForce")}</h2>
      {profile.useOfForce.length === 0 ? <p>{t("common.none")}</p> : (
        <ul>{profile.useOfForce.map((f) => <li>{f.date ?? "—"}: {f.type ?? "—"}{f.fatal ? <strong> — {t("profile.fatal")}</strong> : null} ({f.externalId}) — <SourceCell source={f.source} t={t} /></li>)}</ul>
      )}
    </section>
  );
}

function CoAccused({ t, profile, lang }: OfficerProfileProps) {
  return (
    <section aria-labelledby="co-accused">
      <h2 id="co-accused">{t("profile.coAccused")}</h2>
      {profile.coAccused.length === 0 ? <p>{t("common.none")}</p> : (
        <table>
          <thead><tr><th scope="col">{t("officers.name")}</th><th scope="col" class="num">{t("profile.sharedComplaints")}</th></tr></thead>
          <tbody>{profile.coAccused.map((o) => <tr><th scope="row"><a href={`/officers/${o.id}?lang=${lang}`}>{o.name}</a></th><td class="num">{o.sharedComplaints}</td></tr>)}</tbody>
        </table>
      )}
    </section>
  );
}
