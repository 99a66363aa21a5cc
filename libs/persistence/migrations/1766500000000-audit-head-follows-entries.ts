import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: the audit head follows each entry inserted, by trigger, so an append is one statement
 * (an INSERT guarded by the head it chains on, AuditEntriesRepository.append) instead of a guarded
 * UPDATE of the head and an INSERT. Only forward: a row an owner slips in behind the head (a
 * removed entry put back) leaves the head where it was, for verify to walk to. PostgreSQL's
 * sequencer moves the head once per batch: unchanged.
 */
export class AuditHeadFollowsEntries1766500000000 implements MigrationInterface {
  name = 'AuditHeadFollowsEntries1766500000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    await runner.query('CREATE TRIGGER audit_entries_move_head AFTER INSERT ON audit_entries BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1 AND seq < NEW.seq; END');
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return;
    await runner.query('DROP TRIGGER audit_entries_move_head');
  }
}
