import { emptyRoot, hashChildren } from "./merkle.js";

/**
 * The frontier of an RFC 6962 tree of `size` leaves is the list of roots of its
 * perfect subtrees, largest first: one per set bit of `size`. Keeping it lets the
 * log append and report its root in O(log n) without reading old entries.
 */
export function appendToFrontier(frontier: readonly Buffer[], size: number, leafHash: Uint8Array): Buffer[] {
  const next = [...frontier];
  let carry: Buffer = Buffer.from(leafHash);
  // Each trailing 1 bit of size is a perfect subtree the new leaf completes.
  for (let bits = size; bits & 1; bits >>= 1) {
    carry = hashChildren(next.pop() as Buffer, carry);
  }
  next.push(carry);
  return next;
}

/** The tree's root: the subtree roots folded from the right, as MTH splits them. */
export function rootOfFrontier(frontier: readonly Buffer[]): Buffer {
  if (frontier.length === 0) return emptyRoot();
  let root = frontier[frontier.length - 1];
  for (let i = frontier.length - 2; i >= 0; i -= 1) root = hashChildren(frontier[i], root);
  return root;
}
