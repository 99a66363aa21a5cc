import { ManualClock } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { shippedChains } from '@shenpi/workflows';
import { PASSWORD, testDatabase } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** State, tasks and audit entry change together or not at all: a failing audit append undoes the transition. */
describe('transition atomicity', () => {
  const database = testDatabase();
  let engine: Engine;
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  it('rolls back the state and task changes when the audit entry cannot be written', async () => {
    engine = await Engine.open({ database, clock: new ManualClock(), shippedChains });
    await engine.directory.seedDemo(PASSWORD);
    const drafter = (await engine.authentication.login('drafter', PASSWORD))!;
    const counsel = (await engine.authentication.login('counsel', PASSWORD))!;
    const doc = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: 't', year: 2025, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const { document: submitted } = await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
    const [task] = await engine.writer.run((r) => r.tasks.openForDocument(doc.id));

    await engine.writer.run(async (r) => {
      if (r.sql.kind === 'postgres') {
        await r.sql.run(`CREATE FUNCTION refuse_approve() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
        // On PostgreSQL the transaction writes its entry to the intake (the sequencer moves it into the log after commit).
        await r.sql.run(`CREATE TRIGGER refuse_approve BEFORE INSERT ON audit_intake FOR EACH ROW WHEN (NEW.action = 'approve') EXECUTE FUNCTION refuse_approve()`);
      } else {
        await r.sql.run(`CREATE TRIGGER refuse_approve BEFORE INSERT ON audit_entries WHEN NEW.action = 'approve' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      }
    });
    const auditBefore = await engine.database.reader.all('SELECT seq FROM audit_entries');
    await expect(engine.transition.execute({ documentId: doc.id, action: 'approve', taskId: task.id, principal: counsel })).rejects.toThrow(/injected failure/);

    const after = await engine.writer.run(async (r) => ({ doc: await r.documents.get(doc.id), tasks: await r.tasks.openForDocument(doc.id) }));
    expect(after.doc).toMatchObject({ state: 'legal-review', version: submitted.version });
    expect(after.tasks.map((x) => [x.id, x.status])).toEqual([[task.id, 'open']]);
    expect(await engine.database.reader.all('SELECT seq FROM audit_entries')).toHaveLength(auditBefore.length);
    expect(await engine.database.reader.all("SELECT at FROM audit_intake WHERE action = 'approve'")).toHaveLength(0);

    await engine.writer.run((r) => r.sql.run('DROP TRIGGER refuse_approve' + (r.sql.kind === 'postgres' ? ' ON audit_intake' : '')));
    const { document } = await engine.transition.execute({ documentId: doc.id, action: 'approve', taskId: task.id, principal: counsel });
    expect(document.state).toBe('party-group-review');
  });
});
