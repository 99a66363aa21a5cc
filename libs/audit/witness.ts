import { createPublicKey } from 'node:crypto';
import { treeHeadStatement, type TreeHead } from './audit-tree.js';
import { keyIdOf } from './checkpoint.js';
import { TreeHasher, verifyConsistency } from './merkle.js';
import { verifyBytes } from './signature-scheme.js';
import { suiteNamed } from './suite.js';

/** What a witness remembers between runs: the service's pinned key and the last tree head it accepted. */
export interface WitnessState {
  publicKey: string;
  head?: TreeHead;
}

/** How the witness reaches the log: the latest head, and a consistency proof between two sizes. */
export interface LogClient {
  latestHead(): Promise<TreeHead>;
  consistency(first: number, second: number): Promise<string[]>;
}

export type WitnessFinding = 'signature' | 'suite' | 'rollback' | 'truncation' | 'fork' | 'rewrite' | 'unproven';

/** The suites a tree head may name are ours (suite.ts); the first one a witness accepts is pinned from then on. */

export type WitnessResult = { ok: true; head: TreeHead; previous?: TreeHead } | { ok: false; finding: WitnessFinding; reason: string; head?: TreeHead; previous?: TreeHead };

const unhex = (h: string) => Buffer.from(h, 'hex');

function signedBy(head: TreeHead, publicKeyPem: string): boolean {
  if (head.keyId !== keyIdOf(publicKeyPem)) return false;
  try {
    return verifyBytes(createPublicKey(publicKeyPem), Buffer.from(treeHeadStatement(head)), Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * One witness check (as immudb's auditor and CT's monitors do): the new head must be signed by the
 * pinned key and extend the one held before, by an RFC 9162 consistency proof. A smaller tree than
 * the one held is a truncation (or a replay of an older head: a rollback); the same size with
 * another root, or a proof that fails, is a rewrite or a fork. The caller saves the new state only
 * when ok.
 */
export async function witnessCheck(state: WitnessState, log: LogClient): Promise<WitnessResult> {
  const head = await log.latestHead();
  const previous = state.head;
  if (!signedBy(head, state.publicKey)) return { ok: false, finding: 'signature', reason: `the tree head of ${head.treeSize} entries is not signed by the pinned key`, head, previous };
  // The hash is the one held before (or a known one, the first time): a head cannot switch to a weak one.
  const pinnedSuite = previous?.suite;
  if (!suiteNamed(head.suite) || (pinnedSuite && head.suite !== pinnedSuite)) {
    return { ok: false, finding: 'suite', reason: `the tree head names the suite ${head.suite}${pinnedSuite ? `, not the ${pinnedSuite} held` : ''}`, head, previous };
  }
  if (!previous) return { ok: true, head };
  if (head.treeSize < previous.treeSize) {
    const older = head.timestamp < previous.timestamp;
    return {
      ok: false,
      finding: older ? 'rollback' : 'truncation',
      reason: older
        ? `the log answered an older tree head (${head.treeSize} entries, ${head.timestamp}) than the one held (${previous.treeSize}, ${previous.timestamp})`
        : `the log has ${head.treeSize} entries, fewer than the ${previous.treeSize} of the tree head held: entries were removed`,
      head,
      previous,
    };
  }
  if (head.treeSize === previous.treeSize) {
    if (head.rootHash === previous.rootHash) return { ok: true, head, previous };
    return { ok: false, finding: 'fork', reason: `two tree heads of ${head.treeSize} entries with different roots: the log forked`, head, previous };
  }
  const hasher = new TreeHasher(suiteNamed(head.suite)!.hash);
  let proof: string[];
  try {
    proof = await log.consistency(previous.treeSize, head.treeSize);
  } catch (err) {
    // A log that signs a bigger tree but will not prove it extends the one held is itself a finding.
    return { ok: false, finding: 'unproven', reason: `the log signed ${head.treeSize} entries but gave no consistency proof from the ${previous.treeSize} held: ${err instanceof Error ? err.message : err}`, head, previous };
  }
  if (!Array.isArray(proof) || !verifyConsistency(hasher, previous.treeSize, head.treeSize, proof.map(unhex), unhex(previous.rootHash), unhex(head.rootHash))) {
    return { ok: false, finding: 'rewrite', reason: `the tree of ${head.treeSize} entries does not extend the one of ${previous.treeSize} held: history was rewritten (or the log forked)`, head, previous };
  }
  return { ok: true, head, previous };
}
