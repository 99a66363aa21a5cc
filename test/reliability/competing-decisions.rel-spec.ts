import { REPORT_OUTLINE } from '../support/report-outline.js';
import { recordFigure, useRelApp } from './rel-support.js';
import { size } from './size.js';

/**
 * N simultaneous decisions on one task: exactly one wins, every other request is 409
 * (TASK_NOT_OPEN or VERSION_CONFLICT), one audit transition entry per winner, and the document
 * ends where the winner's action leads.
 *
 * Two kinds of round alternate:
 * - "open": approve/return by two holders of the task's role (counsel, counsel-b), no expectedVersion.
 *   A decision closes the task, so every later request is TASK_NOT_OPEN (or VERSION_CONFLICT on a race).
 * - "versioned": one delegation (counsel → counsel-b) and approve/return by counsel-b, all with the
 *   expectedVersion they read. A delegation leaves the task open (now counsel-b's), so only the
 *   version tells the other requests they lost. (Only one delegation per round: after a delegation
 *   the delegator no longer holds the task, and a second one from them is rightly 403, not 409.)
 */
describe('competing decisions', () => {
  const t = useRelApp();
  const ROUNDS = size(20, 100);
  const REQUESTS = size(10, 50);

  // A small deterministic generator, so the order of requests (and thus the likely winner) varies by round.
  let seed = 0x5eed;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };

  it(`${ROUNDS} rounds × ${REQUESTS} simultaneous approve/return/delegate requests: one winner per round`, async () => {
    const counselB = await t.id('counsel-b');
    const counsel = await t.id('counsel');
    const headers = { counsel: await t.as('counsel'), 'counsel-b': await t.as('counsel-b'), drafter: await t.as('drafter') };
    const tally = { winners: 0, conflicts: 0, other: 0, byAction: {} as Record<string, number>, byCode: {} as Record<string, number> };
    const others: string[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const year = 2000 + round;
      const created = await t.http().post('/api/documents').set(headers.drafter).send({ chain: 'annual-report', title: `竞争${year}`, year, departmentId: 'city-sti', content: REPORT_OUTLINE });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const submitted = await t.http().post(`/api/documents/${id}/actions`).set(headers.drafter).send({ action: 'submit' });
      expect(submitted.status).toBe(200);
      const taskId = submitted.body.openTasks[0].id as string;
      const version = submitted.body.version as number;
      const versioned = round % 2 === 1;
      const before = await t.auditHead();

      type Req = { kind: 'approve' | 'return' | 'delegate'; user: 'counsel' | 'counsel-b' };
      const reqs: Req[] = Array.from({ length: REQUESTS }, (_, i) =>
        versioned
          ? i === 0
            ? { kind: 'delegate', user: 'counsel' }
            : { kind: i % 2 ? 'approve' : 'return', user: 'counsel-b' }
          : { kind: i % 2 ? 'approve' : 'return', user: i % 4 < 2 ? 'counsel' : 'counsel-b' },
      );
      shuffle(reqs);
      const send = (r: Req) => {
        const extra = versioned ? { expectedVersion: version } : {};
        const http = t.http();
        if (r.kind === 'delegate') return http.post(`/api/tasks/${taskId}/delegate`).set(headers[r.user]).send({ toUserId: counselB, comment: '请代为审核', ...extra });
        return http
          .post(`/api/tasks/${taskId}/decision`)
          .set(headers[r.user])
          .send({ decision: r.kind, ...(r.kind === 'return' ? { comment: '请补充数据' } : {}), ...extra });
      };
      const responses = await Promise.all(reqs.map(send));

      const winners = responses.map((res, i) => ({ res, req: reqs[i] })).filter((x) => x.res.status === 200);
      for (const { res, req } of responses.map((res, i) => ({ res, req: reqs[i] }))) {
        if (res.status === 200) continue;
        if (res.status === 409 && ['TASK_NOT_OPEN', 'VERSION_CONFLICT'].includes(res.body.code)) {
          tally.conflicts++;
          tally.byCode[res.body.code] = (tally.byCode[res.body.code] ?? 0) + 1;
        } else {
          tally.other++;
          others.push(`round ${round} ${req.user} ${req.kind}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
      expect({ round, winners: winners.length }).toEqual({ round, winners: 1 });
      const winner = winners[0].req;
      tally.winners++;
      tally.byAction[winner.kind] = (tally.byAction[winner.kind] ?? 0) + 1;

      // One transition entry, the winner's; nothing else but what the refusals may log (none here).
      const added = await t.auditSince(before);
      expect({ round, added: added.map((e) => `${e.category}:${e.action}:${e.document_id === id}`) }).toEqual({ round, added: [`transition:${winner.kind}:true`] });
      expect(added[0].actor_id).toBe(await t.id(winner.user));

      const doc = await t.engine.database.reader.one<{ state: string; version: number }>('SELECT state, version FROM documents WHERE id = ?', [id]);
      const tasks = await t.engine.database.reader.all<{ step_key: string; status: string; decision: string | null; decided_by: string | null; assignee_user_id: string | null; delegated_from: string | null }>(
        'SELECT step_key, status, decision, decided_by, assignee_user_id, delegated_from FROM tasks WHERE document_id = ? ORDER BY created_at, step_key',
        [id],
      );
      const decider = await t.id(winner.user);
      const expected = {
        approve: {
          doc: { state: 'party-group-review', version: version + 1 },
          tasks: [
            { step_key: 'legal-review', status: 'done', decision: 'approve', decided_by: decider, assignee_user_id: null, delegated_from: null },
            { step_key: 'party-group-review', status: 'open', decision: null, decided_by: null, assignee_user_id: null, delegated_from: null },
          ],
        },
        return: {
          doc: { state: 'draft', version: version + 1 },
          tasks: [{ step_key: 'legal-review', status: 'done', decision: 'return', decided_by: decider, assignee_user_id: null, delegated_from: null }],
        },
        delegate: {
          doc: { state: 'legal-review', version: version + 1 },
          tasks: [{ step_key: 'legal-review', status: 'open', decision: null, decided_by: null, assignee_user_id: counselB, delegated_from: counsel }],
        },
      }[winner.kind];
      expect({ round, winner: winner.kind, doc: { state: doc!.state, version: Number(doc!.version) }, tasks }).toEqual({ round, winner: winner.kind, ...expected });
    }

    const total = ROUNDS * REQUESTS;
    const codes = Object.entries(tally.byCode).map(([k, v]) => `${k} ${v}`).join(', ');
    const actions = Object.entries(tally.byAction).map(([k, v]) => `${k} ${v}`).join(', ');
    const figure = `${ROUNDS} rounds × ${REQUESTS} requests, ${tally.winners} winners (${actions}), ${tally.conflicts} × 409 (${codes}), ${tally.other} other [${t.engine.database.kind}]`;
    console.log(`competing decisions: ${figure}`);
    expect(others).toEqual([]);
    expect(tally.winners + tally.conflicts).toBe(total);
    const verify = await t.http().get('/api/audit/verify').set(await t.as('supervisor'));
    expect(verify.body).toMatchObject({ ok: true });
    recordFigure('competing decisions', `${figure}; audit verify ok`);
  }, 15 * 60_000);
});
