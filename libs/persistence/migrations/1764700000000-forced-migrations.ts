import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A chain migration keeps every document at its step or earlier; a global administrator may force
 * forward moves with a reason. The running batch needs both to audit each forced move, also after a
 * restart resumes it.
 */
export class ForcedMigrations1764700000000 implements MigrationInterface {
  name = 'ForcedMigrations1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE chain_migrations ADD COLUMN forced INTEGER NOT NULL DEFAULT 0');
    await runner.query('ALTER TABLE chain_migrations ADD COLUMN reason TEXT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE chain_migrations DROP COLUMN reason');
    await runner.query('ALTER TABLE chain_migrations DROP COLUMN forced');
  }
}
