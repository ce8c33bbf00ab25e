/**
 * The normalised words for findings and penalties. Importers map each source's
 * words onto these; unknown words are reported, never guessed.
 */
export const FINDINGS = [
  "sustained", "not_sustained", "exonerated", "unfounded", "no_affidavit",
  "closed_no_finding", "pending", "other",
] as const;
export type Finding = (typeof FINDINGS)[number];

/** Only a sustained finding holds the officer responsible; anything else is weaker. */
export function findingIsWeaker(recommended: string | null, final: string | null): boolean {
  return recommended === "sustained" && final !== null && final !== "sustained";
}

/**
 * Orders penalty texts by severity so a final penalty lighter than the
 * recommendation can be marked. Returns null when the text says nothing known.
 */
export function penaltySeverity(text: string | null | undefined): number | null {
  if (!text) return null;
  const value = text.toUpperCase();
  const coded = /^(\d{3}) - /.exec(value);
  if (coded) return cpdpPenaltyCodeSeverity(Number(coded[1]));
  if (/SEPARAT|TERMINAT|DISCHARG|RESIGN/.test(value)) return 1_000;
  const days = /(\d+)\s*DAY/.exec(value) ?? /SUSPEN\w*\D*(\d+)/.exec(value);
  if (days) return 10 + Math.min(Number(days[1]), 900);
  if (/SUSPEN/.test(value)) return 10;
  if (/REPRIMAND/.test(value)) return 5;
  if (/VIOLATION NOTED|COUNSEL|TRAINING/.test(value)) return 2;
  if (/NO ACTION|NONE|PENALTY NOT SERVED/.test(value)) return 0;
  return null;
}

/**
 * CPDP's penalty codes: 001-099 are suspension days, 000 a violation noted,
 * 100 a reprimand, 200 a suspension over 30 days, 400 separation, 600/601 no
 * action. 300/301 (case closed administratively) and 800 (resigned, not served)
 * say nothing about severity.
 */
function cpdpPenaltyCodeSeverity(code: number): number | null {
  if (code === 0) return 2;
  if (code > 0 && code < 100) return 10 + code;
  if (code === 100) return 5;
  if (code === 200) return 10 + 31;
  if (code === 400) return 1_000;
  if (code === 600 || code === 601) return 0;
  return null;
}

export function penaltyIsWeaker(recommended: string | null, final: string | null): boolean {
  const before = penaltySeverity(recommended);
  const after = penaltySeverity(final);
  return before !== null && after !== null && after < before;
}

/** Maps CPDP's finding words; undefined means the word is unknown. */
const CPDP_FINDINGS: Record<string, Finding> = {
  "SUSTAINED": "sustained",
  "NOT SUSTAINED": "not_sustained",
  "EXONERATED": "exonerated",
  "UNFOUNDED": "unfounded",
  "NO AFFIDAVIT": "no_affidavit",
  "ADMINISTRATIVELY CLOSED": "closed_no_finding",
  "ADMINISTRATIVELY TERMINATED": "closed_no_finding",
  "NO FINDING": "closed_no_finding",
  "ADDITIONAL INVESTIGATION REQUESTED": "pending",
  "EXPUNGED": "other",
  "WITHIN POLICY OFFICER INVOLVED SHOOTING": "exonerated",
};

export function cpdpFinding(word: string | undefined | null): Finding | null | undefined {
  const key = (word ?? "").trim().toUpperCase();
  if (!key) return null;
  return CPDP_FINDINGS[key];
}
