import { canonicalOf, entryFromRow, hashOf } from '@shenpi/audit';
import type { Engine } from '@shenpi/engine';
import { Repositories } from '@shenpi/persistence';

const SQLITE_TRIGGERS = ['audit_entries_no_update', 'audit_entries_no_delete'];

/** Runs SQL as the database owner could, with the audit log's append-only triggers out of the way. */
export async function asOwner(engine: Engine, sql: string, params: unknown[] = []): Promise<void> {
  await engine.writer.run(async (r) => {
    if (r.sql.kind === 'postgres') {
      await r.sql.run('SET LOCAL session_replication_role = replica');
      await r.sql.run(sql, params);
      return;
    }
    for (const name of SQLITE_TRIGGERS) await r.sql.run(`DROP TRIGGER ${name}`);
    await r.sql.run(sql, params);
    for (const [name, op] of [[SQLITE_TRIGGERS[0], 'UPDATE'], [SQLITE_TRIGGERS[1], 'DELETE']]) {
      await r.sql.run(`CREATE TRIGGER ${name} BEFORE ${op} ON audit_entries BEGIN SELECT RAISE(ABORT, 'audit_entries is append-only'); END`);
    }
  });
}

/**
 * What an owner with database access could do to hide a change: entry `seq` gets `details`, and
 * every later entry is re-chained (prev_hash, hash, canonical recomputed), the head moved to match.
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
    await asOwner(engine, 'UPDATE audit_entries SET details = ?, prev_hash = ?, hash = ?, canonical = ? WHERE seq = ?', [JSON.stringify(unsigned.details), prevHash, hash, canonical, row.seq]);
    prevHash = hash;
  }
  await engine.writer.run((r) => r.sql.run('UPDATE audit_head SET hash = ? WHERE id = 1', [prevHash]));
}
