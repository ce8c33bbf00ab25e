import { z } from "zod";

/**
 * A template name is what the audit log records about a message, so it is a
 * fixed identifier ("case.acknowledgement"), never free text that could carry
 * personal data.
 */
export const TEMPLATE_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;

/** Missing fields say "is required"; anything else says what was expected. */
const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : what);

/** One message to enqueue. Types come from this schema. */
export const emailMessageSchema = z.object({
  /** One bare address ("person@example.org"), no display name. */
  to: z.email({ error: expected("must be one valid email address") }),
  subject: z
    .string({ error: expected("must be text") })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(300, { error: "must be at most 300 characters" })
    .refine((value) => !/[\r\n]/.test(value), { error: "must be a single line" }),
  text: z.string({ error: expected("must be text") }).min(1, { error: "must not be empty" }),
  html: z.string({ error: expected("must be text") }).min(1, { error: "must not be empty when given" }).optional(),
  template: z.string({ error: expected("must be text") }).regex(TEMPLATE_PATTERN, {
    error: "must be a template name such as 'case.acknowledgement' (lower-case letters, digits, '.', '_', '-'; at most 64)",
  }),
  dedupeKey: z
    .string({ error: expected("must be text") })
    .min(1, { error: "must not be empty when given" })
    .max(200, { error: "must be at most 200 characters" })
    .optional(),
});

export type EmailMessage = z.input<typeof emailMessageSchema>;
export type ValidEmailMessage = z.output<typeof emailMessageSchema>;

/**
 * A message that cannot be enqueued. Names the field; never repeats the value,
 * which may be an address or other personal data.
 */
export class EmailMessageError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid email message: field "${field}" ${reason}`);
    this.name = "EmailMessageError";
  }
}

/** Validates a message; throws EmailMessageError naming the first field at fault. */
export function parseEmailMessage(input: unknown): ValidEmailMessage {
  const parsed = emailMessageSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.map(String).join(".") || "message";
  throw new EmailMessageError(field, issue.message);
}

export type OutboxStatus = "queued" | "sending" | "sent" | "failed";
