import type { Actor } from "../web/context.js";
import { forbidden } from "../web/errors.js";
import { BUDGET_POLICY } from "../budget/policy.js";
import { CAMPAIGN_POLICY } from "../campaign/policy.js";
import { PETITIONS_POLICY } from "../campaign/petitions/policy.js";
import type { Role } from "./roles.js";

/** Every action the server checks, and the roles allowed to take it. */
const POLICY = {
  ...CAMPAIGN_POLICY,
  ...BUDGET_POLICY,
  ...PETITIONS_POLICY,
  "records.read": ["public", "admin", "intake", "investigator", "board_member", "organizer"],
  "records.import": ["admin"],
  "records.mergePeople": ["admin"],
  "users.manage": ["admin"],
  "audit.read": ["public", "admin", "intake", "investigator", "board_member", "organizer"],
  "cases.read": ["admin", "intake", "investigator", "board_member"],
  // Every case. A role with cases.read but not this one reads only the cases on whose board panel
  // it sits without having recused (src/cases/staff-view.ts); any other case is "not found".
  "cases.readAll": ["admin", "intake", "investigator"],
  "cases.readIdentity": ["admin", "intake", "investigator"],
  "cases.enter": ["admin", "intake"],
  "cases.work": ["admin", "intake", "investigator"],
  // Assign any case to anyone eligible; investigators (cases.work) only take or give back their own.
  "cases.assign": ["admin", "intake"],
  "cases.vote": ["board_member"],
  "cases.decide": ["admin"],
  "cases.settings": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof POLICY;

/** The role an actor holds; an anonymous visitor is "public". */
export function roleOf(actor: Actor): Role {
  return actor.kind === "user" ? actor.role : "public";
}

export function can(actor: Actor, action: Action): boolean {
  return (POLICY[action] as readonly Role[]).includes(roleOf(actor));
}

/** Throws a 403 unless the actor may take the action. Call it in every handler. */
export function authorize(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw forbidden();
}

/** The signed-in user, or a 403: for handlers that act as a named staff member. */
export function requireUser(actor: Actor): Extract<Actor, { kind: "user" }> {
  if (actor.kind !== "user") throw forbidden();
  return actor;
}

export const policyActions = Object.keys(POLICY) as Action[];
