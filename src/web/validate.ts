import type { Context } from "hono";
import type { z } from "zod";
import { badRequest, describeIssues, notFound } from "./errors.js";

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
