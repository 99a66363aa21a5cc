import type BetterSqlite3 from 'better-sqlite3';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The one way repositories talk to the database: `?` placeholders, rows out, changed-row counts. */
export interface Sql {
  readonly kind: DatabaseKind;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

/** The part of a `pg` client (or pool) a statement needs. */
export interface PgQueryable {
  query(config: { text: string; values: unknown[]; name?: string }): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/**
 * Statements run in this process, on every connection of either driver (transaction control
 * included): what a decision costs in round trips and statement executions, read by the bench.
 */
/** Statements run, counted (and, while `trace` is an array, their texts kept: a test names what it counted). */
export const sqlStatements: { count: number; trace: string[] | null } = { count: 0, trace: null };

/** Distinct statement texts prepared by name on each connection; beyond this (dynamic IN lists) they run unnamed. */
const MAX_NAMED = 500;
const statementNames = new Map<string, { text: string; name: string | undefined }>();

/**
 * PostgreSQL on `pg` directly, each statement prepared once per connection by name (the server
 * parses and plans it once). TypeORM's query runner cost a logger, event broadcasts and several
 * awaits per statement; TypeORM still opens the pool and runs the migrations.
 */
export class PgSql implements Sql {
  readonly kind = 'postgres' as const;

  constructor(private readonly client: PgQueryable) {}

  private static statement(sql: string): { text: string; name: string | undefined } {
    let s = statementNames.get(sql);
    if (!s) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      s = { text, name: statementNames.size < MAX_NAMED ? `s${statementNames.size}` : undefined };
      if (s.name || statementNames.size < MAX_NAMED * 4) statementNames.set(sql, s);
    }
    return s;
  }

  private async query(sql: string, params: unknown[]) {
    const { text, name } = PgSql.statement(sql);
    sqlStatements.count++;
    sqlStatements.trace?.push(sql);
    try {
      return await this.client.query(name ? { name, text, values: params } : { text, values: params });
    } catch (err) {
      throw Object.assign(new Error(`${(err as Error).message} (in: ${sql.slice(0, 200)})`), { name: 'QueryFailedError', driverError: err });
    }
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }
}

/** Statements kept prepared per connection; past this many (dynamic IN lists, search filters) the cache starts over. */
const MAX_PREPARED = 500;

/**
 * SQLite on better-sqlite3 directly, each statement prepared once. TypeORM's query runner costs
 * several awaits, a logger and event broadcasts per statement (about 15% of a decision's CPU);
 * TypeORM still opens the connection and runs the migrations. Errors carry the driver's error as
 * `driverError`, as TypeORM's do, so callers test them one way.
 */
export class SqliteSql implements Sql {
  readonly kind = 'sqlite' as const;
  /**
   * Statements run on this connection that SQLite does not know to be read-only
   * (`sqlite3_stmt_readonly`), counted before they run, whether they succeed or not: the writer
   * queue reads it to know whether a job that failed left anything to undo.
   */
  writes = 0;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

  /** False once SQLite rolled the transaction back by itself (SQLITE_FULL, IOERR, NOMEM, BUSY may): later statements would commit one by one. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.execute(sql, (stmt, values) => (stmt.reader ? (stmt.all(...values) as T[]) : (stmt.run(...values), [])), params);
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    return this.execute(sql, (stmt, values) => stmt.run(...values).changes, params);
  }

  private execute<R>(sql: string, fn: (stmt: BetterSqlite3.Statement, values: unknown[]) => R, params: unknown[] = []): R {
    sqlStatements.count++;
    sqlStatements.trace?.push(sql);
    try {
      let stmt = this.statements.get(sql);
      if (!stmt) {
        if (this.statements.size >= MAX_PREPARED) this.statements.clear();
        this.statements.set(sql, (stmt = this.db.prepare(sql)));
      }
      if (!stmt.readonly) this.writes++;
      // better-sqlite3 binds no booleans.
      return fn(stmt, params.map((p) => (typeof p === 'boolean' ? Number(p) : p)));
    } catch (err) {
      throw Object.assign(new Error(`${(err as Error).message} (in: ${sql.slice(0, 200)})`), { name: 'QueryFailedError', driverError: err });
    }
  }
}

/** A unique-constraint violation, on either driver (the driver's own error is `driverError`). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { driverError?: { code?: string } })?.driverError?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
