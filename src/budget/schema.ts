/**
 * What the budget module accepts, as zod schemas: forms, query strings, CSV mappings.
 * Types come from the schemas. Every refusal names the field.
 */
import { z } from "zod";
import { textInput } from "../web/validate.js";

export const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "must be an id");
export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/, "lower-case letters, digits and dashes (2 to 80)");

/** The People's Budget categories the coalition named, in their order. */
export const PB_CATEGORIES = ["housing", "healthcare", "infrastructure", "education"] as const;
export type PbCategory = (typeof PB_CATEGORIES)[number];

export const PHASES = ["ideas", "proposals", "review", "voting", "results", "implementation"] as const;
export type Phase = (typeof PHASES)[number];

export const BALLOT_TYPES = ["approval_budget", "pick_n", "cumulative"] as const;
export type BallotType = (typeof BALLOT_TYPES)[number];

export const PROPOSAL_STATUSES = ["idea", "proposal", "feasible", "infeasible", "withdrawn"] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const IMPLEMENTATION_STATUSES = ["not_started", "in_progress", "done", "stalled"] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];

export const AMOUNT_PRECISIONS = ["exact", "at_least", "about"] as const;
export type AmountPrecision = (typeof AMOUNT_PRECISIONS)[number];

export const GENERAL_FUND_BASES = ["official", "press", "admin", "assumption", "demo"] as const;
export type GeneralFundBasis = (typeof GENERAL_FUND_BASES)[number];

export const LINE_BASES = ["official", "press", "admin", "import", "assumption", "demo"] as const;
export type LineBasis = (typeof LINE_BASES)[number];

export const OFFICIAL_RULES = ["greedy", "equal-shares"] as const;
export type OfficialRule = (typeof OFFICIAL_RULES)[number];

/** An HTML checkbox: present ("on", "1", "true") or absent. */
const checkbox = z.preprocess((v) => v === "on" || v === "1" || v === "true" || v === true, z.boolean());
const optionalText = (max: number) => textInput().trim().max(max).optional().transform((v) => (v ? v : null));

/** Whole dollars as typed in a form ("250,000,000" or "250000000.00" are fine), or empty. */
export const dollarsField = z
  .string()
  .trim()
  .transform((v) => v.replace(/^\$\s*/, "").replace(/,/g, ""))
  .refine((v) => v === "" || /^\d{1,13}(\.\d{1,2})?$/.test(v), "must be an amount in dollars, e.g. 1250000 or 1,250,000.50");

/** Dollars (with optional cents) to integer cents; "" → null. */
export function dollarsToCents(value: string): number | null {
  if (value === "") return null;
  const [whole, fraction = ""] = value.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

export const yearInputSchema = z.object({
  city: textInput().trim().min(1, "is required").max(120),
  fiscal_year: z.coerce.number().int("must be a whole year").min(1900).max(2200),
  label: optionalText(40),
  general_fund: dollarsField.optional().default(""),
  general_fund_basis: z.enum(GENERAL_FUND_BASES).optional(),
  general_fund_source: optionalText(500),
  note_en: optionalText(2000),
  note_es: optionalText(2000),
}).superRefine((v, ctx) => {
  if (v.general_fund !== "" && Number(v.general_fund) <= 0) ctx.addIssue({ code: "custom", path: ["general_fund"], message: "must be more than zero" });
  if (v.general_fund !== "" && !v.general_fund_basis) ctx.addIssue({ code: "custom", path: ["general_fund_basis"], message: "say where the total comes from" });
});
export type YearInput = z.input<typeof yearInputSchema>;

export const generalFundSchema = z.object({
  general_fund: dollarsField,
  general_fund_basis: z.enum(GENERAL_FUND_BASES).optional(),
  general_fund_source: optionalText(500),
}).superRefine((v, ctx) => {
  if (v.general_fund !== "" && Number(v.general_fund) <= 0) ctx.addIssue({ code: "custom", path: ["general_fund"], message: "must be more than zero" });
  if (v.general_fund !== "" && !v.general_fund_basis) ctx.addIssue({ code: "custom", path: ["general_fund_basis"], message: "say where the total comes from" });
});

export const lineInputSchema = z.object({
  department: textInput().trim().min(1, "is required").max(200),
  category: textInput().trim().max(200).optional().default(""),
  amount: dollarsField.refine((v) => v !== "", "is required"),
  precision: z.enum(AMOUNT_PRECISIONS).optional().default("exact"),
  is_police: checkbox.default(false),
  basis: z.enum(LINE_BASES).optional().default("admin"),
  source: optionalText(500),
  note_en: optionalText(2000),
  note_es: optionalText(2000),
});
export type LineInput = z.input<typeof lineInputSchema>;

/**
 * How a CSV's columns map to budget lines (see README.md, "CSV import"). Column names are
 * matched case-insensitively; the category column may be left empty.
 */
export const csvMappingSchema = z.object({
  department_column: textInput().trim().min(1, "is required").max(100).default("department"),
  category_column: textInput().trim().max(100).default("category"),
  amount_column: textInput().trim().min(1, "is required").max(100).default("amount"),
  amount_unit: z.enum(["dollars", "cents"]).default("dollars"),
  /** Lines whose department contains this text (case-insensitive) are the police budget. */
  police_match: textInput().trim().min(1, "is required").max(100).default("police"),
  /** Make the general fund total the sum of the imported lines. */
  set_total: checkbox.default(false),
  /** Replace the year's existing lines (otherwise the rows are added). */
  replace: checkbox.default(false),
  /** Where the file comes from (a citation), kept on every line. */
  source: optionalText(500),
});
export type CsvMapping = z.input<typeof csvMappingSchema>;

const percent = (name: string) => z.coerce.number({ message: `${name} must be a whole percentage` }).int("must be a whole percentage").min(0).max(100).default(25);

/**
 * A what-if scenario as it travels in the URL: move `move` dollars from the police of one
 * budget year to the four People's Budget categories in the given percentages. `gf` is an
 * assumed general fund total (whole dollars), used only when given and labelled as such.
 */
export const whatIfQuerySchema = z.object({
  year: uuidSchema,
  move: z.coerce.number({ message: "must be a whole number of dollars" }).int("must be a whole number of dollars").min(0).max(1_000_000_000_000),
  housing: percent("housing"),
  healthcare: percent("healthcare"),
  infrastructure: percent("infrastructure"),
  education: percent("education"),
  gf: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number({ message: "must be a whole number of dollars" }).int("must be a whole number of dollars").positive().max(100_000_000_000_000).optional()),
  lang: z.enum(["en", "es"]).optional(),
}).superRefine((v, ctx) => {
  const sum = v.housing + v.healthcare + v.infrastructure + v.education;
  if (sum !== 100) ctx.addIssue({ code: "custom", path: ["housing+healthcare+infrastructure+education"], message: `must add up to 100, not ${sum}` });
});
export type WhatIfQuery = z.infer<typeof whatIfQuerySchema>;

const zipList = z
  .string()
  .default("")
  .transform((v) => [...new Set(v.split(/[\s,;]+/).map((z) => z.trim()).filter(Boolean))])
  .refine((list) => list.every((zip) => /^\d{5}$/.test(zip)), "must be 5-digit ZIP codes separated by commas or spaces")
  .refine((list) => list.length <= 500, "at most 500 ZIP codes");

export const processInputSchema = z.object({
  slug: slugSchema,
  title_en: textInput().trim().min(1, "is required").max(200),
  title_es: textInput().trim().max(200).default(""),
  description_en: textInput().trim().max(5000).default(""),
  description_es: textInput().trim().max(5000).default(""),
  city: textInput().trim().max(120).default(""),
  currency: textInput().trim().regex(/^[A-Z]{3}$/, "a 3-letter currency code, e.g. USD").default("USD"),
  budget: z.coerce.number({ message: "must be a whole amount" }).int("must be a whole amount").positive("must be more than zero").max(1_000_000_000_000),
  ballot_type: z.enum(BALLOT_TYPES),
  pick_n: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(100).optional()),
  points_total: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(1000).optional()),
  official_rule: z.enum(OFFICIAL_RULES).default("equal-shares"),
  eligibility_zip: checkbox.default(false),
  eligibility_codes: checkbox.default(false),
  zips: zipList,
}).superRefine((v, ctx) => {
  if (v.ballot_type === "pick_n" && v.pick_n === undefined) ctx.addIssue({ code: "custom", path: ["pick_n"], message: "is required for a pick-N ballot" });
  if (v.ballot_type === "cumulative" && v.points_total === undefined) ctx.addIssue({ code: "custom", path: ["points_total"], message: "is required for a points ballot" });
  if (!v.eligibility_zip && !v.eligibility_codes) ctx.addIssue({ code: "custom", path: ["eligibility_zip"], message: "choose at least one way to prove eligibility (ZIP or codes)" });
  if (v.eligibility_zip && v.zips.length === 0) ctx.addIssue({ code: "custom", path: ["zips"], message: "list the eligible ZIP codes" });
});
export type ProcessInput = z.input<typeof processInputSchema>;
export type ProcessSettings = z.output<typeof processInputSchema>;

const costField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().replace(/^\$\s*/, "").replace(/,/g, "") : v),
  z.union([z.literal(""), z.coerce.number({ message: "must be a whole amount" }).int("must be a whole amount").min(0).max(1_000_000_000_000)]),
).transform((v) => (v === "" ? null : v));

export const proposalInputSchema = z.object({
  title_en: textInput().trim().max(200).default(""),
  title_es: textInput().trim().max(200).default(""),
  description_en: textInput().trim().max(5000).default(""),
  description_es: textInput().trim().max(5000).default(""),
  category: textInput().trim().max(200).default(""),
  location: textInput().trim().max(200).default(""),
  cost: costField.optional().default(null),
  status: z.enum(PROPOSAL_STATUSES).default("proposal"),
  review_note: optionalText(2000),
}).superRefine((v, ctx) => {
  if (!v.title_en && !v.title_es) ctx.addIssue({ code: "custom", path: ["title_en"], message: "give a title in English or Spanish" });
  if (v.status === "feasible" && v.cost === null) ctx.addIssue({ code: "custom", path: ["cost"], message: "a proposal on the ballot needs a cost" });
});
export type ProposalInput = z.input<typeof proposalInputSchema>;

export const implementationInputSchema = z.object({
  implementation: z.enum(IMPLEMENTATION_STATUSES),
  implementation_note: optionalText(2000),
});

/** An idea from the public: no name, no contact details, only the idea. */
export const ideaInputSchema = z.object({
  title: textInput().trim().min(3, "is too short").max(200),
  description: textInput().trim().max(2000).default(""),
  category: z.union([z.enum(PB_CATEGORIES), z.literal("other")]).default("other"),
  location: textInput().trim().max(200).default(""),
});

export const emailRequestSchema = z.object({
  email: textInput().trim().max(254).pipe(z.email("must be an email address")),
  zip: textInput().trim().regex(/^\d{5}$/, "must be a 5-digit ZIP code"),
});

/** Codes are typed by people: case, spaces and dashes do not matter. */
export const codeSchema = z
  .string()
  .transform((v) => v.toUpperCase().replace(/[\s-]/g, ""))
  .refine((v) => /^[0-9A-Z]{6,24}$/.test(v), "must be the code from your card, e.g. K7QM-4XPD-2B");

export const codesRequestSchema = z.object({
  count: z.coerce.number().int().min(1).max(1000),
  batch: textInput().trim().min(1, "say where the codes will be handed out").max(120),
});

export const phaseSchema = z.object({ phase: z.enum(PHASES) });
