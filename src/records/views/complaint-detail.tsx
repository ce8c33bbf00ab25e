import { INTAKE_CATEGORIES } from "../../cases/schema.js";
import type { MessageKey, Translate } from "../../web/i18n/index.js";
import type { PresentedComplaint } from "../present.js";
import { FindingLabel, SourceCell } from "./parts.js";

/** The office's own categories read in the reader's language; imported ones as the source wrote them. */
function categoryLabel(t: Translate, code: string | null, text: string | null): string {
  if (code && (INTAKE_CATEGORIES as readonly string[]).includes(code)) return t(`cases.category.${code}` as MessageKey);
  return text ?? "—";
}

export function ComplaintDetailView({ t, lang, complaint }: { t: Translate; lang: string; complaint: PresentedComplaint }) {
  return (
    <>
      <h1>{t("profile.complaint")} {complaint.externalId}</h1>
      <section aria-labelledby="details">
        <h2 id="details">{t("complaint.details")}</h2>
        <dl>
          <dt>{t("officers.agency")}</dt><dd><a href={`/agencies/${complaint.agency.slug}?lang=${lang}`}>{complaint.agency.name}</a></dd>
          <dt>{t("complaints.incident")}</dt><dd>{complaint.incident ?? "—"}</dd>
          <dt>{t("complaints.received")}</dt><dd>{complaint.received ?? "—"}</dd>
          <dt>{t("complaints.closed")}</dt><dd>{complaint.closed ?? "—"}</dd>
          <dt>{t("complaint.location")}</dt><dd>{complaint.location ?? complaint.district ?? "—"}</dd>
          <dt>{t("complaint.caseType")}</dt><dd>{complaint.caseType ?? "—"}</dd>
          <dt>{t("complaint.investigatingAgency")}</dt><dd>{complaint.investigatingAgency ?? "—"}</dd>
          <dt>{t("common.source")}</dt><dd><SourceCell source={complaint.source} t={t} /></dd>
        </dl>
        {complaint.summary ? <p>{complaint.summary}</p> : null}
      </section>
      <section aria-labelledby="allegations">
        <h2 id="allegations">{t("profile.allegations")}</h2>
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}><table>
          <thead><tr>
            <th scope="col">{t("complaint.officer")}</th><th scope="col">{t("profile.category")}</th>
            <th scope="col">{t("profile.investigatorFinding")}</th><th scope="col">{t("profile.boardFinding")}</th><th scope="col">{t("profile.finalFinding")}</th>
            <th scope="col">{t("profile.recommendedPenalty")}</th><th scope="col">{t("profile.finalPenalty")}</th><th scope="col">{t("common.source")}</th>
          </tr></thead>
          <tbody>{complaint.allegations.map((a) => (
            <tr>
              <td>{a.officer ? <a href={`/officers/${a.officer.id}?lang=${lang}`}>{a.officer.name}</a> : t("complaint.unidentified")}</td>
              <td>{categoryLabel(t, a.categoryCode, a.category)}</td>
              <td><FindingLabel finding={a.findings.investigator} t={t} /></td>
              <td><FindingLabel finding={a.findings.board} t={t} /></td>
              <td><FindingLabel finding={a.findings.final} t={t} />{a.finalWeakerThanRecommended ? <strong class="weaker"> ▼ {t("profile.weaker")}</strong> : null}</td>
              <td>{a.penalty.recommended ?? "—"}</td><td>{a.penalty.final ?? "—"}</td>
              <td><SourceCell source={a.source} t={t} /></td>
            </tr>
          ))}</tbody>
        </table></div>
      </section>
      {complaint.complainants.length ? (
        <section aria-labelledby="complainants">
          <h2 id="complainants">{t("complaint.complainants")}</h2>
          <table>
            <thead><tr><th scope="col">{t("profile.race")}</th><th scope="col">{t("profile.gender")}</th><th scope="col">{t("complaint.ageBand")}</th><th scope="col" class="num">{t("complaint.count")}</th></tr></thead>
            <tbody>{complaint.complainants.map((row) => <tr><td>{row.race ?? "—"}</td><td>{row.gender ?? "—"}</td><td>{row.ageBand ?? "—"}</td><td class="num">{row.count}</td></tr>)}</tbody>
          </table>
        </section>
      ) : null}
      <p class="downloads"><a href={`/api/v1/complaints/${complaint.id}`}>{t("common.downloadJson")}</a></p>
    </>
  );
}
