/** The public reports' paths for /api/openapi.json (OpenAPI 3.1), self-contained: no component to merge. */
const figure = {
  type: "object",
  description: "A figure. value is null when it is not shown: suppressed says why (fewer_than_3: computed from 1 or 2 cases; withheld: hidden so that a small figure cannot be worked out from a total). value null with suppressed null: nothing to compute (a median of no cases).",
  required: ["value", "suppressed"],
  properties: {
    value: { type: ["number", "null"] },
    suppressed: { type: ["string", "null"], enum: ["fewer_than_3", "withheld", null] },
  },
};
const keyed = { type: "object", required: ["key", "value", "suppressed"], properties: { key: { type: "string" }, ...figure.properties } };
const list = (description: string, keys?: readonly string[]) => ({
  type: "array", description,
  items: keys ? { ...keyed, properties: { ...keyed.properties, key: { type: "string", enum: keys } } } : keyed,
});
const durations = { type: "object", properties: { median: figure, p90: figure } };
const categories = ["excessive_force", "false_arrest", "illegal_search", "discourtesy", "discrimination", "criminal_conduct", "death", "other"];
const findings = ["sustained", "not_sustained", "exonerated", "unfounded", "other"];
const byCategory = (description: string) => ({
  type: "array", description,
  items: { type: "object", properties: { category: { type: "string", enum: categories }, findings: list("One entry per finding, in this order", findings) } },
});

export const complaintsReportSchema = {
  type: "object",
  description: "The office's statistics for one period. Every list has a fixed set of keys in a fixed order, except byDistrict and byPenalty. Definitions: /reports/complaints#definitions.",
  properties: {
    report: { const: "complaints" },
    period: {
      type: "object",
      properties: {
        label: { type: "string", examples: ["2026", "2026-Q3"] },
        from: { type: "string", format: "date" },
        to: { type: "string", format: "date", description: "Last day, included" },
        complete: { type: "boolean", description: "False while the period is running" },
        asOf: { type: "string", format: "date-time", description: "The instant the figures describe: the end of the period, or now" },
      },
    },
    disciplineWindow: { type: "string", enum: ["180d", "1y", "18m"] },
    suppressionThreshold: { type: "integer", const: 3 },
    received: {
      type: "object", description: "Complaints received in the period",
      properties: {
        total: figure,
        byChannel: list("By channel", ["online", "phone", "mail", "in_person", "email"]),
        byDistrict: list("Districts shared by at least 3 complaints, by name (alphabetical)"),
        districtNotGiven: figure,
        otherDistricts: { ...figure, description: "Districts with fewer than 3 complaints each, pooled and unnamed" },
      },
    },
    pending: { type: "object", description: "Not closed at the end of the period, by stage", properties: { total: figure, byState: list("By workflow state", ["received", "triage", "contact_log", "mediation", "investigation", "review", "board_review", "discipline_recommended", "final_disposition"]) } },
    closed: {
      type: "object", description: "Closed in the period (last closing in the period, still closed at its end)",
      properties: { total: figure, withFindings: figure, withoutFindings: figure, byOutcome: list("How they closed", ["findings", "mediated", "contact_log", "referred_out", "closed_no_finding"]) },
    },
    daysToClose: {
      type: "object", description: "Whole days from received to closed (rounded down) for cases closed in the period. median: middle value, or mean of the two middle values. p90: nearest rank, ceil(0.9 n). Not shown for fewer than 3 cases.",
      properties: { all: durations, withFindings: durations, withoutFindings: durations },
    },
    findings: {
      type: "object", description: "Allegations of the cases closed in the period",
      properties: { board: byCategory("The board's finding"), department: byCategory("The department's final finding") },
    },
    discipline: {
      type: "object",
      properties: {
        sustainedByBoard: { ...figure, description: "Allegations the board sustained (each with a recommended penalty)" },
        outcome: list("What the department did with them", ["followed", "weaker", "not_comparable", "no_final_decision"]),
        departedFromBoard: { ...figure, description: "Board-decided allegations whose final finding or penalty differs from the board's, either way" },
        byPenalty: {
          type: "array", description: "Recommended and imposed penalties for the allegations the board sustained, heaviest first; penalty null: none recorded",
          items: { type: "object", properties: { penalty: { type: ["string", "null"] }, recommended: figure, imposed: figure } },
        },
      },
    },
    deadlines: {
      type: "array", description: "Each clock for the cases received in the period, as of asOf",
      items: { type: "object", properties: { clock: { type: "string", enum: ["acknowledgement", "first_contact", "classification", "discipline"] }, statuses: list("Statuses", ["met", "missed", "overdue", "open", "not_applicable"]) } },
    },
    complaintsPerOfficer: {
      type: "object", description: "Identified officers on cases received in the period, counted, never named",
      properties: {
        byComplaints: list("Officers named in exactly 1, 2, 3, 4, or 5 or more of the period's complaints", ["1", "2", "3", "4", "5+"]),
        complaintsWithIdentifiedOfficer: figure,
        complaintsWithoutIdentifiedOfficer: figure,
      },
    },
  },
};

const period = {
  name: "period", in: "query",
  description: "A year (2026) or a quarter (2026-Q3), UTC. Default: the current year. A period that has not begun is refused.",
  schema: { type: "string", pattern: "^\\d{4}(-Q[1-4])?$" },
};
const format = { name: "format", in: "query", description: "csv: one row per figure (period, section, group, key, value, suppressed)", schema: { type: "string", enum: ["json", "csv"] } };

export const reportsOpenApiPaths = {
  "/api/v1/reports/complaints": {
    get: {
      summary: "The complaints office's public statistics for a year or a quarter",
      description: "Received by channel and district, pending, closed with and without findings, days to close (median, 90th percentile), findings by category, recommended vs imposed discipline, deadlines met, complaints per officer. Figures from 1 or 2 cases are suppressed (fewer_than_3), and complementary figures withheld, identically in the page, the JSON and the CSV.",
      parameters: [period, format],
      responses: {
        "200": { description: "The report; weak ETag supported", content: { "application/json": { schema: complaintsReportSchema }, "text/csv": { schema: { type: "string" } } } },
        "400": { description: "The period could not be read; the message names the field", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
        "429": { description: "Past the rate limit; see Retry-After" },
      },
    },
  },
};
