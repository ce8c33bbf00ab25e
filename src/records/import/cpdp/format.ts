import type { ImportFormat, RunContext } from "../format.js";
import { RowError } from "../errors.js";
import type { SourceFile } from "../source.js";
import { linkIdentities, readMentions, type FileMentions, type IdentityOutcome } from "./identity.js";
import { ACCUSED_KINDS, kindOf, kindOrder, OFFICER_KINDS, officerIdColumn, readHeader, stemOf, type CpdpKind } from "./kinds.js";
import { existingComplaints, existingIncidents, existingMentions, refreshComplaintSearchText, type StoredMention } from "./repo.js";
import { allegationCategory, rowHandler, stageUnpairedPenaltyRows, TRR_SOURCE_KIND, type CpdpState } from "./rows.js";

export const CPD_AGENCY = { slug: "chicago-pd", name: "Chicago Police Department", city: "Chicago", state: "IL" } as const;

/**
 * The Invisible Institute's Chicago exports (Citizens Police Data Project): the
 * roster, complaints, accused officers in both schemas, complainants (kept as
 * aggregate demographics only) and use-of-force reports. Officers are linked
 * across files before any row that names one is written.
 *
 * The use-of-force reports are written first, while the accused files are read:
 * their categories go into each complaint's search text. The complaint files are
 * written next, and while they load the remaining officer files are read and
 * every officer linked (see kindOrder).
 */
export function cpdpFormat(): ImportFormat {
  const kinds = new Map<string, CpdpKind>();
  let state: CpdpState | null = null;
  let identity: IdentityOutcome | null = null;
  const officersRead: FileMentions[] = [];
  let officerFiles: SourceFile[] = [];
  let storedMentions: StoredMention[] = [];
  let accusedRead = false;

  /** Reads the accused files once, keeping their officers for linking and their categories for the complaints. */
  const readAccused = async (ctx: RunContext) => {
    if (accusedRead) return;
    accusedRead = true;
    const gatherCategory = (row: Record<string, string | undefined>) => {
      const crId = row.cr_id?.trim();
      const category = crId ? allegationCategory(row) : null;
      if (!crId || !category) return;
      let categories = state!.categoriesByCr.get(crId);
      if (!categories) state!.categoriesByCr.set(crId, (categories = new Set()));
      categories.add(category);
    };
    for (const source of officerFiles.filter((file) => ACCUSED_KINDS.has(kinds.get(file.sha256)!))) {
      officersRead.push(await readMentions(source, stemOf(source), ctx, gatherCategory));
    }
  };

  /** Reads the officer files not read yet, links everyone, and lets the rows find their people. */
  const link = async (ctx: RunContext) => {
    for (const source of officerFiles) {
      if (!officersRead.some((read) => read.source === source)) officersRead.push(await readMentions(source, stemOf(source), ctx));
    }
    identity = linkIdentities(officersRead, storedMentions, ctx, state!.agencyId);
    state!.personByMention = identity.personByMention;
    storedMentions = [];
  };

  return {
    name: "cpdp",

    async prepare(files: SourceFile[], ctx: RunContext) {
      for (const file of files) {
        const kind = kindOf(await readHeader(file));
        if (!kind) throw new RowError(null, `${file.name}: not a CPDP file this importer knows (its columns match none of ${["roster", "complaints", "accused", "complainants", "TRR"].join(", ")})`);
        kinds.set(file.sha256, kind);
      }
      const agencyId = await ctx.sink.agency(CPD_AGENCY.slug, CPD_AGENCY.name, CPD_AGENCY.city, CPD_AGENCY.state);
      storedMentions = await existingMentions(ctx.tx);
      officerFiles = files.filter((file) => OFFICER_KINDS.has(kinds.get(file.sha256)!));
      state = {
        agencyId,
        personByMention: new Map(),
        categoriesByCr: new Map(),
        complaints: new Map([...(await existingComplaints(ctx.tx, agencyId))].map(([crId, complaint]) => [crId, { ...complaint, earlier: true }])),
        earlierComplaintsWithNewAllegations: new Set(),
        incidents: await existingIncidents(ctx.tx, TRR_SOURCE_KIND),
        heldPenaltyRows: bothAccusedSchemas(kinds) ? new Map() : null,
        counters: { allegationsMergedAcrossAccusedFiles: 0, complaintsRepeated: 0, stubComplaints: 0, complainantsWithoutComplaint: 0, stubIncidents: 0, unidentifiedOfficers: 0 },
      };
    },

    order(files) {
      return [...files].sort((a, b) => kindOrder(kinds.get(a.sha256)!) - kindOrder(kinds.get(b.sha256)!) || a.name.localeCompare(b.name));
    },

    async beforeFile(file, ctx) {
      const kind = kinds.get(file.sha256)!;
      if (kind !== "trr-main") await readAccused(ctx);
      if (!identity && OFFICER_KINDS.has(kind)) await link(ctx);
    },

    openFile(file, header, ctx) {
      const kind = kinds.get(file.sha256);
      if (!kind || !state) throw new RowError(null, "the file was not prepared");
      return rowHandler(kind, stemOf(file), OFFICER_KINDS.has(kind) ? officerIdColumn(header) : null, ctx, state);
    },

    async finish(ctx) {
      // A run without officer files still reports how the stored officers link.
      if (!identity && state) await link(ctx);
      if (state) stageUnpairedPenaltyRows(ctx, state);
      await ctx.sink.flush();
      await refreshComplaintSearchText(ctx.tx, [...(state?.earlierComplaintsWithNewAllegations ?? [])]);
      const linked = identity as IdentityOutcome | null;
      return {
        identityLinking: linked && {
          ...linked.counts,
          newPeople: linked.newPeople,
          heldApartForReview: linked.heldApart,
          ambiguousMentions: linked.ambiguous,
          bySource: linked.bySource,
        },
        ...state?.counters,
      };
    },
  };
}

/** When both accused schemas arrive together, each allegation they share is written once. */
function bothAccusedSchemas(kinds: Map<string, CpdpKind>): boolean {
  const present = new Set(kinds.values());
  return present.has("accused-recommended") && present.has("accused-penalty");
}
