import { DomainError, ManualClock, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { shippedChains } from '@shenpi/workflows';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/**
 * A database made before document versions were kept (no document_contents) is carried forward:
 * each document's present text (moved out of its row) is known from its last edit on (the version the audit log records
 * for that edit, by its editor), earlier versions are not, and new edits are kept.
 */
describe('document contents upgrade', () => {
  const database = testDatabase();
  afterAll(() => database.drop());

  it('keeps each document\'s present text from its last edit, and every edit after', async () => {
    const clock = new ManualClock(new Date('2026-03-02T02:00:00.000Z'));
    let engine = await Engine.open({ database, clock, planner: testPlanner, shippedChains });
    await engine.directory.seedDemo(PASSWORD);
    const login = async (name: string) => (await engine.authentication.login(name, PASSWORD)) as Principal;
    const [drafter, counsel] = [await login('drafter'), await login('counsel')];
    const edited = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: '报告', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await engine.transition.execute({ documentId: edited.id, action: 'submit', principal: drafter });
    const [task] = (await engine.documentReadModel.document(counsel, edited.id)).openTasks;
    const { document: returned } = await engine.transition.execute({ documentId: edited.id, taskId: task!.id, action: 'return', comment: '补充', principal: counsel });
    const revised = `${REPORT_OUTLINE}\n补充一段。`;
    const { document: afterEdit } = await engine.transition.execute({ documentId: edited.id, action: 'edit', edit: { content: revised }, principal: drafter });
    await engine.transition.execute({ documentId: edited.id, action: 'submit', principal: drafter });
    const untouched = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: '另一份', year: 2024, departmentId: 'city-sti', content: '正文' });

    // The database as it was before: each row holds its text, and no table of texts.
    await engine.writer.run(async (r) => {
      await r.sql.run('UPDATE documents SET content = (SELECT dc.content FROM document_contents dc WHERE dc.document_id = documents.id ORDER BY dc.version DESC LIMIT 1)');
      await r.sql.run('DROP TABLE document_contents');
      await r.sql.run("DELETE FROM migrations WHERE name IN ('DocumentContents1766100000000', 'ContentOutOfDocumentRow1766200000000')");
    });
    await engine.close();

    engine = await Engine.open({ database, clock, planner: testPlanner, shippedChains });
    try {
      const read = (id: string, v: number, diff?: number) => engine.documentReadModel.version(counsel, id, v, diff);
      expect(await read(edited.id, afterEdit.version + 1)).toMatchObject({ content: revised, writtenAt: afterEdit.version, by: drafter.id, previousVersion: null });
      // Before the last edit the text is not known: refused, not guessed.
      await expect(read(edited.id, returned.version)).rejects.toThrow(DomainError);
      expect(await read(untouched.id, 1)).toMatchObject({ title: '另一份', content: '正文', writtenAt: 1 });

      // Work goes on: the next round's edit is kept and redlined against the one before.
      const [again] = (await engine.documentReadModel.document(counsel, edited.id)).openTasks;
      const { document: back } = await engine.transition.execute({ documentId: edited.id, taskId: again!.id, action: 'return', comment: '再补充', principal: counsel });
      const { document: next } = await engine.transition.execute({ documentId: edited.id, action: 'edit', edit: { content: `${revised}\n再补充。` }, principal: drafter });
      const answer = await read(edited.id, next.version, back.version);
      expect(answer.diff!.content.filter((p) => p.op !== 'equal')).toEqual([{ op: 'insert', text: '\n再补充。' }]);
      expect(await engine.auditReadModel.verifyAll()).toMatchObject({ ok: true });
      // The rows no longer carry the texts; the documents still read them.
      expect(await engine.database.reader.all('SELECT id FROM documents WHERE content <> \'\'')).toEqual([]);
      expect((await engine.documentReadModel.document(drafter, untouched.id)).content).toBe('正文');
      expect((await engine.documentReadModel.document(drafter, edited.id)).content).toBe(`${revised}\n再补充。`);
    } finally {
      await engine.close();
    }
  });
});
