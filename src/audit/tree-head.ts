import { z } from "zod";
import { keyIdOf, signBytes, verifyBytes, type AuditKey } from "./signing-key.js";
import type { KeyObject } from "node:crypto";

/** A tree head before signing: the log's size, its RFC 6962 root, and when it reached that size. */
export interface TreeHead {
  size: number;
  /** Root hash, lowercase hex. */
  root: string;
  /** The `at` of the entry that made the log this size (ISO 8601, UTC); the epoch for an empty log. */
  timestamp: string;
}

/**
 * A signed tree head as it is published and saved: anyone with the public key
 * can check it, and a later log must extend it (a consistency proof).
 */
export interface SignedTreeHead extends TreeHead {
  algorithm: "Ed25519";
  keyId: string;
  /** The raw 32-byte public key, base64: a convenience; check it against the key you trust. */
  publicKey: string;
  /** Ed25519 signature of `treeHeadMessage(head)`, base64. */
  signature: string;
}

export const EMPTY_LOG_TIMESTAMP = "1970-01-01T00:00:00.000Z";

/**
 * The exact bytes that are signed: four lines of text, so anyone can rebuild
 * them without a JSON canonicaliser:
 * `oversight-audit-tree-head/v1\n<size>\n<root hex>\n<timestamp>\n`.
 */
export function treeHeadMessage(head: TreeHead): Buffer {
  return Buffer.from(`oversight-audit-tree-head/v1\n${head.size}\n${head.root}\n${head.timestamp}\n`, "utf8");
}

export function signTreeHead(key: AuditKey, head: TreeHead): SignedTreeHead {
  const { size, root, timestamp } = head;
  return {
    size, root, timestamp,
    algorithm: "Ed25519",
    keyId: key.keyId,
    publicKey: key.publicKeyBase64,
    signature: signBytes(key, treeHeadMessage(head)).toString("base64"),
  };
}

const signedTreeHeadSchema = z.object({
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  root: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits"),
  timestamp: z.string().min(1).max(64),
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, "must be a base64 Ed25519 signature"),
  keyId: z.string().optional(),
});

export type HeadCheck = { ok: true; head: TreeHead } | { ok: false; reason: string };

/**
 * Checks a saved head (parsed JSON of unknown shape) against the public key the
 * checker trusts; the head's own `publicKey` field is never used for that.
 */
export function checkSignedTreeHead(value: unknown, publicKey: KeyObject): HeadCheck {
  const parsed = signedTreeHeadSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `the saved head is not a signed tree head: ${issue.path.join(".") || "head"}: ${issue.message}` };
  }
  const { size, root, timestamp, signature, keyId } = parsed.data;
  const expectedKeyId = keyIdOf(publicKey);
  if (keyId !== undefined && keyId !== expectedKeyId) {
    return { ok: false, reason: `the saved head was signed by key ${keyId}, not by this log's key ${expectedKeyId}` };
  }
  const head = { size, root, timestamp };
  if (!verifyBytes(publicKey, treeHeadMessage(head), Buffer.from(signature, "base64"))) {
    return { ok: false, reason: `the saved head's signature does not verify with key ${expectedKeyId}` };
  }
  return { ok: true, head };
}
