import { roleOf } from "../auth/authorize.js";
import type { Actor } from "../web/context.js";
import { forbidden } from "../web/errors.js";
import { BUDGET_POLICY, type BudgetAction } from "./policy.js";

export function canBudget(actor: Actor, action: BudgetAction): boolean {
  return (BUDGET_POLICY[action] as readonly string[]).includes(roleOf(actor));
}

/** Throws a 403 unless the actor may take the action. Called in every budget handler. */
export function authorizeBudget(actor: Actor, action: BudgetAction): void {
  if (!canBudget(actor, action)) throw forbidden();
}

/** How the audit log names the actor: a user id or "public", never a name or address. */
export const actorName = (actor: Actor) => (actor.kind === "user" ? `user:${actor.id}` : "public");
