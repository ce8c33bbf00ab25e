import type { Translate } from "../../web/i18n/index.js";
import type { MessageKey } from "../../web/i18n/index.js";
import type { PresentedComplaintItem } from "../present.js";
import type { ComplaintQuery } from "../schema.js";
import { FINDINGS } from "../vocab.js";
import { Downloads, formatNumber, Pager } from "./parts.js";

export interface ComplaintSearchProps {
  t: Translate;
  lang: string;
  query: ComplaintQuery;
  rawQuery: URLSearchParams;
  items: PresentedComplaintItem[];
  total: number;
  /** False when counting stopped early: the total is then a lower bound. */
  totalExact: boolean;
  pages: number;
  agencies: { slug: string; name: string }[];
}

export function ComplaintSearch(props: ComplaintSearchProps) {
  const { t, query } = props;
  return (
    <>
      <h1>{t("complaints.title")}</h1>
      <p>{t("complaints.intro")}</p>
      <form class="search" method="get" action="/complaints" role="search">
        <label>{t("complaints.text")}<input type="search" name="q" value={query.q} /></label>
        <label>{t("complaints.category")}<input type="text" name="category" value={query.category} /></label>
        <label>{t("complaints.finding")}
          <select name="finding">
            <option value="">{t("complaints.anyFinding")}</option>
            {FINDINGS.map((finding) => <option value={finding} selected={finding === query.finding}>{t(`finding.${finding}` as MessageKey)}</option>)}
          </select>
        </label>
        <label>{t("complaints.year")}<input type="number" name="year" value={query.year ?? ""} min="1900" max="2100" inputmode="numeric" /></label>
        <label>{t("officers.unit")}<input type="text" name="unit" value={query.unit} /></label>
        <label>{t("officers.agency")}
          <select name="agency">
            <option value="">{t("officers.allAgencies")}</option>
            {props.agencies.map((agency) => <option value={agency.slug} selected={agency.slug === query.agency}>{agency.name}</option>)}
          </select>
        </label>
        <input type="hidden" name="lang" value={props.lang} />
        <button type="submit">{t("common.search")}</button>
      </form>
      <p role="status">{t(props.totalExact ? "common.results" : "common.resultsMoreThan", { count: formatNumber(props.total, props.lang) })}</p>
      <Downloads apiPath="/api/v1/complaints" query={props.rawQuery} t={t} />
      {props.items.length === 0 ? <p>{t("complaints.noResults")}</p> : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}><table>
          <thead><tr>
            <th scope="col">{t("complaints.id")}</th><th scope="col">{t("officers.agency")}</th><th scope="col">{t("complaints.incident")}</th>
            <th scope="col">{t("complaints.received")}</th><th scope="col">{t("complaints.category")}</th>
            <th scope="col" class="num">{t("officers.allegations")}</th><th scope="col" class="num">{t("officers.sustained")}</th>
          </tr></thead>
          <tbody>{props.items.map((c) => (
            <tr>
              <th scope="row"><a href={`/complaints/${c.id}?lang=${props.lang}`}>{c.externalId}</a></th>
              <td>{c.agency.name}</td><td>{c.incident ?? "—"}</td><td>{c.received ?? "—"}</td>
              <td>{c.categories.join(", ") || "—"}</td><td class="num">{c.allegations}</td><td class="num">{c.sustained}</td>
            </tr>
          ))}</tbody>
        </table></div>
      )}
      <Pager page={query.page} pages={props.pages} more={!props.totalExact} query={props.rawQuery} path="/complaints" t={t} />
    </>
  );
}
