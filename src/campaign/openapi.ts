/** The campaign API's paths for /api/openapi.json (OpenAPI 3.1 path objects). */
const format = { name: "format", in: "query", description: "csv for a CSV download", schema: { type: "string", enum: ["json", "csv"], default: "json" } };
const error = { description: "Error", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
const status = { type: "string", enum: ["unmet", "in_progress", "partly_met", "met", "rejected"] };
const bilingual = { type: "object", properties: { en: { type: "string" }, es: { type: "string" } } };
const target = {
  type: "object",
  properties: {
    slug: { type: "string" }, kind: { type: "string", enum: ["person", "body"] }, title: bilingual, holder: { type: ["string", "null"] },
    status, statusSince: { type: ["string", "null"], format: "date" },
    basis: { type: "string", enum: ["stated", "assumption"], description: "whether the sources say this official or body can act on the demand, or Oversight assumes it" },
    basisNote: { type: ["object", "null"] }, lastActionOn: { type: ["string", "null"], format: "date" }, events: { type: "integer" },
  },
};
const demand = {
  type: "object",
  properties: {
    slug: { type: "string", examples: ["kc-1"] }, number: { type: "integer" }, list: { type: "string" },
    text: { type: "object", properties: { en: { type: "string" }, es: { type: "string" }, esIsTranslation: { type: "boolean" } } },
    url: { type: "string" }, targets: { type: "array", items: target },
  },
};
const vote = { type: "string", enum: ["yes", "no", "abstain", "absent", "recused"] };

export const campaignOpenApiPaths = {
  "/api/v1/demands": {
    get: {
      summary: "Every demand with its targets (officials and bodies) and each target's status",
      description: "JSON: { items, total, lists, targets, coalitions }. CSV: one row per demand × target.",
      parameters: [format],
      responses: { "200": { description: "All demands", content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: demand }, total: { type: "integer" } } } }, "text/csv": {} } }, "400": error },
    },
  },
  "/api/v1/demands/{slug}": {
    get: {
      summary: "One demand with its targets, its dated timeline of events with evidence, and the motions that affect it",
      parameters: [{ name: "slug", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": { description: "The demand" }, "404": error },
    },
  },
  "/api/v1/meetings": {
    get: {
      summary: "Meetings (scheduled, held, cancelled, skipped and by whom) with attendance by organization, and each promise of meetings as promised vs held per month",
      parameters: [format],
      responses: { "200": { description: "JSON: { items, total, promises }; CSV: one row per meeting", content: { "application/json": {}, "text/csv": {} } }, "400": error },
    },
  },
  "/api/v1/votes": {
    get: {
      summary: "Public bodies with their seats and quorum, and every motion with its roll call, tally and result",
      description: "Quorum is a majority of the seats unless the body fixes one; members who abstain or recuse are present. Votes cast are yes and no. Thresholds: majority_cast (yes > no), majority_present, majority_membership, two_thirds_cast. Without a quorum the result is no_quorum.",
      parameters: [format],
      responses: {
        "200": {
          description: "JSON: { items, total, bodies }; CSV: one row per motion",
          content: {
            "application/json": { schema: { type: "object", properties: { items: { type: "array", items: { type: "object", properties: { result: { type: ["string", "null"], enum: ["passed", "failed", "no_quorum", null] }, rollCall: { type: "array", items: { type: "object", properties: { seat: { type: "integer" }, vote } } } } } } } } },
            "text/csv": {},
          },
        },
        "400": error,
      },
    },
  },
  "/api/v1/votes/{id}": {
    get: {
      summary: "One motion with its roll call, member by member, the decision and the demands it affects",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
      responses: { "200": { description: "The motion" }, "404": error },
    },
  },
  "/campaign/feed.atom": {
    get: {
      summary: "Atom 1.0 feed of changes to the demands: status changes, evidence and votes, newest first",
      parameters: [{ name: "lang", in: "query", schema: { type: "string", enum: ["en", "es"] } }],
      responses: { "200": { description: "The feed", content: { "application/atom+xml": {} } } },
    },
  },
};
