import { createHash, createPublicKey } from 'node:crypto';
import { CheckpointSigner, generateSigningKey, schemeOf, signBytes, treeHeadStatement, TreeHasher, verifyBundle, witnessCheck, type TreeHead } from '@shenpi/audit';
import { ManualClock, systemActor, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { shippedChains } from '@shenpi/workflows';
import { editText, rewriteAndRechain } from '../support/as-owner.js';
import { PASSWORD, testDatabase } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

const sm3 = (text: string) => createHash('sm3').update(text, 'utf8').digest('hex');

/**
 * The national cryptography suite (AUDIT_CRYPTO=sm): SM3 chains the entries and hashes the Merkle
 * tree, SM2 signs tree heads and checkpoints; chosen when the database is created and recorded in
 * the log. Everything the standard suite does holds: verify, proofs, bundles, the witness.
 */
describe('the audit log in the SM suite (SM3, SM2)', () => {
  const database = testDatabase();
  const signer = new CheckpointSigner(generateSigningKey('sm2'));
  const clock = new ManualClock(new Date('2026-06-01T00:00:00Z'));
  let engine: Engine;
  const repos = () => new Repositories(engine.database.reader);

  beforeAll(async () => {
    engine = await Engine.open({ database, clock, shippedChains, checkpointSigner: signer, auditCrypto: 'sm' });
    await engine.directory.seedDemo(PASSWORD);
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('records the suite as the log\'s first entry and chains every entry with SM3', async () => {
    const rows = await repos().audit.range(0, 1000);
    expect(rows[0]).toMatchObject({ seq: 1, action: 'audit-suite' });
    expect(JSON.parse(rows[0].details)).toEqual({ suite: 'sm3-sm2' });
    for (const row of rows) expect(row.hash).toBe(sm3(row.prevHash + row.canonical));
    expect(await engine.auditReadModel.verifyAll()).toMatchObject({ ok: true, entries: rows.length });
  });

  it('signs tree heads with SM2 over SM3 roots, proves a document\'s history offline, and a witness follows it', async () => {
    const drafter = (await engine.authentication.login('drafter', PASSWORD)) as Principal;
    const doc = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: '国密', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const first = (await engine.signTreeHead())!;
    expect(first).toMatchObject({ suite: 'sm3-sm2', keyId: signer.keyId });
    const rows = await repos().audit.range(0, first.treeSize);
    const hasher = new TreeHasher('sm3');
    expect(first.rootHash).toBe(hasher.root(rows.map((r) => hasher.leaf(r.canonical))).toString('hex'));
    expect(engine.auditTree.headSignatureValid(first)).toBe(true);
    expect(engine.auditTree.headSignatureValid({ ...first, rootHash: first.rootHash.replace(/^./, (c) => (c === '0' ? '1' : '0')) })).toBe(false);

    await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
    const bundle = await engine.documentReadModel.proofBundle(drafter, doc.id);
    expect(verifyBundle(bundle, signer.publicKey)).toMatchObject({ ok: true, entries: 2 });
    // The same bundle under another SM2 key, or with an entry changed, does not hold.
    expect(verifyBundle(bundle, new CheckpointSigner(generateSigningKey('sm2')).publicKey).ok).toBe(false);
    const changed = structuredClone(bundle);
    changed.entries[0].entry.details = { ...changed.entries[0].entry.details, title: '改过' };
    expect(verifyBundle(changed, signer.publicKey).ok).toBe(false);

    // A witness pinned to the SM2 key accepts the grown log, and names a rewrite.
    const second = (await engine.signTreeHead())!;
    const log = (head: TreeHead) => ({ latestHead: async () => head, consistency: async (a: number, b: number) => (await engine.auditTree.consistency(repos(), a, b)).proof });
    expect(await witnessCheck({ publicKey: signer.publicKey, head: first }, log(second))).toMatchObject({ ok: true });
    const forged = { ...second, rootHash: first.rootHash };
    forged.signature = signer.signStatement(treeHeadStatement(forged));
    expect(await witnessCheck({ publicKey: signer.publicKey, head: first }, log(forged))).toMatchObject({ ok: false });
  });

  it('names an entry edited in the database and a chain rewritten past a signed SM2 tree head', async () => {
    await engine.signTreeHead();
    const [row] = await repos().audit.range(3, 1);
    await editText(engine, row.seq);
    expect(await engine.auditReadModel.verifyAll()).toMatchObject({ ok: false, firstBadSeq: row.seq });
    await editText(engine, row.seq, false);
    expect((await engine.auditReadModel.verifyAll()).ok).toBe(true);
    // Rewritten and re-chained with SM3 from that entry on: the signed head's root no longer matches.
    await rewriteAndRechain(engine, row.seq, { forged: true });
    expect(await engine.auditReadModel.verifyAll()).toMatchObject({ ok: false });
  });

  it('cosigns with a witness\'s SM2 key', async () => {
    const head = (await engine.signTreeHead())!;
    const witnessKey = generateSigningKey('sm2');
    const publicKey = createPublicKey(witnessKey).export({ type: 'spki', format: 'pem' }).toString();
    const signature = signBytes(witnessKey, Buffer.from(treeHeadStatement(head))).toString('base64');
    await expect(engine.auditTree.cosign(repos(), head.treeSize, { publicKey, signature: Buffer.from('x').toString('base64') }, clock.now().toISOString())).rejects.toThrow();
    expect(schemeOf(witnessKey)).toBe('sm2');
    const row = await engine.writer.run((r) => engine.auditTree.cosign(r, head.treeSize, { publicKey, signature }, clock.now().toISOString()));
    expect(row).toMatchObject({ treeSize: head.treeSize, signature });
  });

  it('keeps the suite the database was created with: opening it for the standard suite, or an empty standard log for SM, is refused', async () => {
    await expect(Engine.open({ database, clock, checkpointSigner: signer, auditCrypto: 'standard' })).rejects.toThrow(/sm3-sm2/);
    await expect(Engine.open({ database, clock, checkpointSigner: CheckpointSigner.ephemeral(), auditCrypto: 'sm' })).rejects.toThrow(/SM2/);
    const other = testDatabase();
    const standard = await Engine.open({ database: other, clock });
    await standard.writer.run((r) => standard.audit.append(r, { category: 'configuration', action: 'x', actor: systemActor() }));
    await standard.close();
    try {
      await expect(Engine.open({ database: other, clock, checkpointSigner: signer, auditCrypto: 'sm' })).rejects.toThrow(/sha256-ed25519/);
    } finally {
      await other.drop();
    }
  });
});
