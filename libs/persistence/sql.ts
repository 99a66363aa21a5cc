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

/** A unique-constraint violation, on either driver (TypeORM wraps the driver's error). */
export function isUniqueViolation(err: unknown): boolean {
  const driverError = (err as { driverError?: { code?: string } })?.driverError;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
