import { z } from "zod";
import { FINDINGS } from "./vocab.js";
import { textInput } from "../web/validate.js";

/** Search strings are capped: a 10,000-character query is answered, not run. */
const MAX_QUERY = 200;
const searchText = textInput().trim().max(10_000).default("").transform((value) => value.slice(0, MAX_QUERY));
const shortText = textInput().trim().max(100).default("");

export const pagingSchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(500).default(25),
});

export const officerQuerySchema = pagingSchema.extend({
  q: searchText,
  badge: shortText,
  agency: shortText,
  unit: shortText,
});
export type OfficerQuery = z.infer<typeof officerQuerySchema>;

export const complaintQuerySchema = pagingSchema.extend({
  q: searchText,
  category: shortText,
  finding: z.union([z.enum(FINDINGS), z.literal("")]).default(""),
  year: z.union([z.literal("").transform(() => null), z.coerce.number().int().min(1900).max(2100)]).default(null),
  unit: shortText,
  agency: shortText,
});
export type ComplaintQuery = z.infer<typeof complaintQuerySchema>;

export const uuidSchema = z.string().uuid();

const yearFilter = z.union([z.literal("").transform(() => null), z.coerce.number().int().min(1900).max(2100)]).default(null);

export const allegationQuerySchema = pagingSchema.extend({
  agency: shortText,
  finding: z.union([z.enum(FINDINGS), z.literal("")]).default(""),
  category: shortText,
  year: yearFilter,
});
export type AllegationQuery = z.infer<typeof allegationQuerySchema>;

export const settlementQuerySchema = pagingSchema.extend({ agency: shortText, year: yearFilter });
export type SettlementQuery = z.infer<typeof settlementQuerySchema>;

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 in hex");
