import { z } from "zod";
import { textInput } from "../web/validate.js";

/** Where a demand stands with one official or body. */
export const DEMAND_STATUSES = ["unmet", "in_progress", "partly_met", "met", "rejected"] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];

export const MEETING_STATUSES = ["scheduled", "held", "cancelled", "skipped"] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const MEETING_KINDS = ["officials_community", "body", "community"] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];

export const MEETING_FORMATS = ["in_person", "virtual", "hybrid", "unknown"] as const;

export const VOTES = ["yes", "no", "abstain", "absent", "recused"] as const;
export type Vote = (typeof VOTES)[number];

/**
 * How many yes votes a motion needs (Robert's Rules of Order, Newly Revised, 12th ed., §44):
 * - majority_cast: more yes than no among votes cast (abstentions and recusals are not votes cast);
 * - majority_present: more yes than half of the members present and entitled to vote;
 * - majority_membership: more yes than half of all seats (3 of 5);
 * - two_thirds_cast: at least twice as many yes as no among votes cast.
 */
export const THRESHOLDS = ["majority_cast", "majority_present", "majority_membership", "two_thirds_cast"] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export const MOTION_RESULTS = ["passed", "failed", "no_quorum"] as const;
export type MotionResult = (typeof MOTION_RESULTS)[number];

export const BASES = ["stated", "assumption"] as const;
export type Basis = (typeof BASES)[number];

export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, "must be a slug (a-z, 0-9, -)");
export const uuidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a UUID");

/** A real calendar date, YYYY-MM-DD. */
export const isoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date, YYYY-MM-DD").refine((value) => {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}, "is not a real date");

const today = () => new Date().toISOString().slice(0, 10);
const notFuture = isoDateSchema.refine((value) => value <= today(), "cannot be in the future");

/** An http(s) link to evidence; empty means none. */
const evidenceUrl = textInput().trim().max(2000).refine((value) => {
  if (!value) return true;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}, "must be an http or https link").transform((value) => value || null);

const optionalText = (max: number) => textInput().trim().max(max).transform((value) => value || null);

/** A status change (or new evidence, when the status stays) of one demand at one target. */
export const statusChangeSchema = z.object({
  target: slugSchema,
  status: z.enum(DEMAND_STATUSES, { error: `must be one of ${DEMAND_STATUSES.join(", ")}` }),
  occurred_on: notFuture,
  summary: textInput().trim().min(3, "must say what happened (at least 3 characters)").max(2000),
  summary_lang: z.enum(["en", "es"]).default("en"),
  evidence_url: evidenceUrl.default(""),
  evidence_title: optionalText(300).default(""),
});
export type StatusChangeInput = z.input<typeof statusChangeSchema>;

export const meetingSchema = z.object({
  title: textInput().trim().min(3, "must have a title (at least 3 characters)").max(300),
  kind: z.enum(MEETING_KINDS, { error: `must be one of ${MEETING_KINDS.join(", ")}` }),
  format: z.enum(MEETING_FORMATS).default("unknown"),
  held_on: isoDateSchema,
  status: z.enum(MEETING_STATUSES, { error: `must be one of ${MEETING_STATUSES.join(", ")}` }),
  /** Who cancelled or skipped it: "coalition:<slug>", "organization:<slug>" or "target:<slug>". */
  by: textInput().trim().max(100).regex(/^$|^(coalition|organization|target):[a-z0-9-]+$/, "must be coalition:, organization: or target: followed by a slug").default(""),
  promise: z.union([slugSchema, z.literal("")]).default(""),
  body: z.union([slugSchema, z.literal("")]).default(""),
  participants_min: z.union([z.coerce.number().int().min(0).max(1_000_000), z.literal("")]).default(""),
  agenda: optionalText(20_000).default(""),
  minutes: optionalText(50_000).default(""),
  minutes_url: evidenceUrl.default(""),
  attended: z.array(slugSchema).max(200).default([]),
  absent: z.array(slugSchema).max(200).default([]),
}).superRefine((value, ctx) => {
  if ((value.status === "cancelled" || value.status === "skipped") && !value.by) {
    ctx.addIssue({ code: "custom", path: ["by"], message: `must say who ${value.status === "cancelled" ? "cancelled" : "skipped"} the meeting` });
  }
  if ((value.status === "scheduled" || value.status === "held") && value.by) {
    ctx.addIssue({ code: "custom", path: ["by"], message: "only a cancelled or skipped meeting has someone who cancelled or skipped it" });
  }
  if (value.status === "held" && value.held_on > today()) {
    ctx.addIssue({ code: "custom", path: ["held_on"], message: "a meeting in the future cannot have been held" });
  }
  const both = value.attended.filter((slug) => value.absent.includes(slug));
  if (both.length) ctx.addIssue({ code: "custom", path: ["absent"], message: `${both[0]} is marked both present and absent` });
});
export type MeetingInput = z.input<typeof meetingSchema>;

export const motionSchema = z.object({
  body: slugSchema,
  title: textInput().trim().min(3, "must have a title (at least 3 characters)").max(500),
  moved_on: isoDateSchema,
  threshold: z.enum(THRESHOLDS, { error: `must be one of ${THRESHOLDS.join(", ")}` }).default("majority_cast"),
  /** The demand it affects, by slug; empty for none. */
  demand: z.union([slugSchema, z.literal("")]).default(""),
  status_if_pass: z.union([z.enum(DEMAND_STATUSES), z.literal("")]).default(""),
  status_if_fail: z.union([z.enum(DEMAND_STATUSES), z.literal("")]).default(""),
});
export type MotionInput = z.input<typeof motionSchema>;

/** One vote per seat position: { "1": "yes", "2": "no", … }. */
export const rollCallSchema = z.object({
  decided_on: notFuture,
  votes: z.record(z.string().regex(/^\d{1,3}$/, "must be a seat number"), z.enum(VOTES, { error: `must be one of ${VOTES.join(", ")}` })),
});
export type RollCallInput = z.input<typeof rollCallSchema>;

export const listQuerySchema = z.object({
  format: z.enum(["json", "csv"]).default("json"),
  lang: z.enum(["en", "es"]).optional(),
});
