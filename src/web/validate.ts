import type { Context } from "hono";
import { z } from "zod";
import { badRequest, describeIssues, notFound } from "./errors.js";

/**
 * Characters that change how text around them is shown without being text: C0 and C1
 * controls (tab, line feed and carriage return stay), bidirectional embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), the direction marks
 * (U+200E, U+200F, U+061C) and the byte-order mark. A right-to-left override makes
 * "Officer gnp.exe" read as something else on a staff page or in an export.
 */
// eslint-disable-next-line no-control-regex
const INVISIBLE_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Text as typed, composed (NFC) and without INVISIBLE_CONTROLS: what every text field stores. */
export function cleanText(value: string): string {
  return value.normalize("NFC").replace(INVISIBLE_CONTROLS, "");
}

/**
 * The one schema for text people type (intake, notes, petitions, campaign, budget,
 * accounts): a string cleaned by `cleanText` before any other check. Chain as on
 * z.string(): `textInput().trim().min(1).max(200)`.
 */
export const textInput = () => z.string().overwrite(cleanText);

/** Parses the query string with a zod schema; a bad value is a 400 naming the field. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw badRequest(describeIssues(result.error.issues));
  return result.data;
}

/** A path parameter that must match the schema, or the page does not exist. */
export function parseParam<S extends z.ZodType>(c: Context, name: string, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.param(name));
  if (!result.success) throw notFound();
  return result.data;
}
