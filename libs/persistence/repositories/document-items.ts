import type { Sql } from '../sql.js';

/**
 * How a document's tasks and timers are found by document. SQLite: through the lists on the
 * document's row (`task_ids`, `timer_ids`, kept by trigger: migration 1766800000000), so that a
 * decision's new tasks and timers land on the document's page, which it writes anyway, and not on a
 * random page of an index by document each. PostgreSQL: by its indexes on `document_id`.
 *
 * A list can only hide a row, never lend one: every join also asks that the row be the document's.
 */
export type ItemKind = 'task' | 'timer';

const TABLE: Record<ItemKind, string> = { task: 'tasks', timer: 'deadlines' };
const LIST: Record<ItemKind, string> = { task: 'task_ids', timer: 'timer_ids' };

/** A FROM clause: the tasks or timers (as `alias`) of the document row `doc` of the statement. Continue it with `AND …`. */
export function itemsOfRow(kind: Sql['kind'], item: ItemKind, alias: string, doc: string): string {
  if (kind === 'postgres') return `${TABLE[item]} ${alias} WHERE ${alias}.document_id = ${doc}.id`;
  return `json_each(${doc}.${LIST[item]}) ${alias}_i JOIN ${TABLE[item]} ${alias} ON ${alias}.id = ${alias}_i.value AND ${alias}.document_id = ${doc}.id WHERE 1 = 1`;
}

/** A FROM clause: the tasks or timers (as `alias`) of the documents `ids` picks by id (`= ?`, `> ?`, `IN (?, ?)`). Continue it with `AND …`. */
export function itemsOf(kind: Sql['kind'], item: ItemKind, alias: string, ids: string): string {
  if (kind === 'postgres') return `${TABLE[item]} ${alias} WHERE ${alias}.document_id ${ids}`;
  return `documents ${alias}_d JOIN json_each(${alias}_d.${LIST[item]}) ${alias}_i JOIN ${TABLE[item]} ${alias} ON ${alias}.id = ${alias}_i.value AND ${alias}.document_id = ${alias}_d.id WHERE ${alias}_d.id ${ids}`;
}

/** The document id of a row `itemsOf` read as `alias`, as the key its documents are walked in (keyset paging by document). */
export function documentIdOf(kind: Sql['kind'], alias: string): string {
  return kind === 'postgres' ? `${alias}.document_id` : `${alias}_d.id`;
}

/** A condition on the rows of an UPDATE of tasks or deadlines: those of the document `?` names. */
export function ofDocument(kind: Sql['kind'], item: ItemKind): string {
  if (kind === 'postgres') return 'document_id = ?';
  return `id IN (SELECT x.id FROM ${itemsOf(kind, item, 'x', '= ?')})`;
}

/**
 * SQLite: a statement giving `document_id` and its list (`listed`, JSON) of each document whose list
 * of tasks or timers is not exactly the rows its table holds for it: an entry that is no row of the
 * document, an entry twice, or fewer entries than rows (with the first two ruled out, equal counts
 * mean equal sets).
 */
export function listsDisagreeing(item: ItemKind): string {
  const [table, list] = [TABLE[item], LIST[item]];
  return `SELECT w.document_id, o.${list} AS listed FROM (
      SELECT d.id AS document_id FROM documents d JOIN json_each(d.${list}) j LEFT JOIN ${table} x ON x.id = j.value
        WHERE x.id IS NULL OR x.document_id <> d.id
      UNION SELECT d.id FROM documents d WHERE json_array_length(d.${list}) <> (SELECT COUNT(DISTINCT j.value) FROM json_each(d.${list}) j)
      UNION SELECT d.id FROM (SELECT document_id, COUNT(*) AS n FROM ${table} GROUP BY document_id) c JOIN documents d ON d.id = c.document_id
        WHERE json_array_length(d.${list}) <> c.n
    ) w JOIN documents o ON o.id = w.document_id`;
}

/** A statement giving `document_id` and `id` of the tasks or timers of `count` documents (`IN` placeholders), read by document alone, not through a list. */
export function heldBy(item: ItemKind, count: number): string {
  return `SELECT document_id, id FROM ${TABLE[item]} WHERE document_id IN (${Array(count).fill('?').join(', ')}) ORDER BY id`;
}
