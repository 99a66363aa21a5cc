import type { Sql } from '../sql.js';

export interface EmailRow {
  id: string;
  notificationId: string;
  toAddress: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

type Raw = Record<string, string | number | null>;

const toRow = (r: Raw): EmailRow => ({
  id: r.id as string,
  notificationId: r.notification_id as string,
  toAddress: r.to_address as string,
  subject: r.subject as string,
  body: r.body as string,
  status: r.status as EmailRow['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at as string,
  lastError: r.last_error as string | null,
  createdAt: r.created_at as string,
  sentAt: r.sent_at as string | null,
});

/** E-mails to send, one per notification: sent and retried off every decision's path. */
export class EmailOutboxRepository {
  constructor(private readonly sql: Sql) {}

  async insert(e: EmailRow): Promise<void> {
    await this.sql.run(
      `INSERT INTO email_outbox (id, notification_id, to_address, subject, body, status, attempts, next_attempt_at, last_error, created_at, sent_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [e.id, e.notificationId, e.toAddress, e.subject, e.body, e.status, e.attempts, e.nextAttemptAt, e.lastError, e.createdAt, e.sentAt],
    );
  }

  async due(now: string, limit: number): Promise<EmailRow[]> {
    return (await this.sql.all<Raw>(`SELECT * FROM email_outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`, [now, limit])).map(toRow);
  }

  /** Takes a due e-mail for one attempt until `leaseUntil` (another deliverer skips it); false when someone else took it. */
  async claim(id: string, now: string, leaseUntil: string): Promise<boolean> {
    return (await this.sql.run(`UPDATE email_outbox SET next_attempt_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending' AND next_attempt_at <= ?`, [leaseUntil, id, now])) === 1;
  }

  /** The outcome of the attempt `attempt` (the claim's count): nothing when a later claim took the row since (its lease ran out). */
  async sent(id: string, attempt: number, at: string): Promise<void> {
    await this.sql.run(`UPDATE email_outbox SET status = 'sent', sent_at = ?, last_error = NULL WHERE id = ? AND attempts = ? AND status = 'pending'`, [at, id, attempt]);
  }

  /** A failed attempt: tried again at `retryAt`, or given up (`retryAt` null); as `sent`, only for the latest claim. */
  async attemptFailed(id: string, attempt: number, error: string, retryAt: string | null): Promise<void> {
    await this.sql.run(`UPDATE email_outbox SET status = ?, next_attempt_at = COALESCE(?, next_attempt_at), last_error = ? WHERE id = ? AND attempts = ? AND status = 'pending'`, [
      retryAt ? 'pending' : 'failed',
      retryAt,
      error.slice(0, 500),
      id,
      attempt,
    ]);
  }

  async forNotification(notificationId: string): Promise<EmailRow | undefined> {
    const r = await this.sql.one<Raw>('SELECT * FROM email_outbox WHERE notification_id = ?', [notificationId]);
    return r && toRow(r);
  }
}
