import { canonicalOf, checkpointSignatureValid, CheckpointSigner, entryFromRow, hashOf } from '@shenpi/audit';
import { ManualClock, systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { asOwner } from '../support/as-owner.js';
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

  it('signs the head once, and the checkpoint verifies on its own with the public key it carries', async () => {
    const checkpoint = (await engine.checkpoint())!;
    expect(checkpoint).toMatchObject({ seq: 10, keyId: signer.keyId, publicKey: signer.publicKey });
    expect(checkpointSignatureValid(checkpoint)).toBe(true);
    expect(await engine.checkpoint()).toEqual(checkpoint);
    expect(checkpointSignatureValid({ ...checkpoint, seq: 9 })).toBe(false);
    expect(checkpointSignatureValid({ ...checkpoint, publicKey: CheckpointSigner.ephemeral().publicKey })).toBe(false);
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: true, entries: 10, checkpoints: 1 });
    await expect(engine.writer.run((r) => r.sql.run("UPDATE audit_checkpoints SET hash = 'x'"))).rejects.toThrow(/append-only/);
  });

  it('finds a rewrite that recomputed every later hash, at the checkpoint; a kept checkpoint no longer matches', async () => {
    const kept = (await repos().checkpoints.all())[0];
    // Rewrite entry 4 and re-chain 4..10 as an owner with database access could.
    const rows = await repos().audit.range(0, 100);
    let prevHash = rows[2].hash;
    for (const row of rows.slice(3)) {
      const { hash: _old, ...unsigned } = entryFromRow(row);
      if (row.seq === 4) unsigned.details = { i: 4, forged: true };
      const canonical = canonicalOf({ ...unsigned, prevHash });
      const hash = hashOf(prevHash, canonical);
      await asOwner(engine, 'UPDATE audit_entries SET details = ?, prev_hash = ?, hash = ?, canonical = ? WHERE seq = ?', [JSON.stringify(unsigned.details), prevHash, hash, canonical, row.seq]);
      prevHash = hash;
    }
    await engine.writer.run((r) => r.sql.run('UPDATE audit_head SET hash = ? WHERE id = 1', [prevHash]));
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 10, reason: expect.stringMatching(/differs from the checkpoint signed at/) });
    const check = await engine.audit.verifyCheckpoint(repos(), kept);
    expect(check).toMatchObject({ ok: false, signatureValid: true, entryMatches: false });
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
    await asOwner(engine, "UPDATE audit_entries SET action = 'forged' WHERE seq = 77777");
    expect(await engine.audit.verify(repos)).toMatchObject({ ok: false, firstBadSeq: 77_777 });
  }, 300_000);
});
