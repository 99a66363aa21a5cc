import { createPublicKey } from 'node:crypto';
import { canonicalOf, hashOf, type AuditEntry } from './audit-entry.js';
import { treeHeadStatement, type TreeHead } from './audit-tree.js';
import { keyIdOf } from './checkpoint.js';
import { TreeHasher, verifyInclusion } from './merkle.js';
import { verifyBytes } from './signature-scheme.js';
import { suiteNamed } from './suite.js';

/**
 * A document's history as anyone can check it offline: the audit entries included, each with its inclusion
 * proof in one signed tree head. No database and no trust in the service are needed, only the
 * service's public key, obtained some other way (a letter, a website, the rule-of-law office).
 */
export interface ProofBundle {
  v: 1;
  documentId: string;
  treeHead: TreeHead;
  entries: { entry: AuditEntry; leafIndex: number; auditPath: string[] }[];
}

export type BundleCheck = { ok: true; entries: number; treeSize: number; timestamp: string; keyId: string } | { ok: false; reason: string };

const unhex = (h: string) => Buffer.from(h, 'hex');

/** Checks a bundle against a pinned public key (SPKI PEM): the head's signature, then each entry's text and inclusion. */
export function verifyBundle(bundle: ProofBundle, publicKeyPem: string): BundleCheck {
  const head = bundle?.treeHead;
  if (bundle?.v !== 1 || !head || !Array.isArray(bundle.entries)) return { ok: false, reason: 'not a proof bundle (version 1)' };
  if (!bundle.entries.length) return { ok: false, reason: 'the bundle proves no entry' };
  const keyId = keyIdOf(publicKeyPem);
  if (head.keyId !== keyId) return { ok: false, reason: `the tree head is signed by key ${head.keyId}, not by the key given (${keyId})` };
  let signed = false;
  try {
    signed = verifyBytes(createPublicKey(publicKeyPem), Buffer.from(treeHeadStatement(head)), Buffer.from(head.signature, 'base64'));
  } catch {
    signed = false;
  }
  if (!signed) return { ok: false, reason: 'the tree head signature does not verify under the key given' };
  const suite = suiteNamed(head.suite);
  if (!suite) return { ok: false, reason: `unknown suite ${head.suite}` };
  const hasher = new TreeHasher(suite.hash);
  for (const { entry, leafIndex, auditPath } of bundle.entries) {
    if (entry.documentId !== bundle.documentId) return { ok: false, reason: `entry ${entry.seq} is not of document ${bundle.documentId}` };
    if (leafIndex !== entry.seq - 1) return { ok: false, reason: `entry ${entry.seq} is proven as leaf ${leafIndex}, not ${entry.seq - 1}` };
    // The leaf is the entry's canonical text, rebuilt here from the fields shown: what is read is what was logged.
    const { hash, ...unsigned } = entry;
    const canonical = canonicalOf(unsigned);
    // The entry's own chain hash is shown too: it must be the one its text gives.
    if (hash !== hashOf(entry.prevHash, canonical, suite.hash)) return { ok: false, reason: `entry ${entry.seq}'s hash is not the hash of its text` };
    const leaf = hasher.leaf(canonical);
    if (!verifyInclusion(hasher, leafIndex, head.treeSize, leaf, auditPath.map(unhex), unhex(head.rootHash))) {
      return { ok: false, reason: `entry ${entry.seq} is not in the signed tree of ${head.treeSize} entries as shown` };
    }
  }
  return { ok: true, entries: bundle.entries.length, treeSize: head.treeSize, timestamp: head.timestamp, keyId };
}
