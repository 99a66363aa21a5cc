import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';
import { lintChainDefinition } from './chain-lint.js';

const base = () => JSON.parse(JSON.stringify(annualReportChain));

/** Each broken definition is refused with the exact path of what is wrong. */
describe('chain lint', () => {
  const cases: [string, (d: any) => void, string, RegExp][] = [
    ['unknown role', (d) => (d.steps[1].assignee.role = 'janitor'), 'steps[1].assignee.role', /must be one of/],
    ['duplicate step key', (d) => (d.steps[2].key = 'legal-review'), 'steps[2].key', /duplicate step key/],
    ['unknown target', (d) => (d.steps[0].transitions[0].to = 'nowhere'), 'steps[0].transitions[0].to', /no step "nowhere"/],
    ['later return target', (d) => (d.steps[2].transitions[1].returnTo = ['draft', 'office-review']), 'steps[2].transitions[1].returnTo[1]', /not an earlier step/],
    ['unknown field', (d) => (d.steps[0].colour = 'red'), 'steps[0].colour', /should not exist/],
    ['bad key', (d) => (d.key = 'Annual Report'), 'key', /kebab-case/],
    ['missing initial', (d) => (d.initial = 'start'), 'initial', /no step "start"/],
    ['decision without assignee', (d) => delete d.steps[1].assignee, 'steps[1].transitions[0].by', /needs an assignee/],
    ['dead end', (d) => (d.steps[4].transitions = []), 'steps[4]', /dead end/],
    ['final step with transitions', (d) => (d.steps[5].transitions = [{ action: 'reopen', to: 'draft', by: { role: 'drafter', department: 'document' } }]), 'steps[5].transitions', /final step/],
    ['duplicate action', (d) => d.steps[1].transitions.push({ action: 'approve', to: 'draft' }), 'steps[1].transitions[3].action', /duplicate action/],
    ['unreachable step', (d) => d.steps.splice(5, 0, { key: 'limbo', name: { zh: '无', en: 'none' }, transitions: [{ action: 'go', to: 'disclosed', by: { role: 'admin', department: 'document' } }] }), 'steps[5]', /unreachable/],
  ];
  it.each(cases)('%s', (_, breakIt, path, reason) => {
    const d = base();
    breakIt(d);
    const result = lintChainDefinition(d);
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual({ path, reason: expect.stringMatching(reason) });
  });
  it('refuses what is not an object', () => {
    expect(lintChainDefinition([]).errors).toEqual([{ path: '', reason: 'a chain definition must be a JSON object' }]);
  });
});
