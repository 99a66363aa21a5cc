import { normativeDocumentChain } from '../../workflows/normative-document/normative-document.chain.js';
import type { ChainDefinition } from './chain-definition.schema.js';
import { toMermaid } from './chain-diagram.js';

const normative = normativeDocumentChain as unknown as ChainDefinition;

describe('chain diagrams', () => {
  it('names steps and actions in the language asked for, never by their keys', () => {
    const zh = toMermaid(normative, 'legality-review');
    expect(zh).toContain('legality_review: 合法性审查');
    expect(zh).toContain('legality_review --> collective_deliberation: 合法');
    expect(zh).toContain('class legality_review current');
    const en = toMermaid(normative, undefined, 'en');
    expect(en).toContain('legality_review: Legality review');
    expect(en).toContain('legality_review --> collective_deliberation: Lawful');
    // Every edge has a name in either language: no action key is left as a label.
    for (const source of [zh, en]) {
      const labels = source.split('\n').filter((l) => l.includes('-->') && l.includes(':')).map((l) => l.split(': ').slice(1).join(': '));
      expect(labels.filter((l) => /^[a-z]+(-[a-z]+)*$/.test(l))).toEqual([]);
    }
  });

  it('draws the edge that passes over a conditional step (公平竞争审查 applies only to measures touching market activity)', () => {
    expect(toMermaid(normative)).toContain('drafting --> legality_review: 提交审核（不适用公平竞争审查时）');
    expect(toMermaid(normative, undefined, 'en')).toContain('drafting --> legality_review: Submit (when Fair competition review does not apply)');
    // And the edge into it stays.
    expect(toMermaid(normative)).toContain('drafting --> fair_competition_review: 提交审核');
  });

  it("names an administrator's own action by the name the chain gives it", () => {
    const chain = JSON.parse(JSON.stringify(normative)) as ChainDefinition;
    chain.steps[0].transitions[0] = { ...chain.steps[0].transitions[0], action: 'hand-in', name: { zh: '呈报', en: 'Hand in' } };
    expect(toMermaid(chain)).toContain('drafting --> fair_competition_review: 呈报');
    expect(toMermaid(chain, undefined, 'en')).toContain('drafting --> fair_competition_review: Hand in');
  });
});
