import { getShortestPaths, getSimplePaths } from '@xstate/graph';
import { compileChain, lintChainDefinition } from '@shenpi/chains';
import { annualReportChain } from './annual-report.chain.js';

const lint = lintChainDefinition(annualReportChain);
const chain = compileChain(lint.definition!);

// Decisions name the signer whose task decides; each reviewed step here has one signer, s0.
const events = [
  { type: 'submit' },
  { type: 'approve', signer: 's0' },
  { type: 'return', signer: 's0' },
  { type: 'return', returnTo: 'legal-review', signer: 's0' },
  { type: 'return', returnTo: 'party-group-review', signer: 's0' },
  { type: 'withdraw' },
  { type: 'record-disclosure' },
];

// A position is its step key; `rounds` grows on every return, so keying on context would never end.
const graph = { events, serializeState: (s: { value: unknown }) => String(s.value) };

describe('annual-report chain', () => {
  it('passes lint with no warnings: every reviewed step has a deadline', () => {
    expect(lint.errors).toEqual([]);
    expect(lint.warnings).toEqual([]);
  });

  it('plans along the main path: from draft, the four steps to disclosure', () => {
    expect(chain.mainPath('draft').map((s) => s.key)).toEqual(['legal-review', 'party-group-review', 'office-review', 'awaiting-disclosure', 'disclosed']);
    expect(chain.mainPath('office-review').map((s) => s.key)).toEqual(['awaiting-disclosure', 'disclosed']);
    expect(chain.mainPath('disclosed')).toEqual([]);
  });

  it('reaches every state, and every simple path to the final state runs the five steps in order', () => {
    const shortest = getShortestPaths(chain.machine, graph);
    const reached = new Set(shortest.map((p) => p.state.value));
    expect([...reached].sort()).toEqual(['awaiting-disclosure', 'disclosed', 'draft', 'legal-review', 'office-review', 'party-group-review']);

    const toFinal = getSimplePaths(chain.machine, { ...graph, toState: (s) => s.value === 'disclosed' });
    expect(toFinal.length).toBeGreaterThan(0);
    for (const path of toFinal) {
      const visited = path.steps.map((s) => s.state.value);
      const order = ['legal-review', 'party-group-review', 'office-review', 'awaiting-disclosure', 'disclosed'];
      expect(visited.filter((v) => order.includes(v as string))).toEqual(order);
      expect(path.steps.at(-1)!.event.type).toBe('record-disclosure');
    }
  });

  it('walks every path by pure transitions, each position round-tripping through JSON', () => {
    const paths = getSimplePaths(chain.machine, graph);
    expect(new Set(paths.map((p) => p.state.value)).size).toBe(6);
    for (const path of paths) {
      let position = chain.initial();
      for (const step of path.steps.slice(1)) {
        const stored = JSON.parse(JSON.stringify(position));
        const next = chain.next(stored, step.event as { type: string; returnTo?: string });
        expect(next).not.toBeNull();
        expect(next!.stateKey).toBe(step.state.value);
        expect(next!.context).toEqual(step.state.context);
        position = next!;
      }
    }
  });

  it('counts rounds: a returned report re-enters legal review in round 2', () => {
    let p = chain.initial();
    for (const e of [{ type: 'submit' }, { type: 'return', signer: 's0' }, { type: 'submit' }]) p = chain.next(p, e)!;
    expect(p.stateKey).toBe('legal-review');
    expect(p.context.rounds).toEqual({ draft: 2, 'legal-review': 2 });
  });

  it('refuses events the state does not take, and return targets the step does not allow', () => {
    const draft = chain.initial();
    expect(chain.next(draft, { type: 'approve', signer: 's0' })).toBeNull();
    expect(chain.next(draft, { type: 'record-disclosure' })).toBeNull();
    const legal = chain.next(draft, { type: 'submit' })!;
    expect(chain.next(legal, { type: 'return', returnTo: 'legal-review', signer: 's0' })).toBeNull();
    expect(chain.next(legal, { type: 'approve', signer: 'nobody' })).toBeNull();
    const party = chain.next(legal, { type: 'approve', signer: 's0' })!;
    expect(chain.next(party, { type: 'withdraw' })).toBeNull();
    expect(chain.next(party, { type: 'return', returnTo: 'legal-review', signer: 's0' })!.stateKey).toBe('legal-review');
    expect(chain.next(party, { type: 'return', returnTo: 'office-review', signer: 's0' })).toBeNull();
  });

  it('lets the drafter edit only in draft, and reviewers delegate only in reviewed steps', () => {
    const draft = chain.initial();
    expect(chain.can(draft, { type: 'edit' })).toBe(true);
    expect(chain.can(draft, { type: 'delegate' })).toBe(false);
    const legal = chain.next(draft, { type: 'submit' })!;
    expect(chain.can(legal, { type: 'edit' })).toBe(false);
    expect(chain.next(legal, { type: 'delegate', signer: 's0' })).toEqual(legal);
  });
});
