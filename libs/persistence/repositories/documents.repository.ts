import { isGlobalAdmin, type Principal } from '@shenpi/domain';
import type { Sql } from '../sql.js';
import { lastTransitionColumns, lastTransitionJoin, lastTransitionOfRow, type LastTransition } from './audit-entries.repository.js';
import type { DepartmentRow } from './directory.repository.js';
import { heldBy, itemsOf, itemsOfRow, listsDisagreeing, type ItemKind } from './document-items.js';
import { liveTasksColumn, liveTasksOf, type TaskRow } from './tasks.repository.js';

/** What a document's row lists: task and timer ids, transition entries' seqs. */
type Listed = string | number;

export interface DocumentRow {
  id: string;
  chainKey: string;
  chainVersion: number;
  compilerVersion: number;
  departmentId: string;
  year: number;
  title: string;
  content: string;
  /** Document fields beyond title and content (the disclosure record; conditions read them later). */
  attributes: Record<string, unknown>;
  state: string;
  context: Record<string, unknown>;
  version: number;
  uniqueKey: string | null;
  dueAt: string | null;
  /** The due instant rests on a year whose official holiday arrangement is not known yet. */
  dueProvisional: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** The due instant of the step a document is in, as its row keeps it. */
export type StepDue = Pick<DocumentRow, 'dueAt' | 'dueProvisional'>;

export interface DocumentFilter {
  state?: string;
  chain?: string;
  year?: number;
  departmentId?: string;
}

const COLUMNS =
  'd.id, d.chain_key, d.chain_version, d.compiler_version, d.department_id, d.year, d.title, d.attributes, d.state, d.context, d.version, d.unique_key, d.due_at, d.due_provisional, d.created_by, d.created_at, d.updated_at';

/**
 * A document's present text: the last one its create or edits appended (document_contents). The row's
 * own `content` column is left empty, so that a decision, which rewrites the row, does not rewrite the
 * report with it (a report of some kilobytes spans overflow pages: every one of them went to the WAL).
 */
const CONTENT = '(SELECT dc.content FROM document_contents dc WHERE dc.document_id = d.id ORDER BY dc.version DESC LIMIT 1) AS content';

interface RawDocument {
  id: string;
  chain_key: string;
  chain_version: number;
  compiler_version: number;
  department_id: string;
  year: number;
  title: string;
  content?: string;
  attributes: string;
  state: string;
  context: string;
  version: number;
  unique_key: string | null;
  due_at: string | null;
  due_provisional: number | boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
}

const toDocument = (r: RawDocument): DocumentRow => ({
  id: r.id,
  chainKey: r.chain_key,
  chainVersion: Number(r.chain_version),
  compilerVersion: Number(r.compiler_version),
  departmentId: r.department_id,
  year: Number(r.year),
  title: r.title,
  content: r.content ?? '',
  attributes: JSON.parse(r.attributes),
  state: r.state,
  context: JSON.parse(r.context),
  version: Number(r.version),
  uniqueKey: r.unique_key,
  dueAt: r.due_at,
  dueProvisional: Number(r.due_provisional) === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/**
 * Who may read a document (API.md "Who sees and does what"), as one SQL predicate over `d`:
 * a role in its department, supervision of it or of its rule-of-law office, a task on it, or global admin.
 */
// A request checks visibility several times (guard, transaction, answer) with one principal.
const visibilityOf = { sqlite: new WeakMap<Principal, { sql: string; params: unknown[] }>(), postgres: new WeakMap<Principal, { sql: string; params: unknown[] }>() };

export function visibility(p: Principal, kind: Sql['kind']): { sql: string; params: unknown[] } {
  let v = visibilityOf[kind].get(p);
  if (!v) visibilityOf[kind].set(p, (v = visibilityClause(p, kind)));
  return v;
}

function visibilityClause(p: Principal, kind: Sql['kind']): { sql: string; params: unknown[] } {
  if (isGlobalAdmin(p)) return { sql: '1 = 1', params: [] };
  const departments = [...new Set(p.grants.map((g) => g.departmentId).filter((d): d is string => d !== null))];
  const supervised = p.grants.filter((g) => g.role === 'supervisor' && g.departmentId).map((g) => g.departmentId as string);
  const parts: string[] = [];
  const params: unknown[] = [];
  const list = (n: number) => Array(n).fill('?').join(', ');
  if (departments.length) parts.push(`d.department_id IN (${list(departments.length)})`), params.push(...departments);
  if (supervised.length) {
    parts.push(`d.department_id IN (SELECT id FROM departments WHERE office_id IN (${list(supervised.length)}))`);
    params.push(...supervised);
  }
  const tasks = taskClause(p);
  parts.push(`EXISTS (SELECT 1 FROM ${itemsOfRow(kind, 'task', 't', 'd')} AND ${tasks.sql})`), params.push(...tasks.params);
  // 抄送: a copy makes the document readable, nothing more.
  parts.push('EXISTS (SELECT 1 FROM document_copies c WHERE c.document_id = d.id AND c.user_id = ?)'), params.push(p.id);
  return { sql: `(${parts.join(' OR ')})`, params };
}

/** The tasks (as `t`) that let `p` read their document: theirs by name, decided or handed on by them, or their roles'. */
function taskClause(p: Principal): { sql: string; params: unknown[] } {
  const roleTasks = p.grants.filter((g) => g.departmentId).map(() => '(t.assignee_role = ? AND t.department_id = ?)');
  return {
    sql: `(t.assignee_user_id = ? OR t.decided_by = ? OR t.on_behalf_of = ? OR t.delegated_from = ?${roleTasks.length ? ` OR ${roleTasks.join(' OR ')}` : ''})`,
    params: [p.id, p.id, p.id, p.id, ...p.grants.filter((g) => g.departmentId).flatMap((g) => [g.role, g.departmentId])],
  };
}

export class DocumentsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Since when `p` may read a document of `department` (visibility above): null when from its start
   * (a global administrator, anyone holding a role in its department, a supervisor of the office it
   * reports to); else the earliest of the tasks and copies that let them read it (a reviewer of another
   * department, the rule-of-law office, a colleague it was copied to); undefined when none does.
   */
  async readableSince(p: Principal, documentId: string, department: Pick<DepartmentRow, 'id' | 'officeId'>): Promise<string | null | undefined> {
    if (isGlobalAdmin(p) || p.grants.some((g) => g.departmentId === department.id)) return null;
    if (department.officeId && p.grants.some((g) => g.role === 'supervisor' && g.departmentId === department.officeId)) return null;
    const tasks = taskClause(p);
    const r = await this.sql.one<{ since: string | null }>(
      `SELECT MIN(since) AS since FROM (
         SELECT MIN(t.created_at) AS since FROM ${itemsOf(this.sql.kind, 'task', 't', '= ?')} AND ${tasks.sql}
         UNION ALL SELECT c.created_at AS since FROM document_copies c WHERE c.document_id = ? AND c.user_id = ?) x`,
      [documentId, ...tasks.params, documentId, p.id],
    );
    return r?.since ?? undefined;
  }

  /** Where a document stands (its step and the machine's context), unlocked: enough to tell a stale timer. */
  async position(id: string): Promise<Pick<DocumentRow, 'state' | 'context'> | undefined> {
    const r = await this.sql.one<{ state: string; context: string }>('SELECT state, context FROM documents WHERE id = ?', [id]);
    return r && { state: r.state, context: JSON.parse(r.context) };
  }

  /** The row, unlocked: a change opens its document with `opened`. */
  async get(id: string): Promise<DocumentRow | undefined> {
    const r = await this.sql.one<RawDocument>(`SELECT ${COLUMNS}, ${CONTENT} FROM documents d WHERE d.id = ?`, [id]);
    return r && toDocument(r);
  }

  /**
   * A document as a change opens it, in one statement: the row (locked on PostgreSQL), its
   * department, whether `caller` may see it (null: the system, which sees everything), and its last
   * transition entry. On PostgreSQL the row stays locked until commit (SQLite's writer queue already
   * serialises); whatever else a transaction locks comes after the document, so no two transactions
   * wait on each other in opposite order. After waiting for the lock, the row is read afresh but the
   * rest as it was before the wait: a caller that finds them disagreeing asks again (see the kernel).
   * `by: 'task'`: `id` is one of its tasks (a decision names only its task: no read before this one),
   * and only a document the caller may see is read: on PostgreSQL no one locks a row they may not see
   * (their 404 never waits for another change's lock, nor makes a decision wait for theirs).
   */
  async opened(
    id: string,
    caller: Principal | null,
    by: 'document' | 'task' = 'document',
  ): Promise<{ doc: DocumentRow; department: DepartmentRow; visible: boolean; last: LastTransition | undefined; tasks: TaskRow[] | undefined; directoryVersion: number } | undefined> {
    const v = caller ? visibility(caller, this.sql.kind) : { sql: '1 = 1', params: [] };
    const forUpdate = this.sql.kind === 'postgres' ? ' FOR UPDATE OF d' : '';
    // PostgreSQL: whether the row this statement's snapshot saw is the row as locked (after any wait for the lock):
    // the same row version (xmin). Every change of a document's tasks writes its row (see touch).
    const seen = this.sql.kind === 'postgres' ? ', (SELECT s.xmin = d.xmin FROM documents s WHERE s.id = d.id) AS seen_fresh' : '';
    // By task, the caller's visibility is a condition of the read (a row comes back only when visible); by document, a column.
    const byTask = by === 'task';
    type Raw = RawDocument & { dep_name: string; dep_office_id: string | null; dep_issuer_code: string | null; visible: number | boolean; la_seq: unknown; la_to: unknown; la_details: unknown; la_listed?: unknown; live_tasks: string; seen_fresh?: boolean; directory_version: number | string };
    const r = await this.sql.one<Raw>(
      `SELECT ${COLUMNS}, ${CONTENT}, dep.name AS dep_name, dep.office_id AS dep_office_id, dep.issuer_code AS dep_issuer_code,
         ${byTask ? '1' : `CASE WHEN ${v.sql} THEN 1 ELSE 0 END`} AS visible, ${lastTransitionColumns(this.sql.kind)}, ${liveTasksColumn(this.sql.kind)}${seen},
         (SELECT version FROM directory_version WHERE id = 1) AS directory_version
       FROM documents d JOIN departments dep ON dep.id = d.department_id ${lastTransitionJoin(this.sql.kind)}
       WHERE d.id = ${byTask ? `(SELECT t.document_id FROM tasks t WHERE t.id = ?) AND ${v.sql}` : '?'}${forUpdate}`,
      byTask ? [id, ...v.params] : [...v.params, id],
    );
    if (!r) return undefined;
    const doc = toDocument(r);
    // A change that held the lock meanwhile changed the tasks too: the tasks this snapshot saw are stale (undefined: read them afresh).
    const waited = r.seen_fresh === false;
    return {
      doc,
      department: { id: r.department_id, name: r.dep_name, officeId: r.dep_office_id, issuerCode: r.dep_issuer_code },
      visible: Number(r.visible) === 1,
      last: lastTransitionOfRow(r),
      tasks: waited ? undefined : liveTasksOf(r.live_tasks),
      // Read with the row, so in this transaction: what the staffing may keep of the directory (HoldersCache).
      directoryVersion: Number(r.directory_version),
    };
  }

  /**
   * A change of the document's tasks that leaves its row as it was (a file added to a task) writes the
   * row anyway on PostgreSQL: a change waiting for the row's lock then knows to read the tasks afresh
   * (opened). SQLite's writer runs one change at a time, nothing waits there.
   */
  async touch(id: string): Promise<void> {
    if (this.sql.kind === 'postgres') await this.sql.run('UPDATE documents SET version = version WHERE id = ?', [id]);
  }

  /**
   * SQLite: each document whose row's list of tasks, of timers or of transition entries is not exactly
   * the rows its table holds for it (only a statement typed at the database makes one so), with both, for verify.
   * PostgreSQL keeps no lists.
   */
  async listsDisagreeing(): Promise<{ documentId: string; item: ItemKind; held: Listed[]; listed: Listed[] }[]> {
    if (this.sql.kind === 'postgres') return [];
    const found: { documentId: string; item: ItemKind; held: Listed[]; listed: Listed[] }[] = [];
    for (const item of ['task', 'timer', 'entry'] as const) {
      const wrong = await this.sql.all<{ document_id: string; listed: string }>(listsDisagreeing(item));
      // What the table holds for them: with no list to go by, a walk of the whole table per 500 documents.
      const held = new Map<string, Listed[]>(wrong.map((w) => [w.document_id, []]));
      for (let i = 0; i < wrong.length; i += 500) {
        const some = wrong.slice(i, i + 500).map((w) => w.document_id);
        for (const r of await this.sql.all<{ document_id: string; id: Listed }>(heldBy(item, some.length), some)) held.get(r.document_id)!.push(r.id);
      }
      for (const w of wrong) found.push({ documentId: w.document_id, item, held: held.get(w.document_id)!, listed: JSON.parse(w.listed) as Listed[] });
    }
    return found;
  }

  async isVisible(p: Principal, id: string): Promise<boolean> {
    const v = visibility(p, this.sql.kind);
    return (await this.sql.one(`SELECT 1 AS ok FROM documents d WHERE d.id = ? AND ${v.sql}`, [id, ...v.params])) !== undefined;
  }

  async insert(d: DocumentRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO documents (id, chain_key, chain_version, compiler_version, department_id, year, title, content, attributes, state,
         context, version, unique_key, due_at, due_provisional, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        d.id,
        d.chainKey,
        d.chainVersion,
        d.compilerVersion,
        d.departmentId,
        d.year,
        d.title,
        // The text lives in document_contents (appended by the create): the row stays small.
        '',
        JSON.stringify(d.attributes),
        d.state,
        JSON.stringify(d.context),
        d.version,
        d.uniqueKey,
        d.dueAt,
        d.dueProvisional ? 1 : 0,
        d.createdBy,
        d.createdAt,
        d.updatedAt,
      ],
    );
  }

  /** The optimistic-concurrency write: 0 rows means someone else changed the document first. */
  async updateIfVersion(
    d: Pick<DocumentRow, 'id' | 'state' | 'context' | 'title' | 'attributes' | 'updatedAt' | 'dueAt' | 'dueProvisional'>,
    expectedVersion: number,
  ): Promise<boolean> {
    // Not the text: an edit appends it to document_contents (a decision rewrites no report).
    const changed = await this.sql.run(
      `UPDATE documents SET state = ?, context = ?, title = ?, attributes = ?, updated_at = ?, due_at = ?, due_provisional = ?, version = version + 1
       WHERE id = ? AND version = ?`,
      [d.state, JSON.stringify(d.context), d.title, JSON.stringify(d.attributes), d.updatedAt, d.dueAt, d.dueProvisional ? 1 : 0, d.id, expectedVersion],
    );
    return changed === 1;
  }

  /** Moves a document onto another version of its chain (a migration), guarded like any change. */
  async moveToVersion(
    d: Pick<DocumentRow, 'id' | 'chainVersion' | 'compilerVersion' | 'state' | 'context' | 'attributes' | 'updatedAt' | 'dueAt' | 'dueProvisional'>,
    expectedVersion: number,
  ): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE documents SET chain_version = ?, compiler_version = ?, state = ?, context = ?, attributes = ?, updated_at = ?, due_at = ?, due_provisional = ?, version = version + 1
       WHERE id = ? AND version = ?`,
      [d.chainVersion, d.compilerVersion, d.state, JSON.stringify(d.context), JSON.stringify(d.attributes), d.updatedAt, d.dueAt, d.dueProvisional ? 1 : 0, d.id, expectedVersion],
    );
    return changed === 1;
  }

  /** Documents of a chain on a version older than `version`, oldest first: what a migration considers. */
  async onOlderVersions(chainKey: string, version: number): Promise<{ id: string; state: string; chainVersion: number }[]> {
    const rows = await this.sql.all<{ id: string; state: string; chain_version: number | string }>(
      'SELECT id, state, chain_version FROM documents WHERE chain_key = ? AND chain_version < ? ORDER BY id',
      [chainKey, version],
    );
    return rows.map((r) => ({ id: r.id, state: r.state, chainVersion: Number(r.chain_version) }));
  }

  /** The due instant of the step the document is in (null when it has none); not a change of the document. */
  async setDue(id: string, due: StepDue): Promise<void> {
    await this.sql.run('UPDATE documents SET due_at = ?, due_provisional = ? WHERE id = ?', [due.dueAt, due.dueProvisional ? 1 : 0, id]);
  }

  /** Newest first, keyset-paged on the time-ordered id. `content` is left out of lists. */
  async listVisible(p: Principal, filter: DocumentFilter, before: string | null, limit: number): Promise<DocumentRow[]> {
    const v = visibility(p, this.sql.kind);
    const where = [v.sql];
    const params = [...v.params];
    if (filter.state) where.push('d.state = ?'), params.push(filter.state);
    if (filter.chain) where.push('d.chain_key = ?'), params.push(filter.chain);
    if (filter.year !== undefined) where.push('d.year = ?'), params.push(filter.year);
    if (filter.departmentId) where.push('d.department_id = ?'), params.push(filter.departmentId);
    if (before) where.push('d.id < ?'), params.push(before);
    const rows = await this.sql.all<RawDocument>(
      `SELECT ${COLUMNS} FROM documents d WHERE ${where.join(' AND ')} ORDER BY d.id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toDocument);
  }

  /**
   * The supervision overview's rows: each department among `departmentIds` (every one for 'all')
   * that is not a rule-of-law office (no department reports to it), with its documents of a chain
   * and year; a department without one comes once, its document columns null. By department, then id.
   */
  async overviewRows(
    chainKey: string,
    year: number,
    departmentIds: string[] | 'all',
  ): Promise<{ departmentId: string; departmentName: string; documentId: string | null; chainVersion: number | null; title: string | null; state: string | null }[]> {
    if (departmentIds !== 'all' && !departmentIds.length) return [];
    const scope = departmentIds === 'all' ? '' : ` AND dep.id IN (${departmentIds.map(() => '?').join(', ')})`;
    const rows = await this.sql.all<{ department_id: string; department_name: string; document_id: string | null; chain_version: number | string | null; title: string | null; state: string | null }>(
      `SELECT dep.id AS department_id, dep.name AS department_name, d.id AS document_id, d.chain_version, d.title, d.state
       FROM departments dep
       LEFT JOIN documents d ON d.department_id = dep.id AND d.chain_key = ? AND d.year = ?
       WHERE NOT EXISTS (SELECT 1 FROM departments x WHERE x.office_id = dep.id)${scope}
       ORDER BY dep.id, d.id`,
      [chainKey, year, ...(departmentIds === 'all' ? [] : departmentIds)],
    );
    return rows.map((r) => ({
      departmentId: r.department_id,
      departmentName: r.department_name,
      documentId: r.document_id,
      chainVersion: r.chain_version === null ? null : Number(r.chain_version),
      title: r.title,
      state: r.state,
    }));
  }

  /**
   * Where these documents went and when: their successful transition entries that changed the state
   * (creation included; edits, reminders and other same-state entries left out), by document, oldest first.
   * Asked in batches of 500 ids, so a large overview stays a handful of queries.
   */
  async stateChanges(documentIds: string[]): Promise<{ documentId: string; seq: number; at: string; from: string | null; to: string }[]> {
    const out: { documentId: string; seq: number; at: string; from: string | null; to: string }[] = [];
    for (let i = 0; i < documentIds.length; i += 500) {
      const batch = documentIds.slice(i, i + 500);
      const rows = await this.sql.all<{ document_id: string; seq: number | string; at: string; from_state: string | null; to_state: string }>(
        `SELECT a.document_id, a.seq, a.at, a.from_state, a.to_state FROM ${itemsOf(this.sql.kind, 'entry', 'a', `IN (${batch.map(() => '?').join(', ')})`)}
           AND a.result = 'success' AND a.to_state IS NOT NULL AND (a.from_state IS NULL OR a.from_state <> a.to_state)
         ORDER BY a.document_id, a.seq`,
        batch,
      );
      for (const r of rows) out.push({ documentId: r.document_id, seq: Number(r.seq), at: r.at, from: r.from_state, to: r.to_state });
    }
    return out;
  }
}
