import { createHash } from 'node:crypto';
import { CheckpointSigner } from '@shenpi/audit';
import { ManualClock } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { fillAudit } from '../support/audit-fill.js';
import { asOwner, editText, rewriteAndRechain } from '../support/as-owner.js';
import { testDatabase } from '../support/test-app.js';

/**
 * Verify walks a long log fast (runs of 2,048 entries, one statement each, hashed in threads) and
 * hands over to the careful walk, entry by entry, only from the run where something is wrong: the
 * answer is the careful walk's, whichever walk found it.
 */
describe("verify's fast walk over a log of several runs", () => {
  const ENTRIES = 4500; // runs 1–2048, 2049–4096 and 4097–4500
  const HEADS = [3000, 4096, 4500]; // inside a run, at a run's end, at the log's end

  /** A log of ENTRIES entries with HEADS signed, verified in threads from any length; closed and dropped after `fn`. */
  async function withLog(fn: (engine: Engine) => Promise<void>): Promise<void> {
    const database = testDatabase();
    const engine = await Engine.open({ database, clock: new ManualClock() });
    try {
      engine.audit.verifyInThreadsFrom = 0;
      await fillAudit(engine, ENTRIES);
      while ((await engine.writer.run((r) => engine.auditTree.extend(r))) < ENTRIES);
      for (const size of HEADS) await engine.writer.run((r) => engine.auditTree.signHeadAt(r, engine.checkpointSigner, size, new Date().toISOString()));
      await fn(engine);
    } finally {
      await engine.close();
      await database.drop();
    }
  }

  /** Verify, with where the careful walk began reading (none when the fast walk found the log whole). */
  async function verify(engine: Engine) {
    const repos = new Repositories(engine.database.reader);
    const carefulFrom: number[] = [];
    const texts = repos.audit.texts.bind(repos.audit);
    repos.audit.texts = (after, limit) => {
      carefulFrom.push(after);
      return texts(after, limit);
    };
    const progress: number[] = [];
    const result = await engine.audit.verify(repos, (checked) => progress.push(checked));
    return { result, carefulFrom: carefulFrom[0], progress };
  }

  it('finds a whole log whole without the careful walk, in threads or not, with progress run by run', () =>
    withLog(async (engine) => {
      const inThreads = await verify(engine);
      expect(inThreads.result).toMatchObject({ ok: true, entries: ENTRIES, treeHeads: HEADS.length });
      expect(inThreads.carefulFrom).toBeUndefined();
      expect(inThreads.progress).toEqual([2048, 4096, 4500]);
      engine.audit.verifyInThreadsFrom = Infinity;
      const here = await verify(engine);
      expect(here.result).toEqual(inThreads.result);
      expect(here.carefulFrom).toBeUndefined();
    }));

  it('names an edited entry, walking carefully only from its run', () =>
    withLog(async (engine) => {
      await editText(engine, 4200);
      const { result, carefulFrom } = await verify(engine);
      expect(result).toMatchObject({ ok: false, firstBadSeq: 4200, reason: 'hash does not match the entry', entries: 4199 });
      expect(carefulFrom).toBe(4096);
      await editText(engine, 4200, false);
      expect((await verify(engine)).result).toMatchObject({ ok: true, entries: ENTRIES });
    }));

  it('names a tree head inside a run signed by a key nobody trusts', () =>
    withLog(async (engine) => {
      await engine.writer.run((r) => engine.auditTree.signHeadAt(r, CheckpointSigner.ephemeral(), 3500, new Date().toISOString()));
      const { result, carefulFrom } = await verify(engine);
      expect(result).toMatchObject({ ok: false, firstBadSeq: 3500, reason: expect.stringMatching(/^the tree head of 3500 entries signed at .* is not signed by a trusted key$/) });
      expect(carefulFrom).toBe(2048);
    }));

  /**
   * Ten entries more, under no signed head, the last rewritten by an owner, re-hashed, the head moved
   * to match: only the walk of each entry can tell. Returns its seq.
   */
  async function rewriteLast(engine: Engine, text: (canonical: string) => string | Buffer): Promise<number> {
    await fillAudit(engine, 10);
    const seq = ENTRIES + 10;
    const [prev, last] = await new Repositories(engine.database.reader).audit.range(seq - 2, 2);
    const canonical = text(last.canonical);
    const hash = createHash('sha256').update(prev.hash).update(canonical).digest('hex');
    await asOwner(engine, `UPDATE audit_entries SET canonical = ${typeof canonical === 'string' ? '?' : 'CAST(? AS TEXT)'}, hash = ? WHERE seq = ?`, [canonical, hash, seq]);
    await engine.writer.run((r) => r.sql.run('UPDATE audit_head SET hash = ? WHERE id = 1', [hash]));
    return seq;
  }

  it('names a hash that lends its last character to the next one, their characters end to end unchanged', () =>
    withLog(async (engine) => {
      const [a, b] = await new Repositories(engine.database.reader).audit.range(2999, 2);
      await asOwner(engine, 'UPDATE audit_entries SET hash = ? WHERE seq = ?', [a.hash.slice(0, 63), 3000]);
      await asOwner(engine, 'UPDATE audit_entries SET hash = ? WHERE seq = ?', [a.hash.slice(63) + b.hash, 3001]);
      expect((await verify(engine)).result).toMatchObject({ ok: false, firstBadSeq: 3000, reason: 'hash does not match the entry' });
    }));

  it("names a text whose seq is written otherwise than as the careful walk reads it ('\"seq\": N')", () =>
    withLog(async (engine) => {
      const seq = await rewriteLast(engine, (c) => c.replace(`"seq":${ENTRIES + 10},`, `"seq": ${ENTRIES + 10},`));
      expect((await verify(engine)).result).toMatchObject({ ok: false, firstBadSeq: seq, reason: "the entry's text gives it another seq than its place in the log" });
    }));

  it('names a text that is not UTF-8, hashed as its bytes (SQLite keeps such bytes as text)', () =>
    withLog(async (engine) => {
      if (engine.database.kind === 'postgres') return; // PostgreSQL refuses text that is not UTF-8
      const seq = await rewriteLast(engine, (c) => {
        const bytes = Buffer.from(c);
        bytes[bytes.indexOf(Buffer.from('第')) + 1] = 0xff;
        return bytes;
      });
      expect((await verify(engine)).result).toMatchObject({ ok: false, firstBadSeq: seq, reason: 'hash does not match the entry' });
    }));

  it('finds a rewrite that re-chained every later entry at the first signed head after it, at a run end', () =>
    withLog(async (engine) => {
      await rewriteAndRechain(engine, 4090, { forged: true });
      const { result, carefulFrom } = await verify(engine);
      expect(result).toMatchObject({ ok: false, firstBadSeq: 4096, reason: expect.stringMatching(/^the log's first 4096 entries differ from the tree head signed at/) });
      expect(carefulFrom).toBe(2048);
    }));
});
