import { CheckpointSigner, treeHeadStatement, TreeHasher, verifyConsistency, verifyInclusion, type TreeHead } from '@shenpi/audit';
import { ManualClock, systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { asOwner, rewriteAndRechain } from '../support/as-owner.js';
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

/** Verify holds the log against every signed tree head: a rewrite, a truncation and a forged head are each named. */
describe('verify against signed tree heads', () => {
  let database: ReturnType<typeof testDatabase>;
  let engine: Engine;
  const repos = () => new Repositories(engine.database.reader);
  const append = async (n: number) => {
    for (let i = 0; i < n; i++) await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'step', actor: systemActor(), details: { i } }));
  };

  // A fresh log for each case: each one tampers with it.
  beforeEach(async () => {
    database = testDatabase();
    engine = await Engine.open({ database, clock: new ManualClock(new Date('2026-06-01T00:00:00Z')) });
    await append(9);
    await engine.signTreeHead();
    await append(6);
    await engine.signTreeHead();
  });
  afterEach(async () => {
    await engine.close();
    await database.drop();
  });

  it('passes an untouched log, counting the heads it checked', async () => {
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: true, entries: 15, treeHeads: 2 });
  });

  it('finds a rewrite that recomputed every later chain hash, at the first tree head after it', async () => {
    await rewriteAndRechain(engine, 4, { i: 3, forged: true });
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 9, reason: expect.stringMatching(/^the log's first 9 entries differ from the tree head signed at/) });
  });

  it('finds the end of the log deleted and its head set back to match', async () => {
    await asOwner(engine, 'DELETE FROM audit_entries WHERE seq > 12');
    await engine.writer.run((r) => r.sql.run('UPDATE audit_head SET seq = 12, hash = (SELECT hash FROM audit_entries WHERE seq = 12) WHERE id = 1'));
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 13, reason: expect.stringMatching(/^the log ends at entry 12, but a tree head signed at .* covers 15 entries: entries were removed$/) });
  });

  it('does not hash into the tree an entry edited in the database before the tree reached it', async () => {
    await append(3);
    await asOwner(engine, "UPDATE audit_entries SET canonical = replace(canonical, 'step', 'stpe') WHERE seq = 17");
    await expect(engine.signTreeHead()).rejects.toThrow(/^audit entry 17 does not chain on from entry 16/);
    expect(await repos().tree.size()).toBe(15);
  });

  it('refuses a tree head signed by a key it does not trust, even when its root is right', async () => {
    const rows = await repos().audit.range(0, 12);
    const rootHash = sha.root(rows.map((r) => sha.leaf(r.canonical))).toString('hex');
    const stranger = CheckpointSigner.ephemeral();
    const unsigned = { treeSize: 12, rootHash, timestamp: '2026-06-01T00:00:00.000Z', suite: 'sha256-ed25519' };
    await engine.writer.run((r) => r.tree.insertHead({ ...unsigned, keyId: stranger.keyId, signature: stranger.signStatement(treeHeadStatement(unsigned)) }));
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 12, reason: expect.stringMatching(/^the tree head of 12 entries signed at .* is not signed by a trusted key$/) });
  });
});

/** The checkpoints signed before the tree existed are restated as tree heads of their sizes; a broken one is not. */
describe('checkpoints adopted as tree heads', () => {
  const database = testDatabase();
  let engine: Engine;
  const repos = () => new Repositories(engine.database.reader);
  const append = async (n: number) => {
    for (let i = 0; i < n; i++) await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'step', actor: systemActor(), details: { i } }));
  };

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock(new Date('2026-06-01T00:00:00Z')) });
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('signs a head of each valid checkpoint\'s size with the root of the log at that size, once', async () => {
    await append(6);
    const first = (await engine.checkpoint())!;
    await append(5);
    await engine.checkpoint();
    // A checkpoint under a key nobody pinned: not adopted.
    await append(2);
    const [entry13] = await repos().audit.range(12, 1);
    await engine.writer.run((r) => r.checkpoints.insert(CheckpointSigner.ephemeral().sign({ seq: 13, hash: entry13.hash, at: '2026-06-01T00:00:00.000Z' })));
    await append(1);
    expect(await engine.adoptCheckpoints()).toBe(2);
    const sizes = (await repos().tree.heads(1, 100, 100)).map((h) => h.treeSize);
    expect(sizes).toEqual([first.seq, 11, 14]);
    for (const size of [6, 11]) {
      const head = (await repos().tree.headOfSize(size))!;
      expect(head.rootHash).toBe(sha.root((await repos().audit.range(0, size)).map((row) => sha.leaf(row.canonical))).toString('hex'));
      expect(engine.auditTree.headSignatureValid(head)).toBe(true);
    }
    expect(await engine.adoptCheckpoints()).toBe(0);
  });
});

/** After audit rotate-key retires the key a process holds, that process signs nothing more with it. */
describe('a retired signing key', () => {
  const database = testDatabase();
  let engine: Engine;
  let retired = false;

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock(new Date('2026-06-01T00:00:00Z')), keyRetired: () => retired });
    await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'step', actor: systemActor(), details: {} }));
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('signs neither tree heads nor checkpoints once retired', async () => {
    expect(await engine.signTreeHead()).toMatchObject({ treeSize: 1 });
    retired = true;
    await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: 'step', actor: systemActor(), details: {} }));
    await expect(engine.signTreeHead()).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/retired/) });
    await expect(engine.checkpoint()).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await new Repositories(engine.database.reader).tree.latestHead())?.treeSize).toBe(1);
  });
});
