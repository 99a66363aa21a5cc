import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';

interface Task {
  id: string;
  stepKey: string;
  signer: string | null;
  status: string;
  departmentId: string;
  assigneeRole: string | null;
  assigneeUserId: string | null;
  delegatedFrom: string | null;
}
interface Allowed {
  action: string;
  taskId?: string;
}
interface Doc {
  id: string;
  state: string;
  version: number;
  chain: { key: string; version: number };
  openTasks: Task[];
  allowedActions: Allowed[];
}
interface Entry {
  seq: number;
  category: string;
  action: string;
  documentId: string | null;
  from: string | null;
  to: string | null;
  actor: { type: string; id: string; onBehalfOf: string | null };
  details: Record<string, any>;
}
interface Res {
  status: number;
  body: any;
  headers: Record<string, string>;
}

/**
 * 不相容职务分离 over HTTP, one test per case of the "Why": the author and editors, a
 * substitute or delegate and the person they stand for, one vote per step, one review step per
 * round, supervisors, withdraw after a decision, migration, limits, and seats nobody may decide.
 * Every refusal leaves the document and its tasks as they were; a 403 leaves one security entry.
 */
describe('separation of duties (不相容职务分离)', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  const as = async (u: string) => bearer(await t.token(u));
  const counsel = { role: 'legal-counsel', department: 'document' };
  const leader = { role: 'leader', department: 'document' };
  const secretary = { role: 'party-secretary', department: 'document' };

  const USERS: [string, string, string[]][] = [
    ['counsel-b', 'city-sti', ['legal-counsel']],
    // One person who drafts, reviews legally and chairs the party group, and an editor who also reviews.
    ['solo', 'sod-solo', ['drafter', 'legal-counsel', 'party-secretary']],
    ['solo-editor', 'sod-solo', ['drafter', 'legal-counsel']],
    ['solo-counsel', 'sod-solo', ['legal-counsel']],
    ['p1-counsel', 'sod-px1', ['legal-counsel']],
    ['p1-drafter', 'sod-px1', ['drafter']],
    ['p2-author', 'sod-px2', ['drafter', 'legal-counsel']],
    ['p2-b', 'sod-px2', ['party-secretary']],
    ['p2-leader', 'sod-px2', ['leader']],
    ['p3-drafter', 'sod-px3', ['drafter']],
    ['p3-a', 'sod-px3', ['legal-counsel']],
    ['p3-b', 'sod-px3', ['leader']],
    ['p3-c', 'sod-px3', ['legal-counsel']],
    ['cs-drafter', 'sod-cs', ['drafter']],
    ['cs-c1', 'sod-cs', ['legal-counsel']],
    ['cs-c2', 'sod-cs', ['legal-counsel']],
    ['cs-dual', 'sod-cs', ['legal-counsel', 'leader']],
    ['cs-leader', 'sod-cs', ['leader']],
    ['sv-drafter', 'sod-sv', ['drafter']],
    ['sv-counsel', 'sod-sv', ['legal-counsel']],
    ['sv-super', 'sod-sv', ['legal-counsel', 'supervisor']],
    ['sv2-drafter', 'sod-sv2', ['drafter']],
    ['sv2-super', 'sod-sv2', ['legal-counsel', 'supervisor']],
    ['sv2-leader', 'sod-sv2', ['leader']],
    ['st-drafter', 'sod-steps', ['drafter']],
    ['st-dual', 'sod-steps', ['legal-counsel', 'party-secretary']],
    ['st-secretary', 'sod-steps', ['party-secretary']],
    ['sm-author', 'sod-small', ['drafter', 'legal-counsel']],
    ['sm-secretary', 'sod-small', ['party-secretary']],
    ['sm-leader', 'sod-small', ['leader']],
    ['m-drafter', 'sod-many', ['drafter']],
    ['m-counsel', 'sod-many', ['legal-counsel']],
    ...Array.from({ length: 11 }, (_, i): [string, string, string[]] => [`m-${String(i + 1).padStart(2, '0')}`, 'sod-many', ['leader']]),
    ['tw-drafter', 'sod-twin', ['drafter']],
    ['tw-c1', 'sod-twin', ['legal-counsel']],
    ['tw-c2', 'sod-twin', ['legal-counsel']],
    ['tw-s1', 'sod-twin', ['leader']],
    ['tw-s2', 'sod-twin', ['leader']],
    ['tm-author', 'sod-timed', ['drafter', 'party-secretary']],
    ['tm-counsel', 'sod-timed', ['legal-counsel']],
    ['tm-leader', 'sod-timed', ['leader']],
  ];

  const draftStep = (to: string) => ({ key: 'draft', name: { zh: '起草', en: 'Draft' }, editable: true, transitions: [{ action: 'submit', to, by: { role: 'drafter', department: 'document' } }] });
  const reviewStep = (key: string, extra: object, to = 'done') => ({
    key,
    name: { zh: `审核${key}`, en: key },
    deadline: { workingDays: 5 },
    ...extra,
    transitions: [
      { action: 'approve', to },
      { action: 'return', to: 'draft', commentRequired: true },
    ],
  });
  const chainOf = (key: string, steps: { key: string }[]) => ({
    key,
    name: { zh: key, en: key },
    initial: 'draft',
    steps: [draftStep(steps[0].key), ...steps, { key: 'done', name: { zh: '完成', en: 'Done' }, final: true, transitions: [] }],
  });
  const annualLike = (key: string, officeName = '报送法治建设办') => {
    const chain = JSON.parse(JSON.stringify(annualReportChain));
    Object.assign(chain, { key, uniquePerDepartmentAndYear: false });
    chain.steps[3].name.zh = officeName;
    return chain;
  };

  async function publish(chain: object) {
    const res = await t.http().post('/api/chains').set(await as('admin')).send(chain);
    expect(res.status).toBe(201);
    return res.body as { key: string; version: number };
  }

  beforeAll(async () => {
    for (const id of new Set(USERS.map((u) => u[1]).filter((d) => d !== 'city-sti'))) {
      await t.engine.directory.addDepartment({ id, name: id, officeId: 'rule-of-law-office' });
    }
    // Password hashing runs off the event loop: create the users side by side.
    await Promise.all(
      USERS.map(async ([username, departmentId, roles]) => {
        ids[username] = (await t.engine.directory.addUser({ username, password: PASSWORD, departmentId, roles })).id;
      }),
    );
    for (const u of ['drafter', 'counsel', 'secretary', 'leader', 'supervisor', 'admin']) ids[u] = (await t.http().get('/api/me').set(await as(u))).body.id;
    await publish(chainOf('sod-countersign', [reviewStep('review', { assignees: [counsel, counsel], signing: 'all' })]));
    await publish(chainOf('sod-mixed', [reviewStep('review', { assignees: [counsel, leader], signing: 'all' })]));
    await publish(chainOf('sod-relaxed', [reviewStep('legal', { assignee: counsel }, 'party'), reviewStep('party', { assignee: secretary, allowSameDeciderAcrossSteps: true })]));
    await publish(chainOf('sod-limits', [reviewStep('review', { assignee: counsel, maxAddedSigners: 2 })]));
    await publish(chainOf('sod-named', [reviewStep('review', { assignees: [{ userId: ids['p3-a'] }, counsel], signing: 'all' })]));
    await publish(annualLike('sod-annual'));
    await publish(timedAnnualReport('sod-timed'));
  }, 60_000);

  async function create(user: string, departmentId: string, year: number, chain = 'annual-report'): Promise<string> {
    const res = await t.http().post('/api/documents').set(await as(user)).send({ chain, title: `${chain} ${departmentId} ${year}`, year, departmentId, content: REPORT_OUTLINE });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  async function act(user: string, id: string, action: string): Promise<Res> {
    return t.http().post(`/api/documents/${id}/actions`).set(await as(user)).send({ action });
  }
  async function submitted(user: string, departmentId: string, year: number, chain = 'annual-report'): Promise<string> {
    const id = await create(user, departmentId, year, chain);
    expect((await act(user, id, 'submit')).status).toBe(200);
    return id;
  }
  async function view(id: string, user = 'admin'): Promise<Doc> {
    const res = await t.http().get(`/api/documents/${id}`).set(await as(user));
    expect(res.status).toBe(200);
    return res.body;
  }
  const decision = async (user: string, taskId: string, body: object = { decision: 'approve' }): Promise<Res> =>
    t.http().post(`/api/tasks/${taskId}/decision`).set(await as(user)).send(body);
  async function approve(user: string, taskId: string): Promise<Doc> {
    const res = await decision(user, taskId);
    expect(res.status).toBe(200);
    return res.body;
  }
  const addSigner = async (user: string, taskId: string, userId: string, position: 'before' | 'after' = 'after'): Promise<Res> =>
    t.http().post(`/api/tasks/${taskId}/add-signer`).set(await as(user)).send({ userId, position, comment: '请会签' });
  async function audit(id: string): Promise<Entry[]> {
    const res = await t.http().get(`/api/audit?documentId=${id}&limit=200`).set(await as('admin'));
    expect(res.status).toBe(200);
    return (res.body.items as Entry[]).sort((a, b) => a.seq - b.seq);
  }
  /** The open tasks of one step (a user holding the role sees all of them). */
  const tasksIn = async (id: string, stepKey?: string) => (await view(id)).openTasks.filter((x) => !stepKey || x.stepKey === stepKey);
  const decisionsOffered = async (id: string, user: string) => (await view(id, user)).allowedActions.filter((a) => a.taskId);
  const inboxOf = async (user: string, id: string): Promise<string[]> =>
    ((await t.http().get('/api/tasks').set(await as(user))).body.items as { id: string; documentId: string }[]).filter((x) => x.documentId === id).map((x) => x.id);

  /** What a refusal must leave as it was: the document's state and version, and its open tasks. */
  async function snapshot(id: string) {
    const d = await view(id);
    return { state: d.state, version: d.version, chain: d.chain, openTasks: d.openTasks };
  }

  /**
   * A 403 SEPARATION_OF_DUTIES naming `rule` (and who broke it): nothing changed, and the refusal is
   * exactly one security entry on the document, with the code and the rule.
   */
  async function refusedBySod(user: string, docId: string, rule: string, breaker: string, send: () => Promise<Res>): Promise<Res> {
    const [before, entries] = [await snapshot(docId), await audit(docId)];
    const res = await send();
    expect({ status: res.status, code: res.body.code, details: res.body.details }).toEqual({ status: 403, code: 'SEPARATION_OF_DUTIES', details: { rule, userId: ids[breaker] } });
    expect(await snapshot(docId)).toEqual(before);
    const added = (await audit(docId)).slice(entries.length);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ category: 'security', action: 'access-denied', documentId: docId, actor: { id: ids[user] }, details: { status: 403, code: 'SEPARATION_OF_DUTIES', rule } });
    return res;
  }

  /** Any other refusal (400, 409, 422, 429): its status and code, nothing changed and nothing audited. */
  async function refusedQuietly(docIds: string[], status: number, code: string, send: () => Promise<Res>): Promise<Res> {
    const before = await Promise.all(docIds.map(async (id) => ({ doc: await snapshot(id), entries: (await audit(id)).length })));
    const res = await send();
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    for (const [i, id] of docIds.entries()) {
      expect(await snapshot(id)).toEqual(before[i].doc);
      expect(await audit(id)).toHaveLength(before[i].entries);
    }
    return res;
  }

  it('the author, even holding every review role, and whoever edited the report never decide its review (author-decides)', async () => {
    const own = await submitted('solo', 'sod-solo', 2041);
    const [task] = await tasksIn(own);
    expect(task).toMatchObject({ stepKey: 'legal-review', assigneeRole: 'legal-counsel', assigneeUserId: null });
    await refusedBySod('solo', own, 'author-decides', 'solo', () => decision('solo', task.id));
    await refusedBySod('solo', own, 'author-decides', 'solo', () => decision('solo', task.id, { decision: 'return', comment: '自己退回' }));
    // Withdraw stays the author's; no decision, delegation or 加签 on the task is offered to them.
    expect((await view(own, 'solo')).allowedActions).toEqual([{ action: 'withdraw' }]);
    expect((await approve('solo-counsel', task.id)).state).toBe('party-group-review');

    // A second drafter who edits the content before submission is one of its authors.
    const edited = await create('solo', 'sod-solo', 2042);
    const patch = await t.http().patch(`/api/documents/${edited}`).set(await as('solo-editor')).send({ content: `${REPORT_OUTLINE}\n补充：年度工作数据`, expectedVersion: 1 });
    expect(patch.status).toBe(200);
    expect((await act('solo', edited, 'submit')).status).toBe(200);
    const [legal] = await tasksIn(edited);
    await refusedBySod('solo-editor', edited, 'author-decides', 'solo-editor', () => decision('solo-editor', legal.id));
    expect(await decisionsOffered(edited, 'solo-editor')).toEqual([]);
    expect(await decisionsOffered(edited, 'solo-counsel')).toContainEqual({ action: 'approve', taskId: legal.id });
    expect((await approve('solo-counsel', legal.id)).state).toBe('party-group-review');
  });

  it('an administrator\'s reassignment never hands a task to the author: the item is refused with its rule and a security entry', async () => {
    const own = await submitted('solo', 'sod-solo', 2043);
    const [task] = await tasksIn(own);
    const handed = await t.http().post(`/api/tasks/${task.id}/delegate`).set(await as('solo-counsel')).send({ toUserId: ids['solo-editor'], comment: '请办理' });
    expect(handed.status).toBe(200);
    const [before, entries] = [await snapshot(own), (await audit(own)).length];
    const res = await t.http().post(`/api/users/${ids['solo-editor']}/reassign-tasks`).set(await as('admin')).send({ toUserId: ids.solo, comment: '离职交接' });
    expect(res.status).toBe(200);
    expect(res.body.reassigned).toBe(0);
    expect(res.body.results).toEqual([
      expect.objectContaining({ taskId: task.id, reassigned: false, code: 'SEPARATION_OF_DUTIES', details: { rule: 'author-decides', userId: ids.solo } }),
    ]);
    expect(await snapshot(own)).toEqual(before);
    const added = (await audit(own)).slice(entries);
    expect(added).toEqual([expect.objectContaining({ category: 'security', action: 'access-denied', details: expect.objectContaining({ code: 'SEPARATION_OF_DUTIES', rule: 'author-decides', attempted: 'reassign' }) })]);
  });

  /** `user` is out of office from an hour ago for a month, `substitute` standing in (代理). */
  async function away(user: string, substitute: string) {
    const now = t.clock.now().getTime();
    const window = { startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 30 * 86_400_000).toISOString(), comment: '出差' };
    const res = await t.http().post('/api/me/proxies').set(await as(user)).send({ substituteId: ids[substitute], ...window });
    expect(res.status).toBe(201);
  }

  it('a substitute never brings the task to the author, and a decision on behalf of someone is judged for both people', async () => {

    // (a) The only counsel names the drafter as substitute: the drafter's own report waits for the counsel.
    await away('p1-counsel', 'p1-drafter');
    const a = await submitted('p1-drafter', 'sod-px1', 2041);
    const [legal] = await tasksIn(a);
    expect(legal).toMatchObject({ assigneeRole: 'legal-counsel', assigneeUserId: null, delegatedFrom: null });
    expect(await inboxOf('p1-drafter', a)).toEqual([]);
    expect(await decisionsOffered(a, 'p1-drafter')).toEqual([]);
    // Not theirs at all: a drafter holds no counsel seat (a plain 403, not a rule of separation).
    const notTheirs = await decision('p1-drafter', legal.id);
    expect({ status: notTheirs.status, code: notTheirs.body.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await audit(a)).find((e) => e.action === 'submit')!.details.rerouted).toBeUndefined();
    expect((await approve('p1-counsel', legal.id)).state).toBe('party-group-review');

    // (a') The author is the only counsel and is away: the seat is the leader's, not the substitute's on the author's behalf.
    await away('p2-author', 'p2-b');
    const b = await submitted('p2-author', 'sod-px2', 2041);
    const [rerouted] = await tasksIn(b);
    expect(rerouted).toMatchObject({ stepKey: 'legal-review', departmentId: 'sod-px2', assigneeRole: 'leader', assigneeUserId: null, delegatedFrom: null });
    expect(await inboxOf('p2-b', b)).toEqual([]);
    expect((await audit(b)).find((e) => e.action === 'submit')!.details.rerouted).toEqual([
      {
        signer: 's0',
        from: { role: 'legal-counsel', userId: null, departmentId: 'sod-px2' },
        to: { role: 'leader', departmentId: 'sod-px2' },
        excluded: [{ userId: ids['p2-author'], rule: 'author-decides' }],
      },
    ]);
    expect((await approve('p2-leader', rerouted.id)).state).toBe('party-group-review');

    // (b) A's named seat goes to B while A is away. A's vote is that seat: A may not take the other seat
    // too (it would be A's second vote), and the seat held for A stays decidable by B.
    await away('p3-a', 'p3-b');
    const c = await submitted('p3-drafter', 'sod-px3', 2041, 'sod-named');
    const seats = await tasksIn(c, 'review');
    const forA = seats.find((x) => x.signer === 's0')!;
    const roleSeat = seats.find((x) => x.signer === 's1')!;
    expect(forA).toMatchObject({ assigneeUserId: ids['p3-b'], delegatedFrom: ids['p3-a'] });
    expect(roleSeat).toMatchObject({ assigneeRole: 'legal-counsel', assigneeUserId: null });
    expect(await decisionsOffered(c, 'p3-b')).toContainEqual({ action: 'approve', taskId: forA.id });
    expect(await decisionsOffered(c, 'p3-a')).toEqual([]);
    const refused = await refusedBySod('p3-a', c, 'second-vote-in-step', 'p3-a', () => decision('p3-a', roleSeat.id));
    expect(refused.body.message).toMatch(/one vote/);
    expect((await approve('p3-b', forA.id)).state).toBe('review');
    expect((await approve('p3-c', roleSeat.id)).state).not.toBe('review');
  });

  it('会签: one person casts one vote in a step, whichever seat, role or request (second-vote-in-step)', async () => {
    // Two counsel seats: the counsel who approved one cannot take the other.
    const twin = await submitted('cs-drafter', 'sod-cs', 2041, 'sod-countersign');
    const [first, second] = await tasksIn(twin, 'review');
    expect([first.assigneeRole, second.assigneeRole]).toEqual(['legal-counsel', 'legal-counsel']);
    expect((await approve('cs-c1', first.id)).state).toBe('review');
    await refusedBySod('cs-c1', twin, 'second-vote-in-step', 'cs-c1', () => decision('cs-c1', second.id));
    expect(await decisionsOffered(twin, 'cs-c1')).toEqual([]);
    expect((await approve('cs-c2', second.id)).state).toBe('done');

    // One person holding both seats' roles (counsel and leader) votes once.
    const mixed = await submitted('cs-drafter', 'sod-cs', 2042, 'sod-mixed');
    const byRole = Object.fromEntries((await tasksIn(mixed, 'review')).map((x) => [x.assigneeRole, x]));
    expect((await approve('cs-dual', byRole['legal-counsel'].id)).state).toBe('review');
    await refusedBySod('cs-dual', mixed, 'second-vote-in-step', 'cs-dual', () => decision('cs-dual', byRole.leader.id));
    expect((await approve('cs-leader', byRole.leader.id)).state).toBe('done');

    // Both seats in one bulk request: one decided, one refused (with its security entry), the step still open.
    const bulk = await submitted('cs-drafter', 'sod-cs', 2043, 'sod-countersign');
    const both = await tasksIn(bulk, 'review');
    const [before, entries] = [await view(bulk), (await audit(bulk)).length];
    const res = await t.http().post('/api/tasks/bulk-decision').set(await as('cs-c1')).send({ items: both.map((x) => ({ taskId: x.id, decision: 'approve' })) });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { taskId: both[0].id, statusCode: 200, document: { id: bulk, state: 'review', version: before.version + 1 } },
      expect.objectContaining({ taskId: both[1].id, statusCode: 403, code: 'SEPARATION_OF_DUTIES', details: { rule: 'second-vote-in-step', userId: ids['cs-c1'] } }),
    ]);
    const after = await view(bulk);
    expect({ state: after.state, version: after.version, open: after.openTasks.map((x) => x.id) }).toEqual({ state: 'review', version: before.version + 1, open: [both[1].id] });
    const added = (await audit(bulk)).slice(entries);
    expect(added.map((e) => `${e.category}:${e.action}`)).toEqual(['transition:approve', 'security:access-denied']);
    expect(added[1]).toMatchObject({ actor: { id: ids['cs-c1'] }, details: { code: 'SEPARATION_OF_DUTIES', rule: 'second-vote-in-step', taskId: both[1].id } });

    // A delegated seat is the vote of both people: c1 handed one seat to c2; neither takes the other seat.
    const handed = await submitted('cs-drafter', 'sod-cs', 2044, 'sod-countersign');
    const [x, y] = await tasksIn(handed, 'review');
    const delegated = await t.http().post(`/api/tasks/${x.id}/delegate`).set(await as('cs-c1')).send({ toUserId: ids['cs-c2'], comment: '请代为会签' });
    expect(delegated.status).toBe(200);
    expect(delegated.body).toMatchObject({ assigneeUserId: ids['cs-c2'], delegatedFrom: ids['cs-c1'] });
    await refusedBySod('cs-c1', handed, 'second-vote-in-step', 'cs-c1', () => decision('cs-c1', y.id));
    await refusedBySod('cs-c2', handed, 'second-vote-in-step', 'cs-c2', () => decision('cs-c2', y.id));
    expect((await approve('cs-c2', x.id)).state).toBe('review');
    expect((await approve('cs-dual', y.id)).state).toBe('done');
  });

  it('an added signer still to decide votes in their own seat, not in the seat before it; whom a task is held for is not added to it', async () => {
    // Counsel holds the legal-review role task and adds counsel-b after themselves: counsel-b's vote is that later seat.
    const id = await submitted('drafter', 'city-sti', 2046);
    const [seat] = await tasksIn(id);
    expect((await addSigner('counsel', seat.id, ids['counsel-b'])).status).toBe(200);
    expect(await decisionsOffered(id, 'counsel-b')).toEqual([]);
    await refusedBySod('counsel-b', id, 'second-vote-in-step', 'counsel-b', () => decision('counsel-b', seat.id));
    // Nor is the seat handed to them: their decision on it would be refused the same way.
    await refusedBySod('counsel', id, 'second-vote-in-step', 'counsel-b', async () =>
      t.http().post(`/api/tasks/${seat.id}/delegate`).set(await as('counsel')).send({ toUserId: ids['counsel-b'], comment: '请办理' }),
    );
    expect((await approve('counsel', seat.id)).state).toBe('legal-review');
    const [added] = await tasksIn(id);
    expect(added).toMatchObject({ assigneeUserId: ids['counsel-b'], signer: 'a1' });
    expect((await approve('counsel-b', added.id)).state).toBe('party-group-review');

    // Counsel hands a report's task to counsel-b, who may not add counsel after: counsel votes through this seat already.
    const handed = await submitted('drafter', 'city-sti', 2047);
    const [task] = await tasksIn(handed);
    expect((await t.http().post(`/api/tasks/${task.id}/delegate`).set(await as('counsel')).send({ toUserId: ids['counsel-b'], comment: '请办理' })).status).toBe(200);
    const again = await addSigner('counsel-b', task.id, ids.counsel);
    expect({ status: again.status, details: again.body.details }).toEqual({ status: 400, details: [{ field: 'userId', reason: 'this user already signs this step' }] });
  });

  it('a hand-over never leaves another seat of the step to nobody: the only leader is not added to the counsel seat', async () => {
    // Counsel and leader seats; p3-b is the department's only leader.
    const id = await submitted('p3-drafter', 'sod-px3', 2042, 'sod-mixed');
    const byRole = Object.fromEntries((await tasksIn(id, 'review')).map((x) => [x.assigneeRole, x]));
    await refusedBySod('p3-a', id, 'second-vote-in-step', 'p3-b', () => addSigner('p3-a', byRole['legal-counsel'].id, ids['p3-b']));
    // Another counsel may be added: the leader seat keeps its leader.
    expect((await addSigner('p3-a', byRole['legal-counsel'].id, ids['p3-c'])).status).toBe(200);
  });

  it('what is part of a decision is the decider\'s alone: the author who holds the role attaches nothing to the task and runs no clock', async () => {
    const own = await submitted('solo', 'sod-solo', 2044);
    const [task] = await tasksIn(own);
    await refusedBySod('solo', own, 'author-decides', 'solo', async () =>
      t.http().post(`/api/tasks/${task.id}/attachments?name=opinion.txt`).set(await as('solo')).set('content-type', 'text/plain').send('自己的意见'),
    );
    await refusedBySod('solo', own, 'author-decides', 'solo', async () =>
      t.http().post(`/api/documents/${own}/clock`).set(await as('solo')).send({ operation: 'pause', reason: '征求意见' }),
    );
    const paused = await t.http().post(`/api/documents/${own}/clock`).set(await as('solo-counsel')).send({ operation: 'pause', reason: '征求意见' });
    expect(paused.status).toBe(200);
  });

  it('two seats of one role while both holders are away go to their two substitutes, one seat each', async () => {
    await away('tw-c1', 'tw-s1');
    await away('tw-c2', 'tw-s2');
    const doc = await submitted('tw-drafter', 'sod-twin', 2045, 'sod-countersign');
    const seats = await tasksIn(doc, 'review');
    expect(seats.map((s) => [s.assigneeUserId, s.delegatedFrom]).sort()).toEqual(
      [
        [ids['tw-s1'], ids['tw-c1']],
        [ids['tw-s2'], ids['tw-c2']],
      ].sort(),
    );
    expect((await approve('tw-s1', seats.find((s) => s.assigneeUserId === ids['tw-s1'])!.id)).state).toBe('review');
    expect((await approve('tw-s2', seats.find((s) => s.assigneeUserId === ids['tw-s2'])!.id)).state).toBe('done');
  });

  it('supervisors never decide: not signer, substitute, delegate or reassignment target (400), never a decider (403 supervisor-decides), rerouted when alone', async () => {
    const id = await submitted('sv-drafter', 'sod-sv', 2041);
    const [task] = await tasksIn(id);
    expect(task).toMatchObject({ assigneeRole: 'legal-counsel', assigneeUserId: null });
    await refusedBySod('sv-super', id, 'supervisor-decides', 'sv-super', () => decision('sv-super', task.id));
    expect((await view(id, 'sv-super')).allowedActions).toEqual([]);

    const delegate = await refusedQuietly([id], 400, 'VALIDATION_FAILED', async () =>
      t.http().post(`/api/tasks/${task.id}/delegate`).set(await as('sv-counsel')).send({ toUserId: ids['sv-super'], comment: '请办理' }),
    );
    expect(delegate.body.details).toEqual([{ field: 'toUserId', reason: 'a supervisor does not decide' }]);
    const signer = await refusedQuietly([id], 400, 'VALIDATION_FAILED', () => addSigner('sv-counsel', task.id, ids['sv-super']));
    expect(signer.body.details).toEqual([{ field: 'userId', reason: 'a supervisor does not sign' }]);

    // The demo organisation's supervisor: counsel may not add them, nor name them as substitute.
    const report = await submitted('drafter', 'city-sti', 2041);
    const [legal] = await tasksIn(report);
    const demo = await refusedQuietly([report], 400, 'VALIDATION_FAILED', () => addSigner('counsel', legal.id, ids.supervisor));
    expect(demo.body.details).toEqual([{ field: 'userId', reason: 'a supervisor does not sign' }]);
    const now = t.clock.now().getTime();
    const window = { startsAt: new Date(now).toISOString(), endsAt: new Date(now + 86_400_000).toISOString() };
    for (const [user, substitute] of [
      ['counsel', 'supervisor'],
      ['sv-counsel', 'sv-super'],
    ]) {
      const proxy = await t.http().post('/api/me/proxies').set(await as(user)).send({ substituteId: ids[substitute], ...window });
      expect({ status: proxy.status, details: proxy.body.details }).toEqual({ status: 400, details: [{ field: 'substituteId', reason: 'a supervisor does not decide' }] });
    }
    expect((await t.http().get('/api/me/proxies').set(await as('counsel'))).body.items).toEqual([]);
    const reassign = await t.http().post(`/api/users/${ids['sv-counsel']}/reassign-tasks`).set(await as('admin')).send({ toUserId: ids['sv-super'], comment: '离职交接' });
    expect({ status: reassign.status, details: reassign.body.details }).toEqual({ status: 400, details: [{ field: 'toUserId', reason: 'a supervisor does not decide' }] });
    expect((await approve('sv-counsel', task.id)).state).toBe('party-group-review');

    // The department's only counsel supervises it too: the seat goes to the step's escalation target.
    const alone = await submitted('sv2-drafter', 'sod-sv2', 2041);
    const [seat] = await tasksIn(alone);
    expect(seat).toMatchObject({ stepKey: 'legal-review', departmentId: 'sod-sv2', assigneeRole: 'leader', assigneeUserId: null });
    expect((await audit(alone)).find((e) => e.action === 'submit')!.details.rerouted).toEqual([
      expect.objectContaining({ to: { role: 'leader', departmentId: 'sod-sv2' }, excluded: [{ userId: ids['sv2-super'], rule: 'supervisor-decides' }] }),
    ]);
    expect((await approve('sv2-leader', seat.id)).state).toBe('party-group-review');
  });

  it('one person decides one review step per round (second-step-in-round), unless the step relaxes it, which is audited', async () => {
    const id = await submitted('st-drafter', 'sod-steps', 2041);
    const [legal] = await tasksIn(id);
    expect((await approve('st-dual', legal.id)).state).toBe('party-group-review');
    const [party] = await tasksIn(id);
    expect(party).toMatchObject({ assigneeRole: 'party-secretary', assigneeUserId: null });
    await refusedBySod('st-dual', id, 'second-step-in-round', 'st-dual', () => decision('st-dual', party.id));
    expect(await decisionsOffered(id, 'st-dual')).toEqual([]);
    expect((await approve('st-secretary', party.id)).state).toBe('office-review');

    const relaxed = await submitted('st-drafter', 'sod-steps', 2042, 'sod-relaxed');
    expect((await approve('st-dual', (await tasksIn(relaxed))[0].id)).state).toBe('party');
    expect((await approve('st-dual', (await tasksIn(relaxed))[0].id)).state).toBe('done');
    const approvals = (await audit(relaxed)).filter((e) => e.action === 'approve');
    expect(approvals.map((e) => [e.to, e.actor.id, e.details.separationRelaxed])).toEqual([
      ['party', ids['st-dual'], undefined],
      ['done', ids['st-dual'], 'second-step-in-round'],
    ]);
  });

  it('withdraw works before any decision of the round and is 409 ALREADY_DECIDED after one, even an added signer’s', async () => {
    const id = await submitted('drafter', 'city-sti', 2042);
    expect((await view(id, 'drafter')).allowedActions).toContainEqual({ action: 'withdraw' });
    expect((await act('drafter', id, 'withdraw')).body).toMatchObject({ state: 'draft' });
    expect((await act('drafter', id, 'submit')).status).toBe(200);

    const [own] = await tasksIn(id);
    expect((await addSigner('counsel', own.id, ids['counsel-b'], 'before')).status).toBe(200);
    const [added] = await tasksIn(id);
    expect(added).toMatchObject({ assigneeUserId: ids['counsel-b'], signer: 'a1' });
    expect((await approve('counsel-b', added.id)).state).toBe('legal-review');
    expect((await view(id, 'drafter')).allowedActions.map((a) => a.action)).not.toContain('withdraw');
    const res = await refusedQuietly([id], 409, 'ALREADY_DECIDED', () => act('drafter', id, 'withdraw'));
    expect(res.body.details).toEqual({ decidedTaskIds: [added.id] });
    // The caller who added a signer before them decides after: the step goes on.
    const [again] = await tasksIn(id);
    expect(again).toMatchObject({ signer: 's0', assigneeRole: 'legal-counsel' });
    expect((await approve('counsel', again.id)).state).toBe('party-group-review');
  });

  it('a migration never maps a document past a review step: 422 MIGRATION_SKIPS_REVIEW naming each mapping entry, dry run or not', async () => {
    const drafting = await create('drafter', 'city-sti', 2041, 'sod-annual');
    const reviewing = await submitted('drafter', 'city-sti', 2042, 'sod-annual');
    const small = await submitted('sm-author', 'sod-small', 2042, 'sod-annual');
    expect(await publish(annualLike('sod-annual', '报送依法治市办'))).toEqual({ key: 'sod-annual', version: 2 });
    const mapping = { draft: 'awaiting-disclosure', 'legal-review': 'awaiting-disclosure' };
    for (const dryRun of [true, false]) {
      const res = await refusedQuietly([drafting, reviewing], 422, 'MIGRATION_SKIPS_REVIEW', async () =>
        t.http().post('/api/chains/sod-annual/migrations').set(await as('admin')).send({ toVersion: 2, mapping, dryRun }),
      );
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['mapping.draft', 'mapping.legal-review']);
      expect(res.body.details[1].reason).toMatch(/"awaiting-disclosure" comes after "legal-review"/);
    }
    expect((await view(reviewing)).chain).toMatchObject({ key: 'sod-annual', version: 1 });

    // A migration that keeps each document at its step enters it afresh, staffed like any entry: the
    // small department's author is its only counsel, so the seat goes to the leader, and the entry says why.
    const migrated = await t.http().post('/api/chains/sod-annual/migrations').set(await as('admin')).send({ toVersion: 2 });
    expect(migrated.status).toBe(202);
    await t.engine.chainMigrations.idle();
    const moved = (await audit(small)).filter((e) => e.action === 'migrate');
    expect(moved).toHaveLength(1);
    expect(moved[0].details.rerouted).toEqual([
      expect.objectContaining({ to: { role: 'leader', departmentId: 'sod-small' }, excluded: [{ userId: ids['sm-author'], rule: 'author-decides' }] }),
    ]);
    const [seat] = await tasksIn(small);
    expect(seat).toMatchObject({ stepKey: 'legal-review', assigneeRole: 'leader', departmentId: 'sod-small' });
    expect((await approve('sm-leader', seat.id)).state).toBe('party-group-review');
  });

  it('limits: maxAddedSigners per step (409 CONFLICT with the limit, 10 by default), nobody added twice, one urge an hour (429)', async () => {
    const id = await submitted('drafter', 'city-sti', 2043, 'sod-limits');
    const [task] = await tasksIn(id);
    for (const u of ['secretary', 'leader']) expect((await addSigner('counsel', task.id, ids[u])).status).toBe(200);
    const over = await refusedQuietly([id], 409, 'CONFLICT', () => addSigner('counsel', task.id, ids['counsel-b']));
    expect(over.body.details).toEqual({ limit: 2 });
    // At the limit, the author is still refused for who they are (403 comes before 409).
    await refusedBySod('counsel', id, 'author-decides', 'drafter', () => addSigner('counsel', task.id, ids.drafter));

    // Without maxAddedSigners the step takes ten.
    const many = await submitted('m-drafter', 'sod-many', 2041);
    const [mine] = await tasksIn(many);
    for (let i = 1; i <= 10; i++) expect((await addSigner('m-counsel', mine.id, ids[`m-${String(i).padStart(2, '0')}`])).status).toBe(200);
    const eleventh = await refusedQuietly([many], 409, 'CONFLICT', () => addSigner('m-counsel', mine.id, ids['m-11']));
    expect(eleventh.body.details).toEqual({ limit: 10 });

    // Two counsels adding each other before themselves stop at the first repeat.
    const report = await submitted('drafter', 'city-sti', 2044);
    const [s0] = await tasksIn(report);
    expect((await addSigner('counsel', s0.id, ids['counsel-b'], 'before')).status).toBe(200);
    const [a1] = await tasksIn(report);
    expect((await addSigner('counsel-b', a1.id, ids.counsel, 'before')).status).toBe(200);
    const [a2] = await tasksIn(report);
    expect(a2).toMatchObject({ assigneeUserId: ids.counsel, signer: 'a2' });
    const twice = await refusedQuietly([report], 400, 'VALIDATION_FAILED', () => addSigner('counsel', a2.id, ids['counsel-b'], 'before'));
    expect(twice.body.details).toEqual([{ field: 'userId', reason: 'this user already signs this step' }]);

    const urge = async () => t.http().post(`/api/documents/${report}/urge`).set(await as('drafter')).send({ comment: '请尽快' });
    expect((await urge()).status).toBe(200);
    const again = await refusedQuietly([report], 429, 'RATE_LIMITED', urge);
    expect({ retryAfter: again.headers['retry-after'], details: again.body.details }).toEqual({ retryAfter: '3600', details: { retryAfterSeconds: 3600 } });
  });

  it('a document never sticks: the author is the only counsel, so legal review goes to the leader, who is told why and decides', async () => {
    const id = await submitted('sm-author', 'sod-small', 2041);
    const [task] = await tasksIn(id);
    expect(task).toMatchObject({ stepKey: 'legal-review', departmentId: 'sod-small', assigneeRole: 'leader', assigneeUserId: null });
    const submit = (await audit(id)).find((e) => e.action === 'submit')!;
    expect(submit.details.rerouted).toEqual([
      {
        signer: 's0',
        from: { role: 'legal-counsel', userId: null, departmentId: 'sod-small' },
        to: { role: 'leader', departmentId: 'sod-small' },
        excluded: [{ userId: ids['sm-author'], rule: 'author-decides' }],
      },
    ]);
    const notes = (await t.http().get('/api/notifications').set(await as('sm-leader'))).body.items;
    expect(notes).toContainEqual(expect.objectContaining({ kind: 'task-rerouted', documentId: id, taskId: task.id }));
    expect(await inboxOf('sm-leader', id)).toEqual([task.id]);
    expect(await inboxOf('sm-author', id)).toEqual([]);
    expect((await approve('sm-leader', task.id)).state).toBe('party-group-review');
    expect((await tasksIn(id))[0]).toMatchObject({ assigneeRole: 'party-secretary', assigneeUserId: null });
  });

  it('the scheduler’s automatic approval staffs the next step the same way: its only holder is the author, so the leader gets it', async () => {
    const id = await submitted('tm-author', 'sod-timed', 2041, 'sod-timed');
    expect((await tasksIn(id))[0]).toMatchObject({ stepKey: 'legal-review', assigneeRole: 'legal-counsel' });
    // Reminder at 30 s, due at 60 s, escalation at 90 s, automatic approval at 120 s.
    for (let i = 0; i < 4; i++) {
      t.clock.advance(30_500);
      await t.engine.deadlines.fireDue();
    }
    const [task] = await tasksIn(id);
    expect(task).toMatchObject({ stepKey: 'party-group-review', departmentId: 'sod-timed', assigneeRole: 'leader', assigneeUserId: null });
    const auto = (await audit(id)).find((e) => e.action === 'approve')!;
    expect(auto).toMatchObject({ actor: { type: 'system' }, from: 'legal-review', to: 'party-group-review' });
    expect(auto.details.rerouted).toEqual([
      {
        signer: 's0',
        from: { role: 'party-secretary', userId: null, departmentId: 'sod-timed' },
        to: { role: 'leader', departmentId: 'sod-timed' },
        excluded: [{ userId: ids['tm-author'], rule: 'author-decides' }],
      },
    ]);
    const notes = (await t.http().get('/api/notifications?limit=200').set(await as('tm-leader'))).body.items;
    expect(notes).toContainEqual(expect.objectContaining({ kind: 'task-rerouted', documentId: id, taskId: task.id }));
    expect((await approve('tm-leader', task.id)).state).toBe('office-review');
  });
});
