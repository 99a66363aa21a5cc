import type { Sql } from '../sql.js';

/** A signed statement that the audit chain's entry `seq` had hash `hash` at `at`. */
export interface CheckpointRow {
  seq: number;
  hash: string;
  at: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

type Raw = Record<string, string | number>;
const COLUMNS = 'seq, hash, at, key_id, public_key, signature';
const toRow = (r: Raw): CheckpointRow => ({
  seq: Number(r.seq),
  hash: r.hash as string,
  at: r.at as string,
  keyId: r.key_id as string,
  publicKey: r.public_key as string,
  signature: r.signature as string,
});

export class AuditCheckpointsRepository {
  constructor(private readonly sql: Sql) {}

  /** False when a checkpoint of this seq exists already (two processes, or nothing appended since). */
  async insert(c: CheckpointRow): Promise<boolean> {
    const changed = await this.sql.run(`INSERT INTO audit_checkpoints (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING`, [
      c.seq,
      c.hash,
      c.at,
      c.keyId,
      c.publicKey,
      c.signature,
    ]);
    return changed === 1;
  }

  async latest(): Promise<CheckpointRow | undefined> {
    const r = await this.sql.one<Raw>(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq DESC LIMIT 1`);
    return r && toRow(r);
  }

  async all(): Promise<CheckpointRow[]> {
    return (await this.sql.all<Raw>(`SELECT ${COLUMNS} FROM audit_checkpoints ORDER BY seq`)).map(toRow);
  }
}
