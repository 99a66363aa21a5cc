/**
 * Answers of the main reads, as a client meets them: the annual report of 市科技局 just submitted,
 * read by its legal counsel. The OpenAPI linter holds each against its schema, and the e2e contract
 * test holds its fields against a real answer of the same moment (openapi-contract.e2e-spec.ts).
 */

const name = (zh: string, en: string) => ({ zh, en });
const DOCUMENT_ID = '0195f3a2-7c41-7001-9a3e-5b2d8c4e6f10';
const TASK_ID = '0195f3a2-7c41-7002-8b7d-1e9a4c2f3d21';
const LEGAL_REVIEW = { key: 'legal-review', name: name('法制审核', 'Legal counsel review') };

/** The counsel's open task on it (as in `openTasks`; the inbox adds the document's title, chain and whether its due date is provisional). */
const TASK = {
  id: TASK_ID,
  documentId: DOCUMENT_ID,
  stepKey: 'legal-review',
  step: LEGAL_REVIEW,
  round: 1,
  departmentId: 'city-sti',
  assigneeRole: 'legal-counsel',
  assigneeUserId: null,
  assignee: { role: 'legal-counsel', userId: null, departmentId: 'city-sti' },
  status: 'open',
  decision: null,
  comment: null,
  decidedBy: null,
  onBehalfOf: null,
  delegatedFrom: null,
  dueAt: '2026-02-09T15:59:59.999Z',
  createdAt: '2026-02-02T02:00:00.000Z',
  closedAt: null,
  signer: 's0',
};

/** GET /api/documents/{id}. */
export const DOCUMENT_EXAMPLE = {
  id: DOCUMENT_ID,
  title: '市科技局2025年度法治政府建设情况报告',
  year: 2025,
  departmentId: 'city-sti',
  chain: { key: 'annual-report', version: 1, name: name('法治政府建设年度报告', 'Annual report on building rule-of-law government') },
  state: 'legal-review',
  stateName: LEGAL_REVIEW.name,
  final: false,
  version: 2,
  content: '一、主要举措和成效\n……',
  disclosure: null,
  fields: {},
  number: null,
  signing: { mode: 'all', needed: 1, for: 0, against: 0, slots: [{ signers: [{ id: 's0', role: 'legal-counsel', department: 'document' }], current: 's0', vote: null }] },
  clock: {},
  dueAt: '2026-02-09T15:59:59.999Z',
  dueProvisional: false,
  milestones: [
    { key: 'submission', name: name('报送', 'Submission'), step: 'office-review', dueAt: '2026-02-28T15:59:59.999Z', reached: false, overdue: false, daysOverdue: 0 },
    { key: 'publication', name: name('向社会公开', 'Publication'), step: 'disclosed', dueAt: '2026-03-31T15:59:59.999Z', reached: false, overdue: false, daysOverdue: 0 },
  ],
  planning: [
    { step: 'party-group-review', name: name('党组会议审议', 'Party group meeting approval'), latestStart: '2026-02-09', milestone: 'submission', provisional: false },
    { step: 'office-review', name: name('报送法治建设办', 'Submission to the rule-of-law office'), latestStart: '2026-02-28', milestone: 'submission', provisional: false },
  ],
  openTasks: [TASK],
  allowedActions: ['approve', 'return', 'delegate', 'add-signer'].map((action) => ({ action, taskId: TASK_ID })),
  createdBy: '0195f3a2-7c3f-7000-8c1a-2b3c4d5e6f70',
  createdAt: '2026-02-02T02:00:00.000Z',
  updatedAt: '2026-02-02T02:00:00.000Z',
};

/** GET /api/tasks: the counsel's inbox. */
export const INBOX_EXAMPLE = {
  items: [{ ...TASK, documentTitle: DOCUMENT_EXAMPLE.title, chainKey: 'annual-report', dueProvisional: false }],
  nextCursor: null,
};
