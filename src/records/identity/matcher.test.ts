import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  compareFirstNames,
  isPlaceholderName,
  lastNameCore,
  lastNameKeys,
  linkOfficers,
  mentionKey,
  mentionsFromRows,
  normStar,
  undoNonLeap2000Shift,
  type LinkResult,
  type OfficerMention,
} from './matcher.js';
import { readCpdpOfficers } from './read-cpdp-officers.js';

const ROSTER = 'roster_test';
const ACCUSED = 'accused_test';
// Non-anchor sources are processed in code-point order of their names, so (as with
// the real files) the TRR source comes before the complaint source.
const TRR = 'TRR-officers_test';

function mention(source: string, localId: string, over: Partial<OfficerMention> = {}): OfficerMention {
  return {
    source,
    localId,
    firstName: 'JOHN',
    lastName: 'SMITH',
    middleInitial: null,
    suffix: null,
    birthYear: 1970,
    appointedDate: '1995-06-12',
    stars: [],
    race: 'WHITE',
    gender: 'MALE',
    ...over,
  };
}

function personOf(r: LinkResult, source: string, localId: string) {
  const p = r.people.find((x) => x.mentions.some((m) => m.source === source && m.localId === localId));
  assert.ok(p, `no person holds ${source}:${localId}`);
  return p;
}

const sorted = (a: string[]): string[] => [...a].sort();

function keysOf(r: LinkResult, source: string, localId: string): string[] {
  return personOf(r, source, localId)
    .mentions.map(mentionKey)
    .sort();
}

function assertInvariants(r: LinkResult, n: number): void {
  assert.equal(r.counts.mentions, n);
  assert.equal(r.counts.linked + r.counts.unlinked + r.counts.ambiguous, r.counts.mentions);
  assert.equal(r.counts.people, r.people.length);
  assert.equal(r.counts.ambiguous, r.ambiguous.length);
  assert.equal(
    r.people.reduce((s, p) => s + p.mentions.length, 0),
    n,
    'every mention is in exactly one person',
  );
  for (const a of r.ambiguous) {
    const p = personOf(r, a.mention.source, a.mention.localId);
    assert.equal(p.mentions.length, 1, 'an ambiguous mention is never merged');
    assert.ok(a.candidates.length >= 2);
  }
}

describe('name normalization', () => {
  it('treats spacing, punctuation and glued suffixes as the same last name', () => {
    assert.equal(lastNameCore('MC CLUSKEY'), 'MCCLUSKEY');
    assert.equal(lastNameCore('McCluskey'), 'MCCLUSKEY');
    assert.equal(lastNameCore("O'BRIEN"), 'OBRIEN');
    assert.equal(lastNameCore('SMITH JR'), 'SMITH');
    assert.equal(lastNameCore('SMITHJR'), 'SMITH');
    assert.equal(lastNameCore('CLAYIII'), 'CLAY');
    assert.equal(lastNameCore('KRIV'), 'KRIV', 'short names keep their letters');
    assert.deepEqual(lastNameKeys('HANNAH-PORTER'), ['HANNAH', 'HANNAHPORTER', 'PORTER']);
    assert.deepEqual(lastNameKeys('MC CLUSKEY'), ['CLUSKEY', 'MCCLUSKEY'], 'particles are not keys on their own');
  });

  it('grades first names', () => {
    assert.equal(compareFirstNames('CHRISTOPH', 'CHRISTOPHER'), 'prefix');
    assert.equal(compareFirstNames('MIKE', 'MICHAEL'), 'nickname');
    assert.equal(compareFirstNames('J', 'JOHN'), 'initial');
    assert.equal(compareFirstNames('JEFFERY', 'JEFFREY'), 'typo');
    assert.equal(compareFirstNames('JOHN', 'MARY'), 'none');
  });

  it('recognizes placeholders and normalizes stars and shifted dates', () => {
    assert.ok(isPlaceholderName('UNKNOWN', 'UNKNOWN'));
    assert.ok(isPlaceholderName('Na', 'Na'));
    assert.ok(isPlaceholderName('John', 'Doe'));
    assert.ok(isPlaceholderName('District20', 'District20'));
    assert.ok(!isPlaceholderName('Michael', 'Krueger'));
    assert.ok(!isPlaceholderName('YOUNG', 'NA'), 'NA is also a surname');
    assert.ok(!isPlaceholderName('UNKNOWN', 'ACOSTA'), 'a person whose first name is unknown');
    assert.ok(isPlaceholderName('Unknown', 'Officer1'));
    assert.ok(isPlaceholderName('Unknown', '14th district'));
    assert.equal(normStar('11680.0'), '11680');
    assert.equal(normStar(''), null);
    assert.equal(normStar('0.0'), null);
    assert.equal(undoNonLeap2000Shift('1999-12-13'), '1999-12-13');
    assert.equal(undoNonLeap2000Shift('2000-02-28'), '2000-02-28');
    assert.equal(undoNonLeap2000Shift('2000-03-01'), '2000-02-29');
    assert.equal(undoNonLeap2000Shift('2022-03-02'), '2022-03-01');
  });
});

describe('linkOfficers', () => {
  it('links an exact match (name, birth year, appointed date) to the roster person', () => {
    const r = linkOfficers([
      mention(ROSTER, '1', { stars: ['1234'] }),
      mention(ACCUSED, '7'),
      mention(TRR, '3', { stars: ['1234'] }),
      mention(ROSTER, '2', { firstName: 'MARY', gender: 'FEMALE', birthYear: 1980, appointedDate: '2005-01-01' }),
    ]);
    assertInvariants(r, 4);
    const p = personOf(r, ACCUSED, '7');
    assert.equal(p.key, `${ROSTER}:1`, 'person key is the roster anchor');
    assert.deepEqual(keysOf(r, ACCUSED, '7'), sorted([`${ACCUSED}:7`, `${ROSTER}:1`, `${TRR}:3`]));
    assert.deepEqual(r.counts, { mentions: 4, people: 2, linked: 3, unlinked: 1, ambiguous: 0 });
    assert.deepEqual(
      p.evidence.map((e) => e.rule),
      ['birth+appointed+name', 'birth+appointed+name'],
    );
  });

  it('does not link when birth years conflict, even with everything else equal', () => {
    const r = linkOfficers([
      mention(ROSTER, '1', { stars: ['1234'] }),
      mention(ACCUSED, '7', { birthYear: 1971, stars: ['1234'] }),
    ]);
    assertInvariants(r, 2);
    assert.equal(r.people.length, 2);
    assert.equal(r.counts.linked, 0);
    assert.equal(r.counts.unlinked, 2);
  });

  it('does not link on gender conflict, nor on name alone', () => {
    const r = linkOfficers([
      mention(ROSTER, '1', { stars: ['1234'] }),
      mention(ACCUSED, '7', { gender: 'FEMALE', stars: ['1234'] }),
      mention(ACCUSED, '8', { birthYear: null, appointedDate: null }),
    ]);
    assertInvariants(r, 3);
    assert.equal(r.people.length, 3);
  });

  it('marks a mention with two equally good candidates ambiguous and does not merge it', () => {
    // Two roster officers: same name, birth year and appointment date (like the
    // two JAMES BANSLEYs), told apart only by middle initial and star.
    const roster = [
      mention(ROSTER, '886', { lastName: 'BANSLEY', middleInitial: 'A', stars: ['10927'] }),
      mention(ROSTER, '887', { lastName: 'BANSLEY', middleInitial: 'H', stars: ['8791'] }),
    ];
    const r = linkOfficers([
      ...roster,
      mention(ACCUSED, '1', { lastName: 'BANSLEY', middleInitial: null, race: null }),
      mention(ACCUSED, '2', { lastName: 'BANSLEY', middleInitial: 'H' }),
      mention(TRR, '3', { lastName: 'BANSLEY', stars: ['10927'] }),
    ]);
    assertInvariants(r, 5);
    assert.equal(r.ambiguous.length, 1);
    assert.equal(mentionKey(r.ambiguous[0].mention), `${ACCUSED}:1`);
    assert.deepEqual(r.ambiguous[0].candidates, [`${ROSTER}:886`, `${ROSTER}:887`]);
    assert.match(r.ambiguous[0].reason, /tie/);
    assert.deepEqual(keysOf(r, ACCUSED, '1'), sorted([`${ACCUSED}:1`]));
    assert.deepEqual(keysOf(r, ACCUSED, '2'), sorted([`${ACCUSED}:2`, `${ROSTER}:887`]), 'middle initial decides');
    assert.deepEqual(keysOf(r, TRR, '3'), sorted([`${ROSTER}:886`, `${TRR}:3`]), 'star decides');
    assert.deepEqual(r.counts, { mentions: 5, people: 3, linked: 4, unlinked: 0, ambiguous: 1 });
  });

  it('never merges two roster mentions, however similar', () => {
    const r = linkOfficers([mention(ROSTER, '1'), mention(ROSTER, '2')]);
    assert.equal(r.people.length, 2);
  });

  it('handles name variants: spacing, hyphenated names, suffixes, truncation', () => {
    const r = linkOfficers([
      mention(ROSTER, '1', { firstName: 'BRIAN', lastName: 'MC CLUSKEY', middleInitial: 'M' }),
      mention(ACCUSED, '1', { firstName: 'BRIAN', lastName: 'MCCLUSKEY' }),
      mention(ROSTER, '2', { firstName: 'ROBIN', lastName: 'AKINS-GREENE', gender: 'FEMALE', birthYear: 1975 }),
      mention(ACCUSED, '2', { firstName: 'ROBIN', lastName: 'AKINS', gender: 'FEMALE', birthYear: 1975 }),
      mention(ROSTER, '3', { firstName: 'IWAN', lastName: 'SMITH', suffix: 'JR', birthYear: 1995 }),
      mention(ACCUSED, '3', { firstName: 'IWAN', lastName: 'SMITHJR', birthYear: 1995 }),
      mention(ROSTER, '4', { firstName: 'CHRISTOPH', lastName: 'BELL', birthYear: 1978 }),
      mention(TRR, '4', { firstName: 'CHRISTOPHER', lastName: 'BELL', birthYear: 1978 }),
    ]);
    assertInvariants(r, 8);
    for (const id of ['1', '2', '3']) assert.equal(personOf(r, ACCUSED, id).key, `${ROSTER}:${id}`);
    assert.equal(personOf(r, TRR, '4').key, `${ROSTER}:4`);
  });

  it('accepts a first-name typo only with strong corroboration', () => {
    const roster = mention(ROSTER, '1', { firstName: 'JEFFREY', lastName: 'AARON', stars: ['13001'] });
    const noDates = { birthYear: null, appointedDate: null, stars: ['13001'] };
    // typo + birth year + appointed date + last name: linked
    const r1 = linkOfficers([roster, mention(ACCUSED, '1', { firstName: 'JEFFERY', lastName: 'AARON' })]);
    assert.equal(personOf(r1, ACCUSED, '1').key, `${ROSTER}:1`);
    // typo + star + last name, no dates: not enough
    const r2 = linkOfficers([roster, mention(ACCUSED, '2', { firstName: 'JEFFERY', lastName: 'AARON', ...noDates })]);
    assert.equal(personOf(r2, ACCUSED, '2').key, `${ACCUSED}:2`);
    // exact first name + star + last name, no dates: linked
    const r3 = linkOfficers([roster, mention(TRR, '3', { firstName: 'JEFFREY', lastName: 'AARON', ...noDates })]);
    assert.equal(personOf(r3, TRR, '3').key, `${ROSTER}:1`);
    assert.equal(personOf(r3, TRR, '3').evidence[0].rule, 'star+name');
    // a typo with a different birth year: never
    const r4 = linkOfficers([roster, mention(ACCUSED, '4', { firstName: 'JEFFERY', lastName: 'AARON', birthYear: 1969, stars: ['13001'] })]);
    assert.equal(r4.counts.linked, 0);
  });

  it('follows a last-name change only with birth year, appointed date, star and first name', () => {
    const base = { firstName: 'ANGELA', gender: 'FEMALE', birthYear: 1976, appointedDate: '2002-03-25', middleInitial: 'F' };
    const r = linkOfficers([
      mention(ROSTER, '8584', { ...base, lastName: 'KUC', stars: ['13640', '20954'] }),
      mention(TRR, '1611', { ...base, lastName: 'PEREZ', stars: ['13640'] }),
      mention(ACCUSED, '8702', { ...base, lastName: 'OLIFER' }), // no star: not linked
    ]);
    assertInvariants(r, 3);
    assert.equal(personOf(r, TRR, '1611').key, `${ROSTER}:8584`);
    assert.equal(personOf(r, ACCUSED, '8702').key, `${ACCUSED}:8702`);
  });

  it('overrides one soft conflict (re-hire date) only for overwhelming evidence, and not in strict mode', () => {
    const ms = [
      mention(ROSTER, '2637', { firstName: 'AARON', lastName: 'CHATMAN', appointedDate: '2023-01-17', stars: ['1245'] }),
      mention(TRR, '14', { firstName: 'AARON', lastName: 'CHATMAN', appointedDate: '1990-08-27', stars: ['1245'] }),
      mention(ACCUSED, '5', { firstName: 'AARON', lastName: 'CHATMAN', appointedDate: '1990-08-27' }), // no star
      mention(ACCUSED, '6', { firstName: 'AARON', lastName: 'CHATMAN', appointedDate: '1991-01-01', race: 'BLACK', stars: ['1245'] }), // two conflicts
    ];
    const r = linkOfficers(ms);
    assertInvariants(r, 4);
    const p = personOf(r, TRR, '14');
    assert.equal(p.key, `${ROSTER}:2637`);
    assert.deepEqual(p.evidence.find((e) => e.mention === `${TRR}:14`)?.overrode, ['appointed-date']);
    // Once the person is known to have had the 1990 date (TRR is processed before
    // the complaints source), the star-less mention with that date links too.
    assert.equal(personOf(r, ACCUSED, '5').key, `${ROSTER}:2637`);
    assert.equal(personOf(r, ACCUSED, '6').key, `${ACCUSED}:6`);
    const strict = linkOfficers(ms, { strict: true });
    assert.equal(personOf(strict, TRR, '14').key, `${TRR}:14`);
  });

  it('links mentions of an officer missing from the roster across the other files', () => {
    const r = linkOfficers([
      mention(ROSTER, '1', { firstName: 'MARY' }),
      mention(ACCUSED, '1', { firstName: 'BRIAN', lastName: 'MC CLUSKEY', birthYear: 1974, appointedDate: '1998-08-31' }),
      mention(TRR, '9', { firstName: 'BRIAN', lastName: 'MCCLUSKEY', birthYear: 1974, appointedDate: '1998-08-31' }),
    ]);
    assertInvariants(r, 3);
    assert.deepEqual(keysOf(r, TRR, '9'), sorted([`${ACCUSED}:1`, `${TRR}:9`]));
    assert.equal(personOf(r, TRR, '9').key, `${TRR}:9`, 'key: first mention in canonical order');
  });

  it('rejects duplicate source:localId', () => {
    assert.throws(() => linkOfficers([mention(ACCUSED, '1'), mention(ACCUSED, '1')]), /duplicate/);
  });

  it('gives the same result whatever the input order (fast-check shuffles)', () => {
    const ms: OfficerMention[] = [
      mention(ROSTER, '886', { lastName: 'BANSLEY', middleInitial: 'A', stars: ['10927'] }),
      mention(ROSTER, '887', { lastName: 'BANSLEY', middleInitial: 'H', stars: ['8791'] }),
      mention(ACCUSED, '1', { lastName: 'BANSLEY', middleInitial: null, race: null }),
      mention(ACCUSED, '2', { lastName: 'BANSLEY', middleInitial: 'H' }),
      mention(TRR, '3', { lastName: 'BANSLEY', stars: ['10927'] }),
      mention(ROSTER, '10', { firstName: 'BRIAN', lastName: 'MC CLUSKEY', birthYear: 1974 }),
      mention(ACCUSED, '10', { firstName: 'BRIAN', lastName: 'MCCLUSKEY', birthYear: 1974 }),
      mention(ACCUSED, '11', { firstName: 'BRIAN', lastName: 'MCCLUSKEY', birthYear: 1974, race: null }),
      mention(ACCUSED, '20', { firstName: 'EARL', lastName: 'MILLER', birthYear: 1931, appointedDate: '1966-02-28' }),
      mention(TRR, '20', { firstName: 'EARL', lastName: 'MILLER', birthYear: 1931, appointedDate: '1966-02-28' }),
      mention(TRR, '21', { firstName: 'EARL', lastName: 'MILLER', birthYear: null, appointedDate: null }),
      mention(ACCUSED, '30', { firstName: 'JEFFERY', lastName: 'AARON', stars: ['13001'] }),
      mention(ROSTER, '30', { firstName: 'JEFFREY', lastName: 'AARON', stars: ['13001'] }),
      mention(TRR, '31', { firstName: 'JEFFREY', lastName: 'AARON', birthYear: null, appointedDate: null, stars: ['13001'] }),
      mention(ROSTER, '40', { firstName: 'ANGELA', lastName: 'KUC', gender: 'FEMALE', stars: ['13640'] }),
      mention(TRR, '40', { firstName: 'ANGELA', lastName: 'PEREZ', gender: 'FEMALE', stars: ['13640'] }),
      mention(ACCUSED, '40', { firstName: 'ANGELA', lastName: 'OLIFER', gender: 'FEMALE', stars: ['13640'] }),
      mention(ACCUSED, '41', { firstName: 'UNKNOWN', lastName: 'UNKNOWN', birthYear: null, appointedDate: null }),
    ];
    const expected = JSON.stringify(linkOfficers(ms));
    fc.assert(
      fc.property(fc.shuffledSubarray(ms, { minLength: ms.length, maxLength: ms.length }), (shuffled) => {
        assert.equal(JSON.stringify(linkOfficers(shuffled)), expected);
      }),
      { numRuns: 200 },
    );
    const r = linkOfficers(ms);
    assertInvariants(r, ms.length);
    assert.equal(r.ambiguous.length, 1);
  });
});

describe('mentionsFromRows', () => {
  const src = 'complaints-accused_test';
  const idc = `${src}_ID`;
  const row = (over: Record<string, string>) => ({
    first_name: 'BRIAN',
    first_name_NS: 'BRIAN',
    last_name: 'MC CLUSKEY',
    last_name_NS: 'MCCLUSKEY',
    middle_initial: 'M',
    suffix_name: '',
    birth_year: '1974.0',
    appointed_date: '2001-08-28',
    race: 'WHITE',
    gender: 'MALE',
    star: '',
    [idc]: '1',
    ...over,
  });

  it('collapses rows into one mention per local id, merging stars and taking the most common value', () => {
    const ms = mentionsFromRows(src, [
      row({ star: '20653.0' }),
      row({ star: '2125.0', race: 'HISPANIC' }),
      row({ star: '2125.0' }),
      row({ [idc]: '2', first_name: 'UNKNOWN', first_name_NS: 'UNKNOWN', last_name: 'UNKNOWN', last_name_NS: 'UNKNOWN' }),
    ]);
    assert.equal(ms.length, 1, 'placeholder id dropped');
    assert.deepEqual(ms[0], {
      source: src,
      localId: '1',
      firstName: 'BRIAN',
      lastName: 'MC CLUSKEY',
      middleInitial: 'M',
      suffix: null,
      birthYear: 1974,
      appointedDate: '2001-08-28',
      stars: ['2125', '20653'],
      race: 'WHITE',
      gender: 'MALE',
    });
  });

  it('uses only names and dates from continuation rows (blank raw names), whose other fields are filled down', () => {
    const ms = mentionsFromRows(
      src,
      [row({ [idc]: '5', first_name: '', last_name: '', middle_initial: 'L', suffix_name: 'JR', star: '18510.0', race: '', gender: '' })],
      { fixAppointedDate: undoNonLeap2000Shift },
    );
    assert.equal(ms.length, 1);
    assert.equal(ms[0].firstName, 'BRIAN');
    assert.equal(ms[0].lastName, 'MCCLUSKEY');
    assert.equal(ms[0].middleInitial, null);
    assert.equal(ms[0].suffix, null);
    assert.deepEqual(ms[0].stars, []);
    assert.equal(ms[0].appointedDate, '2001-08-27', 'date fix applied');
  });
});

describe('real CPDP data (Invisible Institute, Chicago)', () => {
  it('links the roster, both accused files and the TRR officers', async (t) => {
    const dir = new URL('../../../../shared/data/chicago_cpdp/', import.meta.url);
    const t0 = performance.now();
    const { mentions, stats } = await readCpdpOfficers(dir); // throws (test fails) if a file is missing
    const t1 = performance.now();
    const r = linkOfficers(mentions);
    const t2 = performance.now();
    t.diagnostic(`read ${Math.round(t1 - t0)} ms, link ${Math.round(t2 - t1)} ms`);
    t.diagnostic(JSON.stringify(stats));
    t.diagnostic(JSON.stringify(r.counts));
    t.diagnostic(JSON.stringify(r.bySource));

    const ROSTER_F = 'roster_1969-2023_2023-07_p858785';
    const ACC8 = 'complaints-accused_2000-2023_2023-08_p053540';
    const ACC9 = 'complaints-accused_2000-2023_2023-09_p867849';
    const TRR_F = 'TRR-officers_2020-2021_2021-06_p660692';
    assert.deepEqual(
      stats.map((s) => [s.source, s.rows]),
      [
        [ROSTER_F, 17901],
        [ACC8, 99961],
        [ACC9, 40529],
        [TRR_F, 15926],
      ],
    );
    assert.equal(stats[0].mentions, 17901, 'roster: one mention per row');
    assertInvariants(r, mentions.length);
    assert.ok(t2 - t1 < 15_000, 'linking takes seconds, not minutes');

    // Most accused / TRR mentions with a real name and dates join a roster person or another file.
    const rosterPerson = new Map<string, boolean>();
    const sourcesOf = new Map<string, Set<string>>();
    for (const p of r.people) {
      const hasRoster = p.mentions.some((m) => m.source === ROSTER_F);
      const sources = new Set(p.mentions.map((m) => m.source));
      for (const m of p.mentions) {
        rosterPerson.set(mentionKey(m), hasRoster);
        sourcesOf.set(mentionKey(m), sources);
      }
    }
    for (const [source, minToRoster, minLinked] of [
      [ACC8, 0.75, 0.8],
      [ACC9, 0.85, 0.9],
      [TRR_F, 0.95, 0.98],
    ] as const) {
      const dated = mentions.filter((m) => m.source === source && m.birthYear != null && m.appointedDate != null);
      const toRoster = dated.filter((m) => rosterPerson.get(mentionKey(m))).length / dated.length;
      const linked = dated.filter((m) => sourcesOf.get(mentionKey(m))!.size > 1).length / dated.length;
      t.diagnostic(`${source}: ${dated.length} dated mentions, ${(toRoster * 100).toFixed(1)}% to a roster person, ${(linked * 100).toFixed(1)}% linked`);
      assert.ok(toRoster >= minToRoster, `${source}: only ${toRoster} joined a roster person`);
      assert.ok(linked >= minLinked, `${source}: only ${linked} linked`);
    }
    // Roster people never merge with each other.
    for (const p of r.people) assert.ok(p.mentions.filter((m) => m.source === ROSTER_F).length <= 1);

    // Ambiguity is rare but reported.
    assert.ok(r.counts.ambiguous >= 1 && r.counts.ambiguous < 100, `ambiguous: ${r.counts.ambiguous}`);

    // Hand-checked officers (verified with zcat | grep against the source files).
    const key = (s: string, id: string) => `${s}:${id}`;
    const same = (ids: [string, string][]) => {
      const want = ids.map(([s, id]) => key(s, id)).sort();
      assert.deepEqual(
        keysOf(r, ids[0][0], ids[0][1]).filter((k) => want.includes(k)),
        want,
        `${want.join(' + ')} should be one person`,
      );
      assert.equal(personOf(r, ids[0][0], ids[0][1]).key, want.find((k) => k.startsWith(ROSTER_F)));
    };
    // 1. JERMAINE L MC BETH, b. 1972, appointed 1995-12-04, star 19534: "MC BETH" in
    //    roster / p053540 / TRR, "MCBETH" in p867849.
    same([
      [ROSTER_F, '10026'],
      [ACC8, '1235'],
      [ACC9, '7171'],
      [TRR_F, '1578'],
    ]);
    // 2. JAMES A BANSLEY (star 10927) vs JAMES H BANSLEY (star 8791): same name, born
    //    1983, both appointed 2009-12-16 — two people, never merged.
    same([
      [ROSTER_F, '886'],
      [ACC8, '10003'],
      [ACC9, '15202'],
      [TRR_F, '500'],
    ]);
    same([
      [ROSTER_F, '887'],
      [ACC8, '9702'],
      [ACC9, '13630'],
      [TRR_F, '489'],
    ]);
    // ... and the p867849 continuation rows for a JAMES BANSLEY (no trusted star or
    // middle initial) are ambiguous between the two.
    for (const id of ['13631', '15203']) {
      const a = r.ambiguous.find((x) => x.mention.source === ACC9 && x.mention.localId === id);
      assert.ok(a, `p867849 ${id} should be ambiguous`);
      assert.deepEqual(a.candidates, [key(ROSTER_F, '886'), key(ROSTER_F, '887')]);
    }
    // 3. LEIGHA M WILSON, b. 1966, star 16410: appointed 2022-03-01 in roster and
    //    p053540; p867849 says 2022-03-02 (its post-Feb-2000 one-day shift).
    same([
      [ROSTER_F, '17435'],
      [ACC8, '4091'],
      [ACC9, '162'],
    ]);
    // 4. ANGELA F KUC, b. 1976, appointed 2002-03-25, star 13640: "PEREZ" in TRR,
    //    "OLIFER" and "KUC" in p053540 (last-name changes).
    same([
      [ROSTER_F, '8584'],
      [ACC8, '14105'],
      [ACC8, '8702'],
      [TRR_F, '1611'],
    ]);
    // 5. AARON D CHATMAN, b. 1966, star 1245: re-hired — TRR has the 1990-08-27
    //    appointment, the roster and complaints the 2023-01-17 one.
    same([
      [ROSTER_F, '2637'],
      [ACC8, '4593'],
      [ACC9, '2614'],
      [TRR_F, '14'],
    ]);

    // Deterministic: reversing the input changes nothing.
    assert.equal(JSON.stringify(linkOfficers([...mentions].reverse())), JSON.stringify(r));
  });
});
