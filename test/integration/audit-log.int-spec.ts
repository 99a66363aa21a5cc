import { systemActor, ManualClock } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { asOwner } from '../support/as-owner.js';
import { testDatabase } from '../support/test-app.js';

/** The audit table on the real database: append-only by trigger, and verify names the first bad entry. */
describe('audit log', () => {
  const database = testDatabase();
  let engine: Engine;
  const repos = () => new Repositories(engine.database.reader);

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock() });
    for (let i = 1; i <= 5; i++) {
      await engine.writer.run((r) => engine.audit.append(r, { category: 'configuration', action: `step-${i}`, actor: systemActor(), details: { i, text: '法治政府' } }));
    }
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('verifies an untouched chain', async () => {
    const result = await engine.audit.verify(repos());
    expect(result).toMatchObject({ ok: true, entries: 5 });
    const reread = await engine.audit.verify(repos());
    expect(reread).toEqual(result);
  });

  it('verifies while entries are being appended: new entries are not mistaken for missing ones', async () => {
    const appends = Array.from({ length: 60 }, (_, i) =>
      engine.writer.run((r) => engine.audit.append(r, { category: 'security', action: 'login', actor: systemActor(), details: { i } })),
    );
    const verifies = Array.from({ length: 20 }, () => engine.audit.verify(repos()));
    const [results] = await Promise.all([Promise.all(verifies), Promise.all(appends)]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: true, entries: 65 });
  });

  it('refuses UPDATE and DELETE on audit entries, whoever connects', async () => {
    await expect(engine.writer.run((r) => r.sql.run("UPDATE audit_entries SET action = 'forged' WHERE seq = 2"))).rejects.toThrow(/append-only/);
    await expect(engine.writer.run((r) => r.sql.run('DELETE FROM audit_entries WHERE seq = 2'))).rejects.toThrow(/append-only/);
    expect((await engine.audit.verify(repos())).ok).toBe(true);
  });

  it('names an edited entry, a deleted entry and an inserted entry', async () => {
    const before = await repos().audit.range(0, 10);
    await asOwner(engine, 'UPDATE audit_entries SET details = ? WHERE seq = 3', [JSON.stringify({ i: 3, text: '篡改' })]);
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'stored columns differ from the hashed text' });
    await asOwner(engine, 'UPDATE audit_entries SET details = ? WHERE seq = 3', [before[2].details]);
    expect((await engine.audit.verify(repos())).ok).toBe(true);

    await asOwner(engine, 'DELETE FROM audit_entries WHERE seq = 4');
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 4 });
    await asOwner(engine, 
      `INSERT INTO audit_entries (seq, at, category, action, result, actor_type, actor_id, actor_role, actor_department_id, actor_on_behalf_of,
         department_id, document_id, from_state, to_state, details, prev_hash, hash, canonical)
       SELECT 4, at, category, 'inserted', result, actor_type, actor_id, actor_role, actor_department_id, actor_on_behalf_of,
         department_id, document_id, from_state, to_state, details, prev_hash, hash, canonical FROM audit_entries WHERE seq = 3`,
    );
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 4 });
  });
});
