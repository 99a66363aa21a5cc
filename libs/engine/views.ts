import type { CompiledChain, Signing } from '@shenpi/chains';
import { validationFailed } from '@shenpi/domain';
import type { DocumentRow, InboxRow, TaskRow } from '@shenpi/persistence';
import type { AllowedAction } from './document/access-rules.js';
import { clockOf, fieldsOf, numberOf } from './document/document-state.js';
import type { MilestoneView, PlannedStart } from './planning.js';

export interface TaskView {
  id: string;
  documentId: string;
  documentTitle?: string;
  /** In an inbox page: the document's chain, and whether the due instant is provisional (暂定). */
  chainKey?: string;
  dueProvisional?: boolean;
  stepKey: string;
  step: { key: string; name: { zh: string; en: string } };
  round: number;
  departmentId: string;
  assigneeRole: string | null;
  assigneeUserId: string | null;
  assignee: { role: string | null; userId: string | null; departmentId: string };
  status: string;
  decision: string | null;
  comment: string | null;
  decidedBy: string | null;
  onBehalfOf: string | null;
  delegatedFrom: string | null;
  dueAt: string | null;
  createdAt: string;
  closedAt: string | null;
  /** The signer of the step's round the task was opened for. */
  signer: string | null;
}

/** Countersign progress of the current step: each slot's signers in order, who is due, and its vote. */
export interface SigningView {
  mode: string;
  needed: number;
  for: number;
  against: number;
  slots: { signers: { id: string; role?: string; department?: string; userId?: string }[]; current: string | null; vote: string | null }[];
}

export interface DocumentView {
  id: string;
  title: string;
  year: number;
  departmentId: string;
  /** The chain the document runs on: key, version and its name in both languages. */
  chain: { key: string; version: number; name: { zh: string; en: string } };
  state: string;
  stateName: { zh: string; en: string };
  final: boolean;
  version: number;
  content?: string;
  disclosure: unknown;
  /** The document's declared fields (see the chain's `fields`); conditional steps read them. */
  fields: Record<string, unknown>;
  /** 〔year〕N号, once a step that assigns numbers was entered. */
  number: string | null;
  signing: SigningView | null;
  /** The statutory clock of the current step: paused since when, an extension awaiting approval. */
  clock: unknown;
  dueAt: string | null;
  /** True when the due date falls in a year without official calendar data. */
  dueProvisional: boolean;
  milestones: MilestoneView[];
  planning: PlannedStart[];
  openTasks: TaskView[];
  allowedActions: AllowedAction[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function taskView(t: TaskRow | InboxRow, chain: CompiledChain): TaskView {
  const step = chain.step(t.stepKey);
  return {
    id: t.id,
    documentId: t.documentId,
    ...('documentTitle' in t ? { documentTitle: t.documentTitle, chainKey: t.chainKey, dueProvisional: t.dueProvisional } : {}),
    stepKey: t.stepKey,
    step: { key: step.key, name: step.name },
    round: t.round,
    departmentId: t.departmentId,
    assigneeRole: t.assigneeRole,
    assigneeUserId: t.assigneeUserId,
    assignee: { role: t.assigneeRole, userId: t.assigneeUserId, departmentId: t.departmentId },
    status: t.status,
    decision: t.decision,
    comment: t.comment,
    decidedBy: t.decidedBy,
    onBehalfOf: t.onBehalfOf,
    delegatedFrom: t.delegatedFrom,
    dueAt: t.dueAt,
    createdAt: t.createdAt,
    closedAt: t.closedAt,
    signer: t.signer,
  };
}

function signingView(s: Signing | undefined): SigningView | null {
  if (!s) return null;
  return {
    mode: s.mode,
    needed: s.needed,
    for: s.slots.filter((x) => x.vote === 'for').length,
    against: s.slots.filter((x) => x.vote === 'against').length,
    slots: s.slots.map((x) => ({ signers: x.signers, current: x.vote ? null : (x.signers[x.at]?.id ?? null), vote: x.vote ?? null })),
  };
}

export function documentView(
  doc: DocumentRow,
  chain: CompiledChain,
  openTasks: TaskRow[],
  allowedActions: AllowedAction[],
  withContent: boolean,
  timing: { dueProvisional: boolean; milestones: MilestoneView[]; planning: PlannedStart[] },
): DocumentView {
  const step = chain.step(doc.state);
  return {
    id: doc.id,
    title: doc.title,
    year: doc.year,
    departmentId: doc.departmentId,
    chain: { key: doc.chainKey, version: doc.chainVersion, name: chain.definition.name },
    state: doc.state,
    stateName: step.name,
    final: step.final === true,
    version: doc.version,
    ...(withContent ? { content: doc.content } : {}),
    disclosure: doc.attributes.disclosure ?? null,
    fields: fieldsOf(doc),
    number: numberOf(doc),
    signing: signingView((doc.context as { signing?: Signing }).signing),
    clock: clockOf(doc),
    dueAt: doc.dueAt,
    ...timing,
    openTasks: openTasks.map((t) => taskView(t, chain)),
    allowedActions,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The largest value an INTEGER column holds on PostgreSQL. */
export const MAX_INT = 2_147_483_647;

/** Opaque keyset cursors: the last key of a page, base64url-encoded. */
export const encodeCursor = (key: string | number) => Buffer.from(String(key)).toString('base64url');
/** Decodes a cursor and checks it is the kind of key the list uses; anything else is a 400, never a silent wrong page. */
export function decodeCursor(cursor: string | undefined, isKey: (key: string) => boolean): string | null {
  if (!cursor) return null;
  const key = Buffer.from(cursor, 'base64url').toString();
  if (!isKey(key)) throw validationFailed([{ field: 'cursor', reason: 'not a cursor this list gave out' }]);
  return key;
}

export function page<T, K extends string | number>(rows: T[], limit: number, keyOf: (row: T) => K): { rows: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { rows: kept, nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1])) : null };
}
