import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Substitutes (proxies) are part of who may decide: a change to them moves the directory version
 * too (migration 1766400000000), so what was read of the directory at one version — a principal, a
 * role's holders with whom each is away to — holds exactly while the version stands.
 */
export class ProxiesMoveDirectoryVersion1766600000000 implements MigrationInterface {
  name = 'ProxiesMoveDirectoryVersion1766600000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') {
      await runner.query('CREATE TRIGGER proxies_directory_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proxies FOR EACH STATEMENT EXECUTE FUNCTION directory_changed()');
      return;
    }
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await runner.query(`CREATE TRIGGER proxies_${event.toLowerCase()}_directory_version AFTER ${event} ON proxies BEGIN UPDATE directory_version SET version = version + 1 WHERE id = 1; END`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.connection.options.type === 'postgres') return void (await runner.query('DROP TRIGGER proxies_directory_version ON proxies'));
    for (const event of ['insert', 'update', 'delete']) await runner.query(`DROP TRIGGER proxies_${event}_directory_version`);
  }
}
