/** Staff and community roles. Complainants act by case number and receipt, never by account. */
export const ROLES = ["admin", "intake", "investigator", "board_member", "organizer", "public"] as const;
export type Role = (typeof ROLES)[number];
