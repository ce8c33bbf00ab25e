import { roleOf } from "../auth/authorize.js";
import type { Actor } from "../web/context.js";
import { forbidden } from "../web/errors.js";
import { CAMPAIGN_POLICY, type CampaignAction } from "./policy.js";

export function canCampaign(actor: Actor, action: CampaignAction): boolean {
  return (CAMPAIGN_POLICY[action] as readonly string[]).includes(roleOf(actor));
}

/** Throws a 403 unless the actor may take the action. Called in every campaign handler. */
export function authorizeCampaign(actor: Actor, action: CampaignAction): void {
  if (!canCampaign(actor, action)) throw forbidden();
}

/** How the audit log names the actor. */
export const actorName = (actor: Actor) => (actor.kind === "user" ? `user:${actor.id}` : "public");
