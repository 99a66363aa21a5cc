import { canonicalOf, entryFromRow, hashOf } from '@shenpi/audit';
import type { Engine } from '@shenpi/engine';
import { AUDIT_INDEXES, AUDIT_PROJECTIONS, projectionOf, Repositories, type Sql } from '@shenpi/persistence';

const SQLITE_TRIGGERS = ['audit_entries_no_update', 'audit_entries_no_delete'];

/** Runs statements as the database owner could, with the audit log's append-only triggers out of the way. */
async function owning(engine: Engine, work: (sql: Sql) => Promise<void>): Promise<void> {
  await engine.writer.run(async (r) => {
    if (r.sql.kind === 'postgres') {
      await r.sql.run('SET LOCAL session_replication_role = replica');
      return work(r.sql);
    }
    for (const name of SQLITE_TRIGGERS) await r.sql.run(`DROP TRIGGER ${name}`);
    await work(r.sql);
    for (const [name, op] of [[SQLITE_TRIGGERS[0], 'UPDATE'], [SQLITE_TRIGGERS[1], 'DELETE']]) {
      await r.sql.run(`CREATE TRIGGER ${name} BEFORE ${op} ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END`);
    }
  });
}

/** Runs SQL as the database owner could, with the audit log's append-only triggers out of the way. */
export async function asOwner(engine: Engine, sql: string, params: unknown[] = []): Promise<void> {
  await owning(engine, async (s) => void (await s.run(sql, params)));
}

/** An owner's edit of entry `seq`'s hashed text (its time moved back a millennium; the text stays JSON). */
export async function editText(engine: Engine, seq: number, back = true): Promise<void> {
  const [from, to] = back ? ['"at":"2', '"at":"1'] : ['"at":"1', '"at":"2'];
  await asOwner(engine, 'UPDATE audit_entries SET canonical = replace(canonical, ?, ?) WHERE seq = ?', [from, to, seq]);
}

/**
 * What an owner could do to make a search lie: the projection `column` becomes a plain column
 * (every row keeps its value) and entry `seq` gets `value` there; the hashed text is untouched.
 */
export async function plainColumn(engine: Engine, column: string, seq: number, value: string): Promise<void> {
  await owning(engine, async (sql) => {
    if (sql.kind === 'postgres') {
      await sql.run(`ALTER TABLE audit_entries ALTER COLUMN ${column} DROP EXPRESSION`);
    } else {
      for (const [index] of AUDIT_INDEXES.filter(([, columns]) => columns.startsWith(`${column},`))) await sql.run(`DROP INDEX ${index}`);
      await sql.run(`ALTER TABLE audit_entries DROP COLUMN ${column}`);
      await sql.run(`ALTER TABLE audit_entries ADD COLUMN ${column} TEXT`);
      const [, path] = AUDIT_PROJECTIONS.find(([name]) => name === column)!;
      await sql.run(`UPDATE audit_entries SET ${column} = ${projectionOf('sqlite', path)}`);
    }
    await sql.run(`UPDATE audit_entries SET ${column} = ? WHERE seq = ?`, [value, seq]);
  });
}

/**
 * What an owner with database access could do to hide a change: entry `seq` gets `details`, and
 * every later entry is re-chained (text and hash recomputed), the head moved to match.
 * The chain is consistent in itself afterwards; only what was signed before can tell.
 */
export async function rewriteAndRechain(engine: Engine, seq: number, details: Record<string, unknown>): Promise<void> {
  const rows = await new Repositories(engine.database.reader).audit.range(0, 1_000_000);
  let prevHash = rows[seq - 2]?.hash ?? '0'.repeat(64);
  for (const row of rows.slice(seq - 1)) {
    const { hash: _old, ...unsigned } = entryFromRow(row);
    if (row.seq === seq) unsigned.details = details;
    const canonical = canonicalOf({ ...unsigned, prevHash });
    const hash = hashOf(prevHash, canonical, engine.audit.hasher.algorithm);
    await asOwner(engine, 'UPDATE audit_entries SET hash = ?, canonical = ? WHERE seq = ?', [hash, canonical, row.seq]);
    prevHash = hash;
  }
  await engine.writer.run((r) => r.sql.run('UPDATE audit_head SET hash = ? WHERE id = 1', [prevHash]));
}
