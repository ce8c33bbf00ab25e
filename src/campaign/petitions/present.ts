/**
 * The one place that decides which petition fields leave the server. Public
 * output is a whitelist: counts (verified and pending only), the petition's own
 * text, and nothing about any signer; listed signers are shaped by
 * presentSigner (name and ZIP, only for those who agreed).
 */
import type { PetitionRow, PetitionWithTally, PublicSignerRow } from "./repo.js";
import { petitionState, toIso, type PetitionDetail } from "./service.js";

export function presentPetitionSummary(p: PetitionWithTally, now = Date.now()) {
  return {
    id: p.id,
    slug: p.slug,
    title: { en: p.title_en, es: p.title_es },
    target: { en: p.target_en, es: p.target_es, basis: p.target_basis },
    goal: Number(p.goal),
    opensAt: toIso(p.opens_at),
    closesAt: p.closes_at ? toIso(p.closes_at) : null,
    state: petitionState(p, now),
    counts: presentCounts(p),
    url: `/petitions/${p.slug}`,
    api: `/api/v1/petitions/${p.id}`,
  };
}

/** The public counts: verified (online confirmed and paper) and pending (waiting for email confirmation). */
export function presentCounts(p: Pick<PetitionWithTally, "verified" | "pending">) {
  return { verified: Number(p.verified), pending: Number(p.pending) };
}

export function presentPetitionDetail(detail: PetitionDetail, now = Date.now()) {
  const p = detail.petition;
  return {
    ...presentPetitionSummary(p, now),
    text: { en: p.text_en, es: p.text_es, esIsTranslation: p.text_es_translated },
    targetNote: p.target_note_en || p.target_note_es ? { en: p.target_note_en, es: p.target_note_es } : null,
    sponsors: detail.sponsors.map((s) => ({ name: s.name, organization: s.organization_slug })),
    demands: detail.points.map((point) => ({
      number: point.number,
      text: { en: point.text_en, es: point.text_es },
      tracked: point.demand_slug && detail.trackedDemands.has(point.demand_slug) ? `/campaign/demands/${point.demand_slug}` : null,
    })),
    thresholds: detail.thresholds.map((t) => ({ signatures: t.signatures, label: { en: t.label_en, es: t.label_es }, reachedAt: t.reached_at ? toIso(t.reached_at) : null })),
    signerDataDeletedAt: p.anonymised_at ? toIso(p.anonymised_at) : null,
    live: `/petitions/${p.slug}/live`,
    signers: `/petitions/${p.slug}/signers`,
  };
}

export function presentSigner(row: PublicSignerRow) {
  return { name: row.name, zip: row.zip, confirmedAt: toIso(row.verified_at) };
}

export type PetitionSummary = ReturnType<typeof presentPetitionSummary>;
export type PetitionView = ReturnType<typeof presentPetitionDetail>;
export type { PetitionRow };
