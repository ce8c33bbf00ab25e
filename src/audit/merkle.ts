/**
 * RFC 6962 (Certificate Transparency) Merkle tree hashing, proofs and proof
 * verification for the tamper-evident audit log.
 *
 * The audit log is public evidence: anyone holding a published root must be
 * able to check that a record is in the log (inclusion) and that the log only
 * ever grew (consistency). Using the RFC 6962 construction, rather than an
 * ad-hoc one, lets third parties check our roots with off-the-shelf tooling
 * (transparency-dev/merkle, sigstore, CT clients).
 *
 * Builders (`rootFromLeafHashes`, `CompactRange`, `inclusionProof`,
 * `consistencyProof`) throw on programming errors. Verifiers never throw: they
 * sit on the boundary with untrusted input, and a verdict of "not proven" is
 * the only safe answer to malformed evidence.
 *
 * Tree sizes and indices are JavaScript numbers, so trees are limited to
 * 2^53 - 1 leaves; verifiers reject anything that is not a safe integer.
 */
import { createHash } from 'node:crypto';

/** SHA-256 output size; every leaf, node and root hash must be exactly this. */
const HASH_SIZE = 32;

// Domain-separation prefixes (RFC 6962 §2.1). Without them, an interior node
// could be passed off as a leaf (second-preimage attack on the tree).
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** Hash of one log entry: SHA-256(0x00 || entry). */
export function hashLeaf(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

/** Hash of an interior node: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** Root of a tree with no entries: SHA-256 of the empty string. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/**
 * Incremental RFC 6962 root over leaves appended in order, keeping only the
 * roots of the perfect subtrees that make up the current size (one per set
 * bit of `size`), so memory stays O(log n) however long the log gets. This is
 * what lets an auditor stream millions of entries and compare the result with
 * a published root without holding the log in memory.
 */
export class CompactRange {
  // Roots of perfect subtrees, largest (leftmost) first; sizes follow the
  // binary digits of `#size`, most significant first.
  readonly #subtrees: Buffer[] = [];
  #size = 0;

  /**
   * Resumes a tree from its stored frontier (the subtree roots, largest first),
   * so an append-only log need not re-read its old entries.
   */
  static fromFrontier(size: number, subtrees: readonly Uint8Array[]): CompactRange {
    const ones = size.toString(2).split('').filter((digit) => digit === '1').length;
    if (!Number.isSafeInteger(size) || size < 0 || ones !== subtrees.length) {
      throw new RangeError(`a frontier for ${size} leaves needs ${ones} subtree roots, got ${subtrees.length}`);
    }
    const range = new CompactRange();
    for (const hash of subtrees) {
      assertHash(hash, 'subtree root');
      range.#subtrees.push(Buffer.from(hash));
    }
    range.#size = size;
    return range;
  }

  /** Copies of the subtree roots, largest first: what to store to resume later. */
  get frontier(): Buffer[] {
    return this.#subtrees.map((hash) => Buffer.from(hash));
  }

  /** Number of leaves appended so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends the next leaf hash (as produced by `hashLeaf`). */
  append(leafHash: Uint8Array): void {
    assertHash(leafHash, 'leaf hash');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree size limit reached');
    // Copy so a caller reusing its buffer cannot rewrite our history.
    let node: Buffer = Buffer.from(leafHash);
    // Each trailing 1-bit of the old size is a same-sized subtree on the left
    // that the new leaf now completes; merging them is binary carry.
    for (let carry = this.#size; isOdd(carry); carry = half(carry)) {
      node = hashChildren(this.#subtrees.pop()!, node);
    }
    this.#subtrees.push(node);
    this.#size += 1;
  }

  /** RFC 6962 root (MTH) of all leaves appended so far. */
  root(): Buffer {
    if (this.#subtrees.length === 0) return emptyRoot();
    // RFC 6962 splits at the largest power of two, so the tree's right spine
    // is exactly these subtrees folded together from the right.
    let acc = this.#subtrees[this.#subtrees.length - 1];
    for (let i = this.#subtrees.length - 2; i >= 0; i--) {
      acc = hashChildren(this.#subtrees[i], acc);
    }
    return Buffer.from(acc);
  }
}

/**
 * RFC 6962 root (MTH) of a list of leaf hashes. O(n) time, O(log n) extra
 * memory, no recursion, so it is safe for logs with millions of entries.
 */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Buffer {
  return rangeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * RFC 6962 inclusion proof (audit PATH) for the leaf at `index`: sibling
 * hashes ordered from the leaf upwards. O(n) hashing, O(log n) extra memory.
 * Throws RangeError if `index` is not a leaf of the tree.
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number): Buffer[] {
  const size = leafHashes.length;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} out of range for tree size ${size}`);
  }
  // Walk down from the root, recording the subtree on the far side of each
  // split; the RFC lists those siblings bottom-up, hence the final reverse.
  const siblings: Buffer[] = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const mid = start + splitPoint(end - start);
    if (index < mid) {
      siblings.push(rangeRoot(leafHashes, mid, end));
      end = mid;
    } else {
      siblings.push(rangeRoot(leafHashes, start, mid));
      start = mid;
    }
  }
  return siblings.reverse();
}

/**
 * RFC 6962 consistency proof (PROOF/SUBPROOF) that the first `oldSize` leaves
 * are a prefix of `leafHashes`. Returns [] when `oldSize` equals the tree size.
 * Throws RangeError for `oldSize` 0 (RFC 6962 requires 0 < m, and
 * `verifyConsistency` rejects it, so such a proof would be useless) or for
 * `oldSize` greater than the tree size.
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], oldSize: number): Buffer[] {
  const size = leafHashes.length;
  if (!Number.isSafeInteger(oldSize) || oldSize < 1 || oldSize > size) {
    throw new RangeError(`old size ${oldSize} out of range for tree size ${size}`);
  }
  // Iterative SUBPROOF: descend while the old tree ends strictly inside the
  // current subtree. `oldIsWholeSubtree` is the RFC's flag `b`: the verifier
  // already knows the old root, so it is only omitted while we have not yet
  // stepped right of a split.
  const nodes: Buffer[] = [];
  let start = 0;
  let end = size;
  let oldEnd = oldSize;
  let oldIsWholeSubtree = true;
  while (oldEnd !== end) {
    const mid = start + splitPoint(end - start);
    if (oldEnd <= mid) {
      nodes.push(rangeRoot(leafHashes, mid, end));
      end = mid;
    } else {
      nodes.push(rangeRoot(leafHashes, start, mid));
      start = mid;
      oldIsWholeSubtree = false;
    }
  }
  if (!oldIsWholeSubtree) nodes.push(rangeRoot(leafHashes, start, end));
  return nodes.reverse();
}

/**
 * Checks that `leafHash` is the leaf at `index` in the tree of `treeSize`
 * leaves whose root is `root`, using the RFC 9162 §2.1.3.2 algorithm. Returns
 * false (never throws) for any malformed input: index out of range, sizes
 * that are not safe integers, hashes that are not 32 bytes, wrong proof length.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  try {
    if (!isTreeSize(treeSize) || !isTreeSize(index) || index >= treeSize) return false;
    if (!isHash(leafHash) || !isHash(root) || !isHashList(proof)) return false;
    const computed = rootFromInclusionPath(leafHash, index, treeSize, proof);
    return computed !== null && bytesEqual(computed, root);
  } catch {
    // The contract is a boolean verdict; an exotic input (a throwing getter,
    // a proxy) must not turn a verification failure into a crash.
    return false;
  }
}

/**
 * Checks that the tree of `oldSize` leaves with root `oldRoot` is a prefix of
 * the tree of `newSize` leaves with root `newRoot`, using the RFC 9162
 * §2.1.4.2 algorithm. Returns false (never throws) on any malformed input.
 *
 * Edge cases follow transparency-dev/merkle (and its test vectors):
 * - `oldSize === newSize`: valid iff the proof is empty and the roots are
 *   byte-identical (nothing is recomputed, so root length is not checked);
 * - `oldSize === 0`: always false, even against an empty new tree — a proof
 *   from the empty tree attests nothing, and accepting it would let a caller
 *   mistake "no check" for "checked";
 * - `oldSize > newSize`: false (a log that shrank is not consistent).
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  try {
    if (!isTreeSize(oldSize) || !isTreeSize(newSize)) return false;
    if (oldSize === 0 || oldSize > newSize) return false;
    if (!(oldRoot instanceof Uint8Array) || !(newRoot instanceof Uint8Array)) return false;
    if (!Array.isArray(proof)) return false;
    if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
    if (!isHash(oldRoot) || !isHash(newRoot) || !isHashList(proof)) return false;
    return consistencyPathHolds(oldSize, newSize, oldRoot, newRoot, proof);
  } catch {
    // See verifyInclusion: a verdict, never an exception.
    return false;
  }
}

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

/** MTH of leafHashes[start, end), streamed so memory stays O(log n). */
function rangeRoot(leafHashes: readonly Uint8Array[], start: number, end: number): Buffer {
  const range = new CompactRange();
  for (let i = start; i < end; i++) range.append(leafHashes[i]);
  return range.root();
}

/** Largest power of two strictly smaller than n (n >= 2): the RFC 6962 split. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Replays an inclusion path up to the root. Returns null when the proof has
 * the wrong number of nodes for this index and size, which is how truncated,
 * padded or re-indexed proofs are caught before any root comparison.
 */
function rootFromInclusionPath(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  // fn walks the leaf's position up the tree; sn the last leaf's position.
  // Where they coincide the node sits on the right border and has no right
  // sibling, so the level is skipped rather than hashed.
  let fn = index;
  let sn = treeSize - 1;
  let hash: Uint8Array = leafHash;
  for (const sibling of proof) {
    if (sn === 0) return null;
    if (isOdd(fn) || fn === sn) {
      hash = hashChildren(sibling, hash);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      hash = hashChildren(hash, sibling);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? hash : null;
}

/**
 * RFC 9162 consistency check for 0 < oldSize < newSize: rebuilds both roots
 * from the same path. Left siblings belong to both trees; right siblings only
 * to the new one. Both roots must match and the path must be fully consumed.
 */
function consistencyPathHolds(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (proof.length === 0) return false;
  // When the old tree is a perfect subtree the prover omits its root, since
  // the verifier already holds it; put it back so both cases share one loop.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let oldHash: Uint8Array = path[0];
  let newHash: Uint8Array = path[0];
  for (const node of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      oldHash = hashChildren(node, oldHash);
      newHash = hashChildren(node, newHash);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      newHash = hashChildren(newHash, node);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(oldHash, oldRoot) && bytesEqual(newHash, newRoot);
}

// Bitwise operators truncate to 32 bits; trees past 2^32 leaves are plausible
// for long-lived logs, so position arithmetic uses plain division instead.
function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isPowerOfTwo(n: number): boolean {
  let k = n;
  while (k > 1 && !isOdd(k)) k = half(k);
  return k === 1;
}

function isTreeSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

// Every hash fed into hashChildren must be exactly 32 bytes: with variable
// lengths, bytes could slide between a node's left and right halves and two
// different proofs would hash to the same root.
function isHash(h: unknown): h is Uint8Array {
  return h instanceof Uint8Array && h.length === HASH_SIZE;
}

function isHashList(list: unknown): list is readonly Uint8Array[] {
  return Array.isArray(list) && list.every(isHash);
}

function assertHash(h: unknown, what: string): asserts h is Uint8Array {
  if (!isHash(h)) throw new TypeError(`${what} must be a ${HASH_SIZE}-byte Uint8Array`);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
