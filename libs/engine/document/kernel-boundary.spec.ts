import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The door (docs/architecture.md): nothing outside libs/engine/document writes the `documents` or
 * `tasks` tables. The write methods are found in the repositories themselves (every method whose
 * SQL inserts, updates or deletes those tables), so a new one is covered without touching this test.
 */
const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const KERNEL = 'libs/engine/document/';
const REPOSITORIES = { documents: 'libs/persistence/repositories/documents.repository.ts', tasks: 'libs/persistence/repositories/tasks.repository.ts' };
const WRITES = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(documents|tasks)\b/i;

/** Each `async name(` of a repository class with the text of its body, up to the next method. */
function methods(source: string): { name: string; body: string }[] {
  const starts = [...source.matchAll(/^ {2}async (\w+)\(/gm)];
  return starts.map((m, i) => ({ name: m[1], body: source.slice(m.index, starts[i + 1]?.index ?? source.length) }));
}

export function writeMethods(): Record<'documents' | 'tasks', string[]> {
  const of = (path: string) => methods(readFileSync(join(ROOT, path), 'utf8')).filter((m) => WRITES.test(m.body)).map((m) => m.name);
  return { documents: of(REPOSITORIES.documents), tasks: of(REPOSITORIES.tasks) };
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.spec\.ts$/.test(name) ? [path] : [];
  });
}

/** Lines of `source` that write the two tables: a repository write method, or SQL of its own. */
export function offences(source: string, writes = writeMethods()): string[] {
  const call = new RegExp(`\\.(documents\\.(${writes.documents.join('|')})|tasks\\.(${writes.tasks.join('|')}))\\(`);
  return source.split('\n').filter((line) => call.test(line) || WRITES.test(line));
}

describe('the document-write kernel is the only writer of documents and tasks', () => {
  const writes = writeMethods();

  it('finds the repositories\' write methods (so the check below is not empty)', () => {
    expect(writes.documents).toEqual(expect.arrayContaining(['insert', 'updateIfVersion', 'moveToVersion', 'setDue']));
    expect(writes.tasks).toEqual(expect.arrayContaining(['insert', 'decide', 'reassign', 'cancel', 'cancelOpen', 'setDueAt']));
    expect(writes.documents).not.toContain('get');
    expect(writes.tasks).not.toContain('openForDocument');
  });

  it('recognises a write wherever it is written', () => {
    expect(offences('    await repos.tasks.decide(task.id, d);', writes)).toHaveLength(1);
    expect(offences("    await sql.run('UPDATE documents SET state = ? WHERE id = ?', [s, id]);", writes)).toHaveLength(1);
    expect(offences('    const t = await repos.tasks.get(id);', writes)).toHaveLength(0);
  });

  it('no file outside libs/engine/document (and the repositories) writes them', () => {
    const outside = [...sourceFiles('apps'), ...sourceFiles('libs')]
      .map((path) => relative(ROOT, join(ROOT, path)).split('\\').join('/'))
      .filter((path) => !path.startsWith(KERNEL) && !path.startsWith('libs/persistence/'));
    expect(outside.length).toBeGreaterThan(50);
    const found = outside.flatMap((path) => offences(readFileSync(join(ROOT, path), 'utf8'), writes).map((line) => `${path}: ${line.trim()}`));
    expect(found).toEqual([]);
  });

  // SQLite lists a document's tasks, timers and transition entries on its row (who may see it, and
  // the entry the door checks the row against, are read from those lists): only the triggers of their
  // migrations write the lists, whoever inserts; the one module that reads them writes nothing.
  it('no code writes the lists of a document\'s tasks, timers and transition entries: their triggers keep them', () => {
    const naming = [...sourceFiles('apps'), ...sourceFiles('libs')].filter((path) => /\b(task_ids|timer_ids|transition_seqs)\b/.test(readFileSync(join(ROOT, path), 'utf8')));
    const reader = 'libs/persistence/repositories/document-items.ts';
    expect(naming.map((path) => path.split('\\').join('/')).sort()).toEqual([
      'libs/persistence/migrations/1766800000000-items-on-document-row.ts',
      'libs/persistence/migrations/1766900000000-transitions-on-document-row.ts',
      reader,
    ]);
    expect(readFileSync(join(ROOT, reader), 'utf8')).not.toMatch(/\b(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i);
  });
});
