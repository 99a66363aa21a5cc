import { legalityReviewOutcomes } from '../shared/legality-review.js';

/**
 * Normative documents (行政规范性文件): drafting, fair competition review when the measure touches
 * market activity (公平竞争审查条例), legality review (国办发〔2018〕115号), collective deliberation,
 * signing for issue, and a document number on issue.
 */
export const normativeDocumentChain = {
  key: 'normative-document',
  name: { zh: '行政规范性文件', en: 'Normative document' },
  initial: 'drafting',
  // Required: a document that never said whether it touches market activity would pass over the
  // fair competition review, and an unreviewed measure cannot be issued (公平竞争审查条例 Art. 18).
  fields: [{ key: 'involvesMarketActivity', type: 'boolean', required: true, name: { zh: '涉及市场主体经济活动', en: 'Involves market activity' } }],
  steps: [
    {
      key: 'drafting',
      name: { zh: '起草', en: 'Drafting' },
      editable: true,
      transitions: [{ action: 'submit', to: 'fair-competition-review', by: { role: 'drafter', department: 'document' } }],
    },
    {
      // 公平竞争审查条例 Arts. 13, 17, 18: the drafting unit reviews a measure touching market activity
      // and concludes in writing; an unreviewed measure cannot be issued. Passed over otherwise.
      key: 'fair-competition-review',
      name: { zh: '公平竞争审查', en: 'Fair competition review' },
      when: { field: 'involvesMarketActivity', op: 'eq', value: true },
      assignee: { role: 'legal-counsel', department: 'document' },
      deadline: { workingDays: 10 },
      reminders: [{ workingDaysBefore: 2 }],
      transitions: [
        // First: a step that does not apply passes on to the target of its first forward transition.
        { action: 'approve', to: 'legality-review' },
        { action: 'return', to: 'drafting', commentRequired: true },
      ],
    },
    {
      // 国办发〔2018〕115号: generally at least 5 and at most 15 working days; a written opinion,
      // one of 合法 / 不合法 / 应当予以修改.
      key: 'legality-review',
      name: { zh: '合法性审查', en: 'Legality review' },
      assignee: { role: 'legal-counsel', department: 'document' },
      deadline: { workingDays: 15 },
      reminders: [{ workingDaysBefore: 3 }, { workingDaysBefore: 0 }],
      escalation: { to: { role: 'leader', department: 'document' }, afterWorkingDays: 1 },
      transitions: [
        ...legalityReviewOutcomes('collective-deliberation'),
        { action: 'withdraw', to: 'drafting', by: { role: 'drafter', department: 'document' } },
      ],
    },
    {
      key: 'collective-deliberation',
      name: { zh: '集体审议', en: 'Collective deliberation' },
      assignee: { role: 'party-secretary', department: 'document' },
      deadline: { workingDays: 10 },
      reminders: [{ workingDaysBefore: 2 }],
      transitions: [
        { action: 'approve', to: 'sign-for-issue' },
        { action: 'return', to: 'drafting', returnTo: ['drafting', 'legality-review'], commentRequired: true },
        { action: 'reject', to: 'rejected', commentRequired: true },
      ],
    },
    {
      key: 'sign-for-issue',
      name: { zh: '签发', en: 'Sign for issue' },
      assignee: { role: 'leader', department: 'document' },
      deadline: { workingDays: 5 },
      reminders: [{ workingDaysBefore: 1 }],
      transitions: [
        { action: 'approve', to: 'issued' },
        { action: 'return', to: 'drafting', returnTo: ['drafting', 'legality-review', 'collective-deliberation'], commentRequired: true },
      ],
    },
    // Entering it gives the document its number, 〔year〕N号, from the department's yearly sequence.
    { key: 'issued', name: { zh: '已印发', en: 'Issued' }, final: true, assignsNumber: true, transitions: [] },
    { key: 'rejected', name: { zh: '不予通过', en: 'Rejected' }, final: true, transitions: [] },
  ],
};
