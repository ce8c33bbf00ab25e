import type { Profile } from "../rules/profile.js";

/** Ballot formats pabulib defines. `choose-1` is an approval ballot with one project. */
export type VoteType = "approval" | "choose-1" | "cumulative" | "scoring" | "ordinal";

export const VOTE_TYPES: readonly VoteType[] = ["approval", "choose-1", "cumulative", "scoring", "ordinal"];

export interface PbProject {
  readonly id: string;
  /** Integer cost in the election's currency. */
  readonly cost: number;
  /** Line of the project's row in the file (0 when built in memory). */
  readonly line: number;
  /** Every column of the row as written (trimmed, unquoted), aligned with PbElection.projectColumns. */
  readonly fields: readonly string[];
}

export interface PbWarning {
  readonly line: number;
  readonly message: string;
}

/** A parsed .pb file: what it says, and the profile the counting rules read. */
export interface PbElection {
  /** META entries in file order. */
  readonly meta: ReadonlyMap<string, string>;
  readonly voteType: VoteType;
  /** Integer budget limit (> 0). */
  readonly budget: number;
  readonly projectColumns: readonly string[];
  readonly projects: readonly PbProject[];
  readonly voteColumns: readonly string[];
  readonly voterIds: readonly string[];
  /** Every column of each VOTES row as written, aligned with voteColumns; null when not kept. */
  readonly voterFields: readonly (readonly string[])[] | null;
  /**
   * Ballots as project indexes (and points for cumulative/scoring ballots). For ordinal ballots the
   * entries are in rank order (the rules would read them as approvals; `oversight pb count` refuses them).
   */
  readonly profile: Profile;
  /** Oddities that do not stop counting (META counts that disagree with the sections, repeated approvals). */
  readonly warnings: readonly PbWarning[];
}
