import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The tables a caller's principal is read from: any change to them moves the directory version. */
const DIRECTORY_TABLES = ['users', 'role_grants'] as const;

/**
 * A number that moves whenever a user or a role grant changes, by whatever path (the service, the
 * CLI in another process, a statement typed by hand): the API keeps the principals it read and uses
 * one again only while the version it was read at is still the version (AuthenticationUseCase). The
 * database moves it itself, by triggers, so no writer can forget to.
 */
export class DirectoryVersion1766400000000 implements MigrationInterface {
  name = 'DirectoryVersion1766400000000';

  async up(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    await runner.query(`CREATE TABLE directory_version (id INTEGER PRIMARY KEY CHECK (id = 1), version ${postgres ? 'BIGINT' : 'INTEGER'} NOT NULL)`);
    await runner.query('INSERT INTO directory_version (id, version) VALUES (1, 1)');
    if (postgres) {
      await runner.query(`CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN UPDATE directory_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$`);
      for (const table of DIRECTORY_TABLES) {
        await runner.query(`CREATE TRIGGER ${table}_directory_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION directory_changed()`);
      }
      return;
    }
    for (const table of DIRECTORY_TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        await runner.query(`CREATE TRIGGER ${table}_${event.toLowerCase()}_directory_version AFTER ${event} ON ${table} BEGIN UPDATE directory_version SET version = version + 1 WHERE id = 1; END`);
      }
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    const postgres = runner.connection.options.type === 'postgres';
    for (const table of DIRECTORY_TABLES) {
      if (postgres) await runner.query(`DROP TRIGGER ${table}_directory_version ON ${table}`);
      else for (const event of ['insert', 'update', 'delete']) await runner.query(`DROP TRIGGER ${table}_${event}_directory_version`);
    }
    if (postgres) await runner.query('DROP FUNCTION directory_changed()');
    await runner.query('DROP TABLE directory_version');
  }
}
