import { ManualClock, systemActor, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** The indexes of tasks and deadlines before migration 1765500000000, as a database made then has them. */
const OLD_INDEXES = [
  'CREATE INDEX tasks_document ON tasks (document_id, status)',
  'CREATE INDEX tasks_decided ON tasks (decided_by, status, id)',
  'CREATE INDEX tasks_inbox_user ON tasks (assignee_user_id, status, id)',
  'CREATE INDEX tasks_inbox_role ON tasks (department_id, assignee_role, status, id)',
  'CREATE INDEX deadlines_document ON deadlines (document_id, status)',
];

/**
 * A database made before the lean write path (task indexes with the status in their keys, no
 * due_provisional on the document row; on SQLite, tasks and timers found by an index by document
 * on each table) is carried forward: the indexes are replaced, each document's row learns whether
 * its due instant is provisional from its live due timer and (SQLite) lists its tasks and timers,
 * and work goes on (inboxes, the next decision, verify).
 */
describe('write path upgrade: lean task indexes and the due instant on the row', () => {
  const database = testDatabase();
  afterAll(() => database.drop());

  it('carries documents, tasks and timers forward', async () => {
    const clock = new ManualClock(new Date('2026-12-28T02:00:00.000Z'));
    let engine = await Engine.open({ database, clock, planner: testPlanner });
    await engine.directory.seedDemo(PASSWORD);
    const chain = JSON.parse(JSON.stringify(annualReportChain));
    Object.assign(chain, { key: 'clocked', uniquePerDepartmentAndYear: false });
    chain.steps[1].deadline = { workingDays: 5 };
    await engine.writer.run((r) => engine.chains.publish(r, chain, systemActor('test')));
    const login = async (name: string) => (await engine.authentication.login(name, PASSWORD)) as Principal;
    const [drafter, counsel] = [await login('drafter'), await login('counsel')];
    const submitted = async () => {
      const doc = await engine.createDocument.execute({ principal: drafter, chain: 'clocked', title: '报告', year: 2026, departmentId: 'city-sti', content: REPORT_OUTLINE });
      await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
      return doc.id;
    };
    // Due in January 2027 (provisional), then one due in December 2026 (official).
    const late = await submitted();
    clock.set('2026-12-01T02:00:00.000Z');
    const early = await submitted();
    const inbox = async () => (await engine.inboxReadModel.inbox(counsel, 'open', undefined, 50)).items.map((t) => t.documentId).sort();
    const before = await inbox();
    expect(before).toEqual([late, early].sort());

    const tasksAndTimers = async (rows: Repositories) => ({
      tasks: await rows.sql.all('SELECT * FROM tasks ORDER BY id'),
      timers: await rows.sql.all('SELECT * FROM deadlines ORDER BY id'),
    });
    const stored = await tasksAndTimers(new Repositories(engine.database.reader));
    // Entries of other categories about a document, beside its transitions: a search by document finds both kinds, in order.
    await engine.writer.run((r) => engine.audit.append(r, { category: 'security', action: 'probe', actor: systemActor('test'), departmentId: 'city-sti', documentId: early }));
    const entriesOf = async (rows: Repositories, documentId: string) => (await rows.audit.search({ documentId }, null, 50)).map((e) => [e.seq, e.category]);
    const searched = await entriesOf(new Repositories(engine.database.reader), early);
    expect(searched.map(([, category]) => category)).toEqual(['security', 'transition', 'transition']);
    const sqlite = engine.database.kind === 'sqlite';
    await engine.writer.run(async (r) => {
      if (sqlite) {
        // Before migration 1766900000000: no list of transition entries, every entry on the index by document.
        await r.sql.run('DROP TRIGGER audit_entries_listed');
        await r.sql.run('DROP TRIGGER documents_transitions_appended');
        await r.sql.run('ALTER TABLE documents DROP COLUMN transition_seqs');
        await r.sql.run('DROP INDEX audit_document');
        await r.sql.run('CREATE INDEX audit_document ON audit_entries (document_id, seq)');
        // Before migration 1766800000000: no lists on the document's row, an index by document on each table.
        for (const [table, list] of [['tasks', 'task_ids'], ['deadlines', 'timer_ids']]) {
          for (const trigger of ['listed', 'stay_listed', 'never_deleted']) await r.sql.run(`DROP TRIGGER ${table}_${trigger}`);
          await r.sql.run(`ALTER TABLE documents DROP COLUMN ${list}`);
          await r.sql.run(`CREATE INDEX ${table}_document ON ${table} (document_id)`);
        }
        await r.sql.run('DROP INDEX deadlines_task');
        // Before migration 1767100000000: a role's open tasks on a partial index (made again below, as before 1765500000000).
        for (const trigger of ['tasks_open_listed', 'tasks_open_relisted', 'tasks_open_closed']) await r.sql.run(`DROP TRIGGER ${trigger}`);
        for (const table of ['open_role_tasks', 'open_role_tasks_closed']) await r.sql.run(`DROP TABLE ${table}`);
        await r.sql.run(`CREATE INDEX tasks_open_role ON tasks (department_id, assignee_role, id, assignee_user_id, status) WHERE status = 'open'`);
      }
      for (const index of ['tasks_document', 'tasks_decided', 'tasks_open_role', 'tasks_done_role', 'tasks_open_user', 'tasks_done_user', 'deadlines_document']) await r.sql.run(`DROP INDEX ${index}`);
      for (const create of OLD_INDEXES) await r.sql.run(create);
      await r.sql.run('ALTER TABLE documents DROP COLUMN due_provisional');
      await r.sql.run("DELETE FROM migrations WHERE name IN ('LeanTaskIndexes1765500000000', 'DueProvisionalOnDocument1765700000000', 'ItemsOnDocumentRow1766800000000', 'TransitionsOnDocumentRow1766900000000', 'DoneInboxByClosing1767000000000', 'OpenInboxSwept1767100000000')");
    });
    await engine.close();

    engine = await Engine.open({ database, clock, planner: testPlanner });
    try {
      const rows = new Repositories(engine.database.reader);
      expect(await tasksAndTimers(rows)).toEqual(stored);
      // SQLite: each document's row lists its tasks and timers, oldest first (checked again after a decision made more).
      const listed = async () => {
        if (!sqlite) return;
        const [lists, tasks, timers] = [
          await rows.sql.all<{ id: string; task_ids: string; timer_ids: string }>('SELECT id, task_ids, timer_ids FROM documents ORDER BY id'),
          await rows.sql.all<{ id: string; document_id: string }>('SELECT id, document_id FROM tasks ORDER BY id'),
          await rows.sql.all<{ id: string; document_id: string }>('SELECT id, document_id FROM deadlines ORDER BY id'),
        ];
        const of = (items: { id: string; document_id: string }[], doc: string) => items.filter((x) => x.document_id === doc).map((x) => x.id);
        expect(lists.map((d) => [JSON.parse(d.task_ids), JSON.parse(d.timer_ids)])).toEqual(lists.map((d) => [of(tasks, d.id), of(timers, d.id)]));
        expect(lists.flatMap((d) => JSON.parse(d.task_ids))).toHaveLength(tasks.length);
        expect(timers.length).toBeGreaterThan(0);
        // …and its transition entries, oldest first.
        const [seqs, transitions] = [
          await rows.sql.all<{ id: string; transition_seqs: string }>('SELECT id, transition_seqs FROM documents ORDER BY id'),
          await rows.sql.all<{ seq: number; document_id: string }>("SELECT seq, document_id FROM audit_entries WHERE category = 'transition' ORDER BY seq"),
        ];
        expect(seqs.map((d) => JSON.parse(d.transition_seqs))).toEqual(seqs.map((d) => transitions.filter((e) => e.document_id === d.id).map((e) => e.seq)));
        expect(transitions.length).toBeGreaterThan(0);
      };
      await listed();
      expect(await entriesOf(rows, early)).toEqual(searched);
      expect([(await rows.documents.get(late))!.dueProvisional, (await rows.documents.get(early))!.dueProvisional]).toEqual([true, false]);
      expect((await engine.documentReadModel.document(counsel, late)).dueProvisional).toBe(true);
      expect(await inbox()).toEqual(before);
      const [task] = (await engine.documentReadModel.document(counsel, early)).openTasks;
      const decided = await engine.transition.execute({ documentId: early, taskId: task.id, action: 'approve', principal: counsel });
      expect(decided.document.state).toBe('party-group-review');
      expect((await engine.inboxReadModel.inbox(counsel, 'done', undefined, 50)).items.map((t) => t.id)).toEqual([task.id]);
      await listed();
      // The done inbox lists the last closed first (the late report's task is the older one), a page at a time.
      clock.set('2026-12-02T02:00:00.000Z');
      const [other] = (await engine.documentReadModel.document(counsel, late)).openTasks;
      await engine.transition.execute({ documentId: late, taskId: other.id, action: 'approve', principal: counsel });
      expect(other.id < task.id).toBe(true);
      const first = await engine.inboxReadModel.inbox(counsel, 'done', undefined, 1);
      expect(first.items.map((t) => t.id)).toEqual([other.id]);
      const second = await engine.inboxReadModel.inbox(counsel, 'done', first.nextCursor!, 1);
      expect([second.items.map((t) => t.id), second.nextCursor]).toEqual([[task.id], null]);
      // A cursor given out before (the task's id alone) goes on after that task.
      expect((await engine.inboxReadModel.inbox(counsel, 'done', Buffer.from(other.id).toString('base64url'), 5)).items.map((t) => t.id)).toEqual([task.id]);
      expect((await entriesOf(rows, early)).slice(1)).toEqual(searched);
      expect(await engine.auditReadModel.verifyAll()).toMatchObject({ ok: true });
    } finally {
      await engine.close();
    }
  });
});
