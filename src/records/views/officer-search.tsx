import type { Translate } from "../../web/i18n/index.js";
import type { PresentedOfficer } from "../present.js";
import type { OfficerQuery } from "../schema.js";
import { Downloads, formatNumber, Pager } from "./parts.js";

export interface OfficerSearchProps {
  t: Translate;
  lang: string;
  query: OfficerQuery;
  rawQuery: URLSearchParams;
  items: PresentedOfficer[];
  total: number;
  pages: number;
  agencies: { slug: string; name: string }[];
}

export function OfficerSearch(props: OfficerSearchProps) {
  const { t, query } = props;
  return (
    <>
      <h1>{t("officers.title")}</h1>
      <p>{t("officers.intro")}</p>
      <form class="search" method="get" action="/officers" role="search">
        <label>{t("officers.name")}<input type="search" name="q" value={query.q} autocomplete="off" /></label>
        <label>{t("officers.badge")}<input type="text" name="badge" value={query.badge} inputmode="numeric" /></label>
        <label>{t("officers.agency")}
          <select name="agency">
            <option value="">{t("officers.allAgencies")}</option>
            {props.agencies.map((agency) => <option value={agency.slug} selected={agency.slug === query.agency}>{agency.name}</option>)}
          </select>
        </label>
        <label>{t("officers.unit")}<input type="text" name="unit" value={query.unit} /></label>
        <input type="hidden" name="lang" value={props.lang} />
        <button type="submit">{t("common.search")}</button>
      </form>
      <p role="status">{t("common.results", { count: formatNumber(props.total, props.lang) })}</p>
      <Downloads apiPath="/api/v1/officers" query={props.rawQuery} t={t} />
      {props.items.length === 0 ? <p>{t("officers.noResults")}</p> : <OfficerTable {...props} />}
      <Pager page={query.page} pages={props.pages} query={props.rawQuery} path="/officers" t={t} />
    </>
  );
}

function OfficerTable({ t, items, lang }: OfficerSearchProps) {
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("officers.name")}</th>
            <th scope="col">{t("officers.agency")}</th>
            <th scope="col">{t("officers.rank")}</th>
            <th scope="col">{t("officers.unit")}</th>
            <th scope="col">{t("officers.badge")}</th>
            <th scope="col" class="num">{t("officers.complaints")}</th>
            <th scope="col" class="num">{t("officers.sustained")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((officer) => (
            <tr>
              <th scope="row"><a href={`/officers/${officer.id}?lang=${lang}`}>{officer.name}</a></th>
              <td>{officer.agency?.name ?? "—"}</td>
              <td>{officer.rank ?? "—"}</td>
              <td>{officer.unit ?? "—"}</td>
              <td>{officer.badge ?? "—"}</td>
              <td class="num"><a href={`/officers/${officer.id}?lang=${lang}#allegations`}>{officer.complaints}</a></td>
              <td class="num">{officer.sustained}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
