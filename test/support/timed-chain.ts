import { annualReportChain } from '../../workflows/annual-report/annual-report.chain.js';

/**
 * The annual report with timers on legal review: due after `dueSeconds`, a reminder half-way,
 * escalation to the leader and an automatic approval after further delays.
 */
export function timedAnnualReport(key = 'annual-report-timed', dueSeconds = 60, stepSeconds = 30) {
  const chain = JSON.parse(JSON.stringify(annualReportChain));
  chain.key = key;
  // Load tests put many reports of one department and year on the clock at once.
  chain.uniquePerDepartmentAndYear = false;
  chain.name = { zh: '年度报告（限时）', en: 'Annual report (timed)' };
  Object.assign(chain.steps[1], {
    deadline: { seconds: dueSeconds },
    reminders: [{ secondsBefore: stepSeconds }],
    escalation: { to: { role: 'leader', department: 'document' }, afterSeconds: stepSeconds, then: { action: 'approve', afterSeconds: stepSeconds, comment: '逾期自动通过' } },
  });
  Object.assign(chain.steps[2], { deadline: { workingDays: 1 } });
  Object.assign(chain.steps[3], { deadline: { before: { month: 3, day: 1, yearsAfterDocumentYear: 1 } } });
  return chain;
}
