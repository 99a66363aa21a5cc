import type { ChainEvent } from '@shenpi/chains';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { majorDecisionChain } from '../../workflows/major-decision/major-decision.chain.js';
import { normativeDocumentChain } from '../../workflows/normative-document/normative-document.chain.js';
import { REPORT_OUTLINE } from '../support/report-outline.js';
import { chainPaths, choose, type ChainPath } from './chain-paths.js';
import { recordFigure, USER_OF_ROLE, useRelApp } from './rel-support.js';
import { size } from './size.js';

/**
 * Every path of every shipped chain, replayed through the HTTP API by the users holding each
 * step's role: after each step the API's state (and countersign votes) equals the path's.
 * Simple paths as @xstate/graph finds them, plus each simple path closed by one event that goes
 * back (return, withdraw, revise, unlawful), which no simple path contains.
 */
const SHIPPED = [annualReportChain, normativeDocumentChain, majorDecisionChain];
const SIMPLE = size(15, Number.MAX_SAFE_INTEGER);
const CLOSING = size(10, Number.MAX_SAFE_INTEGER);
const NEEDS_REASON = new Set(['return', 'reject', 'revise', 'unlawful']);

describe('every path of every shipped chain, over HTTP', () => {
  // Separation of duties: expert review, risk assessment and legality review need different leaders and counsels.
  const t = useRelApp([{ username: 'leader-b', departmentId: 'city-sti', roles: ['leader'] }]);
  const HOLDERS: Record<string, string[]> = { 'legal-counsel': ['counsel', 'counsel-b', 'counsel-c'], leader: ['leader', 'leader-b'] };
  const counts: Record<string, { simple: number; closing: number; of: number; steps: number }> = {};
  let requests = 0;
  let year = 2000;
  const usernames = new Map<string, string>();

  beforeAll(async () => {
    for (const u of [...Object.values(USER_OF_ROLE), ...Object.values(HOLDERS).flat()]) usernames.set(await t.id(u), u);
  });

  /** The holder of a role task who may decide it: the first whose allowedActions offer it (the kernel must then accept). */
  async function decider(documentId: string, task: { id: string; assigneeRole: string }): Promise<string | undefined> {
    for (const u of HOLDERS[task.assigneeRole] ?? [USER_OF_ROLE[task.assigneeRole]]) {
      const view = await call(u, 'get', `/api/documents/${documentId}`);
      if (view.body.allowedActions?.some((a: { taskId?: string }) => a.taskId === task.id)) return u;
    }
    return undefined;
  }

  async function call(user: string, method: 'get' | 'post' | 'patch', path: string, body?: object) {
    requests++;
    const req = t.http()[method](path).set(await t.as(user));
    return body ? req.send(body) : req;
  }

  async function replay(key: string, path: ChainPath, chain: ReturnType<typeof chainPaths>['chain']) {
    const hasFields = (chain.definition.fields ?? []).length > 0;
    const created = await call('drafter', 'post', '/api/documents', {
      chain: key,
      title: `路径 ${path.name}`.slice(0, 300),
      year: key === 'annual-report' ? year++ : 2026,
      departmentId: 'city-sti',
      content: REPORT_OUTLINE,
      ...(hasFields ? { fields: path.fields } : {}),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.state).toBe(chain.initial().stateKey);
    let doc = created.body;
    let fields = JSON.stringify(path.fields);

    for (const [i, step] of path.steps.entries()) {
      const e: ChainEvent = step.event;
      const where = `${key} step ${i + 1} (${e.type}${e.signer ? ` by ${e.signer}` : ''}) of: ${path.name}`;
      const declared = chain.transitionFor(doc.state, e.type);
      let res;
      if (declared?.by && !e.signer) {
        // A document action (submit, withdraw, record-disclosure) by whoever holds its role.
        if (e.type === 'submit' && hasFields && JSON.stringify(e.fields ?? {}) !== fields) {
          const patched = await call('drafter', 'patch', `/api/documents/${id}`, { fields: e.fields, expectedVersion: doc.version });
          expect({ where, status: patched.status }).toEqual({ where, status: 200 });
          fields = JSON.stringify(e.fields ?? {});
        }
        const user = USER_OF_ROLE[declared.by.role];
        res = await call(user, 'post', `/api/documents/${id}/actions`, {
          action: e.type,
          ...(declared.payload === 'disclosure' ? { disclosure: { url: `https://kjj.example.gov.cn/fzzf/${id}.html`, publishedOn: '2026-02-01' } } : {}),
          ...(declared.commentRequired || NEEDS_REASON.has(e.type) ? { comment: '理由：路径回放' } : {}),
        });
      } else {
        // A decision on the open task of the event's signer, by the user holding it.
        const task = doc.openTasks.find((x: { signer: string | null }) => (x.signer ?? 's0') === e.signer);
        expect({ where, task: !!task }).toEqual({ where, task: true });
        const user = task.assigneeUserId ? usernames.get(task.assigneeUserId) : await decider(id, task);
        expect({ where, user: !!user }).toEqual({ where, user: true });
        res = await call(user!, 'post', `/api/tasks/${task.id}/decision`, {
          decision: e.type,
          ...(e.returnTo ? { returnTo: e.returnTo } : {}),
          ...(NEEDS_REASON.has(e.type) || chain.transitionFor(doc.state, e.type)?.commentRequired ? { comment: '理由：路径回放' } : {}),
        });
      }
      expect({ where, status: res.status, body: res.status === 200 ? null : res.body }).toEqual({ where, status: 200, body: null });
      const read = await call('drafter', 'get', `/api/documents/${id}`);
      expect(read.status).toBe(200);
      doc = read.body;
      const votes = doc.signing ? doc.signing.slots.map((s: { vote: string | null }) => s.vote) : null;
      expect({ where, state: doc.state, votes }).toEqual({ where, state: step.state, votes: step.votes });
    }
    expect(doc.state).toBe(path.final);
    // The history holds exactly the path: the creation, then one entry per step, in order.
    const history = await call('drafter', 'get', `/api/documents/${id}/history`);
    const edits = history.body.items.filter((h: { action: string }) => h.action === 'edit').length;
    expect(history.body.items.filter((h: { action: string }) => h.action !== 'edit').map((h: { action: string; to: string }) => `${h.action}:${h.to}`)).toEqual([
      `create:${chain.initial().stateKey}`,
      ...path.steps.map((s) => `${s.event.type}:${s.state}`),
    ]);
    counts[key].steps += path.steps.length + edits;
  }

  for (const definition of SHIPPED) {
    const key = (definition as { key: string }).key;
    const all = chainPaths(definition);
    const simple = choose(all.simple, SIMPLE);
    const closing = choose(all.closing, CLOSING);
    describe(key, () => {
      beforeAll(() => {
        counts[key] = { simple: 0, closing: 0, of: all.simple.length + all.closing.length, steps: 0 };
      });
      for (const [kind, list] of [['simple', simple], ['closing', closing]] as const) {
        for (const path of list) {
          it(`${kind}: ${path.name}`, async () => {
            await replay(key, path, all.chain);
            counts[key][kind]++;
          });
        }
      }
    });
  }

  it('the audit chain verifies after every replayed path', async () => {
    const verify = await t.http().get('/api/audit/verify').set(await t.as('supervisor'));
    const per = Object.entries(counts).map(([k, c]) => `${k} ${c.simple} simple + ${c.closing} closing of ${c.of}`);
    const replayed = Object.values(counts).reduce((n, c) => n + c.simple + c.closing, 0);
    const steps = Object.values(counts).reduce((n, c) => n + c.steps, 0);
    const figure = `${replayed} paths replayed (${per.join('; ')}), ${steps} steps, ${requests} requests, audit verify ok=${verify.body.ok} [${t.engine.database.kind}]`;
    console.log(`every path: ${figure}`);
    expect(verify.body.ok).toBe(true);
    recordFigure('every path', figure);
  });
});
