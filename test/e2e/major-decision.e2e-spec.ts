import { reviewers } from '../support/reviewers.js';
import { bearer, PASSWORD, testPlanner, useApp } from '../support/test-app.js';

/**
 * The shipped major-decision chain (重大行政决策, 国务院令第713号) over HTTP: public participation
 * for 30 calendar days, expert review countersigned by legal counsel and leader (会签), risk
 * assessment, legality review (only lawful leads to the collective decision, Art. 25), collective
 * decision with dissent minuted, reporting. The clock stays at Monday 2 February 2026, 10:00 Beijing.
 */
describe('major-decision chain over HTTP', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  const as = async (user: string) => bearer(await t.token(user));

  beforeAll(async () => {
    for (const u of ['drafter', 'counsel', 'leader', 'secretary']) ids[u] = (await t.http().get('/api/me').set(await as(u))).body.id;
    // A second leader: the expert-review leader task is the role's, so either may hold it.
    ids['leader-2'] = (await t.engine.directory.addUser({ username: 'leader-2', password: PASSWORD, departmentId: 'city-sti', roles: ['leader'] })).id;
    // Risk assessment and legality review follow expert review: other people decide them (separation of duties).
    ids['counsel-2'] = (await t.engine.directory.addUser({ username: 'counsel-2', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] })).id;
  });

  let seq = 0;
  async function create() {
    const res = await t
      .http()
      .post('/api/documents')
      .set(await as('drafter'))
      .send({ chain: 'major-decision', title: `关于调整科技创新券政策的决策草案（${++seq}）`, year: 2026, departmentId: 'city-sti', content: '决策草案正文' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'drafting', chain: { key: 'major-decision' }, openTasks: [], fields: {} });
    return res.body.id as string;
  }
  const { submit, doc, taskOf, postDecision, decide, history } = reviewers(t, as);
  const path = async (id: string) => (await history(id)).map((h) => `${h.action}:${h.to}`);
  const openRoles = (d: { openTasks: { assigneeRole: string }[] }) => d.openTasks.map((x) => x.assigneeRole).sort();

  /** Submitted, and public participation closed: both expert-review signers hold a task. */
  async function atExpertReview(): Promise<string> {
    const id = await create();
    expect((await submit(id)).state).toBe('public-participation');
    expect((await decide('drafter', id, 'approve')).state).toBe('expert-review');
    return id;
  }
  async function atLegalityReview(): Promise<string> {
    const id = await atExpertReview();
    await decide('counsel', id, 'approve');
    expect((await decide('leader', id, 'approve')).state).toBe('risk-assessment');
    expect((await decide('leader-2', id, 'approve')).state).toBe('legality-review');
    return id;
  }

  it('walks the whole path: public participation, countersigned expert review, risk, legality, collective decision with dissent, reporting, decided', async () => {
    const id = await create();
    expect((await doc(id)).allowedActions).toEqual([{ action: 'submit' }, { action: 'edit' }]);

    // Public participation: run by the drafting department, due 30 calendar days after entry.
    const participation = await submit(id);
    expect(participation.state).toBe('public-participation');
    expect(participation.openTasks).toHaveLength(1);
    expect(participation.openTasks[0]).toMatchObject({ stepKey: 'public-participation', assigneeRole: 'drafter', departmentId: 'city-sti', round: 1 });
    expect(participation.dueAt >= '2026-03-03T16:00:00.000Z').toBe(true);
    // 2 Feb + 30 days is Wednesday 4 March, a working day: due at its end, Beijing time.
    expect(participation).toMatchObject({ dueAt: '2026-03-04T15:59:59.999Z', dueProvisional: false });
    expect(participation.openTasks[0].dueAt).toBe(participation.dueAt);
    // Nobody else has anything to do yet.
    for (const u of ['counsel', 'leader', 'secretary']) expect(await taskOf(u, id)).toBeUndefined();

    // Expert review: two signers, legal counsel and leader, both needed.
    const expert = await decide('drafter', id, 'approve');
    expect(expert.state).toBe('expert-review');
    expect(openRoles(expert)).toEqual(['leader', 'legal-counsel']);
    expect(expert.openTasks.map((x: { round: number }) => x.round)).toEqual([1, 1]);
    expect(expert.signing).toMatchObject({ mode: 'all', needed: 2, for: 0, against: 0 });
    const counselTask = (await taskOf('counsel', id))!;
    const leaderTask = (await taskOf('leader', id))!;
    expect(counselTask).toBeDefined();
    expect(leaderTask).toBeDefined();
    expect(counselTask).not.toBe(leaderTask);

    const afterCounsel = await decide('counsel', id, 'approve');
    expect(afterCounsel.state).toBe('expert-review');
    expect(afterCounsel.signing).toMatchObject({ mode: 'all', needed: 2, for: 1, against: 0 });
    expect(afterCounsel.openTasks).toHaveLength(1);
    expect(afterCounsel.openTasks[0]).toMatchObject({ id: leaderTask, assigneeRole: 'leader', status: 'open' });
    expect(await taskOf('counsel', id)).toBeUndefined();
    expect(await taskOf('leader', id)).toBe(leaderTask);
    // The counsel's approval is spent: deciding again is refused.
    expect((await postDecision('counsel', counselTask, { decision: 'approve' })).status).toBe(409);
    expect((await doc(id)).state).toBe('expert-review');

    const risk = await decide('leader', id, 'approve');
    expect(risk.state).toBe('risk-assessment');
    expect(risk.openTasks).toHaveLength(1);
    expect(risk.openTasks[0]).toMatchObject({ stepKey: 'risk-assessment', assigneeRole: 'leader' });

    const legality = await decide('leader-2', id, 'approve');
    expect(legality.state).toBe('legality-review');
    expect(legality.openTasks).toHaveLength(1);
    expect(legality.openTasks[0]).toMatchObject({ stepKey: 'legality-review', assigneeRole: 'legal-counsel' });
    // At least 7 working days (Art. 26): the chain gives 10, counted from the day after entry.
    expect(legality.dueAt).toEqual(expect.any(String));
    expect(testPlanner.workingDaysBetween(t.clock.now(), new Date(legality.dueAt))).toBe(10);
    // Entered Monday 2 February: ten working days over 3–13 February and Saturday 14 February, worked
    // before the Spring Festival, end with 14 February, Beijing time.
    expect(legality).toMatchObject({ dueAt: '2026-02-14T15:59:59.999Z', dueProvisional: false });
    expect(legality.openTasks[0].dueAt).toBe(legality.dueAt);

    const collective = await decide('counsel-2', id, 'lawful');
    expect(collective.state).toBe('collective-decision');
    expect(collective.openTasks[0]).toMatchObject({ stepKey: 'collective-decision', assigneeRole: 'party-secretary' });

    const dissent = '会议同意；张委员对第二条补贴标准持保留意见，如实载明';
    const reporting = await decide('secretary', id, 'approve', { comment: dissent });
    expect(reporting.state).toBe('reporting');
    expect(reporting.openTasks[0]).toMatchObject({ stepKey: 'reporting', assigneeRole: 'drafter' });

    const decided = await decide('drafter', id, 'approve');
    expect(decided).toMatchObject({ state: 'decided', final: true, number: null, openTasks: [], allowedActions: [] });

    const h = await history(id);
    expect(h.map((e) => `${e.action}:${e.to}`)).toEqual([
      'create:drafting',
      'submit:public-participation',
      'approve:expert-review',
      'approve:expert-review',
      'approve:risk-assessment',
      'approve:legality-review',
      'lawful:collective-decision',
      'approve:reporting',
      'approve:decided',
    ]);
    const minuted = h.find((e) => e.from === 'collective-decision')!;
    expect(minuted).toMatchObject({ action: 'approve', to: 'reporting', comment: dissent, actor: { id: ids.secretary, role: 'party-secretary' } });
    // The first expert approval did not settle the step: its entry records the tally.
    expect(h[3]).toMatchObject({ from: 'expert-review', actor: { id: ids.counsel, role: 'legal-counsel' }, details: { tally: { for: 1, against: 0, needed: 2, signers: 2 } } });
    expect(h[4]).toMatchObject({ from: 'expert-review', actor: { id: ids.leader, role: 'leader' } });
  });

  it('expert review in the other order: the leader first, then the counsel', async () => {
    const id = await atExpertReview();
    const afterLeader = await decide('leader', id, 'approve');
    expect(afterLeader.state).toBe('expert-review');
    expect(afterLeader.openTasks).toHaveLength(1);
    expect(afterLeader.openTasks[0]).toMatchObject({ assigneeRole: 'legal-counsel' });
    // The leader role's task is spent for every leader, not just the one who decided.
    expect(await taskOf('leader', id)).toBeUndefined();
    expect(await taskOf('leader-2', id)).toBeUndefined();
    expect((await decide('counsel', id, 'approve')).state).toBe('risk-assessment');
  });

  it('a return by one expert-review signer sends the draft back and cancels the other signer\'s task; resubmission opens a fresh public participation', async () => {
    const id = await atExpertReview();
    const counselTask = (await taskOf('counsel', id))!;
    const leaderTask = (await taskOf('leader', id))!;
    const bare = await postDecision('leader', leaderTask, { decision: 'return' });
    expect(bare.status).toBe(400);
    expect(bare.body.details.map((d: { field: string }) => d.field)).toContain('comment');

    const back = await decide('leader', id, 'return', { comment: '专家论证意见未采纳，请说明理由' });
    expect(back).toMatchObject({ state: 'drafting', openTasks: [], signing: null });
    expect((await t.http().get(`/api/tasks/${counselTask}`).set(await as('counsel'))).body).toMatchObject({ status: 'cancelled', decision: null });
    expect((await t.http().get(`/api/tasks/${leaderTask}`).set(await as('leader'))).body).toMatchObject({ status: 'done', decision: 'return' });
    expect(await taskOf('counsel', id)).toBeUndefined();
    // The cancelled task takes no decision.
    expect((await postDecision('counsel', counselTask, { decision: 'approve' })).status).toBe(409);
    expect((await doc(id)).state).toBe('drafting');

    const again = await submit(id);
    expect(again.state).toBe('public-participation');
    expect(again.openTasks).toHaveLength(1);
    expect(again.openTasks[0]).toMatchObject({ stepKey: 'public-participation', round: 2, assigneeRole: 'drafter' });
    expect(again.dueAt).toBe('2026-03-04T15:59:59.999Z');

    // The fresh expert review opens both tasks again; an approval from the last round does not count.
    const expert2 = await decide('drafter', id, 'approve');
    expect(expert2.state).toBe('expert-review');
    expect(openRoles(expert2)).toEqual(['leader', 'legal-counsel']);
    expect(expert2.openTasks.map((x: { round: number }) => x.round)).toEqual([2, 2]);
    expect(expert2.signing).toMatchObject({ for: 0, needed: 2 });
    expect(await taskOf('counsel', id)).not.toBe(counselTask);

    // A return after the other signer approved still sends it back, and the approval is not kept.
    expect((await decide('counsel', id, 'approve')).state).toBe('expert-review');
    expect((await decide('leader', id, 'return', { comment: '风险点论证不足' })).state).toBe('drafting');
    await submit(id);
    const expert3 = await decide('drafter', id, 'approve');
    expect(expert3.signing).toMatchObject({ for: 0, needed: 2 });
    expect(expert3.openTasks.map((x: { round: number }) => x.round)).toEqual([3, 3]);
    expect(await path(id)).toEqual([
      'create:drafting',
      'submit:public-participation',
      'approve:expert-review',
      'return:drafting',
      'submit:public-participation',
      'approve:expert-review',
      'approve:expert-review',
      'return:drafting',
      'submit:public-participation',
      'approve:expert-review',
    ]);
  });

  it('legality review unlawful blocks the collective decision: back to drafting, collective decision never entered', async () => {
    const id = await atLegalityReview();
    const task = (await taskOf('counsel-2', id))!;
    for (const decision of ['unlawful', 'revise']) {
      const bare = await postDecision('counsel-2', task, { decision });
      expect(bare.status).toBe(400);
      expect(bare.body.details.map((d: { field: string }) => d.field)).toContain('comment');
    }
    // approve is not a legality outcome.
    expect((await postDecision('counsel-2', task, { decision: 'approve' })).status).toBe(409);
    expect((await doc(id)).state).toBe('legality-review');

    const back = await decide('counsel-2', id, 'unlawful', { comment: '决策事项超出本机关法定权限' });
    expect(back).toMatchObject({ state: 'drafting', openTasks: [] });
    expect(await taskOf('secretary', id)).toBeUndefined();
    const h = await history(id);
    expect(h.at(-1)).toMatchObject({ action: 'unlawful', from: 'legality-review', to: 'drafting', comment: '决策事项超出本机关法定权限' });
    expect(h.flatMap((e) => [e.from, e.to])).not.toContain('collective-decision');

    // Resubmitted, the draft runs every stage again from public participation.
    const again = await submit(id);
    expect(again.state).toBe('public-participation');
    expect(again.openTasks[0]).toMatchObject({ round: 2 });
    expect((await doc(id, 'secretary')).allowedActions).toEqual([]);
  });

  it('revise also sends the draft back; only lawful reaches the collective decision, whose reject ends it', async () => {
    const id = await atLegalityReview();
    expect((await decide('counsel-2', id, 'revise', { comment: '应当予以修改' })).state).toBe('drafting');
    await submit(id);
    await decide('drafter', id, 'approve');
    await decide('leader', id, 'approve');
    await decide('counsel', id, 'approve');
    await decide('leader-2', id, 'approve');
    const legality2 = await doc(id);
    expect(legality2.state).toBe('legality-review');
    expect(legality2.openTasks[0]).toMatchObject({ stepKey: 'legality-review', round: 2 });
    expect((await decide('counsel-2', id, 'lawful')).state).toBe('collective-decision');
    const task = (await taskOf('secretary', id))!;
    expect((await postDecision('secretary', task, { decision: 'reject' })).status).toBe(400);
    const rejected = await decide('secretary', id, 'reject', { comment: '时机尚不成熟' });
    expect(rejected).toMatchObject({ state: 'rejected', final: true, openTasks: [], allowedActions: [] });
    const into = (await history(id)).filter((e) => e.to === 'collective-decision' && e.from !== 'collective-decision');
    expect(into.map((e) => `${e.from} ${e.action}`)).toEqual(['legality-review lawful']);
  });

  it('the audit chain verifies at the end', async () => {
    const res = await t.http().get('/api/audit/verify').set(await as('supervisor'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true });
    expect(res.body.entries).toBeGreaterThan(40);
    expect((await t.http().get('/api/audit/verify').set(await as('admin'))).body.ok).toBe(true);
  });
});
