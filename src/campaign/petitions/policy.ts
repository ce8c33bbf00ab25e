import type { Role } from "../../auth/roles.js";

/**
 * The petitions' actions and the roles allowed to take them. Spread into the
 * site's table in src/auth/authorize.ts (`...PETITIONS_POLICY`); until then
 * access.ts checks this table itself, so the two can never disagree. (No import of
 * authorize.ts here, so that spreading it there makes no import cycle.)
 */
export const PETITIONS_POLICY = {
  /** Petitions, counts, listed signers, the API. */
  "petitions.read": ["public", "admin", "intake", "investigator", "board_member", "organizer"],
  /** Sign and confirm (anyone, without an account). */
  "petitions.sign": ["public", "admin", "intake", "investigator", "board_member", "organizer"],
  /** Create and close petitions, add paper signatures, invalidate signatures, see refusal counts. */
  "petitions.manage": ["admin", "organizer"],
  /** Download the verified list (names and ZIP codes) for delivery. */
  "petitions.export": ["admin", "organizer"],
} as const satisfies Record<string, readonly Role[]>;

export type PetitionsAction = keyof typeof PETITIONS_POLICY;
