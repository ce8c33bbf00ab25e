/** The audit log's paths for /api/openapi.json (OpenAPI 3.1 path objects). */
const error = { description: "Error (the detail names the parameter at fault)", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
const hex32 = { type: "string", pattern: "^[0-9a-f]{64}$" };
const whole = (description: string, minimum: number) => ({ type: "integer", minimum, description });

export const auditOpenApiPaths = {
  "/api/v1/audit/tree-head": {
    get: {
      summary: "The audit log's current signed tree head",
      description:
        "RFC 6962 Merkle tree head of the append-only audit log, signed with Ed25519. The signed bytes are the UTF-8 text " +
        "`oversight-audit-tree-head/v1\\n<size>\\n<root>\\n<timestamp>\\n`. Keep a copy: a later head must extend it (see /api/v1/audit/proof/consistency).",
      responses: {
        "200": {
          description: "The signed tree head",
          content: {
            "application/json": {
              schema: {
                type: "object",
                properties: {
                  size: { type: "integer" }, root: hex32, timestamp: { type: "string", format: "date-time", description: "when the log reached this size" },
                  algorithm: { type: "string", enum: ["Ed25519"] }, keyId: { type: "string" }, publicKey: { type: "string", description: "raw 32-byte key, base64" },
                  signature: { type: "string", description: "base64" },
                },
              },
            },
          },
        },
      },
    },
  },
  "/api/v1/audit/public-key": {
    get: {
      summary: "The Ed25519 public key that signs the tree heads",
      responses: { "200": { description: "The key: raw (base64) and as a SubjectPublicKeyInfo PEM", content: { "application/json": { schema: { type: "object", properties: { algorithm: { type: "string" }, keyId: { type: "string" }, publicKey: { type: "string" }, publicKeyPem: { type: "string" } } } } } } },
    },
  },
  "/api/v1/audit/proof/inclusion": {
    get: {
      summary: "RFC 6962/9162 inclusion proof for one entry",
      description: "The audit path (sibling hashes from the leaf upwards, hex) proving the entry is in the tree of `size` entries. Give seq or hash.",
      parameters: [
        { name: "seq", in: "query", schema: whole("the entry's position (leaf index), from 0", 0) },
        { name: "hash", in: "query", schema: { ...hex32, description: "the entry's leaf hash, instead of seq" } },
        { name: "size", in: "query", schema: whole("tree size (default: the current size)", 1) },
      ],
      responses: {
        "200": { description: "The proof", content: { "application/json": { schema: { type: "object", properties: { leafIndex: { type: "integer" }, treeSize: { type: "integer" }, leafHash: hex32, auditPath: { type: "array", items: hex32 } } } } } },
        "400": error,
        "404": error,
      },
    },
  },
  "/api/v1/audit/proof/consistency": {
    get: {
      summary: "RFC 6962/9162 consistency proof between two tree sizes",
      description: "Proves the tree of `first` entries is a prefix of the tree of `second` entries.",
      parameters: [
        { name: "first", in: "query", required: true, schema: whole("the older tree size", 1) },
        { name: "second", in: "query", required: true, schema: whole("the newer tree size, at most the current size", 1) },
      ],
      responses: {
        "200": { description: "The proof", content: { "application/json": { schema: { type: "object", properties: { first: { type: "integer" }, second: { type: "integer" }, consistency: { type: "array", items: hex32 } } } } } },
        "400": error,
      },
    },
  },
};
