/** The budget module's paths for the OpenAPI document (spread into web/openapi.ts as `...budgetOpenApiPaths`). */
const json = (description: string) => ({ description, content: { "application/json": { schema: { type: "object" } } } });
const error = { description: "Refused: { error: { status, reason, message } }", content: { "application/json": { schema: { type: "object" } } } };
const slug = { name: "slug", in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9][a-z0-9-]{1,79}$" } };
const percent = (name: string) => ({ name, in: "query", required: false, schema: { type: "integer", minimum: 0, maximum: 100, default: 25 }, description: `Percent of the amount moved that goes to ${name}; the four must add up to 100` });

export const budgetOpenApiPaths = {
  "/api/v1/budget/years": {
    get: { tags: ["budget"], summary: "Budget years: the police budget, the general fund (null when unknown), the share in basis points, the 20% cap and the amount that would have to move, with every line and its source", responses: { "200": json("{ years: [...] }") } },
  },
  "/api/v1/budget/years/{id}": {
    get: { tags: ["budget"], summary: "One budget year", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }], responses: { "200": json("A budget year"), "404": error } },
  },
  "/api/v1/budget/what-if": {
    get: {
      tags: ["budget"],
      summary: "What-if: move an amount from the police to the four People's Budget categories. Integer cents throughout; the split uses the largest-remainder method and adds up exactly.",
      parameters: [
        { name: "year", in: "query", required: true, schema: { type: "string", format: "uuid" } },
        { name: "move", in: "query", required: true, schema: { type: "integer", minimum: 0 }, description: "Whole dollars to move" },
        percent("housing"), percent("healthcare"), percent("infrastructure"), percent("education"),
        { name: "gf", in: "query", required: false, schema: { type: "integer", minimum: 1 }, description: "An assumed general fund total in whole dollars (reported back as an assumption)" },
      ],
      responses: { "200": json("The scenario"), "400": error, "404": error },
    },
  },
  "/api/v1/budget/processes": {
    get: { tags: ["budget"], summary: "People's Budget processes", responses: { "200": json("{ processes: [...] }") } },
  },
  "/api/v1/budget/processes/{slug}": {
    get: { tags: ["budget"], summary: "A People's Budget process with its projects", parameters: [slug], responses: { "200": json("A process"), "404": error } },
  },
  "/api/v1/budget/processes/{slug}/results": {
    get: {
      tags: ["budget"],
      summary: "Results by every rule (greedy, Method of Equal Shares with add-one completion, Phragmén for approval ballots), per group and per category; published once voting closes",
      parameters: [slug],
      responses: { "200": json("Results"), "404": error, "409": error },
    },
  },
} as const;
