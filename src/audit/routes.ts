import { Hono } from "hono";
import { z } from "zod";
import { authorize } from "../auth/authorize.js";
import type { AppDeps, AppEnv } from "../web/context.js";
import { consistencyProofFor, inclusionProofFor, signedTreeHead } from "./service.js";
import type { AuditKey } from "./signing-key.js";

const position = z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").max(Number.MAX_SAFE_INTEGER);
const treeSize = z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be 1 or more").max(Number.MAX_SAFE_INTEGER);
const inclusionQuery = z
  .object({ seq: position.optional(), hash: z.string().regex(/^[0-9a-f]{64}$/, "must be a leaf hash: 64 lowercase hex digits").optional(), size: treeSize.optional() })
  .refine((q) => q.seq === undefined || q.hash === undefined, { message: "give seq or hash, not both", path: ["seq"] });
const consistencyQuery = z.object({ first: treeSize, second: treeSize });

/**
 * The audit log for anyone to check: the signed tree head, the key that signs
 * it, and RFC 6962/9162 inclusion and consistency proofs against it.
 */
export function auditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/api/v1/audit/tree-head", async (c) => {
    authorize(c.get("actor"), "audit.read");
    const deps = c.get("deps");
    return c.json(await signedTreeHead(deps.db, signingKey(deps)));
  });
  app.get("/api/v1/audit/public-key", (c) => {
    authorize(c.get("actor"), "audit.read");
    const key = signingKey(c.get("deps"));
    return c.json({ algorithm: "Ed25519", keyId: key.keyId, publicKey: key.publicKeyBase64, publicKeyPem: key.publicKeyPem });
  });
  app.get("/api/v1/audit/proof/inclusion", async (c) => {
    authorize(c.get("actor"), "audit.read");
    const query = inclusionQuery.parse(c.req.query());
    return c.json(await inclusionProofFor(c.get("deps").db, { seq: query.seq, leafHash: query.hash, size: query.size }));
  });
  app.get("/api/v1/audit/proof/consistency", async (c) => {
    authorize(c.get("actor"), "audit.read");
    const query = consistencyQuery.parse(c.req.query());
    return c.json(await consistencyProofFor(c.get("deps").db, query.first, query.second));
  });
  return app;
}

function signingKey(deps: AppDeps): AuditKey {
  // The server and the test app always load one; a caller that builds deps without it gets a plain 500.
  if (!deps.auditKey) throw new Error("no audit signing key was given to the app");
  return deps.auditKey;
}
