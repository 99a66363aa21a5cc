import { annualReportChain } from './annual-report.chain.js';

/**
 * The annual report with 签发: after the Party group meeting, the principal leader signs the
 * report for issue before it goes to the rule-of-law office (the bureau practice recorded in the
 * domain notes). A chain of its own key (`<key>-sign-off`), so publishing it changes nothing for
 * new annual reports; a deployment opts in by publishing it as the next version of `annual-report`
 * (`npm run cli -- chain publish annual-report-sign-off --as annual-report`); running reports keep
 * their version.
 */
export function withSignOff(definition: typeof annualReportChain = annualReportChain) {
  const chain = JSON.parse(JSON.stringify(definition)) as Omit<typeof annualReportChain, 'key'> & { key: string; steps: Record<string, unknown>[] };
  chain.key = `${definition.key}-sign-off`;
  chain.name = { zh: `${definition.name.zh}（含签发）`, en: `${definition.name.en}, signed for issue` };
  const party = chain.steps.findIndex((s) => s.key === 'party-group-review');
  const approve = (chain.steps[party].transitions as { action: string; to?: string }[]).find((t) => t.action === 'approve')!;
  approve.to = 'sign-off';
  chain.steps.splice(party + 1, 0, {
    key: 'sign-off',
    name: { zh: '主要负责人签发', en: 'Signed for issue by the principal leader' },
    assignee: { role: 'leader', department: 'document' },
    deadline: { workingDays: 3 },
    reminders: [{ workingDaysBefore: 1 }],
    transitions: [
      { action: 'approve', to: 'office-review' },
      { action: 'return', to: 'draft', returnTo: ['draft', 'legal-review', 'party-group-review'], commentRequired: true },
    ],
  });
  const office = chain.steps.find((s) => s.key === 'office-review')!;
  for (const t of office.transitions as { action: string; returnTo?: string[] }[]) {
    if (t.returnTo) t.returnTo = [...t.returnTo, 'sign-off'];
  }
  return chain;
}

export const annualReportWithSignOff = withSignOff();
