import { legalityReviewOutcomes } from '../shared/legality-review.js';

/**
 * Major administrative decisions (重大行政决策程序暂行条例, 国务院令第713号): public participation,
 * expert review, risk assessment, legality review, collective decision, then reporting and publication.
 */
export const majorDecisionChain = {
  key: 'major-decision',
  name: { zh: '重大行政决策', en: 'Major administrative decision' },
  initial: 'drafting',
  steps: [
    {
      key: 'drafting',
      name: { zh: '起草', en: 'Drafting' },
      editable: true,
      transitions: [{ action: 'submit', to: 'public-participation', by: { role: 'drafter', department: 'document' } }],
    },
    {
      // Art. 15: the comment period is generally at least 30 days. The drafting department runs it and
      // closes it with `approve`; the deadline marks the end of the period (it is not a minimum).
      key: 'public-participation',
      name: { zh: '公众参与', en: 'Public participation' },
      assignee: { role: 'drafter', department: 'document' },
      deadline: { calendarDays: 30 },
      reminders: [{ workingDaysBefore: 0 }],
      transitions: [{ action: 'approve', to: 'expert-review' }],
    },
    {
      // Arts. 19–21. 会签: both signers must approve; either one's return sends the draft back.
      key: 'expert-review',
      name: { zh: '专家论证', en: 'Expert review' },
      assignees: [
        { role: 'legal-counsel', department: 'document' },
        { role: 'leader', department: 'document' },
      ],
      signing: 'all',
      deadline: { workingDays: 15 },
      reminders: [{ workingDaysBefore: 2 }],
      transitions: [
        { action: 'approve', to: 'risk-assessment' },
        { action: 'return', to: 'drafting', commentRequired: true },
      ],
    },
    {
      // Arts. 22–24.
      key: 'risk-assessment',
      name: { zh: '风险评估', en: 'Risk assessment' },
      assignee: { role: 'leader', department: 'document' },
      deadline: { workingDays: 15 },
      reminders: [{ workingDaysBefore: 2 }],
      transitions: [
        { action: 'approve', to: 'legality-review' },
        { action: 'return', to: 'drafting', commentRequired: true },
      ],
    },
    {
      // Arts. 25–28: generally at least 7 working days for the review (10 here). Only `lawful` leads on:
      // a draft without legality review, or that failed it, cannot go to discussion (Art. 25).
      key: 'legality-review',
      name: { zh: '合法性审查', en: 'Legality review' },
      assignee: { role: 'legal-counsel', department: 'document' },
      deadline: { workingDays: 10 },
      reminders: [{ workingDaysBefore: 2 }, { workingDaysBefore: 0 }],
      escalation: { to: { role: 'leader', department: 'document' }, afterWorkingDays: 1 },
      transitions: [
        ...legalityReviewOutcomes('collective-decision'),
      ],
    },
    {
      // Arts. 29–30: decided at a meeting, the head speaks last; dissent goes in the decision comment.
      key: 'collective-decision',
      name: { zh: '集体讨论决定', en: 'Collective decision' },
      assignee: { role: 'party-secretary', department: 'document' },
      deadline: { workingDays: 15 },
      reminders: [{ workingDaysBefore: 2 }],
      transitions: [
        { action: 'approve', to: 'reporting' },
        { action: 'return', to: 'drafting', returnTo: ['drafting', 'legality-review'], commentRequired: true },
        { action: 'reject', to: 'rejected', commentRequired: true },
      ],
    },
    {
      // Arts. 31–32: reported where required and made public. 20 working days is the proactive
      // disclosure period of 政府信息公开条例 Art. 26, a default.
      key: 'reporting',
      name: { zh: '报告与公布', en: 'Reporting and publication' },
      assignee: { role: 'drafter', department: 'document' },
      deadline: { workingDays: 20 },
      reminders: [{ workingDaysBefore: 2 }],
      transitions: [{ action: 'approve', to: 'decided' }],
    },
    { key: 'decided', name: { zh: '已决策', en: 'Decided' }, final: true, transitions: [] },
    { key: 'rejected', name: { zh: '不予通过', en: 'Rejected' }, final: true, transitions: [] },
  ],
};
