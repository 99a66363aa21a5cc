import type { Alarm } from '@shenpi/domain';
import type { Sql } from '../sql.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveryRow {
  id: string;
  url: string;
  auditSeq: number;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

const COLUMNS = 'id, url, audit_seq, body, status, attempts, next_attempt_at, last_error, created_at, delivered_at';
type Raw = Record<string, string | number | null>;

const toRow = (r: Raw): WebhookDeliveryRow => ({
  id: r.id as string,
  url: r.url as string,
  auditSeq: Number(r.audit_seq),
  body: r.body as string,
  status: r.status as DeliveryStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at as string,
  lastError: r.last_error as string | null,
  createdAt: r.created_at as string,
  deliveredAt: r.delivered_at as string | null,
});

export class WebhookDeliveriesRepository {
  constructor(
    private readonly sql: Sql,
    private readonly alarms: Alarm[] = [],
  ) {}

  async insert(d: WebhookDeliveryRow): Promise<void> {
    this.alarms.push({ kind: 'webhook', id: d.id, fireAt: d.nextAttemptAt, version: d.attempts });
    await this.sql.run(`INSERT INTO webhook_deliveries (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      d.id,
      d.url,
      d.auditSeq,
      d.body,
      d.status,
      d.attempts,
      d.nextAttemptAt,
      d.lastError,
      d.createdAt,
      d.deliveredAt,
    ]);
  }

  async get(id: string): Promise<WebhookDeliveryRow | undefined> {
    const r = await this.sql.one<Raw>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = ?`, [id]);
    return r && toRow(r);
  }

  /** Takes a due delivery for one attempt: pushes its next attempt to `leaseUntil`, so a crash mid-send retries later. */
  async claim(id: string, now: string, leaseUntil: string): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE webhook_deliveries SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?`,
      [leaseUntil, id, now],
    );
    return changed === 1;
  }

  async delivered(id: string, at: string): Promise<void> {
    await this.sql.run(`UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ?, last_error = NULL WHERE id = ?`, [at, id]);
  }

  /** A failed attempt: retry at `nextAttemptAt`, or give up (`failed`) when it is null. */
  async attemptFailed(id: string, error: string, nextAttemptAt: string | null): Promise<void> {
    await this.sql.run(`UPDATE webhook_deliveries SET last_error = ?, status = ?, next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?`, [
      error.slice(0, 500),
      nextAttemptAt ? 'pending' : 'failed',
      nextAttemptAt,
      id,
    ]);
    if (nextAttemptAt) {
      const row = await this.get(id);
      if (row) this.alarms.push({ kind: 'webhook', id, fireAt: nextAttemptAt, version: row.attempts });
    }
  }

  async due(now: string, limit: number): Promise<WebhookDeliveryRow[]> {
    const rows = await this.sql.all<Raw>(
      `SELECT ${COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
      [now, limit],
    );
    return rows.map(toRow);
  }

  async nextAttemptAt(): Promise<string | null> {
    const r = await this.sql.one<{ at: string | null }>(`SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries WHERE status = 'pending'`);
    return r?.at ?? null;
  }

  async pendingPage(afterId: string, limit: number): Promise<WebhookDeliveryRow[]> {
    const rows = await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE status = 'pending' AND id > ? ORDER BY id LIMIT ?`, [afterId, limit]);
    return rows.map(toRow);
  }
}
