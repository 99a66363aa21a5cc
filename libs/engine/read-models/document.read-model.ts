import { entryFromRow, type AuditTree, type ProofBundle, type TreeHead } from '@shenpi/audit';
import { toMermaid, type DiagramLanguage } from '@shenpi/chains';
import { AccessDenied, DomainError, ErrorCode, isUuid, type Clock, type Principal } from '@shenpi/domain';
import { Repositories, type Database, type DepartmentRow, type DocumentFilter, type DocumentRow, type TaskRow } from '@shenpi/persistence';
import type { ChainCatalog } from '../chain-catalog.js';
import type { DeadlinePlanner } from '../deadline-planner.port.js';
import { allowedActions } from '../document/access-rules.js';
import type { WrittenDocument } from '../document/document-kernel.js';
import { fieldsOf } from '../document/document-state.js';
import { reviewRoundOf } from '../document/separation-of-duties.js';
import { reachedAt, standing } from '../milestone-standing.js';
import { planAhead } from '../planning.js';
import { entersStep, stepStays } from '../timeline.js';
import { decodeCursor, documentView, page, type DocumentView, type Page } from '../views.js';
import { actorNames } from './actor-names.js';
import { redline } from './redline.js';

/** Documents as a caller may read them: the view with allowedActions, lists, history, timeline, diagram. On the read connection. */
export class DocumentReadModel {
  private readonly repos: Repositories;

  constructor(
    database: Database,
    private readonly chains: ChainCatalog,
    private readonly planner: DeadlinePlanner,
    private readonly clock: Clock,
    private readonly tree: AuditTree,
    /** Signs a tree head covering the log's end (a write, done by the engine), when the latest does not. */
    private readonly signTreeHead: () => Promise<TreeHead | null>,
    /** Puts entries committed so far into the audit log (PostgreSQL's sequencer): a history shows the caller's own decisions. */
    private readonly settleAudit: () => Promise<void>,
  ) {
    this.repos = new Repositories(database.reader);
  }

  async canSeeDocument(p: Principal, id: string): Promise<boolean> {
    return isUuid(id) && this.repos.documents.isVisible(p, id);
  }

  /** The task when the caller may see it (its document is visible to them), else undefined. */
  async visibleTask(p: Principal, taskId: string): Promise<TaskRow | undefined> {
    return isUuid(taskId) ? this.repos.tasks.visibleTo(p, taskId) : undefined;
  }

  async document(p: Principal, id: string, withContent = true): Promise<DocumentView> {
    return this.documentAsWritten(p, await this.visibleDocument(p, id), withContent);
  }

  /**
   * The view of a row as a committed transition wrote it: the caller just acted on it, so neither
   * it nor its visibility is read again, nor its department and tasks when the change gave them.
   */
  async documentAsWritten(p: Principal, doc: DocumentRow, withContent = true, written?: WrittenDocument): Promise<DocumentView> {
    const department = written?.department ?? (await this.repos.directory.department(doc.departmentId))!;
    const openTasks = written ? written.tasks.filter((t) => t.status === 'open') : await this.repos.tasks.openForDocument(doc.id);
    const decided = written ? written.tasks.filter((t) => t.status === 'done') : await this.repos.tasks.decidedForDocument(doc.id);
    return this.view(p, doc, department, openTasks, decided, withContent);
  }

  /** A page of the documents the caller may see: five queries whatever the page size (no query per row). */
  async documents(p: Principal, filter: DocumentFilter, cursor: string | undefined, limit: number): Promise<Page<DocumentView>> {
    const rows = await this.repos.documents.listVisible(p, filter, decodeCursor(cursor, isUuid), limit + 1);
    const { rows: kept, nextCursor } = page(rows, limit, (d) => d.id);
    const ids = kept.map((d) => d.id);
    const openTasks = groupBy(await this.repos.tasks.openForDocuments(ids), (t) => t.documentId);
    const decided = groupBy(await this.repos.tasks.decidedForDocuments(ids), (t) => t.documentId);
    const departments = new Map<string, DepartmentRow>();
    for (const departmentId of new Set(kept.map((d) => d.departmentId))) departments.set(departmentId, (await this.repos.directory.department(departmentId))!);
    const items: DocumentView[] = [];
    for (const doc of kept) {
      items.push(await this.view(p, doc, departments.get(doc.departmentId)!, openTasks.get(doc.id) ?? [], decided.get(doc.id) ?? [], false));
    }
    return { items, nextCursor };
  }

  private async view(
    p: Principal,
    doc: DocumentRow,
    department: DepartmentRow,
    openTasks: TaskRow[],
    decided: TaskRow[],
    withContent: boolean,
  ): Promise<DocumentView> {
    const chain = await this.chains.get(this.repos, doc.chainKey, doc.chainVersion);
    const timing = { dueProvisional: doc.dueProvisional, ...planAhead(chain, doc.state, doc.year, this.planner, this.clock.now(), fieldsOf(doc)) };
    return documentView(doc, chain, openTasks, allowedActions(chain, doc, department, openTasks, p, reviewRoundOf(doc, decided)), withContent, timing);
  }

  async attachments(documentId: string) {
    return this.repos.attachments.forDocument(documentId);
  }

  /** Who a document was copied to (抄送), and by whom. */
  async copies(documentId: string) {
    return { items: await this.repos.copies.of(documentId) };
  }

  /**
   * What the document said at version `v` (any version up to its present one: the text the last
   * create or edit at or before it wrote), who wrote that text and when; with `against`, the redline
   * from version `against` to `v`, of the title and the content.
   */
  async version(p: Principal, id: string, v: number, against?: number) {
    const doc = await this.visibleDocument(p, id);
    const first = await this.firstReadableVersion(p, doc);
    const at = async (version: number) => {
      // A reader who came to the document later (the office, a reviewer of another department, a copy)
      // reads the versions from the one it had when they could first read it.
      const text = version >= first && version <= doc.version ? await this.repos.contents.at(doc.id, version) : undefined;
      if (!text) throw new DomainError(ErrorCode.NOT_FOUND, `version ${version} of this document is not known to you`, { version, latest: doc.version });
      return text;
    };
    const text = await at(v);
    const base = against === undefined ? undefined : await at(against);
    const names = await this.repos.directory.names([text.createdBy], []);
    return {
      version: v,
      title: text.title,
      content: text.content,
      fields: text.fields,
      // The change that wrote this text, and the text before it (what a reviewer compares with).
      writtenAt: text.version,
      previousVersion: await this.repos.contents.before(doc.id, text.version),
      latestVersion: doc.version,
      at: text.createdAt,
      by: text.createdBy,
      people: names.people,
      ...(base ? { diff: { against: against!, title: redline(base.title, text.title), content: redline(base.content, text.content) } } : {}),
    };
  }

  /** The first version `p` could read: 1 for readers from the start, else the version the document had when their first task or copy came. */
  private async firstReadableVersion(p: Principal, doc: DocumentRow): Promise<number> {
    const department = (await this.repos.directory.department(doc.departmentId))!;
    const since = await this.repos.documents.readableSince(p, doc.id, department);
    if (since === null) return 1;
    if (since === undefined) return doc.version + 1;
    await this.settleAudit();
    const before = (await this.repos.audit.forDocument(doc.id, 'transition')).map(entryFromRow).filter((e) => e.at <= since);
    const version = before.at(-1)?.details.version;
    return typeof version === 'number' ? version : 1;
  }

  /** 抄送给我的: the documents copied to the caller (each readable by the copy), newest first, with who copied them by name. */
  async copiesReceived(p: Principal, cursor: string | undefined, limit: number) {
    const key = decodeCursor(cursor, (k) => /^\d{4}-\d{2}-\d{2}T[\d:.]+Z\|[0-9a-f-]{36}$/.test(k));
    const after = key ? { createdAt: key.slice(0, key.indexOf('|')), documentId: key.slice(key.indexOf('|') + 1) } : undefined;
    const rows = await this.repos.copies.toUser(p.id, after, limit + 1);
    const { rows: items, nextCursor } = page(rows, limit, (r) => `${r.createdAt}|${r.documentId}`);
    const { people } = await this.repos.directory.names([...new Set(items.map((r) => r.copiedBy))], []);
    return { items, nextCursor, people };
  }

  async history(p: Principal, id: string) {
    const doc = await this.visibleDocument(p, id);
    await this.settleAudit();
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
   * comment), every stay in a step with its duration and whether it met the step's deadline, and
   * how the document stands against each of its chain's milestones (as in the supervision overview).
   */
  async timeline(p: Principal, id: string) {
    const doc = await this.visibleDocument(p, id);
    const chain = await this.chains.get(this.repos, doc.chainKey, doc.chainVersion);
    await this.settleAudit();
    const entries = (await this.repos.audit.forDocument(doc.id, 'transition')).map(entryFromRow);
    const now = this.clock.now();
    const stays = stepStays(entries, await this.repos.deadlines.forDocument(doc.id), chain, now);
    const milestones = (chain.definition.milestones ?? []).map((m) => {
      const reached = reachedAt(entries.find((e) => entersStep(e) && e.to === m.step));
      return { ...standing(m.key, this.planner.fixedDateDue(m.before, doc.year), reached, now), name: m.name, step: m.step };
    });
    const transitions = entries.map((e) => ({
      seq: e.seq,
      at: e.at,
      action: e.action,
      result: e.result,
      from: e.from,
      to: e.to,
      actor: e.actor,
      comment: (e.details.comment as string | undefined) ?? null,
      // The document's version this transition left (GET …/versions/:v reads the text at it); null on entries that did not record one.
      version: typeof e.details.version === 'number' ? e.details.version : null,
    }));
    return { documentId: doc.id, state: doc.state, transitions, stays, milestones, ...(await actorNames(this.repos, entries)) };
  }

  /**
   * The document's history (its transition entries) with each entry's inclusion proof in one
   * signed tree head, for `shenpi audit verify-bundle`: checked offline with the service's key.
   */
  async proofBundle(p: Principal, id: string): Promise<ProofBundle> {
    const doc = await this.visibleDocument(p, id);
    await this.settleAudit();
    const rows = await this.repos.audit.forDocument(doc.id, 'transition');
    const last = rows.length ? rows[rows.length - 1].seq : 0;
    let head: TreeHead | null | undefined = await this.repos.tree.latestHead();
    if (!head || head.treeSize < last) head = await this.signTreeHead();
    if (!head || head.treeSize < last) throw new DomainError(ErrorCode.CONFLICT, 'the audit tree does not cover this document\'s history yet: try again shortly', { documentId: doc.id });
    const entries = [];
    for (const row of rows) {
      const { leafIndex, auditPath } = await this.tree.inclusion(this.repos, row.seq - 1, head.treeSize);
      entries.push({ entry: entryFromRow(row), leafIndex, auditPath });
    }
    return { v: 1, documentId: doc.id, treeHead: head, entries };
  }

  async diagram(p: Principal, id: string, lang: DiagramLanguage = 'zh') {
    const doc = await this.visibleDocument(p, id);
    const chain = await this.chains.get(this.repos, doc.chainKey, doc.chainVersion);
    return { format: 'mermaid' as const, source: toMermaid(chain.definition, doc.state, lang) };
  }

  private async visibleDocument(p: Principal, id: string): Promise<DocumentRow> {
    const doc = isUuid(id) ? await this.repos.documents.get(id) : undefined;
    if (!doc || !(await this.repos.documents.isVisible(p, id))) {
      throw new AccessDenied(ErrorCode.NOT_FOUND, 'document not found', { action: 'read', documentId: id });
    }
    return doc;
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
