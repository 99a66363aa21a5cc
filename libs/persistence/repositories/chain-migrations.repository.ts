import type { Sql } from '../sql.js';

export type MigrationStatus = 'running' | 'finished';

/** A batch migration of running documents to a chain version, with its progress (one row, updated per document). */
export interface ChainMigrationRow {
  id: string;
  chainKey: string;
  toVersion: number;
  mapping: Record<string, string>;
  /** Documents may move forward past steps of the new version (a global administrator's override). */
  force: boolean;
  /** Why, as the administrator gave it; required with `force`. */
  reason: string | null;
  status: MigrationStatus;
  total: number;
  done: number;
  failed: number;
  failures: { documentId: string; reason: string }[];
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

type Raw = Record<string, string | number | null>;
const COLUMNS = 'id, chain_key, to_version, mapping, forced, reason, status, total, done, failed, failures, created_by, created_at, finished_at';
const toRow = (r: Raw): ChainMigrationRow => ({
  id: r.id as string,
  chainKey: r.chain_key as string,
  toVersion: Number(r.to_version),
  mapping: JSON.parse(r.mapping as string),
  force: Number(r.forced) === 1,
  reason: r.reason as string | null,
  status: r.status as MigrationStatus,
  total: Number(r.total),
  done: Number(r.done),
  failed: Number(r.failed),
  failures: JSON.parse(r.failures as string),
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
  finishedAt: r.finished_at as string | null,
});

export class ChainMigrationsRepository {
  constructor(private readonly sql: Sql) {}

  async insert(m: ChainMigrationRow): Promise<void> {
    await this.sql.run(`INSERT INTO chain_migrations (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      m.id,
      m.chainKey,
      m.toVersion,
      JSON.stringify(m.mapping),
      m.force ? 1 : 0,
      m.reason,
      m.status,
      m.total,
      m.done,
      m.failed,
      JSON.stringify(m.failures),
      m.createdBy,
      m.createdAt,
      m.finishedAt,
    ]);
  }

  async get(id: string): Promise<ChainMigrationRow | undefined> {
    const r = await this.sql.one<Raw>(`SELECT ${COLUMNS} FROM chain_migrations WHERE id = ?`, [id]);
    return r && toRow(r);
  }

  async running(): Promise<ChainMigrationRow[]> {
    return (await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM chain_migrations WHERE status = 'running' ORDER BY id`, [])).map(toRow);
  }

  /** Counts one document, in the transaction that migrated it (or recorded why it could not). */
  async count(id: string, outcome: { failure?: { documentId: string; reason: string } }): Promise<void> {
    if (!outcome.failure) {
      await this.sql.run('UPDATE chain_migrations SET done = done + 1 WHERE id = ?', [id]);
      return;
    }
    const row = (await this.get(id))!;
    await this.sql.run('UPDATE chain_migrations SET failed = failed + 1, failures = ? WHERE id = ?', [JSON.stringify([...row.failures, outcome.failure]), id]);
  }

  async finish(id: string, at: string): Promise<void> {
    await this.sql.run(`UPDATE chain_migrations SET status = 'finished', finished_at = ? WHERE id = ?`, [at, id]);
  }
}
