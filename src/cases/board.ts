/**
 * The board's rules, pure. Each allegation is decided by the majority of the
 * panel members who did not recuse; a tie or a missing majority leaves it open.
 */
export const BOARD_VOTES = ["substantiated", "unsubstantiated", "exonerated", "unfounded"] as const;
export type BoardVote = (typeof BOARD_VOTES)[number];

export interface CastVote {
  memberId: string;
  vote: BoardVote | null;
  recused: boolean;
}

export type Tally =
  | { decided: true; finding: BoardVote; counts: Record<BoardVote, number>; voting: number }
  | { decided: false; reason: string; counts: Record<BoardVote, number>; voting: number };

export function tally(panel: string[], votes: CastVote[]): Tally {
  const counts = Object.fromEntries(BOARD_VOTES.map((vote) => [vote, 0])) as Record<BoardVote, number>;
  const onPanel = votes.filter((vote) => panel.includes(vote.memberId));
  const voting = panel.length - onPanel.filter((vote) => vote.recused).length;
  for (const vote of onPanel) if (!vote.recused && vote.vote) counts[vote.vote] += 1;
  const needed = Math.floor(voting / 2) + 1;
  const winner = BOARD_VOTES.find((vote) => counts[vote] >= needed);
  if (voting === 0) return { decided: false, reason: "every panel member recused", counts, voting };
  if (!winner) return { decided: false, reason: `no finding has a majority (${needed} of ${voting} needed)`, counts, voting };
  return { decided: true, finding: winner, counts, voting };
}

/** The board's words mapped onto the records' findings for publication. */
export const BOARD_TO_RECORD_FINDING: Record<BoardVote, string> = {
  substantiated: "sustained",
  unsubstantiated: "not_sustained",
  exonerated: "exonerated",
  unfounded: "unfounded",
};

/** The default discipline matrix: recommended penalty by category for a substantiated allegation. */
export const DEFAULT_DISCIPLINE_MATRIX: Record<string, string> = {
  excessive_force: "030 - 30 DAY SUSPENSION",
  death: "400 - SEPARATION",
  criminal_conduct: "400 - SEPARATION",
  false_arrest: "010 - 10 DAY SUSPENSION",
  illegal_search: "005 - 5 DAY SUSPENSION",
  discrimination: "030 - 30 DAY SUSPENSION",
  discourtesy: "100 - REPRIMAND",
  other: "100 - REPRIMAND",
};
