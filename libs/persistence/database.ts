import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema.js';
import { DeadlinesAndNotifications1764100000000 } from './migrations/1764100000000-deadlines-and-notifications.js';
import { WebhookDeliveries1764200000000 } from './migrations/1764200000000-webhook-deliveries.js';
import { ChainLanguage1764300000000 } from './migrations/1764300000000-chain-language.js';
import { AuditSupervision1764400000000 } from './migrations/1764400000000-audit-supervision.js';
import { IdempotencyKeys1764500000000 } from './migrations/1764500000000-idempotency-keys.js';
import { PendingDeadlinesIndex1764600000000 } from './migrations/1764600000000-pending-deadlines-index.js';
import { ForcedMigrations1764700000000 } from './migrations/1764700000000-forced-migrations.js';
import { SeparationOfDutiesState1764800000000 } from './migrations/1764800000000-separation-of-duties-state.js';
import { TokenEpoch1764900000000 } from './migrations/1764900000000-token-epoch.js';
import { AuditMerkleTree1765000000000 } from './migrations/1765000000000-audit-merkle-tree.js';
import { AuditCosignatures1765100000000 } from './migrations/1765100000000-audit-cosignatures.js';
import { AuditIntake1765200000000 } from './migrations/1765200000000-audit-intake.js';
import { AuditColumnsFromText1765300000000 } from './migrations/1765300000000-audit-columns-from-text.js';
import { AttachmentsByTask1765400000000 } from './migrations/1765400000000-attachments-by-task.js';
import { LeanTaskIndexes1765500000000 } from './migrations/1765500000000-lean-task-indexes.js';
import { PasswordChangeRequired1765600000000 } from './migrations/1765600000000-password-change-required.js';
import { DueProvisionalOnDocument1765700000000 } from './migrations/1765700000000-due-provisional-on-document.js';
import { CalendarYears1765800000000 } from './migrations/1765800000000-calendar-years.js';
import { NotificationFeed1765900000000 } from './migrations/1765900000000-notification-feed.js';
import { NotificationSettings1766000000000 } from './migrations/1766000000000-notification-settings.js';
import { DocumentContents1766100000000 } from './migrations/1766100000000-document-contents.js';
import { ContentOutOfDocumentRow1766200000000 } from './migrations/1766200000000-content-out-of-document-row.js';
import { UnreadNotifications1766300000000 } from './migrations/1766300000000-unread-notifications.js';
import { DirectoryVersion1766400000000 } from './migrations/1766400000000-directory-version.js';
import { AuditHeadFollowsEntries1766500000000 } from './migrations/1766500000000-audit-head-follows-entries.js';
import { ProxiesMoveDirectoryVersion1766600000000 } from './migrations/1766600000000-proxies-move-directory-version.js';
import { DirectoryVersionDrawn1766700000000 } from './migrations/1766700000000-directory-version-drawn.js';
import { ItemsOnDocumentRow1766800000000 } from './migrations/1766800000000-items-on-document-row.js';
import { TransitionsOnDocumentRow1766900000000 } from './migrations/1766900000000-transitions-on-document-row.js';
import { DoneInboxByClosing1767000000000 } from './migrations/1767000000000-done-inbox-by-closing.js';
import { OpenInboxSwept1767100000000 } from './migrations/1767100000000-open-inbox-swept.js';
import type BetterSqlite3 from 'better-sqlite3';
import { PgSql, SqliteSql, type DatabaseKind, type PgQueryable, type Sql } from './sql.js';
import { BACKSTOP_AUTOCHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer.js';

export interface DatabaseConfig {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  url?: string;
  sqlitePath: string;
  /** PostgreSQL schema (created if missing): lets test runs share one database. */
  schema?: string;
  poolSize?: number;
}

const migrations = [InitialSchema1764000000000, DeadlinesAndNotifications1764100000000, WebhookDeliveries1764200000000, ChainLanguage1764300000000, AuditSupervision1764400000000, IdempotencyKeys1764500000000, PendingDeadlinesIndex1764600000000, ForcedMigrations1764700000000, SeparationOfDutiesState1764800000000, TokenEpoch1764900000000, AuditMerkleTree1765000000000, AuditCosignatures1765100000000, AuditIntake1765200000000, AuditColumnsFromText1765300000000, AttachmentsByTask1765400000000, LeanTaskIndexes1765500000000, PasswordChangeRequired1765600000000, DueProvisionalOnDocument1765700000000, CalendarYears1765800000000, NotificationFeed1765900000000, NotificationSettings1766000000000, DocumentContents1766100000000, ContentOutOfDocumentRow1766200000000, UnreadNotifications1766300000000, DirectoryVersion1766400000000, AuditHeadFollowsEntries1766500000000, ProxiesMoveDirectoryVersion1766600000000, DirectoryVersionDrawn1766700000000, ItemsOnDocumentRow1766800000000, TransitionsOnDocumentRow1766900000000, DoneInboxByClosing1767000000000, OpenInboxSwept1767100000000];

/**
 * The connections and the transaction primitive. On SQLite: one writer connection (WAL,
 * synchronous=FULL, BEGIN IMMEDIATE), a separate read-only connection, so reads never see a
 * transaction that has not committed, and a checkpointer thread with a connection of its own.
 * On PostgreSQL: one pool for both.
 */
export class Database {
  private constructor(
    readonly kind: DatabaseKind,
    private readonly writer: DataSource,
    private readonly readerSource: DataSource,
    readonly reader: Sql,
    /** SQLite's one writer connection; null on PostgreSQL, where each transaction takes a pooled one. */
    private readonly writerSql: Sql | null,
    private readonly checkpointer: WalCheckpointer | null = null,
    /** PostgreSQL's pool (TypeORM's own): a transaction holds one of its clients. */
    private readonly pool: PgPool | null = null,
  ) {}

  static async open(config: DatabaseConfig): Promise<Database> {
    if (config.url?.startsWith('postgres')) return Database.openPostgres(config);
    return Database.openSqlite(config.sqlitePath);
  }

  private static async openPostgres(config: DatabaseConfig): Promise<Database> {
    const schema = config.schema;
    if (schema) {
      const bootstrap = new DataSource({ type: 'postgres', url: config.url });
      await bootstrap.initialize();
      await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await bootstrap.destroy();
    }
    const source = new DataSource({
      type: 'postgres',
      url: config.url,
      schema,
      poolSize: config.poolSize ?? 20,
      extra: schema ? { options: `-c search_path="${schema}"` } : {},
      migrations,
      migrationsTransactionMode: 'all',
    });
    await source.initialize();
    await source.runMigrations();
    const pool = (source.driver as unknown as { master: PgPool }).master;
    return new Database('postgres', source, source, new PgSql(pool), null, null, pool);
  }

  private static async openSqlite(path: string): Promise<Database> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const writer = new DataSource({
      type: 'better-sqlite3',
      database: path,
      timeout: 5000,
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        // An audit system must not lose a committed decision on power loss.
        db.pragma('synchronous = FULL');
        db.pragma('busy_timeout = 5000');
        // Group commit runs each job in a savepoint, whose undo pages go to a temporary journal: in
        // memory, not a temp file (a write syscall per page touched).
        db.pragma('temp_store = MEMORY');
        // The checkpointer thread copies the log back; this is its backstop (wal-checkpointer.ts).
        if (path !== ':memory:') db.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT_PAGES}`);
      },
      migrations,
      migrationsTransactionMode: 'all',
    });
    await writer.initialize();
    await writer.runMigrations();
    const reader = new DataSource({
      type: 'better-sqlite3',
      database: path,
      readonly: true,
      timeout: 5000,
      prepareDatabase: (db: { pragma(s: string): unknown }) => void db.pragma('busy_timeout = 5000'),
    });
    await reader.initialize();
    const connection = (source: DataSource) => (source.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
    const checkpointer = path === ':memory:' ? null : WalCheckpointer.start(path);
    return new Database('sqlite', writer, reader, new SqliteSql(connection(reader)), new SqliteSql(connection(writer)), checkpointer);
  }

  /**
   * Runs `fn` in one transaction and commits, or rolls back and rethrows. On SQLite the caller
   * must serialise calls (the engine's writer queue does): the writer connection is shared.
   */
  async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.writerSql) return Database.within(this.writerSql, 'BEGIN IMMEDIATE', fn);
    const client = await this.pool!.connect();
    let broken: Error | undefined;
    // A checked-out client has no listener of the pool's: a connection lost mid-transaction (a
    // restart, pg_terminate_backend) would be an unhandled 'error' event and end the process.
    // Its statement fails instead, and the pool drops the client.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      return await Database.within(new PgSql(client), 'BEGIN', fn).catch((err) => {
        // A connection that failed to roll back is in an unknown state: the pool drops it.
        if ((err as { rollbackFailed?: boolean }).rollbackFailed) broken = err as Error;
        throw err;
      });
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private static async within<T>(sql: Sql, begin: string, fn: (sql: Sql) => Promise<T>): Promise<T> {
    await sql.run(begin);
    try {
      const result = await fn(sql);
      await sql.run('COMMIT');
      return result;
    } catch (err) {
      try {
        await sql.run('ROLLBACK');
      } catch {
        throw Object.assign(err as object, { rollbackFailed: true });
      }
      throw err;
    }
  }

  /** The migrations this code knows that the database has not recorded (none once `open` ran them; readiness asks). */
  async pendingMigrations(): Promise<string[]> {
    const applied = new Set((await this.reader.all<{ name: string }>('SELECT name FROM migrations')).map((r) => r.name));
    return migrations.map((m) => new m().name).filter((name) => !applied.has(name));
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    if (this.readerSource !== this.writer) await this.readerSource.destroy();
    await this.writer.destroy();
  }
}

/** The `pg` pool TypeORM opened: reads run on it, a transaction checks out one client. */
interface PgPool extends PgQueryable {
  connect(): Promise<PgQueryable & { release(err?: Error): void; on(event: 'error', listener: (err: Error) => void): unknown; off(event: 'error', listener: (err: Error) => void): unknown }>;
}

/** DATABASE_URL selects PostgreSQL; otherwise SQLite at SQLITE_PATH (default ./data/shenpi.sqlite). */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  return {
    url: env.DATABASE_URL || undefined,
    sqlitePath: env.SQLITE_PATH || 'data/shenpi.sqlite',
    schema: env.DATABASE_SCHEMA || undefined,
  };
}
