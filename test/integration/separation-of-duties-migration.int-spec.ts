import { DataSource } from 'typeorm';
import { ErrorCode, ManualClock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { SeparationOfDutiesState1764800000000 } from '../../libs/persistence/migrations/1764800000000-separation-of-duties-state.js';
import { shippedChains } from '@shenpi/workflows';
import { PASSWORD, testDatabase } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/**
 * Documents written before separation of duties carry neither their contributors nor their
 * review round: the data migration derives both (from the audit log and the tasks), so an editor
 * of an older document cannot decide its review, and a resubmitted one may still be withdrawn.
 */
describe('the separation-of-duties data migration', () => {
  const database = testDatabase();
  const clock = new ManualClock(new Date('2026-02-02T02:00:00.000Z'));
  let engine: Engine;
  const tick = () => clock.set(new Date(clock.now().getTime() + 60_000));
  const login = async (u: string) => (await engine.authentication.login(u, PASSWORD)) as Principal;

  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  /** What a document of the old code looked like: no contributors, no round base. */
  async function makeLegacy(id: string) {
    await engine.writer.run(async (r) => {
      const doc = (await r.documents.get(id))!;
      const { contributors: _, roundBase: __, ...attributes } = doc.attributes;
      await r.sql.run('UPDATE documents SET attributes = ? WHERE id = ?', [JSON.stringify(attributes), id]);
    });
  }

  /** Runs the migration's `up` again on the same database, as a deployment of it would on old rows. */
  async function migrate() {
    const source = database.url
      ? new DataSource({ type: 'postgres', url: database.url, extra: { options: `-c search_path="${database.schema}"` } })
      : new DataSource({ type: 'better-sqlite3', database: database.sqlitePath });
    await source.initialize();
    const runner = source.createQueryRunner();
    try {
      await new SeparationOfDutiesState1764800000000().up(runner);
    } finally {
      await runner.release();
      await source.destroy();
    }
  }

  const attributesOf = async (id: string) => (await engine.writer.run((r) => r.documents.get(id)))!.attributes;

  it('restores contributors from the audit log and the review round from the tasks', async () => {
    engine = await Engine.open({ database, clock, shippedChains });
    await engine.directory.seedDemo(PASSWORD);
    // A second drafter who is also legal counsel edits the first drafter's report.
    await engine.directory.addUser({ username: 'drafter-counsel', password: PASSWORD, departmentId: 'city-sti', roles: ['drafter', 'legal-counsel'] });
    const [drafter, editor, counsel, secretary] = await Promise.all(['drafter', 'drafter-counsel', 'counsel', 'secretary'].map(login));

    const edited = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: '甲', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await engine.transition.execute({ documentId: edited.id, action: 'edit', principal: editor, edit: { title: '甲（修改）' } });
    await engine.transition.execute({ documentId: edited.id, action: 'submit', principal: drafter });

    const returned = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: '乙', year: 2024, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await engine.transition.execute({ documentId: returned.id, action: 'submit', principal: drafter });
    tick();
    const [legal] = await engine.writer.run((r) => r.tasks.openForDocument(returned.id));
    await engine.transition.execute({ documentId: returned.id, action: 'approve', taskId: legal.id, principal: counsel });
    tick();
    const [party] = await engine.writer.run((r) => r.tasks.openForDocument(returned.id));
    await engine.transition.execute({ documentId: returned.id, action: 'return', taskId: party.id, principal: secretary, comment: '请修改' });
    tick();

    const before = { edited: await attributesOf(edited.id), returned: await attributesOf(returned.id) };
    await makeLegacy(edited.id);
    await makeLegacy(returned.id);
    await migrate();

    expect((await attributesOf(edited.id)).contributors).toEqual(expect.arrayContaining(before.edited.contributors as string[]));
    expect((await attributesOf(edited.id)).contributors).toHaveLength(2);
    // The steps that had tasks, as the engine records them (it also counts the draft step, which has none).
    expect(before.returned.roundBase).toMatchObject({ 'legal-review': 1, 'party-group-review': 1 });
    expect((await attributesOf(returned.id)).roundBase).toEqual({ 'legal-review': 1, 'party-group-review': 1 });

    // The editor holds legal counsel, yet may not decide the review of what they edited.
    const [review] = await engine.writer.run((r) => r.tasks.openForDocument(edited.id));
    await expect(engine.transition.execute({ documentId: edited.id, action: 'approve', taskId: review.id, principal: editor })).rejects.toMatchObject({
      code: ErrorCode.SEPARATION_OF_DUTIES,
      details: { rule: 'author-decides', userId: editor.id },
    });
    // Resubmitted, the report has no decision in its new round: it may be withdrawn.
    await engine.transition.execute({ documentId: returned.id, action: 'submit', principal: drafter });
    const { document } = await engine.transition.execute({ documentId: returned.id, action: 'withdraw', principal: drafter });
    expect(document.state).toBe('draft');
  });
});
