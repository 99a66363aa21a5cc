import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['users', 'role_grants', 'proxies'] as const;
const EVENTS = ['insert', 'update', 'delete'] as const;
/** 2^53 − 1: a drawn version stays an exact JavaScript number. */
const SPAN = '9007199254740991';

/**
 * The directory version is drawn at random on each change instead of counted up. A counted version
 * is given again after a database goes back in time under a running service (a restore, a failover
 * that lost commits, a rolled-back transaction): what a process kept at that number (principals,
 * staffing's holders) would then pass for the directory of another timeline. A drawn one does not
 * come back (2^-53 per change).
 */
export class DirectoryVersionDrawn1766700000000 implements MigrationInterface {
  name = 'DirectoryVersionDrawn1766700000000';

  async up(runner: QueryRunner): Promise<void> {
    await this.body(runner, runner.connection.options.type === 'postgres' ? `floor(random() * ${SPAN})::bigint` : `abs(random() % ${SPAN})`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await this.body(runner, 'version + 1');
  }

  private async body(runner: QueryRunner, next: string): Promise<void> {
    if (runner.connection.options.type === 'postgres') {
      await runner.query(`CREATE OR REPLACE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE directory_version SET version = ${next} WHERE id = 1; RETURN NULL; END $$`);
      return;
    }
    for (const table of TABLES) {
      for (const event of EVENTS) {
        const name = `${table}_${event}_directory_version`;
        await runner.query(`DROP TRIGGER ${name}`);
        await runner.query(`CREATE TRIGGER ${name} AFTER ${event.toUpperCase()} ON ${table} BEGIN UPDATE directory_version SET version = ${next} WHERE id = 1; END`);
      }
    }
  }
}
