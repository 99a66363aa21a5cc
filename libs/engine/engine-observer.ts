import type { Database } from '@shenpi/persistence';

/**
 * What the engine tells whoever watches it (the API's and the worker's metrics), so the engine
 * needs no metrics library. Each hook runs after the commit it reports, synchronously: it must be
 * cheap and must not throw.
 */
export interface EngineObserver {
  /** A change to a document committed: its chain and the audited action (approve, return, remind, …). */
  documentChanged(chain: string, action: string): void;
  /** A writer transaction committed this many jobs (SQLite's group commit; 1 on PostgreSQL). */
  writerCommitted(jobs: number): void;
  /** A deadline row fired this long after its instant. */
  deadlineFired(kind: string, latenessMs: number): void;
  /** The PostgreSQL sequencer gave entries their seq, each having waited this long since it was written. */
  auditSequenced(waitedMs: readonly number[]): void;
}

export const quietObserver: EngineObserver = {
  documentChanged: () => undefined,
  writerCommitted: () => undefined,
  deadlineFired: () => undefined,
  auditSequenced: () => undefined,
};

/** Rows waiting to be delivered or sequenced, and since when the oldest has waited. */
export interface Backlog {
  pending: number;
  oldestAt: string | null;
}

export interface Readiness {
  database: 'up' | 'down';
  /** `pending`: the database lacks a migration this code needs (an older database restored under a running service). */
  migrations: 'applied' | 'pending' | 'unknown';
}

/** The operators' reads: readiness and backlogs, on the read connection (scraped every few seconds: indexed, small). */
export class OperationsReadModel {
  constructor(private readonly database: Database) {}

  async readiness(): Promise<Readiness> {
    try {
      await this.database.reader.one('SELECT 1 AS ok');
    } catch {
      return { database: 'down', migrations: 'unknown' };
    }
    const pending = await this.database.pendingMigrations().catch(() => null);
    return { database: 'up', migrations: pending === null ? 'unknown' : pending.length ? 'pending' : 'applied' };
  }

  /**
   * Webhook deliveries and e-mails not yet made (pending, including those waiting to retry), on
   * PostgreSQL audit entries not yet sequenced, and the audit entries the notification feed has not
   * read yet (the log's head seq minus the feed's cursor; the oldest is the first after the cursor,
   * both read by primary key). Keyed by outbox, for other outboxes to join.
   */
  async backlogs(): Promise<Record<string, Backlog>> {
    const webhook = await this.backlog("SELECT count(*) AS pending, min(created_at) AS oldest FROM webhook_deliveries WHERE status = 'pending'");
    const audit = await this.backlog('SELECT count(*) AS pending, min(at) AS oldest FROM audit_intake');
    const email = await this.backlog("SELECT count(*) AS pending, min(created_at) AS oldest FROM email_outbox WHERE status = 'pending'");
    const feed = await this.backlog(
      `SELECT COALESCE((SELECT max(seq) FROM audit_entries), 0) - f.seq AS pending, (SELECT a.at FROM audit_entries a WHERE a.seq = f.seq + 1) AS oldest
         FROM notification_feed f WHERE f.id = 1`,
    );
    return { webhook, 'audit-intake': audit, email, 'notification-feed': feed };
  }

  private async backlog(sql: string): Promise<Backlog> {
    const row = await this.database.reader.one<{ pending: number | string; oldest: string | null }>(sql);
    return { pending: Number(row?.pending ?? 0), oldestAt: row?.oldest ?? null };
  }
}
