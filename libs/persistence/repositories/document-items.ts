import type { Sql } from '../sql.js';

/**
 * How a document's tasks, timers and transition entries are found by document. SQLite: through
 * the lists on the document's row (`task_ids`, `timer_ids`: migration 1766800000000;
 * `transition_seqs`: migration 1766900000000; kept by trigger), so that what a decision appends
 * lands on the document's page, which it writes anyway, and not on a random page of an index by
 * document each. PostgreSQL: by its indexes on `document_id`.
 *
 * A list can only hide a row, never lend one: every join also asks that the row be the document's
 * (and, for an entry, a transition entry).
 */
export type ItemKind = 'task' | 'timer' | 'entry';

interface Listed {
  table: string;
  list: string;
  /** The row's key, as the list holds it. */
  key: string;
  /** What else makes a row of the table one the list holds (`x`: the row's alias). */
  holds: (x: string) => string;
}

const ITEMS: Record<ItemKind, Listed> = {
  task: { table: 'tasks', list: 'task_ids', key: 'id', holds: () => '1 = 1' },
  timer: { table: 'deadlines', list: 'timer_ids', key: 'id', holds: () => '1 = 1' },
  // Only the kernel writes transition entries (one per change of the document); the other
  // categories (refusals, security) are indexed by document, so that no one grows a row by asking.
  // `|| ''`: a condition SQLite cannot answer from the category index (it would walk every transition of the log).
  entry: { table: 'audit_entries', list: 'transition_seqs', key: 'seq', holds: (x) => `${x}.category || '' = 'transition'` },
};

/** How PostgreSQL, which keeps no lists, tells a transition entry on its index by document (`|| ''`: not by the category index). */
const pgHolds = (item: ItemKind, alias: string) => (item === 'entry' ? ` AND ${alias}.category || '' = 'transition'` : '');

/** A FROM clause: the tasks, timers or transition entries (as `alias`) of the document row `doc` of the statement. Continue it with `AND …`. */
export function itemsOfRow(kind: Sql['kind'], item: ItemKind, alias: string, doc: string): string {
  const { table, list, key, holds } = ITEMS[item];
  if (kind === 'postgres') return `${table} ${alias} WHERE ${alias}.document_id = ${doc}.id${pgHolds(item, alias)}`;
  return `json_each(${doc}.${list}) ${alias}_i JOIN ${table} ${alias} ON ${alias}.${key} = ${alias}_i.value AND ${alias}.document_id = ${doc}.id AND ${holds(alias)} WHERE 1 = 1`;
}

/** A FROM clause: the tasks, timers or transition entries (as `alias`) of the documents `ids` picks by id (`= ?`, `> ?`, `IN (?, ?)`). Continue it with `AND …`. */
export function itemsOf(kind: Sql['kind'], item: ItemKind, alias: string, ids: string): string {
  const { table, list, key, holds } = ITEMS[item];
  if (kind === 'postgres') return `${table} ${alias} WHERE ${alias}.document_id ${ids}${pgHolds(item, alias)}`;
  return `documents ${alias}_d JOIN json_each(${alias}_d.${list}) ${alias}_i JOIN ${table} ${alias} ON ${alias}.${key} = ${alias}_i.value AND ${alias}.document_id = ${alias}_d.id AND ${holds(alias)} WHERE ${alias}_d.id ${ids}`;
}

/** SQLite: the key the row `doc` lists last (its newest task, timer or transition entry), null when it lists none. */
export function lastListed(item: ItemKind, doc: string): string {
  return `json_extract(${doc}.${ITEMS[item].list}, '$[#-1]')`;
}

/** SQLite: a join condition making `alias` the row `doc` lists last, if that row is the document's. */
export function isLastOfRow(item: ItemKind, alias: string, doc: string): string {
  const { key, holds } = ITEMS[item];
  return `${alias}.${key} = ${lastListed(item, doc)} AND ${alias}.document_id = ${doc}.id AND ${holds(alias)}`;
}

/** The document id of a row `itemsOf` read as `alias`, as the key its documents are walked in (keyset paging by document). */
export function documentIdOf(kind: Sql['kind'], alias: string): string {
  return kind === 'postgres' ? `${alias}.document_id` : `${alias}_d.id`;
}

/** A condition on the rows of an UPDATE of tasks or deadlines: those of the document `?` names. */
export function ofDocument(kind: Sql['kind'], item: 'task' | 'timer'): string {
  if (kind === 'postgres') return 'document_id = ?';
  return `id IN (SELECT x.id FROM ${itemsOf(kind, item, 'x', '= ?')})`;
}

/**
 * Every audit entry of one document (`?`, bound `parameters` times), as a table to select from
 * with the audit table's columns: SQLite, its transition entries through its row's list and the
 * others on the partial index by document (migration 1766900000000); PostgreSQL, its index.
 */
export function entriesOfDocument(kind: Sql['kind']): { sql: string; parameters: number } {
  if (kind === 'postgres') return { sql: 'SELECT * FROM audit_entries WHERE document_id = ?', parameters: 1 };
  return {
    sql: `SELECT e.* FROM ${itemsOf(kind, 'entry', 'e', '= ?')} UNION ALL SELECT * FROM audit_entries WHERE document_id = ? AND ${NOT_LISTED}`,
    parameters: 2,
  };
}

/** The condition of SQLite's partial index of audit entries by document, as a query must state it to be served by it. */
export const NOT_LISTED = "category <> 'transition'";

/**
 * SQLite: a statement giving `document_id` and its list (`listed`, JSON) of each document whose list
 * is not exactly the rows its table holds for it: an entry that is no row of the document, an entry
 * twice, or fewer entries than rows (with the first two ruled out, equal counts mean equal sets).
 */
export function listsDisagreeing(item: ItemKind): string {
  const { table, list, key, holds } = ITEMS[item];
  return `SELECT w.document_id, o.${list} AS listed FROM (
      SELECT d.id AS document_id FROM documents d JOIN json_each(d.${list}) j LEFT JOIN ${table} x ON x.${key} = j.value
        WHERE x.${key} IS NULL OR x.document_id <> d.id OR NOT (${holds('x')})
      UNION SELECT d.id FROM documents d WHERE json_array_length(d.${list}) <> (SELECT COUNT(DISTINCT j.value) FROM json_each(d.${list}) j)
      UNION SELECT d.id FROM (SELECT x.document_id, COUNT(*) AS n FROM ${table} x WHERE ${holds('x')} GROUP BY x.document_id) c JOIN documents d ON d.id = c.document_id
        WHERE json_array_length(d.${list}) <> c.n
    ) w JOIN documents o ON o.id = w.document_id`;
}

/** A statement giving `document_id` and `id` of the tasks, timers or transition entries of `count` documents (`IN` placeholders), read by document alone, not through a list. */
export function heldBy(item: ItemKind, count: number): string {
  const { table, key, holds } = ITEMS[item];
  return `SELECT x.document_id, x.${key} AS id FROM ${table} x WHERE x.document_id IN (${Array(count).fill('?').join(', ')}) AND ${holds('x')} ORDER BY x.${key}`;
}
