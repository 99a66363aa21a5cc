import { ManualClock, newId, systemActor, type Principal } from '@shenpi/domain';
import { Engine } from '@shenpi/engine';
import { EmbeddedPoller } from '@shenpi/scheduling';
import { PASSWORD, testDatabase, testPlanner } from '../support/test-app.js';
import { timedAnnualReport } from '../support/timed-chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';

/** Deadline rows on the real database, fired by the embedded poller as the injected clock moves. */
describe('deadlines', () => {
  const database = testDatabase();
  const clock = new ManualClock(new Date('2026-09-30T02:00:00.000Z'));
  let engine: Engine;
  let poller: EmbeddedPoller;
  const users: Record<string, Principal> = {};

  const rows = (documentId: string) => engine.writer.run((r) => r.deadlines.forDocument(documentId));
  const audit = (documentId: string) =>
    engine.database.reader.all<{ action: string; actor_type: string; actor_id: string; result: string }>(
      'SELECT action, actor_type, actor_id, result FROM audit_entries WHERE document_id = ? ORDER BY seq',
      [documentId],
    );
  const inbox = async (user: string) => (await engine.inboxReadModel.notifications(users[user], false, undefined, 200)).items;
  const submitted = async (year: number) => {
    const doc = await engine.createDocument.execute({ principal: users.drafter, chain: 'annual-report-timed', title: `报告${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: users.drafter });
    return doc.id;
  };

  beforeAll(async () => {
    engine = await Engine.open({ database, clock, planner: testPlanner });
    await engine.directory.seedDemo(PASSWORD);
    await engine.writer.run((r) => engine.chains.publish(r, timedAnnualReport(), systemActor('test')));
    for (const u of ['drafter', 'counsel', 'secretary', 'leader', 'office']) users[u] = (await engine.authentication.login(u, PASSWORD))!;
    poller = new EmbeddedPoller(engine);
  });
  afterAll(async () => {
    await poller.stop();
    await engine.close();
    await database.drop();
  });

  it('writes the step timers with the transition and shows dueAt on the task and the document', async () => {
    const id = await submitted(2025);
    const timers = await rows(id);
    expect(timers.map((t) => [t.kind, t.stepKey, t.status, t.fireAt])).toEqual([
      ['reminder', 'legal-review', 'pending', '2026-09-30T02:00:30.000Z'],
      ['due', 'legal-review', 'pending', '2026-09-30T02:01:00.000Z'],
      ['escalation', 'legal-review', 'pending', '2026-09-30T02:01:30.000Z'],
      ['auto-action', 'legal-review', 'pending', '2026-09-30T02:02:00.000Z'],
    ]);
    const view = await engine.documentReadModel.document(users.counsel, id);
    expect(view.dueAt).toBe('2026-09-30T02:01:00.000Z');
    expect(view.openTasks[0].dueAt).toBe('2026-09-30T02:01:00.000Z');
    await engine.transition.execute({ documentId: id, action: 'withdraw', principal: users.drafter });
    expect((await engine.documentReadModel.document(users.drafter, id)).dueAt).toBeNull();
    // The stay is over: its timers are stale, and each is put away unfired when it comes due.
    clock.set('2026-09-30T02:03:00.000Z');
    expect(await poller.tick()).toBe(0);
    expect((await rows(id)).map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect((await audit(id)).map((e) => e.action)).toEqual(['create', 'submit', 'withdraw']);
  });

  it('fires reminder, deadline, escalation and automatic approval, each exactly once, audited and notified', async () => {
    clock.set('2026-09-30T03:00:00.000Z');
    const id = await submitted(2024);
    const counselBefore = (await inbox('counsel')).length;
    expect(await poller.tick()).toBe(0);

    clock.advance(31_000);
    expect(await poller.tick()).toBe(1);
    expect(await poller.tick()).toBe(0);
    const reminders = (await inbox('counsel')).slice(0, (await inbox('counsel')).length - counselBefore);
    expect(reminders.map((n) => [n.kind, n.documentId])).toEqual([['remind', id]]);
    expect(reminders[0].message).toContain('提醒');

    clock.advance(30_000);
    expect(await poller.tick()).toBe(1);
    clock.advance(30_000);
    expect(await poller.tick()).toBe(1);
    const leader = await inbox('leader');
    expect(leader.filter((n) => n.documentId === id).map((n) => n.kind)).toEqual(['escalate']);

    clock.advance(30_000);
    expect(await poller.tick()).toBe(1);
    expect(await poller.tick()).toBe(0);
    const doc = await engine.documentReadModel.document(users.secretary, id);
    expect(doc.state).toBe('party-group-review');
    // Entered 2026-09-30 (Wednesday): one working day after the National Day break is 8 October.
    expect(doc.dueAt).toBe('2026-10-08T15:59:59.999Z');

    const entries = await audit(id);
    expect(entries.map((e) => `${e.action}:${e.actor_type}`)).toEqual([
      'create:user',
      'submit:user',
      'remind:system',
      'deadline-passed:system',
      'escalate:system',
      'approve:system',
    ]);
    const legal = (await rows(id)).filter((r) => r.stepKey === 'legal-review');
    expect(legal.map((r) => r.status)).toEqual(['fired', 'fired', 'fired', 'fired']);
    const verify = await engine.audit.verify(new (await import('@shenpi/persistence')).Repositories(engine.database.reader));
    expect(verify.ok).toBe(true);
  });

  it('a decision before the deadline: the step\'s timers never fire, and are cancelled when they come due; a duplicate delivery fires nothing', async () => {
    clock.set('2026-11-02T02:00:00.000Z');
    const id = await submitted(2023);
    const [task] = (await engine.documentReadModel.document(users.counsel, id)).openTasks;
    await engine.transition.execute({ documentId: id, taskId: task.id, action: 'approve', principal: users.counsel });
    // Delivered while still stale-and-pending (a BullMQ job, a poller): nothing happens but the cancel.
    const stale = (await rows(id)).filter((r) => r.stepKey === 'legal-review');
    clock.advance(10 * 60_000);
    expect(await engine.deadlines.fire(stale[0].id)).toBe('skipped');
    await poller.tick();
    const legal = (await rows(id)).filter((r) => r.stepKey === 'legal-review');
    expect(legal.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(await engine.deadlines.fire(legal[3].id)).toBe('skipped');
    expect((await audit(id)).map((e) => e.action)).toEqual(['create', 'submit', 'approve']);
  });

  it('a deadline that races a decision: exactly one approval wins', async () => {
    clock.set('2026-11-03T02:00:00.000Z');
    const id = await submitted(2022);
    const [task] = (await engine.documentReadModel.document(users.counsel, id)).openTasks;
    clock.advance(121_000);
    const due = (await rows(id)).filter((r) => r.status === 'pending');
    const outcomes = await Promise.allSettled([
      engine.transition.execute({ documentId: id, taskId: task.id, action: 'approve', principal: users.counsel }),
      ...due.map((r) => engine.deadlines.fire(r.id)),
    ]);
    const approvals = (await audit(id)).filter((e) => e.action === 'approve' && e.result === 'success');
    expect(approvals).toHaveLength(1);
    expect((await engine.documentReadModel.document(users.secretary, id)).state).toBe('party-group-review');
    expect(outcomes[0].status === 'fulfilled' || (outcomes[0] as PromiseRejectedResult).reason.code).toBeTruthy();
  });

  it('a step entered again keeps only its new round\'s timers: the old round\'s come due and fire nothing', async () => {
    clock.set('2026-11-06T02:00:00.000Z');
    const id = await submitted(2019);
    const [task] = (await engine.documentReadModel.document(users.counsel, id)).openTasks;
    clock.advance(10_000);
    await engine.transition.execute({ documentId: id, taskId: task.id, action: 'return', comment: '请补充', principal: users.counsel });
    clock.advance(10_000);
    await engine.transition.execute({ documentId: id, action: 'submit', principal: users.drafter });
    const [first, second] = [1, 2].map(async (round) => (await rows(id)).filter((r) => r.stepKey === 'legal-review' && r.round === round));
    expect((await first).map((r) => r.status)).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect((await second).map((r) => r.fireAt)).toEqual((await first).map((r) => new Date(Date.parse(r.fireAt) + 20_000).toISOString()));

    // The first round's reminder is due (30 s after the first submission); the second round's is not yet.
    // (Other tests' documents have timers due by then too: this one's audit says what fired for it.)
    clock.set((await first)[0].fireAt);
    await poller.tick();
    expect((await audit(id)).map((e) => e.action)).toEqual(['create', 'submit', 'return', 'submit']);
    clock.set((await second)[0].fireAt);
    await poller.tick();
    expect((await audit(id)).map((e) => e.action)).toEqual(['create', 'submit', 'return', 'submit', 'remind']);
    const statuses = (await rows(id)).filter((r) => r.stepKey === 'legal-review').map((r) => [r.round, r.kind, r.status]);
    expect(statuses).toEqual(expect.arrayContaining([[1, 'reminder', 'cancelled'], [2, 'reminder', 'fired'], [2, 'due', 'pending']]));
    // The document's due instant and its provisional mark are the live round's.
    expect((await engine.documentReadModel.document(users.counsel, id)).dueAt).toBe((await second)[1].fireAt);
  });

  it('a transition back into the step the document is in enters it afresh: new tasks and timers, the old ones stale', async () => {
    const chain = timedAnnualReport('annual-report-recheck');
    chain.steps[1].transitions.push({ action: 'recheck', to: 'legal-review' });
    await engine.writer.run((r) => engine.chains.publish(r, chain, systemActor('test')));
    clock.set('2026-11-07T02:00:00.000Z');
    const doc = await engine.createDocument.execute({ principal: users.drafter, chain: 'annual-report-recheck', title: '报告', year: 2018, departmentId: 'city-sti', content: REPORT_OUTLINE });
    await engine.transition.execute({ documentId: doc.id, action: 'submit', principal: users.drafter });
    const id = doc.id;
    const [task] = (await engine.documentReadModel.document(users.counsel, id)).openTasks;
    clock.advance(10_000);
    await engine.transition.execute({ documentId: id, taskId: task.id, action: 'recheck', principal: users.counsel });
    const view = await engine.documentReadModel.document(users.drafter, id);
    expect(view.state).toBe('legal-review');
    expect(view.openTasks).toHaveLength(1);
    expect(view.openTasks[0].id).not.toBe(task.id);
    const second = (await rows(id)).filter((r) => r.round === 2);
    expect(second.map((r) => r.kind)).toEqual(['reminder', 'due', 'escalation', 'auto-action']);
    expect(view.dueAt).toBe(second[1].fireAt);
    // The first stay's reminder comes due and fires nothing; the second's fires.
    clock.set((await rows(id)).find((r) => r.round === 1 && r.kind === 'reminder')!.fireAt);
    await poller.tick();
    clock.set(second[0].fireAt);
    await poller.tick();
    expect((await audit(id)).map((e) => e.action)).toEqual(['create', 'submit', 'recheck', 'remind']);
    const stays = (await engine.documentReadModel.timeline(users.drafter, id)).stays.filter((s: { step: string }) => s.step === 'legal-review');
    expect(stays.map((s: { round: number; dueAt: string | null }) => [s.round, s.dueAt])).toEqual([
      [1, (await rows(id)).find((r) => r.round === 1 && r.kind === 'due')!.fireAt],
      [2, second[1].fireAt],
    ]);
  });

  it('a row that fails to fire does not stop the others, and stays pending for the next pass', async () => {
    clock.set('2026-11-05T02:00:00.000Z');
    const id = await submitted(2020);
    const good = (await rows(id)).find((r) => r.kind === 'reminder')!;
    // An escalation that names nobody to escalate to fails when it fires.
    const broken = { ...good, id: newId(), kind: 'escalation' as const, payload: {}, status: 'pending' as const, version: 1 };
    await engine.writer.run((r) => r.deadlines.insert(broken));
    clock.set(good.fireAt);
    await expect(engine.deadlines.fireDue()).rejects.toMatchObject({ failures: 1 });
    const after = await rows(id);
    expect(after.find((r) => r.id === good.id)!.status).toBe('fired');
    expect(after.find((r) => r.id === broken.id)!.status).toBe('pending');
  });

  it('a fixed date is the end of the day before it, in Beijing time', async () => {
    clock.set('2026-11-04T02:00:00.000Z');
    const id = await submitted(2021);
    const [legal] = (await engine.documentReadModel.document(users.counsel, id)).openTasks;
    await engine.transition.execute({ documentId: id, taskId: legal.id, action: 'approve', principal: users.counsel });
    const [party] = (await engine.documentReadModel.document(users.secretary, id)).openTasks;
    await engine.transition.execute({ documentId: id, taskId: party.id, action: 'approve', principal: users.secretary });
    const view = await engine.documentReadModel.document(users.office, id);
    expect(view.state).toBe('office-review');
    // "Before 1 March of the year after the report year" for 2021: end of 28 February 2022, Beijing.
    expect(view.dueAt).toBe('2022-02-28T15:59:59.999Z');
  });
});
