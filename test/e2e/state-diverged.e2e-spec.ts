import { newId } from '@shenpi/domain';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { reviewers } from '../support/reviewers.js';
import { bearer, useApp } from '../support/test-app.js';

/**
 * Someone with write access to the database forges a document's row: the state jumps from office
 * review to awaiting disclosure, or the version moves; or hands an open task to someone else. The kernel compares the row with the
 * document's last audit entry before acting, on every path, and refuses with 409 STATE_DIVERGED
 * and a security entry; nothing is done on the forged row.
 */
describe('rows that disagree with the audit log', () => {
  const t = useApp();
  const as = async (u: string) => bearer(await t.token(u));
  const { submit, decide, taskOf, history } = reviewers(t, as);
  let year = 2010;

  /** A report in office review, with the office's open task. */
  async function inOfficeReview() {
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '报告', year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await submit(created.body.id);
    await decide('counsel', created.body.id, 'approve');
    await decide('secretary', created.body.id, 'approve');
    return { id: created.body.id as string, officeTask: (await taskOf('office', created.body.id))! };
  }
  /** A report submitted to legal review, with the counsel's open task. */
  async function inLegalReview() {
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '报告', year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await submit(created.body.id);
    return { id: created.body.id as string, task: (await taskOf('counsel', created.body.id))! };
  }
  const forge = (sql: string, params: unknown[]) => t.engine.writer.run((r) => r.sql.run(sql, params));
  /** The security entries of the document, once the writer has run what was queued before. */
  const securityEntries = async (documentId: string) => {
    // The security entry is written after the refusal's answer, in a transaction of its own.
    await t.engine.writer.idle();
    const res = await t.http().get(`/api/audit?documentId=${documentId}&category=security&action=state-diverged`).set(await as('admin'));
    return res.body.items;
  };

  it('refuses disclosure on a state forged past office review, and records who tried', async () => {
    const { id } = await inOfficeReview();
    await forge("UPDATE documents SET state = 'awaiting-disclosure' WHERE id = ?", [id]);
    const before = await history(id);
    const res = await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'record-disclosure', disclosure: { url: 'https://kjj.example.gov.cn/fzzf/2010.html', publishedOn: '2026-02-01' } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'STATE_DIVERGED', details: { documentId: id, field: 'state', log: 'office-review', table: 'awaiting-disclosure' } });
    expect(await history(id)).toEqual(before);
    // Verify names the document too, whether or not anyone tried to act on it.
    const verify = await t.http().get('/api/audit/verify').set(await as('admin'));
    expect(verify.body).toMatchObject({ ok: false, reason: expect.stringMatching(new RegExp(`^1 document disagrees with the log: document ${id} has state "awaiting-disclosure" in its row but "office-review" in its audit log$`)) });
    expect(verify.body.documents).toEqual([{ documentId: id, field: 'state', log: 'office-review', table: 'awaiting-disclosure' }]);
    await forge("UPDATE documents SET state = 'office-review' WHERE id = ?", [id]);
    expect((await t.http().get('/api/audit/verify').set(await as('admin'))).body.ok).toBe(true);
    await forge("UPDATE documents SET state = 'awaiting-disclosure' WHERE id = ?", [id]);
    const [entry] = await securityEntries(id);
    expect(entry).toMatchObject({ result: 'denied', actor: { id: expect.any(String) }, details: { code: 'STATE_DIVERGED', attempted: 'record-disclosure', field: 'state', log: 'office-review', table: 'awaiting-disclosure' } });
  });

  it('refuses a decision, alone or in bulk, on a row whose version was moved', async () => {
    const { id, officeTask } = await inOfficeReview();
    await forge('UPDATE documents SET version = version + 5 WHERE id = ?', [id]);
    const single = await t.http().post(`/api/tasks/${officeTask}/decision`).set(await as('office')).send({ decision: 'approve' });
    expect(single.status).toBe(409);
    expect(single.body).toMatchObject({ code: 'STATE_DIVERGED', details: { field: 'version' } });
    const bulk = await t.http().post('/api/tasks/bulk-decision').set(await as('office')).send({ items: [{ taskId: officeTask, decision: 'approve' }] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results[0]).toMatchObject({ taskId: officeTask, code: 'STATE_DIVERGED' });
    expect((await securityEntries(id)).length).toBe(2);
  });

  it('refuses a legal review decided on a task handed to a non-counsel in the tasks table, and verify names it', async () => {
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '报告', year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const id = created.body.id as string;
    await submit(id);
    const task = (await taskOf('counsel', id))!;
    const row = await t.engine.database.reader.one<{ assignee_role: string | null; assignee_user_id: string | null }>('SELECT assignee_role, assignee_user_id FROM tasks WHERE id = ?', [task]);
    const secretary = (await t.engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'secretary'"))!.id;
    await forge('UPDATE tasks SET assignee_role = NULL, assignee_user_id = ? WHERE id = ?', [secretary, task]);
    const res = await t.http().post(`/api/tasks/${task}/decision`).set(await as('secretary')).send({ decision: 'approve' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'STATE_DIVERGED', details: { documentId: id, field: 'openTasks' } });
    expect(await history(id)).toHaveLength(2);
    const verify = await t.http().get('/api/audit/verify').set(await as('admin'));
    expect(verify.body.ok).toBe(false);
    const ofThis = (documents: { documentId: string }[]) => documents.filter((d) => d.documentId === id);
    expect(ofThis(verify.body.documents)).toEqual([{ documentId: id, field: 'openTasks', log: res.body.details.log, table: res.body.details.table }]);
    await forge('UPDATE tasks SET assignee_role = ?, assignee_user_id = ? WHERE id = ?', [row!.assignee_role, row!.assignee_user_id, task]);
    expect((await t.http().post(`/api/tasks/${task}/decision`).set(await as('counsel')).send({ decision: 'approve' })).status).toBe(200);
    expect(ofThis((await t.http().get('/api/audit/verify').set(await as('admin'))).body.documents ?? [])).toEqual([]);
  });

  it('refuses a decision on a document given an open task by hand (an INSERT, as a statement typed at the database), and verify names it', async () => {
    const created = await t.http().post('/api/documents').set(await as('drafter')).send({ chain: 'annual-report', title: '报告', year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    const id = created.body.id as string;
    await submit(id);
    const task = (await taskOf('counsel', id))!;
    const secretary = (await t.engine.database.reader.one<{ id: string }>("SELECT id FROM users WHERE username = 'secretary'"))!.id;
    const slipped = newId();
    // On SQLite the document's row lists its tasks by trigger: the door sees a task however it was inserted.
    await forge(
      `INSERT INTO tasks (id, document_id, step_key, round, department_id, assignee_role, assignee_user_id, status, created_at)
       SELECT ?, document_id, step_key, round, department_id, NULL, ?, 'open', created_at FROM tasks WHERE id = ?`,
      [slipped, secretary, task],
    );
    const res = await t.http().post(`/api/tasks/${task}/decision`).set(await as('counsel')).send({ decision: 'approve' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'STATE_DIVERGED', details: { documentId: id, field: 'openTasks' } });
    const ofThis = (documents: { documentId: string }[] = []) => documents.filter((d) => d.documentId === id);
    expect(ofThis((await t.http().get('/api/audit/verify').set(await as('admin'))).body.documents)).toEqual([{ documentId: id, field: 'openTasks', log: res.body.details.log, table: res.body.details.table }]);
    await forge("UPDATE tasks SET status = 'cancelled' WHERE id = ?", [slipped]);
    expect((await t.http().post(`/api/tasks/${task}/decision`).set(await as('counsel')).send({ decision: 'approve' })).status).toBe(200);
  });

  it('names in verify a document whose row lists other tasks or timers than its tables hold, and lets a list hide a row but never lend one (SQLite)', async () => {
    if (t.engine.database.kind !== 'sqlite') return; // PostgreSQL finds a document's tasks by index: there is no list to edit
    const [a, b] = [await inLegalReview(), await inLegalReview()];
    const row = (id: string) => t.engine.database.reader.one<{ task_ids: string; timer_ids: string }>('SELECT task_ids, timer_ids FROM documents WHERE id = ?', [id]);
    const { task_ids: listed, timer_ids: timers } = (await row(a.id))!;
    const named = async () => ((await t.http().get('/api/audit/verify').set(await as('admin'))).body.documents ?? []).filter((d: { documentId: string }) => [a.id, b.id].includes(d.documentId));

    // A task slipped into the table by hand and left off the list: the door would not see it.
    const slipped = newId();
    await forge(
      `INSERT INTO tasks (id, document_id, step_key, round, department_id, assignee_role, assignee_user_id, status, created_at)
       SELECT ?, document_id, step_key, round, department_id, assignee_role, NULL, 'open', created_at FROM tasks WHERE id = ?`,
      [slipped, a.task],
    );
    await forge('UPDATE documents SET task_ids = ? WHERE id = ?', [listed, a.id]);
    expect(await named()).toEqual([{ documentId: a.id, field: 'taskIds', log: [...JSON.parse(listed), slipped].sort(), table: JSON.parse(listed) }]);
    await forge('UPDATE documents SET task_ids = json_insert(task_ids, ?, ?) WHERE id = ?', ['$[#]', slipped, a.id]);
    await forge("UPDATE tasks SET status = 'cancelled' WHERE id = ?", [slipped]);
    expect(await named()).toEqual([]);

    // B's task listed on A's row as well: named, and A's door does not count it (B's counsel still decides B's).
    await forge('UPDATE documents SET task_ids = json_insert(task_ids, ?, ?) WHERE id = ?', ['$[#]', b.task, a.id]);
    expect(await named()).toEqual([{ documentId: a.id, field: 'taskIds', log: [...JSON.parse(listed), slipped].sort(), table: [...JSON.parse(listed), slipped, b.task] }]);
    expect((await t.http().post(`/api/tasks/${a.task}/decision`).set(await as('counsel')).send({ decision: 'approve' })).status).toBe(200);
    expect((await t.http().post(`/api/tasks/${b.task}/decision`).set(await as('counsel')).send({ decision: 'approve' })).status).toBe(200);
    await forge('UPDATE documents SET task_ids = (SELECT json_group_array(j.value) FROM json_each(task_ids) j WHERE j.value <> ?) WHERE id = ?', [b.task, a.id]);

    // A timer struck off the list.
    const [first] = JSON.parse(timers) as string[];
    await forge('UPDATE documents SET timer_ids = (SELECT json_group_array(j.value) FROM json_each(timer_ids) j WHERE j.value <> ?) WHERE id = ?', [first, a.id]);
    expect(await named()).toEqual([expect.objectContaining({ documentId: a.id, field: 'timerIds', log: expect.arrayContaining([first]) })]);
    await forge('UPDATE documents SET timer_ids = json_insert(timer_ids, ?, ?) WHERE id = ?', ['$[#]', first, a.id]);
    expect(await named()).toEqual([]);

    // What the lists rest on: a row never moves to another document, nor goes.
    await expect(forge('UPDATE tasks SET document_id = ? WHERE id = ?', [b.id, a.task])).rejects.toThrow(/stay with their document/);
    await expect(forge('DELETE FROM deadlines WHERE id = ?', [first])).rejects.toThrow(/never deleted/);
  });

  it('checks the row against the transition entry its row lists last, refuses one that is not the document\'s, and names a list that is not its log in verify (SQLite)', async () => {
    if (t.engine.database.kind !== 'sqlite') return; // PostgreSQL finds a document's entries by index: there is no list to edit
    const [a, b] = [await inLegalReview(), await inLegalReview()];
    const listed = async (id: string) => JSON.parse((await t.engine.database.reader.one<{ transition_seqs: string }>('SELECT transition_seqs FROM documents WHERE id = ?', [id]))!.transition_seqs) as number[];
    const logged = async (id: string) => {
      const res = await t.http().get(`/api/audit?documentId=${id}&category=transition`).set(await as('admin'));
      return (res.body.items as { seq: number }[]).map((e) => e.seq).reverse();
    };
    const named = async () => ((await t.http().get('/api/audit/verify').set(await as('admin'))).body.documents ?? []).filter((d: { documentId: string }) => [a.id, b.id].includes(d.documentId));
    const listOf = (id: string, seqs: number[]) => forge('UPDATE documents SET transition_seqs = ? WHERE id = ?', [JSON.stringify(seqs), id]);
    const decideA = async () => (await t.http().post(`/api/tasks/${a.task}/decision`).set(await as('counsel')).send({ decision: 'approve' })).status;

    // The trigger listed each transition entry as it was logged: created, submitted.
    const seqs = await listed(a.id);
    expect(seqs).toHaveLength(2);
    expect(await logged(a.id)).toEqual(seqs);
    expect(await named()).toEqual([]);

    // The database refuses a list that does not grow by one newer entry of the document's own: emptied, shortened,
    // its last entry replaced, another document's entry added, an entry repeated.
    const [bLast] = (await listed(b.id)).slice(-1);
    for (const wrong of [[], seqs.slice(0, 1), [seqs[0], bLast], [...seqs, bLast], [...seqs, seqs[1]]]) {
      await expect(listOf(a.id, wrong)).rejects.toThrow(/only appended/);
    }
    expect(await listed(a.id)).toEqual(seqs);

    // An owner who drops that trigger: the door and verify still catch a list that lends or hides.
    const guard = (await t.engine.database.reader.one<{ sql: string }>("SELECT sql FROM sqlite_schema WHERE name = 'documents_transitions_appended'"))!.sql;
    await forge('DROP TRIGGER documents_transitions_appended', []);

    // B's last entry listed last on A's row: the door does not take it for A's (it is refused, and nothing is done), verify names the list.
    await listOf(a.id, [...seqs, bLast]);
    expect(await decideA()).toBe(409);
    expect(await named()).toEqual([{ documentId: a.id, field: 'transitionSeqs', log: seqs, table: [...seqs, bLast] }]);
    // The refusal's security entry is A's, on the index by document: it grows no list.
    expect(await listed(a.id)).toEqual([...seqs, bLast]);
    expect((await securityEntries(a.id)).length).toBeGreaterThan(0);

    // A's last entry struck off: the door checks the row against the one before (the draft's), and refuses.
    await listOf(a.id, seqs.slice(0, 1));
    expect(await decideA()).toBe(409);
    expect(await named()).toEqual([{ documentId: a.id, field: 'transitionSeqs', log: seqs, table: seqs.slice(0, 1) }]);

    // Put back as the log says: the decision goes through and its entry is listed.
    await listOf(a.id, seqs);
    await forge(guard, []);
    expect(await named()).toEqual([]);
    expect(await decideA()).toBe(200);
    expect(await listed(a.id)).toEqual(await logged(a.id));
    expect(await listed(a.id)).toHaveLength(3);
  });

  it('acts as before once the row is put back as the log says', async () => {
    const { id, officeTask } = await inOfficeReview();
    await forge("UPDATE documents SET state = 'draft' WHERE id = ?", [id]);
    expect((await t.http().post(`/api/tasks/${officeTask}/decision`).set(await as('office')).send({ decision: 'approve' })).status).toBe(409);
    await forge("UPDATE documents SET state = 'office-review' WHERE id = ?", [id]);
    expect((await t.http().post(`/api/tasks/${officeTask}/decision`).set(await as('office')).send({ decision: 'approve' })).status).toBe(200);
  });

  it('records a divergence the scheduler meets again and again once, and every user who tries', async () => {
    const { id } = await inOfficeReview();
    const divergence = { documentId: id, departmentId: 'city-sti', attempted: 'escalate', seq: 1, field: 'state', log: 'office-review', table: 'draft' };
    for (let i = 0; i < 3; i++) await t.engine.security.stateDiverged({ ...divergence, caller: null });
    expect((await securityEntries(id)).length).toBe(1);
  });
});
