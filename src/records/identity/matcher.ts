/**
 * Deterministic officer identity matcher.
 *
 * Pure functions only: no I/O, no clocks, no randomness. Given "mentions" of
 * officers (one per local id per source file), decide which mentions are the
 * same person. The roster is the backbone: every roster mention is its own
 * person and is never merged with another roster mention; mentions from other
 * sources join a roster person (or an earlier non-roster person) only on strong,
 * non-conflicting evidence. A mention with two or more equally good candidate
 * people is AMBIGUOUS: it is never merged, it stays its own person, and it is
 * reported with its candidates.
 *
 * Determinism: mentions are put into a canonical order (anchor sources first,
 * then source name by code point — so "TRR-..." before "complaints-..." — then
 * local id, then content) before anything else, and processed in that order, so
 * the output never depends on the order of the input array. Person keys are the
 * `source:localId` of the person's first mention in canonical order (for roster
 * people: the roster mention).
 */

export interface OfficerMention {
  source: string;
  localId: string;
  firstName: string;
  lastName: string;
  middleInitial: string | null;
  suffix: string | null;
  birthYear: number | null;
  /** YYYY-MM-DD */
  appointedDate: string | null;
  /** normalized star numbers, no ".0", sorted numerically, unique */
  stars: string[];
  race: string | null;
  gender: string | null;
}

/** Why a mention was joined to its person (the person's anchor has no entry). */
export interface LinkEvidence {
  mention: string; // source:localId
  rule: MatchRule;
  score: number;
  /** soft conflict (appointed-date, race or middle-initial) overridden by overwhelming evidence */
  overrode?: string[];
  /** the best other person that also passed the rules, with a lower score */
  runnerUp?: { key: string; score: number };
}

export interface LinkedPerson {
  key: string;
  mentions: OfficerMention[];
  /** one entry per non-anchor mention: the rule and score that joined it */
  evidence: LinkEvidence[];
}

export interface AmbiguousMention {
  mention: OfficerMention;
  /** person keys, sorted */
  candidates: string[];
  reason: string;
}

export interface LinkCounts {
  mentions: number;
  people: number;
  /** non-ambiguous mentions whose person also holds a mention from another source */
  linked: number;
  /** non-ambiguous mentions whose person holds mentions from their own source only */
  unlinked: number;
  /** mentions with two or more equally good candidates (each left as its own person) */
  ambiguous: number;
}

export interface LinkResult {
  people: LinkedPerson[];
  ambiguous: AmbiguousMention[];
  /** invariant: mentions = linked + unlinked + ambiguous */
  counts: LinkCounts;
  /** the same counts broken down per source (people = people anchored in that source) */
  bySource: Record<string, LinkCounts>;
}

export interface LinkOptions {
  /**
   * Backbone sources, processed first. Each of their mentions is its own person
   * and two mentions of an anchor source are never merged (one row per officer).
   * Default: every source whose name starts with "roster" (case-insensitive).
   */
  anchorSources?: string[];
  /**
   * When true, appointed-date, race and middle-initial conflicts always
   * disqualify. By default one such conflict is overridden when birth year,
   * exact first and last name and a star number all agree (recorded in
   * LinkEvidence.overrode).
   */
  strict?: boolean;
}

export type MatchRule =
  | 'birth+appointed+name'
  | 'birth+appointed+star+last'
  | 'birth+appointed+first+star'
  | 'star+name'
  | 'appointed+name'
  | 'birth+star+name'
  | 'birth+appointed+star+first';

// ---------------------------------------------------------------------------
// Normalization helpers (exported for the row reader and tests)
// ---------------------------------------------------------------------------

/** Uppercase, strip diacritics, keep A-Z only: "Mc Cluskey" -> "MCCLUSKEY", "O'BRIEN" -> "OBRIEN". */
export function normName(s: string | null | undefined): string {
  if (!s) return '';
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

const PLACEHOLDER_ALWAYS = /^(UNKNOWN\d*|UNK|UNKN|NOTKNOWN|NOTSURE|ANONYMOUS|NONAME|FAKENAME|NOTAPPLICABLE|NOTAVAILABLE)$/;
// Real surnames too (NA is a Korean surname): placeholders only when both names are.
const PLACEHOLDER_IF_BOTH = /^(NA|NONE|NULL|TBD|X|UNKNOWN\d*|UNK|UNKN|)$/;

/**
 * True for names that are placeholders, not people (UNKNOWN, NA NA, NONE,
 * JOHN DOE, DISTRICT20, ...). A placeholder first name with a real last name
 * ("UNKNOWN ACOSTA") is a person whose first name is unknown: see
 * isPlaceholderFirstName.
 */
export function isPlaceholderName(firstName: string, lastName: string): boolean {
  const f = normName(firstName);
  const l = normName(lastName);
  if (!l || PLACEHOLDER_ALWAYS.test(l)) return true;
  if (PLACEHOLDER_IF_BOTH.test(l) && PLACEHOLDER_IF_BOTH.test(f)) return true;
  if (f + l === 'NA') return true; // "N" / "A"
  const fUnknown = PLACEHOLDER_IF_BOTH.test(f) || PLACEHOLDER_ALWAYS.test(f);
  if (fUnknown && /^(OFFICER|SUPERVISOR|SERGEANT|LIEUTENANT|DETECTIVE|POLICE|POLICEOFFICER|CPD|COPA)$/.test(l)) return true;
  const alnum = (x: string) => x.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const district = /^(\d+(ST|ND|RD|TH)?)?DISTRICT\d*$/;
  if (district.test(alnum(lastName)) || district.test(alnum(firstName))) return true;
  if (l === 'DOE' && (f === 'JOHN' || f === 'JANE' || f === '')) return true;
  return false;
}

/** True when a first name says "unknown" rather than naming anyone. */
export function isPlaceholderFirstName(firstName: string): boolean {
  return PLACEHOLDER_ALWAYS.test(normName(firstName));
}

/** "11680.0" -> "11680"; "" / "0" / non-numeric -> null. */
export function normStar(s: string | null | undefined): string | null {
  if (s == null) return null;
  const t = String(s).trim();
  const m = /^(\d+)(?:\.0*)?$/.exec(t);
  if (!m) return null;
  const digits = m[1].replace(/^0+/, '');
  return digits === '' ? null : digits;
}

/** "1971.0" -> 1971; out-of-range or garbage -> null. */
export function normBirthYear(s: string | number | null | undefined): number | null {
  if (s == null) return null;
  const t = String(s).trim();
  const m = /^(\d{4})(?:\.0*)?$/.exec(t);
  if (!m) return null;
  const y = Number(m[1]);
  return y >= 1880 && y <= 2030 ? y : null;
}

/** Accepts "YYYY-MM-DD" (optionally followed by a time); anything else -> null. */
export function normDate(s: string | null | undefined): string | null {
  if (!s) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|[ T])/.exec(s.trim());
  if (!m) return null;
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

/** Single uppercase letter or null. */
export function normInitial(s: string | null | undefined): string | null {
  const n = normName(s);
  return n ? n[0] : null;
}

const SUFFIXES = new Set(['JR', 'SR', 'I', 'II', 'III', 'IV', 'V']);

export function normSuffix(s: string | null | undefined): string | null {
  const n = normName(s);
  if (!n) return null;
  if (n === 'JUNIOR') return 'JR';
  if (n === 'SENIOR') return 'SR';
  return SUFFIXES.has(n) ? n : null;
}

/** Uppercased, trimmed; "", UNKNOWN, N/A -> null. */
export function normCategory(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.trim().toUpperCase().replace(/\s+/g, ' ');
  if (!t || t === 'UNKNOWN' || t === 'UNK' || t === 'N/A' || t === 'NA') return null;
  return t;
}

const PARTICLES = new Set(['MC', 'MAC', 'O', 'DE', 'DEL', 'DELA', 'LA', 'LE', 'DI', 'DA', 'DU', 'VAN', 'VON', 'DER', 'VANDER', 'ST', 'SAINT', 'AL', 'EL', 'Y']);

function lastNameTokens(lastName: string): string[] {
  const raw = lastName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  const tokens = raw.split(/[^A-Z']+/).map((t) => t.replace(/'/g, '')).filter(Boolean);
  while (tokens.length > 1 && SUFFIXES.has(tokens[tokens.length - 1])) tokens.pop();
  return tokens;
}

/**
 * The comparable core of a last name: letters only, without a trailing
 * generational suffix, whether separated ("SMITH JR") or glued on as in the
 * accused files ("SMITHJR", "CLAYIII"). "MC CLUSKEY" -> "MCCLUSKEY",
 * "O'BRIEN" -> "OBRIEN". A glued suffix is only removed when 4+ letters remain.
 */
export function lastNameCore(lastName: string): string {
  const joined = lastNameTokens(lastName).join('');
  const m = /^([A-Z]{4,}?)(JR|SR|III|II|IV)$/.exec(joined);
  return m ? m[1] : joined;
}

/**
 * Keys a last name can be matched by: its core (see lastNameCore), plus each
 * part of a hyphenated / multi-word name ("HANNAH-PORTER" -> HANNAHPORTER,
 * HANNAH, PORTER). Particles ("MC", "DE", "O") are not keys on their own.
 */
export function lastNameKeys(lastName: string): string[] {
  const keys = new Set<string>();
  const core = lastNameCore(lastName);
  if (core) keys.add(core);
  const tokens = lastNameTokens(lastName);
  if (tokens.length > 1) {
    for (const t of tokens) if (t.length >= 3 && !PARTICLES.has(t)) keys.add(t);
  }
  return [...keys].sort();
}

/** Optimal-string-alignment edit distance, bounded: returns max+1 when larger. */
export function editDistance(a: string, b: string, max = 2): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[m], max + 1);
}

// A small, conservative table of common English nicknames (both directions).
const NICKNAMES: Record<string, string[]> = {
  ALEXANDER: ['ALEX'],
  ANTHONY: ['TONY'],
  BENJAMIN: ['BEN'],
  CHRISTOPHER: ['CHRIS'],
  DANIEL: ['DAN', 'DANNY'],
  DAVID: ['DAVE'],
  DONALD: ['DON'],
  EDWARD: ['ED', 'EDDIE'],
  GERALD: ['JERRY'],
  GREGORY: ['GREG'],
  JAMES: ['JIM', 'JIMMY'],
  JEFFREY: ['JEFF'],
  JOSEPH: ['JOE'],
  KENNETH: ['KEN'],
  LAWRENCE: ['LARRY'],
  MICHAEL: ['MIKE'],
  NICHOLAS: ['NICK'],
  PATRICK: ['PAT'],
  RAYMOND: ['RAY'],
  RICHARD: ['RICK', 'DICK', 'RICH'],
  ROBERT: ['ROB', 'BOB', 'BOBBY'],
  RONALD: ['RON'],
  SAMUEL: ['SAM'],
  STEPHEN: ['STEVE'],
  STEVEN: ['STEVE'],
  THOMAS: ['TOM', 'TOMMY'],
  TIMOTHY: ['TIM'],
  WILLIAM: ['BILL', 'WILL', 'BILLY'],
};
const NICK_PAIRS = new Set<string>();
for (const [full, nicks] of Object.entries(NICKNAMES)) {
  for (const n of nicks) {
    NICK_PAIRS.add(`${full}|${n}`);
    NICK_PAIRS.add(`${n}|${full}`);
  }
}

export type FirstNameLevel = 'exact' | 'prefix' | 'nickname' | 'initial' | 'typo' | 'none';
export type LastNameLevel = 'exact' | 'variant' | 'typo' | 'none';

const FIRST_RANK: Record<FirstNameLevel, number> = { exact: 5, prefix: 4, nickname: 3, initial: 2, typo: 1, none: 0 };

/** How well two normalized first names agree. */
export function compareFirstNames(a: string, b: string): FirstNameLevel {
  if (!a || !b) return 'none';
  if (a === b) return 'exact';
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 'initial' : 'none';
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (s.length >= 3 && l.startsWith(s)) return 'prefix';
  if (NICK_PAIRS.has(`${a}|${b}`)) return 'nickname';
  const maxEd = Math.min(a.length, b.length) >= 8 ? 2 : Math.min(a.length, b.length) >= 4 ? 1 : 0;
  if (maxEd > 0 && editDistance(a, b, maxEd) <= maxEd) return 'typo';
  return 'none';
}

// ---------------------------------------------------------------------------
// Canonical ordering
// ---------------------------------------------------------------------------

/** Numeric-aware, locale-independent comparison of local ids. */
export function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) {
    const ta = a.replace(/^0+(?=\d)/, '');
    const tb = b.replace(/^0+(?=\d)/, '');
    if (ta.length !== tb.length) return ta.length - tb.length;
    if (ta !== tb) return ta < tb ? -1 : 1;
  } else if (na !== nb) {
    return na ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function mentionKey(m: Pick<OfficerMention, 'source' | 'localId'>): string {
  return `${m.source}:${m.localId}`;
}

function canonicalContent(m: OfficerMention): string {
  return JSON.stringify([
    m.firstName,
    m.lastName,
    m.middleInitial,
    m.suffix,
    m.birthYear,
    m.appointedDate,
    [...m.stars].sort(),
    m.race,
    m.gender,
  ]);
}

// ---------------------------------------------------------------------------
// Linking
// ---------------------------------------------------------------------------

interface Prepared {
  m: OfficerMention;
  key: string;
  rank: number; // 0 anchor source, 1 others
  placeholder: boolean;
  last: string;
  lastKeys: string[];
  first: string;
  mi: string | null;
  suffix: string | null;
  by: number | null;
  ad: string | null;
  stars: string[];
  race: string | null;
  gender: string | null;
}

interface Person {
  key: string;
  members: Prepared[];
  evidence: LinkEvidence[];
  sources: Set<string>;
  lasts: Set<string>;
  lastKeys: Set<string>;
  firsts: Set<string>;
  stars: Set<string>;
  by: number | null;
  /** every appointed date seen (re-hires have several) */
  ads: Set<string>;
  gender: string | null;
  race: string | null;
  mi: string | null;
  suffixes: Set<string>;
}

interface Scored {
  person: number;
  rule: MatchRule;
  score: number;
  overrode: string[];
}

/** Scoring weights: each piece of agreeing evidence adds to the score. */
export const WEIGHTS = {
  last: { exact: 40, variant: 25, typo: 10, none: 0 } as Record<LastNameLevel, number>,
  first: { exact: 30, prefix: 20, nickname: 15, initial: 10, typo: 10, none: 0 } as Record<FirstNameLevel, number>,
  birthYear: 20,
  appointedDate: 25,
  star: 30,
  middleInitial: 5,
  suffix: 3,
  /** applied per overridden race / middle-initial conflict */
  overriddenConflict: -10,
};

function prepare(m: OfficerMention, anchors: Set<string>): Prepared {
  const last = lastNameCore(m.lastName);
  const first = isPlaceholderFirstName(m.firstName) ? '' : normName(m.firstName);
  const stars = [...new Set(m.stars.map((s) => normStar(s)).filter((s): s is string => s != null))];
  return {
    m,
    key: mentionKey(m),
    rank: anchors.has(m.source) ? 0 : 1,
    placeholder: isPlaceholderName(m.firstName, m.lastName),
    last,
    lastKeys: last ? lastNameKeys(m.lastName) : [],
    first,
    mi: normInitial(m.middleInitial),
    suffix: normSuffix(m.suffix),
    by: m.birthYear,
    ad: m.appointedDate ? normDate(m.appointedDate) : null,
    stars,
    race: normCategory(m.race),
    gender: normCategory(m.gender),
  };
}

function comparePrepared(a: Prepared, b: Prepared): number {
  return (
    a.rank - b.rank ||
    cmpStr(a.m.source, b.m.source) ||
    compareIds(a.m.localId, b.m.localId) ||
    cmpStr(canonicalContent(a.m), canonicalContent(b.m))
  );
}

function blockKeys(p: Prepared): string[] {
  const keys: string[] = [];
  const fi = p.first ? p.first[0] : '';
  for (const k of p.lastKeys) keys.push(`N:${k}|${fi}`);
  if (p.by != null && p.ad != null) keys.push(`D:${p.by}|${p.ad}`);
  for (const s of p.stars) keys.push(`S:${s}`);
  return keys;
}

function bestLast(p: Prepared, person: Person): LastNameLevel {
  if (!p.last) return 'none';
  if (person.lasts.has(p.last)) return 'exact';
  for (const k of p.lastKeys) if (person.lastKeys.has(k)) return 'variant';
  if (p.last.length >= 4) {
    for (const l of person.lasts) if (l.length >= 4 && editDistance(p.last, l, 1) <= 1) return 'typo';
  }
  return 'none';
}

function bestFirst(p: Prepared, person: Person): FirstNameLevel {
  let best: FirstNameLevel = 'none';
  for (const f of person.firsts) {
    const lvl = compareFirstNames(p.first, f);
    if (FIRST_RANK[lvl] > FIRST_RANK[best]) best = lvl;
    if (best === 'exact') break;
  }
  return best;
}

/**
 * Score a mention against a person. Returns null when the pair is disqualified
 * (conflicting birth year / appointed date / gender / race / middle initial) or
 * when no acceptance rule is met.
 */
function evaluate(p: Prepared, person: Person, strict: boolean): { rule: MatchRule; score: number; overrode: string[] } | null {
  // Hard disqualifiers: both sides known and different.
  if (p.by != null && person.by != null && p.by !== person.by) return null;
  if (p.gender != null && person.gender != null && p.gender !== person.gender) return null;

  const byEq = p.by != null && p.by === person.by;
  const adEq = p.ad != null && person.ads.has(p.ad);
  const starEq = p.stars.some((s) => person.stars.has(s));
  const last = bestLast(p, person);
  // A different last name is only acceptable for a name change (marriage):
  // same birth year, appointed date, star and first name — checked below.
  if (last === 'none' && !(byEq && adEq && starEq)) return null;
  const first = bestFirst(p, person);
  const miEq = p.mi != null && p.mi === person.mi;
  const sufEq = p.suffix != null && person.suffixes.has(p.suffix);

  // Soft disqualifiers. Race and middle initial are recorded inconsistently
  // across files, and an officer who resigns and is re-hired gets a new
  // appointed date (the roster keeps the latest). A conflict on one of these
  // disqualifies unless the identity is otherwise overwhelming: same birth year,
  // exact first and last name AND a shared star number. At most one soft
  // conflict is overridden. With options.strict they always disqualify.
  const overrode: string[] = [];
  const overwhelming = !strict && byEq && last === 'exact' && first === 'exact' && starEq;
  if (p.ad != null && person.ads.size > 0 && !adEq) overrode.push('appointed-date');
  if (p.race != null && person.race != null && p.race !== person.race) overrode.push('race');
  if (p.mi != null && person.mi != null && p.mi !== person.mi) overrode.push('middle-initial');
  if (overrode.length > 0 && !(overwhelming && overrode.length === 1)) return null;

  const firstLoose = first !== 'none'; // exact | prefix | nickname | initial | typo
  const firstClose = first === 'exact' || first === 'prefix' || first === 'nickname' || first === 'initial';

  let rule: MatchRule | null = null;
  if (overrode.length > 0) rule = 'birth+star+name'; // only reachable when overwhelming
  else if (byEq && adEq && last === 'exact' && firstLoose) rule = 'birth+appointed+name';
  else if (byEq && adEq && last === 'variant' && firstClose) rule = 'birth+appointed+name';
  else if (byEq && adEq && last === 'exact' && first === 'none' && starEq) rule = 'birth+appointed+star+last';
  else if (byEq && adEq && last === 'typo' && first === 'exact' && (starEq || miEq)) rule = 'birth+appointed+first+star';
  else if (starEq && last === 'exact' && firstClose) rule = 'star+name';
  else if (adEq && (p.by == null || person.by == null) && last === 'exact' && first === 'exact') rule = 'appointed+name';
  else if (byEq && adEq && starEq && last === 'none' && first === 'exact') rule = 'birth+appointed+star+first';
  if (!rule) return null;

  const score =
    WEIGHTS.last[last] +
    WEIGHTS.first[first] +
    (byEq ? WEIGHTS.birthYear : 0) +
    (adEq ? WEIGHTS.appointedDate : 0) +
    (starEq ? WEIGHTS.star : 0) +
    (miEq ? WEIGHTS.middleInitial : 0) +
    (sufEq ? WEIGHTS.suffix : 0) +
    overrode.length * WEIGHTS.overriddenConflict;
  return { rule, score, overrode };
}

function newPerson(p: Prepared): Person {
  return {
    key: p.key,
    members: [p],
    evidence: [],
    sources: new Set([p.m.source]),
    lasts: new Set(p.last ? [p.last] : []),
    lastKeys: new Set(p.lastKeys),
    firsts: new Set(p.first ? [p.first] : []),
    stars: new Set(p.stars),
    by: p.by,
    ads: new Set(p.ad ? [p.ad] : []),
    gender: p.gender,
    race: p.race,
    mi: p.mi,
    suffixes: new Set(p.suffix ? [p.suffix] : []),
  };
}

function absorb(person: Person, p: Prepared): void {
  person.members.push(p);
  person.sources.add(p.m.source);
  if (p.last) person.lasts.add(p.last);
  for (const k of p.lastKeys) person.lastKeys.add(k);
  if (p.first) person.firsts.add(p.first);
  for (const s of p.stars) person.stars.add(s);
  person.by ??= p.by;
  if (p.ad) person.ads.add(p.ad);
  person.gender ??= p.gender;
  person.race ??= p.race;
  person.mi ??= p.mi;
  if (p.suffix) person.suffixes.add(p.suffix);
}

function emptyCounts(): LinkCounts {
  return { mentions: 0, people: 0, linked: 0, unlinked: 0, ambiguous: 0 };
}

/**
 * Link officer mentions into people. Deterministic and independent of input order.
 *
 * Mentions are processed in canonical order (anchor/roster source first). Each
 * anchor mention starts its own person; anchor mentions never merge with each
 * other. Every other mention is compared with the people found through its
 * blocking keys (last-name key + first initial, birth year + appointed date,
 * each star number) and joins the single best-scoring person that passes the
 * rule set below; with no such person it starts a new person (so mentions of
 * officers missing from the roster still link across the complaint and TRR
 * files); with two or more people tied at the top score it is AMBIGUOUS: it is
 * left as its own person (which nobody may join) and reported.
 *
 * Disqualifiers (both sides known and different):
 *  - birth year or gender: always;
 *  - appointed date, race or middle initial: unless the identity is otherwise
 *    overwhelming (same birth year, exact first AND last name, shared star),
 *    and then only one such conflict; the override is recorded in the evidence.
 *    (Re-hired officers get a new appointed date; race and middle initial are
 *    recorded inconsistently between files.) options.strict turns this off.
 * Acceptance rules (name alone never links):
 *  - 'birth+appointed+name': same birth year and appointed date, exact last name
 *    (letters only, suffix removed: MC CLUSKEY = MCCLUSKEY, SMITHJR = SMITH JR)
 *    and a compatible first name (exact, 3+ letter prefix, nickname, initial, or
 *    a 1-2 letter typo), or a last-name variant (one part of a hyphenated or
 *    two-word name: AKINS-GREENE ~ AKINS, O BRIEN ~ BRIEN) with a first name
 *    that is not merely a typo;
 *  - 'birth+appointed+star+last': same birth year, appointed date, exact last
 *    name and a shared star (first name may differ: KATE ~ KATHERINE);
 *  - 'birth+appointed+first+star': same birth year, appointed date and exact
 *    first name, last name one edit away, plus a shared star or middle initial;
 *  - 'star+name': a shared star, exact last name and a close first name (used
 *    when birth year / appointed date are missing on one side);
 *  - 'appointed+name': same appointed date, exact first and last name, and one
 *    side has no birth year;
 *  - 'birth+appointed+star+first': last name changed (marriage): same birth
 *    year, appointed date, star and exact first name;
 *  - 'birth+star+name': the overwhelming case above, with one overridden conflict.
 * Score (WEIGHTS): last 40/25/10 (exact/variant/typo), first 30/20/15/10/10
 * (exact/prefix/nickname/initial/typo), birth year 20, appointed date 25,
 * star 30, middle initial 5, suffix 3, overridden conflict -10.
 *
 * Throws if two mentions share the same `source:localId`.
 */
export function linkOfficers(mentions: OfficerMention[], options: LinkOptions = {}): LinkResult {
  const anchors = new Set(
    options.anchorSources ?? [...new Set(mentions.map((m) => m.source))].filter((s) => /^roster/i.test(s)),
  );
  const strict = options.strict ?? false;
  const prepared = mentions.map((m) => prepare(m, anchors));
  prepared.sort(comparePrepared);
  for (let i = 1; i < prepared.length; i++) {
    if (prepared[i].key === prepared[i - 1].key) throw new Error(`duplicate officer mention ${prepared[i].key}`);
  }

  const people: Person[] = [];
  const index = new Map<string, number[]>();
  const ambiguous: AmbiguousMention[] = [];
  const ambiguousKeys = new Set<Prepared>();

  const addToIndex = (pi: number, p: Prepared) => {
    for (const k of blockKeys(p)) {
      const list = index.get(k);
      if (!list) index.set(k, [pi]);
      else if (list[list.length - 1] !== pi && !list.includes(pi)) list.push(pi);
    }
  };

  const candidateSet = new Set<number>();
  for (const p of prepared) {
    if (p.placeholder) {
      // Not a person we can identify: keep it as its own, unindexed entry.
      people.push(newPerson(p));
      continue;
    }
    if (p.rank === 0) {
      // Anchor mentions come first and never merge with each other (one row per officer).
      addToIndex(people.push(newPerson(p)) - 1, p);
      continue;
    }
    candidateSet.clear();
    for (const k of blockKeys(p)) {
      const list = index.get(k);
      if (list) for (const pi of list) candidateSet.add(pi);
    }
    const accepted: Scored[] = [];
    for (const pi of candidateSet) {
      const r = evaluate(p, people[pi], strict);
      if (r) accepted.push({ person: pi, ...r });
    }
    if (accepted.length === 0) {
      addToIndex(people.push(newPerson(p)) - 1, p);
      continue;
    }
    accepted.sort((a, b) => b.score - a.score || cmpStr(people[a.person].key, people[b.person].key));
    const top = accepted[0];
    const tied = accepted.filter((a) => a.score === top.score);
    if (tied.length > 1) {
      const candidates = tied.map((a) => people[a.person].key).sort((a, b) => cmpKeys(a, b));
      ambiguous.push({
        mention: p.m,
        candidates,
        reason: `${tied.length} candidates tie at score ${top.score} (${[...new Set(tied.map((t) => t.rule))].join(', ')})`,
      });
      ambiguousKeys.add(p);
      people.push(newPerson(p)); // own person, not indexed: nobody joins an ambiguous mention
      continue;
    }
    const person = people[top.person];
    absorb(person, p);
    const ev: LinkEvidence = { mention: p.key, rule: top.rule, score: top.score };
    if (top.overrode.length) ev.overrode = top.overrode;
    if (accepted.length > 1) ev.runnerUp = { key: people[accepted[1].person].key, score: accepted[1].score };
    person.evidence.push(ev);
    addToIndex(top.person, p);
  }

  // Output in a canonical order.
  const counts = emptyCounts();
  const bySource: Record<string, LinkCounts> = {};
  const src = (s: string) => (bySource[s] ??= emptyCounts());
  for (const person of people) {
    const multi = person.sources.size > 1;
    counts.people++;
    src(person.members[0].m.source).people++;
    for (const p of person.members) {
      counts.mentions++;
      const c = src(p.m.source);
      c.mentions++;
      if (ambiguousKeys.has(p)) {
        counts.ambiguous++;
        c.ambiguous++;
      } else if (multi) {
        counts.linked++;
        c.linked++;
      } else {
        counts.unlinked++;
        c.unlinked++;
      }
    }
  }
  const sortedSources: Record<string, LinkCounts> = {};
  for (const s of Object.keys(bySource).sort(cmpStr)) sortedSources[s] = bySource[s];

  const outPeople: LinkedPerson[] = people
    .map((person) => ({
      key: person.key,
      mentions: person.members.map((p) => p.m),
      evidence: person.evidence,
      _first: person.members[0],
    }))
    .sort((a, b) => comparePrepared(a._first, b._first))
    .map(({ key, mentions: ms, evidence }) => ({ key, mentions: ms, evidence }));

  return { people: outPeople, ambiguous, counts, bySource: sortedSources };
}

function cmpKeys(a: string, b: string): number {
  const ia = a.lastIndexOf(':');
  const ib = b.lastIndexOf(':');
  return cmpStr(a.slice(0, ia), b.slice(0, ib)) || compareIds(a.slice(ia + 1), b.slice(ib + 1));
}

// ---------------------------------------------------------------------------
// Collapsing a file's rows into mentions
// ---------------------------------------------------------------------------

export type Row = Record<string, string | undefined>;

export interface MentionsFromRowsOptions {
  /** column holding the file-local officer id; default `${source}_ID`, else the last column ending in `_ID` */
  idColumn?: string;
  /** source-specific repair of a known date artifact, applied to each normalized appointed date */
  fixAppointedDate?: (date: string) => string;
}

/**
 * Undo the "2000 is not a leap year" conversion bug: dates from 2000-03-01 on
 * come out one day late. (Seen in complaints-accused p867849: against the
 * roster and p053540 every appointed date >= 2000-03-01 is +1 day, every
 * earlier one is exact.)
 */
export function undoNonLeap2000Shift(date: string): string {
  if (date < '2000-03-01') return date;
  const t = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(t)) return date;
  return new Date(t - 86_400_000).toISOString().slice(0, 10);
}

class Tally {
  private counts = new Map<string, number>();
  add(v: string | null | undefined): void {
    if (v == null || v === '') return;
    this.counts.set(v, (this.counts.get(v) ?? 0) + 1);
  }
  /** most common value; ties broken by the smallest value (row-order independent) */
  top(): string | null {
    let best: string | null = null;
    let bestN = 0;
    for (const [v, n] of this.counts) {
      if (n > bestN || (n === bestN && best !== null && v < best)) {
        best = v;
        bestN = n;
      }
    }
    return best;
  }
}

interface Acc {
  rows: number;
  firstName: Tally;
  firstNameNS: Tally;
  lastName: Tally;
  lastNameNS: Tally;
  middleInitial: Tally;
  suffix: Tally;
  birthYear: Tally;
  appointedDate: Tally;
  race: Tally;
  gender: Tally;
  stars: Set<string>;
}

const STAR_COLUMNS = ['star', 'current_star', ...Array.from({ length: 10 }, (_, i) => `star${i + 1}`)];

/**
 * Incrementally collapses one file's rows into one OfficerMention per local id.
 * Memory is proportional to the number of distinct ids, not rows.
 *
 * For each field the most common non-empty value over the id's rows is taken;
 * stars are the union over rows. Continuation rows (raw first_name and last_name
 * both blank while the *_NS columns are filled — in complaints-accused p867849
 * these rows carry star / middle initial / suffix values filled down from the
 * previous officer) contribute only names, birth year and appointed date.
 * Placeholder names (UNKNOWN, NA, JOHN DOE, ...) are dropped.
 */
export class MentionCollector {
  private accs = new Map<string, Acc>();
  private idColumn: string | null;
  private fixDate: ((d: string) => string) | null;
  rows = 0;
  constructor(
    readonly source: string,
    options: MentionsFromRowsOptions = {},
  ) {
    this.idColumn = options.idColumn ?? null;
    this.fixDate = options.fixAppointedDate ?? null;
  }

  add(row: Row): void {
    this.rows++;
    if (this.idColumn == null) {
      const cols = Object.keys(row);
      this.idColumn = cols.includes(`${this.source}_ID`)
        ? `${this.source}_ID`
        : ([...cols].reverse().find((c) => c.endsWith('_ID')) ?? null);
      if (this.idColumn == null) throw new Error(`${this.source}: no local id column (expected ${this.source}_ID)`);
    }
    const id = (row[this.idColumn] ?? '').trim();
    if (!id) return;
    let acc = this.accs.get(id);
    if (!acc) {
      acc = {
        rows: 0,
        firstName: new Tally(),
        firstNameNS: new Tally(),
        lastName: new Tally(),
        lastNameNS: new Tally(),
        middleInitial: new Tally(),
        suffix: new Tally(),
        birthYear: new Tally(),
        appointedDate: new Tally(),
        race: new Tally(),
        gender: new Tally(),
        stars: new Set(),
      };
      this.accs.set(id, acc);
    }
    acc.rows++;
    const t = (k: string) => (row[k] ?? '').trim();
    const rawFirst = t('first_name');
    const rawLast = t('last_name');
    const nsFirst = t('first_name_NS');
    const nsLast = t('last_name_NS');
    const continuation = !rawFirst && !rawLast && !!(nsFirst || nsLast) && 'first_name' in row;
    acc.firstName.add(rawFirst);
    acc.lastName.add(rawLast);
    acc.firstNameNS.add(nsFirst);
    acc.lastNameNS.add(nsLast);
    const by = normBirthYear(t('birth_year'));
    acc.birthYear.add(by == null ? null : String(by));
    const ad = normDate(t('appointed_date'));
    acc.appointedDate.add(ad && this.fixDate ? this.fixDate(ad) : ad);
    if (continuation) return;
    acc.middleInitial.add(normInitial(t('middle_initial')));
    acc.suffix.add(normSuffix(t('suffix_name')));
    acc.race.add(normCategory(t('race')));
    acc.gender.add(normCategory(t('gender')));
    for (const c of STAR_COLUMNS) {
      const s = normStar(row[c]);
      if (s) acc.stars.add(s);
    }
  }

  /** Number of placeholder ids dropped by the last finish(). */
  placeholders = 0;

  finish(): OfficerMention[] {
    const out: OfficerMention[] = [];
    this.placeholders = 0;
    for (const [localId, a] of this.accs) {
      let firstName = a.firstName.top() ?? a.firstNameNS.top() ?? '';
      const lastName = a.lastName.top() ?? a.lastNameNS.top() ?? '';
      if (isPlaceholderName(firstName, lastName) || isPlaceholderName(a.firstNameNS.top() ?? firstName, a.lastNameNS.top() ?? lastName)) {
        this.placeholders++;
        continue;
      }
      if (isPlaceholderFirstName(firstName)) firstName = '';
      const by = a.birthYear.top();
      out.push({
        source: this.source,
        localId,
        firstName,
        lastName,
        middleInitial: a.middleInitial.top(),
        suffix: a.suffix.top(),
        birthYear: by == null ? null : Number(by),
        appointedDate: a.appointedDate.top(),
        stars: [...a.stars].sort((x, y) => compareIds(x, y)),
        race: a.race.top(),
        gender: a.gender.top(),
      });
    }
    out.sort((x, y) => compareIds(x.localId, y.localId));
    return out;
  }
}

/** Collapse one file's rows (any iterable of parsed CSV records) into one mention per local id. */
export function mentionsFromRows(source: string, rows: Iterable<Row>, options: MentionsFromRowsOptions = {}): OfficerMention[] {
  const c = new MentionCollector(source, options);
  for (const r of rows) c.add(r);
  return c.finish();
}
