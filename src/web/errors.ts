import type { MessageKey } from "./i18n/index.js";

/**
 * The one error type that becomes an HTTP answer. `detail` is shown to the user,
 * so it must name the field or row at fault and never hold personal data.
 */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429,
    readonly messageKey: MessageKey,
    readonly detail?: string,
  ) {
    super(detail ?? messageKey);
  }
}

export const notFound = () => new HttpError(404, "error.notFound");
export const forbidden = () => new HttpError(403, "error.forbidden");
export const badRequest = (detail: string) => new HttpError(400, "error.badRequest", detail);

/** Turns a zod issue list into one sentence naming each field at fault. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join(".") || "input"}: ${issue.message}`)
    .join("; ");
}
