import type { BudgetKey } from "./i18n.js";

/**
 * A refusal the budget module explains to the person: a status, a message key in the
 * budget catalogs and its parameters (amounts, field names, line numbers; never personal
 * data). Routes turn it into a page or a JSON answer; the CLI into one line.
 */
export class BudgetError extends Error {
  override name = "BudgetError";
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 413 | 422,
    readonly key: BudgetKey,
    readonly params: Record<string, string | number> = {},
    /** A machine-readable reason for API answers and tests ("over-budget", "closed", …). */
    readonly reason: string = key,
  ) {
    super(`${key}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`);
  }
}
