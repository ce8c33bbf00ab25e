import type { MessageKey, Translate } from "../../web/i18n/index.js";
import type { DisciplineWindow } from "../deadlines.js";
import type { DashboardRow } from "../staff-view.js";

/** Open cases, most urgent first, with every clock's state. */
export function Dashboard({ t, rows, canEnter, flags, window, canChangeSettings, filter }: {
  t: Translate; rows: DashboardRow[]; canEnter: boolean; flags: { id: string; full_name: string; case_number: string; case_id: string; reported_on: string; reasons: string }[];
  /** The discipline window the clocks below are computed with. */
  window: DisciplineWindow; canChangeSettings: boolean;
  /** Which list is shown, for staff who can be assigned cases; null hides the choice. */
  filter: "all" | "mine" | null;
}) {
  return (
    <>
      <h1>{t("staff.cases")}</h1>
      {canEnter ? <p><a class="button" href="/staff/cases/new">{t("staff.newCase")}</a></p> : null}
      <p data-testid="window">{t("staff.settings.window")}: {t(`staff.settings.window.${window}` as MessageKey)}{canChangeSettings ? <> · <a href="/staff/settings">{t("staff.settings.change")}</a></> : null}</p>
      {flags.length ? (
        <section aria-labelledby="flags" class="error-box">
          <h2 id="flags">{t("staff.flags")}</h2>
          <ul>{flags.map((f) => <li>{f.reported_on}: {f.full_name} — <a href={`/staff/cases/${f.case_id}`}>{f.case_number}</a> ({f.reasons})</li>)}</ul>
        </section>
      ) : null}
      <h2>{t("staff.dashboard")}</h2>
      {filter ? (
        <nav aria-label={t("staff.filter.label")}>
          <p class="actions-row">
            <a href="/staff/cases" aria-current={filter === "all" ? "page" : undefined}>{filter === "all" ? <strong>{t("staff.filter.all")}</strong> : t("staff.filter.all")}</a>
            <a href="/staff/cases?mine=1" aria-current={filter === "mine" ? "page" : undefined}>{filter === "mine" ? <strong>{t("staff.filter.mine")}</strong> : t("staff.filter.mine")}</a>
          </p>
        </nav>
      ) : null}
      {rows.length === 0 ? <p>{filter === "mine" ? t("staff.noCasesMine") : t("staff.noCases")}</p> : (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t("common.scrollTable")}>
          <table>
            <thead><tr>
              <th scope="col">{t("cases.caseNumber")}</th><th scope="col">{t("staff.state")}</th><th scope="col">{t("cases.received")}</th>
              {(["acknowledgement", "first_contact", "classification", "discipline"] as const).map((kind) => <th scope="col">{t(`staff.deadline.${kind}` as MessageKey)}</th>)}
              <th scope="col">{t("staff.assignedColumn")}</th>
            </tr></thead>
            <tbody>{rows.map((row) => (
              <tr>
                <th scope="row"><a href={`/staff/cases/${row.id}`}>{row.caseNumber}</a>{row.hasForce ? ` · ${t("staff.force")}` : ""}</th>
                <td>{t(`state.${row.state}` as MessageKey)}</td>
                <td class="date">{row.receivedAt.slice(0, 10)}</td>
                {row.deadlines.map((d) => <td class={`deadline ${d.status}`}>{t(`staff.status.${d.status}` as MessageKey)}{d.status !== "not_applicable" && (d.doneAt ?? d.dueAt) ? <><br /><span class="source">{(d.doneAt ?? d.dueAt)!.slice(0, 10)}</span></> : null}</td>)}
                <td class="assignee">{row.assignedTo?.name ?? "—"}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      )}
    </>
  );
}
