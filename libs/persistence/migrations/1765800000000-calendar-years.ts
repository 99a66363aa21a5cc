import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Years of the official calendar an administrator uploaded (PUT /api/calendar/years/:year): kept in the
 * database, so every process of a deployment plans with them after a restart, and a peer process
 * learns of an upload by comparing hashes.
 */
export class CalendarYears1765800000000 implements MigrationInterface {
  name = 'CalendarYears1765800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE calendar_years (
         year INTEGER PRIMARY KEY,
         holidays TEXT NOT NULL,
         workdays TEXT NOT NULL,
         sha256 TEXT NOT NULL,
         uploaded_by TEXT NOT NULL,
         uploaded_at TEXT NOT NULL
       )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE calendar_years');
  }
}
