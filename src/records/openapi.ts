/** The records API's paths for /api/openapi.json. */
const page = [
  { name: "page", in: "query", schema: { type: "integer", minimum: 1, default: 1 } },
  { name: "per_page", in: "query", schema: { type: "integer", minimum: 1, maximum: 500, default: 25 } },
  { name: "format", in: "query", description: "csv for a CSV download of the same page", schema: { type: "string", enum: ["json", "csv"] } },
];
const text = (name: string, description: string) => ({ name, in: "query", description, schema: { type: "string" } });
const year = { name: "year", in: "query", schema: { type: "integer", minimum: 1900, maximum: 2100 } };
const finding = { name: "finding", in: "query", schema: { $ref: "#/components/schemas/Finding" } };
const list = (summary: string, parameters: unknown[]) => ({
  get: {
    summary,
    parameters: [...parameters, ...page],
    responses: {
      "200": { description: "A page of items; the Link header points to the next and previous pages; ETag supported", content: { "application/json": { schema: { $ref: "#/components/schemas/Page" } }, "text/csv": {} } },
      "400": { description: "A filter could not be read; the message names it", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      "429": { description: "Past the rate limit; see Retry-After" },
    },
  },
});
const one = (summary: string, param: string) => ({
  get: {
    summary,
    parameters: [{ name: param, in: "path", required: true, schema: { type: "string" } }],
    responses: { "200": { description: "Found" }, "404": { description: "No such record", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } } },
  },
});

export const recordsOpenApiPaths = {
  "/api/v1/stats": { get: { summary: "Rows per records table and per import run", responses: { "200": { description: "Counts" } } } },
  "/api/v1/officers": list("Search officers by name (typo-tolerant), badge, agency, unit", [text("q", "name"), text("badge", "badge or star number"), text("agency", "agency slug"), text("unit", "unit, ILIKE pattern")]),
  "/api/v1/officers/{id}": one("An officer's whole profile, every row with its source", "id"),
  "/api/v1/complaints": list("Search complaints by full text and filters", [text("q", "websearch syntax"), text("category", "allegation category, ILIKE pattern"), finding, year, text("unit", "unit"), text("agency", "agency slug")]),
  "/api/v1/complaints/{id}": one("A complaint with its allegations and complainants as aggregate counts", "id"),
  "/api/v1/allegations": list("Allegations with investigator, board and final findings and penalties", [text("agency", "agency slug"), finding, text("category", "category"), year]),
  "/api/v1/settlements": list("Settlements and judgments", [text("agency", "agency slug"), year]),
  "/api/v1/agencies": { get: { summary: "Agencies with counts", responses: { "200": { description: "All agencies" } } } },
  "/api/v1/agencies/{slug}": one("An agency's figures: complaints by year and category, share sustained, recommended vs imposed discipline, settlements by year", "slug"),
  "/api/v1/search": list("Officers and complaints matching one query", [text("q", "query")]),
  "/api/v1/sources/{sha256}": one("A source file: name, sha256, rows, import run", "sha256"),
};

export const recordsOpenApiSchemas = {
  Finding: { type: "string", enum: ["sustained", "not_sustained", "exonerated", "unfounded", "no_affidavit", "closed_no_finding", "pending", "other"] },
  Page: { type: "object", properties: { items: { type: "array", items: { type: "object" } }, total: { type: "integer", description: "matches; a lower bound when totalExact is false (complaint search stops counting 1,000 past the page)" }, totalExact: { type: "boolean" }, page: { type: "integer" }, perPage: { type: "integer" }, pages: { type: "integer" } } },
  Error: { type: "object", properties: { error: { type: "object", properties: { status: { type: "integer" }, message: { type: "string" }, detail: { type: "string" } } } } },
};
