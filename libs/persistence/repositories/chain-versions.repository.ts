import type { Sql } from '../sql.js';

export interface ChainVersionRow {
  chainKey: string;
  version: number;
  name: string;
  definition: unknown;
  compilerVersion: number;
  createdBy: string;
  createdAt: string;
}

type RawChainVersion = Record<string, string | number>;

const toRow = (r: RawChainVersion): ChainVersionRow => ({
  chainKey: r.chain_key as string,
  version: Number(r.version),
  name: r.name as string,
  definition: JSON.parse(r.definition as string),
  compilerVersion: Number(r.compiler_version),
  createdBy: r.created_by as string,
  createdAt: r.created_at as string,
});

const COLUMNS = 'chain_key, version, name, definition, compiler_version, created_by, created_at';

export class ChainVersionsRepository {
  constructor(private readonly sql: Sql) {}

  async get(key: string, version: number): Promise<ChainVersionRow | undefined> {
    const r = await this.sql.one<RawChainVersion>(`SELECT ${COLUMNS} FROM chain_versions WHERE chain_key = ? AND version = ?`, [key, version]);
    return r && toRow(r);
  }

  async latest(key: string): Promise<ChainVersionRow | undefined> {
    const r = await this.sql.one<RawChainVersion>(
      `SELECT ${COLUMNS} FROM chain_versions WHERE chain_key = ? ORDER BY version DESC LIMIT 1`,
      [key],
    );
    return r && toRow(r);
  }

  async latestBy(key: string, createdBy: string): Promise<ChainVersionRow | undefined> {
    const r = await this.sql.one<RawChainVersion>(
      `SELECT ${COLUMNS} FROM chain_versions WHERE chain_key = ? AND created_by = ? ORDER BY version DESC LIMIT 1`,
      [key, createdBy],
    );
    return r && toRow(r);
  }

  async latestOfEach(): Promise<ChainVersionRow[]> {
    const rows = await this.sql.all<RawChainVersion>(
      `SELECT ${COLUMNS} FROM chain_versions c
       WHERE version = (SELECT MAX(version) FROM chain_versions m WHERE m.chain_key = c.chain_key) ORDER BY chain_key`,
    );
    return rows.map(toRow);
  }

  async insert(row: ChainVersionRow): Promise<void> {
    await this.sql.run(`INSERT INTO chain_versions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, [
      row.chainKey,
      row.version,
      row.name,
      JSON.stringify(row.definition),
      row.compilerVersion,
      row.createdBy,
      row.createdAt,
    ]);
  }
}
