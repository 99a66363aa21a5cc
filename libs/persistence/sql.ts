import type BetterSqlite3 from 'better-sqlite3';
import type { QueryRunner } from 'typeorm';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The one way repositories talk to the database: `?` placeholders, rows out, changed-row counts. */
export interface Sql {
  readonly kind: DatabaseKind;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  one<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<number>;
}

const toPostgresPlaceholders = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export class QueryRunnerSql implements Sql {
  private readonly cache = new Map<string, string>();

  constructor(
    readonly kind: DatabaseKind,
    private readonly runner: QueryRunner,
  ) {}

  private text(sql: string): string {
    if (this.kind === 'sqlite') return sql;
    let converted = this.cache.get(sql);
    if (converted === undefined) this.cache.set(sql, (converted = toPostgresPlaceholders(sql)));
    return converted;
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.runner.query(this.text(sql), params, true);
    return (result.records ?? []) as T[];
  }

  async one<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: unknown[] = []): Promise<number> {
    const result = await this.runner.query(this.text(sql), params, true);
    return result.affected ?? 0;
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
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly db: BetterSqlite3.Database) {}

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
    try {
      let stmt = this.statements.get(sql);
      if (!stmt) {
        if (this.statements.size >= MAX_PREPARED) this.statements.clear();
        this.statements.set(sql, (stmt = this.db.prepare(sql)));
      }
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
