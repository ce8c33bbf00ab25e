/** The petitions' paths for /api/openapi.json (OpenAPI 3.1), self-contained: no component to merge. */
const bilingual = { type: "object", properties: { en: { type: "string" }, es: { type: "string" } } };
const counts = {
  type: "object",
  description: "Public counts only: verified (confirmed online, and paper) and pending (waiting for email confirmation)",
  properties: { verified: { type: "integer" }, pending: { type: "integer" } },
  required: ["verified", "pending"],
};
const summary = {
  type: "object",
  properties: {
    id: { type: "string", format: "uuid" },
    slug: { type: "string" },
    title: bilingual,
    target: { type: "object", properties: { en: { type: "string" }, es: { type: "string" }, basis: { type: "string", enum: ["stated", "assumption"] } } },
    goal: { type: "integer" },
    opensAt: { type: "string", format: "date-time" },
    closesAt: { type: ["string", "null"], format: "date-time" },
    state: { type: "string", enum: ["upcoming", "open", "closed"] },
    counts,
    url: { type: "string" },
    api: { type: "string" },
  },
};
const error = { type: "object", properties: { error: { type: "object", properties: { status: { type: "integer" }, message: { type: "string" } } } } };

export const petitionsOpenApiPaths = {
  "/api/v1/petitions": {
    get: {
      summary: "Every petition with its goal, dates and its verified and pending counts",
      responses: {
        "200": { description: "All petitions", content: { "application/json": { schema: { type: "object", properties: { items: { type: "array", items: summary } } } } } },
        "429": { description: "Past the rate limit; see Retry-After" },
      },
    },
  },
  "/api/v1/petitions/{id}": {
    get: {
      summary: "One petition: text in English and Spanish, target, sponsors, demands, thresholds and their dates, verified and pending counts. No signer data.",
      parameters: [{ name: "id", in: "path", required: true, description: "The petition's id (uuid) or slug", schema: { type: "string" } }],
      responses: {
        "200": {
          description: "The petition",
          content: {
            "application/json": {
              schema: {
                allOf: [summary, {
                  type: "object",
                  properties: {
                    text: { type: "object", properties: { en: { type: "string" }, es: { type: "string" }, esIsTranslation: { type: "boolean" } } },
                    sponsors: { type: "array", items: { type: "object", properties: { name: { type: "string" }, organization: { type: ["string", "null"] } } } },
                    demands: { type: "array", items: { type: "object", properties: { number: { type: "integer" }, text: bilingual, tracked: { type: ["string", "null"], description: "The campaign page tracking this demand" } } } },
                    thresholds: { type: "array", items: { type: "object", properties: { signatures: { type: "integer" }, label: bilingual, reachedAt: { type: ["string", "null"], format: "date-time" } } } },
                    signerDataDeletedAt: { type: ["string", "null"], format: "date-time" },
                    live: { type: "string", description: "Server-sent events: `count` events with {verified, pending, goal}, sent when the count changes (read once a second)" },
                    signers: { type: "string", description: "Page listing the verified signers who agreed to be listed (name and ZIP code)" },
                  },
                }],
              },
            },
          },
        },
        "404": { description: "No such petition", content: { "application/json": { schema: error } } },
      },
    },
  },
};
