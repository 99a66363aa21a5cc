import { entryFromRow, type AuditEntry, type AuditLog, type Checkpoint, type VerifyResult } from '@shenpi/audit';
import { toMermaid } from '@shenpi/chains';
import { AccessDenied, ErrorCode, isGlobalAdmin, isUuid, notFound, type Clock, type Principal, type Role } from '@shenpi/domain';
import { Repositories, type AuditFilter, type Database, type DepartmentRow, type DocumentFilter, type DocumentRow, type TaskRow } from '@shenpi/persistence';
import { allowedActions } from './document/access-rules.js';
import { fieldsOf } from './document/document-state.js';
import { reviewRoundOf } from './document/separation-of-duties.js';
import type { ChainCatalog } from './chain-catalog.js';
import type { DeadlinePlanner } from './deadline-planner.port.js';
import { planAhead } from './planning.js';
import { stepStays } from './timeline.js';
import { decodeCursor, documentView, page, taskView, type DocumentView, type Page, type TaskView } from './views.js';

/** The largest value an INTEGER column holds on PostgreSQL. */
export const MAX_INT = 2_147_483_647;

/** Entries read per query while exporting: memory stays flat however long the export. */
const EXPORT_BATCH = 1000;

/** Everything read-only, on the read connection: it never sees a transaction that has not committed. */
export class Queries {
  private readonly repos: Repositories;

  constructor(
    database: Database,
    private readonly chains: ChainCatalog,
    private readonly audit: AuditLog,
    private readonly planner: DeadlinePlanner,
    private readonly clock: Clock,
  ) {
    this.repos = new Repositories(database.reader);
  }

  async canSeeDocument(p: Principal, id: string): Promise<boolean> {
    return isUuid(id) && this.repos.documents.isVisible(p, id);
  }

  /** The task when the caller may see it (its document is visible to them), else undefined. */
  async visibleTask(p: Principal, taskId: string): Promise<TaskRow | undefined> {
    if (!isUuid(taskId)) return undefined;
    const task = await this.repos.tasks.get(taskId);
    return task && (await this.repos.documents.isVisible(p, task.documentId)) ? task : undefined;
  }

  async document(p: Principal, id: string, withContent = true): Promise<DocumentView> {
    return this.documentAsWritten(p, await this.visibleDocument(p, id), withContent);
  }

  /** The view of a row as a committed transition wrote it: the caller just acted on it, so neither it nor its visibility is read again. */
  async documentAsWritten(p: Principal, doc: DocumentRow, withContent = true): Promise<DocumentView> {
    const department = (await this.repos.directory.department(doc.departmentId))!;
    const openTasks = await this.repos.tasks.openForDocument(doc.id);
    const decided = await this.repos.tasks.decidedForDocument(doc.id);
    const due = (await this.repos.deadlines.pendingDueFor([doc.id])).find((d) => d.stepKey === doc.state);
    return this.view(p, doc, department, openTasks, decided, due?.provisional ?? false, withContent);
  }

  /** A page of the documents the caller may see: five queries whatever the page size (no query per row). */
  async documents(p: Principal, filter: DocumentFilter, cursor: string | undefined, limit: number): Promise<Page<DocumentView>> {
    const rows = await this.repos.documents.listVisible(p, filter, decodeCursor(cursor, isUuid), limit + 1);
    const { rows: kept, nextCursor } = page(rows, limit, (d) => d.id);
    const ids = kept.map((d) => d.id);
    const openTasks = groupBy(await this.repos.tasks.openForDocuments(ids), (t) => t.documentId);
    const decided = groupBy(await this.repos.tasks.decidedForDocuments(ids), (t) => t.documentId);
    const dues = await this.repos.deadlines.pendingDueFor(ids);
    const departments = new Map<string, DepartmentRow>();
    for (const departmentId of new Set(kept.map((d) => d.departmentId))) departments.set(departmentId, (await this.repos.directory.department(departmentId))!);
    const items: DocumentView[] = [];
    for (const doc of kept) {
      const due = dues.find((d) => d.documentId === doc.id && d.stepKey === doc.state);
      items.push(await this.view(p, doc, departments.get(doc.departmentId)!, openTasks.get(doc.id) ?? [], decided.get(doc.id) ?? [], due?.provisional ?? false, false));
    }
    return { items, nextCursor };
  }

  private async view(
    p: Principal,
    doc: DocumentRow,
    department: DepartmentRow,
    openTasks: TaskRow[],
    decided: TaskRow[],
    dueProvisional: boolean,
    withContent: boolean,
  ): Promise<DocumentView> {
    const chain = await this.chains.get(this.repos, doc.chainKey, doc.chainVersion);
    const timing = { dueProvisional, ...planAhead(chain, doc.state, doc.year, this.planner, fieldsOf(doc)) };
    return documentView(doc, chain, openTasks, allowedActions(chain, doc, department, openTasks, p, reviewRoundOf(doc, decided)), withContent, timing);
  }

  async attachments(documentId: string) {
    return this.repos.attachments.forDocument(documentId);
  }

  /** Who a document was copied to (抄送), and by whom. */
  async copies(documentId: string) {
    return { items: await this.repos.copies.of(documentId) };
  }

  async history(p: Principal, id: string) {
    const doc = await this.visibleDocument(p, id);
    const rows = await this.repos.audit.forDocument(doc.id, 'transition');
    return {
      items: rows.map(entryFromRow).map((e) => ({
        seq: e.seq,
        at: e.at,
        actor: e.actor,
        action: e.action,
        from: e.from,
        to: e.to,
        comment: (e.details.comment as string | undefined) ?? null,
        details: e.details,
      })),
    };
  }

  /**
   * A document's timeline for supervisors: every transition (actor, role, on whose behalf,
   * comment) and every stay in a step with its duration and whether it met the step's deadline.
   */
  async timeline(p: Principal, id: string) {
    const doc = await this.visibleDocument(p, id);
    const chain = await this.chains.get(this.repos, doc.chainKey, doc.chainVersion);
    const entries = (await this.repos.audit.forDocument(doc.id, 'transition')).map(entryFromRow);
    const stays = stepStays(entries, await this.repos.deadlines.forDocument(doc.id), chain, this.clock.now());
    const transitions = entries.map((e) => ({
      seq: e.seq,
      at: e.at,
      action: e.action,
      result: e.result,
      from: e.from,
      to: e.to,
      actor: e.actor,
      comment: (e.details.comment as string | undefined) ?? null,
    }));
    return { documentId: doc.id, state: doc.state, transitions, stays };
  }

  async diagram(p: Principal, id: string) {
    const doc = await this.visibleDocument(p, id);
    const chain = await this.chains.get(this.repos, doc.chainKey, doc.chainVersion);
    return { format: 'mermaid' as const, source: toMermaid(chain.definition, doc.state) };
  }

  /** A chain version as a Mermaid statechart (no document position). */
  async chainDiagram(key: string, version: number) {
    if (!(await this.repos.chains.get(key, version))) throw notFound('chain version');
    const chain = await this.chains.get(this.repos, key, version);
    return { format: 'mermaid' as const, source: toMermaid(chain.definition) };
  }

  async inbox(p: Principal, status: 'open' | 'done', cursor: string | undefined, limit: number): Promise<Page<TaskView>> {
    const rows = await this.repos.tasks.inbox(p, status, decodeCursor(cursor, isUuid), limit + 1);
    const { rows: kept, nextCursor } = page(rows, limit, (t) => t.id);
    // One query: the page's tasks with their document's title and chain version (compiled chains are cached).
    const items: TaskView[] = [];
    for (const t of kept) items.push(taskView(t, await this.chains.get(this.repos, t.chainKey, t.chainVersion)));
    return { items, nextCursor };
  }

  async task(p: Principal, id: string): Promise<TaskView> {
    const task = await this.repos.tasks.get(id);
    if (!task || !(await this.repos.documents.isVisible(p, task.documentId))) throw notFound('task');
    const doc = (await this.repos.documents.get(task.documentId))!;
    return taskView(task, await this.chains.get(this.repos, doc.chainKey, doc.chainVersion));
  }

  /** A task as its decider saw it, whether or not it is still theirs (an idempotent replay of a delegation). */
  async describeTaskById(id: string): Promise<TaskView> {
    const task = await this.repos.tasks.get(id);
    if (!task) throw notFound('task');
    return this.describeTask(task);
  }

  async describeTask(task: TaskRow): Promise<TaskView> {
    const doc = (await this.repos.documents.get(task.documentId))!;
    return taskView(task, await this.chains.get(this.repos, doc.chainKey, doc.chainVersion));
  }

  /** Every department's name and office: not confidential inside the organisation, and every screen names them. */
  async departments(): Promise<{ items: DepartmentRow[] }> {
    return { items: await this.repos.directory.departments() };
  }

  async notifications(p: Principal, unreadOnly: boolean, cursor: string | undefined, limit: number) {
    const rows = await this.repos.notifications.forUser(p.id, unreadOnly, decodeCursor(cursor, isUuid), limit + 1);
    const { rows: items, nextCursor } = page(rows, limit, (n) => n.id);
    return { items, nextCursor };
  }

  /** Supervisors read the entries of the departments they oversee; global admins read all. */
  async auditEntries(p: Principal, filter: Omit<AuditFilter, 'departmentIds'>, cursor: string | undefined, limit: number) {
    const scope = await this.auditScope(p);
    const before = decodeCursor(cursor, (k) => /^[1-9]\d{0,9}$/.test(k) && Number(k) <= MAX_INT);
    const rows = await this.repos.audit.search({ ...filter, departmentIds: scope }, before === null ? null : Number(before), limit + 1);
    const { rows: kept, nextCursor } = page(rows, limit, (r) => r.seq);
    return { items: kept.map(entryFromRow), nextCursor };
  }

  async verifyAudit(p: Principal): Promise<VerifyResult> {
    await this.auditScope(p);
    return this.audit.verify(this.repos);
  }

  /** Signed checkpoints of the chain head, oldest first, with the key that signs new ones. */
  async checkpoints(p: Principal, signer: { publicKey: string; keyId: string }) {
    await this.auditScope(p);
    return { keyId: signer.keyId, publicKey: signer.publicKey, items: await this.repos.checkpoints.all() };
  }

  async verifyCheckpoint(p: Principal, checkpoint: Checkpoint) {
    await this.auditScope(p);
    return this.audit.verifyCheckpoint(this.repos, checkpoint);
  }

  /** Entries oldest first, filtered like the search and limited to the caller's scope, a batch at a time. */
  async *auditExport(p: Principal, filter: Omit<AuditFilter, 'departmentIds'>): AsyncGenerator<AuditEntry[]> {
    const scope = await this.auditScope(p);
    for (let after = 0; ; ) {
      const rows = await this.repos.audit.scan({ ...filter, departmentIds: scope }, after, EXPORT_BATCH);
      if (!rows.length) return;
      yield rows.map(entryFromRow);
      after = rows[rows.length - 1].seq;
    }
  }

  async chainList() {
    const rows = await this.repos.chains.latestOfEach();
    return { items: rows.map((r) => ({ key: r.chainKey, name: r.name, latestVersion: r.version })) };
  }

  async chainVersion(key: string, version: number) {
    const row = Number.isSafeInteger(version) && version > 0 && version <= MAX_INT ? await this.repos.chains.get(key, version) : undefined;
    if (!row) throw notFound(`chain ${key} version ${version}`);
    return { key: row.chainKey, version: row.version, name: row.name, definition: row.definition, createdAt: row.createdAt };
  }

  /** For choosing a delegate: users of the caller's departments (all, for a global admin). */
  async users(p: Principal, filter: { role?: Role; departmentId?: string }) {
    const departmentIds = isGlobalAdmin(p) ? ('all' as const) : [...new Set(p.grants.map((g) => g.departmentId).filter((d): d is string => !!d))];
    const users = await this.repos.directory.users({ ...filter, departmentIds });
    return { items: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.grants })) };
  }

  private async visibleDocument(p: Principal, id: string): Promise<DocumentRow> {
    const doc = isUuid(id) ? await this.repos.documents.get(id) : undefined;
    if (!doc || !(await this.repos.documents.isVisible(p, id))) {
      throw new AccessDenied(ErrorCode.NOT_FOUND, 'document not found', { action: 'read', documentId: id });
    }
    return doc;
  }

  private async auditScope(p: Principal): Promise<string[] | undefined> {
    if (isGlobalAdmin(p)) return undefined;
    const supervised = p.grants.filter((g) => g.role === 'supervisor' && g.departmentId).map((g) => g.departmentId as string);
    if (!supervised.length) throw new AccessDenied(ErrorCode.FORBIDDEN, 'only supervisors and administrators read the audit log', { action: 'read-audit' });
    return this.repos.directory.supervisedScope(supervised);
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
