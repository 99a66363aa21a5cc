import { getAdjacencyMap, getShortestPaths, getSimplePaths } from '@xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import { compileChain, lintChainDefinition, walkChain, type ChainContext, type ChainEvent, type ChainPosition } from '@shenpi/chains';
import { majorDecisionChain } from './major-decision.chain.js';

type Edge = { state: AnyMachineSnapshot; event: ChainEvent };

const lint = lintChainDefinition(majorDecisionChain);
const chain = compileChain(lint.definition!);

const STATES = ['collective-decision', 'decided', 'drafting', 'expert-review', 'legality-review', 'public-participation', 'rejected', 'reporting', 'risk-assessment'];
const MAIN = ['public-participation', 'expert-review', 'risk-assessment', 'legality-review', 'collective-decision', 'reporting', 'decided'];

// Expert review is countersigned by s0 (legal counsel) and s1 (leader); the other steps have s0 only.
const signers = ['s0', 's1'];
const events: ChainEvent[] = [
  { type: 'submit', fields: {} },
  ...[
    ...['approve', 'return', 'reject', 'lawful', 'revise', 'unlawful'].map((type) => ({ type })),
    ...['drafting', 'legality-review'].map((returnTo) => ({ type: 'return', returnTo })),
  ].flatMap((e) => signers.map((signer) => ({ ...e, signer, fields: {} }))),
];

// A position is its step key and its countersign progress (`rounds` grows on every return).
const positionKey = (s: { value: unknown; context: unknown }) =>
  `${String(s.value)}|${JSON.stringify((s.context as ChainContext).signing?.slots.map((slot) => slot.vote ?? null) ?? null)}`;
const graph = { events, serializeState: positionKey };

const walk = (events: ChainEvent[], from: ChainPosition = chain.initial()): ChainPosition => {
  let p = from;
  for (const e of events) {
    const next = chain.next(p, e);
    if (!next) throw new Error(`"${e.type}" by ${e.signer ?? '-'} refused in ${p.stateKey}`);
    p = next;
  }
  return p;
};
const by = (type: string, signer = 's0', extra: Partial<ChainEvent> = {}): ChainEvent => ({ type, signer, ...extra });
const submit: ChainEvent = { type: 'submit' };
const atExpertReview = () => walk([submit, by('approve')]);
const atLegality = () => walk([submit, by('approve'), by('approve', 's0'), by('approve', 's1'), by('approve')]);
const atDecision = () => walk([by('lawful')], atLegality());

describe('major-decision chain', () => {
  it('passes lint with no errors and no warnings: every signed step has a deadline', () => {
    expect(lint.errors).toEqual([]);
    expect(lint.warnings).toEqual([]);
  });

  it('walks to every step, with a way from each to a final step', () => {
    const { reached, stuck } = walkChain(chain);
    expect([...reached].sort()).toEqual(STATES);
    expect([...stuck]).toEqual([]);
  });

  it('plans along the main path: the stages of 国务院令第713号 in order', () => {
    expect(chain.mainPath('drafting').map((s) => s.key)).toEqual(MAIN);
    expect(chain.mainPath('legality-review').map((s) => s.key)).toEqual(['collective-decision', 'reporting', 'decided']);
  });

  it('reaches every state by shortest paths, expert review in each countersign position', () => {
    const shortest = getShortestPaths(chain.machine, graph);
    expect([...new Set(shortest.map((p) => p.state.value))].sort()).toEqual(STATES);
    const expert = shortest.filter((p) => p.state.value === 'expert-review').map((p) => positionKey(p.state));
    expect(expert.sort()).toEqual(['expert-review|["for",null]', 'expert-review|[null,"for"]', 'expert-review|[null,null]']);
  });

  it('every simple path to a decision runs every stage in order, with both expert approvals and a lawful opinion', () => {
    const toDecided = getSimplePaths(chain.machine, { ...graph, toState: (s) => s.value === 'decided' });
    // Without returns (a simple path revisits no position): s0 then s1, or s1 then s0.
    expect(toDecided.length).toBe(2);
    for (const path of toDecided) {
      const visited = path.steps.map((s) => s.state.value).filter((v, i, all) => v !== all[i - 1]);
      expect(visited).toEqual(['drafting', ...MAIN]);
      const expertApprovals = path.steps.filter((s, i) => path.steps[i - 1]?.state.value === 'expert-review' && s.event.type === 'approve');
      expect(new Set(expertApprovals.map((s) => (s.event as ChainEvent).signer))).toEqual(new Set(['s0', 's1']));
      expect(path.steps.map((s) => s.event.type)).toContain('lawful');
    }
  });

  it('Art. 25: collective decision is entered only on a lawful legality opinion', () => {
    const map = getAdjacencyMap(chain.machine, graph);
    const into = (target: string) =>
      new Set(
        Object.entries(map).flatMap(([from, { state, transitions }]) =>
          (Object.values(transitions) as Edge[])
            .filter((t) => t.state.value === target && state.value !== target)
            .map((t) => `${String(state.value)} ${t.event.type}`),
        ),
      );
    expect(into('collective-decision')).toEqual(new Set(['legality-review lawful']));
    expect(into('decided')).toEqual(new Set(['reporting approve']));
    expect(into('rejected')).toEqual(new Set(['collective-decision reject']));
    expect(into('risk-assessment')).toEqual(new Set(['expert-review approve']));
  });

  it('walks every simple path by pure transitions, each position round-tripping through JSON', () => {
    const paths = getSimplePaths(chain.machine, graph);
    expect(new Set(paths.map((p) => p.state.value)).size).toBe(STATES.length);
    for (const path of paths) {
      let position = chain.initial();
      for (const step of path.steps.slice(1)) {
        const next = chain.next(JSON.parse(JSON.stringify(position)), step.event as ChainEvent);
        expect(next).not.toBeNull();
        expect(next!.stateKey).toBe(step.state.value);
        expect(next!.context.signing).toEqual(step.state.context.signing);
        position = next!;
      }
    }
  });

  describe('public participation (公众参与)', () => {
    it('is run by the drafting department for a comment period of 30 calendar days, and closed with approve', () => {
      const p = walk([submit]);
      expect(p.stateKey).toBe('public-participation');
      expect(chain.step('public-participation').deadline).toEqual({ calendarDays: 30 });
      expect(chain.step('public-participation').assignee).toEqual({ role: 'drafter', department: 'document' });
      expect(chain.next(p, by('return'))).toBeNull();
      expect(walk([by('approve')], p).stateKey).toBe('expert-review');
    });
  });

  describe('expert review (专家论证), countersigned by legal counsel and leader', () => {
    it('stays after the first approval and moves on after the second, in either order', () => {
      const afterS0 = walk([by('approve', 's0')], atExpertReview());
      expect(afterS0.stateKey).toBe('expert-review');
      expect(afterS0.context.signing!.slots.map((s) => s.vote ?? null)).toEqual(['for', null]);
      expect(chain.next(afterS0, by('approve', 's0'))).toBeNull();
      expect(walk([by('approve', 's1')], afterS0).stateKey).toBe('risk-assessment');

      const afterS1 = walk([by('approve', 's1')], atExpertReview());
      expect(afterS1.stateKey).toBe('expert-review');
      expect(walk([by('approve', 's0')], afterS1).stateKey).toBe('risk-assessment');
    });

    it('a return by either signer sends the draft back to drafting, before or after the other approved', () => {
      expect(walk([by('return', 's0')], atExpertReview()).stateKey).toBe('drafting');
      expect(walk([by('return', 's1')], atExpertReview()).stateKey).toBe('drafting');
      expect(walk([by('approve', 's0'), by('return', 's1')], atExpertReview()).stateKey).toBe('drafting');
      expect(walk([by('approve', 's1'), by('return', 's0')], atExpertReview()).stateKey).toBe('drafting');
    });

    it('refuses a signer the step does not have, and starts a fresh round on re-entry', () => {
      expect(chain.next(atExpertReview(), by('approve', 's2'))).toBeNull();
      const again = walk([by('approve', 's0'), by('return', 's1'), submit, by('approve')], atExpertReview());
      expect(again.stateKey).toBe('expert-review');
      expect(again.context.rounds['expert-review']).toBe(2);
      expect(again.context.signing!.slots.map((s) => s.vote ?? null)).toEqual([null, null]);
    });
  });

  describe('risk assessment and legality review (风险评估, 合法性审查)', () => {
    it('risk assessment approves on to legality review, or returns to drafting', () => {
      const risk = walk([by('approve', 's0'), by('approve', 's1')], atExpertReview());
      expect(risk.stateKey).toBe('risk-assessment');
      expect(walk([by('approve')], risk).stateKey).toBe('legality-review');
      expect(walk([by('return')], risk).stateKey).toBe('drafting');
    });

    it('lawful goes to collective decision; revise and unlawful go back to drafting with a reason', () => {
      expect(walk([by('lawful')], atLegality()).stateKey).toBe('collective-decision');
      expect(walk([by('revise')], atLegality()).stateKey).toBe('drafting');
      expect(walk([by('unlawful')], atLegality()).stateKey).toBe('drafting');
      expect(chain.next(atLegality(), by('approve'))).toBeNull();
      expect(chain.step('legality-review').transitions.filter((t) => t.commentRequired).map((t) => t.action)).toEqual(['revise', 'unlawful']);
    });

    it('gives the legality review at least 7 working days (Art. 26)', () => {
      expect(chain.step('legality-review').deadline!.workingDays).toBeGreaterThanOrEqual(7);
    });
  });

  describe('collective decision (集体讨论决定) and reporting', () => {
    it('approve goes to reporting, then to decided', () => {
      const reporting = walk([by('approve')], atDecision());
      expect(reporting.stateKey).toBe('reporting');
      expect(walk([by('approve')], reporting).stateKey).toBe('decided');
    });

    it('reject ends in rejected, with a reason', () => {
      expect(walk([by('reject')], atDecision()).stateKey).toBe('rejected');
      expect(chain.transitionFor('collective-decision', 'reject')?.commentRequired).toBe(true);
    });

    it('return goes to drafting by default or to legality review, never elsewhere', () => {
      expect(walk([by('return')], atDecision()).stateKey).toBe('drafting');
      expect(walk([by('return', 's0', { returnTo: 'legality-review' })], atDecision()).stateKey).toBe('legality-review');
      expect(chain.next(atDecision(), by('return', 's0', { returnTo: 'risk-assessment' }))).toBeNull();
      expect(chain.next(atDecision(), by('return', 's0', { returnTo: 'reporting' }))).toBeNull();
    });
  });

  it('lets the drafter edit only in drafting', () => {
    expect(chain.can(chain.initial(), { type: 'edit' })).toBe(true);
    expect(chain.can(atLegality(), { type: 'edit' })).toBe(false);
  });
});
