import { CheckpointSigner } from '@shenpi/audit';
import { ManualClock } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { fillAudit } from '../support/audit-fill.js';
import { editText, rewriteAndRechain } from '../support/as-owner.js';
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

  it('finds a rewrite that re-chained every later entry at the first signed head after it, at a run end', () =>
    withLog(async (engine) => {
      await rewriteAndRechain(engine, 4090, { forged: true });
      const { result, carefulFrom } = await verify(engine);
      expect(result).toMatchObject({ ok: false, firstBadSeq: 4096, reason: expect.stringMatching(/^the log's first 4096 entries differ from the tree head signed at/) });
      expect(carefulFrom).toBe(2048);
    }));
});
