import { checkpointSignatureValid, CheckpointSigner } from '@shenpi/audit';
import { ManualClock, systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { asOwner, editText, rewriteAndRechain } from '../support/as-owner.js';
import { fillAudit } from '../support/audit-fill.js';
import { testDatabase } from '../support/test-app.js';

/**
 * Signed checkpoints: an owner who rewrites the log and recomputes every hash after the change
 * leaves a chain that is consistent in itself, but not with what was signed before.
 */
describe('audit checkpoints and verify at scale', () => {
  const database = testDatabase();
  let engine: Engine;
  const signer = CheckpointSigner.ephemeral();
  const repos = () => new Repositories(engine.database.reader);

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock(), checkpointSigner: signer });
    for (let i = 1; i <= 10; i++) {
      await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: `step-${i}`, actor: systemActor(), details: { i } }));
    }
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('signs the head once; its signature counts only under the service\'s own (pinned) key', async () => {
    const checkpoint = (await engine.checkpoint())!;
    expect(checkpoint).toMatchObject({ seq: 10, keyId: signer.keyId, publicKey: signer.publicKey });
    const trusted = engine.audit.trusted;
    expect(checkpointSignatureValid(checkpoint, trusted)).toBe(true);
    expect(await engine.checkpoint()).toEqual(checkpoint);
    expect(checkpointSignatureValid({ ...checkpoint, seq: 9 }, trusted)).toBe(false);
    // A checkpoint made with a freshly generated key verifies under that key, but that key is not pinned.
    const forged = CheckpointSigner.ephemeral().sign({ seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at });
    expect(checkpointSignatureValid(forged, trusted)).toBe(false);
    expect(checkpointSignatureValid({ ...forged, keyId: signer.keyId }, trusted)).toBe(false);
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: true, entries: 10, checkpoints: 1 });
    await expect(engine.writer.run((r) => r.sql.run("UPDATE audit_checkpoints SET hash = 'x'"))).rejects.toThrow(/append-only/);
  });

  it('finds a rewrite that recomputed every later hash, at the checkpoint; a kept checkpoint no longer matches', async () => {
    const kept = (await repos().checkpoints.all())[0];
    // Rewrite entry 4 and re-chain 4..10 as an owner with database access could.
    await rewriteAndRechain(engine, 4, { i: 4, forged: true });
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 10, reason: expect.stringMatching(/differs from the checkpoint signed at/) });
    const check = await engine.audit.verifyCheckpoint(repos(), kept);
    expect(check).toMatchObject({ ok: false, signatureValid: true, entryMatches: false });
  });
});

/**
 * An owner who cuts the log short, or sets its head back, and a key nobody pinned: each is caught.
 */
describe('audit truncation, a head set back, and pinned keys', () => {
  const database = testDatabase();
  let engine: Engine;
  const signer = CheckpointSigner.ephemeral();
  const retired = CheckpointSigner.ephemeral();
  const repos = () => new Repositories(engine.database.reader);
  const append = (i: number) => engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: `step-${i}`, actor: systemActor(), details: { i } }));

  beforeAll(async () => {
    engine = await Engine.open({
      database,
      clock: new ManualClock(new Date('2026-06-01T00:00:00Z')),
      checkpointSigner: signer,
      // A key rotated out on 1 May 2026: what it signed before then still counts.
      trustedKeys: [{ publicKey: retired.publicKey, validUntil: '2026-05-01T00:00:00.000Z' }],
    });
    for (let i = 1; i <= 12; i++) await append(i);
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('counts a rotated-out key only within its validity, and no key it was not given', async () => {
    const [entry] = await repos().audit.range(4, 1);
    const trusted = engine.audit.trusted;
    expect(checkpointSignatureValid(retired.sign({ seq: 5, hash: entry.hash, at: '2026-04-30T12:00:00.000Z' }), trusted)).toBe(true);
    expect(checkpointSignatureValid(retired.sign({ seq: 5, hash: entry.hash, at: '2026-05-02T00:00:00.000Z' }), trusted)).toBe(false);
    // Times compared as instants, in the service's one form only: nothing that merely sorts before the end.
    for (const at of ['', '1', '2026-04-30', '2026-05-01T00:00:00.500Z', '2026-04-30T12:00:00Z']) {
      expect(checkpointSignatureValid(retired.sign({ seq: 5, hash: entry.hash, at }), trusted)).toBe(false);
    }
    expect(checkpointSignatureValid(CheckpointSigner.ephemeral().sign({ seq: 5, hash: entry.hash, at: '2026-04-30T12:00:00.000Z' }), trusted)).toBe(false);
    const kept = await engine.audit.verifyCheckpoint(repos(), CheckpointSigner.ephemeral().sign({ seq: 5, hash: entry.hash, at: '2026-04-30T12:00:00.000Z' }));
    expect(kept).toMatchObject({ ok: false, signatureValid: false, entryMatches: true });
  });

  it('finds the head set back behind the last entry', async () => {
    await engine.writer.run((r) => r.sql.run("UPDATE audit_head SET seq = 10, hash = (SELECT hash FROM audit_entries WHERE seq = 10) WHERE id = 1"));
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 11, reason: 'the chain head names entry 10, but the last entry is 12' });
    await engine.writer.run((r) => r.sql.run("UPDATE audit_head SET seq = 12, hash = (SELECT hash FROM audit_entries WHERE seq = 12) WHERE id = 1"));
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: true, entries: 12 });
  });

  it('finds the end of the log deleted and its head set back to match, by a checkpoint signed before', async () => {
    const checkpoint = (await engine.checkpoint())!;
    expect(checkpoint.seq).toBe(12);
    await asOwner(engine, 'DELETE FROM audit_entries WHERE seq > 9');
    await engine.writer.run((r) => r.sql.run("UPDATE audit_head SET seq = 9, hash = (SELECT hash FROM audit_entries WHERE seq = 9) WHERE id = 1"));
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 10, reason: expect.stringMatching(/^the log ends at entry 9, but a checkpoint signed at .* covers entry 12: entries were removed$/) });
  });
});

describe('verify at 100,000 entries', () => {
  const database = testDatabase();
  let engine: Engine;

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock() });
    await fillAudit(engine, 100_000);
  }, 300_000);
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('walks an untouched log of 100,000 entries, reporting progress, and names one altered entry among them', async () => {
    const progress: number[] = [];
    const repos = new Repositories(engine.database.reader);
    expect(await engine.audit.verify(repos, (n) => progress.push(n))).toMatchObject({ ok: true, entries: 100_000 });
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBe(100_000);
    await editText(engine, 77_777);
    expect(await engine.audit.verify(repos)).toMatchObject({ ok: false, firstBadSeq: 77_777 });
  }, 300_000);
});
