import fc from 'fast-check';
import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { majorDecisionChain } from '../../workflows/major-decision/major-decision.chain.js';
import { normativeDocumentChain } from '../../workflows/normative-document/normative-document.chain.js';
import type { ChainDefinition } from './chain-definition.schema.js';
import { compileChain } from './chain-compiler.js';
import { fieldVariants, walkChain } from './chain-walk.js';
import { walkEveryOrder } from '../../test/support/exhaustive-walk.js';

const name = (k: string) => ({ zh: k, en: k });
const counsel = { role: 'legal-counsel', department: 'document' } as const;

/** A structurally valid chain of 3–6 steps: countersigns, thresholds, returns, role actions, conditions, dead loops. */
const arbitraryChain = fc
  .record({
    size: fc.integer({ min: 3, max: 6 }),
    steps: fc.array(
      fc.record({
        seats: fc.integer({ min: 0, max: 4 }),
        signing: fc.constantFrom('all', 'any', 'sequence'),
        threshold: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
        forward: fc.integer({ min: 1, max: 3 }),
        back: fc.option(fc.nat(), { nil: undefined }),
        returnTo: fc.boolean(),
        noApprove: fc.boolean(),
        byRole: fc.boolean(),
        reject: fc.boolean(),
        when: fc.option(fc.constantFrom('flag', 'notFlag', 'big', 'kind'), { nil: undefined }),
      }),
      { minLength: 6, maxLength: 6 },
    ),
  })
  .map(({ size, steps }): ChainDefinition => {
    const keys = Array.from({ length: size }, (_, i) => `s${i}`);
    const whenOf = { flag: { field: 'flag', op: 'eq', value: true }, notFlag: { field: 'flag', op: 'eq', value: false }, big: { field: 'pages', op: 'gt', value: 10 }, kind: { field: 'kind', op: 'in', value: ['a', 'b'] } };
    return {
      key: 'random',
      name: name('random'),
      initial: 's0',
      fields: [
        { key: 'flag', name: name('flag'), type: 'boolean' },
        { key: 'pages', name: name('pages'), type: 'number' },
        { key: 'kind', name: name('kind'), type: 'string' },
      ],
      steps: keys.map((key, i) => {
        if (i === size - 1) return { key, name: name(key), final: true, transitions: [] };
        const s = steps[i];
        const seats = Array.from({ length: s.seats }, () => ({ ...counsel }));
        const signed = seats.length > 0;
        const by = signed && !s.byRole ? {} : { by: counsel };
        const to = keys[Math.min(i + s.forward, size - 1)];
        const back = s.back !== undefined && i > 0 ? keys[s.back % i] : undefined;
        const transitions = [
          ...(s.noApprove && back ? [] : [{ action: 'approve', to, ...by }]),
          ...(back ? [{ action: 'return', to: back, ...(s.returnTo ? { returnTo: keys.slice(0, i) } : {}), ...by }] : []),
          ...(s.reject ? [{ action: 'reject', to: keys[size - 1], vote: 'against', ...by }] : []),
          { action: 'comment', ...by },
        ];
        return {
          key,
          name: name(key),
          ...(signed ? { assignees: seats, signing: s.signing, ...(s.signing === 'all' && s.threshold && s.threshold <= seats.length ? { threshold: s.threshold } : {}) } : {}),
          ...(s.when && i > 0 ? { when: whenOf[s.when] } : {}),
          transitions,
        } as ChainDefinition['steps'][number];
      }),
    } as ChainDefinition;
  });

describe('walking a chain by vote counts', () => {
  it('finds what walking every order of votes finds, on the shipped chains', () => {
    for (const definition of [annualReportChain, majorDecisionChain, normativeDocumentChain] as ChainDefinition[]) {
      const chain = compileChain(definition);
      const walk = walkChain(chain);
      const oracle = walkEveryOrder(chain, fieldVariants(definition).variants);
      expect({ key: definition.key, reached: [...walk.reached].sort(), stuck: [...walk.stuck].sort() }).toEqual({ key: definition.key, reached: [...oracle.reached].sort(), stuck: [...oracle.stuck].sort() });
    }
  });

  it('finds what walking every order of votes finds, on random chains with countersigns, returns and conditions', () => {
    fc.assert(
      fc.property(arbitraryChain, (definition) => {
        const chain = compileChain(definition);
        const walk = walkChain(chain);
        const oracle = walkEveryOrder(chain, fieldVariants(definition).variants);
        expect([...walk.reached].sort()).toEqual([...oracle.reached].sort());
        expect([...walk.stuck].sort()).toEqual([...oracle.stuck].sort());
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('walks a 100-seat 会签 and a 100-seat vote of 51 as counts: one position per count, not per order', () => {
    const seats = Array.from({ length: 100 }, () => ({ ...counsel }));
    const step = (extra: object) => ({
      key: 'key',
      name: name('k'),
      initial: 'draft',
      steps: [
        { key: 'draft', name: name('d'), transitions: [{ action: 'submit', to: 'vote', by: { role: 'drafter', department: 'document' } }] },
        { key: 'vote', name: name('v'), assignees: seats, ...extra, transitions: [{ action: 'approve', to: 'done' }, { action: 'return', to: 'draft' }] },
        { key: 'done', name: name('x'), final: true, transitions: [] },
      ],
    });
    for (const extra of [{}, { threshold: 51 }, { signing: 'sequence' }]) {
      const walk = walkChain(compileChain(step(extra) as ChainDefinition));
      expect([...walk.reached].sort()).toEqual(['done', 'draft', 'vote']);
      expect([...walk.stuck]).toEqual([]);
    }
  });
});
