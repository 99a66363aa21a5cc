import { sqlStatements } from '@shenpi/persistence';
import { reviewers } from '../support/reviewers.js';
import { bearer, useApp } from '../support/test-app.js';

/**
 * The statements one decision runs over HTTP, from the token to the answer: a ratchet (lower it
 * when a change removes statements; issue 15 aims at 8; PostgreSQL's count includes the sequencer's
 * batch for the decision's audit entry). The answer is built from what the
 * transaction read, not read again after commit.
 */
const STATEMENTS_PER_HTTP_DECISION = { sqlite: 9, postgres: 18 };

describe('the statements of one decision over HTTP', () => {
  const t = useApp();

  it('runs no more statements than before, and answers with the document as the decision left it', async () => {
    const as = async (u: string) => bearer(await t.token(u));
    const create = async () =>
      t
        .http()
        .post('/api/documents')
        .set(await as('drafter'))
        .send({ chain: 'normative-document', title: '关于促进科技成果转化的若干措施', year: 2026, departmentId: 'city-sti', content: '第一条 ……', fields: { involvesMarketActivity: false } });
    const { submit, taskOf, doc } = reviewers(t, as);
    const counsel = await as('counsel');
    // A decision like it before: the next step's holders are kept from it (the directory has not changed since).
    const first = await create();
    await submit(first.body.id);
    expect((await t.http().post(`/api/tasks/${await taskOf('counsel', first.body.id)}/decision`).set(counsel).send({ decision: 'lawful' })).status).toBe(200);
    const created = await create();
    expect(created.status).toBe(201);
    await submit(created.body.id);
    const task = await taskOf('counsel', created.body.id);

    // PostgreSQL's sequencer polls every 250 ms: stopped, so only the request and its own settle are counted.
    await t.engine.auditSequencer.stop();
    sqlStatements.trace = [];
    const decided = await t.http().post(`/api/tasks/${task}/decision`).set(counsel).send({ decision: 'lawful' });
    const ran = sqlStatements.trace.map((s) => s.replace(/\s+/g, ' ').slice(0, 120));
    sqlStatements.trace = null;
    expect(decided.status).toBe(200);
    expect(ran.length).toBeGreaterThan(5);
    // On failure the list says which statements the decision ran.
    expect({ count: ran.length, ran }).toEqual({ count: Math.min(ran.length, STATEMENTS_PER_HTTP_DECISION[t.engine.database.kind]), ran });

    // The same document read afresh: the answer built in the transaction says what a read says.
    const { content: _content, ...reread } = await doc(created.body.id, 'counsel');
    expect(decided.body).toEqual(reread);
    expect(decided.body).toMatchObject({ state: 'collective-deliberation', openTasks: [expect.objectContaining({ stepKey: 'collective-deliberation' })] });
  });
});
