import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (Certificate Transparency 2.0, §2.1) over the audit log: entries are
 * the leaves in `seq` order, leaf = H(0x00 ‖ entry), node = H(0x01 ‖ left ‖ right), a tree of n
 * leaves split at the largest power of two below n. Proofs have RFC 9162's shapes, so any
 * third-party verifier checks them. The hash is SHA-256, or SM3 for the national suite.
 */
export type TreeHash = 'sha256' | 'sm3';

type Encoding = 'hex' | 'latin1' | 'buffer';
type OneShot = (algorithm: string, data: string | Uint8Array, encoding: Encoding) => string | Buffer;
/** crypto.hash (Node 20.12 and later) skips the Hash object; older Nodes take the long way. */
const oneShot: OneShot = (crypto as { hash?: OneShot }).hash ?? ((algorithm, data, encoding) => createHash(algorithm).update(data).digest(encoding === 'buffer' ? (undefined as never) : encoding === 'latin1' ? 'binary' : 'hex'));

/**
 * One hash of `data` in one call, as hex, bytes, or bytes in a latin1 string (what verify's walk
 * uses: a Buffer made per hash cost more than the hash of a 500-byte text).
 */
export function hashOnce(algorithm: TreeHash, data: string | Uint8Array, encoding: 'hex' | 'latin1'): string;
export function hashOnce(algorithm: TreeHash, data: string | Uint8Array, encoding: 'buffer'): Buffer;
export function hashOnce(algorithm: TreeHash, data: string | Uint8Array, encoding: Encoding): string | Buffer {
  return oneShot(algorithm, data, encoding);
}

export class TreeHasher {
  constructor(readonly algorithm: TreeHash = 'sha256') {}

  digest(...parts: (Uint8Array | string)[]): Buffer {
    const hash = createHash(this.algorithm);
    for (const part of parts) hash.update(part);
    return hash.digest();
  }

  /** The root of the empty tree: the hash of nothing. */
  empty(): Buffer {
    return this.digest();
  }

  leaf(entry: Uint8Array | string): Buffer {
    // A string's leaf is hashed in one call (its UTF-8 after the 0x00 prefix): verify hashes a million.
    return typeof entry === 'string' ? hashOnce(this.algorithm, `\0${entry}`, 'buffer') : this.digest(LEAF_PREFIX, entry);
  }

  node(left: Uint8Array, right: Uint8Array): Buffer {
    if (left.length !== 32 || right.length !== 32) return this.digest(NODE_PREFIX, left, right);
    // Both suites' hashes are 32 bytes: 0x01 ‖ left ‖ right is written into one reused buffer.
    this.pair.set(left, 1);
    this.pair.set(right, 33);
    return hashOnce(this.algorithm, this.pair, 'buffer');
  }

  private readonly pair = Buffer.from([0x01, ...new Array<number>(64).fill(0)]);

  /** MTH(D[n]) over leaf hashes, bottom up (no recursion: 1,000,000 leaves are fine). */
  root(leaves: readonly Uint8Array[]): Buffer {
    if (!leaves.length) return this.empty();
    let level: Uint8Array[] = [...leaves];
    while (level.length > 1) {
      const up: Uint8Array[] = [];
      // An odd last node is carried up as it is: RFC 9162 never duplicates a node.
      for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? this.node(level[i], level[i + 1]) : level[i]);
      level = up;
    }
    return Buffer.from(level[0]);
  }
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/**
 * The root of a growing tree in O(log n) memory: the perfect subtrees of its leaves so far, largest
 * first (a leaf appended merges equal neighbours). Verify walks a million entries with it.
 */
export class CompactRange {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  private count = 0;

  constructor(private readonly hasher: TreeHasher) {}

  get size(): number {
    return this.count;
  }

  /**
   * Appends a leaf, or the root of a perfect subtree of `leaves` leaves (a power of two) where one
   * can start: at a multiple of its size (verify's walk hands over whole runs so).
   */
  append(hash: Buffer, leaves = 1): void {
    if (leaves !== 1 && (!isPowerOfTwo(leaves) || this.count % leaves !== 0)) throw new Error(`a subtree of ${leaves} leaves cannot follow ${this.count}`);
    let node = { size: leaves, hash };
    while (this.stack.length && this.stack[this.stack.length - 1].size === node.size) {
      const left = this.stack.pop()!;
      node = { size: node.size * 2, hash: this.hasher.node(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.count += leaves;
  }

  clone(): CompactRange {
    const copy = new CompactRange(this.hasher);
    copy.stack.push(...this.stack);
    copy.count = this.count;
    return copy;
  }

  /** MTH of the leaves so far: the subtrees folded from the right (RFC 9162 splits at the largest power of two). */
  root(): Buffer {
    if (!this.stack.length) return this.hasher.empty();
    let root = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) root = this.hasher.node(this.stack[i].hash, root);
    return root;
  }
}

/** Whether n is a power of two (arithmetic, not 32-bit bit operations: tree sizes may pass 2^32). */
export const isPowerOfTwo = (n: number): boolean => n >= 1 && Number.isInteger(n) && 2 ** Math.round(Math.log2(n)) === n;

/** The largest power of two smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Where proofs read subtree hashes from: the hash of leaves [start, end), as MTH defines it. The
 * audit log answers from stored nodes; tests answer from a list of leaves.
 */
export type SubtreeHash = (start: number, end: number) => Buffer;

/** A subtree of the tree, as the leaves [start, end) it covers. */
export type Range = [start: number, end: number];

/**
 * PATH(m, D[n]) of RFC 9162 §2.1.3.1 as the subtrees whose hashes make the inclusion proof of leaf
 * `index` in the tree of `size` leaves, in proof order (nearest the leaf first).
 */
export function inclusionRanges(index: number, size: number): Range[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const siblings: Range[] = [];
  // Walk down from the whole tree: the siblings come out root first.
  let [start, end, m] = [0, size, index];
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (m < k) {
      siblings.push([start + k, end]);
      end = start + k;
    } else {
      siblings.push([start, start + k]);
      start += k;
      m -= k;
    }
  }
  return siblings.reverse();
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1 as subtrees, in proof order: that the tree of `first` leaves is a prefix of the tree of `second`. */
export function consistencyRanges(first: number, second: number): Range[] {
  if (!(first >= 0 && first <= second)) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  if (first === 0 || first === second) return [];
  const parts: Range[] = [];
  let [start, end, m, whole] = [0, second, first, true];
  // SUBPROOF(m, D[start:end], whole), unrolled: the parts come out root first.
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      parts.push([start + k, end]);
      end = start + k;
    } else {
      parts.push([start, start + k]);
      start += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) parts.push([start, end]);
  return parts.reverse();
}

export const inclusionPath = (index: number, size: number, subtree: SubtreeHash): Buffer[] => inclusionRanges(index, size).map(([s, e]) => subtree(s, e));

export const consistencyPath = (first: number, second: number, subtree: SubtreeHash): Buffer[] => consistencyRanges(first, second).map(([s, e]) => subtree(s, e));

const lsb = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: does `path` prove `leafHash` is leaf `index` of the tree of `size` leaves with `root`? */
export function verifyInclusion(hasher: TreeHasher, index: number, size: number, leafHash: Uint8Array, path: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false;
  let [fn, sn] = [index, size - 1];
  let r: Uint8Array = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = hasher.node(p, r);
      if (!lsb(fn)) while (!lsb(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = hasher.node(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `first` leaves (`firstRoot`) is a prefix of the tree of `second` (`secondRoot`)? */
export function verifyConsistency(hasher: TreeHasher, first: number, second: number, proof: readonly Uint8Array[], firstRoot: Uint8Array, secondRoot: Uint8Array): boolean {
  if (!(Number.isSafeInteger(first) && Number.isSafeInteger(second) && first >= 0 && first <= second)) return false;
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  if (first === second) return proof.length === 0 && same(firstRoot, secondRoot);
  // Every tree extends the empty one; there is nothing to prove but that its root is the empty root.
  if (first === 0) return proof.length === 0 && same(firstRoot, hasher.empty());
  if (!proof.length) return false;
  const path = [...proof];
  if (isPowerOfTwo(first)) path.unshift(firstRoot);
  let [fn, sn] = [first - 1, second - 1];
  while (lsb(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr: Uint8Array = path[0];
  let sr: Uint8Array = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = hasher.node(c, fr);
      sr = hasher.node(c, sr);
      if (!lsb(fn)) while (!lsb(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = hasher.node(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && same(fr, firstRoot) && same(sr, secondRoot);
}
