import type { Sql } from '../sql.js';

export interface IdempotencyKeyRow {
  principalId: string;
  key: string;
  /** SHA-256 of the request (method, path, body): the same key with another request is refused. */
  fingerprint: string;
  /** What the change acted on or created: the answer is rebuilt from it if it was never stored. */
  documentId: string | null;
  taskId: string | null;
  statusCode: number | null;
  response: unknown;
  createdAt: string;
}

interface Raw {
  principal_id: string;
  key: string;
  fingerprint: string;
  document_id: string | null;
  task_id: string | null;
  status_code: number | null;
  response: string | null;
  created_at: string;
}

/** Keys are per caller: one user's key never answers another user's request. */
export class IdempotencyKeysRepository {
  constructor(private readonly sql: Sql) {}

  async get(principalId: string, key: string): Promise<IdempotencyKeyRow | undefined> {
    const r = await this.sql.one<Raw>('SELECT * FROM idempotency_keys WHERE principal_id = ? AND key = ?', [principalId, key]);
    if (!r) return undefined;
    return {
      principalId: r.principal_id,
      key: r.key,
      fingerprint: r.fingerprint,
      documentId: r.document_id,
      taskId: r.task_id,
      statusCode: r.status_code === null ? null : Number(r.status_code),
      response: r.response === null ? null : JSON.parse(r.response),
      createdAt: r.created_at,
    };
  }

  async insert(row: Pick<IdempotencyKeyRow, 'principalId' | 'key' | 'fingerprint' | 'documentId' | 'taskId' | 'createdAt'>): Promise<void> {
    await this.sql.run(
      'INSERT INTO idempotency_keys (principal_id, key, fingerprint, document_id, task_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [row.principalId, row.key, row.fingerprint, row.documentId, row.taskId, row.createdAt],
    );
  }

  async storeResponse(principalId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.sql.run('UPDATE idempotency_keys SET status_code = ?, response = ? WHERE principal_id = ? AND key = ? AND response IS NULL', [
      statusCode,
      JSON.stringify(response),
      principalId,
      key,
    ]);
  }

  /** Keys older than the retention window are forgotten; returns how many. */
  async purgeBefore(at: string): Promise<number> {
    return this.sql.run('DELETE FROM idempotency_keys WHERE created_at < ?', [at]);
  }
}
