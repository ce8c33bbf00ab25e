import type { Role } from "../auth/roles.js";

/**
 * The budget module's actions and the roles allowed to take them. Spread into the
 * site's table in src/auth/authorize.ts (`...BUDGET_POLICY`) when convenient; until
 * then access.ts checks this table itself, so the two can never disagree.
 */
export const BUDGET_POLICY = {
  /** The city budget, the what-if scenarios, People's Budget processes and their results. */
  "budget.read": ["public", "admin", "intake", "investigator", "board_member", "organizer"],
  /** Submit an idea during a process's idea collection (no account needed). */
  "budget.propose": ["public", "admin", "intake", "investigator", "board_member", "organizer"],
  /** Budget years and lines, CSV imports, processes, proposals, phases, codes; preview results. */
  "budget.manage": ["admin", "organizer"],
} as const satisfies Record<string, readonly Role[]>;

export type BudgetAction = keyof typeof BUDGET_POLICY;
