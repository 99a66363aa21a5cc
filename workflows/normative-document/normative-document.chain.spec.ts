import { getAdjacencyMap, getShortestPaths, getSimplePaths } from '@xstate/graph';
import type { AnyMachineSnapshot } from 'xstate';
import { compileChain, lintChainDefinition, walkChain, type ChainEvent, type ChainPosition } from '@shenpi/chains';
import { normativeDocumentChain } from './normative-document.chain.js';

type Edge = { state: AnyMachineSnapshot; event: ChainEvent };

const lint = lintChainDefinition(normativeDocumentChain);
const chain = compileChain(lint.definition!);

const STATES = ['collective-deliberation', 'drafting', 'fair-competition-review', 'issued', 'legality-review', 'rejected', 'sign-for-issue'];

// The document's fields travel on every event; submit is where they decide the route.
const market = { involvesMarketActivity: true };
const noMarket = { involvesMarketActivity: false };
const variants = [market, noMarket, {}];
// Every reviewed step here has one signer, s0; s1's decisions are offered too, and never taken.
const signers = ['s0', 's1'];
const decisions: ChainEvent[] = [
  ...['approve', 'return', 'reject', 'lawful', 'revise', 'unlawful'].map((type) => ({ type })),
  ...['drafting', 'legality-review', 'collective-deliberation'].map((returnTo) => ({ type: 'return', returnTo })),
].flatMap((e) => signers.map((signer) => ({ ...e, signer })));
const events: ChainEvent[] = [
  ...variants.map((fields) => ({ type: 'submit', fields })),
  { type: 'withdraw' },
  ...decisions.flatMap((e) => variants.map((fields) => ({ ...e, fields }))),
];

// A position is its step key; `rounds` grows on every return, so keying on context would never end.
const graph = { events, serializeState: (s: { value: unknown }) => String(s.value) };

const walk = (events: ChainEvent[], from: ChainPosition = chain.initial()): ChainPosition => {
  let p = from;
  for (const e of events) {
    const next = chain.next(p, e);
    if (!next) throw new Error(`"${e.type}" refused in ${p.stateKey}`);
    p = next;
  }
  return p;
};
const submit = (fields: Record<string, boolean>) => ({ type: 'submit', fields });
const by = (type: string, extra: Partial<ChainEvent> = {}): ChainEvent => ({ type, signer: 's0', fields: market, ...extra });
const atLegality = () => walk([submit(noMarket)]);
const atDeliberation = () => walk([submit(noMarket), by('lawful')]);
const atSigning = () => walk([submit(noMarket), by('lawful'), by('approve')]);

describe('normative-document chain', () => {
  it('passes lint with no errors and no warnings: every reviewed step has a deadline', () => {
    expect(lint.errors).toEqual([]);
    expect(lint.warnings).toEqual([]);
  });

  it('walks to every step, with a way from each to a final step, for every value of the field', () => {
    const { reached, stuck } = walkChain(chain);
    expect([...reached].sort()).toEqual(STATES);
    expect([...stuck]).toEqual([]);
  });

  it('plans along the main path: every conditional step runs, every decision approves', () => {
    expect(chain.mainPath('drafting').map((s) => s.key)).toEqual(['fair-competition-review', 'legality-review', 'collective-deliberation', 'sign-for-issue', 'issued']);
    expect(chain.mainPath('legality-review').map((s) => s.key)).toEqual(['collective-deliberation', 'sign-for-issue', 'issued']);
    expect(chain.mainPath('issued')).toEqual([]);
  });

  it('reaches every state by shortest paths', () => {
    const reached = new Set(getShortestPaths(chain.machine, graph).map((p) => p.state.value));
    expect([...reached].sort()).toEqual(STATES);
  });

  it('issues only after a lawful legality review, and after a fair competition review when the last submit said market activity', () => {
    const toIssued = getSimplePaths(chain.machine, { ...graph, toState: (s) => s.value === 'issued' });
    expect(toIssued.length).toBeGreaterThan(0);
    const viaFairCompetition = toIssued.filter((p) => p.steps.some((s) => s.state.value === 'fair-competition-review'));
    expect(viaFairCompetition.length).toBeGreaterThan(0);
    expect(viaFairCompetition.length).toBeLessThan(toIssued.length);
    for (const path of toIssued) {
      const types = path.steps.map((s) => s.event.type);
      const lastSubmit = types.lastIndexOf('submit');
      expect(path.steps.slice(lastSubmit + 1).map((s) => s.event.type)).toContain('lawful');
      // A step's state is the one its event led to.
      const said = (path.steps[lastSubmit].event as ChainEvent).fields?.involvesMarketActivity === true;
      expect(path.steps[lastSubmit].state.value).toBe(said ? 'fair-competition-review' : 'legality-review');
      expect(path.steps.at(-1)!.event.type).toBe('approve');
      expect(path.steps.at(-2)!.state.value).toBe('sign-for-issue');
    }
  });

  it('enters collective deliberation only on a lawful opinion, and issue only from signing', () => {
    const map = getAdjacencyMap(chain.machine, graph);
    const into = (target: string) =>
      Object.entries(map).flatMap(([from, { transitions }]) =>
        (Object.values(transitions) as Edge[])
          .filter((t) => t.state.value === target && from !== target)
          .map((t) => `${from} ${t.event.type}`),
      );
    expect(new Set(into('collective-deliberation'))).toEqual(new Set(['legality-review lawful', 'sign-for-issue return']));
    expect(new Set(into('issued'))).toEqual(new Set(['sign-for-issue approve']));
    expect(new Set(into('rejected'))).toEqual(new Set(['collective-deliberation reject']));
  });

  // @xstate/graph keeps one snapshot per serialized state, so a path's snapshots may carry another
  // route's `rounds`: the step key and the signing round are what a path determines.
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

  describe('fair competition review (公平竞争审查)', () => {
    it('runs when the document involves market activity', () => {
      expect(walk([submit(market)]).stateKey).toBe('fair-competition-review');
    });

    it('is passed over when it does not, or when the field is unset (hence the field is required)', () => {
      expect(walk([submit(noMarket)]).stateKey).toBe('legality-review');
      expect(walk([submit({})]).stateKey).toBe('legality-review');
      expect(normativeDocumentChain.fields[0].required).toBe(true);
    });

    it('approve goes on to legality review, return goes back to drafting', () => {
      const fcr = walk([submit(market)]);
      expect(walk([by('approve')], fcr).stateKey).toBe('legality-review');
      expect(walk([by('return')], fcr).stateKey).toBe('drafting');
      expect(chain.next(fcr, by('lawful'))).toBeNull();
      expect(chain.next(fcr, by('approve', { signer: 's1' }))).toBeNull();
    });

    it('runs again on resubmission after a return, if the field still says so', () => {
      const back = walk([submit(noMarket), by('revise')]);
      expect(back.stateKey).toBe('drafting');
      expect(walk([submit(market)], back).stateKey).toBe('fair-competition-review');
    });
  });

  describe('legality review (合法性审查)', () => {
    it('lawful (合法) goes to collective deliberation', () => {
      expect(walk([by('lawful')], atLegality()).stateKey).toBe('collective-deliberation');
    });

    it('revise (应当予以修改) and unlawful (不合法) go back to drafting, each with a required reason', () => {
      expect(walk([by('revise')], atLegality()).stateKey).toBe('drafting');
      expect(walk([by('unlawful')], atLegality()).stateKey).toBe('drafting');
      const step = chain.step('legality-review');
      expect(step.transitions.filter((t) => t.commentRequired).map((t) => t.action)).toEqual(['revise', 'unlawful']);
    });

    it('the drafter may withdraw; approve, return and other signers are refused', () => {
      expect(walk([{ type: 'withdraw' }], atLegality()).stateKey).toBe('drafting');
      expect(chain.next(atLegality(), by('approve'))).toBeNull();
      expect(chain.next(atLegality(), by('return'))).toBeNull();
      expect(chain.next(atLegality(), by('lawful', { signer: 's1' }))).toBeNull();
    });

    it('gives the reviewer 15 working days, and re-enters in a new round after a resubmission', () => {
      expect(chain.step('legality-review').deadline).toEqual({ workingDays: 15 });
      const p = walk([submit(noMarket), by('revise'), submit(noMarket)]);
      expect(p.stateKey).toBe('legality-review');
      expect(p.context.rounds).toEqual({ drafting: 2, 'legality-review': 2 });
    });
  });

  describe('collective deliberation, signing and issue', () => {
    it('reject ends in rejected, with a required reason', () => {
      const p = walk([by('reject')], atDeliberation());
      expect(p.stateKey).toBe('rejected');
      expect(chain.transitionFor('collective-deliberation', 'reject')?.commentRequired).toBe(true);
      expect(chain.next(p, { type: 'submit', fields: noMarket })).toBeNull();
    });

    it('return goes to drafting by default, or to legality review, never forward', () => {
      expect(walk([by('return')], atDeliberation()).stateKey).toBe('drafting');
      expect(walk([by('return', { returnTo: 'legality-review' })], atDeliberation()).stateKey).toBe('legality-review');
      expect(chain.next(atDeliberation(), by('return', { returnTo: 'sign-for-issue' }))).toBeNull();
      expect(chain.next(atDeliberation(), by('return', { returnTo: 'fair-competition-review' }))).toBeNull();
    });

    it('signing may return to drafting, legality review or collective deliberation, and approve issues', () => {
      expect(walk([by('return')], atSigning()).stateKey).toBe('drafting');
      expect(walk([by('return', { returnTo: 'legality-review' })], atSigning()).stateKey).toBe('legality-review');
      expect(walk([by('return', { returnTo: 'collective-deliberation' })], atSigning()).stateKey).toBe('collective-deliberation');
      expect(chain.next(atSigning(), by('reject'))).toBeNull();
      expect(walk([by('approve')], atSigning()).stateKey).toBe('issued');
    });

    it('numbers the document on issue, and only there', () => {
      expect(lint.definition!.steps.filter((s) => s.assignsNumber).map((s) => s.key)).toEqual(['issued']);
    });
  });

  it('lets the drafter edit only in drafting, and reviewers delegate only in reviewed steps', () => {
    const draft = chain.initial();
    expect(chain.can(draft, { type: 'edit' })).toBe(true);
    expect(chain.can(draft, { type: 'delegate' })).toBe(false);
    const legal = atLegality();
    expect(chain.can(legal, { type: 'edit' })).toBe(false);
    expect(chain.next(legal, { type: 'delegate', signer: 's0' })).toEqual(legal);
  });
});
