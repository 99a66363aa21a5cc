import { AUDIT_PROJECTIONS, auditTableBody, comparableExpression, projectionOf } from '../audit-projection.js';
import type { Sql } from '../sql.js';
import { entriesOfDocument, isLastOfRow, itemsOf, lastListed, NOT_LISTED } from './document-items.js';

/** What the log stores of an entry: its hashed text and its hash (the other columns are generated from the text). */
export interface AuditText {
  seq: number;
  canonical: string;
  hash: string;
}

/** Consecutive entries in one piece (see AuditEntriesRepository.textRun). */
export interface AuditTextRun {
  firstSeq: number;
  count: number;
  texts: Uint8Array;
  hashes: string;
}

/** One stored audit entry, column for column (all but seq, canonical and hash generated from the text). */
export interface AuditRow {
  seq: number;
  at: string;
  category: string;
  action: string;
  result: string;
  actorType: string;
  actorId: string;
  actorRole: string | null;
  actorDepartmentId: string | null;
  actorOnBehalfOf: string | null;
  departmentId: string | null;
  documentId: string | null;
  fromState: string | null;
  toState: string | null;
  details: string;
  prevHash: string;
  hash: string;
  canonical: string;
}

export interface AuditFilter {
  documentId?: string;
  actorId?: string;
  departmentId?: string;
  action?: string;
  category?: string;
  from?: string;
  to?: string;
  /** Restrict to entries of these departments (supervisors' scope); undefined means all. */
  departmentIds?: string[];
}

const COLUMNS = `seq, at, category, action, result, actor_type, actor_id, actor_role, actor_department_id, actor_on_behalf_of,
  department_id, document_id, from_state, to_state, details, prev_hash, hash, canonical`;

type RawAudit = Record<string, string | number | null>;

/** An entry written by a PostgreSQL transaction, waiting in the intake for the sequencer to give it a seq and hash. */
export type PendingAuditRow = Omit<AuditRow, 'seq' | 'prevHash' | 'hash' | 'canonical'> & { id: number };

const INTAKE_COLUMNS = `at, category, action, result, actor_type, actor_id, actor_role, actor_department_id, actor_on_behalf_of,
  department_id, document_id, from_state, to_state, details`;

/** An intake entry's columns, in INTAKE_COLUMNS order. */
const contentOf = (row: Omit<PendingAuditRow, 'id'>) => [
  row.at,
  row.category,
  row.action,
  row.result,
  row.actorType,
  row.actorId,
  row.actorRole,
  row.actorDepartmentId,
  row.actorOnBehalfOf,
  row.departmentId,
  row.documentId,
  row.fromState,
  row.toState,
  row.details,
];

/** The transaction-scoped advisory lock that makes one sequencer at a time (6962 is the tree extender's). */
const SEQUENCER_LOCK = 6963;

const toRow = (r: RawAudit): AuditRow => ({
  seq: Number(r.seq),
  at: r.at as string,
  category: r.category as string,
  action: r.action as string,
  result: r.result as string,
  actorType: r.actor_type as string,
  actorId: r.actor_id as string,
  actorRole: r.actor_role as string | null,
  actorDepartmentId: r.actor_department_id as string | null,
  actorOnBehalfOf: r.actor_on_behalf_of as string | null,
  departmentId: r.department_id as string | null,
  documentId: r.document_id as string | null,
  fromState: r.from_state as string | null,
  toState: r.to_state as string | null,
  details: r.details as string,
  prevHash: r.prev_hash as string,
  hash: r.hash as string,
  canonical: r.canonical as string,
});

/** A document's last transition entry as the kernel holds its row against it (seq null: still in PostgreSQL's intake). */
export interface LastTransition {
  seq: number | null;
  to: string | null;
  version: number | undefined;
  openTasks: string | undefined;
}

/**
 * A join giving each row of `documents d` its last transition entry as `la` (seq, to_state,
 * details), one indexed read. On PostgreSQL one still in the intake is the last (seq null): the
 * document's row lock orders its entries, and a pending one is newer than any sequenced one; one
 * statement, so the sequencer moving it meanwhile cannot hide it. `category || ''`: by the
 * (document_id, seq) index (on the category index SQLite walked every newer transition).
 */
export function lastTransitionJoin(kind: Sql['kind']): string {
  // SQLite: the last seq its row lists (migration 1766900000000). `la_listed` tells one that is not the
  // document's transition entry (a list changed by hand) from none: the door then sees a state of null.
  if (kind !== 'postgres') {
    return `LEFT JOIN audit_entries la ON ${isLastOfRow('entry', 'la', 'd')}`;
  }
  return `LEFT JOIN LATERAL (SELECT seq, to_state, details FROM (
      (SELECT NULL::bigint AS seq, to_state, details, 1 AS pending FROM audit_intake WHERE document_id = d.id AND category = 'transition' ORDER BY id DESC LIMIT 1)
      UNION ALL (SELECT seq, to_state, details, 0 FROM audit_entries WHERE document_id = d.id AND category || '' = 'transition' ORDER BY seq DESC LIMIT 1)
    ) t ORDER BY pending DESC LIMIT 1) la ON TRUE`;
}

/** The columns of lastTransitionJoin's entry that lastTransitionOfRow reads. */
export function lastTransitionColumns(kind: Sql['kind']): string {
  const listed = kind === 'postgres' ? '' : `, ${lastListed('entry', 'd')} AS la_listed`;
  return `la.seq AS la_seq, la.to_state AS la_to, la.details AS la_details${listed}`;
}

/** The `la` columns of lastTransitionJoin, read back; undefined when the document has no transition entry. */
export function lastTransitionOfRow(r: { la_seq: unknown; la_to: unknown; la_details: unknown; la_listed?: unknown }): LastTransition | undefined {
  if (r.la_details === null || r.la_details === undefined) {
    return r.la_listed === null || r.la_listed === undefined ? undefined : { seq: Number(r.la_listed), to: null, version: undefined, openTasks: undefined };
  }
  return { seq: r.la_seq === null ? null : Number(r.la_seq), to: r.la_to as string | null, ...loggedOf(r.la_details as string) };
}

/** The document version and the open tasks' digest a transition entry recorded in its details, when it recorded them. */
function loggedOf(details: string | number | null): { version: number | undefined; openTasks: string | undefined } {
  if (details === null) return { version: undefined, openTasks: undefined };
  const { version, openTasks } = JSON.parse(details as string) as { version?: unknown; openTasks?: unknown };
  return { version: typeof version === 'number' ? version : undefined, openTasks: typeof openTasks === 'string' ? openTasks : undefined };
}

export class AuditEntriesRepository {
  /** Entries this transaction put in the intake: after commit the writer wakes the sequencer. */
  enqueued = 0;

  constructor(private readonly sql: Sql) {}

  /** PostgreSQL: the entry waits unsequenced; this transaction takes no lock another one needs. */
  async enqueue(row: Omit<PendingAuditRow, 'id'>): Promise<void> {
    await this.sql.run(`INSERT INTO audit_intake (${INTAKE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, contentOf(row));
    this.enqueued++;
  }

  /**
   * The log's first entry (its action and details), or, on PostgreSQL, the first one still in the
   * intake: what names the log's suite. Undefined for an empty log.
   */
  async firstEntry(): Promise<{ action: string; details: string } | undefined> {
    const logged = 'SELECT action, details FROM audit_entries WHERE seq = 1';
    if (this.sql.kind !== 'postgres') return this.sql.one<{ action: string; details: string }>(logged);
    // One statement: the sequencer moving the first entry meanwhile cannot make the log look empty.
    return this.sql.one<{ action: string; details: string }>(
      `SELECT action, details FROM ((${logged.replace('details FROM', 'details, 0 AS o FROM')}) UNION ALL (SELECT action, details, 1 FROM audit_intake ORDER BY id LIMIT 1)) t ORDER BY o LIMIT 1`,
    );
  }

  /**
   * Held by the sequencer until its commit: one sequencer at a time, across processes. A holder
   * that hangs (a half-open connection) holds up every caller waiting on a batch for 5 s at most:
   * then the wait fails, the callers' answers go out and their entries wait for the next batch.
   */
  async lockSequencer(): Promise<void> {
    await this.sql.run("SET LOCAL lock_timeout = '5s'");
    await this.sql.one(`SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK}) AS locked`);
  }

  /**
   * The oldest committed entries of the intake. Ids are taken when a transaction inserts, not when it
   * commits, so one with a smaller id may still show up later: it is sequenced then, after these.
   */
  async pending(limit: number): Promise<PendingAuditRow[]> {
    const rows = await this.sql.all<RawAudit>(`SELECT id, ${INTAKE_COLUMNS} FROM audit_intake ORDER BY id LIMIT ?`, [limit]);
    return rows.map((r) => {
      const { seq: _s, prevHash: _p, hash: _h, canonical: _c, ...row } = toRow({ ...r, seq: 0 });
      return { id: Number(r.id), ...row };
    });
  }

  /** Whether any entry waits to be sequenced (PostgreSQL; SQLite's intake stays empty). */
  async anyPending(): Promise<boolean> {
    return (await this.sql.one('SELECT 1 AS one FROM audit_intake LIMIT 1')) !== undefined;
  }

  /** The sequencer's batch: entries in seq order into the log (one statement), the head moved to the last. */
  async appendSequenced(rows: AuditText[]): Promise<void> {
    await this.sql.run('INSERT INTO audit_entries (seq, canonical, hash) SELECT * FROM unnest(?::int[], ?::text[], ?::text[])', [
      rows.map((r) => r.seq),
      rows.map((r) => r.canonical),
      rows.map((r) => r.hash),
    ]);
    const last = rows[rows.length - 1];
    await this.sql.run('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1', [last.seq, last.hash]);
  }

  /** The intake rows the sequencer just moved into the log (exactly those: others may have committed meanwhile). */
  async removePending(ids: number[]): Promise<void> {
    await this.sql.run('DELETE FROM audit_intake WHERE id = ANY(?::bigint[])', [ids]);
  }

  /** The chain head. On PostgreSQL it is locked until commit, so concurrent appends cannot fork the chain. */
  async lockHead(): Promise<{ seq: number; hash: string }> {
    const lock = this.sql.kind === 'postgres' ? ' FOR UPDATE' : '';
    const r = await this.sql.one<{ seq: number; hash: string }>(`SELECT seq, hash FROM audit_head WHERE id = 1${lock}`);
    if (!r) throw new Error('audit_head row is missing');
    return { seq: Number(r.seq), hash: r.hash };
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const r = await this.sql.one<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
    return { seq: Number(r?.seq ?? 0), hash: r?.hash ?? '' };
  }

  /**
   * The head with the last entry, the last checkpoint and the largest signed tree head, read in one
   * statement (one snapshot): in an honest log the head is the last entry and nothing signed lies beyond it.
   */
  async headState(): Promise<{ seq: number; hash: string; lastSeq: number; lastCheckpointSeq: number; lastTreeHeadSize: number }> {
    const r = await this.sql.one<Record<string, string | number | null>>(
      `SELECT h.seq, h.hash, (SELECT MAX(seq) FROM audit_entries) AS last_seq, (SELECT MAX(seq) FROM audit_checkpoints) AS last_checkpoint_seq,
        (SELECT MAX(tree_size) FROM audit_tree_heads) AS last_tree_head_size FROM audit_head h WHERE h.id = 1`,
    );
    return {
      seq: Number(r?.seq ?? 0),
      hash: (r?.hash as string) ?? '',
      lastSeq: Number(r?.last_seq ?? 0),
      lastCheckpointSeq: Number(r?.last_checkpoint_seq ?? 0),
      lastTreeHeadSize: Number(r?.last_tree_head_size ?? 0),
    };
  }

  /**
   * SQLite: appends the entry after `head` when the head is still there (another process may have
   * appended since this one last looked), the head following by trigger (migration 1766500000000).
   * False when the head has moved: nothing is written.
   */
  async append(head: { seq: number; hash: string }, row: AuditText): Promise<boolean> {
    return (
      (await this.sql.run('INSERT INTO audit_entries (seq, canonical, hash) SELECT ?, ?, ? FROM audit_head WHERE id = 1 AND seq = ? AND hash = ?', [
        row.seq,
        row.canonical,
        row.hash,
        head.seq,
        head.hash,
      ])) === 1
    );
  }

  /** Texts and hashes in chain order after `afterSeq`: the verifier's walk (no projection is read). */
  async texts(afterSeq: number, limit: number): Promise<AuditText[]> {
    const rows = await this.sql.all<{ seq: number | string; canonical: string; hash: string }>('SELECT seq, canonical, hash FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?', [afterSeq, limit]);
    return rows.map((r) => ({ seq: Number(r.seq), canonical: r.canonical, hash: r.hash }));
  }

  /**
   * The entries in (afterSeq, lastSeq] in one row: verify's fast walk (libs/audit/log-walk.ts) reads
   * a run so, a row per entry costing it more than their hashing. `texts` is their UTF-8 texts, a
   * newline between two, `hashes` their hashes end to end, both in one order. Null when the run is
   * not whole (an entry missing) or holds a row it cannot be judged on so: a hash that is not 64
   * characters (it would shift where the next begins in the hashes end to end: two rows could share
   * their characters out), on SQLite a value stored as another type than text. The careful walk then
   * names what is wrong.
   */
  async textRun(afterSeq: number, lastSeq: number): Promise<AuditTextRun | null> {
    const row =
      this.sql.kind === 'sqlite'
        ? // Both aggregates read one scan of the primary key, so in seq order (not promised by SQLite: a
          // run out of order fails the walk, whose careful walk then finds the log whole).
          await this.sql.one<{ n: number; first: number; last: number; odd: number; texts: Uint8Array; hashes: string }>(
            `SELECT count(*) AS n, min(seq) AS first, max(seq) AS last, sum(CASE WHEN length(hash) <> 64 OR typeof(hash) <> 'text' OR typeof(canonical) <> 'text' THEN 1 ELSE 0 END) AS odd,
              CAST(group_concat(canonical, char(10)) AS BLOB) AS texts, group_concat(hash, '') AS hashes FROM audit_entries WHERE seq > ? AND seq <= ?`,
            [afterSeq, lastSeq],
          )
        : // Text, not bytea: its hex form doubled what crossed the socket and took longer to decode than the UTF-8 to encode again.
          await this.sql.one<{ n: number; first: string; last: string; odd: number; texts: string; hashes: string }>(
            `SELECT count(*)::int AS n, min(seq) AS first, max(seq) AS last, sum(CASE WHEN length(hash) <> 64 THEN 1 ELSE 0 END)::int AS odd,
              string_agg(canonical, E'\\n' ORDER BY seq) AS texts, string_agg(hash, '' ORDER BY seq) AS hashes FROM audit_entries WHERE seq > ? AND seq <= ?`,
            [afterSeq, lastSeq],
          );
    if (!row || Number(row.n) !== lastSeq - afterSeq || Number(row.first) !== afterSeq + 1 || Number(row.last) !== lastSeq || Number(row.odd) !== 0) return null;
    return { firstSeq: afterSeq + 1, count: lastSeq - afterSeq, texts: typeof row.texts === 'string' ? Buffer.from(row.texts) : row.texts, hashes: row.hashes };
  }

  /**
   * The first column of the audit table that is not the projection of the text it was declared as
   * (a table rebuilt with plain columns could show what was never hashed), or undefined.
   */
  async projectionDrift(): Promise<string | undefined> {
    if (this.sql.kind === 'sqlite') {
      const table = await this.sql.one<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'audit_entries'");
      const body = table?.sql.slice(table.sql.indexOf('(')).replace(/\s+/g, ' ');
      if (body === auditTableBody('sqlite')) return undefined;
      const column = AUDIT_PROJECTIONS.find(([name, path]) => !body?.includes(`${name} TEXT GENERATED ALWAYS AS (${projectionOf('sqlite', path, name === 'details')}) VIRTUAL`));
      return column ? `column ${column[0]} is not generated from the hashed text` : 'the table is not defined as shipped';
    }
    const columns = await this.sql.all<{ column_name: string; is_generated: string; generation_expression: string | null }>(
      "SELECT column_name, is_generated, generation_expression FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_entries'",
    );
    const declared = new Map(columns.map((c) => [c.column_name, c]));
    for (const [name, path] of AUDIT_PROJECTIONS) {
      const c = declared.get(name);
      const wanted = comparableExpression(projectionOf('postgres', path, name === 'details'));
      if (c?.is_generated !== 'ALWAYS' || comparableExpression(c.generation_expression ?? '') !== wanted) return `column ${name} is not generated from the hashed text`;
    }
    return undefined;
  }

  /** Entries in chain order after `afterSeq`: the verifier's walk. */
  async range(afterSeq: number, limit: number): Promise<AuditRow[]> {
    const rows = await this.sql.all<RawAudit>(`SELECT ${COLUMNS} FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit]);
    return rows.map(toRow);
  }

  /** Newest first, keyset-paged on seq. */
  async search(filter: AuditFilter, beforeSeq: number | null, limit: number): Promise<AuditRow[]> {
    return this.select(filter, beforeSeq === null ? null : ['seq < ?', beforeSeq], 'DESC', limit);
  }

  /** Oldest first after `afterSeq`, filtered like the search: an export's batches. */
  async scan(filter: AuditFilter, afterSeq: number, limit: number): Promise<AuditRow[]> {
    return this.select(filter, ['seq > ?', afterSeq], 'ASC', limit);
  }

  private async select(filter: AuditFilter, keyset: [string, number] | null, order: 'ASC' | 'DESC', limit: number): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    // One document's entries are a table of their own (on SQLite its transitions are found through its row).
    let source = 'audit_entries';
    if (filter.documentId) {
      const entries = entriesOfDocument(this.sql.kind);
      source = `(${entries.sql}) audit_entries`;
      params.push(...Array(entries.parameters).fill(filter.documentId));
    }
    if (filter.actorId) where.push('actor_id = ?'), params.push(filter.actorId);
    if (filter.departmentId) where.push('department_id = ?'), params.push(filter.departmentId);
    if (filter.action) where.push('action = ?'), params.push(filter.action);
    if (filter.category) where.push('category = ?'), params.push(filter.category);
    if (filter.from || filter.to) {
      // Pages are in seq order, so a time range alone would walk the seq index through every
      // newer entry. Its seq bounds come first, from the (at, seq) index; the time conditions
      // stay, so the result is exact even where a clock stepped back.
      const range = [filter.from ? 'at >= ?' : '', filter.to ? 'at < ?' : ''].filter(Boolean).join(' AND ');
      const bounds = [filter.from, filter.to].filter((b) => b !== undefined);
      const span = await this.sql.one<{ lo: number | string | null; hi: number | string | null }>(
        // `seq + 0`: PostgreSQL would answer MIN/MAX(seq) by walking the primary key from either end
        // through every newer entry; on an expression it reads the range from the (at, seq) index.
        `SELECT MIN(seq + 0) AS lo, MAX(seq + 0) AS hi FROM audit_entries WHERE ${range}`,
        bounds,
      );
      if (span?.lo === null || span?.lo === undefined) return [];
      where.push(range, 'seq >= ?', 'seq <= ?'), params.push(...bounds, Number(span.lo), Number(span.hi));
    }
    if (filter.departmentIds) {
      if (!filter.departmentIds.length) return [];
      where.push(`department_id IN (${filter.departmentIds.map(() => '?').join(', ')})`);
      params.push(...filter.departmentIds);
    }
    if (keyset) where.push(keyset[0]), params.push(keyset[1]);
    const rows = await this.sql.all<RawAudit>(
      `SELECT ${COLUMNS} FROM ${source} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${order} LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toRow);
  }

  /**
   * When one actor last took one action on one document, among the document's entries (SQLite: the
   * ones its row lists and the others by the (document_id, seq) index). On PostgreSQL read backwards
   * on that index: `|| ''` keeps it from choosing the (action, seq) or (actor_id, seq) index instead,
   * which walk every urge, or every act of the user; an entry still in the intake counts too.
   */
  async lastTimeOf(documentId: string, actorId: string, action: string): Promise<string | undefined> {
    if (this.sql.kind !== 'postgres') {
      const entries = entriesOfDocument(this.sql.kind);
      const r = await this.sql.one<{ at: string }>(`SELECT at FROM (${entries.sql}) WHERE actor_id || '' = ? AND action || '' = ? ORDER BY seq DESC LIMIT 1`, [
        ...Array(entries.parameters).fill(documentId),
        actorId,
        action,
      ]);
      return r?.at;
    }
    const logged = (pending: string) => `SELECT at${pending} FROM audit_entries WHERE document_id = ? AND actor_id || '' = ? AND action || '' = ? ORDER BY seq DESC LIMIT 1`;
    const r = await this.sql.one<{ at: string }>(
      `SELECT at FROM ((SELECT at, 1 AS pending FROM audit_intake WHERE document_id = ? AND actor_id = ? AND action = ? ORDER BY id DESC LIMIT 1)
        UNION ALL (${logged(', 0')})) t ORDER BY pending DESC LIMIT 1`,
      [documentId, actorId, action, documentId, actorId, action],
    );
    return r?.at;
  }

  /** The document's last transition entry: the state it left the document in, and the version when it says (one indexed read). */
  async lastTransitionOf(documentId: string): Promise<LastTransition | undefined> {
    const r = await this.sql.one<{ la_seq: unknown; la_to: unknown; la_details: unknown; la_listed?: unknown }>(
      `SELECT ${lastTransitionColumns(this.sql.kind)} FROM documents d ${lastTransitionJoin(this.sql.kind)} WHERE d.id = ?`,
      [documentId],
    );
    return r && lastTransitionOfRow(r);
  }

  /** Documents after `afterId` (by id, `limit` of them) with their last transition entry, for verify. */
  async documentsWithLastTransition(
    afterId: string,
    limit: number,
  ): Promise<{ id: string; state: string; version: number; seq: number | null; to: string | null; logged: { version: number | undefined; openTasks: string | undefined } }[]> {
    // PostgreSQL: the last sequenced entry (verify reads the log as sequenced). SQLite: the row's
    // list, which verify checks against the log itself (DocumentsRepository.listsDisagreeing).
    const last =
      this.sql.kind === 'postgres'
        ? `a.seq AS la_seq, a.to_state AS la_to, a.details AS la_details FROM documents d
          LEFT JOIN audit_entries a ON a.seq = (SELECT MAX(x.seq) FROM audit_entries x WHERE x.document_id = d.id AND x.category || '' = 'transition')`
        : `${lastTransitionColumns(this.sql.kind)} FROM documents d ${lastTransitionJoin(this.sql.kind)}`;
    const rows = await this.sql.all<RawAudit>(`SELECT d.id, d.state, d.version, ${last} WHERE d.id > ? ORDER BY d.id LIMIT ?`, [afterId, limit]);
    return rows.map((r) => {
      const entry = lastTransitionOfRow(r as { la_seq: unknown; la_to: unknown; la_details: unknown; la_listed?: unknown });
      return {
        id: r.id as string,
        state: r.state as string,
        version: Number(r.version),
        seq: entry ? entry.seq : null,
        to: entry ? entry.to : null,
        logged: { version: entry?.version, openTasks: entry?.openTasks },
      };
    });
  }

  /** A document's entries of one category, oldest first (SQLite: transitions through its row's list, the others by the partial index). */
  async forDocument(documentId: string, category: string): Promise<AuditRow[]> {
    const listed = this.sql.kind !== 'postgres' && category === 'transition';
    // `|| ''`: by the index by document, not the one by category (every entry of the category).
    const byIndex = `document_id = ? AND ${this.sql.kind === 'postgres' ? '' : `${NOT_LISTED} AND `}category || '' = ?`;
    const rows = await this.sql.all<RawAudit>(
      `SELECT ${COLUMNS} FROM (${listed ? `SELECT a.* FROM ${itemsOf(this.sql.kind, 'entry', 'a', '= ?')}` : `SELECT * FROM audit_entries WHERE ${byIndex}`}) e ORDER BY seq`,
      listed ? [documentId] : [documentId, category],
    );
    return rows.map(toRow);
  }
}
