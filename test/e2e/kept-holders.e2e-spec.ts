import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';

type Task = { id: string; stepKey: string; assigneeRole: string | null; assigneeUserId: string | null; delegatedFrom: string | null };
type Entry = { action: string; details: { rerouted?: unknown[] } };

/**
 * Staffing keeps a role's holders between changes (HoldersCache) while the directory's version
 * stands: whatever changes who may decide — a grant made by hand in the database, a substitution
 * set or one whose window opens later — is staffed on at the next change, never on what was kept.
 */
describe('holders kept between changes never outlive the directory they were read from', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  const as = async (u: string) => bearer(await t.token(u));
  let year = 2030;

  beforeAll(async () => {
    await t.engine.directory.addDepartment({ id: 'kept', name: 'kept', officeId: 'rule-of-law-office' });
    for (const [username, roles] of [
      ['kh-drafter', ['drafter']],
      ['kh-counsel', ['legal-counsel']],
      ['kh-leader', ['leader']],
      ['kh-sub', ['leader']],
    ] as const) {
      ids[username] = (await t.engine.directory.addUser({ username, password: PASSWORD, departmentId: 'kept', roles: [...roles] })).id;
    }
  });

  /** A report of the department submitted: its legal review's seats, and what its submit entry says was rerouted. */
  async function submitted(): Promise<{ seats: Task[]; rerouted: unknown[] | undefined }> {
    const drafter = await as('kh-drafter');
    const created = await t.http().post('/api/documents').set(drafter).send({ chain: 'annual-report', title: `kept ${year}`, year: year++, departmentId: 'kept', content: REPORT_OUTLINE });
    expect(created.status).toBe(201);
    expect((await t.http().post(`/api/documents/${created.body.id}/actions`).set(drafter).send({ action: 'submit' })).status).toBe(200);
    const doc = (await t.http().get(`/api/documents/${created.body.id}`).set(await as('admin'))).body as { openTasks: Task[] };
    const audit = await t.http().get(`/api/audit?documentId=${created.body.id}&limit=50`).set(await as('admin'));
    expect(audit.status).toBe(200);
    return { seats: doc.openTasks, rerouted: (audit.body.items as Entry[]).find((e) => e.action === 'submit')?.details.rerouted };
  }

  const byHand = (sql: string, params: unknown[]) => t.engine.writer.run((r) => r.sql.run(sql, params));

  it('a supervisor grant made by hand in the database reroutes the next seat, and its removal brings it back', async () => {
    expect((await submitted()).seats).toEqual([expect.objectContaining({ stepKey: 'legal-review', assigneeRole: 'legal-counsel', assigneeUserId: null })]);
    await byHand("INSERT INTO role_grants (user_id, role, department_id, created_at) VALUES (?, 'supervisor', 'kept', ?)", [ids['kh-counsel'], t.clock.now().toISOString()]);
    const rerouted = await submitted();
    expect(rerouted.seats).toEqual([expect.objectContaining({ stepKey: 'legal-review', assigneeRole: 'leader', assigneeUserId: null })]);
    expect(rerouted.rerouted).toEqual([expect.objectContaining({ excluded: [{ userId: ids['kh-counsel'], rule: 'supervisor-decides' }] })]);
    await byHand("DELETE FROM role_grants WHERE user_id = ? AND role = 'supervisor'", [ids['kh-counsel']]);
    expect((await submitted()).seats).toEqual([expect.objectContaining({ assigneeRole: 'legal-counsel', assigneeUserId: null })]);
  });

  it('holders read in a batch that was rolled back are not kept, even when the directory comes to the version number that batch saw', async () => {
    if (t.engine.database.kind === 'postgres') return; // one transaction per change there: no batch to share
    expect((await submitted()).seats).toEqual([expect.objectContaining({ assigneeRole: 'legal-counsel', assigneeUserId: null })]);
    const draft = await t.http().post('/api/documents').set(await as('kh-drafter')).send({ chain: 'annual-report', title: `kept ${year}`, year: year++, departmentId: 'kept', content: REPORT_OUTLINE });
    const principal = (await t.engine.authentication.principal(ids['kh-drafter']))!;
    // One batch: a supervisor grant (the version moves), a submission staffed on it, then the database
    // rolls the transaction back by itself (a full disk, an I/O error; a job's own ROLLBACK stands in).
    let seen = 0;
    const batch = await Promise.allSettled([
      t.engine.writer.run(async (r) => {
        await r.sql.run("INSERT INTO role_grants (user_id, role, department_id, created_at) VALUES (?, 'supervisor', 'kept', ?)", [ids['kh-counsel'], t.clock.now().toISOString()]);
        seen = (await r.sql.one<{ version: number }>('SELECT version FROM directory_version WHERE id = 1'))!.version;
      }),
      t.engine.transition.execute({ documentId: draft.body.id, action: 'submit', principal }),
      t.engine.writer.run(async (r) => {
        await r.sql.run('ROLLBACK');
        throw new Error('disk I/O error');
      }),
    ]);
    expect(batch.map((b) => b.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // The directory comes to the number the lost batch saw (a counted version would, and a restore may).
    await byHand('UPDATE directory_version SET version = ? WHERE id = 1', [seen]);
    expect((await submitted()).seats).toEqual([expect.objectContaining({ assigneeRole: 'legal-counsel', assigneeUserId: null })]);
  });

  it('a substitution set after the holders were kept, whose window opens later, takes the seat once it is open', async () => {
    expect((await submitted()).seats).toEqual([expect.objectContaining({ assigneeRole: 'legal-counsel', assigneeUserId: null })]);
    const now = t.clock.now().getTime();
    const window = { startsAt: new Date(now + 3_600_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() };
    const proxy = await t.http().post('/api/me/proxies').set(await as('kh-counsel')).send({ substituteId: ids['kh-sub'], ...window });
    expect(proxy.status).toBe(201);
    // Before the window: the counsel is at work.
    expect((await submitted()).seats).toEqual([expect.objectContaining({ assigneeRole: 'legal-counsel', assigneeUserId: null })]);
    t.clock.advance(2 * 3_600_000);
    expect((await submitted()).seats).toEqual([expect.objectContaining({ assigneeRole: 'legal-counsel', assigneeUserId: ids['kh-sub'], delegatedFrom: ids['kh-counsel'] })]);
    // The window ends: back to the role.
    t.clock.advance(86_400_000);
    expect((await submitted()).seats).toEqual([expect.objectContaining({ assigneeRole: 'legal-counsel', assigneeUserId: null })]);
  });
});
