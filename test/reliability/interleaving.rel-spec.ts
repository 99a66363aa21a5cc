import { DomainError } from '@shenpi/domain';
import type { TransitionCommand } from '@shenpi/engine';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { recordFigure, useRelApp, type RelApp } from './rel-support.js';
import { size } from './size.js';

/**
 * Transaction A reads, transaction B commits, A writes: A gets 409 and writes nothing.
 *
 * - Over HTTP the read is the client's: two clients read version v and act with `expectedVersion: v`
 *   one after the other. The second is 409 VERSION_CONFLICT with `details.currentVersion`, and the
 *   document, its tasks and the audit log show only the first.
 * - In the engine: two `transition.execute` calls on one task started at once, many times; exactly
 *   one wins. On PostgreSQL, where transactions run concurrently, A is also held between its read
 *   and its write until B has committed (a hook on the repository's conditional UPDATE).
 */

type Snapshot = { doc: unknown; tasks: unknown; head: number };

async function snapshot(t: RelApp, id: string): Promise<Snapshot> {
  const reader = t.engine.database.reader;
  return {
    doc: await reader.one('SELECT state, version, title, content, attributes, context FROM documents WHERE id = ?', [id]),
    tasks: await reader.all('SELECT id, step_key, status, decision, decided_by, assignee_user_id, delegated_from FROM tasks WHERE document_id = ? ORDER BY id', [id]),
    head: await t.auditHead(),
  };
}

describe('forced interleaving over HTTP: stale expectedVersion', () => {
  const t = useRelApp([
    { username: 'drafter-b', departmentId: 'city-sti', roles: ['drafter'] },
  ]);
  let year = 2000;
  const results: string[] = [];

  const post = async (user: string, path: string, body: object) => t.http().post(path).set(await t.as(user)).send(body);
  const patch = async (user: string, path: string, body: object) => t.http().patch(path).set(await t.as(user)).send(body);
  const read = async (user: string, id: string) => {
    const res = await t.http().get(`/api/documents/${id}`).set(await t.as(user));
    expect(res.status).toBe(200);
    return res.body;
  };
  async function report(submit: boolean) {
    const created = await post('drafter', '/api/documents', { chain: 'annual-report', title: `交错${year}`, year: year++, departmentId: 'city-sti', content: REPORT_OUTLINE });
    expect(created.status).toBe(201);
    if (submit) expect((await post('drafter', `/api/documents/${created.body.id}/actions`, { action: 'submit' })).status).toBe(200);
    return created.body.id as string;
  }
  async function expertReview() {
    const created = await post('drafter', '/api/documents', { chain: 'major-decision', title: '交错决策', year: 2026, departmentId: 'city-sti', content: '草案' });
    const id = created.body.id as string;
    const submitted = await post('drafter', `/api/documents/${id}/actions`, { action: 'submit' });
    const participation = submitted.body.openTasks[0].id;
    expect((await post('drafter', `/api/tasks/${participation}/decision`, { decision: 'approve' })).body.state).toBe('expert-review');
    return id;
  }
  const taskOf = (doc: { openTasks: { id: string; assigneeRole: string }[] }, role: string) => doc.openTasks.find((x) => x.assigneeRole === role)!.id;

  interface Case {
    name: string;
    arrange: () => Promise<string>;
    /** Both clients' requests, built from what each read (the same version v). */
    first: (id: string, seen: any) => Promise<{ status: number; body: any }>;
    second: (id: string, seen: any) => Promise<{ status: number; body: any }>;
    readers: [string, string];
    /** When the first action closed the task the second names, TASK_NOT_OPEN is the contract's other 409. */
    taskClosed?: boolean;
  }

  const cases: Case[] = [
    {
      name: 'two drafters edit the same version',
      arrange: () => report(false),
      readers: ['drafter', 'drafter-b'],
      first: (id, v) => patch('drafter', `/api/documents/${id}`, { title: '甲的标题', expectedVersion: v.version }),
      second: (id, v) => patch('drafter-b', `/api/documents/${id}`, { content: `${REPORT_OUTLINE}\n乙的修改`, expectedVersion: v.version }),
    },
    {
      name: 'an edit, then a submit of the version read before it',
      arrange: () => report(false),
      readers: ['drafter', 'drafter-b'],
      first: (id, v) => patch('drafter', `/api/documents/${id}`, { title: '改了', expectedVersion: v.version }),
      second: (id, v) => post('drafter-b', `/api/documents/${id}/actions`, { action: 'submit', expectedVersion: v.version }),
    },
    {
      name: 'a submit, then an edit of the version read before it',
      arrange: () => report(false),
      readers: ['drafter', 'drafter-b'],
      first: (id, v) => post('drafter', `/api/documents/${id}/actions`, { action: 'submit', expectedVersion: v.version }),
      second: (id, v) => patch('drafter-b', `/api/documents/${id}`, { title: '晚了', expectedVersion: v.version }),
    },
    {
      name: 'an edit, then an attachment uploaded against the version read before it',
      arrange: () => report(false),
      readers: ['drafter', 'drafter-b'],
      first: (id, v) => patch('drafter', `/api/documents/${id}`, { title: '先改', expectedVersion: v.version }),
      second: async (id, v) =>
        t.http().post(`/api/documents/${id}/attachments?name=a.pdf&expectedVersion=${v.version}`).set(await t.as('drafter-b')).set('content-type', 'application/pdf').send(Buffer.from('%PDF-1.7 x')),
    },
    {
      name: 'counsel approves, then the drafter withdraws what they read in legal review',
      arrange: () => report(true),
      readers: ['counsel', 'drafter'],
      first: (id, v) => post('counsel', `/api/tasks/${v.openTasks[0].id}/decision`, { decision: 'approve', expectedVersion: v.version }),
      second: (id, v) => post('drafter', `/api/documents/${id}/actions`, { action: 'withdraw', expectedVersion: v.version }),
    },
    {
      name: 'counsel delegates to counsel-b, then counsel-b decides on the version read before',
      arrange: () => report(true),
      readers: ['counsel', 'counsel-b'],
      first: async (id, v) => post('counsel', `/api/tasks/${v.openTasks[0].id}/delegate`, { toUserId: await t.id('counsel-b'), comment: '请代为审核', expectedVersion: v.version }),
      second: (id, v) => post('counsel-b', `/api/tasks/${v.openTasks[0].id}/decision`, { decision: 'approve', expectedVersion: v.version }),
    },
    {
      name: 'counsel adds a signer after them, then approves with the version read before',
      arrange: () => report(true),
      readers: ['counsel', 'counsel'],
      first: async (id, v) => post('counsel', `/api/tasks/${v.openTasks[0].id}/add-signer`, { userId: await t.id('leader'), position: 'after', expectedVersion: v.version }),
      second: (id, v) => post('counsel', `/api/tasks/${v.openTasks[0].id}/decision`, { decision: 'approve', expectedVersion: v.version }),
    },
    {
      name: 'countersign: counsel approves, then the leader approves their own task on the version read before',
      arrange: expertReview,
      readers: ['counsel', 'leader'],
      first: (id, v) => post('counsel', `/api/tasks/${taskOf(v, 'legal-counsel')}/decision`, { decision: 'approve', expectedVersion: v.version }),
      second: (id, v) => post('leader', `/api/tasks/${taskOf(v, 'leader')}/decision`, { decision: 'approve', expectedVersion: v.version }),
    },
    {
      name: 'countersign: the leader returns, then counsel approves on the version read before',
      arrange: expertReview,
      readers: ['leader', 'counsel'],
      first: (id, v) => post('leader', `/api/tasks/${taskOf(v, 'leader')}/decision`, { decision: 'return', comment: '论证不足', expectedVersion: v.version }),
      second: (id, v) => post('counsel', `/api/tasks/${taskOf(v, 'legal-counsel')}/decision`, { decision: 'approve', expectedVersion: v.version }),
      taskClosed: true,
    },
    {
      name: 'two counsels decide the same role task on the version they read',
      arrange: () => report(true),
      readers: ['counsel', 'counsel-b'],
      first: (id, v) => post('counsel', `/api/tasks/${v.openTasks[0].id}/decision`, { decision: 'approve', expectedVersion: v.version }),
      second: (id, v) => post('counsel-b', `/api/tasks/${v.openTasks[0].id}/decision`, { decision: 'return', comment: '退回', expectedVersion: v.version }),
      taskClosed: true,
    },
    {
      name: 'the drafter withdraws, then counsel approves the task they read',
      arrange: () => report(true),
      readers: ['drafter', 'counsel'],
      first: (id, v) => post('drafter', `/api/documents/${id}/actions`, { action: 'withdraw', expectedVersion: v.version }),
      second: (id, v) => post('counsel', `/api/tasks/${v.openTasks[0].id}/decision`, { decision: 'approve', expectedVersion: v.version }),
      taskClosed: true,
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const id = await c.arrange();
      const [seenA, seenB] = [await read(c.readers[0], id), await read(c.readers[1], id)];
      expect(seenA.version).toBe(seenB.version);
      const v = seenA.version as number;

      const first = await c.first(id, seenA);
      if (first.status >= 300) throw new Error(`the first action failed: ${first.status} ${JSON.stringify(first.body)}`);
      const after = await snapshot(t, id);
      expect((after.doc as { version: number }).version).toBe(v + 1);

      const second = await c.second(id, seenB);
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ statusCode: 409 });
      if (c.taskClosed) expect(['VERSION_CONFLICT', 'TASK_NOT_OPEN']).toContain(second.body.code);
      else expect(second.body.code).toBe('VERSION_CONFLICT');
      if (second.body.code === 'VERSION_CONFLICT') expect(second.body.details).toMatchObject({ currentVersion: v + 1 });
      results.push(second.body.code);

      // Only the first action shows: the document, its tasks and the audit log are as it left them.
      expect(await snapshot(t, id)).toEqual(after);
      const history = await t.http().get(`/api/documents/${id}/history`).set(await t.as('supervisor'));
      expect(history.body.items.filter((h: { details: { version: number } }) => h.details.version > v)).toHaveLength(1);
    });
  }

  afterAll(() => {
    const counts = results.reduce<Record<string, number>>((acc, code) => ({ ...acc, [code]: (acc[code] ?? 0) + 1 }), {});
    const figure = `${results.length} cases, second writer refused every time (${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}) [${t.engine.database.kind}]`;
    console.log(`forced interleaving (HTTP expectedVersion): ${figure}`);
    recordFigure('forced interleaving (HTTP expectedVersion)', figure);
  });
});

describe('forced interleaving in the engine: two transactions on one task', () => {
  const t = useRelApp();
  const ROUNDS = size(50, 500);

  async function normativeInLegalityReview(): Promise<{ id: string; taskId: string; version: number }> {
    const drafter = await t.principal('drafter');
    const doc = await t.engine.createDocument.execute({ principal: drafter, chain: 'normative-document', title: '并发', year: 2026, departmentId: 'city-sti', content: '第一条', fields: { involvesMarketActivity: false } });
    const { document } = await t.engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
    const task = await t.engine.database.reader.one<{ id: string }>("SELECT id FROM tasks WHERE document_id = ? AND status = 'open'", [doc.id]);
    return { id: doc.id, taskId: task!.id, version: document.version };
  }

  /** The pairs raced: [A, B] commands on the same open task. */
  const pairs = async (doc: { id: string; taskId: string; version: number }, round: number): Promise<[TransitionCommand, TransitionCommand]> => {
    const counsel = await t.principal('counsel');
    const counselB = await t.principal('counsel-b');
    const lawful = (p: typeof counsel): TransitionCommand => ({ documentId: doc.id, taskId: doc.taskId, principal: p, action: 'lawful' });
    const revise = (p: typeof counsel): TransitionCommand => ({ documentId: doc.id, taskId: doc.taskId, principal: p, action: 'revise', comment: '应当予以修改' });
    const delegate: TransitionCommand = { documentId: doc.id, taskId: doc.taskId, principal: counsel, action: 'delegate', delegateTo: counselB.id, comment: '请代为审查', expectedVersion: doc.version };
    const withExpected = (c: TransitionCommand): TransitionCommand => ({ ...c, expectedVersion: doc.version });
    switch (round % 4) {
      case 0:
        return [lawful(counsel), lawful(counsel)];
      case 1:
        return [lawful(counsel), revise(counselB)];
      case 2:
        return [delegate, withExpected(lawful(counselB))];
      default:
        return [withExpected(revise(counselB)), delegate];
    }
  };

  async function settle(id: string, outcomes: PromiseSettledResult<unknown>[], before: number) {
    const won = outcomes.filter((o) => o.status === 'fulfilled').length;
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const l of lost) {
      expect(l.reason).toBeInstanceOf(DomainError);
      expect(['TASK_NOT_OPEN', 'VERSION_CONFLICT']).toContain((l.reason as DomainError).code);
    }
    const entries = (await t.auditSince(before)).filter((e) => e.document_id === id);
    const doc = await t.engine.database.reader.one<{ version: number }>('SELECT version FROM documents WHERE id = ?', [id]);
    return { won, codes: lost.map((l) => (l.reason as DomainError).code), entries: entries.length, version: Number(doc!.version) };
  }

  it(`${ROUNDS} times: two transitions on one task started at once, exactly one wins`, async () => {
    const codes: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const doc = await normativeInLegalityReview();
      const [a, b] = await pairs(doc, round);
      const before = await t.auditHead();
      const outcome = await settle(doc.id, await Promise.allSettled([t.engine.transition.execute(a), t.engine.transition.execute(b)]), before);
      expect({ round, won: outcome.won, entries: outcome.entries, version: outcome.version }).toEqual({ round, won: 1, entries: 1, version: doc.version + 1 });
      for (const c of outcome.codes) codes[c] = (codes[c] ?? 0) + 1;
    }
    const figure = `${ROUNDS} × 2 simultaneous transitions on one task, ${ROUNDS} winners, losers ${Object.entries(codes).map(([k, n]) => `${k} ${n}`).join(', ')} [${t.engine.database.kind}]`;
    console.log(`engine races: ${figure}`);
    recordFigure('engine races', figure);
  }, 15 * 60_000);

  it(`${size(10, 50)} times: the two signers of a 会签 vote at once: both votes count and the document moves on`, async () => {
    // On PostgreSQL the second waits for the first's lock on the document, then must see the first's vote
    // (read after the wait): with the tasks as they were before it, the row would disagree with the log.
    const drafter = await t.principal('drafter');
    const signers = { 'legal-counsel': await t.principal('counsel'), leader: await t.principal('leader') };
    for (let round = 0; round < size(10, 50); round++) {
      const doc = await t.engine.createDocument.execute({ principal: drafter, chain: 'major-decision', title: `会签并发${round}`, year: 2026, departmentId: 'city-sti', content: '决策草案正文' });
      await t.engine.transition.execute({ documentId: doc.id, action: 'submit', principal: drafter });
      const participation = await t.engine.database.reader.one<{ id: string }>("SELECT id FROM tasks WHERE document_id = ? AND status = 'open'", [doc.id]);
      await t.engine.transition.execute({ documentId: doc.id, taskId: participation!.id, action: 'approve', principal: drafter });
      const open = await t.engine.database.reader.all<{ id: string; assignee_role: keyof typeof signers }>("SELECT id, assignee_role FROM tasks WHERE document_id = ? AND status = 'open' ORDER BY id", [doc.id]);
      expect(open.map((o) => o.assignee_role).sort()).toEqual(['leader', 'legal-counsel']);
      const outcomes = await Promise.allSettled(open.map((o) => t.engine.transition.execute({ documentId: doc.id, taskId: o.id, action: 'approve', principal: signers[o.assignee_role] })));
      expect({ round, outcomes: outcomes.map((o) => (o.status === 'fulfilled' ? 'ok' : String((o.reason as DomainError).code ?? o.reason))) }).toEqual({ round, outcomes: ['ok', 'ok'] });
      const row = await t.engine.database.reader.one<{ state: string }>('SELECT state FROM documents WHERE id = ?', [doc.id]);
      expect({ round, state: row!.state }).toEqual({ round, state: 'risk-assessment' });
    }
    const verify = await t.http().get('/api/audit/verify').set(await t.as('supervisor'));
    expect(verify.body).toMatchObject({ ok: true });
  }, 15 * 60_000);

  // A file added to a task is part of its decision. On PostgreSQL the decision waits for the upload's lock on
  // the document, then must see the file: the row the upload left unchanged is written all the same (touch).
  (process.env.TEST_DATABASE_URL ? it : it.skip)(`${size(5, 20)} times on PostgreSQL: a file added to a task while it is decided is named by the decision`, async () => {
    const proto = await t.engine.writer.run(async (repos) => Object.getPrototypeOf(repos.attachments));
    const original = proto.insert;
    let hold: { reached: () => void; release: Promise<void> } | null = null;
    proto.insert = async function (this: unknown, ...args: unknown[]) {
      const result = await original.apply(this, args);
      const h = hold;
      if (h) {
        hold = null;
        h.reached();
        await h.release;
      }
      return result;
    };
    const counsel = await t.principal('counsel');
    try {
      for (let round = 0; round < size(5, 20); round++) {
        const doc = await normativeInLegalityReview();
        let reached!: () => void;
        let release!: () => void;
        const atInsert = new Promise<void>((r) => (reached = r));
        hold = { reached, release: new Promise<void>((r) => (release = r)) };
        const upload = t.engine.attachments.toTask(counsel, doc.taskId, { name: `意见${round}.txt`, contentType: 'text/plain', data: Buffer.from(`意见 ${round}`) });
        await atInsert; // the upload holds the document's lock, its file inserted, not committed
        const decision = t.engine.transition.execute({ documentId: doc.id, taskId: doc.taskId, principal: counsel, action: 'lawful' });
        await new Promise((r) => setTimeout(r, 200)); // the decision reaches the lock and waits (were it later, it would see the file anyway)
        release();
        const file = await upload;
        await decision;
        const entry = await t.engine.database.reader.one<{ canonical: string }>(
          "SELECT canonical FROM audit_entries WHERE document_id = ? AND action = 'lawful'",
          [doc.id],
        ).then(async (r) => r ?? (await t.engine.database.reader.one<{ canonical: string }>("SELECT row_to_json(i)::text AS canonical FROM audit_intake i WHERE document_id = ? AND action = 'lawful'", [doc.id])));
        expect({ round, names: entry!.canonical.includes(file.sha256) }).toEqual({ round, names: true });
      }
    } finally {
      proto.insert = original;
    }
  }, 15 * 60_000);

  // On SQLite one writer connection runs transactions one after another: A cannot be between its
  // read and its write while B commits, which is the guarantee. PostgreSQL runs them side by side.
  (process.env.TEST_DATABASE_URL ? it : it.skip)(`${size(10, 40)} times on PostgreSQL: A read, B committed, then A wrote: A is 409 and wrote nothing`, async () => {
    const proto = await t.engine.writer.run(async (repos) => Object.getPrototypeOf(repos.documents));
    const original = proto.updateIfVersion;
    let hold: { id: string; reached: () => void; release: Promise<void> } | null = null;
    proto.updateIfVersion = async function (this: unknown, d: { id: string }, expected: number) {
      const h = hold;
      if (h && d.id === h.id) {
        hold = null;
        h.reached();
        await h.release;
      }
      return original.call(this, d, expected);
    };
    const modes: Record<string, number> = {};
    try {
      const rounds = size(10, 40);
      for (let round = 0; round < rounds; round++) {
        const doc = await normativeInLegalityReview();
        const [a, b] = await pairs(doc, round);
        let reached!: () => void;
        let release!: () => void;
        const atWrite = new Promise<void>((r) => (reached = r));
        hold = { id: doc.id, reached, release: new Promise<void>((r) => (release = r)) };
        const before = await t.auditHead();

        const runA = t.engine.transition.execute(a).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        await atWrite; // A has read the document and is about to write it
        // B runs whole and commits; were A holding a lock B needs, B would wait for A instead.
        const runB = t.engine.transition.execute(b).then(
          (value) => ({ ok: true as const, value }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        let timer: NodeJS.Timeout | undefined;
        const bFirst = await Promise.race([runB.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 10_000)))]);
        clearTimeout(timer);
        release();
        const [ra, rb] = await Promise.all([runA, runB]);
        const mode = bFirst ? 'B committed between A read and A write' : 'B still waiting after 10 s (on a lock A holds?)';
        modes[mode] = (modes[mode] ?? 0) + 1;
        expect({ round, won: [ra.ok, rb.ok].filter(Boolean).length }).toEqual({ round, won: 1 });
        // The interleaving forced: B committed while A was between its read and its write, so A lost.
        if (bFirst) expect({ round, a: ra.ok, b: rb.ok }).toEqual({ round, a: false, b: true });
        const [winner, loser, winningCommand] = ra.ok ? [ra, rb, a] : [rb, ra, b];
        expect(winner.ok).toBe(true);
        const error = (loser as { error: unknown }).error;
        expect(error).toBeInstanceOf(DomainError);
        expect(['VERSION_CONFLICT', 'TASK_NOT_OPEN']).toContain((error as DomainError).code);

        // Only the winner's writes: one audit entry, one version step, the task as the winner left it.
        const entries = (await t.auditSince(before)).filter((e) => e.document_id === doc.id);
        expect({ round, entries: entries.map((e) => `${e.action}:${e.actor_id}`) }).toEqual({ round, entries: [`${winningCommand.action}:${winningCommand.principal.id}`] });
        const row = await t.engine.database.reader.one<{ version: number }>('SELECT version FROM documents WHERE id = ?', [doc.id]);
        expect(Number(row!.version)).toBe(doc.version + 1);
        const task = await t.engine.database.reader.one<{ status: string; decision: string | null; decided_by: string | null; assignee_user_id: string | null }>(
          'SELECT status, decision, decided_by, assignee_user_id FROM tasks WHERE id = ?',
          [doc.taskId],
        );
        if (winningCommand.action === 'delegate') expect(task).toMatchObject({ status: 'open', decision: null, assignee_user_id: winningCommand.delegateTo });
        else expect(task).toMatchObject({ status: 'done', decision: winningCommand.action, decided_by: winningCommand.principal.id });
      }
    } finally {
      proto.updateIfVersion = original;
    }
    const figure = `${Object.entries(modes).map(([k, n]) => `${n} × ${k}`).join(', ')}; the other transaction 409 and wrote nothing every time`;
    console.log(`forced interleaving (engine, PostgreSQL): ${figure}`);
    const verify = await t.http().get('/api/audit/verify').set(await t.as('supervisor'));
    expect(verify.body).toMatchObject({ ok: true });
    recordFigure('forced interleaving (engine, PostgreSQL)', `${figure}; audit verify ok [${t.engine.database.kind}]`);
  }, 15 * 60_000);
});
