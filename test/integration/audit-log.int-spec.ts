import { hashOf } from '@shenpi/audit';
import { systemActor, ManualClock } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { asOwner, editText, plainColumn } from '../support/as-owner.js';
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

  it('refuses UPDATE and DELETE on audit entries, whoever connects, and an edit of a column the text projects', async () => {
    await expect(engine.writer.run((r) => r.sql.run("UPDATE audit_entries SET canonical = '{}' WHERE seq = 2"))).rejects.toThrow(/append-only/);
    await expect(engine.writer.run((r) => r.sql.run('DELETE FROM audit_entries WHERE seq = 2'))).rejects.toThrow(/append-only/);
    await expect(engine.writer.run((r) => r.sql.run("UPDATE audit_entries SET action = 'forged' WHERE seq = 2"))).rejects.toThrow(/generated column|can only be updated to DEFAULT/);
    expect((await engine.audit.verify(repos())).ok).toBe(true);
  });

  it('reads every column of an entry from its hashed text', async () => {
    const [row] = await repos().audit.range(2, 1);
    expect(row).toMatchObject({ seq: 3, action: 'step-3', category: 'configuration', actorType: 'system', details: expect.any(String), prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.parse(row.details)).toEqual({ i: 3, text: '法治政府' });
    expect(row.canonical).toContain(`"prevHash":"${row.prevHash}"`);
  });

  it('names an edited entry, a deleted entry and an inserted entry', async () => {
    await editText(engine, 3);
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'hash does not match the entry' });
    await editText(engine, 3, false);
    expect((await engine.audit.verify(repos())).ok).toBe(true);

    await asOwner(engine, 'DELETE FROM audit_entries WHERE seq = 4');
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 4 });
    await asOwner(engine, "INSERT INTO audit_entries (seq, canonical, hash) SELECT 4, replace(canonical, 'step-3', 'inserted'), hash FROM audit_entries WHERE seq = 3");
    expect(await engine.audit.verify(repos())).toMatchObject({ ok: false, firstBadSeq: 4 });
  });

  /** An engine on a database of its own, closed and dropped after `fn`, whatever it does to the log. */
  async function withOwnLog(fn: (engine: Engine, database: ReturnType<typeof testDatabase>) => Promise<void>): Promise<void> {
    const fresh = testDatabase();
    const own = await Engine.open({ database: fresh, clock: new ManualClock() });
    try {
      await fn(own, fresh);
    } finally {
      await own.close();
      await fresh.drop();
    }
  }
  const append = (e: Engine, action: string) => e.writer.run((r) => e.audit.append(r, { category: 'configuration', action, actor: systemActor() }));
  const verifyOf = (e: Engine) => e.audit.verify(new Repositories(e.database.reader));

  it("names an entry whose text gives it another seq than its place, even re-hashed with the head moved to match", () =>
    withOwnLog(async (other) => {
      for (let i = 1; i <= 3; i++) await append(other, `step-${i}`);
      const [second, third] = await new Repositories(other.database.reader).audit.range(1, 2);
      const canonical = third.canonical.replace('"seq":3,', '"seq":4,');
      const hash = hashOf(second.hash, canonical);
      await asOwner(other, 'UPDATE audit_entries SET canonical = ?, hash = ? WHERE seq = 3', [canonical, hash]);
      await other.writer.run((r) => r.sql.run('UPDATE audit_head SET hash = ? WHERE id = 1', [hash]));
      expect(await verifyOf(other)).toMatchObject({ ok: false, firstBadSeq: 3, reason: "the entry's text gives it another seq than its place in the log" });
    }));

  it('chains on the real head after a job that appended was rolled back, and after another process appended', () =>
    withOwnLog(async (a, fresh) => {
      await append(a, 'first');
      await expect(
        a.writer.run(async (r) => {
          await a.audit.append(r, { category: 'configuration', action: 'rolled-back', actor: systemActor() });
          throw new Error('the job fails after its entry');
        }),
      ).rejects.toThrow('the job fails');
      await append(a, 'second');
      // SQLite: a second process on the same file appends between two of this one's (PostgreSQL sequences entries instead).
      const b = await Engine.open({ database: fresh, clock: new ManualClock() });
      try {
        await append(b, 'from-another-process');
      } finally {
        await b.close();
      }
      await append(a, 'third');
      const rows = await new Repositories(a.database.reader).audit.range(0, 10);
      expect(rows.map((r) => [r.seq, r.action])).toEqual([
        [1, 'first'],
        [2, 'second'],
        [3, 'from-another-process'],
        [4, 'third'],
      ]);
      expect(await verifyOf(a)).toMatchObject({ ok: true, entries: 4 });
    }));

  it('names a column made plain so that a search shows what was never hashed', () =>
    withOwnLog(async (other) => {
      for (let i = 1; i <= 3; i++) await append(other, `step-${i}`);
      await plainColumn(other, 'action', 2, 'grant-role');
      const found = await new Repositories(other.database.reader).audit.search({ action: 'grant-role' }, null, 10);
      expect(found.map((r) => r.seq)).toEqual([2]);
      expect(await verifyOf(other)).toMatchObject({
        ok: false,
        firstBadSeq: 1,
        reason: "the audit table's column action is not generated from the hashed text: a search could show what was never hashed",
      });
    }));
});
