import type { Sql } from '../sql.js';

/**
 * How a document's tasks and timers are found by document. SQLite: through the lists on the
 * document's row (`task_ids`, `timer_ids`, kept by trigger: migration 1766800000000), so that a
 * decision's new tasks and timers land on the document's page, which it writes anyway, and not on a
 * random page of an index by document each. PostgreSQL: by its indexes on `document_id`.
 */
export type ItemKind = 'task' | 'timer';

const TABLE: Record<ItemKind, string> = { task: 'tasks', timer: 'deadlines' };
const LIST: Record<ItemKind, string> = { task: 'task_ids', timer: 'timer_ids' };

/** A FROM clause: the tasks or timers (as `alias`) of the document row `doc` of the statement. Continue it with `AND …`. */
export function itemsOfRow(kind: Sql['kind'], item: ItemKind, alias: string, doc: string): string {
  if (kind === 'postgres') return `${TABLE[item]} ${alias} WHERE ${alias}.document_id = ${doc}.id`;
  return `json_each(${doc}.${LIST[item]}) ${alias}_i JOIN ${TABLE[item]} ${alias} ON ${alias}.id = ${alias}_i.value WHERE 1 = 1`;
}

/**
 * A FROM clause: the tasks or timers (as `alias`) of the documents `ids` picks by id (`= ?`,
 * `IN (?, ?)`), with their document's id as `${alias}_document`. Continue it with `AND …`.
 */
export function itemsOf(kind: Sql['kind'], item: ItemKind, alias: string, ids: string): string {
  if (kind === 'postgres') return `${TABLE[item]} ${alias} WHERE ${alias}.document_id ${ids}`;
  return `documents ${alias}_d JOIN json_each(${alias}_d.${LIST[item]}) ${alias}_i JOIN ${TABLE[item]} ${alias} ON ${alias}.id = ${alias}_i.value WHERE ${alias}_d.id ${ids}`;
}

/** The document id of a row `itemsOf` read as `alias`, as the key its documents are walked in (keyset paging by document). */
export function documentIdOf(kind: Sql['kind'], alias: string): string {
  return kind === 'postgres' ? `${alias}.document_id` : `${alias}_d.id`;
}

/** A condition on the rows of an UPDATE of tasks or deadlines: those of the document `?` names. */
export function ofDocument(kind: Sql['kind'], item: ItemKind): string {
  if (kind === 'postgres') return 'document_id = ?';
  return `id IN (SELECT value FROM json_each((SELECT ${LIST[item]} FROM documents WHERE id = ?)))`;
}

/** A condition: the document row `doc` lists the task or timer whose id is `id` (always true on PostgreSQL, which has no lists). */
export function listed(kind: Sql['kind'], item: ItemKind, doc: string, id: string): string {
  if (kind === 'postgres') return 'TRUE';
  return `EXISTS (SELECT 1 FROM json_each(${doc}.${LIST[item]}) j WHERE j.value = ${id})`;
}
