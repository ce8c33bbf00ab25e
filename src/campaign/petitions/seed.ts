/**
 * The Kansas City petition ("Demand the Resignation of Kansas City Police Chief
 * Smith", goal 7,500) as ../shared/DOMAIN.md states it, for `oversight seed
 * kansas-city` and the demo. Its facts come from the campaign's
 * KANSAS_CITY_PETITION; what the sources do not say is marked as ours.
 */
import type { Db } from "../../db/db.js";
import { KANSAS_CITY_PETITION } from "../service.js";
import * as repo from "./repo.js";
import { createPetition } from "./service.js";

export const KC_PETITION_SLUG = KANSAS_CITY_PETITION.slug;
const SEED_ACTOR = "seed:kansas-city";

/**
 * Adds the petition if it is missing; never changes an existing one (its
 * signatures and any edits survive). It opens when it is seeded: its real dates
 * are not recorded, and the page says so.
 */
export async function seedKansasCityPetition(db: Db, options: { now?: Date } = {}): Promise<{ id: string; created: boolean }> {
  const existing = await repo.findPetition(db, KANSAS_CITY_PETITION.slug);
  if (existing) return { id: existing.id, created: false };
  const kc = KANSAS_CITY_PETITION;
  const opensAt = (options.now ?? new Date()).toISOString();
  const sponsors = kc.citedStatementBy.map((name, i) => ({ name, organizationSlug: kc.citedStatementOrganizationSlugs[i] ?? null }));
  const id = await createPetition(db, {
    slug: kc.slug,
    titleEn: kc.title.en,
    titleEs: kc.title.es,
    textEn: `${kc.summary.en}\n\nThis is Oversight's summary: the petition's full text is not recorded here. Its opening and closing dates are not recorded either; it opened for signatures here when the Kansas City facts were loaded.`,
    textEs: `${kc.summary.es}\n\nEste es un resumen de Oversight: el texto completo de la petición no consta aquí. Tampoco constan sus fechas de apertura y cierre; se abrió a firmas aquí cuando se cargaron los datos de Kansas City.`,
    textEsTranslated: true,
    targetEn: "Chief of Police Rick Smith",
    targetEs: "El jefe de policía Rick Smith",
    targetEmail: "",
    targetBasis: kc.target.basis,
    targetNoteEn: "The sources do not say who the petition is addressed to; the chief is our reading of its title. No address is on file for threshold notices.",
    targetNoteEs: "Las fuentes no dicen a quién se dirige la petición; el jefe es nuestra lectura de su título. No hay dirección registrada para los avisos de umbral.",
    goal: kc.goal,
    opensAt,
    closesAt: kc.closesOn,
    sponsors,
    points: kc.demands.map((d) => ({ en: d.text.en, es: d.text.es, demandSlug: d.slug })),
    thresholds: [{ signatures: kc.goal, labelEn: "The goal of 7,500 verified signatures is reached.", labelEs: "Se alcanza la meta de 7,500 firmas verificadas." }],
  }, SEED_ACTOR);
  return { id, created: true };
}
