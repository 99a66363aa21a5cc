import { CheckpointSigner, treeHeadStatement, witnessCheck, type LogClient, type TreeHead, type WitnessState } from '@shenpi/audit';
import { ManualClock, systemActor } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { testDatabase } from '../support/test-app.js';

/**
 * An independent witness holds the last tree head it accepted and checks each new one against it.
 * Two logs signed by the same key stand for an owner who rebuilt the log: what they serve next
 * is a truncation, a rewrite or a fork of what the witness holds, and each is named.
 */
describe('the audit witness', () => {
  const signer = CheckpointSigner.ephemeral();
  const clock = new ManualClock(new Date('2026-06-01T00:00:00Z'));
  const databases = [testDatabase(), testDatabase()];
  let honest: Engine;
  let rebuilt: Engine;
  const repos = (engine: Engine) => new Repositories(engine.database.reader);
  const client = (engine: Engine): LogClient => ({
    latestHead: async () => (await repos(engine).tree.latestHead())!,
    consistency: async (first, second) => (await engine.auditTree.consistency(repos(engine), first, second)).proof,
  });
  const append = async (engine: Engine, actions: string[]) => {
    for (const action of actions) await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action, actor: systemActor(), details: {} }));
    clock.advance(60_000);
    return (await engine.signTreeHead())!;
  };
  const held = (head: TreeHead): WitnessState => ({ publicKey: signer.publicKey, head });

  beforeAll(async () => {
    [honest, rebuilt] = await Promise.all(databases.map((database) => Engine.open({ database, clock, checkpointSigner: signer })));
  });
  afterAll(async () => {
    for (const engine of [honest, rebuilt]) await engine.close();
    for (const database of databases) await database.drop();
  });

  it('accepts a first head under the pinned key, then each head that extends the one held', async () => {
    const first = await append(honest, ['a', 'b', 'c', 'd', 'e']);
    expect(await witnessCheck({ publicKey: signer.publicKey }, client(honest))).toMatchObject({ ok: true, head: first });
    const second = await append(honest, ['f', 'g', 'h']);
    expect(await witnessCheck(held(first), client(honest))).toMatchObject({ ok: true, head: second, previous: first });
    expect(await witnessCheck(held(second), client(honest))).toMatchObject({ ok: true, head: second });
  });

  it('names a fork, a rewrite, a truncation and a rollback; and refuses a head under another key', async () => {
    const held8 = (await repos(honest).tree.latestHead())!;
    // The same size, other history: a fork.
    await append(rebuilt, ['a', 'b', 'c', 'X', 'e', 'f', 'g', 'h']);
    expect(await witnessCheck(held(held8), client(rebuilt))).toMatchObject({ ok: false, finding: 'fork' });
    // Grown on from other history: a rewrite (its consistency proof cannot reach the head held).
    await append(rebuilt, ['i']);
    expect(await witnessCheck(held(held8), client(rebuilt))).toMatchObject({ ok: false, finding: 'rewrite' });
    // A newer head of a shorter log: entries were removed.
    const longer = { ...held8, treeSize: 12 };
    expect(await witnessCheck(held(longer), client(rebuilt))).toMatchObject({ ok: false, finding: 'truncation' });
    // An old head served again.
    const old = (await repos(honest).tree.heads(1, 5, 1))[0];
    expect(await witnessCheck(held(held8), { ...client(honest), latestHead: async () => old })).toMatchObject({ ok: false, finding: 'rollback' });
    // A bigger signed tree with no proof that it extends the one held; a head switching to a weak hash.
    const grown = await append(honest, ['i']);
    expect(await witnessCheck(held(held8), { ...client(honest), consistency: async () => Promise.reject(new Error('503')) })).toMatchObject({ ok: false, finding: 'unproven' });
    const weak = { ...grown, suite: 'md5-ed25519' };
    const weakSigned = { ...weak, signature: signer.signStatement(treeHeadStatement(weak)) };
    expect(await witnessCheck(held(held8), { ...client(honest), latestHead: async () => weakSigned })).toMatchObject({ ok: false, finding: 'suite' });
    // Signed by a key the witness did not pin.
    expect(await witnessCheck({ publicKey: CheckpointSigner.ephemeral().publicKey, head: held8 }, client(honest))).toMatchObject({ ok: false, finding: 'signature' });
  });
});
