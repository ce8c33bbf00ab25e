import type { MessageKey, Translate } from "../../web/i18n/index.js";
import { DEFAULT_DISCIPLINE_MATRIX } from "../board.js";
import { INTAKE_CATEGORIES } from "../schema.js";
import { DISCIPLINE_WINDOWS, type SettingsProblem } from "../settings-service.js";

export interface SettingsFormValues {
  window: string;
  /** What is in each row's box: the stored penalty, or what was typed when the form was refused. */
  matrix: Record<string, string>;
}

export interface SettingsPageProps {
  t: Translate;
  csrfToken: string;
  values: SettingsFormValues;
  problems?: SettingsProblem[];
  saved?: boolean;
}

const categoryLabel = (t: Translate, row: string) =>
  (INTAKE_CATEGORIES as readonly string[]).includes(row) ? t(`cases.category.${row}` as MessageKey) : row;

/** One problem in the reader's language, naming the field or the matrix row. */
export function problemText(t: Translate, p: SettingsProblem): string {
  switch (p.problem) {
    case "unknown_window": return t("staff.settings.problem.unknownWindow", { value: p.value });
    case "not_a_table": return t("staff.settings.problem.notATable");
    case "unknown_category": return t("staff.settings.problem.unknownCategory", { row: p.row });
    case "missing_penalty": return t("staff.settings.problem.missingPenalty", { row: categoryLabel(t, p.row) });
    case "too_long": return t("staff.settings.problem.tooLong", { row: categoryLabel(t, p.row) });
    case "unranked_penalty": return t("staff.settings.problem.unranked", { row: categoryLabel(t, p.row), value: p.value ?? "" });
    case "nothing_to_change": return t("staff.settings.problem.nothing");
  }
}

/** The office's settings: the discipline window and the discipline matrix, saved together. */
export function SettingsPage({ t, csrfToken, values, problems = [], saved }: SettingsPageProps) {
  const rowProblem = (row: string) => problems.find((p) => p.field === "discipline_matrix" && "row" in p && p.row === row);
  const windowProblem = problems.some((p) => p.field === "discipline_window");
  return (
    <>
      <h1>{t("staff.settings.title")}</h1>
      <p>{t("staff.settings.intro")}</p>
      {saved ? <p class="notice" role="status">{t("staff.settings.saved")}</p> : null}
      {problems.length ? (
        <div class="error-box" role="alert" id="settings-problems">
          <p>{t("staff.settings.refused")}</p>
          <ul>{problems.map((p) => <li>{problemText(t, p)}</li>)}</ul>
        </div>
      ) : null}
      <form method="post" action="/staff/settings" class="settings">
        <input type="hidden" name="_csrf" value={csrfToken} />
        <fieldset aria-describedby="window-hint" aria-invalid={windowProblem ? "true" : undefined}>
          <legend>{t("staff.settings.window")}</legend>
          <p class="hint" id="window-hint">{t("staff.settings.windowHint")}</p>
          <div class="form-stack">
            {DISCIPLINE_WINDOWS.map((window) => (
              <label class="check"><input type="radio" name="discipline_window" value={window} checked={values.window === window} /> {t(`staff.settings.window.${window}` as MessageKey)}</label>
            ))}
          </div>
        </fieldset>
        {/* A section, not a fieldset: a fieldset will not shrink below its table, so the table could not scroll on a phone. */}
        <section aria-labelledby="matrix-title">
          <h2 id="matrix-title">{t("staff.settings.matrix")}</h2>
          <p class="hint" id="matrix-hint">{t("staff.settings.matrixHint")}</p>
          <div class="table-scroll" tabindex={0} role="region" aria-label={t("staff.settings.matrix")}>
            <table class="matrix">
              <thead><tr><th scope="col">{t("staff.settings.category")}</th><th scope="col">{t("staff.settings.penalty")}</th><th scope="col">{t("staff.settings.default")}</th></tr></thead>
              <tbody>{INTAKE_CATEGORIES.map((row) => {
                const problem = rowProblem(row);
                return (
                  <tr data-row={row}>
                    <th scope="row"><label for={`penalty-${row}`}>{categoryLabel(t, row)}</label></th>
                    <td>
                      <input id={`penalty-${row}`} name={`penalty.${row}`} value={values.matrix[row] ?? ""} maxlength={200} size={30} required
                        aria-describedby={problem ? `penalty-${row}-problem` : "matrix-hint"} aria-invalid={problem ? "true" : undefined} />
                      {problem ? <p class="weaker" id={`penalty-${row}-problem`}>{problemText(t, problem)}</p> : null}
                    </td>
                    <td class="source">{DEFAULT_DISCIPLINE_MATRIX[row]}</td>
                  </tr>
                );
              })}</tbody>
            </table>
          </div>
        </section>
        <p><button type="submit">{t("staff.settings.save")}</button></p>
      </form>
    </>
  );
}
