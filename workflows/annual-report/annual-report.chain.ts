/** The annual rule-of-law government report (法治政府建设年度报告): the short chain of API.md. */
export const annualReportChain = {
  key: 'annual-report',
  name: { zh: '法治政府建设年度报告', en: 'Annual report on building rule-of-law government' },
  initial: 'draft',
  uniquePerDepartmentAndYear: true,
  steps: [
    {
      key: 'draft',
      name: { zh: '起草', en: 'Drafting' },
      editable: true,
      transitions: [
        {
          action: 'submit',
          to: 'legal-review',
          by: { role: 'drafter', department: 'document' },
          // The four mandated contents (厅字〔2019〕28号); a section counts when a heading names it and
          // text other than the template's placeholder follows it (libs/chains/content-check.ts).
          requires: {
            sections: [
              { key: 'measures', name: { zh: '主要举措和成效', en: 'Main measures and results' }, keywords: ['主要举措', '成效'] },
              { key: 'first-responsible', name: { zh: '第一责任人职责履行情况', en: 'Duty of the first responsible person' }, keywords: ['第一责任人'] },
              { key: 'shortcomings', name: { zh: '存在的不足和原因', en: 'Shortcomings and their causes' }, keywords: ['不足', '问题和原因'] },
              { key: 'plans', name: { zh: '下一年度主要安排', en: "Next year's plans" }, keywords: ['下一年度', '主要安排', '工作思路', '工作计划'] },
            ],
          },
        },
      ],
    },
    {
      key: 'legal-review',
      name: { zh: '法制审核', en: 'Legal counsel review' },
      assignee: { role: 'legal-counsel', department: 'document' },
      deadline: { workingDays: 5 },
      reminders: [{ workingDaysBefore: 2 }, { workingDaysBefore: 0 }],
      escalation: { to: { role: 'leader', department: 'document' }, afterWorkingDays: 1 },
      transitions: [
        { action: 'approve', to: 'party-group-review' },
        { action: 'return', to: 'draft', commentRequired: true },
        { action: 'withdraw', to: 'draft', by: { role: 'drafter', department: 'document' } },
      ],
    },
    {
      key: 'party-group-review',
      name: { zh: '党组会议审议', en: 'Party group meeting approval' },
      assignee: { role: 'party-secretary', department: 'document' },
      deadline: { workingDays: 10 },
      reminders: [{ workingDaysBefore: 2 }],
      escalation: { to: { role: 'leader', department: 'document' }, afterWorkingDays: 1 },
      transitions: [
        { action: 'approve', to: 'office-review' },
        { action: 'return', to: 'draft', returnTo: ['draft', 'legal-review'], commentRequired: true },
      ],
    },
    {
      key: 'office-review',
      name: { zh: '报送法治建设办', en: 'Submission to the rule-of-law office' },
      assignee: { role: 'rule-of-law-office', department: 'office' },
      deadline: { workingDays: 10 },
      reminders: [{ workingDaysBefore: 2 }],
      transitions: [
        { action: 'approve', to: 'awaiting-disclosure' },
        { action: 'return', to: 'draft', returnTo: ['draft', 'legal-review', 'party-group-review'], commentRequired: true },
      ],
    },
    {
      key: 'awaiting-disclosure',
      name: { zh: '向社会公开', en: 'Public disclosure' },
      transitions: [
        { action: 'record-disclosure', to: 'disclosed', by: { role: 'drafter', department: 'document' }, payload: 'disclosure' },
      ],
    },
    { key: 'disclosed', name: { zh: '已公开', en: 'Disclosed' }, final: true, transitions: [] },
  ],
  // 厅字〔2019〕28号 and local guides: reported by 1 March, public before 1 April of the next year.
  // A deployment with other dates publishes a new version of this chain.
  milestones: [
    { key: 'submission', name: { zh: '报送', en: 'Submission' }, step: 'office-review', before: { month: 3, day: 1, yearsAfterDocumentYear: 1 } },
    { key: 'publication', name: { zh: '向社会公开', en: 'Publication' }, step: 'disclosed', before: { month: 4, day: 1, yearsAfterDocumentYear: 1 } },
  ],
};
