import type { Alarm } from '@shenpi/domain';
import type { Sql } from '../sql.js';
import { documentIdOf, itemsOf, ofDocument } from './document-items.js';

export type DeadlineKind = 'due' | 'reminder' | 'escalation' | 'auto-action';
export type DeadlineStatus = 'pending' | 'paused' | 'fired' | 'cancelled';

export interface DeadlineRow {
  id: string;
  documentId: string;
  taskId: string | null;
  stepKey: string;
  round: number;
  kind: DeadlineKind;
  fireAt: string;
  status: DeadlineStatus;
  provisional: boolean;
  payload: Record<string, unknown>;
  version: number;
  createdAt: string;
  firedAt: string | null;
}

const COLUMNS = 'id, document_id, task_id, step_key, round, kind, fire_at, status, provisional, payload, version, created_at, fired_at';
const X_COLUMNS = COLUMNS.split(', ').map((c) => `x.${c}`).join(', ');

type Raw = Record<string, string | number | null>;

const toRow = (r: Raw): DeadlineRow => ({
  id: r.id as string,
  documentId: r.document_id as string,
  taskId: r.task_id as string | null,
  stepKey: r.step_key as string,
  round: Number(r.round),
  kind: r.kind as DeadlineKind,
  fireAt: r.fire_at as string,
  status: r.status as DeadlineStatus,
  provisional: Number(r.provisional) === 1,
  payload: JSON.parse(r.payload as string),
  version: Number(r.version),
  createdAt: r.created_at as string,
  firedAt: r.fired_at as string | null,
});

export class DeadlinesRepository {
  constructor(
    private readonly sql: Sql,
    private readonly alarms: Alarm[] = [],
  ) {}

  /** A step's timers in one statement (a decision writes them together). */
  async insert(rows: DeadlineRow | DeadlineRow[]): Promise<void> {
    const all = Array.isArray(rows) ? rows : [rows];
    if (!all.length) return;
    for (const d of all) this.alarms.push({ kind: 'deadline', id: d.id, fireAt: d.fireAt, version: d.version });
    await this.sql.run(
      `INSERT INTO deadlines (${COLUMNS}) VALUES ${all.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      all.flatMap((d) => [d.id, d.documentId, d.taskId, d.stepKey, d.round, d.kind, d.fireAt, d.status, d.provisional ? 1 : 0, JSON.stringify(d.payload), d.version, d.createdAt, d.firedAt]),
    );
  }

  async get(id: string): Promise<DeadlineRow | undefined> {
    const r = await this.sql.one<Raw>(`SELECT ${COLUMNS} FROM deadlines WHERE id = ?`, [id]);
    return r && toRow(r);
  }

  /**
   * The claim that makes a duplicate delivery harmless: only one caller turns pending into fired,
   * and only the row as it was read (a pause or an extension that moved it meanwhile bumped its version).
   */
  async claim(row: Pick<DeadlineRow, 'id' | 'version'>, at: string): Promise<boolean> {
    return (await this.sql.run(`UPDATE deadlines SET status = 'fired', fired_at = ?, version = version + 1 WHERE id = ? AND version = ? AND status = 'pending'`, [at, row.id, row.version])) === 1;
  }

  /**
   * Moves a timer (pause, resume, extension): a new version, so a stale BullMQ job is told apart.
   * Guarded like a claim: false when the row was fired or moved since it was read.
   */
  async reschedule(row: DeadlineRow, status: 'pending' | 'paused', fireAt: string, provisional: boolean): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE deadlines SET status = ?, fire_at = ?, provisional = ?, version = version + 1 WHERE id = ? AND version = ? AND status = ?`,
      [status, fireAt, provisional ? 1 : 0, row.id, row.version, row.status],
    );
    if (changed === 1 && status === 'pending') this.alarms.push({ kind: 'deadline', id: row.id, fireAt, version: row.version + 1 });
    return changed === 1;
  }

  /** Cancels a step's pending and paused timers: a statutory clock started again (its stay goes on), or a step left with its clock paused. */
  async cancelPending(documentId: string, stepKey: string): Promise<number> {
    return this.sql.run(`UPDATE deadlines SET status = 'cancelled', version = version + 1 WHERE ${ofDocument(this.sql.kind, 'timer')} AND step_key = ? AND status IN ('pending', 'paused')`, [
      documentId,
      stepKey,
    ]);
  }

  /** A stale timer (its stay in the step is over), found when it came due: it will never fire. */
  async cancelStale(id: string): Promise<boolean> {
    return (await this.sql.run(`UPDATE deadlines SET status = 'cancelled', version = version + 1 WHERE id = ? AND status IN ('pending', 'paused')`, [id])) === 1;
  }

  /** Pending rows due at or before `until`, oldest first: what the poller and the reconciler fire. */
  async due(until: string, limit: number): Promise<DeadlineRow[]> {
    const rows = await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM deadlines WHERE status = 'pending' AND fire_at <= ? ORDER BY fire_at, id LIMIT ?`, [until, limit]);
    return rows.map(toRow);
  }

  /**
   * Pending rows after `afterId` in id order, of steps their documents are in: the reconciler's walk
   * over what is still to fire. A step left leaves its timers pending and stale (the engine's
   * timerIsLive); they are not woken again and again, but put away by `due` when they come due.
   * (An earlier round's of the step a document is in again still pass this join, which reads no
   * rounds: they are woken, and cancelled when they fire.)
   */
  async pendingPage(afterId: string, limit: number): Promise<DeadlineRow[]> {
    const rows = await this.sql.all<Raw>(
      `SELECT ${X_COLUMNS} FROM deadlines x JOIN documents d ON d.id = x.document_id AND d.state = x.step_key
       WHERE x.status = 'pending' AND x.id > ? ORDER BY x.id LIMIT ?`,
      [afterId, limit],
    );
    return rows.map(toRow);
  }

  async nextFireAt(): Promise<string | null> {
    const r = await this.sql.one<{ fire_at: string }>(`SELECT MIN(fire_at) AS fire_at FROM deadlines WHERE status = 'pending'`);
    return r?.fire_at ?? null;
  }

  /**
   * Documents with a timer still to come (pending or paused) planned before `to` and firing from `from` on: the ones a
   * calendar change for the days between may move. Keyset-paged on the document id.
   */
  async documentsSpanning(from: string, to: string, afterDocumentId: string, limit: number): Promise<string[]> {
    const document = documentIdOf(this.sql.kind, 'x');
    const rows = await this.sql.all<{ document_id: string }>(
      `SELECT DISTINCT ${document} AS document_id FROM ${itemsOf(this.sql.kind, 'timer', 'x', '> ?')} AND x.status IN ('pending', 'paused') AND x.fire_at >= ? AND x.created_at < ?
        ORDER BY ${document} LIMIT ?`,
      [afterDocumentId, from, to, limit],
    );
    return rows.map((r) => r.document_id);
  }

  async forDocument(documentId: string): Promise<DeadlineRow[]> {
    const rows = await this.sql.all<Raw>(`SELECT ${X_COLUMNS} FROM ${itemsOf(this.sql.kind, 'timer', 'x', '= ?')} ORDER BY x.fire_at, x.id`, [documentId]);
    return rows.map(toRow);
  }
}
