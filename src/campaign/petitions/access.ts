import { roleOf } from "../../auth/authorize.js";
import type { Actor } from "../../web/context.js";
import { forbidden } from "../../web/errors.js";
import { PETITIONS_POLICY, type PetitionsAction } from "./policy.js";

export function canPetitions(actor: Actor, action: PetitionsAction): boolean {
  return (PETITIONS_POLICY[action] as readonly string[]).includes(roleOf(actor));
}

/** Throws a 403 unless the actor may take the action. Called in every petitions handler. */
export function authorizePetitions(actor: Actor, action: PetitionsAction): void {
  if (!canPetitions(actor, action)) throw forbidden();
}

/** How the audit log names the actor. */
export const actorName = (actor: Actor) => (actor.kind === "user" ? `user:${actor.id}` : "public");
