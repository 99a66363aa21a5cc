import type { Sql } from '../sql.js';

/** A signed statement of the audit tree: its size and root at a time, under a key of a suite. */
export interface TreeHeadRow {
  treeSize: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  suite: string;
  signature: string;
}

type Raw = Record<string, string | number>;
const HEAD_COLUMNS = 'tree_size, root_hash, timestamp, key_id, suite, signature';
const toHead = (r: Raw): TreeHeadRow => ({
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash as string,
  timestamp: r.timestamp as string,
  keyId: r.key_id as string,
  suite: r.suite as string,
  signature: r.signature as string,
});

/** A witness's Ed25519 signature over a tree head it checked. */
export interface CosignatureRow {
  treeSize: number;
  witnessKeyId: string;
  publicKey: string;
  signature: string;
  at: string;
}

const toCosignature = (r: Raw): CosignatureRow => ({
  treeSize: Number(r.tree_size),
  witnessKeyId: r.witness_key_id as string,
  publicKey: r.public_key as string,
  signature: r.signature as string,
  at: r.at as string,
});

/** Rows per INSERT: well under SQLite's and PostgreSQL's parameter limits. */
const INSERT_CHUNK = 400;

/** The audit log's Merkle tree: the hashes of its perfect subtrees, and its signed heads. */
export class AuditTreeRepository {
  constructor(private readonly sql: Sql) {}

  /** One extender at a time across processes on PostgreSQL (SQLite has one writer anyway); held to commit. */
  async lockForExtend(): Promise<void> {
    if (this.sql.kind === 'postgres') await this.sql.one('SELECT pg_advisory_xact_lock(6962) AS locked');
  }

  /** How many leaves the stored tree has. */
  async size(): Promise<number> {
    const r = await this.sql.one<{ last: number | string | null }>('SELECT MAX(idx) AS last FROM audit_tree_nodes WHERE level = 0');
    return r?.last === null || r?.last === undefined ? 0 : Number(r.last) + 1;
  }

  /** The stored nodes among `keys` ([level, index]), keyed `level:index`. */
  async nodes(keys: readonly (readonly [number, number])[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
      const chunk = keys.slice(i, i + INSERT_CHUNK);
      const where = chunk.map(() => '(level = ? AND idx = ?)').join(' OR ');
      const rows = await this.sql.all<{ level: number; idx: number | string; hash: string }>(`SELECT level, idx, hash FROM audit_tree_nodes WHERE ${where}`, chunk.flat());
      for (const r of rows) found.set(`${r.level}:${Number(r.idx)}`, r.hash);
    }
    return found;
  }

  async insertNodes(rows: readonly { level: number; idx: number; hash: string }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      await this.sql.run(`INSERT INTO audit_tree_nodes (level, idx, hash) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`, chunk.flatMap((r) => [r.level, r.idx, r.hash]));
    }
  }

  /** False when a head of this size exists already (nothing appended since, or another process signed it). */
  async insertHead(h: TreeHeadRow): Promise<boolean> {
    const changed = await this.sql.run(`INSERT INTO audit_tree_heads (${HEAD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING`, [
      h.treeSize,
      h.rootHash,
      h.timestamp,
      h.keyId,
      h.suite,
      h.signature,
    ]);
    return changed === 1;
  }

  async latestHead(): Promise<TreeHeadRow | undefined> {
    const r = await this.sql.one<Raw>(`SELECT ${HEAD_COLUMNS} FROM audit_tree_heads ORDER BY tree_size DESC LIMIT 1`);
    return r && toHead(r);
  }

  async headOfSize(treeSize: number): Promise<TreeHeadRow | undefined> {
    const r = await this.sql.one<Raw>(`SELECT ${HEAD_COLUMNS} FROM audit_tree_heads WHERE tree_size = ?`, [treeSize]);
    return r && toHead(r);
  }

  /** Heads with `from` ≤ size ≤ `to`, smallest first, at most `limit`. */
  async heads(from: number, to: number, limit: number): Promise<TreeHeadRow[]> {
    return (await this.sql.all<Raw>(`SELECT ${HEAD_COLUMNS} FROM audit_tree_heads WHERE tree_size >= ? AND tree_size <= ? ORDER BY tree_size LIMIT ?`, [from, to, limit])).map(toHead);
  }

  /** False when this witness cosigned this size already. */
  async insertCosignature(c: CosignatureRow): Promise<boolean> {
    const changed = await this.sql.run(
      'INSERT INTO audit_tree_cosignatures (tree_size, witness_key_id, public_key, signature, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tree_size, witness_key_id) DO NOTHING',
      [c.treeSize, c.witnessKeyId, c.publicKey, c.signature, c.at],
    );
    return changed === 1;
  }

  /** The cosignatures of the tree heads whose sizes lie in [from, to], smallest size first. */
  async cosignaturesBetween(from: number, to: number): Promise<CosignatureRow[]> {
    const rows = await this.sql.all<Raw>('SELECT tree_size, witness_key_id, public_key, signature, at FROM audit_tree_cosignatures WHERE tree_size >= ? AND tree_size <= ? ORDER BY tree_size, at', [from, to]);
    return rows.map(toCosignature);
  }

  async cosignatures(treeSize: number): Promise<CosignatureRow[]> {
    const rows = await this.sql.all<Raw>('SELECT tree_size, witness_key_id, public_key, signature, at FROM audit_tree_cosignatures WHERE tree_size = ? ORDER BY at', [treeSize]);
    return rows.map(toCosignature);
  }
}
