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
    paths: { ...recordsOpenApiPaths },
    components: { schemas: { ...recordsOpenApiSchemas } },
  };
}
