/**
 * The complaints office workflow as an explicit state machine. Pure: the
 * service asks it whether a move is allowed and why not.
 */
export const STATES = [
  "received", "triage", "referred_out", "contact_log", "mediation", "investigation",
  "review", "board_review", "discipline_recommended", "final_disposition", "closed", "closed_no_finding",
] as const;
export type CaseState = (typeof STATES)[number];

const TRANSITIONS: Record<CaseState, readonly CaseState[]> = {
  received: ["triage"],
  triage: ["referred_out", "contact_log", "mediation", "investigation", "closed_no_finding"],
  referred_out: ["closed", "triage"],
  contact_log: ["closed", "triage"],
  mediation: ["closed", "investigation"],
  investigation: ["review", "closed_no_finding"],
  review: ["board_review", "investigation"],
  board_review: ["discipline_recommended", "final_disposition", "investigation"],
  discipline_recommended: ["final_disposition"],
  final_disposition: ["closed"],
  closed: ["triage"],
  closed_no_finding: ["investigation", "triage"],
};

/** The states a case can move to next. */
export function nextStates(from: CaseState): readonly CaseState[] {
  return TRANSITIONS[from];
}

export interface CaseFacts {
  /** Any allegation of excessive force. */
  hasForce: boolean;
  /** Any allegation that an officer committed a crime. */
  hasCriminal: boolean;
  /** A referral to the prosecutor is on record. */
  prosecutorReferred: boolean;
  /** The board has decided every allegation. */
  boardDecidedAll: boolean;
  /** The department's final decision is recorded for every allegation. */
  finalRecordedAll: boolean;
}

export type TransitionCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether a case may move from one state to another, with the demands' rules:
 * excessive force always goes to full investigation by the office; a criminal
 * complaint needs its prosecutor referral on record before it moves on.
 */
export function checkTransition(from: CaseState, to: CaseState, facts: CaseFacts): TransitionCheck {
  if (!TRANSITIONS[from].includes(to)) {
    return { ok: false, reason: `a case in "${from}" cannot move to "${to}"; it can move to: ${TRANSITIONS[from].join(", ")}` };
  }
  if (facts.hasForce && (to === "contact_log" || to === "mediation" || to === "referred_out")) {
    return { ok: false, reason: "an allegation of excessive force must go to full investigation by the office" };
  }
  if (facts.hasForce && from === "triage" && to === "closed_no_finding") {
    return { ok: false, reason: "an allegation of excessive force must be investigated before it can be closed" };
  }
  if (facts.hasCriminal && from === "triage" && !facts.prosecutorReferred) {
    return { ok: false, reason: "a criminal complaint must be referred to the prosecutor before triage ends" };
  }
  if (from === "board_review" && to !== "investigation" && !facts.boardDecidedAll) {
    return { ok: false, reason: "the board has not decided every allegation yet" };
  }
  if (from === "final_disposition" && to === "closed" && !facts.finalRecordedAll) {
    return { ok: false, reason: "the department's final decision must be recorded for every allegation" };
  }
  return { ok: true };
}

/** States in which a case is still open (for deadlines and reinstatement flags). */
export function isOpen(state: CaseState): boolean {
  return state !== "closed" && state !== "closed_no_finding" && state !== "referred_out";
}
