import { z } from "zod";
import { appendAudit } from "../../audit/service.js";
import type { Db } from "../../db/db.js";
import { HttpError } from "../../web/errors.js";
import { refreshDerivedFor } from "../derived-repo.js";
import * as repo from "./admin-repo.js";
import { textInput } from "../../web/validate.js";

export const mergeSchema = z.object({
  into: z.string().uuid("must be the id of the person to merge into"),
  reason: textInput().trim().min(3, "say why, for the audit log").max(1000),
});

export const splitSchema = z.object({
  mentions: z.array(z.string().uuid()).min(1, "choose at least one source mention to split off"),
  reason: textInput().trim().min(3, "say why, for the audit log").max(1000),
});

const conflict = (detail: string) => new HttpError(409, "error.badRequest", detail);

/**
 * Merges one person into another: every row naming `fromId` moves to `intoId`,
 * and `fromId` becomes a pointer to it. Recorded in the audit log with the reason.
 */
export async function mergePeople(db: Db, actor: string, fromId: string, input: z.infer<typeof mergeSchema>) {
  const { into, reason } = mergeSchema.parse(input);
  if (into === fromId) throw conflict("a person cannot be merged into themself");
  return db.transaction(async (tx) => {
    const people = await repo.lockPeople(tx, [fromId, into]);
    if (people.length !== 2) throw conflict("both people must exist");
    if (people.some((person) => person.merged_into)) throw conflict("one of these people was already merged into another");
    const moved = await repo.moveAllRows(tx, fromId, into);
    await refreshDerivedFor(tx, [fromId, into]);
    await appendAudit(tx, { actor, action: "person.merge", entity: "person", entityId: into, data: { from: fromId, into, reason, moved } });
    return { into, moved };
  });
}

/**
 * Splits the chosen source mentions off into a new person, taking the rows that
 * came through them. At least one mention must stay behind.
 */
export async function splitPerson(db: Db, actor: string, personId: string, input: z.infer<typeof splitSchema>) {
  const { mentions, reason } = splitSchema.parse(input);
  return db.transaction(async (tx) => {
    const [person] = await repo.lockPeople(tx, [personId]);
    if (!person || person.merged_into) throw conflict("the person does not exist or was merged");
    const owned = await repo.mentionsOwnedBy(tx, personId);
    const chosen = owned.filter((mention) => mentions.includes(mention.id));
    if (chosen.length !== new Set(mentions).size) throw conflict("every mention to split off must belong to this person");
    if (chosen.length === owned.length) throw conflict("at least one mention must stay with the person");
    const first = chosen[0].attributes as { firstName?: string; lastName?: string; middleInitial?: string | null };
    const names = namesFrom(first, person.full_name);
    const newId = await repo.copyPerson(tx, personId, names);
    const moved = await repo.moveMentions(tx, chosen.map((mention) => mention.id), newId);
    await refreshDerivedFor(tx, [personId, newId]);
    await appendAudit(tx, { actor, action: "person.split", entity: "person", entityId: personId, data: { from: personId, newPerson: newId, mentions: chosen.map((m) => `${m.source}:${m.local_id}`), reason, moved } });
    return { newPerson: newId, moved };
  });
}

function namesFrom(attributes: { firstName?: string; lastName?: string; middleInitial?: string | null }, fallback: string) {
  const first = attributes.firstName ?? fallback.split(" ")[0];
  const last = attributes.lastName ?? fallback.split(" ").slice(-1)[0];
  const middle = attributes.middleInitial ?? null;
  const full = [first, middle, last].filter(Boolean).join(" ").toLowerCase().replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
  return { first, last, middle, full };
}
