import { randomUUID } from "node:crypto";
import { linkOfficers, type LinkResult, type OfficerMention } from "../../identity/matcher.js";
import { collectCpdpMentions } from "../../identity/read-cpdp-officers.js";
import type { RunContext } from "../format.js";
import type { SourceFile } from "../source.js";
import { LINK_RULE_PREFIX, type StoredMention } from "./repo.js";

export interface IdentityOutcome {
  /** `${source}:${localId}` → person and mention ids, for every mention old and new. */
  personByMention: Map<string, { personId: string; mentionId: string }>;
  counts: LinkResult["counts"];
  bySource: LinkResult["bySource"];
  ambiguous: { mention: string; candidates: string[] }[];
  newPeople: number;
  /** Groups the matcher would join across people already stored: left apart for an admin to merge. */
  heldApart: number;
}

const mentionKey = (source: string, localId: string) => `${source}:${localId}`;

/** A file's officer mentions, one per file-local id, read ahead of the file's turn. */
export interface FileMentions {
  source: SourceFile;
  stem: string;
  mentions: OfficerMention[];
}

/** Reads a file's officers ahead of its turn (the runner replays its rows then); `onRow` sees every row too. */
export async function readMentions(source: SourceFile, stem: string, ctx: RunContext, onRow?: (row: Record<string, string | undefined>) => void): Promise<FileMentions> {
  const { mentions } = await collectCpdpMentions(ctx.readAhead(source), stem, onRow);
  return { source, stem, mentions };
}

/**
 * Links the officers in the new files to each other and to people already
 * stored (read before any row is loaded, so linking never waits on a load), then stages new people and every new mention (with the rule that
 * linked it). Stored people are never merged here: the matcher proposing to
 * join two of them is counted and left for an admin.
 */
export function linkIdentities(files: FileMentions[], stored: StoredMention[], ctx: RunContext, agencyId: string): IdentityOutcome {
  const shaByStem = new Map(files.map((file) => [file.stem, file.source.sha256]));
  const storedPerson = new Map(stored.map((row) => [mentionKey(row.source, row.local_id), row.person_id]));
  const personByMention = new Map(stored.map((row) => [mentionKey(row.source, row.local_id), { personId: row.person_id, mentionId: row.id }]));
  const fresh = files.flatMap((file) => file.mentions.filter((mention) => !storedPerson.has(mentionKey(mention.source, mention.localId))));
  const result = linkOfficers([...stored.map((row) => row.attributes), ...fresh]);
  const ambiguousKeys = new Set(result.ambiguous.map((entry) => mentionKey(entry.mention.source, entry.mention.localId)));
  let newPeople = 0;
  let heldApart = 0;
  for (const person of result.people) {
    const storedIds = [...new Set(person.mentions.map((m) => storedPerson.get(mentionKey(m.source, m.localId))).filter((id): id is string => !!id))].sort();
    if (storedIds.length > 1) heldApart += 1;
    const rules = new Map(person.evidence.map((evidence) => [evidence.mention, evidence.rule]));
    const newMentionIds = new Map(person.mentions.filter((m) => !storedPerson.has(mentionKey(m.source, m.localId))).map((m) => [m, randomUUID()]));
    let personId = storedIds[0];
    if (!personId) {
      personId = stagePerson(ctx, person.mentions, agencyId, shaByStem, newMentionIds);
      newPeople += 1;
    }
    for (const [mention, mentionId] of newMentionIds) {
      const key = mentionKey(mention.source, mention.localId);
      const rule = ambiguousKeys.has(key) ? "ambiguous" : (rules.get(key) ?? "anchor");
      ctx.sink.add("person_mentions", { id: mentionId, person_id: personId, source: mention.source, local_id: mention.localId, attributes: mention, link_rule: LINK_RULE_PREFIX + rule });
      personByMention.set(key, { personId, mentionId });
    }
  }
  ctx.sink.commitRow();
  return {
    personByMention,
    counts: result.counts,
    bySource: result.bySource,
    ambiguous: result.ambiguous.map((entry) => ({ mention: mentionKey(entry.mention.source, entry.mention.localId), candidates: entry.candidates })),
    newPeople,
    heldApart,
  };
}

/**
 * A new person from their mentions: the roster's values when there is one. People
 * not on the roster get an employment spell from their appointed date, since the
 * roster rows (which carry rank, unit and resignation) will not.
 */
function stagePerson(ctx: RunContext, mentions: OfficerMention[], agencyId: string, shaByStem: Map<string, string>, mentionIds: Map<OfficerMention, string>): string {
  const best = mentions.find((m) => m.source.startsWith("roster")) ?? mentions[0];
  const middle = best.middleInitial;
  const fullName = [best.firstName, middle, best.lastName, best.suffix].filter(Boolean).join(" ");
  const personId = ctx.sink.add("people", {
    first_name: best.firstName, middle_name: middle, last_name: best.lastName, suffix: best.suffix, full_name: titleCase(fullName),
    birth_year: best.birthYear, race: best.race, gender: best.gender,
  });
  if (!mentions.some((m) => m.source.startsWith("roster"))) {
    const stars = [...new Set(mentions.flatMap((m) => m.stars))];
    ctx.sink.add("employment", { person_id: personId, mention_id: mentionIds.get(best) ?? null, agency_id: agencyId, badge: stars[0] ?? null, start_date: best.appointedDate, source_sha256: shaByStem.get(best.source) ?? null, source_row: null });
  }
  return personId;
}

/** "JERMAINE L MC BETH" → "Jermaine L Mc Beth": easier to read, still searchable. */
function titleCase(name: string): string {
  return name.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}
