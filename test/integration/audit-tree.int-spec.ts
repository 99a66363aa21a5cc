import { TreeHasher, verifyConsistency, verifyInclusion, type TreeHead } from '@shenpi/audit';
import { ManualClock, systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { testDatabase } from '../support/test-app.js';

const sha = new TreeHasher('sha256');
const unhex = (h: string) => Buffer.from(h, 'hex');

/**
 * The audit log as an RFC 9162 Merkle tree: extended after the entries' commits, signed as tree
 * heads, and proven by inclusion and consistency proofs that a verifier holding only the heads checks.
 */
describe('the audit Merkle tree', () => {
  const database = testDatabase();
  let engine: Engine;
  const repos = () => new Repositories(engine.database.reader);
  const heads: TreeHead[] = [];

  const append = async (n: number) => {
    for (let i = 0; i < n; i++) await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'step', actor: systemActor(), details: { i } }));
  };
  /** The root computed from the entries themselves, not from the stored tree. */
  const rootOfLog = async (size: number) => sha.root((await repos().audit.range(0, size)).map((row) => sha.leaf(row.canonical)));

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock(new Date('2026-06-01T00:00:00Z')) });
    // Heads at sizes that exercise every shape: odd, a power of two, one past it.
    for (const n of [5, 2, 1, 8, 13, 3, 1]) {
      await append(n);
      heads.push((await engine.signTreeHead())!);
    }
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('signs heads whose roots are the RFC 9162 roots of the log, under the service key', async () => {
    expect(heads.map((h) => h.treeSize)).toEqual([5, 7, 8, 16, 29, 32, 33]);
    for (const head of heads) {
      expect(head.rootHash).toBe((await rootOfLog(head.treeSize)).toString('hex'));
      expect(head).toMatchObject({ suite: 'sha256-ed25519', keyId: engine.checkpointSigner.keyId });
      expect(engine.auditTree.headSignatureValid(head)).toBe(true);
      expect(engine.auditTree.headSignatureValid({ ...head, treeSize: head.treeSize + 1 })).toBe(false);
    }
    // Nothing appended since the last head: signing again returns it.
    expect(await engine.signTreeHead()).toEqual(heads.at(-1));
  });

  it('proves every entry in every signed tree it belongs to', async () => {
    for (const head of heads) {
      for (let seq = 1; seq <= head.treeSize; seq++) {
        const proof = await engine.auditTree.inclusion(repos(), seq - 1, head.treeSize);
        const [row] = await repos().audit.range(seq - 1, 1);
        expect(proof.leafHash).toBe(sha.leaf(row.canonical).toString('hex'));
        expect(verifyInclusion(sha, proof.leafIndex, proof.treeSize, unhex(proof.leafHash), proof.auditPath.map(unhex), unhex(head.rootHash))).toBe(true);
      }
    }
  });

  it('proves every signed head consistent with every later one', async () => {
    for (const [i, first] of heads.entries()) {
      for (const second of heads.slice(i)) {
        const { proof } = await engine.auditTree.consistency(repos(), first.treeSize, second.treeSize);
        expect(verifyConsistency(sha, first.treeSize, second.treeSize, proof.map(unhex), unhex(first.rootHash), unhex(second.rootHash))).toBe(true);
      }
    }
  });

  it('keeps its nodes and heads append-only', async () => {
    await expect(engine.writer.run((r) => r.sql.run("UPDATE audit_tree_nodes SET hash = 'x'"))).rejects.toThrow(/append-only/);
    await expect(engine.writer.run((r) => r.sql.run('DELETE FROM audit_tree_heads'))).rejects.toThrow(/append-only/);
  });
});
