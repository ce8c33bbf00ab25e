import { appendAudit } from "../audit/service.js";
import type { Db, Queryable } from "../db/db.js";
import {
  KC_BOARD, KC_COALITION, KC_DEMAND_LISTS, KC_INITIAL_STATUS, KC_MEETINGS, KC_ORGANIZATIONS, KC_PROMISE, KC_SOURCES, KC_TARGETS,
} from "./kansas-city.js";
import { insertEvent } from "./demands-repo.js";
import { insertMeeting } from "./meetings-repo.js";
import { countCampaignRows, ensureRow, lockSeed, type SeedTable } from "./seed-repo.js";

export interface SeedReport {
  /** Rows added per table; all zero when the facts were already there. */
  added: Record<string, number>;
  /** Row counts of the campaign tables after the seed. */
  totals: Record<string, number>;
}

export const SEED_ACTOR = "seed:kansas-city";

/**
 * Loads the Kansas City facts (../shared/DOMAIN.md): the coalition and its seven
 * organizations, the 14 demands and the petition's demands with the officials and
 * bodies they are tracked against, the Board of Police Commissioners with five
 * seats, the promise of monthly meetings and the meetings of 2021-04-21.
 *
 * Idempotent and additive: in one transaction it adds only the rows that are
 * missing, never changes an existing one (a status recorded since survives), and
 * writes one audit entry only when it added something.
 */
export async function seedKansasCity(db: Db): Promise<SeedReport> {
  return db.transaction(async (tx) => {
    await lockSeed(tx, "kansas-city");
    const added: Record<string, number> = {};
    const ensure = async (table: SeedTable, values: Record<string, unknown>) => {
      const result = await ensureRow(tx, table, values);
      if (result.inserted) added[table] = (added[table] ?? 0) + 1;
      return result.id!;
    };

    const sources = new Map<string, string>();
    for (const source of KC_SOURCES) sources.set(source.slug, await ensure("campaign_sources", { slug: source.slug, title: source.title, dated: source.dated, note: source.note }));

    const coalitionId = await ensure("campaign_coalitions", { slug: KC_COALITION.slug, name: KC_COALITION.name.en, name_es: KC_COALITION.name.es, city: KC_COALITION.city, note_en: KC_COALITION.note.en, note_es: KC_COALITION.note.es });
    for (const [index, org] of KC_ORGANIZATIONS.entries()) {
      const orgId = await ensure("campaign_organizations", { slug: org.slug, name: org.name, abbreviation: org.abbreviation });
      await ensureRow(tx, "campaign_coalition_members", { coalition_id: coalitionId, organization_id: orgId, position: index + 1 }).then((r) => {
        if (r.inserted) added.campaign_coalition_members = (added.campaign_coalition_members ?? 0) + 1;
      });
    }

    const targets = new Map<string, string>();
    for (const [index, target] of KC_TARGETS.entries()) {
      targets.set(target.slug, await ensure("campaign_targets", {
        slug: target.slug, kind: target.kind, title_en: target.title.en, title_es: target.title.es, holder: target.holder,
        note_en: target.note.en || null, note_es: target.note.es || null, position: index + 1,
      }));
    }

    for (const [index, list] of KC_DEMAND_LISTS.entries()) {
      const listId = await ensure("campaign_demand_lists", {
        slug: list.slug, title_en: list.title.en, title_es: list.title.es, coalition_id: list.coalition ? coalitionId : null,
        source_id: sources.get(list.source), issued_on: list.issuedOn, began: list.began, position: index + 1,
      });
      for (const demand of list.demands) {
        const slug = list.demandSlug(demand.number);
        const demandId = await ensure("campaign_demands", {
          list_id: listId, number: demand.number, slug, text_en: demand.text.en, text_es: demand.text.es, text_es_translated: true,
          priority_note_en: demand.priority?.en ?? null, priority_note_es: demand.priority?.es ?? null,
        });
        for (const link of demand.targets) {
          const targetId = targets.get(link.target)!;
          const cell = await ensureRow(tx, "campaign_demand_targets", {
            demand_id: demandId, target_id: targetId, status: KC_INITIAL_STATUS, status_since: list.issuedOn, basis: link.basis, basis_note: link.note.en, basis_note_es: link.note.es,
          });
          if (cell.inserted) added.campaign_demand_targets = (added.campaign_demand_targets ?? 0) + 1;
          // The demand's first event: when it was made, and in which document. Unknown date, no event.
          if (list.issuedOn && (await insertEvent(tx, {
            key: `${SEED_ACTOR}:${slug}:${link.target}:demanded`, demandId, targetId, kind: "demanded", occurredOn: list.issuedOn,
            statusFrom: null, statusTo: KC_INITIAL_STATUS, summary: `Demanded in ${KC_SOURCES.find((s) => s.slug === list.source)!.title}.`, summaryLang: "en",
            sourceId: sources.get(list.source), recordedBy: SEED_ACTOR,
          }))) added.campaign_events = (added.campaign_events ?? 0) + 1;
        }
      }
    }

    const bodyId = await ensure("campaign_bodies", {
      slug: KC_BOARD.slug, name_en: KC_BOARD.name.en, name_es: KC_BOARD.name.es, seats: KC_BOARD.seats, quorum: null,
      target_id: targets.get(KC_BOARD.target), note_en: KC_BOARD.note.en, note_es: KC_BOARD.note.es,
    });
    for (const seat of KC_BOARD.seatList) {
      await ensure("campaign_seats", {
        body_id: bodyId, position: seat.position, label_en: seat.label.en, label_es: seat.label.es, holder: seat.holder,
        target_id: seat.target ? targets.get(seat.target) : null, note_en: seat.note.en, note_es: seat.note.es,
      });
    }

    const promiseId = await ensure("campaign_promises", {
      slug: KC_PROMISE.slug, title_en: KC_PROMISE.title.en, title_es: KC_PROMISE.title.es, per_month: KC_PROMISE.perMonth,
      since_month: KC_PROMISE.sinceMonth, until_month: KC_PROMISE.untilMonth, basis: KC_PROMISE.basis, basis_note: KC_PROMISE.basisNote.en, basis_note_es: KC_PROMISE.basisNote.es,
      source_id: sources.get("kc-domain"),
    });

    for (const meeting of KC_MEETINGS) {
      const id = await insertMeeting(tx, {
        key: meeting.key, titleEn: meeting.title.en, titleEs: meeting.title.es, kind: meeting.kind, format: meeting.format, heldOn: meeting.heldOn,
        status: meeting.status, byCoalitionId: meeting.byCoalition ? coalitionId : null, promiseId: meeting.promise ? promiseId : null,
        ledByCoalitionId: meeting.ledByCoalition ? coalitionId : null, participantsMin: meeting.participantsMin,
        noteEn: meeting.note.en, noteEs: meeting.note.es, basis: meeting.basis, basisNote: meeting.basisNote?.en ?? null, basisNoteEs: meeting.basisNote?.es ?? null, recordedBy: SEED_ACTOR,
      });
      if (id) added.campaign_meetings = (added.campaign_meetings ?? 0) + 1;
    }

    if (Object.keys(added).length) {
      await appendAudit(tx, { actor: SEED_ACTOR, action: "campaign.seed", entity: "campaign", entityId: "kansas-city", data: { added } });
    }
    return { added, totals: await countCampaignRows(tx as Queryable) };
  });
}
