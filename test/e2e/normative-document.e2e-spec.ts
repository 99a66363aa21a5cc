import { reviewers } from '../support/reviewers.js';
import { bearer, PASSWORD, useApp } from '../support/test-app.js';

/**
 * The shipped normative-document chain (行政规范性文件) over HTTP: fair competition review when the
 * measure touches market activity, the three legality outcomes, collective deliberation, signing,
 * and the document number given on issue — gapless and unique under concurrency, per year.
 */
describe('normative-document chain over HTTP', () => {
  const t = useApp();
  const ids: Record<string, string> = {};
  const ISSUER = '市科技局发';

  /**
   * Tokens are short-lived relative to the year jumps below, so log in afresh whenever the clock
   * has moved since the last login (t.token caches for the whole suite).
   */
  const tokens = new Map<string, { at: number; token: string }>();
  const as = async (user: string) => {
    const now = t.clock.now().getTime();
    const cached = tokens.get(user);
    if (!cached || cached.at !== now) {
      const res = await t.http().post('/api/auth/login').send({ username: user, password: PASSWORD });
      if (res.status !== 200) throw new Error(`login ${user}: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(user, { at: now, token: res.body.accessToken });
    }
    return bearer(tokens.get(user)!.token);
  };

  beforeAll(async () => {
    ids['leader-2'] = (await t.engine.directory.addUser({ username: 'leader-2', password: PASSWORD, departmentId: 'city-sti', roles: ['leader'] })).id;
    // Fair competition review and legality review are two review steps: two counsels (separation of duties).
    ids['counsel-2'] = (await t.engine.directory.addUser({ username: 'counsel-2', password: PASSWORD, departmentId: 'city-sti', roles: ['legal-counsel'] })).id;
  });

  let seq = 0;
  async function create(fields: Record<string, unknown> | undefined = { involvesMarketActivity: true }, year = 2026) {
    const res = await t
      .http()
      .post('/api/documents')
      .set(await as('drafter'))
      .send({ chain: 'normative-document', title: `关于促进科技成果转化的若干措施（${++seq}）`, year, departmentId: 'city-sti', content: '第一条 ……', ...(fields ? { fields } : {}) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ state: 'drafting', chain: { key: 'normative-document' }, number: null, openTasks: [] });
    return res.body.id as string;
  }
  const { submit, doc, taskOf, postDecision, decide, history } = reviewers(t, as);
  const path = async (id: string) => (await history(id)).map((h) => `${h.action}:${h.to}`);
  const audit = async (id: string) => {
    const res = await t.http().get(`/api/audit?documentId=${id}&limit=200`).set(await as('admin'));
    expect(res.status).toBe(200);
    return res.body.items as { action: string; from: string | null; to: string; details: Record<string, unknown> }[];
  };

  /** A new document taken to sign-for-issue by the shortest way (no market activity). */
  async function atSigning(year = 2026): Promise<string> {
    const id = await create({ involvesMarketActivity: false }, year);
    expect((await submit(id)).state).toBe('legality-review');
    expect((await decide('counsel', id, 'lawful')).state).toBe('collective-deliberation');
    expect((await decide('secretary', id, 'approve')).state).toBe('sign-for-issue');
    return id;
  }

  const numberOf = (n: string, year: number) => {
    const m = new RegExp(`^${ISSUER}〔${year}〕([1-9]\\d*)号$`).exec(n);
    expect(m).not.toBeNull();
    return Number(m![1]);
  };
  /** The sequence numbers of every issued document of the department for a year, sorted. */
  async function issuedNumbers(year: number): Promise<number[]> {
    const res = await t.http().get('/api/documents?chain=normative-document&state=issued&limit=200').set(await as('drafter'));
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    return (res.body.items as { number: string | null }[])
      .map((d) => d.number)
      .filter((n): n is string => n !== null && n.includes(`〔${year}〕`))
      .map((n) => numberOf(n, year))
      .sort((a, b) => a - b);
  }
  const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  it('walks the whole path with market activity: fair competition, legality, deliberation, signing, issued as 市科技局发〔2026〕1号', async () => {
    const id = await create({ involvesMarketActivity: true });
    expect((await doc(id)).fields).toEqual({ involvesMarketActivity: true });

    const submitted = await submit(id);
    expect(submitted.state).toBe('fair-competition-review');
    expect(submitted.openTasks).toHaveLength(1);
    expect(submitted.openTasks[0]).toMatchObject({ stepKey: 'fair-competition-review', round: 1, assigneeRole: 'legal-counsel', departmentId: 'city-sti', status: 'open' });
    expect(submitted.dueAt).not.toBeNull();
    // The legality-review outcome is not a decision of the fair competition step.
    const fcrTask = (await taskOf('counsel', id))!;
    expect((await postDecision('counsel', fcrTask, { decision: 'lawful' })).status).toBe(409);

    const legality = await decide('counsel', id, 'approve');
    expect(legality.state).toBe('legality-review');
    expect(legality.openTasks).toHaveLength(1);
    expect(legality.openTasks[0]).toMatchObject({ stepKey: 'legality-review', round: 1, assigneeRole: 'legal-counsel' });
    // Only lawful leads on; approve is not one of the legality outcomes.
    const legalityTask = (await taskOf('counsel-2', id))!;
    expect((await postDecision('counsel-2', legalityTask, { decision: 'approve' })).status).toBe(409);
    expect((await doc(id, 'counsel-2')).allowedActions.map((a: { action: string }) => a.action).sort()).toEqual(['add-signer', 'delegate', 'lawful', 'revise', 'unlawful']);
    // Counsel decided fair competition review: legality review is someone else's (separation of duties).
    expect((await doc(id, 'counsel')).allowedActions).toEqual([]);
    const second = await postDecision('counsel', legalityTask, { decision: 'lawful' });
    expect(second.status).toBe(403);
    expect(second.body).toMatchObject({ code: 'SEPARATION_OF_DUTIES', details: { rule: 'second-step-in-round' } });

    const deliberation = await decide('counsel-2', id, 'lawful');
    expect(deliberation.state).toBe('collective-deliberation');
    expect(deliberation.openTasks).toHaveLength(1);
    expect(deliberation.openTasks[0]).toMatchObject({ stepKey: 'collective-deliberation', assigneeRole: 'party-secretary' });

    const signing = await decide('secretary', id, 'approve');
    expect(signing.state).toBe('sign-for-issue');
    expect(signing.number).toBeNull();
    expect(signing.openTasks).toHaveLength(1);
    expect(signing.openTasks[0]).toMatchObject({ stepKey: 'sign-for-issue', assigneeRole: 'leader' });

    const issued = await decide('leader', id, 'approve');
    expect(issued).toMatchObject({ state: 'issued', final: true, number: `${ISSUER}〔2026〕1号`, openTasks: [], allowedActions: [] });
    expect((await doc(id)).number).toBe('市科技局发〔2026〕1号');

    expect(await path(id)).toEqual([
      'create:drafting',
      'submit:fair-competition-review',
      'approve:legality-review',
      'lawful:collective-deliberation',
      'approve:sign-for-issue',
      'approve:issued',
    ]);
    const entries = await audit(id);
    const issuing = entries.filter((e) => e.details.number !== undefined);
    expect(issuing).toHaveLength(1);
    expect(issuing[0]).toMatchObject({ action: 'approve', from: 'sign-for-issue', to: 'issued', details: { number: '市科技局发〔2026〕1号' } });
  });

  it('without market activity the fair competition review is passed over; the field is required when creating', async () => {
    const id = await create({ involvesMarketActivity: false });
    const submitted = await submit(id);
    expect(submitted.state).toBe('legality-review');
    expect(submitted.openTasks).toHaveLength(1);
    expect(submitted.openTasks[0]).toMatchObject({ stepKey: 'legality-review', assigneeRole: 'legal-counsel', round: 1 });
    const steps = (await history(id)).flatMap((h) => [h.from, h.to]);
    expect(steps).not.toContain('fair-competition-review');

    const drafter = await as('drafter');
    const base = { chain: 'normative-document', title: '缺少字段', year: 2026, departmentId: 'city-sti' };
    for (const body of [base, { ...base, fields: {} }]) {
      const missing = await t.http().post('/api/documents').set(drafter).send(body);
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('VALIDATION_FAILED');
      expect(missing.body.details).toEqual([{ field: 'fields.involvesMarketActivity', reason: 'is required' }]);
    }
    const wrongType = await t.http().post('/api/documents').set(drafter).send({ ...base, fields: { involvesMarketActivity: 'no' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.details).toEqual([{ field: 'fields.involvesMarketActivity', reason: 'must be a boolean' }]);
  });

  it('routes each resubmission on the fields it carries: changed in drafting from true to false, the review is passed over', async () => {
    const id = await create({ involvesMarketActivity: true });
    const edited = await t.http().patch(`/api/documents/${id}`).set(await as('drafter')).send({ fields: { involvesMarketActivity: false }, expectedVersion: 1 });
    expect(edited.status).toBe(200);
    expect(edited.body.fields).toEqual({ involvesMarketActivity: false });
    expect((await submit(id)).state).toBe('legality-review');
    // Back in drafting after "revise", market activity is declared: the next round starts with fair competition review.
    await decide('counsel', id, 'revise', { comment: '请补充公平竞争审查材料' });
    const v = (await doc(id)).version;
    expect((await t.http().patch(`/api/documents/${id}`).set(await as('drafter')).send({ fields: { involvesMarketActivity: true }, expectedVersion: v })).status).toBe(200);
    const again = await submit(id);
    expect(again.state).toBe('fair-competition-review');
    expect(again.openTasks[0]).toMatchObject({ stepKey: 'fair-competition-review', round: 1 });
    // Fields are not editable outside drafting.
    const late = await t.http().patch(`/api/documents/${id}`).set(await as('drafter')).send({ fields: { involvesMarketActivity: false }, expectedVersion: again.version });
    expect(late.status).toBe(409);
    expect((await doc(id)).fields).toEqual({ involvesMarketActivity: true });
  });

  describe('legality outcomes and collective deliberation', () => {
    it('revise and unlawful need a comment (400 naming it); with one each goes back to drafting, and resubmission reaches legality review in the next round', async () => {
      const id = await create({ involvesMarketActivity: false });
      await submit(id);
      const before = await doc(id);
      const task = (await taskOf('counsel', id))!;
      for (const decision of ['revise', 'unlawful']) {
        for (const comment of [undefined, '', '   ']) {
          const res = await postDecision('counsel', task, comment === undefined ? { decision } : { decision, comment });
          expect(res.status).toBe(400);
          expect(res.body.code).toBe('VALIDATION_FAILED');
          expect(res.body.details.map((d: { field: string }) => d.field)).toContain('comment');
        }
      }
      // Nothing moved: same state, same version, the same task still open.
      expect(await doc(id)).toMatchObject({ state: 'legality-review', version: before.version });
      expect(await taskOf('counsel', id)).toBe(task);

      const revised = await decide('counsel', id, 'revise', { comment: '第三条与上位法表述不一致，应当予以修改' });
      expect(revised).toMatchObject({ state: 'drafting', openTasks: [] });
      expect((await t.http().get(`/api/tasks/${task}`).set(await as('counsel'))).body).toMatchObject({ status: 'done', decision: 'revise' });
      const round2 = await submit(id);
      expect(round2.state).toBe('legality-review');
      expect(round2.openTasks).toHaveLength(1);
      expect(round2.openTasks[0]).toMatchObject({ stepKey: 'legality-review', round: 2 });

      const unlawful = await decide('counsel', id, 'unlawful', { comment: '第五条设定行政许可，超越权限' });
      expect(unlawful).toMatchObject({ state: 'drafting', openTasks: [] });
      const round3 = await submit(id);
      expect(round3.state).toBe('legality-review');
      expect(round3.openTasks[0]).toMatchObject({ stepKey: 'legality-review', round: 3 });

      const h = await history(id);
      expect(h.map((e) => `${e.action}:${e.to}`)).toEqual(['create:drafting', 'submit:legality-review', 'revise:drafting', 'submit:legality-review', 'unlawful:drafting', 'submit:legality-review']);
      expect(h.find((e) => e.action === 'revise')!.comment).toBe('第三条与上位法表述不一致，应当予以修改');
      expect(h.find((e) => e.action === 'unlawful')!.comment).toBe('第五条设定行政许可，超越权限');
      // Neither outcome ever led into collective deliberation.
      expect(h.map((e) => e.to)).not.toContain('collective-deliberation');
      expect(await taskOf('secretary', id)).toBeUndefined();
    });

    it('after revise with market activity, the resubmission starts again at fair competition review (round 2)', async () => {
      const id = await create({ involvesMarketActivity: true });
      await submit(id);
      await decide('counsel', id, 'approve');
      expect((await decide('counsel-2', id, 'revise', { comment: '请修改' })).state).toBe('drafting');
      const again = await submit(id);
      expect(again.state).toBe('fair-competition-review');
      expect(again.openTasks[0]).toMatchObject({ stepKey: 'fair-competition-review', round: 2 });
      expect((await decide('counsel', id, 'approve')).openTasks[0]).toMatchObject({ stepKey: 'legality-review', round: 2 });
    });

    it('the drafter may withdraw from legality review: the counsel\'s task is cancelled, and only lawful ever leads on', async () => {
      const id = await create({ involvesMarketActivity: false });
      const submitted = await submit(id);
      expect((await doc(id)).allowedActions).toEqual([{ action: 'withdraw' }]);
      const task = submitted.openTasks[0].id;
      const withdrawn = await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'withdraw' });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({ state: 'drafting', openTasks: [] });
      expect((await t.http().get(`/api/tasks/${task}`).set(await as('counsel'))).body.status).toBe('cancelled');
      expect((await postDecision('counsel', task, { decision: 'lawful' })).status).toBe(409);
      expect((await submit(id)).openTasks[0]).toMatchObject({ stepKey: 'legality-review', round: 2 });
    });

    it('collective deliberation reject needs a comment, then ends in rejected (final): no open tasks, no action for anyone', async () => {
      const id = await create({ involvesMarketActivity: false });
      await submit(id);
      await decide('counsel', id, 'lawful');
      const task = (await taskOf('secretary', id))!;
      const bare = await postDecision('secretary', task, { decision: 'reject' });
      expect(bare.status).toBe(400);
      expect(bare.body.details.map((d: { field: string }) => d.field)).toContain('comment');

      const rejected = await decide('secretary', id, 'reject', { comment: '与现行政策重复，不予通过' });
      expect(rejected).toMatchObject({ state: 'rejected', final: true, number: null, openTasks: [], allowedActions: [] });
      for (const user of ['drafter', 'counsel', 'secretary', 'leader', 'leader-2', 'admin', 'supervisor']) {
        const seen = await t.http().get(`/api/documents/${id}`).set(await as(user));
        expect(seen.status).toBe(200);
        expect({ user, allowed: seen.body.allowedActions }).toEqual({ user, allowed: [] });
        expect(await taskOf(user, id)).toBeUndefined();
      }
      const resubmit = await t.http().post(`/api/documents/${id}/actions`).set(await as('drafter')).send({ action: 'submit' });
      expect(resubmit.status).toBe(409);
      const edit = await t.http().patch(`/api/documents/${id}`).set(await as('drafter')).send({ content: 'x', expectedVersion: rejected.version });
      expect(edit.status).toBe(409);
      expect((await doc(id)).state).toBe('rejected');
      expect((await path(id)).at(-1)).toBe('reject:rejected');
    });
  });

  describe('document numbers', () => {
    it('8 concurrent issuing approvals take exactly the next 8 numbers: no gap, no duplicate', async () => {
      const before = await issuedNumbers(2026);
      expect(before).toEqual(oneTo(before.length));
      expect(before.length).toBeGreaterThanOrEqual(1);

      const docs: string[] = [];
      for (let i = 0; i < 8; i++) docs.push(await atSigning());
      const tasks = await Promise.all(docs.map(async (id) => (await doc(id, 'leader')).openTasks[0].id as string));
      const headers = await as('leader');
      const responses = await Promise.all(tasks.map((task) => t.http().post(`/api/tasks/${task}/decision`).set(headers).send({ decision: 'approve' })));
      expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(responses.map((r) => r.body.state)).toEqual(Array(8).fill('issued'));

      const numbers = await Promise.all(docs.map(async (id) => (await doc(id)).number as string));
      const ns = numbers.map((n) => numberOf(n, 2026)).sort((a, b) => a - b);
      expect(ns).toEqual(oneTo(8).map((i) => before.length + i));
      expect(await issuedNumbers(2026)).toEqual(oneTo(before.length + 8));
      // Each document's issuing entry carries the number it got.
      for (const [i, id] of docs.entries()) {
        const issuing = (await audit(id)).filter((e) => e.details.number !== undefined);
        expect(issuing).toHaveLength(1);
        expect(issuing[0]).toMatchObject({ action: 'approve', to: 'issued', details: { number: numbers[i] } });
      }
    });

    it('a decision that fails consumes no number: a stale expectedVersion is 409 and the next issue takes the next number', async () => {
      const before = await issuedNumbers(2026);
      const id = await atSigning();
      const { version, openTasks } = await doc(id, 'leader');
      const stale = await postDecision('leader', openTasks[0].id, { decision: 'approve', expectedVersion: version - 1 });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: version } });
      expect(await doc(id)).toMatchObject({ state: 'sign-for-issue', version, number: null });

      // A refused return (no comment) draws nothing either.
      expect((await postDecision('leader', openTasks[0].id, { decision: 'return' })).status).toBe(400);

      const issued = await postDecision('leader', openTasks[0].id, { decision: 'approve', expectedVersion: version });
      expect(issued.status).toBe(200);
      expect(issued.body).toMatchObject({ state: 'issued', number: `${ISSUER}〔2026〕${before.length + 1}号` });
      expect(await issuedNumbers(2026)).toEqual(oneTo(before.length + 1));
    });

    it('two leaders deciding the same signing task at once: one wins; a losing approval gives its number back', async () => {
      const start = (await issuedNumbers(2026)).length;
      // Approve against approve: exactly one 200, one number.
      const a = await atSigning();
      const taskA = (await doc(a, 'leader')).openTasks[0].id;
      const both = await Promise.all([postDecision('leader', taskA, { decision: 'approve' }), postDecision('leader-2', taskA, { decision: 'approve' })]);
      expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(['TASK_NOT_OPEN', 'VERSION_CONFLICT']).toContain(both.find((r) => r.status === 409)!.body.code);
      expect(await doc(a)).toMatchObject({ state: 'issued', number: `${ISSUER}〔2026〕${start + 1}号` });
      expect((await audit(a)).filter((e) => e.to === 'issued')).toHaveLength(1);

      // Approve against return: whichever wins, the numbers stay 1..N.
      const b = await atSigning();
      const taskB = (await doc(b, 'leader')).openTasks[0].id;
      const race = await Promise.all([
        postDecision('leader', taskB, { decision: 'approve' }),
        postDecision('leader-2', taskB, { decision: 'return', comment: '请再斟酌', returnTo: 'collective-deliberation' }),
      ]);
      expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
      const after = await doc(b);
      if (after.state === 'collective-deliberation') {
        expect(after.number).toBeNull();
        expect(await issuedNumbers(2026)).toEqual(oneTo(start + 1));
        await decide('secretary', b, 'approve');
        expect((await decide('leader', b, 'approve')).number).toBe(`${ISSUER}〔2026〕${start + 2}号`);
      } else {
        expect(after).toMatchObject({ state: 'issued', number: `${ISSUER}〔2026〕${start + 2}号` });
      }
      expect(await issuedNumbers(2026)).toEqual(oneTo(start + 2));
    });

    it('a number belongs to the year of issue in Asia/Shanghai: the sequence starts again at 1 in 2027 and 2028', async () => {
      const in2026 = await issuedNumbers(2026);
      // A 2026 document taken to signing in 2026, issued on 5 January 2027.
      const late = await atSigning(2026);
      t.clock.set(new Date('2027-01-05T02:00:00Z'));
      const issued = await decide('leader', late, 'approve');
      expect(issued).toMatchObject({ state: 'issued', year: 2026, number: `${ISSUER}〔2027〕1号` });
      const next = await atSigning(2027);
      expect((await decide('leader', next, 'approve')).number).toBe(`${ISSUER}〔2027〕2号`);
      expect(await issuedNumbers(2027)).toEqual([1, 2]);
      expect(await issuedNumbers(2026)).toEqual(in2026);

      // 16:30 UTC on 31 December is already 1 January in Beijing; 15:30 UTC a year later is still 31 December.
      t.clock.set(new Date('2027-12-31T16:30:00Z'));
      const newYear = await atSigning(2027);
      expect((await decide('leader', newYear, 'approve')).number).toBe(`${ISSUER}〔2028〕1号`);
      t.clock.set(new Date('2028-12-31T15:30:00Z'));
      const newYearsEve = await atSigning(2028);
      expect((await decide('leader', newYearsEve, 'approve')).number).toBe(`${ISSUER}〔2028〕2号`);
      expect(await issuedNumbers(2027)).toEqual([1, 2]);
    });
  });

  it('the audit chain verifies after all of it', async () => {
    const res = await t.http().get('/api/audit/verify').set(await as('supervisor'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true });
    expect(res.body.entries).toBeGreaterThan(50);
  });
});
