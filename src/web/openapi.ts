import { auditOpenApiPaths } from "../audit/openapi.js";
import { budgetOpenApiPaths } from "../budget/openapi.js";
import { campaignOpenApiPaths } from "../campaign/openapi.js";
import { petitionsOpenApiPaths } from "../campaign/petitions/openapi.js";
import { reportsOpenApiPaths } from "../cases/reports/openapi.js";
import { staffOpenApiPaths } from "../cases/staff-api.js";
import { recordsOpenApiPaths, recordsOpenApiSchemas } from "../records/openapi.js";

/** The OpenAPI 3.1 document, assembled from each module's paths. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: {
      title: "Oversight API",
      version: "1.0.0",
      description: "Open records of police conduct. Public, read-only, rate-limited. Complainants' identities are never part of any answer.",
    },
    paths: { ...auditOpenApiPaths, ...recordsOpenApiPaths, ...staffOpenApiPaths, ...reportsOpenApiPaths, ...campaignOpenApiPaths, ...budgetOpenApiPaths, ...petitionsOpenApiPaths },
    components: {
      schemas: { ...recordsOpenApiSchemas },
      securitySchemes: { session: { type: "apiKey", in: "cookie", name: "oversight_session", description: "Sign in at /login; send the CSRF token in x-csrf-token on every POST" } },
    },
  };
}
