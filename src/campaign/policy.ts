import type { Role } from "../auth/roles.js";

/**
 * The campaign's actions and the roles allowed to take them. Spread into the
 * site's table in src/auth/authorize.ts (`...CAMPAIGN_POLICY`); until then
 * access.ts checks this table itself, so the two can never disagree.
 */
export const CAMPAIGN_POLICY = {
  "campaign.read": ["public", "admin", "intake", "investigator", "board_member", "organizer"],
  /** Record status changes with evidence, meetings, motions and roll calls. */
  "campaign.record": ["admin", "organizer"],
} as const satisfies Record<string, readonly Role[]>;

export type CampaignAction = keyof typeof CAMPAIGN_POLICY;
