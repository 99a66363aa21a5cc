import { ManualClock, type Principal } from '@shenpi/domain';
import { Engine, SWEEP_EVERY_JOBS } from '@shenpi/engine';
import { shippedChains } from '@shenpi/workflows';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { PASSWORD, testDatabase } from '../support/test-app.js';

/**
 * A role's open tasks, as the inbox reads them: closing a task takes it out of the role's open
 * inbox at once, on both databases. On SQLite the list the inbox reads them from (migration
 * 1767100000000) keeps the closed task's entry until a sweep takes it out, after so many changes;
 * the inbox reads past it, paging included.
 */
describe('the open inbox: closed tasks swept out later', () => {
  const database = testDatabase();
  let engine: Engine;
  let drafter: Principal;
  let counsel: Principal;
  const sqlite = () => engine.database.kind === 'sqlite';
  const listed = async () =>
    sqlite() ? (await engine.database.reader.all<{ task_id: string }>(`SELECT task_id FROM open_role_tasks WHERE department_id = 'city-sti' AND assignee_role = 'legal-counsel' ORDER BY task_id`)).map((r) => r.task_id) : [];
  const queued = async () => (sqlite() ? (await engine.database.reader.all<{ task_id: string }>('SELECT task_id FROM open_role_tasks_closed ORDER BY seq')).map((r) => r.task_id) : []);
  const inbox = async (limit = 50, cursor?: string) => engine.inboxReadModel.inbox(counsel, 'open', cursor, limit);

  beforeAll(async () => {
    engine = await Engine.open({ database, clock: new ManualClock(new Date('2026-03-02T02:00:00Z')), shippedChains });
    await engine.directory.seedDemo(PASSWORD);
    const login = async (username: string) => (await engine.authentication.login(username, PASSWORD)) as Principal;
    [drafter, counsel] = [await login('drafter'), await login('counsel')];
  });
  afterAll(async () => {
    await engine.close();
    await database.drop();
  });

  /** A report submitted to legal review: the counsel role's open task on it. */
  async function submitted(year: number): Promise<{ documentId: string; taskId: string }> {
    const doc = await engine.createDocument.execute({ principal: drafter, chain: 'annual-report', title: '报告', year, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
    const [task] = (await engine.documentReadModel.document(counsel, doc.id)).openTasks;
    return { documentId: doc.id, taskId: task.id };
  }

  it('leaves a closed task out of the role\'s inbox at once, pages past it, and sweeps it out of the list later', async () => {
    const [a, b, c] = [await submitted(2020), await submitted(2021), await submitted(2022)];
    expect((await inbox()).items.map((t) => t.id)).toEqual([c.taskId, b.taskId, a.taskId]);
    if (sqlite()) expect(await listed()).toEqual([a.taskId, b.taskId, c.taskId]);

    await engine.transition.execute({ documentId: b.documentId, taskId: b.taskId, action: 'approve', principal: counsel });
    expect((await inbox()).items.map((t) => t.id)).toEqual([c.taskId, a.taskId]);
    const first = await inbox(1);
    expect(first.items.map((t) => t.id)).toEqual([c.taskId]);
    const second = await inbox(1, first.nextCursor!);
    expect([second.items.map((t) => t.id), second.nextCursor]).toEqual([[a.taskId], null]);
    if (!sqlite()) return;
    // Closing wrote nothing to the list: the entry waits for the sweep, its task queued for it.
    expect(await listed()).toEqual([a.taskId, b.taskId, c.taskId]);
    expect(await queued()).toEqual([b.taskId]);

    expect(await engine.openInbox.sweep()).toBe(1);
    expect([await listed(), await queued()]).toEqual([[a.taskId, c.taskId], []]);
    expect((await inbox()).items.map((t) => t.id)).toEqual([c.taskId, a.taskId]);
    expect(await engine.openInbox.sweep()).toBe(0);
  });

  it('sweeps by itself after so many changes (SQLite), and lists a task opened again by hand', async () => {
    if (!sqlite()) return;
    const d = await submitted(2023);
    await engine.transition.execute({ documentId: d.documentId, taskId: d.taskId, action: 'approve', principal: counsel });
    expect(await queued()).toEqual([d.taskId]);
    await Promise.all(Array.from({ length: SWEEP_EVERY_JOBS }, () => engine.writer.run(async () => undefined)));
    await engine.writer.idle();
    expect(await queued()).toEqual([]);
    expect(await listed()).not.toContain(d.taskId);

    // A statement typed at the database that opens a closed task again lists it for its role (the inbox shows it).
    await engine.writer.run((r) => r.sql.run("UPDATE tasks SET status = 'open', decision = NULL, decided_by = NULL, closed_at = NULL WHERE id = ?", [d.taskId]));
    expect(await listed()).toContain(d.taskId);
    expect((await inbox()).items.map((t) => t.id)).toContain(d.taskId);
  });
});
