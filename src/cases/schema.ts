import { z } from "zod";
import { STATES } from "./workflow.js";
import { textInput } from "../web/validate.js";

/** What a complainant may say happened; each sets the allegation's category and flags. */
export const INTAKE_CATEGORIES = [
  "excessive_force", "false_arrest", "illegal_search", "discourtesy", "discrimination", "criminal_conduct", "death", "other",
] as const;
export type IntakeCategory = (typeof INTAKE_CATEGORIES)[number];

const optionalText = (max: number) => textInput().trim().max(max).optional().transform((value) => (value ? value : null));
const optionalDate = z.union([z.literal("").transform(() => null), z.iso.date()]).optional().transform((value) => value ?? null);

export const officerSchema = z.object({
  name: optionalText(200),
  badge: optionalText(40),
  vehicle: optionalText(60),
  description: optionalText(2000),
});

export const witnessSchema = z.object({
  name: optionalText(200),
  contact: optionalText(300),
});

/** The intake form, from a phone or a staff member taking a call. */
export const intakeSchema = z.object({
  narrative: textInput().trim().min(10, "tell us what happened (at least a sentence)").max(20_000),
  incident_date: optionalDate,
  incident_time: z.union([z.literal("").transform(() => null), z.string().regex(/^\d{2}:\d{2}$/, "use HH:MM")]).optional().transform((value) => value ?? null),
  location: optionalText(500),
  district: optionalText(100),
  categories: z.array(z.enum(INTAKE_CATEGORIES)).max(INTAKE_CATEGORIES.length).default([]),
  officers: z.array(officerSchema).max(10).default([]),
  witnesses: z.array(witnessSchema).max(10).default([]),
  anonymous: z.boolean().default(false),
  third_party: z.boolean().default(false),
  name: optionalText(200),
  email: z.union([z.literal("").transform(() => null), textInput().trim().email("is not an email address").max(254)]).optional().transform((value) => value ?? null),
  phone: optionalText(40),
  address: optionalText(500),
  contact_ok: z.boolean().default(false),
  channel: z.enum(["online", "phone", "mail", "in_person", "email"]).default("online"),
  language: z.enum(["en", "es"]).default("en"),
});
export type IntakeInput = z.input<typeof intakeSchema>;
export type Intake = z.output<typeof intakeSchema>;

export const receiptLookupSchema = z.object({
  case_number: textInput().trim().min(3).max(40),
  receipt: textInput().trim().min(16).max(40),
});

export const complainantMessageSchema = z.object({
  body: textInput().trim().min(1, "write something").max(10_000),
});

export const transitionSchema = z.object({
  to: z.enum(STATES),
  note: textInput().trim().max(5_000).optional().default(""),
});
