import type { DatabaseKind } from './sql.js';

/**
 * An audit entry is its canonical text (the hashed one) and its hash. The columns searches filter
 * on are declared by the schema as projections of that text (generated columns), so they cannot
 * say anything the text does not: verify checks the table's definition once instead of every
 * row's columns. Column → JSON path in the entry (API.md's v1 entry).
 */
export const AUDIT_PROJECTIONS: readonly (readonly [column: string, path: readonly string[]])[] = [
  ['at', ['at']],
  ['category', ['category']],
  ['action', ['action']],
  ['result', ['result']],
  ['actor_type', ['actor', 'type']],
  ['actor_id', ['actor', 'id']],
  ['actor_role', ['actor', 'role']],
  ['actor_department_id', ['actor', 'departmentId']],
  ['actor_on_behalf_of', ['actor', 'onBehalfOf']],
  ['department_id', ['departmentId']],
  ['document_id', ['documentId']],
  ['from_state', ['from']],
  ['to_state', ['to']],
  ['details', ['details']],
  ['prev_hash', ['prevHash']],
];

/**
 * The expression of one projection. PostgreSQL's JSON functions refuse the escapes of NUL and of
 * a surrogate (`\u0000`, `\ud83d`), which JSON.stringify writes for a NUL or half a pair: the audit
 * log keeps both out of new texts (storableText), and here they read as U+FFFD, so no text (one of an
 * older log in the upgrade, say) can make an INSERT fail and stop the sequencer. The entry itself
 * (the API's, the verifiers') is always parsed from the text.
 */
export function projectionOf(kind: DatabaseKind, path: readonly string[], details = false): string {
  if (kind === 'sqlite') return `json_extract(canonical, '$.${path.join('.')}')`;
  const steps = path.map((key, i) => `${i === path.length - 1 && !details ? '->>' : '->'} '${key}'`).join(' ');
  const expression = `regexp_replace(canonical, '\\\\u(0000|[dD][89abcdefABCDEF][0-9a-fA-F]{2})', '\\\\ufffd', 'g')::json ${steps}`;
  return details ? `(${expression})::text` : expression;
}

/** The audit table's definition (after `CREATE TABLE name`), the same text in the migration and in verify's check. */
export function auditTableBody(kind: DatabaseKind): string {
  const stored = kind === 'sqlite' ? 'VIRTUAL' : 'STORED';
  const projections = AUDIT_PROJECTIONS.map(([column, path]) => `${column} TEXT GENERATED ALWAYS AS (${projectionOf(kind, path, column === 'details')}) ${stored}`);
  return `(seq INTEGER PRIMARY KEY, canonical TEXT NOT NULL, hash TEXT NOT NULL, ${projections.join(', ')})`;
}

/** The searches' indexes on the audit table (name, columns), each ending in seq for newest-first pages. */
export const AUDIT_INDEXES: readonly (readonly [name: string, columns: string])[] = [
  ['audit_document', 'document_id, seq'],
  ['audit_actor', 'actor_id, seq'],
  ['audit_department', 'department_id, seq'],
  ['audit_action', 'action, seq'],
  ['audit_category', 'category, seq'],
  // Covering: a time range is turned into a seq range from this index alone (see the repository).
  ['audit_at', 'at, seq'],
];

/** PostgreSQL's rendering of a generation expression, reduced to compare with ours: no spaces, parentheses or `::text`. */
export const comparableExpression = (expression: string) => expression.replace(/::text\b/g, '').replace(/[\s()]/g, '');
