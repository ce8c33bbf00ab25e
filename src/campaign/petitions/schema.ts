/** The petitions' inputs, validated at the edge; types come from these schemas. */
import { z } from "zod";
import { normalizeEmail, normalizeZip } from "./normalize.js";
import { textInput } from "../../web/validate.js";

const CONTROL = /[\u0000-\u001f\u007f]/;
const singleLine = (max: number) =>
  textInput().trim().min(1, { error: "is required" }).max(max, { error: `must be at most ${max} characters` }).refine((v) => !CONTROL.test(v), { error: "must be one line of text" });
const checkbox = z.preprocess((v) => v === "1" || v === "on" || v === "true" || v === true || v === "yes", z.boolean());

/** The signing form. Field names are the form's. */
export const signFormSchema = z.object({
  name: singleLine(100),
  email: textInput().trim().max(254, { error: "must be at most 254 characters" }).pipe(z.email({ error: "must be one email address" }))
    .refine((v) => normalizeEmail(v) !== null, { error: "must be one email address" }),
  zip: z.string().transform((v, ctx) => {
    const zip = normalizeZip(v);
    if (!zip) ctx.addIssue({ code: "custom", message: "must be a 5-digit ZIP code" });
    return zip ?? "";
  }),
  show_publicly: checkbox,
});
export type SignForm = z.infer<typeof signFormSchema>;

export const SIGN_FIELDS = ["name", "email", "zip"] as const;
export type SignField = (typeof SIGN_FIELDS)[number];

/** Which form fields are wrong (the views word them per language). */
export function signFormErrors(error: z.ZodError): SignField[] {
  const fields = new Set<SignField>();
  for (const issue of error.issues) {
    const field = issue.path[0];
    if ((SIGN_FIELDS as readonly unknown[]).includes(field)) fields.add(field as SignField);
  }
  return [...fields];
}

const isoDateTime = textInput().trim().transform((v, ctx) => {
  // A date alone means the start of that day, UTC.
  const text = /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v;
  const time = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(time)) {
    ctx.addIssue({ code: "custom", message: "must be a date (YYYY-MM-DD) or an ISO date-time" });
    return "";
  }
  return new Date(time).toISOString();
});
const optionalText = (max: number) => textInput().trim().max(max).optional().transform((v) => (v ? v : null));

/** A new petition, from the organizers' form or a seed. */
export const petitionInputSchema = z.object({
  slug: textInput().trim().regex(/^[a-z0-9][a-z0-9-]{1,79}$/, { error: "must be 2–80 lower-case letters, digits and dashes" })
    .refine((v) => !["new", "confirm", "assets"].includes(v), { error: "is a reserved word" }),
  titleEn: singleLine(200),
  titleEs: singleLine(200),
  textEn: textInput().trim().min(1, { error: "is required" }).max(20_000),
  textEs: textInput().trim().min(1, { error: "is required" }).max(20_000),
  textEsTranslated: z.boolean().default(false),
  targetEn: singleLine(200),
  targetEs: singleLine(200),
  targetEmail: textInput().trim().optional().transform((v) => v || null).pipe(z.email({ error: "must be one email address" }).nullable()),
  targetBasis: z.enum(["stated", "assumption"]).default("stated"),
  targetNoteEn: optionalText(2000),
  targetNoteEs: optionalText(2000),
  goal: z.coerce.number().int({ error: "must be a whole number" }).min(1, { error: "must be at least 1" }).max(100_000_000),
  opensAt: isoDateTime,
  closesAt: isoDateTime.optional().nullable().or(z.literal("").transform(() => null)),
  sponsors: z.array(z.object({ name: singleLine(200), organizationSlug: textInput().trim().regex(/^[a-z0-9-]+$/).nullable().default(null) })).max(50).default([]),
  points: z.array(z.object({ en: textInput().trim().min(1).max(2000), es: textInput().trim().min(1).max(2000), demandSlug: z.string().nullable().default(null) })).max(50).default([]),
  thresholds: z.array(z.object({ signatures: z.coerce.number().int().min(1), labelEn: singleLine(300), labelEs: singleLine(300) })).max(20).default([]),
}).refine((p) => !p.closesAt || p.closesAt > p.opensAt, { path: ["closesAt"], error: "must be after the opening date" });
export type PetitionInput = z.input<typeof petitionInputSchema>;
export type ValidPetition = z.output<typeof petitionInputSchema>;

/**
 * The organizers' form: one petition, with sponsors one per line and thresholds
 * one per line as "N: what happens" (the same text in both languages unless
 * "N: English | Español").
 */
export function petitionFromForm(body: Record<string, unknown>): PetitionInput {
  const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
  const lines = (name: string) => text(name).split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  return {
    slug: text("slug"),
    titleEn: text("title_en"),
    titleEs: text("title_es"),
    textEn: text("text_en"),
    textEs: text("text_es"),
    textEsTranslated: body.text_es_translated === "1",
    targetEn: text("target_en"),
    targetEs: text("target_es") || text("target_en"),
    targetEmail: text("target_email"),
    goal: text("goal") as unknown as number,
    opensAt: text("opens_at"),
    closesAt: text("closes_at"),
    sponsors: lines("sponsors").map((name) => ({ name, organizationSlug: null })),
    thresholds: lines("thresholds").map((line) => {
      const match = /^(\d[\d,]*)\s*[:=-]\s*(.+)$/.exec(line);
      const [en, es] = (match?.[2] ?? line).split("|").map((part) => part.trim());
      return { signatures: (match ? match[1].replace(/,/g, "") : "x") as unknown as number, labelEn: en, labelEs: es || en };
    }),
  };
}

export const INVALIDATION_REASONS = ["duplicate", "fraud", "signer_request", "ineligible", "other"] as const;
export type InvalidationReason = (typeof INVALIDATION_REASONS)[number];

/** Staff invalidating one signature: by its id (from the export) or by the address that signed. */
export const invalidateSchema = z.object({
  signature: textInput().trim().min(1, { error: "is required: a signature id or an email address" }).max(254),
  reason: z.enum(INVALIDATION_REASONS, { error: `must be one of ${INVALIDATION_REASONS.join(", ")}` }),
});

/** One row of a paper-signature CSV (header names are case-insensitive). */
export const paperRowSchema = z.object({
  name: singleLine(100),
  zip: z.string().transform((v, ctx) => {
    const zip = normalizeZip(v);
    if (!zip) ctx.addIssue({ code: "custom", message: "must be a 5-digit ZIP code" });
    return zip ?? "";
  }),
  email: textInput().trim().optional().transform((v) => v || null)
    .pipe(z.email({ error: "must be one email address, or empty" }).nullable()),
  signed_on: textInput().trim().optional().transform((v, ctx) => {
    if (!v) return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) {
      ctx.addIssue({ code: "custom", message: "must be a date as YYYY-MM-DD, or empty" });
      return null;
    }
    return v;
  }),
  show_publicly: textInput().trim().optional().transform((v, ctx) => {
    const value = (v ?? "").toLowerCase();
    if (["", "no", "n", "false", "0"].includes(value)) return false;
    if (["yes", "y", "true", "1", "si", "sí"].includes(value)) return true;
    ctx.addIssue({ code: "custom", message: "must be yes or no" });
    return false;
  }),
});
export type PaperRow = z.output<typeof paperRowSchema>;
export const PAPER_COLUMNS = ["name", "zip", "email", "signed_on", "show_publicly"] as const;
