import { createPublicKey, type KeyObject } from 'node:crypto';
import { notFound, validationFailed } from '@shenpi/domain';
import type { CosignatureRow, Repositories, TreeHeadRow } from '@shenpi/persistence';
import { canonicalJson } from './canonical-json.js';
import { EntryDigests, GENESIS, linkedHashOf } from './audit-entry.js';
import { keyIdOf, type CheckpointSigner } from './checkpoint.js';
import { consistencyRanges, inclusionRanges, isPowerOfTwo, splitPoint, type Range, type TreeHasher } from './merkle.js';
import type { TrustedKeys } from './trusted-keys.js';
import { schemeOf, verifyBytes } from './signature-scheme.js';
import type { AuditSuite } from './suite.js';

/** A signed tree head: the log's Merkle root at a size, at a time (RFC 9162's STH). */
export type TreeHead = TreeHeadRow;

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
}

export interface ConsistencyProof {
  first: number;
  second: number;
  proof: string[];
}

/** What a tree head's signature covers: canonical JSON, so any implementation rebuilds the bytes. */
export const treeHeadStatement = (h: Pick<TreeHead, 'treeSize' | 'rootHash' | 'timestamp' | 'suite'>) =>
  canonicalJson({ v: 1, kind: 'shenpi-audit-tree-head', treeSize: h.treeSize, rootHash: h.rootHash, timestamp: h.timestamp, suite: h.suite });

/** Leaves hashed into the stored tree per transaction, so a first catch-up of a large log never holds the writer long. */
const EXTEND_BATCH = 5_000;

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * The audit log's Merkle tree (RFC 9162), kept in `audit_tree_nodes` beside the log: each entry is a
 * leaf, hashed from the canonical text its hash chain covers. The tree is extended after the
 * entries' own commits, in batches, so a decision's transaction writes no tree rows; proofs are
 * built from stored perfect subtrees (O(log² n) reads, one statement).
 */
export class AuditTree {
  constructor(
    readonly hasher: TreeHasher,
    private readonly trusted: TrustedKeys,
    private readonly auditSuite: AuditSuite,
  ) {}

  get suite(): string {
    return this.auditSuite.name;
  }

  /**
   * Hashes the entries the stored tree does not cover yet (up to a batch, only while their seq
   * runs on without a gap) into leaves and the subtrees they complete. Returns the new size.
   */
  async extend(repos: Repositories): Promise<number> {
    await repos.tree.lockForExtend();
    const size = await repos.tree.size();
    const rows = await repos.audit.texts(size, EXTEND_BATCH);
    const fresh = rows.filter((r, i) => r.seq === size + i + 1);
    if (!fresh.length) return size;
    // The tree only takes entries that chain on from the ones it holds: a row edited in the
    // database before it was hashed in is refused here, not signed into a tree head.
    let prevHash = size === 0 ? GENESIS : (await repos.audit.texts(size - 1, 1))[0]?.hash;
    const digests = new EntryDigests(this.hasher.algorithm);
    const leaves = fresh.map((row) => {
      const { hash, leaf } = digests.of(prevHash, row.canonical);
      if (linkedHashOf(row.canonical) !== prevHash || row.hash !== hash) {
        throw new Error(`audit entry ${row.seq} does not chain on from entry ${row.seq - 1}: the Merkle tree is not extended past it (run audit verify)`);
      }
      prevHash = row.hash;
      return leaf;
    });
    const written: { level: number; idx: number; hash: string }[] = [];
    let current = new Map(leaves.map((leaf, i) => [size + i, leaf]));
    let [level, lo, hi] = [0, size, size + fresh.length];
    for (;;) {
      for (const [idx, hash] of current) if (idx >= lo) written.push({ level, idx, hash: hex(hash) });
      const [parentsLo, parentsHi] = [Math.floor(lo / 2), Math.floor(hi / 2)];
      if (parentsHi <= parentsLo) break;
      // The first new parent's left child may be a node stored before this batch.
      if (lo % 2 === 1) current.set(lo - 1, Buffer.from((await repos.tree.nodes([[level, lo - 1]])).get(`${level}:${lo - 1}`)!, 'hex'));
      const parents = new Map<number, Buffer>();
      for (let p = parentsLo; p < parentsHi; p++) parents.set(p, this.hasher.node(current.get(2 * p)!, current.get(2 * p + 1)!));
      [level, lo, hi, current] = [level + 1, parentsLo, parentsHi, parents];
    }
    await repos.tree.insertNodes(written);
    return size + fresh.length;
  }

  /** MTH of the first `size` leaves, from the stored tree. */
  async root(repos: Repositories, size: number): Promise<Buffer> {
    if (size === 0) return this.hasher.empty();
    return (await this.subtrees(repos, [[0, size]]))[0];
  }

  async inclusion(repos: Repositories, leafIndex: number, treeSize: number): Promise<InclusionProof> {
    const [leaf, ...path] = await this.subtrees(repos, [[leafIndex, leafIndex + 1], ...inclusionRanges(leafIndex, treeSize)]);
    return { leafIndex, treeSize, leafHash: hex(leaf), auditPath: path.map(hex) };
  }

  async consistency(repos: Repositories, first: number, second: number): Promise<ConsistencyProof> {
    return { first, second, proof: (await this.subtrees(repos, consistencyRanges(first, second))).map(hex) };
  }

  /** Signs the stored tree at its current size, unless a head of that size exists already. */
  async signHead(repos: Repositories, signer: CheckpointSigner, timestamp: string): Promise<TreeHead | null> {
    const treeSize = await repos.tree.size();
    return treeSize === 0 ? null : this.signHeadAt(repos, signer, treeSize, timestamp);
  }

  /** Signs the tree of the first `treeSize` leaves (the stored tree must reach it), unless a head of that size exists. */
  async signHeadAt(repos: Repositories, signer: CheckpointSigner, treeSize: number, timestamp: string): Promise<TreeHead> {
    const existing = await repos.tree.headOfSize(treeSize);
    if (existing) return existing;
    const unsigned = { treeSize, rootHash: hex(await this.root(repos, treeSize)), timestamp, suite: this.suite };
    const head: TreeHead = { ...unsigned, keyId: signer.keyId, signature: signer.signStatement(treeHeadStatement(unsigned)) };
    // Another process may have signed this size meanwhile: the stored head is the one to answer with.
    return (await repos.tree.insertHead(head)) ? head : (await repos.tree.headOfSize(treeSize))!;
  }

  /**
   * Stores a witness's signature over the head of `treeSize` (the same statement the log signs),
   * after checking it under the witness's own key: anyone holding that key can check it again.
   */
  async cosign(repos: Repositories, treeSize: number, witness: { publicKey: string; signature: string }, at: string): Promise<CosignatureRow> {
    const head = await repos.tree.headOfSize(treeSize);
    if (!head) throw notFound(`tree head of size ${treeSize}`);
    let key: KeyObject;
    try {
      key = createPublicKey(witness.publicKey);
    } catch {
      throw validationFailed([{ field: 'publicKey', reason: 'not a public key (SPKI PEM)' }]);
    }
    if (!schemeOf(key)) throw validationFailed([{ field: 'publicKey', reason: 'must be an Ed25519 or SM2 key' }]);
    if (!verifyBytes(key, Buffer.from(treeHeadStatement(head)), Buffer.from(witness.signature, 'base64'))) {
      throw validationFailed([{ field: 'signature', reason: `does not verify over the tree head of ${treeSize} entries under the key given` }]);
    }
    const row = { treeSize, witnessKeyId: keyIdOf(witness.publicKey), publicKey: witness.publicKey, signature: witness.signature, at };
    if (await repos.tree.insertCosignature(row)) return row;
    return (await repos.tree.cosignatures(treeSize)).find((c) => c.witnessKeyId === row.witnessKeyId)!;
  }

  /** Signed by a pinned key, at a time it was valid. */
  headSignatureValid(head: TreeHead): boolean {
    return this.trusted.verifies(treeHeadStatement(head), head.keyId, head.signature, head.timestamp);
  }

  /**
   * The hashes of RFC 9162 subtrees [start, end) of the stored tree. Each is a perfect subtree
   * (stored) or splits at its largest power of two into a perfect left part and a smaller right
   * one: all stored nodes needed are read in one statement, then hashed up.
   */
  private async subtrees(repos: Repositories, ranges: readonly Range[]): Promise<Buffer[]> {
    const keys = new Map<string, [number, number]>();
    const visit = (start: number, end: number, use: (level: number, idx: number) => void): void => {
      const n = end - start;
      if (isPowerOfTwo(n) && start % n === 0) return use(Math.log2(n), start / n);
      const k = splitPoint(n);
      visit(start, start + k, use);
      visit(start + k, end, use);
    };
    for (const [start, end] of ranges) visit(start, end, (level, idx) => keys.set(`${level}:${idx}`, [level, idx]));
    const stored = await repos.tree.nodes([...keys.values()]);
    const hashOf = (start: number, end: number): Buffer => {
      const n = end - start;
      if (isPowerOfTwo(n) && start % n === 0) {
        const hash = stored.get(`${Math.log2(n)}:${start / n}`);
        if (!hash) throw new Error(`the audit tree has no node for leaves [${start}, ${end}): it is not extended that far`);
        return Buffer.from(hash, 'hex');
      }
      const k = splitPoint(n);
      return this.hasher.node(hashOf(start, start + k), hashOf(start + k, end));
    };
    return ranges.map(([start, end]) => hashOf(start, end));
  }
}
