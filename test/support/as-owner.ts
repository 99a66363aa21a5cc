import type { Engine } from '@shenpi/engine';

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
